#!/usr/bin/env bash
# Build //diff:fuzz_diff with libFuzzer (clang-14, ASan + UBSan) and run it.
#
#   tools/fuzz_diff.sh [SECONDS] [libFuzzer options...]
#
# Seeds come from corpus/smuggling (each file gets the control byte for its
# role and method: see diff/explore/fuzz_diff.c); the working corpus and any crash
# inputs go to $FUZZ_DIFF_OUT (default /tmp/h11c-fuzz-diff).  Findings
# abort with the input, the class and both verdicts on stderr; replay one
# with  bazel run //diff:fuzz_diff -- --raw FILE  (a plain build).
# H11C_DIFF_FUZZ_FAIL picks the class that counts as a finding (default
# framing-both-accept).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_TO_RUN="${1:-60}"
shift || true
OUT="${FUZZ_DIFF_OUT:-/tmp/h11c-fuzz-diff}"

bazel build --config=asan --platform_suffix=-fuzzdiff \
  --define=h11c_fuzzing_engine=libfuzzer \
  --copt=-fsanitize=fuzzer-no-link //diff:fuzz_diff >&2
bin="$(bazel info --config=asan --platform_suffix=-fuzzdiff bazel-bin 2>/dev/null)/diff/fuzz_diff"

mkdir -p "$OUT/seeds" "$OUT/corpus" "$OUT/artifacts"
# Seeds: control byte (bit 0 role, bits 1-2 method) + the corpus file.
for f in corpus/smuggling/server/*.http corpus/smuggling/client/*.http; do
  base="$(basename "$f")"
  ctl=0
  case "$f" in
    */client/*.HEAD.http) ctl=3 ;;
    */client/*.CONNECT.http) ctl=5 ;;
    */client/*.POST.http) ctl=7 ;;
    */client/*) ctl=1 ;;
  esac
  { printf "\\$(printf '%03o' "$ctl")"; cat "$f"; } >"$OUT/seeds/$base"
done

exec "$bin" -max_total_time="$SECONDS_TO_RUN" -dict=diff/explore/fuzz_diff.dict \
  -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 "$@" \
  "$OUT/corpus" "$OUT/seeds"
