#!/usr/bin/env bash
# Storage sinks side by side (issue 13 §3): the same 200,000 values written, in the same run, through the hub and
# through the server's own bulk path, and the ratio hub/bulk (throughput).
#   InfluxDB (Debian's influxd 1.6): one large /write body through curl, vs
#            mosquitto_pub -l → mosquitto → hub run → influxdb sink (default batch: 5,000 points, batch_wait 0).
#   Redis    (Debian's redis-server): redis-cli --pipe of 200,000 RPUSH, vs
#            mosquitto_pub -l → mosquitto → hub run → redis sink (rpush, default batch: 1,000 values, batch_wait 0).
# The hub's time runs from the first publish until the server holds every value (polled every 20 ms with curl or redis-cli: nothing heavier, the poll shares the cores), so it includes
# MQTT ingest (QoS 0) and the broker. Each server, mosquitto and the hub run on free loopback ports in a temp
# directory and are stopped at the end. Usage: bench/storage.sh [VALUES (200000)] [CONFIGURATION (Release)]
# Environment: BATCH_WAIT (the services' batch_wait, default 0, the host's default), LOGLEVEL (WARN), KEEP_LOG (copy the hub's log there).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
CONFIG="${2:-Release}"
[ -x "artifacts/$CONFIG/hub/hub" ] || bash scripts/setup.sh "$CONFIG"
HUB="$PWD/artifacts/$CONFIG/hub/hub"
T="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
[ -n "${KEEP_LOG:-}" ] && trap 'cp "$T/hub.log" "$KEEP_LOG"; cleanup' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
wait_for() { # wait_for DESCRIPTION COMMAND...: until COMMAND succeeds (60 s)
  local what="$1"; shift
  for _ in $(seq 1 3000); do "$@" >/dev/null 2>&1 && return 0; sleep 0.02; done
  echo "bench: $what did not happen" >&2; exit 1
}

# The servers.
IP=$(port); RP=$(port); MP=$(port)
mkdir -p "$T/influx"
cat > "$T/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$(port)"
[meta]
  dir = "$T/influx/meta"
[data]
  dir = "$T/influx/data"
  wal-dir = "$T/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$IP"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influxd run -config "$T/influx/influxdb.conf" > "$T/influx/log" 2>&1 & PIDS+=($!)
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --dir "$T" --daemonize no --logfile "$T/redis.log" & PIDS+=($!)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$MP" > "$T/mosquitto.conf"
mosquitto -c "$T/mosquitto.conf" > "$T/mosquitto.log" 2>&1 & PIDS+=($!)
wait_for "influxd /ping" sh -c "curl -sf -o /dev/null http://127.0.0.1:$IP/ping"
wait_for "redis-server" redis-cli -p "$RP" PING
q() { curl -sf "http://127.0.0.1:$IP/query" --data-urlencode "db=$1" --data-urlencode "q=$2"; }
q bulk "CREATE DATABASE bulk" >/dev/null; q viahub "CREATE DATABASE viahub" >/dev/null
influx_count() { q "$1" 'SELECT COUNT(v) FROM bench' | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r["series"][0]["values"][0][1] if "series" in r else 0)'; }

# The same values: v = i + 0.5 at second 1,700,000,000 + i.
python3 - "$N" "$T" <<'PY'
import sys
n, t = int(sys.argv[1]), sys.argv[2]
with open(f"{t}/body.lp", "w") as lp, open(f"{t}/influx.jsonl", "w") as js, open(f"{t}/redis.resp", "wb") as resp, open(f"{t}/redis.txt", "w") as txt:
    for i in range(n):
        v, ts = f"{i}.5", 1_700_000_000 + i
        lp.write(f"bench v={v} {ts}\n")
        js.write(f'{{"v":{v},"t":{ts}}}\n')
        resp.write(b"*3\r\n$5\r\nRPUSH\r\n$5\r\nbench\r\n$%d\r\n%s\r\n" % (len(v), v.encode()))
        txt.write(v + "\n")
PY

cat > "$T/hub.ini" <<INI
[defaults]
hostname = '127.0.0.1'
port = $MP
clientid = 'storage-bench'
plugins = '$PWD/artifacts/$CONFIG/hub/plugins'
loglevel = ${LOGLEVEL:-WARN}
launch = influxdb, redis

[config:influxdb]
host = '127.0.0.1'
port = $IP
database = 'viahub'
batch_wait = ${BATCH_WAIT:-0}
targets = {'bench': {'measurement': 'bench', 'fields': ['v'], 'time': 't', 'precision': 's', 'topic_tag': False}}

[config:redis]
host = '127.0.0.1'
port = $RP
batch_wait = ${BATCH_WAIT:-0}
targets = {'bench': {'command': 'rpush', 'key': 'viahub'}}

[bench/influx]
targets = influxdb:bench

[bench/redis]
targets = redis:bench
INI
"$HUB" run --config "$T/hub.ini" > "$T/hub.log" 2>&1 & PIDS+=($!)
wait_for "the hub's subscription" grep -q "storage-bench" "$T/mosquitto.log"
sleep 1 # the subscription follows the connection

measure() { # measure NAME BULK_SECONDS HUB_SECONDS
  python3 -c "import sys; n=$N; b=float(sys.argv[2]); h=float(sys.argv[3]); print(f'| {sys.argv[1]} | {n:,} | {b:.2f} s ({n/b:,.0f}/s) | {h:.2f} s ({n/h:,.0f}/s) | {b/h:.2f}x |')" "$@"
}

# InfluxDB.
t0=$(now); curl -sf -XPOST "http://127.0.0.1:$IP/write?db=bulk&precision=s" --data-binary "@$T/body.lp"; t1=$(now)
[ "$(influx_count bulk)" = "$N" ] || { echo "bench: curl wrote $(influx_count bulk) of $N points" >&2; exit 1; }
influx_bulk=$(python3 -c "print($t1 - $t0)")
t0=$(now); mosquitto_pub -h 127.0.0.1 -p "$MP" -t bench/influx -q 0 -l < "$T/influx.jsonl"
LAST=$((1700000000 + N - 1))
# The sink writes in order: once the last point is there, every point is (checked below). A COUNT every 20 ms would
# cost influxd more than the writes.
wait_for "$N points through the hub" sh -c "curl -sf 'http://127.0.0.1:$IP/query' --data-urlencode db=viahub --data-urlencode \"q=SELECT v FROM bench WHERE time = ${LAST}s\" | grep -q '\"values\"'"
t1=$(now); influx_hub=$(python3 -c "print($t1 - $t0)")
[ "$(influx_count viahub)" = "$N" ] || { echo "bench: the hub wrote $(influx_count viahub) of $N points" >&2; exit 1; }

# Redis.
t0=$(now); redis-cli -p "$RP" --pipe < "$T/redis.resp" > /dev/null; t1=$(now)
[ "$(redis-cli -p "$RP" LLEN bench)" = "$N" ] || { echo "bench: redis-cli --pipe stored $(redis-cli -p "$RP" LLEN bench) of $N" >&2; exit 1; }
redis_bulk=$(python3 -c "print($t1 - $t0)")
t0=$(now); mosquitto_pub -h 127.0.0.1 -p "$MP" -t bench/redis -q 0 -l < "$T/redis.txt"
wait_for "$N values through the hub" sh -c "[ \"\$(redis-cli -p $RP LLEN viahub)\" = $N ]"
t1=$(now); redis_hub=$(python3 -c "print($t1 - $t0)")
[ "$(redis-cli -p "$RP" LRANGE viahub 0 -1 | md5sum)" = "$(redis-cli -p "$RP" LRANGE bench 0 -1 | md5sum)" ] || { echo "bench: the hub's list differs from the bulk one" >&2; exit 1; }

echo "| Server | Values | Bulk path | Through the hub | Hub/bulk |"
echo "|---|---|---|---|---|"
measure "InfluxDB 1.6 (curl /write, one body)" "$influx_bulk" "$influx_hub"
measure "Redis 7 (redis-cli --pipe, RPUSH)" "$redis_bulk" "$redis_hub"
echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $CONFIG build, $(date -u +%Y-%m-%dT%H:%MZ)"
