#!/usr/bin/env bash
# Issue 12 §6 in one command: the formatted route (format = {sensor} {temp} {seq} {ts} to a file target) against a plain
# mosquitto_sub writing to a file, same mosquitto (no queue limit), same run. QoS 0 and QoS 1 bursts (alternating runs,
# median and range of the hub / subscriber ratios), p50/p99 latency at 1,000 msg/s, the hub's peak RSS over 1,000,000
# messages, and the cost of the [web] /metrics endpoint scraped every second. Exits 1 if any run lost a message.
# Prints the summary table and writes it to bench/speed-results.md. Extra arguments go to the bench (--runs N,
# --messages N, --latency-runs N, --metrics-runs N, --scenarios qos0,qos1,latency,rss,metrics); docs/speed.md explains.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash bench/run.sh --scenarios qos0,qos1,latency,rss,metrics --messages 200000 --runs 3 --latency-runs 3 --metrics-messages 200000 --metrics-runs 3 --out bench/speed-results.md "$@"
