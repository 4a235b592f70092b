#!/usr/bin/env bash
# The journal's cost (docs/reliability.md), in one script on one disk:
#  1. the journal alone (bench/JournalBench): ITEMS items appended with group commit, then read back in order, against
#     the disk's own sequential write (dd oflag=direct, 1 MB blocks, the same number of bytes), alternating RUNS times;
#  2. end to end (bench/HubBench --scenarios durable): QoS 1 to a file target, durable = false and true, RUNS
#     alternating pairs with the broker's in-flight window at 20 and 1000.
# Writes bench/durable-results.md. Usage: bench/durable.sh [RUNS (5)] [MESSAGES (100000)] [ITEMS (200000)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
messages=${2:-100000}
items=${3:-200000}
[ "${SKIP_SETUP:-}" = 1 ] || bash scripts/setup.sh Release # SKIP_SETUP=1: the Release hub is built already
dotnet build bench/JournalBench -c Release -nologo -v q -clp:NoSummary
dotnet build bench/HubBench -c Release -nologo -v q -clp:NoSummary
# The hub's state goes under the temporary directory (HubBench) too: the same disk for all three.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=bench/durable-results.md
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.0f (%.0f-%.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
ratio() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

: > "$work/dd" ; : > "$work/append" ; : > "$work/replay" ; : > "$work/append-ratio" ; : > "$work/replay-ratio"
: > "$work/append-cpu" ; : > "$work/append-alloc" ; : > "$work/replay-cpu" ; : > "$work/replay-alloc"
for run in $(seq 1 "$runs"); do
  line=$(dotnet bench/JournalBench/bin/Release/net10.0/JournalBench.dll "$work" "$items")
  read -r n bytes append replay peak append_cpu append_alloc replay_cpu replay_alloc <<< "$line"
  mb=$(( (bytes + 1048575) / 1048576 ))
  dd_line=$(LC_ALL=C dd if=/dev/zero of="$work/dd.bin" bs=1M count="$mb" oflag=direct conv=fsync 2>&1 | tail -1)
  rm -f "$work/dd.bin"
  dd_bytes=$(sed -E 's/^([0-9]+) bytes.*/\1/' <<< "$dd_line")
  dd_seconds=$(sed -E 's/.*copied, ([0-9.e+-]+) s,.*/\1/' <<< "$dd_line")
  dd_rate=$(awk -v b="$dd_bytes" -v s="$dd_seconds" 'BEGIN { printf "%.0f", b / s / 1048576 }')
  append_rate=$(awk -v b="$bytes" -v s="$append" 'BEGIN { printf "%.1f", b / s / 1048576 }')
  replay_rate=$(awk -v b="$bytes" -v s="$replay" 'BEGIN { printf "%.1f", b / s / 1048576 }')
  echo "$dd_rate" >> "$work/dd"
  echo "$append_rate" >> "$work/append"
  echo "$replay_rate" >> "$work/replay"
  echo "$append_cpu" >> "$work/append-cpu" ; echo "$append_alloc" >> "$work/append-alloc"
  echo "$replay_cpu" >> "$work/replay-cpu" ; echo "$replay_alloc" >> "$work/replay-alloc"
  awk -v a="$append_rate" -v d="$dd_rate" 'BEGIN { print a / d }' >> "$work/append-ratio"
  awk -v a="$replay_rate" -v d="$dd_rate" 'BEGIN { print a / d }' >> "$work/replay-ratio"
  echo "journal run $run: $n items, $bytes bytes ($(( bytes / n )) per record); append ${append}s = ${append_rate} MB/s, replay ${replay}s = ${replay_rate} MB/s, peak heap during replay $(( peak / 1048576 )) MB; per item: append ${append_cpu} µs CPU, ${append_alloc} B allocated, replay ${replay_cpu} µs CPU, ${replay_alloc} B allocated; dd oflag=direct ${dd_rate} MB/s"
done

{
  echo "Machine: $(nproc) CPUs, $(uname -r), disk of $(df --output=source "$work" | tail -1) ($(df --output=fstype "$work" 2>/dev/null | tail -1)). $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo ""
  echo "| Journal alone, $items items of $(( bytes / n )) bytes, median of $runs alternating runs (range) | MB/s | / dd oflag=direct | CPU µs per item (all threads) | bytes allocated per item |"
  echo "|---|---|---|---|---|"
  echo "| dd if=/dev/zero bs=1M oflag=direct conv=fsync (the disk's sequential write) | $(median < "$work/dd") | 1 | | |"
  echo "| append (group commit, 1,000 in flight) | $(median < "$work/append") | $(ratio < "$work/append-ratio") | $(ratio < "$work/append-cpu") | $(median < "$work/append-alloc") |"
  echo "| replay (open, then read everything back in order) | $(median < "$work/replay") | $(ratio < "$work/replay-ratio") | $(ratio < "$work/replay-cpu") | $(median < "$work/replay-alloc") |"
  echo ""
  echo "| End to end | durable = false | durable = true | true / false |"
  echo "|---|---|---|---|"
} > "$out"
dotnet bench/HubBench/bin/Release/net10.0/HubBench.dll --scenarios durable --durable-runs "$runs" --messages "$messages" --out "$work/hub.md"
grep -E '^\| (.*durable = false|the same, the hub)' "$work/hub.md" >> "$out"
cat "$out"
