#!/usr/bin/env bash
# The embedded history's ingest while the hub routes (issue 13 §1): MESSAGES JSON messages published with
# mosquitto_pub -l (QoS 0) through one mosquitto into `hub run`, which routes each through a formatted route to a file
# target and, in the "with history" runs, records every numeric field of each message ([history:all] value = *:
# POINTS_PER points a message) into the embedded store at the same time. Runs alternate without / with history.
# Reported per run, as median and range: the routing rate (messages in the route's file / seconds from the first
# publish to the last line) and, with history, the points stored per second (points in history.db / seconds from the
# first publish until the store holds them all, read with Python's sqlite3 from a second connection).
# A run that routes fewer than MESSAGES lines or stores fewer than MESSAGES * POINTS_PER points fails the bench
# (exit 1): no rate over a partial delivery. Usage: bench/history-routing.sh [MESSAGES (200000)] [RUNS (3)] [CONFIGURATION (Release)]
# Environment: FIELDS (numeric fields a message, default 4), PUBLISHERS (parallel mosquitto_pub -l, default 2),
# HISTORY_OPTIONS (extra [history] lines, e.g. "batch_size = 20000").
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
RUNS="${2:-3}"
CONFIG="${3:-Release}"
FIELDS="${FIELDS:-4}"
PUBLISHERS="${PUBLISHERS:-2}"
[ -x "artifacts/$CONFIG/hub/hub" ] || bash scripts/setup.sh "$CONFIG"
HUB="$PWD/artifacts/$CONFIG/hub/hub"
T="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() { echo "bench: $*" >&2; exit 1; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # a process's user + system CPU, in clock ticks
LIMIT=$(( 60 + N / 500 ))

MP=$(port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$MP" > "$T/mosquitto.conf"
mosquitto -c "$T/mosquitto.conf" > "$T/mosquitto.log" 2>&1 & PIDS+=($!)

# The messages, split over the publishers (each its own sensors, so each series' points arrive in order):
# {"sensor": "sK", "seq": i, "temp": ..., "hum": ..., ...}: FIELDS numeric fields, seq among them.
python3 - "$N" "$T" "$FIELDS" "$PUBLISHERS" <<'PY'
import sys
n, t, fields, publishers = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
names = ["seq", "temp", "hum", "press", "wind", "rain", "lux", "co2"][:fields]
files = [open(f"{t}/messages-{p}.jsonl", "w") for p in range(publishers)]
for i in range(n):
    p = i % publishers
    values = {"seq": i, "temp": 20 + (i % 100) / 10, "hum": 40 + (i % 50) / 10, "press": 1000 + i % 30, "wind": i % 17 / 2,
              "rain": i % 7 / 10, "lux": i % 900, "co2": 400 + i % 300}
    files[p].write('{"sensor":"s%d",%s}\n' % (p * 10 + i // publishers % 10, ",".join(f'"{k}":{values[k]}' for k in names)))
for f in files:
    f.close()
PY

# Waits until the route's file has N lines and (with history) the store N * FIELDS points; prints the seconds from T0
# to each, or fails with what it found.
cat > "$T/wait.py" <<'PY'
import os, sqlite3, sys, time
out, db, want_lines, want_points, t0, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
lines, points, routed_at, stored_at, connection = 0, 0, None, None if want_points else 0.0, None
with open(out, "rb") as f:
    while time.time() - t0 < limit and (routed_at is None or stored_at is None):
        if routed_at is None:
            chunk = f.read()
            lines += chunk.count(b"\n") - chunk.count(b"warm-up")  # the warm-up messages' lines do not count
            if lines >= want_lines:
                routed_at = time.time() - t0
        if stored_at is None:
            if connection is None and os.path.exists(db):
                connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            if connection is not None:
                try:
                    points = connection.execute("SELECT count(*) FROM points").fetchone()[0]
                except sqlite3.OperationalError:
                    points = 0
                if points >= want_points:
                    stored_at = time.time() - t0
        time.sleep(0.02 if routed_at is None else 0.1)
if routed_at is None or stored_at is None or lines != want_lines or (want_points and points != want_points):
    print(f"routed {lines} of {want_lines} lines, stored {points} of {want_points} points", file=sys.stderr)
    sys.exit(1)
print(routed_at, stored_at)
PY

RESULTS="$T/results.tsv"
: > "$RESULTS"
run_once() { # run_once RUN WITH_HISTORY(0/1)
  local run="$1" history="$2" dir="$T/run-$1-$2"
  # The configuration has a folder of its own: hot_reload watches it, and history.db's writes beside it would wake it.
  mkdir -p "$dir/config" "$dir/out" "$dir/state" "$dir/data"
  : > "$dir/out/route.txt"
  {
    printf '[defaults]\nhostname = %s\nport = %s\nclientid = %s\nloglevel = WARNING\nlaunch = file\nstate_dir = %s\n\n' "'127.0.0.1'" "$MP" "'history-bench-$run-$history'" "'$dir/state'"
    printf "[config:file]\nappend_newline = True\ntargets = { 'route': ['%s'] }\n\n" "$dir/out/route.txt"
    printf '[bench/+/data]\ntargets = file:route\nformat = {sensor} {seq} {temp}\n\n'
    if [ "$history" = 1 ]; then
      printf "[history]\npath = '%s'\n%s\n\n[history:all]\ntopic = bench/+/data\nvalue = *\n" "$dir/data/history.db" "${HISTORY_OPTIONS:-}"
    fi
  } > "$dir/config/hub.ini"
  "$HUB" run --config "$dir/config/hub.ini" > "$dir/hub.log" 2>&1 &
  local hub=$!
  PIDS+=($hub)
  local deadline=$(( $(date +%s) + 120 ))
  until grep -q "history-bench-$run-$history" "$T/mosquitto.log"; do [ "$(date +%s)" -lt "$deadline" ] || fail "the hub did not connect"; sleep 0.05; done
  # The subscription follows the connection: warm-up messages through the route until one arrives (not recorded: no
  # numeric field; their lines are not counted).
  until [ -s "$dir/out/route.txt" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "the warm-up message never reached the route's file"
    mosquitto_pub -h 127.0.0.1 -p "$MP" -t bench/warmup/data -m '{"sensor":"warm-up","seq":"-","temp":"-"}'; sleep 0.1
  done
  local t0 c0 c1 pubs=(); c0=$(cpu "$hub"); t0=$(date +%s.%N)
  for p in $(seq 0 $((PUBLISHERS - 1))); do
    mosquitto_pub -h 127.0.0.1 -p "$MP" -t "bench/p$p/data" -q 0 -l < "$T/messages-$p.jsonl" & pubs+=($!)
  done
  local times
  times=$(python3 "$T/wait.py" "$dir/out/route.txt" "$dir/data/history.db" "$N" $(( history * N * FIELDS )) "$t0" "$LIMIT") || { tail -5 "$dir/hub.log" >&2; fail "run $run (history $history) was short"; }
  c1=$(cpu "$hub")
  for p in "${pubs[@]}"; do wait "$p"; done
  kill "$hub"; wait "$hub" 2>/dev/null || true
  grep -E "dropped|behind|failed" "$dir/hub.log" >&2 || true
  echo "$history $times $(( c1 - c0 ))" >> "$RESULTS"
  echo "bench: run $run history=$history: routed/stored at $times s" >&2
  rm -rf "$dir"
}

for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then run_once "$run" 0; run_once "$run" 1; else run_once "$run" 1; run_once "$run" 0; fi
done

python3 - "$N" "$FIELDS" "$RESULTS" "$RUNS" "$CONFIG" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$PUBLISHERS" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys, datetime
n, fields, path, runs, config, cores, load, publishers, tick = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8], int(sys.argv[9])
rows = [line.split() for line in open(path)]
def fig(values):
    return f"{statistics.median(values):,.0f}/s ({min(values):,.0f}-{max(values):,.0f})"
without = [n / float(r[1]) for r in rows if r[0] == "0"]
with_routed = [n / float(r[1]) for r in rows if r[0] == "1"]
stored = [n * fields / float(r[2]) for r in rows if r[0] == "1"]
cpu = lambda h: statistics.median([int(r[3]) / tick * 1e6 / n for r in rows if r[0] == h])
print("| Run | Routing (messages/s) | History ingest (points/s stored) | Hub CPU per message |")
print("|---|---|---|---|")
print(f"| without [history] | {fig(without)} | - | {cpu('0'):.1f} µs |")
print(f"| with [history] (value = *, {fields} points a message) | {fig(with_routed)} | {fig(stored)} | {cpu('1'):.1f} µs |")
print()
print(f"{n:,} JSON messages, QoS 0, {publishers} mosquitto_pub -l; formatted route to a file target; median (min-max) of {runs} alternating runs; "
      f"{cores} cores, load average {load}, {config} build, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}. "
      "Hub CPU per message: the hub process's user + system CPU from the first publish until everything was routed and stored, "
      "divided by the messages (median): the figure that carries over to a machine with free cores.")
PY
