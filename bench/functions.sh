#!/usr/bin/env bash
# User functions on a formatted route (docs/python.md): a plain format string, a C# script function and a Python
# function with the same format, in one run, as ratios. Writes bench/functions-results.md.
# Usage: bench/functions.sh [MESSAGES (200000)]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/FunctionBench/FunctionBench.csproj -c Release -nologo -v q -clp:NoSummary
dotnet bench/FunctionBench/bin/Release/net10.0/FunctionBench.dll "${1:-200000}" bench/functions-results.md
