#!/usr/bin/env bash
# The layout test (tools/check_layout.py) on the objects Bazel built.
#   layout_test.sh CHECKER DOC -- LIB_OUTPUTS... -- SOURCES...
set -euo pipefail
checker=$1 doc=$2
shift 3
archive="" shared=""
while [ "$1" != "--" ]; do
  case "$1" in
  *.pic.a | *.a) [ -z "$archive" ] && archive=$1 ;;
  *.so) shared=$1 ;;
  esac
  shift
done
shift
exec /usr/bin/python3 "$checker" --doc "$doc" --archive "$archive" \
  --shared "$shared" --src "$@" --print-graph
