#!/bin/bash -eu
# OSS-Fuzz build script for h11c (also used by fuzz/build.sh for every local
# fuzz build).  It follows the OSS-Fuzz contract: compile with $CC and
# $CFLAGS, link with $CXX and $LIB_FUZZING_ENGINE, put the binaries and
# their <target>_seed_corpus.zip, .dict and .options files in $OUT, keep
# intermediate files in $WORK.
#
#   $SRC/h11c          this repository (H11C_SRC overrides)
#   $SRC/llhttp        llhttp's release sources (src/*.c, include/llhttp.h),
#                      for fuzz_llhttp; LLHTTP_SRC_DIR / LLHTTP_INCLUDE_DIR
#                      override (Debian's node-llhttp: /usr/share/llhttp and
#                      /usr/share/include/llhttp, the sources Bazel's
#                      //third_party:llhttp builds).  Without llhttp,
#                      fuzz_llhttp is skipped.
#
# The targets also compile the parts of the differential harness they use
# (the same as their deps in fuzz/BUILD.bazel): the h11c verdict driver,
# and for fuzz_llhttp the llhttp oracle, the rule engine and the built-in
# list of expected quirks (diff/compare/peer_quirks.json, made into C the
# way diff/embed.bzl does).
#
# Optional: FUZZ_TARGETS="fuzz_server fuzz_client" builds a subset;
# FUZZ_NO_ZIP=1 skips the seed corpus archives; FUZZ_EXTRA_CFLAGS is
# appended to CFLAGS for the targets only.

SRC=${SRC:?}
OUT=${OUT:?}
WORK=${WORK:?}
CC=${CC:-clang}
CXX=${CXX:-clang++}
CFLAGS=${CFLAGS:-}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:?}
H11C_SRC=${H11C_SRC:-$SRC/h11c}
LLHTTP_SRC_DIR=${LLHTTP_SRC_DIR:-$SRC/llhttp/src}
LLHTTP_INCLUDE_DIR=${LLHTTP_INCLUDE_DIR:-$SRC/llhttp/include}
ALL_TARGETS="fuzz_server fuzz_client fuzz_roundtrip fuzz_api fuzz_llhttp"
FUZZ_TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
FUZZ_EXTRA_CFLAGS=${FUZZ_EXTRA_CFLAGS:-}

mkdir -p "$OUT" "$WORK/h11c" "$WORK/llhttp"

# Extra sources of each target besides fuzz/<target>.c, relative to the
# repository; $WORK/<name>.c are generated below.
HARNESS_VERDICT="diff/model/verdict.c diff/model/json.c diff/oracles/h11c.c"
HARNESS_LLHTTP="$HARNESS_VERDICT diff/model/json_read.c diff/oracles/llhttp.c
  diff/oracles/callbacks.c diff/compare/compare.c diff/compare/rules.c"
target_sources() {
  case "$1" in
    fuzz_server|fuzz_client)
      echo "fuzz/fuzz_receive.c fuzz/fuzz_common.c $HARNESS_VERDICT" ;;
    fuzz_llhttp)
      echo "fuzz/fuzz_common.c $HARNESS_LLHTTP"
      echo "$WORK/known_differences_embed.c $WORK/peer_quirks_embed.c" ;;
    *) echo "fuzz/fuzz_common.c" ;;
  esac
}

# A file's bytes as the NUL-terminated C array SYMBOL (diff/embed.bzl).
embed_c() {
  local src=$1 symbol=$2 out=$3
  {
    echo "/* Generated from $src. */"
    echo "extern const char $symbol[];"
    echo "const char $symbol[] = {"
    od -An -v -tx1 "$src" | sed -e 's/\([0-9a-f][0-9a-f]\)/(char)0x\1,/g'
    echo "0x00};"
  } >"$out"
}
embed_c "$H11C_SRC/diff/compare/known_differences.json" known_differences_json \
  "$WORK/known_differences_embed.c"
embed_c "$H11C_SRC/diff/compare/peer_quirks.json" peer_quirks_json \
  "$WORK/peer_quirks_embed.c"

# The library.
lib_objs=()
for src in "$H11C_SRC"/lib/h11c_*.c; do
  obj="$WORK/h11c/$(basename "$src" .c).o"
  # shellcheck disable=SC2086
  $CC $CFLAGS -std=c11 -I"$H11C_SRC/lib" -c "$src" -o "$obj"
  lib_objs+=("$obj")
done
ar rcs "$WORK/libh11c.a" "${lib_objs[@]}"

# llhttp, if its sources are there.
have_llhttp=0
if [ -f "$LLHTTP_SRC_DIR/llhttp.c" ] && [ -f "$LLHTTP_INCLUDE_DIR/llhttp.h" ]; then
  ll_objs=()
  for src in "$LLHTTP_SRC_DIR"/api.c "$LLHTTP_SRC_DIR"/http.c "$LLHTTP_SRC_DIR"/llhttp.c; do
    obj="$WORK/llhttp/$(basename "$src" .c).o"
    # shellcheck disable=SC2086
    $CC $CFLAGS -w -I"$LLHTTP_INCLUDE_DIR" -c "$src" -o "$obj"
    ll_objs+=("$obj")
  done
  ar rcs "$WORK/libllhttp.a" "${ll_objs[@]}"
  have_llhttp=1
fi

for target in $FUZZ_TARGETS; do
  extra=()
  libs=("$WORK/libh11c.a")
  if [ "$target" = fuzz_llhttp ]; then
    if [ "$have_llhttp" -ne 1 ]; then
      echo "build.sh: no llhttp sources in $LLHTTP_SRC_DIR; skipping fuzz_llhttp" >&2
      continue
    fi
    extra=(-I"$LLHTTP_INCLUDE_DIR")
    libs+=("$WORK/libllhttp.a")
  fi
  objs=()
  for src in "fuzz/$target.c" $(target_sources "$target"); do
    case "$src" in
      /*) ;;
      *) src="$H11C_SRC/$src" ;;
    esac
    obj="$WORK/${target}_$(basename "$(dirname "$src")")_$(basename "$src" .c).o"
    # shellcheck disable=SC2086
    $CC $CFLAGS $FUZZ_EXTRA_CFLAGS -std=c11 -I"$H11C_SRC/lib" -I"$H11C_SRC/fuzz" \
      -I"$H11C_SRC" "${extra[@]}" -c "$src" -o "$obj"
    objs+=("$obj")
  done
  # shellcheck disable=SC2086
  $CXX $CFLAGS "${objs[@]}" "${libs[@]}" $LIB_FUZZING_ENGINE -o "$OUT/$target"

  cp "$H11C_SRC/fuzz/http.dict" "$OUT/$target.dict"
  cp "$H11C_SRC/fuzz/$target.options" "$OUT/$target.options"
  if [ -z "${FUZZ_NO_ZIP:-}" ] && [ -d "$H11C_SRC/corpus/$target" ]; then
    # Every file of corpus/<target>/ (seeds, regressions, generated); the
    # names are content hashes, so copies in two folders collapse.
    rm -rf "$WORK/seeds_$target" "$OUT/${target}_seed_corpus.zip"
    mkdir -p "$WORK/seeds_$target"
    find "$H11C_SRC/corpus/$target" -type f ! -name '.*' \
      -exec cp {} "$WORK/seeds_$target/" \;
    (cd "$WORK/seeds_$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
done
