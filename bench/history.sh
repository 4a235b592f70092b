#!/usr/bin/env bash
# The embedded history's figures (docs/history.md): store and recorder ingest, bytes per raw point,
# a 24 h / 500-point query (p50, p99 of 100), open time with POINTS points.
# Usage: bench/history.sh [POINTS (10000000)]. Ingest while the hub routes: bench/history-routing.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/HistoryBench/HistoryBench.csproj -c Release -nologo -v q -clp:NoSummary
dotnet bench/HistoryBench/bin/Release/net10.0/HistoryBench.dll "${1:-10000000}"
