#!/usr/bin/env bash
# CPU time and allocated bytes per message of the hub on the formatted route (format = {sensor} {temp} {seq} {ts} to a
# file target), for one or more hub builds, alternating: figures that a busy machine does not blur the way it blurs
# msg/s. Usage: bench/cpu.sh [--messages N] [--rounds N] [--qos 0|1] [--defaults 'KEY = VALUE'] HUB_DIR [HUB_DIR...]
# (HUB_DIR: a hub build's folder, e.g. artifacts/Release/hub or a copy of an older build; HUB_DIR,VAR=VALUE,... runs
# it with those environment variables, e.g. artifacts/Release/hub,DOTNET_TieredCompilation=0). For each round and each hub:
# one mosquitto (no queue limit), the hub started and connected, N messages from mosquitto_pub -l, every line waited for;
# the hub's user+sys CPU time over the burst (from /proc/PID/stat), its peak RSS (VmHWM), and its allocated bytes over the burst
# (GC.GetTotalAllocatedBytes via dotnet-counters' System.Runtime dotnet.gc.heap.total_allocated) divided by N.
# dotnet-counters: `dotnet tool install dotnet-counters --tool-path /tmp/speedtools` (or DOTNET_COUNTERS=path).
# Prints one line per run and the median per hub. docs/speed.md explains.
set -euo pipefail
messages=200000
rounds=3
qos=0
extra_defaults=""
hubs=()
while (($#)); do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --qos) qos=$2; shift 2 ;;
    --defaults) extra_defaults=$2; shift 2 ;; # extra [defaults] lines, e.g. 'queue_size = 1000'

    *) hubs+=("$(cd "${1%%,*}" && pwd)$([[ $1 == *,* ]] && echo ",${1#*,}" || true)"); shift ;;
  esac
done
((${#hubs[@]})) || { echo "usage: bench/cpu.sh [--messages N] [--rounds N] [--qos 0|1] HUB_DIR [HUB_DIR...]" >&2; exit 2; }
counters=${DOTNET_COUNTERS:-$(command -v dotnet-counters || echo /tmp/speedtools/dotnet-counters)}
[[ -x $counters ]] || { echo "bench/cpu.sh: dotnet-counters not found (see the script's header)" >&2; exit 2; }
work=$(mktemp -d /tmp/hub-cpu-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
python3 - "$messages" > "$work/payloads" <<'EOF'
import sys
for i in range(1, int(sys.argv[1]) + 1):
    print('{"seq":%7d,"sensor":"rack-07","temp":%.1f,"ts":1765100000}' % (i, 15 + i % 100 / 10))
EOF
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# dotnet-counters writes the file when it stops; total_allocated is an increment per interval: sum those after $2.
allocated() { awk -F, -v from="$2" '/total_allocated/ && $1 > from {v += $NF} END {print v + 0}' "$1"; }
declare -A cpu_results alloc_results rss_results
for ((round = 1; round <= rounds; round++)); do
  for i in "${!hubs[@]}"; do
    hub=${hubs[$i]%%,*}
    settings=(); [[ ${hubs[$i]} == *,* ]] && IFS=, read -ra settings <<< "${hubs[$i]#*,}"
    tag="$round-$i"
    # The output apart from the configuration: hot_reload watches the configuration's folder (docs/speed.md).
    mkdir -p "$work/out"; out="$work/out/out-$tag.txt"; : > "$out"
    cat > "$work/hub-$tag.ini" <<EOF
[defaults]
hostname = '127.0.0.1'
port = $port
clientid = 'cpu-hub-$tag'
cleansession = True
lwt = None
loglevel = WARNING
launch = file
state_dir = '$work/state-$tag'
$extra_defaults

[config:file]
append_newline = True
targets = { 'out': ['$out'] }

[bench/#]
targets = file:out
qos = $qos
format = {sensor} {temp} {seq} {ts}
EOF
    csv="$work/counters-$tag.csv"
    "$counters" collect --format csv --refresh-interval 1 -o "$csv" --counters 'System.Runtime[dotnet.gc.heap.total_allocated]' \
      -- env "${settings[@]}" "$hub/hub" run --config "$work/hub-$tag.ini" > "$work/counters-$tag.log" 2>&1 &
    cpid=$!
    pid=""
    for _ in $(seq 200); do pid=$(pgrep -P "$cpid" -x hub || true); [[ -n $pid ]] && break; sleep 0.05; done # env execs the hub
    [[ -n $pid ]] || { echo "hub did not start: $(cat "$work/counters-$tag.log")" >&2; exit 1; }
    # Connected and subscribed: a probe message arrives in the file.
    for ((try = 0; ; try++)); do
      [[ -s $out ]] && break
      ((try < 300)) || { echo "bench/cpu.sh: the hub did not connect: $(cat "$work/counters-$tag.log")" >&2; exit 1; }
      mosquitto_pub -p "$port" -q 1 -t bench/probe -m '{"seq":0,"sensor":"probe","temp":0,"ts":0}'; sleep 0.2
    done
    sleep 1.2 # one counters sample after the probe
    lines0=$(wc -l < "$out")
    cpu0=$(cpu_ticks "$pid"); since=$(date -u +'%m/%d/%Y %H:%M:%S')
    t0=$(date +%s.%N)
    mosquitto_pub -p "$port" -q "$qos" -t bench/x -l < "$work/payloads"
    # Every line, or none for 30 s: then the run lost messages (a broker drop, a hub bug) and its figures mean nothing.
    last=-1; still=0
    while (( (now = $(wc -l < "$out")) < lines0 + messages )); do
      if ((now == last)); then ((++still > 600)) && { echo "bench/cpu.sh: MISSING MESSAGES: $((now - lines0)) of $messages arrived (${hubs[$i]})" >&2; exit 1; }; else still=0; last=$now; fi
      sleep 0.05
    done
    rate=$(awk -v a="$t0" -v b="$(date +%s.%N)" -v n="$messages" 'BEGIN {printf "%.0f", n / (b - a)}')
    cpu1=$(cpu_ticks "$pid"); rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
    sleep 1.2 # the next counters sample
    kill "$pid" 2>/dev/null || true; wait "$cpid" 2>/dev/null || true
    alloc=$(allocated "$csv" "$since")
    cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$messages" -v c="$clk" 'BEGIN {printf "%.2f", (b - a) / c * 1e6 / n}')
    alloc_b=$(awk -v a="$alloc" -v n="$messages" 'BEGIN {printf "%.0f", a / n}')
    echo "round $round hub $i (${hubs[$i]}): CPU ${cpu_us} us/msg, allocated ${alloc_b} B/msg, peak RSS ${rss} MB, ${rate} msg/s (wall clock: blurred by the load)"
    cpu_results[$i]+="$cpu_us "; alloc_results[$i]+="$alloc_b "; rss_results[$i]+="$rss "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for i in "${!hubs[@]}"; do
  echo "hub $i (${hubs[$i]}): median CPU $(echo "${cpu_results[$i]}" | median) us/msg (${cpu_results[$i]% }), allocated $(echo "${alloc_results[$i]}" | median) B/msg, peak RSS $(echo "${rss_results[$i]}" | median) MB"
done
