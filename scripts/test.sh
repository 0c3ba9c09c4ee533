#!/usr/bin/env bash
# Installs what is needed, builds with ASan+UBSan and runs every test:
# unit tests, end-to-end tests against loopback servers, the pattern packs'
# samples, the corpus conformance runners and the real-page tests (with
# ../shared/corpus and ../shared/real-pages when they are beside the clone,
# or TELESCREEN_CORPUS / TELESCREEN_REAL_PAGES; skipped otherwise), the HTML
# report in headless Chromium, then each libFuzzer target for FUZZ_SECONDS (default 20; 0 skips).
# Before the build: the include layering check, and the format check once
# .clang-format-enforced exists at the root (it does: the tree is formatted).
# After it: clang-tidy over the build's compile commands (TIDY=0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --tests
./scripts/check-layering.sh
if [ -e .clang-format-enforced ]; then
  ./scripts/check-format.sh
else
  echo "check-format: skipped (no .clang-format-enforced at the root)"
fi
build=${BUILD_DIR:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DTELESCREEN_SANITIZE=ON
cmake --build "$build" -j"$(nproc)"
if [ "${TIDY:-1}" != 0 ]; then
  TIDY_JOBS="$(nproc)" ./scripts/check-tidy.sh "$build"
fi
# The corpus conformance runners and the real-page tests read these; they
# sit beside the clone as ../shared when this machine has them, and the
# tests skip cleanly when the variables are unset.
if [ -z "${TELESCREEN_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  export TELESCREEN_CORPUS="$(cd ../shared/corpus && pwd)"
fi
if [ -z "${TELESCREEN_REAL_PAGES:-}" ] && [ -d ../shared/real-pages ]; then
  export TELESCREEN_REAL_PAGES="$(cd ../shared/real-pages && pwd)"
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd "$build" && ctest --output-on-failure -j"$(nproc)" --timeout 600)
if [ "${FUZZ_SECONDS:-20}" != 0 ]; then
  TELESCREEN_FUZZ_BUILD="$build-fuzz" ./tests/fuzz/run.sh "${FUZZ_SECONDS:-20}"
fi
