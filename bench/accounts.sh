#!/usr/bin/env bash
# Accounts benchmark: `telescreen accounts` with 3 usernames against 600
# sites, each its own host (127.1.x.y, one port, served by one nginx on
# loopback), with the per-host limits on: the defaults (2 at once, 1 s
# between requests to a host, robots.txt asked first) and, to see the
# engine's own cost, with no delay.
#
# usage: bench/accounts.sh [RUNS]        (default 3; from any directory)
# env: ACCOUNTS_BIN=path  use this telescreen binary instead of building one;
#      BENCH_SITES (600), BENCH_BUILD (build dir, default build-bench-accounts).
# Needs: nginx (Debian nginx-light, scripts/install-deps.sh --bench).
# Prints one line per run, then the medians (wall, peak RSS) per setting.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
sites=${BENCH_SITES:-600}
build=${BENCH_BUILD:-$root/build-bench-accounts}
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers (user nobody) must read the site
cleanup() {
  if [ -s "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${ACCOUNTS_BIN:-}" ]; then
  echo "== building (Release) in $build" >&2
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTELESCREEN_TESTS=OFF >/dev/null
  cmake --build "$build" --target telescreen -j2 >/dev/null
  ACCOUNTS_BIN=$build/telescreen
fi

# Site i is host 127.1.(i/250).(i%250+1). alice has a profile on every
# site, bob on every other one, carol on none (nginx's 404 page says "Not
# Found").
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/site"
chmod 755 "$work/site"
printf 'User-agent: *\nAllow: /\n' >"$work/site/robots.txt"
python3 - "$work" "$sites" "$port" <<'PY'
import json, os, sys
work, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
hosts, entries = [], []
for i in range(n):
    host = "127.1.%d.%d" % (i // 250, i % 250 + 1)
    hosts.append(host)
    d = os.path.join(work, "site", "s%d" % i)
    os.makedirs(d)
    for user in ["alice"] + (["bob"] if i % 2 == 0 else []):
        with open(os.path.join(d, user), "w") as f:
            f.write("<!doctype html><title>Profile of %s</title><h1>Profile of %s</h1>\n" % (user, user))
    entries.append({"name": "Site %d" % i, "uri_check": "http://%s:%s/s%d/{account}" % (host, port, i),
                    "e_code": 200, "e_string": "Profile of", "m_code": 404, "m_string": "Not Found",
                    "known": ["alice"], "cat": "bench"})
json.dump({"sites": entries}, open(os.path.join(work, "sites.json"), "w"))
with open(os.path.join(work, "listen.conf"), "w") as f:
    for h in hosts:
        f.write("listen %s:%s;\n" % (h, port))
PY
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; default_type text/html; keepalive_requests 10000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server { include $work/listen.conf; root $work/site; } }
CONF
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.1.0.1:$port/s0/alice" || { echo "nginx does not serve the sites" >&2; exit 1; }

source "$root/bench/lib.sh"   # measure, median

# check NAME: every check answered as the site says (found 900, absent 900 for 600 sites).
check() {
  python3 - "$work/$1.json" "$sites" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
found = sum(x["status"] == "found" for x in r)
absent = sum(x["status"] == "absent" for x in r)
want_found = n + (n + 1) // 2
if len(r) != 3 * n or found != want_found or absent != 3 * n - want_found:
    sys.exit("wrong results: %d checks, %d found (want %d), %d absent" % (len(r), found, want_found, absent))
PY
}

args=(accounts alice bob carol --sites "$work/sites.json" --only-sites --quiet)
for i in $(seq "$runs"); do
  measure polite "$ACCOUNTS_BIN" "${args[@]}" --json "$work/polite.json"
  check polite
  measure nodelay "$ACCOUNTS_BIN" "${args[@]}" --delay-ms 0 --json "$work/nodelay.json"
  check nodelay
done

echo "sites: $sites, usernames: 3, checks: $((sites * 3)), runs: $runs"
printf "%-34s %10s %14s\n" "setting" "wall (s)" "peak RSS (MB)"
for name in polite nodelay; do
  w=$(awk '{print $1}' "$work/$name.runs" | median)
  r=$(awk '{print $2}' "$work/$name.runs" | median)
  label=$([ "$name" = polite ] && echo "per-host 2, delay 1000 ms" || echo "per-host 2, delay 0")
  awk -v l="$label" -v w="$w" -v r="$r" 'BEGIN {printf "%-34s %10.2f %14.1f\n", l, w, r/1024}'
done
