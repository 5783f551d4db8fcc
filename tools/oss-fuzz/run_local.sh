#!/usr/bin/env bash
# Runs the OSS-Fuzz build script here, without Docker, with the environment
# OSS-Fuzz's base-builder image gives it ($CC, $CXX, $CFLAGS, $CXXFLAGS,
# $LIB_FUZZING_ENGINE, $SANITIZER, $SRC, $OUT, $WORK), for each engine and
# sanitizer OSS-Fuzz would build h11c with; checks what it produced (every
# target with its seed corpus, dictionary and options) and runs every
# fuzzer briefly, as `infra/helper.py run_fuzzer` would.
#
#   tools/oss-fuzz/run_local.sh [--time SECONDS] [--avoid-open-findings]
#                               [CONFIG...]
#
# CONFIG: libfuzzer-address libfuzzer-undefined libfuzzer-memory
# afl-address (default: all four).  --time is how long each fuzzer runs
# (default 10).  Output under out/oss-fuzz/<config>/{src,out,work}.  Ends
# with "N passed, N failed" (one case per build and per fuzzer run).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

secs=10
extra=""
configs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) secs=$2; shift ;;
    --avoid-open-findings) extra="-DFUZZ_AVOID_OPEN_FINDINGS=1" ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) configs+=("$1") ;;
  esac
  shift
done
[ "${#configs[@]}" -gt 0 ] ||
  configs=(libfuzzer-address libfuzzer-undefined libfuzzer-memory afl-address)

TARGETS=(fuzz_server fuzz_client fuzz_roundtrip fuzz_api fuzz_llhttp)
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "PASS $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# infra/base-images/base-builder and base-clang: the flags per sanitizer.
sanitizer_flags() {
  case "$1" in
    address) echo "-fsanitize=address -fsanitize-address-use-after-scope" ;;
    undefined) echo "-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr" ;;
    memory) echo "-fsanitize=memory -fsanitize-memory-track-origins" ;;
  esac
}

run_config() {
  local config=$1 engine sanitizer base
  engine=${config%%-*}
  sanitizer=${config#*-}
  base="$ROOT/out/oss-fuzz/$config"
  rm -rf "$base"
  mkdir -p "$base/src/llhttp" "$base/out" "$base/work"
  # $SRC as the Dockerfile lays it out: the repository and llhttp's
  # sources (Debian's node-llhttp here).
  ln -s "$ROOT" "$base/src/h11c"
  ln -s /usr/share/llhttp "$base/src/llhttp/src"
  ln -s /usr/share/include/llhttp "$base/src/llhttp/include"

  local cflags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(sanitizer_flags "$sanitizer")"
  local -a env_vars=(SANITIZER="$sanitizer" FUZZING_ENGINE="$engine"
    ARCHITECTURE=x86_64 SRC="$base/src" OUT="$base/out" WORK="$base/work"
    FUZZ_EXTRA_CFLAGS="$extra")
  if [ "$engine" = libfuzzer ]; then
    cflags="$cflags -fsanitize=fuzzer-no-link"
    env_vars+=(CC=clang-14 CXX=clang++-14 LIB_FUZZING_ENGINE=-fsanitize=fuzzer)
  else
    env_vars+=(CC=afl-clang-fast CXX=afl-clang-fast++ AFL_QUIET=1
      LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a)
  fi
  env_vars+=(CFLAGS="$cflags" CXXFLAGS="$cflags")

  echo "== $config: build.sh"
  if (cd "$base/src/h11c" && env "${env_vars[@]}" bash -eu "$ROOT/tools/oss-fuzz/build.sh") \
       >"$base/build.log" 2>&1; then
    ok "$config build"
  else
    tail -n 20 "$base/build.log"
    bad "$config build (log: $base/build.log)"
    return
  fi

  local t
  for t in "${TARGETS[@]}"; do
    local out="$base/out"
    if [ ! -x "$out/$t" ] || [ ! -f "$out/${t}_seed_corpus.zip" ] ||
       [ ! -f "$out/$t.dict" ] || [ ! -f "$out/$t.options" ]; then
      bad "$config $t: missing binary, seed corpus, dictionary or options"
      continue
    fi
    local corpus="$base/work/run_$t"
    rm -rf "$corpus"
    mkdir -p "$corpus/seeds"
    unzip -q -o "$out/${t}_seed_corpus.zip" -d "$corpus/seeds"
    local maxlen
    maxlen=$(sed -n 's/^max_len *= *//p' "$out/$t.options")
    if [ "$engine" = libfuzzer ]; then
      if (cd "$corpus" && UBSAN_OPTIONS=silence_unsigned_overflow=1:print_stacktrace=1 "$out/$t" -max_total_time="$secs" -timeout=25 \
            -rss_limit_mb=2560 -max_len="$maxlen" -dict="$out/$t.dict" \
            -print_final_stats=1 seeds) >"$corpus/run.log" 2>&1; then
        ok "$config $t: $(grep -a 'stat::number_of_executed_units' "$corpus/run.log" |
               awk '{print $2}') execs in ${secs}s"
      else
        grep -a -m3 -E 'h11c-fuzz== |ERROR: |runtime error' "$corpus/run.log"
        bad "$config $t (log: $corpus/run.log)"
      fi
    else
      AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
        AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
        afl-fuzz -i "$corpus/seeds" -o "$corpus/afl" -V "$secs" -m none \
        -t 10000 -x "$out/$t.dict" -G "$maxlen" -- "$out/$t" \
        >"$corpus/run.log" 2>&1
      local st="$corpus/afl/default/fuzzer_stats" crashes
      crashes=$(sed -n 's/^saved_crashes *: //p' "$st" 2>/dev/null)
      if [ -f "$st" ] && [ "${crashes:-1}" = 0 ]; then
        ok "$config $t: $(sed -n 's/^execs_done *: //p' "$st") execs in ${secs}s"
      else
        tail -n 5 "$corpus/run.log"
        bad "$config $t (crashes: ${crashes:-?}; log: $corpus/run.log)"
      fi
    fi
  done
}

for c in "${configs[@]}"; do
  case "$c" in
    libfuzzer-address|libfuzzer-undefined|libfuzzer-memory|afl-address) run_config "$c" ;;
    *) bad "unknown configuration $c" ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
