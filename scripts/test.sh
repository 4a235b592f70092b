#!/usr/bin/env bash
# Runs every test (installing the Debian packages the tests need when missing) and ends with
# one line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-run
rm -rf "$results"; mkdir -p "$results"

if ! bash scripts/setup.sh Debug; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

dotnet test Hub.sln --no-build -nologo --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000 2>&1 | tee "$results/console.log" | grep -Ev '^\s*$|^\s+Passed ' 
status=${PIPESTATUS[0]}

passed=0; failed=0
for trx in "$results"/*.trx "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
