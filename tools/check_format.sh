#!/usr/bin/env bash
# The format test: every C source and header the repository tracks (outside
# third_party/) must be exactly as clang-format 14 writes it with the
# project's .clang-format.  One case per file; ends with "N passed, N failed".
#
#   bash tools/check_format.sh          check
#   bash tools/check_format.sh --fix    rewrite the files that differ
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CF="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$CF" >/dev/null; then
  echo "check_format: $CF not found (apt-get install clang-format-14)"
  echo "0 passed, 1 failed"
  exit 1
fi
fix=false
[ "${1:-}" = "--fix" ] && fix=true
pass=0
fail=0
while IFS= read -r f; do
  [ -f "$f" ] || continue
  if $fix; then
    "$CF" -i --style=file "$f"
  fi
  if "$CF" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $f: not formatted (bash tools/check_format.sh --fix)"
  fi
done < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' \
  ':!third_party/**')
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
