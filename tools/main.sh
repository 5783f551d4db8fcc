#!/usr/bin/env bash
# The main job: set up the machine, build the verdict tool and print the
# canonical verdict (../shared/spec/verdict.md) of every input of the
# shipped corpus, one JSON line per input, server-role inputs first.
# Extra arguments name other corpus directories (default: corpus/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup.sh >&2
bazel build --config=ci //diff:verdict >&2
verdict="$ROOT/bazel-bin/diff/verdict"

dirs=("$@")
[ "${#dirs[@]}" -gt 0 ] || dirs=(corpus)
dirs_abs=()
for d in "${dirs[@]}"; do dirs_abs+=("$(cd "$d" && pwd)"); done

mapfile -t server < <(find "${dirs_abs[@]}" -path '*/server/*.http' -type f | sort)
if [ "${#server[@]}" -gt 0 ]; then
  "$verdict" --impl h11c --role server "${server[@]}"
fi
# client/NAME.METHOD.http answers a request with METHOD; NAME.http, GET.
mapfile -t client < <(find "${dirs_abs[@]}" -path '*/client/*.http' -type f | sort)
declare -A by_method=()
for f in "${client[@]}"; do
  base="$(basename "$f" .http)"
  method=GET
  case "$base" in *.*) method="${base##*.}" ;; esac
  by_method[$method]+="$f"$'\n'
done
for method in $(printf '%s\n' "${!by_method[@]}" | sort); do
  mapfile -t files < <(printf '%s' "${by_method[$method]}")
  "$verdict" --impl h11c --role client --method "$method" "${files[@]}"
done
