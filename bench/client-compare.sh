#!/usr/bin/env bash
# MQTT client comparison behind docs/decisions.md ("MQTT client"): the same minimal subscriber (parse a ~60-byte
# JSON payload, write one formatted line to a file) on MQTTnet and on Hub's own client, next to a plain
# mosquitto_sub, all on one mosquitto on loopback. Runs are interleaved (mosquitto_sub, MQTTnet, Hub, then again),
# RUNS times per QoS; prints median and range of each, and the ratio of the medians against mosquitto_sub.
# A run counts only when every message arrived (lines in the output file = COUNT); otherwise it is reported as
# partial and left out of the figures.
#   bench/client-compare.sh [COUNT=100000] [RUNS=3] [QOS LIST="0 1"]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
RUNS=${2:-3}
QOS_LIST=${3:-"0 1"}
for tool in mosquitto mosquitto_sub python3 stdbuf; do
    command -v "$tool" >/dev/null || { echo "client-compare: $tool is needed (bash scripts/setup.sh installs it)"; exit 1; }
done

dotnet build bench/ClientCompare/MqttNetSub -c Release -nologo -v q -clp:NoSummary
dotnet build bench/ClientCompare/HubSub -c Release -nologo -v q -clp:NoSummary
MQTTNET_SUB=bench/ClientCompare/MqttNetSub/bin/Release/net10.0/MqttNetSub.dll
HUB_SUB=bench/ClientCompare/HubSub/bin/Release/net10.0/HubSub.dll

WORK=$(mktemp -d /tmp/client-compare.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# mosquitto's defaults (max_inflight_messages 20), except an unlimited queue: no message may be dropped.
cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
max_queued_messages 0
log_dest stdout
log_type subscribe
CONF
# Line-buffered, so that the script sees each subscription in the log as it happens.
stdbuf -oL mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
BROKER=$!
trap 'kill $BROKER 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Polls COMMAND until it succeeds, up to 30 s.
wait_for() {
    for _ in $(seq 600); do
        if eval "$1"; then return 0; fi
        sleep 0.05
    done
    echo "client-compare: timed out waiting for: $1" >&2
    return 1
}
wait_for "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $PORT)).close()' 2>/dev/null"

# One run: prints "RATE" (messages/s) or "partial N".
run_once() {
    local client=$1 qos=$2 id="cc-$1-q$2-$RANDOM$RANDOM" out="$WORK/out.txt" status="$WORK/status.txt"
    rm -f "$out" "$status"
    case $client in
        mosquitto_sub) mosquitto_sub -h 127.0.0.1 -p "$PORT" -i "$id" -t bench/compare -q "$qos" -C "$COUNT" -W 300 > "$out" & ;;
        mqttnet) dotnet "$MQTTNET_SUB" "$PORT" "$qos" "$COUNT" "$out" "$id" > "$status" & ;;
        hub) dotnet "$HUB_SUB" "$PORT" "$qos" "$COUNT" "$out" "$id" > "$status" & ;;
    esac
    local sub=$!
    wait_for "grep -q '$id $qos bench/compare' '$WORK/mosquitto.log'" || { kill "$sub"; echo "no-subscription"; return; }
    local start
    start=$(python3 bench/ClientCompare/publish.py "$PORT" "$qos" "$COUNT")
    wait "$sub" || true
    local end
    end=$(date +%s%N)
    if [[ -s "$status" ]] && grep -q '^done [1-9]' "$status"; then end=$(awk '/^done/ {print $2}' "$status"); fi
    local lines
    lines=$(wc -l < "$out")
    if [[ "$lines" -ne "$COUNT" ]]; then echo "partial $lines"; return; fi
    python3 -c "print(round($COUNT / (($end - $start) / 1e9)))"
}

RESULTS="$WORK/results.txt"
: > "$RESULTS"
for qos in $QOS_LIST; do
    for run in $(seq "$RUNS"); do
        for client in mosquitto_sub mqttnet hub; do
            result=$(run_once "$client" "$qos")
            echo "qos $qos run $run $client: $result"
            echo "$qos $client $result" >> "$RESULTS"
        done
    done
done

python3 - "$RESULTS" "$COUNT" "$RUNS" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
count, runs = sys.argv[2], sys.argv[3]
print(f"\n{count} messages per run, {runs} interleaved runs per client and QoS; msg/s, median (range); ratio of medians to mosquitto_sub\n")
print("| QoS | client | median msg/s | range msg/s | ratio | complete runs |")
print("|---|---|---|---|---|---|")
for qos in sorted({r[0] for r in rows}):
    medians = {}
    for client in ("mosquitto_sub", "mqttnet", "hub"):
        mine = [r for r in rows if r[0] == qos and r[1] == client]
        rates = [int(r[2]) for r in mine if r[2] != "partial"]
        medians[client] = statistics.median(rates) if rates else None
        base = medians["mosquitto_sub"]
        if rates:
            ratio = f"{medians[client] / base:.2f}x" if base else "-"
            print(f"| {qos} | {client} | {medians[client]:,.0f} | {min(rates):,}-{max(rates):,} | {ratio} | {len(rates)} of {len(mine)} |")
        else:
            print(f"| {qos} | {client} | - | - | - | 0 of {len(mine)} |")
PY
