#!/usr/bin/env bash
# The postgres sink side by side with PostgreSQL's own bulk path (docs/storage.md, "Speed"):
# the same 200,000 values written (1) by `COPY … FROM STDIN` through psql and (2) through the hub
# (mosquitto → hub → postgres sink, binary COPY per batch), in the same run, on one server.
# Two hub shapes: 200,000 messages of one value (rows = message), and 20,000 JSON messages of ten
# values each (rows = values). Prints seconds and the hub/bulk ratio of each (bulk seconds / hub seconds).
# The three runs alternate ROUNDS times (the tables emptied in between), so a busy machine weighs on
# each alike; each line gives the median and the range of its rounds, the ratio from the medians.
# Usage: bench/postgres.sh [VALUES (200000)] [BATCH_SIZE (1000)] [ROUNDS (3)]
# Environment: CONFIGURATION (Release), NO_BUILD=1 to use the hub already built.
set -euo pipefail
cd "$(dirname "$0")/.."
VALUES=${1:-200000}
BATCH=${2:-1000}
ROUNDS=${3:-3}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/hub-bench-pg.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
MQPORT=$(free_port)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "${HUB_PID:-}" ] && kill "$HUB_PID" 2>/dev/null || true
  [ -n "${MQ_PID:-}" ] && kill "$MQ_PID" 2>/dev/null || true
  [ -f "$WORK/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

CONFIGURATION=${CONFIGURATION:-Release}
[ -n "${NO_BUILD:-}" ] || dotnet build Hub.sln -c "$CONFIGURATION" -nologo -v q -clp:NoSummary >/dev/null
HUB=artifacts/$CONFIGURATION/hub/hub

# PostgreSQL with its default durability (fsync on, synchronous_commit on).
as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -o "-p $PGPORT -h 127.0.0.1 -k $WORK" -w start >/dev/null
PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -X -q -A -t -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE TABLE bulk (time timestamptz NOT NULL, topic text NOT NULL, field text NOT NULL, value double precision);
                 CREATE TABLE one (time timestamptz NOT NULL, topic text NOT NULL, field text NOT NULL DEFAULT '', value double precision);
                 CREATE TABLE ten (time timestamptz NOT NULL, topic text NOT NULL, field text NOT NULL, value double precision);"

cat > "$WORK/mosquitto.conf" <<EOF
listener $MQPORT 127.0.0.1
allow_anonymous true
max_queued_messages 0
max_inflight_messages 0
log_dest stdout
log_type error
EOF
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 & MQ_PID=$!

# The data: VALUES readings over 100 topics.
python3 - "$WORK" "$VALUES" <<'EOF'
import sys, json
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/bulk.csv", "w") as f:
    for i in range(n):
        f.write(f"2026-12-07 12:00:00.{i % 1000000:06d}+00,bench/{i % 100},\"\",{i * 0.5}\n")
with open(f"{work}/one.txt", "w") as f:
    for i in range(n):
        f.write(f"{i * 0.5}\n")
with open(f"{work}/ten.txt", "w") as f:
    for i in range(n // 10):
        f.write(json.dumps({f"v{k}": (i * 10 + k) * 0.5 for k in range(10)}) + "\n")
EOF

now() { date +%s.%N; }
wait_rows() { until [ "$("${PSQL[@]}" -c "SELECT count(*) FROM $1")" -ge "$2" ]; do sleep 0.05; done; }

# 2. Through the hub.
cat > "$WORK/hub.ini" <<EOF
[defaults]
hostname = '127.0.0.1'
port = $MQPORT
clientid = 'bench-postgres'
plugins = '$PWD/artifacts/$CONFIGURATION/hub/plugins'
loglevel = INFO
launch = postgres

[config:postgres]
host = '127.0.0.1'
port = $PGPORT
user = 'postgres'
dbname = 'postgres'
batch_size = $BATCH
targets = {
    'one': {'table': 'one', 'columns': {'time': '\$time', 'topic': 'topic', 'value': '\$value'}},
    'ten': {'table': 'ten', 'rows': 'values', 'columns': {'time': '\$time', 'topic': 'topic', 'field': '\$field', 'value': '\$value'}},
  }

[bench/one/+]
targets = postgres:one
qos = 1

[bench/ten/+]
targets = postgres:ten
qos = 1
EOF
"$HUB" run --config "$WORK/hub.ini" > "$WORK/hub.log" 2>&1 & HUB_PID=$!
until grep -q "Hub ready: subscribed" "$WORK/hub.log" 2>/dev/null; do
  kill -0 "$HUB_PID" 2>/dev/null || { echo "the hub exited:"; cat "$WORK/hub.log"; exit 1; }
  sleep 0.1
done

run_hub() { # table, file, topic prefix, expected rows
  local start; start=$(now)
  # 4 publishers over 4 topics each, so the messages of one publisher keep their order.
  split -n l/4 "$2" "$WORK/part-$1-"
  local k=0 pids=()
  for part in "$WORK"/part-"$1"-*; do
    mosquitto_pub -h 127.0.0.1 -p "$MQPORT" -q 1 -t "$3/$k" -l < "$part" & pids+=($!)
    k=$((k + 1))
  done
  wait "${pids[@]}"
  wait_rows "$1" "$4"
  echo "$(now) - $start" | bc
}
copy_bulk() {
  local start; start=$(now)
  "${PSQL[@]}" -c "\\copy bulk FROM '$WORK/bulk.csv' CSV"
  echo "$(now) - $start" | bc
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
bulks=() ones=() tens=()
for round in $(seq 1 "$ROUNDS"); do
  "${PSQL[@]}" -c "TRUNCATE bulk, one, ten"
  bulks+=("$(copy_bulk)")
  ones+=("$(run_hub one "$WORK/one.txt" bench/one "$VALUES")")
  tens+=("$(run_hub ten "$WORK/ten.txt" bench/ten "$VALUES")")
  rm -f "$WORK"/part-*
  echo "round $round: bulk ${bulks[-1]} s, hub one ${ones[-1]} s, hub ten ${tens[-1]} s" >&2
done
bulk=$(median "${bulks[@]}")
one=$(median "${ones[@]}")
ten=$(median "${tens[@]}")

ratio() { echo "scale=2; $bulk / $1" | bc; }
printf 'values: %s, batch_size: %s, rounds: %s, PostgreSQL %s\n' "$VALUES" "$BATCH" "$ROUNDS" "$("${PSQL[@]}" -c 'SHOW server_version')"
printf '%-44s %8.2f s (%s)  %10.0f values/s\n' "COPY through psql (bulk)" "$bulk" "$(range "${bulks[@]}")" "$(echo "$VALUES / $bulk" | bc)"
printf '%-44s %8.2f s (%s)  %10.0f values/s  %sx of bulk\n' "hub, 1 value per message (rows = message)" "$one" "$(range "${ones[@]}")" "$(echo "$VALUES / $one" | bc)" "$(ratio "$one")"
printf '%-44s %8.2f s (%s)  %10.0f values/s  %sx of bulk\n' "hub, 10 values per message (rows = values)" "$ten" "$(range "${tens[@]}")" "$(echo "$VALUES / $ten" | bc)" "$(ratio "$ten")"
