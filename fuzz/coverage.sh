#!/usr/bin/env bash
# Line and branch coverage of lib/ reached by the fuzz corpora plus the unit
# tests, with clang's source-based coverage.
#
#   fuzz/coverage.sh [--corpus-only | --tests-only] [--html] [--check]
#
# Builds every fuzz target with the replay main (fuzz/build.sh coverage)
# and every unit test (tests/h11c_*_test.c, built here with clang-14 and
# the same flags), replays corpus/<target>/ through each target, runs each
# unit test, merges the profiles and prints a per-file report of lib/:
# lines and branches covered.  --html also writes an annotated report to
# out/coverage/html/.  --check exits with 1 when lib/ is below 95% of
# lines or 90% of branches.  Work files: out/coverage/.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/out/coverage"
CFLAGS=(-O0 -g -fprofile-instr-generate -fcoverage-mapping)
LINE_MIN=95
BRANCH_MIN=90

corpus=1 tests=1 html=0 check=0
for arg in "$@"; do
  case "$arg" in
    --corpus-only) tests=0 ;;
    --tests-only) corpus=0 ;;
    --html) html=1 ;;
    --check) check=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "coverage: unknown option $arg" >&2; exit 2 ;;
  esac
done

rm -rf "$OUT"
mkdir -p "$OUT/prof" "$OUT/bin"
objects=()

if [ "$corpus" -eq 1 ]; then
  FUZZ_OUT="$OUT/fuzz" bash fuzz/build.sh coverage >"$OUT/build.log" 2>&1 ||
    { cat "$OUT/build.log"; exit 1; }
  for t in fuzz_server fuzz_client fuzz_roundtrip fuzz_api fuzz_llhttp; do
    bin="$OUT/fuzz/coverage/$t"
    [ -x "$bin" ] || { echo "coverage: $t was not built" >&2; continue; }
    # One child per input; "%m" merges every child's counters into one
    # file per binary.
    LLVM_PROFILE_FILE="$OUT/prof/$t-%m.profraw" "$bin" --timeout=60 \
      "corpus/$t" >"$OUT/$t.log" 2>&1
    echo "corpus/$t: $(tail -n 1 "$OUT/$t.log")"
    objects+=("$bin")
  done
fi

if [ "$tests" -eq 1 ]; then
  for src in tests/h11c_*_test.c; do
    name=$(basename "$src" .c)
    bin="$OUT/bin/$name"
    if ! clang-14 -std=c11 "${CFLAGS[@]}" -I"$ROOT/lib" -I"$ROOT/tests" \
         "$ROOT/$src" "$ROOT/tests/h11c_test_util.c" "$ROOT/tests/strbuf.c" \
         "$ROOT"/lib/h11c_*.c \
         -o "$bin" >"$OUT/$name.build.log" 2>&1; then
      echo "$name: does not build here, skipped (see $OUT/$name.build.log)"
      continue
    fi
    (cd "$OUT" && LLVM_PROFILE_FILE="$OUT/prof/$name-%m.profraw" "$bin") \
      >"$OUT/$name.log" 2>&1
    echo "$name: $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/$name.log" | tail -n 1)"
    objects+=("$bin")
  done
fi

[ "${#objects[@]}" -gt 0 ] || { echo "coverage: nothing ran" >&2; exit 1; }
llvm-profdata-14 merge -sparse "$OUT"/prof/*.profraw -o "$OUT/all.profdata" ||
  exit 1

args=(-instr-profile="$OUT/all.profdata" "${objects[0]}")
for o in "${objects[@]:1}"; do args+=(-object "$o"); done
echo
llvm-cov-14 report "${args[@]}" -show-region-summary=false \
  -show-branch-summary=true \
  "$ROOT"/lib/*.c "$ROOT"/lib/*.h | sed "s|$ROOT/||" | tee "$OUT/report.txt"

if [ "$html" -eq 1 ]; then
  llvm-cov-14 show "${args[@]}" -format=html -show-branches=count \
    -output-dir="$OUT/html" "$ROOT"/lib/*.c "$ROOT"/lib/*.h
  echo "html report: $OUT/html/index.html"
fi

# TOTAL line: ... Lines Missed Cover Branches Missed Cover
read -r line_cov branch_cov < <(awk '/^TOTAL/ {print $(NF-3), $NF}' "$OUT/report.txt" |
                                 tr -d '%')
echo
echo "lib/ coverage: lines ${line_cov}%, branches ${branch_cov}% (goal: ${LINE_MIN}% and ${BRANCH_MIN}%)"
if [ "$check" -eq 1 ]; then
  awk -v l="$line_cov" -v b="$branch_cov" -v lm="$LINE_MIN" -v bm="$BRANCH_MIN" \
    'BEGIN {exit !(l >= lm && b >= bm)}' || { echo "coverage below the goal"; exit 1; }
fi
