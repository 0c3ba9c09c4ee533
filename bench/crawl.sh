#!/usr/bin/env bash
# Crawl benchmark: Telescreen's full scan and its
# crawl-only driver beside Scrapy's crawl-only peer, on the same synthetic
# 3,001-page site served by nginx on loopback, in the same run.
#
# usage: bench/crawl.sh [RUNS]        (default 5; from any directory)
# env: SCAN_BIN=path  use this telescreen binary instead of building one;
#      BENCH_PAGES (3000), BENCH_BUILD (build dir, default build-bench-crawl).
# Needs: scripts/install-deps.sh --bench (nginx-light, python3-scrapy).
# Prints one line per run and the medians and ratios (wall, peak RSS): the
# scan with --no-history and, as users run it, with its history (a scan
# recorded before, so each measured one also diffs against it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${TELESCREEN_SHARED:-$root/../shared}
runs=${1:-5}
pages=${BENCH_PAGES:-3000}
build=${BENCH_BUILD:-$root/build-bench-crawl}
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers (user nobody) must read the site
pidfile=""
cleanup() {
  if [ -n "$pidfile" ] && [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building (RelWithDebInfo, the default) in $build" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELESCREEN_TESTS=OFF >/dev/null
if [ -n "${SCAN_BIN:-}" ]; then
  cmake --build "$build" --target ts_fetch -j2 >/dev/null
else
  cmake --build "$build" --target telescreen ts_fetch -j2 >/dev/null
  SCAN_BIN=$build/telescreen
fi
g++ -O2 -std=c++20 -I"$root/src" -DNDEBUG "$root/bench/crawl_driver.cc" \
    "$build/libts_fetch.a" "$build/libts_model.a" "$build/libts_core.a" \
    -lcurl -lcrypto -lpthread -o "$work/crawl_driver"

echo "== generating $pages pages" >&2
python3 "$shared/bench/make-site.py" "$pages" "$work/site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pidfile=$("$shared/bench/serve-site.sh" "$work/site" "$port")
url="http://127.0.0.1:$port/index.html"
curl -sf -o /dev/null "$url" || { echo "nginx does not serve $url" >&2; exit 1; }

source "$root/bench/lib.sh"   # measure, median

# The scan as users run it records its history: one unmeasured scan first,
# so every measured one also reads and diffs the one before it.
history_db="$work/history.db"
scan_args=("$url" --concurrency 16 --per-host 16 --delay-ms 0 --max-pages 4000 --depth 100 --follow-contacts --quiet)
"$SCAN_BIN" scan "${scan_args[@]}" --db "$history_db" --json "$work/scan-history.json" >/dev/null

for i in $(seq "$runs"); do
  measure scrapy /usr/bin/python3 -m scrapy runspider "$shared/bench/peer-scrapy.py" -a "start=$url"
  measure scan "$SCAN_BIN" scan "$url" --concurrency 16 --per-host 16 --delay-ms 0 \
      --max-pages 4000 --depth 100 --follow-contacts --quiet --no-history --json "$work/scan.json"
  measure driver "$work/crawl_driver" "$url" 16 16 4000 100
  measure history "$SCAN_BIN" scan "${scan_args[@]}" --db "$history_db" --json "$work/scan-history.json"
done

scan_pages=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["pages"]))' "$work/scan.json")
driver_line=$(cat "$work/driver.out")

report() {
  local name=$1
  local w r
  w=$(awk '{print $1}' "$work/$name.runs" | median)
  r=$(awk '{print $2}' "$work/$name.runs" | median)
  echo "$name $w $r"
}
{
  report scrapy; report scan; report driver; report history
} >"$work/medians"
cat "$work/medians" | awk -v runs="$runs" -v sp="$scan_pages" -v dl="$driver_line" '
  {w[$1]=$2; r[$1]=$3}
  END {
    printf "runs: %d; telescreen scan pages in report: %s; driver: %s\n", runs, sp, dl
    printf "%-10s %10s %14s\n", "tool", "wall (s)", "peak RSS (MB)"
    for (t in w) printf "%-10s %10.2f %14.1f\n", t, w[t], r[t]/1024
    printf "scan/scrapy:   wall %.3f (target <= 0.125), RSS %.3f (target <= 0.333)\n", w["scan"]/w["scrapy"], r["scan"]/r["scrapy"]
    printf "driver/scrapy: wall %.3f, RSS %.3f\n", w["driver"]/w["scrapy"], r["driver"]/r["scrapy"]
    printf "history/scrapy (scan with its history, diffing the scan before): wall %.3f (target <= 0.125), RSS %.3f (target <= 0.333)\n", w["history"]/w["scrapy"], r["history"]/r["scrapy"]
  }'
