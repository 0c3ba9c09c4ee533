#!/usr/bin/env bash
# The HTML report in a real browser. Renders the demo report
# (`telescreen demo`), the realistic and the hostile fixture reports and a
# control page whose payload runs on purpose, opens each in Debian's headless
# Chromium through playwright-core and checks: it renders, no console errors,
# no network loads, no payload runs (and the control's is noticed).
# Screenshots and the reports stay in BUILD_DIR/browser/.
#
# Usage: tests/browser/run.sh BUILD_DIR
# Needs: BUILD_DIR/telescreen_report_fixtures and BUILD_DIR/telescreen built,
#        /usr/bin/chromium (or $CHROMIUM), node 18 or later (Debian 12's) and
#        npm (the npm registry is used once to install playwright-core,
#        pinned by package-lock.json).
# Exit codes: 0 all passed, 1 a check failed or node is too old for the
#        pinned playwright-core, 77 skipped (no chromium/node;
#        with TELESCREEN_REQUIRE_BROWSER=1 that is a failure instead).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
out=$build/browser
chromium=${CHROMIUM:-/usr/bin/chromium}

skip() {
  echo "browser test skipped: $*"
  if [ "${TELESCREEN_REQUIRE_BROWSER:-0}" = 1 ]; then exit 1; fi
  exit 77
}
[ -x "$chromium" ] || skip "no $chromium (scripts/install-deps.sh installs Debian's chromium)"
command -v node >/dev/null 2>&1 || skip "no node"
command -v npm >/dev/null 2>&1 || skip "no npm"
# A node older than the pinned playwright-core wants is a failure, said plainly.
need=$(sed -n 's/.*"node": ">=\([0-9]*\)".*/\1/p' "$here/package-lock.json" | head -1)
have=$(node -p 'process.versions.node.split(".")[0]')
if [ -n "$need" ] && [ "$have" -lt "$need" ]; then
  echo "browser test: node $(node --version) is older than playwright-core's node >=$need"
  exit 1
fi

mkdir -p "$out/node"
# playwright-core only: it drives the system browser and downloads none.
if ! cmp -s "$here/package-lock.json" "$out/node/package-lock.json" ||
   [ ! -d "$out/node/node_modules/playwright-core" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$out/node/"
  (cd "$out/node" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
     npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$here/check.mjs" "$out/node/check.mjs"

"$build/telescreen_report_fixtures" "$out"
cases=("realistic=$out/realistic.html:safe"
       "hostile=$out/hostile.html:safe"
       "control=$out/control.html:pwned")

# The demo's own report: what a newcomer sees first.
if [ -x "$build/telescreen" ]; then
  if ! "$build/telescreen" demo --html "$out/demo.html" --json "$out/demo.json" \
       > "$out/demo.txt" 2>&1; then
    echo "telescreen demo failed:"; cat "$out/demo.txt"; exit 1
  fi
  cases+=("demo=$out/demo.html:safe")
else
  echo "note: $build/telescreen not built; checking the fixture reports only"
fi

cd "$out/node"
node check.mjs "$chromium" "$out" "${cases[@]}"
echo "screenshots: $out/*.png"
