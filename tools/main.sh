#!/usr/bin/env bash
# The main job: set up the machine, build the differential harness and run
# it on the shipped corpus (corpus/: the curated request-smuggling catalogue
# corpus/smuggling and the known differences).  Every input goes through
# h11c, Python h11, llhttp (default and lenient flags) and http_parser; the
# terminal report is the matrix of disagreements, oracle by oracle, then the
# top disagreements, most severe first (framing disagreements where both
# sides accept: the smuggling candidates).  The full reports go to
# out/diff-report.json and out/diff-report.md.
#
#   bash tools/main.sh [PATH...]      (default: corpus)
#
# TOP=N sets how many disagreeing inputs are listed (default 15; 0: all).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh >&2
mkdir -p out
paths=("$@")
[ "${#paths[@]}" -gt 0 ] || paths=(corpus)
bazel run --config=ci //diff -- --top "${TOP:-15}" \
  --json out/diff-report.json --markdown out/diff-report.md "${paths[@]}"
