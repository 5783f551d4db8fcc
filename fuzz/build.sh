#!/usr/bin/env bash
# Builds the fuzz targets for one or more engines, through the OSS-Fuzz
# build script (tools/oss-fuzz/build.sh) with the environment OSS-Fuzz
# would give it.
#
#   fuzz/build.sh [--avoid-open-findings] [ENGINE...]
#
# ENGINE (default: all but coverage):
#   libfuzzer-asan  clang-14, libFuzzer, AddressSanitizer + UBSan
#   libfuzzer-msan  clang-14, libFuzzer, MemorySanitizer (origins tracked)
#   afl             afl-clang-fast, AFL++ persistent mode (libAFLDriver)
#   afl-cmplog      the same with CMPLOG instrumentation (afl-fuzz -c)
#   afl-asan        AFL++ with AddressSanitizer + UBSan
#   repro           gcc, no engine: fuzz/replay_main.c replays files
#   coverage        clang-14 source-based coverage, replay main
#
# Binaries go to out/fuzz/<ENGINE>/<target> (out/ is ignored by git);
# FUZZ_OUT overrides out/fuzz, FUZZ_TARGETS picks targets.
# --avoid-open-findings builds with FUZZ_AVOID_OPEN_FINDINGS=1 into
# out/fuzz/<ENGINE>-avoid (see fuzz/README.md, "Open findings").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_OUT="${FUZZ_OUT:-$ROOT/out/fuzz}"
ALL_ENGINES=(libfuzzer-asan libfuzzer-msan afl afl-cmplog afl-asan repro)

avoid=0
engines=()
for arg in "$@"; do
  case "$arg" in
    --avoid-open-findings) avoid=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    *) engines+=("$arg") ;;
  esac
done
[ "${#engines[@]}" -gt 0 ] || engines=("${ALL_ENGINES[@]}")

# Debian's llhttp sources (package node-llhttp).
export LLHTTP_SRC_DIR="${LLHTTP_SRC_DIR:-/usr/share/llhttp}"
export LLHTTP_INCLUDE_DIR="${LLHTTP_INCLUDE_DIR:-/usr/share/include/llhttp}"

# OSS-Fuzz's flags (infra/base-images/base-builder): -O1, frame pointers,
# line tables, and the sanitizer flags of the chosen sanitizer.
COMMON="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
ASAN="-fsanitize=address -fsanitize-address-use-after-scope"
UBSAN="-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,pointer-overflow -fno-sanitize-recover=all"
MSAN="-fsanitize=memory -fsanitize-memory-track-origins"

build_one() {
  local engine=$1 dir
  dir="$engine"
  [ "$avoid" -eq 1 ] && dir="$engine-avoid"
  local out="$FUZZ_OUT/$dir" work="$FUZZ_OUT/work/$dir"
  rm -rf "$work"
  mkdir -p "$out" "$work"
  local cc cxx cflags engine_lib
  local -a env_extra=()
  case "$engine" in
    libfuzzer-asan)
      cc=clang-14 cxx=clang++-14
      cflags="$COMMON $ASAN $UBSAN -fsanitize=fuzzer-no-link"
      engine_lib="-fsanitize=fuzzer" ;;
    libfuzzer-msan)
      cc=clang-14 cxx=clang++-14
      cflags="$COMMON $MSAN -fsanitize=fuzzer-no-link"
      engine_lib="-fsanitize=fuzzer" ;;
    afl|afl-cmplog|afl-asan)
      cc=afl-clang-fast cxx=afl-clang-fast++
      cflags="-O2 -g -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
      engine_lib=/usr/lib/afl/libAFLDriver.a
      env_extra=(AFL_QUIET=1)
      [ "$engine" = afl-cmplog ] && env_extra+=(AFL_LLVM_CMPLOG=1)
      [ "$engine" = afl-asan ] && cflags="$cflags $ASAN $UBSAN" ;;
    repro|coverage)
      if [ "$engine" = repro ]; then
        cc=gcc cxx=g++ cflags="-O1 -g"
      else
        cc=clang-14 cxx=clang++-14
        cflags="-O0 -g -fprofile-instr-generate -fcoverage-mapping"
      fi
      # shellcheck disable=SC2086
      $cc $cflags -c "$ROOT/fuzz/replay_main.c" -o "$work/replay_main.o"
      engine_lib="$work/replay_main.o" ;;
    *) echo "build.sh: unknown engine $engine" >&2; return 2 ;;
  esac
  echo "== building $dir -> $out"
  env "${env_extra[@]}" SRC="$ROOT/.." H11C_SRC="$ROOT" OUT="$out" \
    WORK="$work" CC="$cc" CXX="$cxx" CFLAGS="$cflags" \
    LIB_FUZZING_ENGINE="$engine_lib" \
    FUZZ_EXTRA_CFLAGS="$([ "$avoid" -eq 1 ] && echo -DFUZZ_AVOID_OPEN_FINDINGS=1)" \
    FUZZ_NO_ZIP=1 bash "$ROOT/tools/oss-fuzz/build.sh"
}

for e in "${engines[@]}"; do
  build_one "$e"
done
