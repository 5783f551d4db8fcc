#!/usr/bin/env bash
# Runs the benchmark in its verification mode (small inputs, one pass, no
# timing, no callgrind): every peer must parse every workload to the same
# counts.  The binary prints one line per check and "N passed, N failed".
set -uo pipefail
bench="${TEST_SRCDIR:-.}/${TEST_WORKSPACE:-h11c}/tools/bench/bench"
[ -x "$bench" ] || bench="tools/bench/bench"
"$bench" --verify
