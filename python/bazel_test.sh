#!/usr/bin/env bash
# The Bazel build of the binding (//python:h11c), imported as h11 and run
# through the binding's own suite.  Ends with "N passed, N failed".
set -uo pipefail
pkg="$TEST_TMPDIR/path/h11"
mkdir -p "$pkg"
for f in "$@"; do
  case "$f" in
  *_core.so) cp "$f" "$pkg/_core$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')" ;;
  *) cp "$f" "$pkg/" ;;
  esac
done
# Under --config=asan the extension expects the sanitizer runtimes in the
# (uninstrumented) interpreter: preload clang's.
if nm -D "$pkg"/_core*.so 2>/dev/null | grep ' U __asan_' >/dev/null; then
  rt="$(clang-14 -print-file-name=libclang_rt.asan-x86_64.so)"
  export LD_PRELOAD="$rt"  # its runtime includes UBSan
  echo "preloading $LD_PRELOAD"
  export ASAN_OPTIONS="detect_leaks=0"
fi
cd "$(dirname "$0")/tests" 2>/dev/null || cd python/tests
log="$TEST_TMPDIR/log"
PYTHONPATH="$TEST_TMPDIR/path" /usr/bin/python3 -m pytest -p no:cacheprovider -q \
  test_binding.py >"$log" 2>&1
rc=$?
cat "$log"
line="$(grep -E '(passed|failed).* in [0-9.]+s' "$log" | tail -n 1)"
p="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '^[0-9]+' || echo 0)"
f="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '^[0-9]+' || echo 0)"
[ -z "$line" ] && f=1
echo "$p passed, $f failed"
exit $rc
