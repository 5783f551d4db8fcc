#!/usr/bin/env bash
# Build and run tests/consumer, a separate workspace that depends on h11c
# through local_repository, to check that h11c works as an external
# dependency.  Exits non-zero on failure.
#
# Bazel gives this workspace its own output base and server (the output base
# is derived from the workspace path), so this can run while the h11c
# workspace's server is up.  The server is shut down afterwards unless
# KEEP_BAZEL_SERVER=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ ! -f ../../tools/bazel/offline.bazelrc ]; then
  echo "consumer: tools/bazel/offline.bazelrc is missing; run tools/setup.sh" >&2
  exit 1
fi
if [ "${KEEP_BAZEL_SERVER:-0}" != 1 ]; then
  trap 'bazel shutdown >/dev/null 2>&1 || true' EXIT
fi

bazel test //:consumer_test
out="$(bazel run //:consumer)"
if [ "$out" != ok ]; then
  echo "consumer: expected 'ok', got: $out" >&2
  exit 1
fi
echo "consumer: ok"
