#!/usr/bin/env bash
# The rules' figures (docs/rules.md): evaluations/s on one thread (threshold with hysteresis, anomaly detector),
# memory per key (KEYS keys with the anomaly detector) and the detection benchmark on generated series.
# Usage: bench/rules.sh [speed|memory|detect|all] [EVALUATIONS (5000000)] [KEYS (100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/RuleBench/RuleBench.csproj -c Release -nologo -v q -clp:NoSummary
# One core: the figures are per core, and the machine's other core stays free for the GC and the OS.
exec taskset -c 0 dotnet bench/RuleBench/bin/Release/net10.0/RuleBench.dll "${1:-all}" "${2:-5000000}" "${3:-100000}"
