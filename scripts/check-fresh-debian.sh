#!/usr/bin/env bash
# Checks the README's quick start on a fresh Debian 12: bootstraps a bare
# bookworm root (debootstrap --variant=minbase), puts a clean clone of the
# current commit in it at /work/telescreen with the shared folder beside it,
# read-only, at /work/shared (so the corpus and real-page tests run), and
# runs the README's quick-start commands there, as root, exactly as written.
# Reports each command's exit code and time, ctest's counts and how many
# fuzz targets test.sh ran.
#
# Usage: scripts/check-fresh-debian.sh [--keep] [--shared DIR] [ROOT_DIR]
#   ROOT_DIR  where to bootstrap (must not exist or be empty; default: a new
#             folder under /var/tmp); it is deleted afterwards unless --keep
#   --shared  the shared folder (default: ../shared beside this clone)
#   MIRROR=   the Debian mirror (default http://deb.debian.org/debian)
# Needs: root, debootstrap, git, the network to Debian's mirror and npm.
# This machine's way to the network, and nothing else of it, goes into the
# root: the CA certificates the host adds to its trust store (the *.crt under
# /usr/local/share/ca-certificates, or the host's whole bundle if it adds
# none) are put in the root's /usr/local/share/ca-certificates, where the
# ca-certificates package, once the quick start installs it (nodejs needs
# it), adds them to /etc/ssl/certs as it would for a machine's own CA (if the
# root has it already, update-ca-certificates runs there at once); npm
# (Debian's Node uses OpenSSL's store), curl and apt over https then trust a
# TLS-intercepting proxy. The proxy variables http_proxy, https_proxy,
# no_proxy, all_proxy (and upper-case forms) are passed to the commands when
# they are set. Nothing else of the host's environment is.
# Takes 30-60 minutes on 2 cores: every build in the root is cold.
# Exit codes: 0 both commands passed and ctest skipped nothing; 1 a command
# failed or ctest skipped tests; 2 usage error or a setup step failed.
set -euo pipefail

usage() { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0"; }
keep=0
shared=
root=
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --keep) keep=1 ;;
    --shared) shared=${2:?--shared needs a folder}; shift ;;
    -*) echo "check-fresh-debian.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$root" ] || { echo "check-fresh-debian.sh: one ROOT_DIR only" >&2; exit 2; }
       root=$1 ;;
  esac
  shift
done

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${shared:-$repo/../shared}
mirror=${MIRROR:-http://deb.debian.org/debian}
die() { echo "check-fresh-debian.sh: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || die "no debootstrap (apt-get install debootstrap)"
[ -d "$shared" ] || die "no shared folder at $shared (--shared DIR)"
shared=$(cd "$shared" && pwd)

# The README's quick-start commands: the indented "./..." lines of its
# "## Quick start" section, run as they are written there.
mapfile -t commands < <(awk '/^## /{q = ($0 == "## Quick start")} q && /^    \.\//{sub(/^    /, ""); print}' \
                          "$repo/README.md")
[ ${#commands[@]} -eq 2 ] || die "README's quick start has ${#commands[@]} commands, expected 2"

commit=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes in $repo are not checked; checking $commit"
fi

if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/telescreen-fresh.XXXXXX)
elif [ -e "$root" ] && [ -n "$(ls -A "$root")" ]; then
  die "$root exists and is not empty"
fi
mkdir -p "$root"
root=$(cd "$root" && pwd)
logs=$root.logs
mkdir -p "$logs"

mounted=()
mount_in() {  # mount_in TARGET MOUNT-ARGS...: records TARGET for cleanup
  local target=$1; shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
  done
  if [ "$keep" = 1 ]; then
    echo "kept: $root (logs in $logs)"
  elif grep -qF " $root/" /proc/mounts; then
    echo "not removing $root: something is still mounted in it" >&2
  else
    rm -rf --one-file-system "$root"
    echo "removed $root (logs in $logs)"
  fi
}
trap cleanup EXIT

echo "== debootstrap bookworm into $root (log: $logs/debootstrap.log)"
start=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$logs/debootstrap.log" 2>&1 ||
  { tail -20 "$logs/debootstrap.log"; die "debootstrap failed"; }
echo "   $((SECONDS - start)) s"
# What a Debian 12 installer leaves: the release, its updates and security.
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# The host's own CAs (see the header): a TLS-intercepting proxy's among them.
host_cas=/usr/local/share/ca-certificates
cas=$root$host_cas
mkdir -p "$cas"
if [ -n "$(find -L "$host_cas" -name '*.crt' -type f 2>/dev/null | head -1)" ]; then
  cp -rL "$host_cas/." "$cas/"
  echo "== the host's CAs in the root:" $(cd "$cas" && find . -name '*.crt' -type f | sed 's|^\./||')
elif [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  cp -L /etc/ssl/certs/ca-certificates.crt "$cas/host-bundle.crt"
  echo "== the host's CA bundle in the root"
fi
# Only if the root has ca-certificates already (minbase has not): otherwise
# its postinst does this when the quick start installs it.
if [ -x "$root/usr/sbin/update-ca-certificates" ]; then
  chroot "$root" /usr/sbin/update-ca-certificates > "$logs/update-ca-certificates.log" 2>&1 ||
    die "update-ca-certificates failed in the root (log: $logs/update-ca-certificates.log)"
fi

mount_in "$root/proc" -t proc proc
mount_in "$root/sys" -t sysfs sysfs
mount_in "$root/dev" --bind /dev
mount_in "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666 devpts
mount_in "$root/dev/shm" -t tmpfs -o mode=1777 tmpfs   # Chromium's shared memory

git clone -q --no-hardlinks "$repo" "$root/work/telescreen"
git -C "$root/work/telescreen" checkout -q --detach "$commit"
mount_in "$root/work/shared" --bind "$shared"
mount -o remount,bind,ro "$root/work/shared"
echo "== $commit at /work/telescreen, $shared read-only at /work/shared"

# A login shell's environment, nothing of this machine's but its proxy.
proxy_env=()
for v in http_proxy https_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY; do
  [ -z "${!v:-}" ] || proxy_env+=("$v=${!v}")
done
[ ${#proxy_env[@]} -eq 0 ] || echo "== passed to the root: ${proxy_env[*]%%=*}"
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${proxy_env[@]+"${proxy_env[@]}"} \
    /bin/bash -c "cd /work/telescreen && $1"
}
status=0
codes=()
for i in "${!commands[@]}"; do
  cmd=${commands[i]}
  log=$logs/$((i + 1))-$(basename "${cmd%% *}" .sh).log
  echo "== $cmd (log: $log)"
  start=$SECONDS
  rc=0
  in_root "$cmd" > "$log" 2>&1 < /dev/null || rc=$?
  echo "   exit $rc after $((SECONDS - start)) s"
  codes+=("$cmd: exit $rc, $((SECONDS - start)) s")
  [ "$rc" = 0 ] || { status=1; tail -30 "$log"; }
done

echo "== summary"
printf '   %s\n' "${codes[@]}"
test_log=$logs/2-$(basename "${commands[1]%% *}" .sh).log
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$test_log" || true)
skipped=$(grep -cE '\((Skipped|Disabled)\)$' "$test_log" || true)
echo "   ctest: ${summary:-no summary line}"
echo "   ctest skipped or disabled: $skipped"
grep -E '\((Skipped|Disabled)\)$' "$test_log" | sed 's/^/   /' || true
fuzz_run=$(grep -cE '^== [a-z0-9_]+_fuzz: ' "$test_log" || true)
fuzz_failed=$(grep -cE '^!! [a-z0-9_]+_fuzz failed' "$test_log" || true)
echo "   fuzz targets run: $fuzz_run ($fuzz_failed failed)"
[ -n "$summary" ] || status=1
[ "$skipped" = 0 ] || status=1
[ "$status" = 0 ] && echo "fresh Debian 12: both commands passed, nothing skipped" ||
  echo "fresh Debian 12: FAILED"
exit $status
