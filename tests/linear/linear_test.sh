#!/usr/bin/env bash
# Linear-time check: delivering a stream one byte per call must cost time
# proportional to its length.  valgrind's callgrind counts the instructions
# executed (the same count on every run, however loaded the machine is) for
# a stream of N KiB and one of 4N KiB; the ratio must stay near 4 (a parser
# that rescans its buffer on every call would show about 16).
set -uo pipefail
feed="$1"
if [ -n "${H11C_SANITIZERS:-}" ] || [ ! -x /usr/bin/valgrind ]; then
  echo "skipped: needs valgrind and an unsanitized build"
  echo "0 passed, 0 failed"
  exit 0
fi
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
instructions() {
  local out="$tmp/callgrind.$1"
  /usr/bin/valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$feed" "$1" >"$tmp/feed.$1.log" 2>&1 || { cat "$tmp/feed.$1.log"; return 1; }
  awk '/^summary:/ {print $2}' "$out"
}
pass=0
fail=0
check() { # name small large
  local a b
  a=$(instructions "$2") || { echo "FAIL $1: feed failed"; fail=$((fail + 1)); return; }
  b=$(instructions "$3") || { echo "FAIL $1: feed failed"; fail=$((fail + 1)); return; }
  local ratio
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
  echo "$1: ${2} KiB: $a instructions; ${3} KiB: $b instructions; ratio $ratio (input ratio $(($3 / $2)))"
  if awk -v r="$ratio" -v k="$(($3 / $2))" 'BEGIN { exit !(r < k * 1.25) }'; then
    echo "ok   $1"
    pass=$((pass + 1))
  else
    echo "FAIL $1: instructions grow faster than the input"
    fail=$((fail + 1))
  fi
}
check bytewise_delivery_is_linear 32 128
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
