#!/usr/bin/env bash
# Fails when a file in src/ includes a header of a folder it may not use.
# The allowed arrows are read from the table between the "layering" markers
# in docs/ARCHITECTURE.md, the one place they are written down; a folder may
# always include its own headers. Each forbidden include is named as
# file:line with the arrow it would add.
# Usage: scripts/check-layering.sh          Exits 0 when clean, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/ARCHITECTURE.md
# Rows look like: | `scan` | `fetch`, `extract`, ... | `score` |
# and become "folder<TAB>allowed ...<TAB>allowed in tests ...".
table=$(awk '
  /<!-- layering: begin -->/ { on = 1; next }
  /<!-- layering: end -->/   { on = 0 }
  on && /^\|/ {
    n = split($0, col, "|")
    for (i = 2; i <= 4; i++) { gsub(/[`,]/, " ", col[i]); gsub(/^ +| +$/, "", col[i]); gsub(/ +/, " ", col[i]) }
    if (col[2] == "folder" || col[2] ~ /^-+$/) next
    print col[2] "\t" col[3] "\t" col[4]
  }' "$doc")
if [ -z "$table" ]; then
  echo "check-layering: no table between <!-- layering: begin --> and <!-- layering: end --> in $doc" >&2
  exit 1
fi
declare -A allowed allowed_tests
while IFS=$'\t' read -r folder deps test_deps; do
  allowed[$folder]=" $folder $deps "
  allowed_tests[$folder]=" $folder $deps $test_deps "
done <<<"$table"

bad=0
while IFS=: read -r file line text; do
  rel=${file#src/}
  from=${rel%%/*}                      # src/main.cc -> main.cc
  target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)".*/\1/' <<<"$text")
  if [[ $target != */* ]]; then
    echo "$file:$line: \"$target\" is not rooted at src/ (write \"<folder>/$target\")"
    bad=1; continue
  fi
  to=${target%%/*}
  if [ -z "${allowed[$from]+x}" ]; then
    echo "$file:$line: folder '$from' has no row in the include table of $doc"
    bad=1; continue
  fi
  if [ -z "${allowed[$to]+x}" ]; then
    echo "$file:$line: \"$target\": '$to' is not a folder of src/ listed in $doc"
    bad=1; continue
  fi
  rules=${allowed[$from]}
  # Tests, fuzz targets and the test-only headers beside them (test_*.h).
  [[ $file =~ _(test|fuzz)\.cc$ || $file =~ /test_[a-z0-9_]+\.h$ ]] && rules=${allowed_tests[$from]}
  if [[ $rules != *" $to "* ]]; then
    echo "$file:$line: forbidden include $from -> $to (\"$target\"; allowed for $from:${rules})"
    bad=1
  fi
done < <(find src -name '*.cc' -o -name '*.h' | sort |
         xargs grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' /dev/null)
if [ "$bad" -ne 0 ]; then
  echo "check-layering: FAILED; change the code, or the table in $doc if the arrow is wanted"
  exit 1
fi
echo "check-layering: every include in src/ follows $doc"
