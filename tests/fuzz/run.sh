#!/usr/bin/env bash
# Builds every libFuzzer target (src/*/*_fuzz.cc) with clang under
# ASan+UBSan and runs each for a bounded time on a scratch copy of its seed
# corpus in tests/fuzz/<name>/ (the seeds in the repository stay as they are).
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     # default 60, all targets
#
# Exit status: 0 when no target found a crash, leak, timeout or OOM; 1
# otherwise (the reproducer is left in the build directory's fuzz-artifacts/).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
build="${TELESCREEN_FUZZ_BUILD:-build-fuzz}"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTELESCREEN_FUZZ=ON -DTELESCREEN_TESTS=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in src/*/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi
cmake --build "$build" -j2 --target "${targets[@]}"
mkdir -p "$build/fuzz-artifacts"
status=0
for t in "${targets[@]}"; do
  name="${t%_fuzz}"
  work="$(mktemp -d)"
  [ -d "tests/fuzz/$name" ] && cp -r "tests/fuzz/$name/." "$work/"
  echo "== $t: ${seconds}s"
  # -rss_limit_mb is the stated memory bound; -timeout fails any input slower than 10 s.
  if ! "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$build/fuzz-artifacts/$t-" -print_final_stats=1 "$work" 2>"$build/fuzz-artifacts/$t.log"; then
    echo "!! $t failed; see $build/fuzz-artifacts/$t.log"
    status=1
  fi
  grep -E "^Done|stat::number_of_executed_units" "$build/fuzz-artifacts/$t.log" | tail -1 || true
  rm -rf "$work"
done
exit $status
