#!/usr/bin/env bash
# Runs the fault tests (Hub.Tests/Reliability) against the real hub, mosquitto and SMTP server, and
# rewrites the figures table of docs/reliability.md (between its FIGURES markers) from what they counted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh Debug
figures=$(mktemp -d)
trap 'rm -rf "$figures"' EXIT
status=0
HUB_RELIABILITY_FIGURES="$figures" dotnet test Hub.Tests --no-build -nologo \
  --filter "FullyQualifiedName~Hub.Tests.Reliability.KillNineTests|FullyQualifiedName~Hub.Tests.Reliability.BrokerRestartTests|FullyQualifiedName~Hub.Tests.Reliability.TargetOutageTests|FullyQualifiedName~Hub.Tests.Reliability.TornJournalTests|FullyQualifiedName~Hub.Tests.Reliability.MemoryUnderOutageTests|FullyQualifiedName~Hub.Tests.Reliability.DurableBacklogTests" \
  || status=$?

[ -s "$figures/figures.tsv" ] || { echo "reliability: no figures were written"; exit 1; }
table=$(mktemp)
{
  echo "| Fault | Target | Sent | Delivered | Duplicated | Lost | Notes |"
  echo "|---|---|---|---|---|---|---|"
  sort "$figures/figures.tsv" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
  echo ""
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(mosquitto -h 2>/dev/null | head -1 | sed 's/ is an MQTT.*//')."
} > "$table"
awk -v table="$table" '
  /<!-- FIGURES START -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- FIGURES END -->/ { skip = 0 }
  !skip { print }
' docs/reliability.md > docs/reliability.md.new && mv docs/reliability.md.new docs/reliability.md
echo "reliability: docs/reliability.md updated ($(wc -l < "$figures/figures.tsv") rows); tests exit status $status"
exit "$status"
