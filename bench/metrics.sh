#!/usr/bin/env bash
# The cost of the [web] endpoint: the formatted QoS 0 route of bench/run.sh, the hub without [web] and with /metrics
# scraped every second, alternating runs. Extra arguments go to the bench (--metrics-messages N, --metrics-runs N).
# Writes bench/metrics-results.md (bench/results.md stays the full run's).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash bench/run.sh --scenarios metrics --out bench/metrics-results.md "$@"
