#!/usr/bin/env bash
# A fuzzing campaign: runs the chosen targets one after the other with
# libFuzzer or AFL++, then merges and minimises each corpus into
# corpus/<target>/generated/ and turns every finding into a minimised
# regression input in corpus/<target>/regressions/ (replayed by
# `bazel test //fuzz:all`).
#
#   fuzz/campaign.sh [options] [TARGET...]
#
#   --engine libfuzzer|afl   engine (default libfuzzer)
#   --time DURATION          per target: 90s, 30m, 2h (default 10m)
#   --jobs N                 libFuzzer -jobs/-workers; AFL++ instances
#                            (default 1)
#   --avoid-open-findings    build with FUZZ_AVOID_OPEN_FINDINGS=1
#   --no-build               use the binaries already in out/fuzz/
#   --no-merge               keep the corpora as they are
#   --progress SECONDS       how often to print progress (default 60)
#   TARGET                   fuzz_server fuzz_client fuzz_roundtrip
#                            fuzz_api fuzz_llhttp (default: all)
#
# Work files go to out/campaign/<start time>-<engine>/<target>/; each
# target's result is appended to out/campaign/history.tsv, and a summary
# table is printed at the end.  Exit status 1 if anything was found.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

engine=libfuzzer
duration=600
jobs=1
avoid=0
build=1
merge=1
progress=60
targets=()

parse_time() {
  local t=$1
  case "$t" in
    *h) echo $(( ${t%h} * 3600 )) ;;
    *m) echo $(( ${t%m} * 60 )) ;;
    *s) echo "${t%s}" ;;
    *) echo "$t" ;;
  esac
}

while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine=$2; shift ;;
    --time) duration=$(parse_time "$2"); shift ;;
    --jobs) jobs=$2; shift ;;
    --avoid-open-findings) avoid=1 ;;
    --no-build) build=0 ;;
    --no-merge) merge=0 ;;
    --progress) progress=$2; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "campaign: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ "${#targets[@]}" -gt 0 ] ||
  targets=(fuzz_server fuzz_client fuzz_roundtrip fuzz_api fuzz_llhttp)
case "$engine" in libfuzzer|afl) ;; *)
  echo "campaign: --engine is libfuzzer or afl" >&2; exit 2 ;;
esac

suffix=""
[ "$avoid" -eq 1 ] && suffix="-avoid"
BIN_LF="$ROOT/out/fuzz/libfuzzer-asan$suffix"
BIN_AFL="$ROOT/out/fuzz/afl$suffix"
BIN_CMPLOG="$ROOT/out/fuzz/afl-cmplog$suffix"
BIN_REPRO="$ROOT/out/fuzz/repro"

if [ "$build" -eq 1 ]; then
  flags=()
  [ "$avoid" -eq 1 ] && flags=(--avoid-open-findings)
  if [ "$engine" = libfuzzer ]; then
    FUZZ_TARGETS="${targets[*]}" bash fuzz/build.sh "${flags[@]}" libfuzzer-asan || exit 1
  else
    FUZZ_TARGETS="${targets[*]}" bash fuzz/build.sh "${flags[@]}" afl afl-cmplog || exit 1
  fi
  FUZZ_TARGETS="${targets[*]}" bash fuzz/build.sh repro || exit 1
fi

CAMPAIGN="$ROOT/out/campaign/$(date -u +%Y%m%dT%H%M%SZ)-$engine$suffix"
HISTORY="$ROOT/out/campaign/history.tsv"
mkdir -p "$CAMPAIGN"
[ -f "$HISTORY" ] || printf 'start\tengine\ttarget\tseconds\texecs\texecs_per_s\tcoverage\tcorpus_before\tcorpus_after\tfindings\n' >"$HISTORY"

child=""
cleanup() {
  if [ -n "$child" ]; then
    kill "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 130
}
trap cleanup INT TERM

sha_name() { sha256sum "$1" | cut -d' ' -f1; }

# Waits for process $1, running the command in $2 every $progress seconds
# (checks every second, so the wait ends when the process does).
wait_with_progress() {
  local pid=$1 report=$2 n=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    n=$((n + 1))
    if [ "$n" -ge "$progress" ] && kill -0 "$pid" 2>/dev/null; then
      n=0
      $report
    fi
  done
}

# max_len from the target's .options file.
max_len() {
  sed -n 's/^max_len *= *//p' "fuzz/$1.options" | head -n 1
}

# Copies every input of corpus/<target>/ into $2 (flat, named by hash).
flatten_corpus() {
  local target=$1 dst=$2 f
  mkdir -p "$dst"
  while IFS= read -r -d '' f; do
    cp "$f" "$dst/$(sha_name "$f")"
  done < <(find "corpus/$target" -type f ! -name '.*' -print0 2>/dev/null)
}

corpus_count() {
  find "corpus/$1" -type f ! -name '.*' 2>/dev/null | wc -l
}

# Keeps in corpus/<target>/generated/ the minimised inputs that are not
# already hand-made seeds, imported inputs or regression inputs.
store_generated() {
  local target=$1 mindir=$2 f h
  declare -A keep=()
  while IFS= read -r -d '' f; do
    keep[$(sha_name "$f")]=1
  done < <(find "corpus/$target/seeds" "corpus/$target/imported" \
             "corpus/$target/regressions" -type f -print0 2>/dev/null)
  rm -rf "corpus/$target/generated"
  mkdir -p "corpus/$target/generated"
  for f in "$mindir"/*; do
    [ -f "$f" ] || continue
    h=$(sha_name "$f")
    [ -n "${keep[$h]:-}" ] || cp "$f" "corpus/$target/generated/$h"
  done
}

# Minimises one finding and stores it as a regression input.
store_finding() {
  local target=$1 file=$2 work=$3 min h msg
  min="$work/min-$(basename "$file")"
  if [ "$engine" = libfuzzer ]; then
    "$BIN_LF/$target" -minimize_crash=1 -runs=20000 \
      -exact_artifact_path="$min" "$file" >"$work/minimize.log" 2>&1
  else
    AFL_QUIET=1 timeout 600 afl-tmin -i "$file" -o "$min" -t 5000 -m none \
      -- "$BIN_AFL/$target" >"$work/minimize.log" 2>&1
  fi
  [ -s "$min" ] || cp "$file" "$min"
  h=$(sha_name "$min")
  mkdir -p "corpus/$target/regressions"
  cp "$min" "corpus/$target/regressions/$h"
  msg=$("$BIN_REPRO/$target" --timeout=20 "$min" 2>&1 |
          grep -m1 -E 'h11c-fuzz== [a-z]|ERROR: |runtime error|timed out' || true)
  echo "   finding -> corpus/$target/regressions/$h"
  echo "     ${msg:-(does not reproduce in the plain build)}"
  echo "     reproduce: out/fuzz/repro/$target corpus/$target/regressions/$h"
}

summary=()
total_findings=0

report_libfuzzer() {
  local last
  last=$(cat "$LF_LOG" "$LF_WORK"/fuzz-[0-9]*.log 2>/dev/null |
           grep -aE '^#[0-9]+' | tail -n 1)
  printf '   [%s] %s %s\n' "$(date -u +%H:%M:%S)" "$LF_TARGET" \
    "$(echo "$last" | grep -oE '#[0-9]+|cov: [0-9]+|ft: [0-9]+|corp: [0-9]+|exec/s: [0-9]+' | tr '\n' ' ')"
}

# libFuzzer stops at the first finding; it is restarted on the same corpus
# for the time left (at most 50 times), without the input that failed.
run_libfuzzer() {
  local target=$1 work=$2 bin="$BIN_LF/$1" start now left run=0 last f h
  start=$(date +%s)
  while :; do
    now=$(date +%s)
    left=$((duration - (now - start)))
    [ "$left" -gt 0 ] && [ "$run" -lt 50 ] || break
    run=$((run + 1))
    local -a args=(-max_total_time="$left" -timeout=10 -rss_limit_mb=2048
      -max_len="$(max_len "$target")" -print_final_stats=1
      -artifact_prefix="$work/artifacts/")
    [ "$target" = fuzz_api ] || args+=(-dict="$ROOT/fuzz/http.dict")
    if [ "$jobs" -gt 1 ]; then
      args+=(-jobs="$jobs" -workers="$jobs")
    fi
    (cd "$work" && exec "$bin" "${args[@]}" "$work/corpus") >"$work/fuzz-run$run.log" 2>&1 &
    child=$!
    LF_LOG="$work/fuzz-run$run.log" LF_WORK="$work" LF_TARGET="$target" \
      wait_with_progress "$child" report_libfuzzer
    wait "$child"
    child=""
    # A failing input stays out of the corpus the next run starts from.
    for f in "$work"/artifacts/crash-* "$work"/artifacts/leak-* \
             "$work"/artifacts/timeout-* "$work"/artifacts/oom-*; do
      [ -f "$f" ] || continue
      h=$(sha_name "$f")
      rm -f "$work/corpus/$h" "$work/corpus/$(sha1sum "$f" | cut -d' ' -f1)"
    done
    grep -qaE '^Done [0-9]+ runs' "$work/fuzz-run$run.log" && break
  done
}

report_afl() {
  local st="$AFL_STATS"
  [ -f "$st" ] || return 0
  printf '   [%s] %s execs %s, %s/s, corpus %s, edges %s, crashes %s, hangs %s\n' \
    "$(date -u +%H:%M:%S)" "$AFL_TARGET" \
    "$(sed -n 's/^execs_done *: //p' "$st")" \
    "$(sed -n 's/^execs_per_sec *: //p' "$st")" \
    "$(sed -n 's/^corpus_count *: //p' "$st")" \
    "$(sed -n 's/^bitmap_cvg *: //p' "$st")" \
    "$(sed -n 's/^saved_crashes *: //p' "$st")" \
    "$(sed -n 's/^saved_hangs *: //p' "$st")"
}

run_afl() {
  local target=$1 work=$2 i
  local -a pids=()
  flatten_corpus "$target" "$work/in"
  for ((i = 0; i < jobs; i++)); do
    local role=(-S "s$i")
    [ "$i" -eq 0 ] && role=(-M main)
    local cmplog=()
    [ "$i" -eq 0 ] && cmplog=(-c "$BIN_CMPLOG/$target")
    local dict=(-x "$ROOT/fuzz/http.dict")
    [ "$target" = fuzz_api ] && dict=()
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
      AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
      afl-fuzz -i "$work/in" -o "$work/afl" -V "$duration" -t 10000 -m none \
      "${role[@]}" "${cmplog[@]}" "${dict[@]}" -G "$(max_len "$target")" \
      -- "$BIN_AFL/$target" >"$work/fuzz-$i.log" 2>&1 &
    pids+=($!)
  done
  child="${pids[0]}"
  AFL_STATS="$work/afl/main/fuzzer_stats" AFL_TARGET="$target" \
    wait_with_progress "${pids[0]}" report_afl
  for i in "${pids[@]}"; do wait "$i"; done
  child=""
}

for target in "${targets[@]}"; do
  work="$CAMPAIGN/$target"
  mkdir -p "$work/artifacts" "$work/corpus"
  before=$(corpus_count "$target")
  echo "== $target: $engine for ${duration}s, $jobs job(s), $before inputs in corpus/$target"
  flatten_corpus "$target" "$work/corpus"
  t0=$(date +%s)
  if [ "$engine" = libfuzzer ]; then
    run_libfuzzer "$target" "$work"
  else
    run_afl "$target" "$work"
  fi
  t1=$(date +%s)
  secs=$((t1 - t0))  # wall time, replaced below by the engine's own count

  # Figures.
  if [ "$engine" = libfuzzer ]; then
    execs=$(cat "$work"/fuzz*.log | sed -n 's/^stat::number_of_executed_units: //p' |
              awk '{s += $1} END {print s + 0}')
    # "Done N runs in S second(s)", summed over restarts.
    lfsecs=$(cat "$work"/fuzz*.log | sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' |
               awk '{s += $1} END {print s + 0}')
    [ "$lfsecs" -gt 0 ] && secs=$lfsecs
    cov=$(cat "$work"/fuzz*.log | grep -aoE 'cov: [0-9]+ ft: [0-9]+' | tail -n 1)
    findings=("$work"/artifacts/crash-* "$work"/artifacts/leak-*
      "$work"/artifacts/timeout-* "$work"/artifacts/oom-*)
    queue=("$work/corpus")
  else
    execs=$(cat "$work"/afl/*/fuzzer_stats 2>/dev/null |
              sed -n 's/^execs_done *: //p' | awk '{s += $1} END {print s + 0}')
    aflsecs=$(awk -F': *' '/^run_time/ {print $2}' "$work/afl/main/fuzzer_stats" 2>/dev/null)
    [ -n "$aflsecs" ] && [ "$aflsecs" -gt 0 ] && secs=$aflsecs
    cov="edges $(sed -n 's/^bitmap_cvg *: //p' "$work/afl/main/fuzzer_stats" 2>/dev/null)"
    findings=("$work"/afl/*/crashes/id:* "$work"/afl/*/hangs/id:*)
    queue=("$work"/afl/*/queue)
  fi
  rate=$(awk -v e="$execs" -v s="$secs" 'BEGIN {printf "%.0f", s ? e / s : 0}')

  nfind=0
  for f in "${findings[@]}"; do
    [ -f "$f" ] || continue
    nfind=$((nfind + 1))
    store_finding "$target" "$f" "$work"
  done
  total_findings=$((total_findings + nfind))

  if [ "$merge" -eq 1 ]; then
    echo "   merging and minimising the corpus"
    mkdir -p "$work/min"
    if [ "$engine" = libfuzzer ]; then
      "$BIN_LF/$target" -merge=1 -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$target")" "$work/min" "corpus/$target" \
        "${queue[@]}" >"$work/merge.log" 2>&1
    else
      mkdir -p "$work/all"
      cp "$work"/in/* "$work/all/" 2>/dev/null
      for q in "${queue[@]}"; do
        find "$q" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$work/all/" \;
      done
      AFL_SKIP_BIN_CHECK=1 afl-cmin -i "$work/all" -o "$work/min" -t 10000 \
        -m none -- "$BIN_AFL/$target" >"$work/merge.log" 2>&1
    fi
    if [ -n "$(ls -A "$work/min" 2>/dev/null)" ]; then
      store_generated "$target" "$work/min"
    else
      echo "   merge produced nothing (see $work/merge.log); corpus left as it was"
    fi
  fi
  after=$(corpus_count "$target")
  printf '%s\t%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u -d @"$t0" +%FT%TZ)" \
    "$engine" "$suffix" "$target" "$secs" "$execs" "$rate" "$cov" "$before" \
    "$after" "$nfind" >>"$HISTORY"
  summary+=("$(printf '%-15s %-10s %7ss %12s %9s/s  %-22s %6s -> %-6s %s' \
    "$target" "$engine$suffix" "$secs" "$execs" "$rate" "$cov" "$before" \
    "$after" "$nfind")")
done

echo
echo "== campaign summary ($CAMPAIGN)"
printf '%-15s %-10s %8s %12s %11s  %-22s %16s %s\n' target engine time execs rate \
  coverage corpus findings
for line in "${summary[@]}"; do echo "$line"; done
echo "history: $HISTORY"
[ "$total_findings" -eq 0 ]
