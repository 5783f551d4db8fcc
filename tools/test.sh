#!/usr/bin/env bash
# Set up the machine and run every test of h11c:
#   - the whole Bazel test suite built with gcc (-Werror),
#   - the same suite built with clang and ASan+UBSan (-Werror),
#   - the unit tests under valgrind's memcheck (leaks are failures), built
#     with H11C_NO_SIMD so that the portable scanning code is tested too,
#   - the consumer workspace (h11c as an external Bazel dependency),
#   - the format test (tools/check_format.sh),
#   - the fuzzing smoke run: the OSS-Fuzz build script run here for each
#     engine and sanitizer, then every fuzzer for a few seconds (the fuzz
#     corpora are replayed by the Bazel suites above, under ASan+UBSan too).
# Every test binary prints "N passed, N failed"; this script adds them up
# and ends with one such line for the whole run.  Exit status 0 only if
# nothing failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash tools/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

total_pass=0
total_fail=0

# Adds up the "N passed, N failed" lines of the test logs of the last
# `bazel test`; a test whose log has no such line counts as one case.
count_logs() {
  local label=$1 log line p f status
  local testlogs
  testlogs="$(bazel info --config=ci "${@:2}" bazel-testlogs 2>/dev/null)"
  while IFS= read -r log; do
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
    if [ -n "$line" ]; then
      p="${line%% passed*}"
      f="${line#*passed, }"
      f="${f%% failed*}"
    else
      status="$(dirname "$log")/test.xml"
      if grep -q '<failure' "$status" 2>/dev/null; then p=0; f=1; else p=1; f=0; fi
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
  done < <(find -L "$testlogs" -name test.log -newer "$STAMP" 2>/dev/null)
  echo "== $label: running total $total_pass passed, $total_fail failed"
}

run_suite() {
  local label=$1
  shift
  echo "== $label: bazel test $*"
  touch "$STAMP"
  sleep 1
  bazel test --config=ci "$@" //...
  local rc=$?
  # 0: all passed; 3: some tests failed (counted from the logs);
  # anything else: the build or the run itself failed.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "== $label: bazel exited with $rc"
    total_fail=$((total_fail + 1))
  fi
  count_logs "$label" "$@"
}

# Runs a script that ends with "N passed, N failed" and adds its counts
# (a script that prints no such line counts as one failure).
run_counted() {
  local label=$1 log line f
  shift
  echo "== $label: $*"
  log="$(mktemp)"
  "$@" >"$log" 2>&1
  grep -E '^(FAIL|PASS) ' "$log" | grep -v '^PASS ' || true
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
  if [ -n "$line" ]; then
    total_pass=$((total_pass + ${line%% passed*}))
    f="${line#*passed, }"
    total_fail=$((total_fail + ${f%% failed*}))
  else
    tail -n 20 "$log"
    total_fail=$((total_fail + 1))
  fi
  rm -f "$log"
  echo "== $label: running total $total_pass passed, $total_fail failed"
}

STAMP="$(mktemp)"
trap 'rm -f "$STAMP"' EXIT

# The habits: C formatted by .clang-format.
run_counted "format" bash tools/check_format.sh

run_suite "gcc"
run_suite "clang asan+ubsan" --config=asan
run_suite "valgrind memcheck" --config=valgrind --test_tag_filters=unit

# The Python binding: h11's tests, its own suite, the differential test
# (a short run), uvicorn/hypercorn/httpx end to end, memory; then the
# same once more with the extension built with ASan+UBSan.
run_counted "python binding" bash python/tests/run.sh
run_counted "python binding, asan+ubsan" bash python/tests/run_asan.sh

run_counted "fuzzing smoke run" \
  bash tools/oss-fuzz/run_local.sh --time "${H11C_FUZZ_SMOKE_SECONDS:-10}"

echo "== consumer workspace"
if bash tests/consumer/run.sh; then
  total_pass=$((total_pass + 1))
else
  total_fail=$((total_fail + 1))
fi

bazel shutdown >/dev/null 2>&1 || true
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
