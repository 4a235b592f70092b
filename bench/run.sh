#!/usr/bin/env bash
# End-to-end benchmark: the hub next to a plain mosquitto_sub on the same mosquitto, in one run.
# Writes bench/results.md (bench/speed.sh: the issue 12 §6 set). Extra arguments go to the bench (--messages N, --runs N, --rss-messages N, --scenarios
# qos0,qos1,latency,rss,metrics,durable, --latency-runs N, --idle-poll: see docs/speed.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh Release
command -v stdbuf >/dev/null || { echo "bench: stdbuf (coreutils) is needed"; exit 1; }
dotnet build bench/HubBench -c Release -nologo -v q -clp:NoSummary
dotnet bench/HubBench/bin/Release/net10.0/HubBench.dll "$@"
