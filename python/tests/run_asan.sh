#!/usr/bin/env bash
# python/tests/run.sh once more with the extension (and lib/) built with
# ASan+UBSan by gcc.  The interpreter is not instrumented: libasan is
# preloaded, leak checking is off (the interpreter keeps memory at exit)
# and the memory test runs fewer cycles (it measures RSS, which ASan's
# shadow memory inflates).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIBASAN="$(gcc -print-file-name=libasan.so)"
LIBUBSAN="$(gcc -print-file-name=libubsan.so)"
export H11C_AS_H11_DIR="$ROOT/out/h11c-as-h11-asan"
export H11C_AS_H11_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1 -g"
export LDSHARED="gcc -shared -fsanitize=address,undefined"
"$ROOT/tools/h11c-as-h11" --path >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
export LD_PRELOAD="$LIBASAN $LIBUBSAN"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export H11C_MEMORY_CYCLES=20000 H11C_UNDER_ASAN=1
export H11C_HYPOTHESIS_EXAMPLES=100
exec bash "$ROOT/python/tests/run.sh" h11 own diff memory
