#!/usr/bin/env bash
# Installs what is needed, builds a release binary and runs the demo:
# reports/demo.html and reports/demo.json.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTELESCREEN_TESTS=OFF
cmake --build build -j"$(nproc)" --target telescreen
./build/telescreen demo --json reports/demo.json --html reports/demo.html
