#!/usr/bin/env bash
# The binding's test suites, each under tools/h11c-as-h11 (so `import h11`
# is the binding): h11's own public-API tests, the binding's pytest suite,
# the differential property test against Debian's h11 (a short run unless
# H11C_HYPOTHESIS_EXAMPLES is set), the end-to-end test with uvicorn,
# hypercorn and httpx, and the memory test.  Ends with "N passed, N
# failed".
#
#   python/tests/run.sh [SUITE...]     suites: h11 own diff e2e memory
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AS="$ROOT/tools/h11c-as-h11"
PY=/usr/bin/python3
T="$ROOT/python/tests"
suites=("$@")
[ "${#suites[@]}" -eq 0 ] && suites=(h11 own diff e2e memory)
pass=0
fail=0

# Adds the counts of a pytest run's summary line ("3 failed, 40 passed").
pytest_counts() {
  local log=$1 line p f e
  line="$(grep -E '(passed|failed|error).* in [0-9.]+s' "$log" | tail -n 1)"
  p="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '^[0-9]+' || true)"
  f="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '^[0-9]+' || true)"
  e="$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '^[0-9]+' || true)"
  [ -z "$line" ] && f=1
  pass=$((pass + ${p:-0}))
  fail=$((fail + ${f:-0} + ${e:-0}))
}

run_pytest() {
  local label=$1 log
  shift
  log="$(mktemp)"
  echo "== python $label"
  (cd "$T" && "$AS" "$PY" -m pytest -p no:cacheprovider -q "$@") >"$log" 2>&1
  grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/FAIL /'
  tail -n 1 "$log"
  pytest_counts "$log"
  rm -f "$log"
}

for s in "${suites[@]}"; do
  case "$s" in
  h11)
    echo "== python h11's tests"
    log="$(mktemp)"
    "$AS" "$PY" "$T/run_h11_tests.py" >"$log" 2>&1
    grep -E '^(FAIL|KNOWN) ' "$log"
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
    if [ -n "$line" ]; then
      pass=$((pass + ${line%% passed*}))
      f="${line#*passed, }"
      fail=$((fail + ${f%% failed*}))
    else
      tail -n 20 "$log"
      fail=$((fail + 1))
    fi
    echo "$line"
    rm -f "$log"
    ;;
  own) run_pytest "own suite" test_binding.py ;;
  diff) run_pytest "differential (hypothesis)" test_differential.py ;;
  e2e) run_pytest "end to end (uvicorn, hypercorn, httpx)" test_e2e.py ;;
  memory) run_pytest "memory" test_memory.py ;;
  *) echo "unknown suite $s" >&2; fail=$((fail + 1)) ;;
  esac
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
