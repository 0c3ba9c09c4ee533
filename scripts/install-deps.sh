#!/usr/bin/env bash
# Installs the Debian packages Telescreen needs to build, test and benchmark.
# Run as root on Debian 12. Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  # build
  g++ cmake make pkg-config ccache
  gettext   # msgfmt builds po/*.po; xgettext and msgcmp check them (ctest po.*)
  # libraries
  libcurl4-openssl-dev libgumbo-dev libre2-dev nlohmann-json3-dev libcli11-dev
  libsqlite3-dev libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  libtomlplusplus-dev libhowardhinnant-date-dev
  tzdata   # iCalendar TZIDs resolve through /usr/share/zoneinfo
)
# Usage: install-deps.sh [--tests] [--bench] [--print]
for arg in "$@"; do
  case "$arg" in
    --tests)
      packages+=(libgtest-dev libgmock-dev sqlite3 python3 clang libclang-rt-14-dev)
      # scripts/check-format.sh, scripts/check-tidy.sh (version 14 on Debian 12)
      packages+=(clang-format clang-tidy)
      # tests/browser: the HTML report in Debian's headless Chromium via
      # playwright-core (from npm, pinned by its package-lock.json to a
      # release that runs on Debian 12's Node 18); keep a node that has npm.
      packages+=(chromium)
      command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
      ;;
    # bench/ only (not CI): nginx serves the synthetic site; Scrapy and extruct are the peers.
    --bench) packages+=(nginx-light python3-scrapy python3-extruct) ;;
    --print) print=1 ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
if [ -n "${print:-}" ]; then printf '%s\n' "${packages[@]}"; exit 0; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
