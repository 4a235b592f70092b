#!/usr/bin/env bash
# Hostile clients against the hub's embedded broker and mosquitto (each with its defaults, a fresh broker per
# scenario), raw sockets from python3: partial packets before CONNECT, random bytes, idle and silent connections,
# big packets, a subscriber that never reads, a publisher that never reads its PUBACKs. Prints a markdown table of
# what each broker did and how much its memory grew; docs/broker.md ("Limits and hostile clients") shows the last run.
#
# Settings (environment):
#   BUILD=1        build the hub (Release) first
#   ONLY=          run only the scenarios whose name contains this text
#   RESULTS_FILE=  also write the table there
# Takes about 5 minutes (the silent-connection scenario waits up to 150 s for each broker to close it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-1}"
ONLY="${ONLY:-}"
RESULTS_FILE="${RESULTS_FILE:-}"
command -v python3 >/dev/null || { echo "broker-abuse.sh: python3 is needed" >&2; exit 1; }
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$MOSQUITTO" ] || { echo "broker-abuse.sh: mosquitto is not installed (run scripts/setup.sh)" >&2; exit 1; }
if [ "$BUILD" = 1 ]; then
  echo "Building the hub (Release)..." >&2
  dotnet build Hub/Hub.csproj -c Release -nologo -v q -clp:NoSummary >&2
fi
table="$(python3 bench/broker-abuse.py --hub-dll artifacts/Release/hub/hub.dll --mosquitto "$MOSQUITTO" ${ONLY:+--only "$ONLY"})"
echo "$table"
[ -z "$RESULTS_FILE" ] || echo "$table" > "$RESULTS_FILE"
