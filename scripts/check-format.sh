#!/usr/bin/env bash
# Fails when clang-format (with the repo's .clang-format) would change a
# C++ file of src/ or tests/. Lists each file it would change, then the
# count. To fix: clang-format -i FILE.
# Usage: scripts/check-format.sh          Exits 0 when clean, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$format" ]; then
  echo "check-format: clang-format not found (Debian package clang-format)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h')
changed=0
for f in "${files[@]}"; do
  if ! "$format" --dry-run --Werror "$f" >/dev/null 2>&1; then
    # One line per file (the first place it differs), not every warning.
    "$format" --dry-run "$f" 2>&1 | head -n 1 || true
    changed=$((changed + 1))
  fi
done
if [ "$changed" -ne 0 ]; then
  echo "check-format: FAILED: clang-format would change $changed of ${#files[@]} files"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
