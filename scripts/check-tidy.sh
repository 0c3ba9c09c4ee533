#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy, every finding an error) over
# the production sources, src/**/*.cc without the *_test.cc and *_fuzz.cc
# files, as compiled in BUILD_DIR/compile_commands.json.
# Usage: scripts/check-tidy.sh BUILD_DIR     (TIDY_JOBS=N, default 2)
# Exits 0 when clean, 1 on a finding, 2 on a usage or setup error.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
if [ ! -f "$build/compile_commands.json" ]; then
  echo "$0: $build/compile_commands.json missing: configure with cmake first" >&2
  exit 2
fi
jobs=${TIDY_JOBS:-2}
# The compile commands are GCC's; clang does not know some of its warning
# flags (-Wno-restrict) and would fail each file on them.
extra=-Wno-unknown-warning-option
# Production sources only, as named in the compile database.
files=$(grep -o '"file": *"[^"]*"' "$build/compile_commands.json" | sed 's/.*"\([^"]*\)"$/\1/' |
        grep -E "^$root/src/.*\.cc\$" | grep -Ev '_(test|fuzz)\.cc$' | sort -u)
if [ -z "$files" ]; then
  echo "$0: no src/ files in $build/compile_commands.json" >&2
  exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
start=$SECONDS
runner=$(command -v run-clang-tidy || command -v run-clang-tidy-14 || true)
if [ -n "$runner" ]; then
  # run-clang-tidy takes regexes; anchor each file name.
  mapfile -t patterns < <(printf '%s\n' "$files" | sed 's/[.+]/\\&/g; s/^/^/; s/$/$/')
  "$runner" -p "$build" -j "$jobs" -quiet -extra-arg="$extra" "${patterns[@]}" >"$log" 2>&1 || status=1
else
  printf '%s\n' "$files" |
    xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet --extra-arg="$extra" \
          --warnings-as-errors='*' >"$log" 2>&1 || status=1
fi
# run-clang-tidy always asks for colour; the CI log wants plain text.
sed -i 's/\x1b\[[0-9;]*m//g' "$log"
n=$(printf '%s\n' "$files" | wc -l)
if [ "$status" -ne 0 ]; then
  findings=$(grep -E '^[^ ].*: (warning|error): ' "$log" | sed 's/,-warnings-as-errors\]$/]/' | sort -u || true)
  if [ -z "$findings" ]; then
    cat "$log"   # no finding, so clang-tidy itself failed: show why
  else
    printf '%s\n' "$findings"
    echo
    echo "clang-tidy: findings by check (unique locations):"
    printf '%s\n' "$findings" | sed -n 's/.*\[\([a-z0-9.-]*\)\]$/\1/p' | sort | uniq -c | sort -rn
  fi
  echo "clang-tidy: FAILED on $n files in $((SECONDS - start)) s"
  exit 1
fi
echo "clang-tidy: $n files clean in $((SECONDS - start)) s"
