#!/usr/bin/env bash
# Broker benchmark: the embedded broker against mosquitto, on the same machine in the same run, with mosquitto's own
# clients as the load generators for both. Cases: fan-in (PUBLISHERS publishers -> 1 subscriber) and fan-out
# (1 publisher -> SUBSCRIBERS subscribers), QoS 0 and 1, small payloads. Prints a markdown table of delivered
# messages per second (median of RUNS runs, the two brokers interleaved) and the ratio. Exit 1 when a run fails or
# times out (a lost message makes a subscriber wait for ever: the timeout reports how many arrived), or when a ratio
# is below MIN_RATIO (if set).
#
# Settings (environment):
#   MESSAGES=100000      messages per case (fan-in: split over the publishers; fan-out: each subscriber gets them all)
#   PAYLOAD_BYTES=32     payload size
#   PUBLISHERS=4 SUBSCRIBERS=4 RUNS=3 QOS="0 1"
#   TIMEOUT=120          seconds per run before it counts as failed
#   MIN_RATIO=           e.g. 0.8: fail when the broker under test reaches less than that share of mosquitto's rate
#   BROKER_CMD=          the broker under test; placeholders: {port}, {config} (a hub.ini with only [broker], written
#                        by this script), {mosquitto_conf} (a mosquitto.conf for that port, to test the script itself:
#                        BROKER_CMD='mosquitto -c {mosquitto_conf}' should give ratios near 1.0)
#                        default: dotnet artifacts/Release/hub/hub.dll run --config {config}
#   MAX_QUEUED_MESSAGES=0 MAX_QUEUED_BYTES=0 MAX_INFLIGHT=20
#                        the queue limits given to BOTH brokers (mosquitto.conf and [broker]; 0 = no maximum in both), so
#                        they compare like with like and no queue limit drops a message during a throughput run (a rate
#                        over a partial delivery means nothing). The hub's only other drop, QoS 0 beyond 64 MiB waiting
#                        for one subscriber, is far above what a case holds (MESSAGES x PAYLOAD_BYTES).
#   HUB_INI_EXTRA=       lines appended to the generated hub.ini
#   BUILD=1              build the hub (Release) first when BROKER_CMD is the default
#   RESULTS_FILE=        also write the table there
set -euo pipefail
cd "$(dirname "$0")/.."

MESSAGES="${MESSAGES:-100000}"
PAYLOAD_BYTES="${PAYLOAD_BYTES:-32}"
PUBLISHERS="${PUBLISHERS:-4}"
SUBSCRIBERS="${SUBSCRIBERS:-4}"
RUNS="${RUNS:-3}"
QOS="${QOS:-0 1}"
TIMEOUT="${TIMEOUT:-120}"
MIN_RATIO="${MIN_RATIO:-}"
DEFAULT_CMD='dotnet artifacts/Release/hub/hub.dll run --config {config}'
BROKER_CMD="${BROKER_CMD:-$DEFAULT_CMD}"
HUB_INI_EXTRA="${HUB_INI_EXTRA:-}"
MAX_QUEUED_MESSAGES="${MAX_QUEUED_MESSAGES:-0}"
MAX_QUEUED_BYTES="${MAX_QUEUED_BYTES:-0}"
MAX_INFLIGHT="${MAX_INFLIGHT:-20}"
BUILD="${BUILD:-1}"
RESULTS_FILE="${RESULTS_FILE:-}"
HOST=127.0.0.1

for tool in mosquitto_pub mosquitto_sub python3 timeout awk; do
  command -v "$tool" >/dev/null || { echo "broker.sh: $tool is needed (run scripts/setup.sh)" >&2; exit 1; }
done
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$MOSQUITTO" ] || { echo "broker.sh: mosquitto is not installed (run scripts/setup.sh)" >&2; exit 1; }
if [ $((MESSAGES % PUBLISHERS)) -ne 0 ]; then
  echo "broker.sh: MESSAGES ($MESSAGES) must be a multiple of PUBLISHERS ($PUBLISHERS)" >&2; exit 1
fi

WORK="$(mktemp -d /tmp/hub-broker-bench.XXXXXX)"
PIDS=()          # every background process this script started; killed by id on exit
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something accepts TCP connections on the port, or fails after 30 s (or when the process died).
wait_for_port() {
  local port=$1 pid=$2 name=$3 log=$4 deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "broker.sh: $name exited at start-up; its output:" >&2; tail -n 30 "$log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "broker.sh: $name does not accept connections on port $port after 30 s; its output:" >&2; tail -n 30 "$log" >&2; exit 1
    fi
    sleep 0.1
  done
}

mosquitto_conf() {  # port file
  {
    [ "$(id -u)" -eq 0 ] && echo "user root"
    echo "listener $1 $HOST"
    echo "allow_anonymous true"
    # The same queue limits as the hub's [broker] below; with a limit of 1000 a slow subscriber loses QoS 1 messages and the run never ends.
    echo "max_queued_messages $MAX_QUEUED_MESSAGES"
    echo "max_queued_bytes $MAX_QUEUED_BYTES"
    echo "max_inflight_messages $MAX_INFLIGHT"
    echo "log_dest stderr"
    echo "log_type error"
  } > "$2"
}

# --- the two brokers -----------------------------------------------------------------------------------------------
if [ "$BROKER_CMD" = "$DEFAULT_CMD" ] && [ "$BUILD" = 1 ]; then
  echo "Building the hub (Release)..." >&2
  dotnet build Hub/Hub.csproj -c Release -nologo -v q -clp:NoSummary >&2
fi

REF_PORT=$(free_port)
mosquitto_conf "$REF_PORT" "$WORK/reference.conf"
"$MOSQUITTO" -c "$WORK/reference.conf" > "$WORK/reference.log" 2>&1 &
PIDS+=($!)
wait_for_port "$REF_PORT" "$!" "mosquitto" "$WORK/reference.log"

SUT_PORT=$(free_port)
mosquitto_conf "$SUT_PORT" "$WORK/sut-mosquitto.conf"
{
  echo "[broker]"
  echo "enabled = True"
  echo "listen = $HOST:$SUT_PORT"
  echo "max_queued_messages = $MAX_QUEUED_MESSAGES"
  echo "max_queued_bytes = $MAX_QUEUED_BYTES"
  echo "max_inflight = $MAX_INFLIGHT"
  [ -n "$HUB_INI_EXTRA" ] && printf '%s\n' "$HUB_INI_EXTRA"
} > "$WORK/hub.ini"
sut_cmd="${BROKER_CMD//\{port\}/$SUT_PORT}"
sut_cmd="${sut_cmd//\{config\}/$WORK/hub.ini}"
sut_cmd="${sut_cmd//\{mosquitto_conf\}/$WORK/sut-mosquitto.conf}"
bash -c "exec $sut_cmd" > "$WORK/sut.log" 2>&1 &
PIDS+=($!)
wait_for_port "$SUT_PORT" "$!" "the broker under test ($sut_cmd)" "$WORK/sut.log"

# --- payloads --------------------------------------------------------------------------------------------------------
make_payloads() {  # count file
  awk -v n="$1" -v size="$PAYLOAD_BYTES" 'BEGIN {
    pad = sprintf("%" size "s", ""); gsub(/ /, "x", pad)
    for (i = 1; i <= n; i++) print substr(i "-" pad, 1, size)
  }' > "$2"
}
# mosquitto_pub -l (2.0.11) disconnects once the PUBACK for the last message id arrives; ids wrap at 65535, so a
# longer input ends early (an earlier message's PUBACK matches). Each publisher therefore sends its lines in chunks,
# one mosquitto_pub connection after the other.
CHUNK_LINES=50000
for shape in fan-in fan-out; do
  count=$MESSAGES; [ $shape = fan-in ] && count=$((MESSAGES / PUBLISHERS))
  mkdir -p "$WORK/$shape"
  make_payloads "$count" "$WORK/$shape.txt"
  split -l $CHUNK_LINES -d -a 4 "$WORK/$shape.txt" "$WORK/$shape/chunk-"
done
# The retained "ready" message is larger than stdio's buffer, so it reaches the subscriber's output file at once
# (while the small payloads after it stay block-buffered): a non-empty file means the subscription is active.
READY_PAYLOAD="$(head -c 8192 /dev/zero | tr '\0' 'r')"

# --- one run ---------------------------------------------------------------------------------------------------------
RUN_ID=0
RESULT=""
# measure PORT SHAPE QOS -> sets RESULT to the rate (messages delivered per second) or "FAIL reason".
# Runs in this shell (not $(...)), so the processes it starts are in PIDS for the exit trap.
measure() {
  local port=$1 shape=$2 qos=$3
  RUN_ID=$((RUN_ID + 1))
  RESULT=""
  local base="bench/$$-$RUN_ID" dir="$WORK/run-$RUN_ID" subs pubs per_sub i
  mkdir -p "$dir"
  if [ "$shape" = fan-in ]; then subs=1; pubs=$PUBLISHERS; else subs=$SUBSCRIBERS; pubs=1; fi
  per_sub=$MESSAGES

  mosquitto_pub -h $HOST -p "$port" -q 1 -r -t "$base/ready" -m "$READY_PAYLOAD" \
    || { RESULT="FAIL cannot publish the ready message"; return; }
  local sub_pids=()
  for ((i = 0; i < subs; i++)); do
    timeout "$TIMEOUT" mosquitto_sub -h $HOST -p "$port" -q "$qos" -t "$base/#" -C $((per_sub + 1)) -i "sub-$$-$RUN_ID-$i" \
      > "$dir/sub-$i.out" 2> "$dir/sub-$i.err" &
    sub_pids+=($!); PIDS+=($!)
  done
  local deadline=$((SECONDS + 30)) ready
  while :; do
    ready=0
    for ((i = 0; i < subs; i++)); do [ -s "$dir/sub-$i.out" ] && ready=$((ready + 1)); done
    [ $ready -eq $subs ] && break
    if [ $SECONDS -ge $deadline ]; then
      kill "${sub_pids[@]}" 2>/dev/null || true
      RESULT="FAIL only $ready of $subs subscribers got the retained ready message in 30 s"; return
    fi
    sleep 0.01
  done

  local start end pub_pids=() failed="" lines received=0
  start=$(now_ns)
  for ((i = 0; i < pubs; i++)); do
    (
      # A client id per chunk: reusing one would make the broker take the session over from the previous
      # connection and drop what it had not read from that socket yet.
      for chunk in "$WORK/$shape"/chunk-*; do
        timeout "$TIMEOUT" mosquitto_pub -h $HOST -p "$port" -q "$qos" -t "$base/data/$i" -l -i "pub-$$-$RUN_ID-$i-${chunk##*-}" < "$chunk" || exit $?
      done
    ) 2> "$dir/pub-$i.err" &
    pub_pids+=($!); PIDS+=($!)
  done
  for pid in "${sub_pids[@]}"; do wait "$pid" || failed="subscriber exit $?"; done
  end=$(now_ns)
  for pid in "${pub_pids[@]}"; do wait "$pid" || failed="${failed:-publisher exit $?}"; done
  mosquitto_pub -h $HOST -p "$port" -q 1 -r -t "$base/ready" -n >/dev/null 2>&1 || true   # clear the retained message

  for ((i = 0; i < subs; i++)); do
    lines=$(wc -l < "$dir/sub-$i.out"); received=$((received + lines - 1))
  done
  if [ -n "$failed" ]; then
    RESULT="FAIL $failed (124 = timeout after ${TIMEOUT}s); received about $received of $((subs * per_sub)) (output is block-buffered) $(cat "$dir"/*.err | head -c 300 | tr '\n' ' ')"
    return
  fi
  RESULT=$(awk -v n=$((subs * per_sub)) -v ns=$((end - start)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
  rm -rf "$dir"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# --- all cases, interleaved ------------------------------------------------------------------------------------------
declare -A REF SUT
CASES=()
for qos in $QOS; do CASES+=("fan-in:$qos" "fan-out:$qos"); done
status=0
for ((run = 1; run <= RUNS; run++)); do
  for c in "${CASES[@]}"; do
    shape=${c%:*}; qos=${c#*:}
    for side in REF SUT; do
      port=$REF_PORT; [ $side = SUT ] && port=$SUT_PORT
      measure "$port" "$shape" "$qos"; result=$RESULT
      echo "run $run $shape QoS $qos $( [ $side = REF ] && echo mosquitto || echo 'under test'): $result" >&2
      if [[ $result == FAIL* ]]; then status=1; result=""; fi
      if [ $side = REF ]; then REF[$c]+="$result "; else SUT[$c]+="$result "; fi
    done
  done
done

describe() {
  local shape=$1 qos=$2
  if [ "$shape" = fan-in ]; then echo "fan-in: $PUBLISHERS publishers -> 1 subscriber, QoS $qos"
  else echo "fan-out: 1 publisher -> $SUBSCRIBERS subscribers, QoS $qos"; fi
}

table() {
  echo "Broker benchmark: $MESSAGES messages per case ($PAYLOAD_BYTES-byte payloads), mosquitto_pub -l / mosquitto_sub -C as clients,"
  echo "median of $RUNS runs; msg/s = messages delivered to all subscribers per second. $(nproc) cores; $(mosquitto_pub --help | sed -n 's/.*version \([0-9.]*\).*/mosquitto \1/p' | head -1)."
  echo "Broker under test: $sut_cmd"
  echo "Both brokers: max_queued_messages $MAX_QUEUED_MESSAGES, max_queued_bytes $MAX_QUEUED_BYTES, max inflight $MAX_INFLIGHT (0 = no maximum)."
  echo
  echo "| Case | mosquitto msg/s | under test msg/s | ratio |"
  echo "|---|---|---|---|"
  local c ref sut ratio
  for c in "${CASES[@]}"; do
    ref=$(printf '%s\n' ${REF[$c]} | median)
    sut=$(printf '%s\n' ${SUT[$c]} | median)
    if [ -n "$ref" ] && [ -n "$sut" ]; then
      ratio=$(awk -v a="$sut" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
      if [ -n "$MIN_RATIO" ] && awk -v r="$ratio" -v m="$MIN_RATIO" 'BEGIN { exit !(r < m) }'; then
        ratio="$ratio (below $MIN_RATIO)"; status=1
      fi
    else
      ratio="failed"
    fi
    echo "| $(describe "${c%:*}" "${c#*:}") | ${ref:-failed} | ${sut:-failed} | $ratio |"
  done
}

table > "$WORK/table.md"
cat "$WORK/table.md"
[ -n "$RESULTS_FILE" ] && cp "$WORK/table.md" "$RESULTS_FILE"
exit $status
