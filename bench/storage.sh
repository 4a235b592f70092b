#!/usr/bin/env bash
# Storage sinks side by side (issue 13 §3): the same VALUES values written, in the same run, through the server's own
# bulk path and through the hub, RUNS times each, alternating which goes first; prints the median and range of each
# figure and of the ratio hub/bulk (throughput), as one table.
#   InfluxDB (Debian's influxd 1.x): one large /write body through curl, vs
#            mosquitto_pub -l → mosquitto → hub run → influxdb sink (default batch: 5,000 points, batch_wait 0).
#   Redis    (Debian's redis-server): redis-cli --pipe of VALUES RPUSH, vs
#            mosquitto_pub -l → mosquitto → hub run → redis sink (rpush, default batch: 1,000 values, batch_wait 0).
# The hub's time runs from the first publish until the server holds every value, so it includes MQTT ingest (QoS 0),
# the broker and the routing. The publisher's own time (mosquitto_pub -l reading a prepared file) is shown beside it:
# when it is close to the hub's time, the publisher was the bottleneck and the figure says so.
# Every run ends with a count of what the server holds (COUNT of the points, LLEN and a checksum of the list): a run
# that stored fewer than VALUES values fails the bench (exit 1); no rate is reported over a partial delivery.
# Each server, mosquitto and the hub run on free loopback ports in a temp directory and are stopped at the end.
# Usage: bench/storage.sh [VALUES (200000)] [CONFIGURATION (Release)] [RUNS (3)]
# Environment: BATCH_SIZE / BATCH_WAIT (the services' batch_size / batch_wait; unset: the plugins' defaults),
# LOGLEVEL (WARN), KEEP_LOG (copy the hub's log there), ONLY (influx or redis: one server only), PROFILE (a file:
# dotnet-trace samples the hub's CPU over the runs into it).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
CONFIG="${2:-Release}"
RUNS="${3:-3}"
[ -x "artifacts/$CONFIG/hub/hub" ] || bash scripts/setup.sh "$CONFIG"
HUB="$PWD/artifacts/$CONFIG/hub/hub"
T="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
[ -n "${KEEP_LOG:-}" ] && trap 'cp "$T/hub.log" "$KEEP_LOG"; cleanup' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
fail() { echo "bench: $*" >&2; exit 1; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds
  local limit="$1" what="$2"; shift 2
  local until=$(( $(date +%s) + limit ))
  while [ "$(date +%s)" -lt "$until" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.02; done
  fail "$what did not happen within $limit s"
}
LIMIT=$(( 60 + N / 500 )) # seconds a run may take: generous for a loaded machine (200,000 values: 460 s)

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
  max-body-size = 0
[monitor]
  store-enabled = false
CONF
influxd run -config "$T/influx/influxdb.conf" > "$T/influx/log" 2>&1 & PIDS+=($!)
INFLUX_PID=$!
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --dir "$T" --daemonize no --logfile "$T/redis.log" & PIDS+=($!)
REDIS_PID=$!
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$MP" > "$T/mosquitto.conf"
mosquitto -c "$T/mosquitto.conf" > "$T/mosquitto.log" 2>&1 & PIDS+=($!)
wait_for 60 "influxd /ping" sh -c "curl -sf -o /dev/null http://127.0.0.1:$IP/ping"
wait_for 60 "redis-server" redis-cli -p "$RP" PING
q() { curl -sf "http://127.0.0.1:$IP/query" --data-urlencode "db=$1" --data-urlencode "q=$2"; }
influx_count() { q "$1" 'SELECT COUNT(v) FROM bench' | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r["series"][0]["values"][0][1] if "series" in r else 0)'; }
influx_has_last() { q viahub "SELECT v FROM bench WHERE time = $((1700000000 + N - 1))s" | grep -q '"values"'; }

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

batching() { [ -n "${BATCH_SIZE:-}" ] && echo "batch_size = $BATCH_SIZE"; [ -n "${BATCH_WAIT:-}" ] && echo "batch_wait = $BATCH_WAIT"; true; }
# The configuration has a folder of its own: hot_reload watches the configuration's folder, and the servers' files,
# the logs and the results beside it would wake it on every write (a reload in the middle of a run).
mkdir -p "$T/config" "$T/state"
cat > "$T/config/hub.ini" <<INI
[defaults]
hostname = '127.0.0.1'
port = $MP
clientid = 'storage-bench'
plugins = '$PWD/artifacts/$CONFIG/hub/plugins'
loglevel = ${LOGLEVEL:-WARN}
state_dir = '$T/state'
launch = influxdb, redis

[config:influxdb]
host = '127.0.0.1'
port = $IP
database = 'viahub'
$(batching)
targets = {'bench': {'measurement': 'bench', 'fields': ['v'], 'time': 't', 'precision': 's', 'topic_tag': False}}

[config:redis]
host = '127.0.0.1'
port = $RP
$(batching)
targets = {'bench': {'command': 'rpush', 'key': 'viahub'}}

[bench/influx]
targets = influxdb:bench

[bench/redis]
targets = redis:bench
INI
"$HUB" run --config "$T/config/hub.ini" > "$T/hub.log" 2>&1 & PIDS+=($!)
HUB_PID=$!
wait_for 120 "the hub's subscription" grep -q "storage-bench" "$T/mosquitto.log"
# The subscription follows the connection: a probe through each route shows both are in place.
q bulk "CREATE DATABASE bulk" >/dev/null; q viahub "CREATE DATABASE viahub" >/dev/null
wait_for 60 "a probe through the hub to redis" sh -c "mosquitto_pub -h 127.0.0.1 -p $MP -t bench/redis -m probe && [ \"\$(redis-cli -p $RP LLEN viahub)\" -gt 0 ]"
wait_for 60 "a probe through the hub to influxdb" sh -c "mosquitto_pub -h 127.0.0.1 -p $MP -t bench/influx -m '{\"v\":1,\"t\":1}' && [ \"\$(curl -sf 'http://127.0.0.1:$IP/query' --data-urlencode db=viahub --data-urlencode 'q=SELECT COUNT(v) FROM bench' | grep -c values)\" -gt 0 ]"

RESULTS="$T/results.tsv" # server path seconds publisher_seconds hub_cpu_seconds server_cpu_seconds
: > "$RESULTS"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # a process's user + system CPU, in clock ticks
TICK=$(getconf CLK_TCK)

influx_bulk() {
  q bulk "DROP MEASUREMENT bench" >/dev/null 2>&1 || true
  local t0 t1 s0 s1; s0=$(cpu $INFLUX_PID); t0=$(now); curl -sf -XPOST "http://127.0.0.1:$IP/write?db=bulk&precision=s" --data-binary "@$T/body.lp"; t1=$(now); s1=$(cpu $INFLUX_PID)
  local stored; stored=$(influx_count bulk); [ "$stored" = "$N" ] || fail "curl wrote $stored of $N points"
  echo "influx bulk $(python3 -c "print($t1 - $t0, 0, 0, ($s1 - $s0) / $TICK)")" >> "$RESULTS"
}
influx_hub() {
  q viahub "DROP MEASUREMENT bench" >/dev/null 2>&1 || true
  local t0 tp t1 c0 c1 s0 s1; c0=$(cpu $HUB_PID); s0=$(cpu $INFLUX_PID); t0=$(now)
  mosquitto_pub -h 127.0.0.1 -p "$MP" -t bench/influx -q 0 -l < "$T/influx.jsonl"; tp=$(now)
  # The sink writes in order: once the last point is there, every point before it is too (counted below). A COUNT
  # every 20 ms would cost influxd more than the writes.
  wait_for "$LIMIT" "$N points through the hub" influx_has_last
  t1=$(now); c1=$(cpu $HUB_PID); s1=$(cpu $INFLUX_PID)
  local stored; stored=$(influx_count viahub); [ "$stored" = "$N" ] || fail "the hub wrote $stored of $N points"
  echo "influx hub $(python3 -c "print($t1 - $t0, $tp - $t0, ($c1 - $c0) / $TICK, ($s1 - $s0) / $TICK)")" >> "$RESULTS"
}
redis_bulk() {
  redis-cli -p "$RP" DEL bench > /dev/null
  local t0 t1 s0 s1; s0=$(cpu $REDIS_PID); t0=$(now); redis-cli -p "$RP" --pipe < "$T/redis.resp" > /dev/null; t1=$(now); s1=$(cpu $REDIS_PID)
  local stored; stored=$(redis-cli -p "$RP" LLEN bench); [ "$stored" = "$N" ] || fail "redis-cli --pipe stored $stored of $N"
  echo "redis bulk $(python3 -c "print($t1 - $t0, 0, 0, ($s1 - $s0) / $TICK)")" >> "$RESULTS"
}
redis_hub() {
  redis-cli -p "$RP" DEL viahub > /dev/null
  local t0 tp t1 c0 c1 s0 s1; c0=$(cpu $HUB_PID); s0=$(cpu $REDIS_PID); t0=$(now)
  mosquitto_pub -h 127.0.0.1 -p "$MP" -t bench/redis -q 0 -l < "$T/redis.txt"; tp=$(now)
  wait_for "$LIMIT" "$N values through the hub" sh -c "[ \"\$(redis-cli -p $RP LLEN viahub)\" -ge $N ]"
  t1=$(now); c1=$(cpu $HUB_PID); s1=$(cpu $REDIS_PID)
  local stored; stored=$(redis-cli -p "$RP" LLEN viahub); [ "$stored" = "$N" ] || fail "the hub stored $stored of $N values"
  [ "$(redis-cli -p "$RP" LRANGE viahub 0 -1 | md5sum)" = "$(md5sum < "$T/redis.txt")" ] || fail "the hub's list differs from the values published"
  echo "redis hub $(python3 -c "print($t1 - $t0, $tp - $t0, ($c1 - $c0) / $TICK, ($s1 - $s0) / $TICK)")" >> "$RESULTS"
}

if [ -n "${PROFILE:-}" ]; then # a CPU sample of the hub over the runs (dotnet-trace on the PATH), written to $PROFILE
  dotnet-trace collect -p "$HUB_PID" --profile dotnet-sampled-thread-time -o "$PROFILE" > "$T/trace.log" 2>&1 & TRACE=$!
  sleep 3
fi
for run in $(seq 1 "$RUNS"); do
  for server in influx redis; do
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$server" ] && continue
    if [ $((run % 2)) = 1 ]; then "${server}_bulk"; "${server}_hub"; else "${server}_hub"; "${server}_bulk"; fi
    echo "bench: run $run/$RUNS $server: $(grep "^$server" "$RESULTS" | tail -2 | tr '\n' ' ')" >&2
  done
done

if [ -n "${PROFILE:-}" ]; then kill -TERM "$TRACE"; wait "$TRACE" || true; fi # dotnet-trace without a terminal ignores SIGINT

python3 - "$N" "$RESULTS" "$RUNS" "$CONFIG" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${BATCH_SIZE:-default}" "${BATCH_WAIT:-0 (default)}" <<'PY'
import statistics, sys, datetime
n, path, runs, config, cores, load, size, wait = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
rows = [line.split() for line in open(path)]
def fig(values, fmt):
    m = statistics.median(values)
    return f"{fmt(m)} ({fmt(min(values))}-{fmt(max(values))})" if len(values) > 1 else fmt(m)
rate = lambda v: f"{v:,.0f}/s"
secs = lambda v: f"{v:.2f} s"
names = {"influx": ("InfluxDB 1.x", "curl /write, one body"), "redis": ("Redis", "redis-cli --pipe, RPUSH")}
print("| Server | Path | Values/s | Publisher alone | Hub CPU | Server CPU | Hub/bulk |")
print("|---|---|---|---|---|---|---|")
for server in ("influx", "redis"):
    bulk = [[float(x) for x in r[2:]] for r in rows if r[0] == server and r[1] == "bulk"]
    hub = [[float(x) for x in r[2:]] for r in rows if r[0] == server and r[1] == "hub"]
    if not bulk or not hub:
        continue
    ratios = [b[0] / h[0] for b, h in zip(bulk, hub)]
    name, bulk_path = names[server]
    print(f"| {name} | {bulk_path} | {fig([n / b[0] for b in bulk], rate)} | - | - | {fig([b[3] for b in bulk], secs)} | 1 |")
    print(f"| {name} | through the hub | {fig([n / h[0] for h in hub], rate)} | {fig([h[1] for h in hub], secs)} | {fig([h[2] for h in hub], secs)}"
          f" | {fig([h[3] for h in hub], secs)} | {fig(ratios, lambda v: f'{v:.2f}x')} |")
print()
print(f"{n:,} values; median (min-max) of {runs} runs alternating which path goes first; batch_size {size}, batch_wait {wait}; "
      f"{cores} cores, load average {load}, {config} build, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%MZ}.")
print("Publisher alone: how long mosquitto_pub -l took to hand every message to mosquitto. Hub CPU, Server CPU: the CPU "
      "seconds (user + system) the hub process and the server process used during the run.")
PY
