#!/usr/bin/env bash
# The Debian packages end to end, as an operator meets them (needs root: CI runs as root):
#   build both (scripts/package.sh, one Release build), lintian without errors, dpkg -i both,
#   systemd-analyze verify on the installed unit, /usr/bin/host_stub --once with no arguments
#   finds the installed plugin and manifest, an operator's edit to the manifest (a conffile)
#   survives an upgrade to a newer revision, and dpkg --purge leaves every path the packages
#   ship exactly as it was before the test.
# Exit 77 (ctest: skipped) when not root or when the packages are already installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
packages=(build-cache-pruner orchestrator-host-stub)
manifest=/etc/orchestrator/manifests/build_cache_pruner.json

if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: the package test installs packages with dpkg and needs root (CI runs as root)" >&2
    exit 77
fi
for tool in dpkg-deb dpkg-buildflags dpkg-architecture lintian systemd-analyze cpack jq; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL: '$tool' is missing: run scripts/setup.sh" >&2
        exit 1
    fi
done

# One run at a time on this machine (worktrees share dpkg's database and /usr): wait for the
# other run, but not forever.
mkdir -p /run/lock
exec 9>/run/lock/orchestrator-package-test.lock
if ! flock -w 900 9; then
    echo "FAIL: another package test held /run/lock/orchestrator-package-test.lock for 15 min" >&2
    exit 1
fi
for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$'; then
        echo "SKIP: $p is installed on this machine; the test would not leave it as it was" >&2
        exit 77
    fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/orch-package-test.XXXXXX")"
installed=0
cleanup() {
    if ((installed)); then
        dpkg --purge "${packages[@]}" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "=== $*" >&2; }

step "build revision 1 and revision 2 from one Release build"
"$root/scripts/package.sh" --out "$work/r1" >"$work/build1.log" 2>&1 ||
    fail "scripts/package.sh: $(tail -20 "$work/build1.log")"
"$root/scripts/package.sh" --revision 2 --out "$work/r2" >"$work/build2.log" 2>&1 ||
    fail "scripts/package.sh --revision 2: $(tail -20 "$work/build2.log")"
for p in "${packages[@]}"; do
    for r in 1 2; do
        compgen -G "$work/r$r/${p}_*-${r}_$(dpkg --print-architecture).deb" >/dev/null ||
            fail "no ${p}_<version>-${r}_<arch>.deb in $work/r$r: $(ls "$work/r$r")"
    done
done

step "lintian (errors fail; warnings are listed in the README)"
lintian --no-cfg --fail-on error "$work"/r1/*.deb 2>&1 | tee "$work/lintian.log" >&2 ||
    fail "lintian reported errors (above)"

# Every path the packages ship, and whether it exists before the install.
dpkg-deb --fsys-tarfile "$work"/r1/build-cache-pruner_*.deb | tar -t >"$work/paths.raw"
dpkg-deb --fsys-tarfile "$work"/r1/orchestrator-host-stub_*.deb | tar -t >>"$work/paths.raw"
sed -e 's|^\./|/|' -e 's|/$||' "$work/paths.raw" | grep -v '^/\?$' | sort -u >"$work/paths"
snapshot() {
    while read -r path; do
        if [[ -e "$path" || -L "$path" ]]; then echo "present $path"; else echo "absent $path"; fi
    done <"$work/paths"
}
snapshot >"$work/before"

step "dpkg -i revision 1"
installed=1
dpkg -i "$work"/r1/*.deb >"$work/install1.log" 2>&1 || fail "dpkg -i: $(cat "$work/install1.log")"
grep -qx "$manifest" /var/lib/dpkg/info/build-cache-pruner.conffiles ||
    fail "$manifest is not a conffile: $(cat /var/lib/dpkg/info/build-cache-pruner.conffiles)"

step "systemd-analyze verify the installed unit"
# --man=no: the unit's Documentation= is a file: URL; nothing to look up. Without a running
# systemd the verifier still parses the unit, resolves ExecStart and checks every setting.
systemd-analyze verify --man=no /usr/lib/systemd/system/orchestrator-host-stub.service \
    >"$work/verify.log" 2>&1 || fail "systemd-analyze verify: $(cat "$work/verify.log")"
if grep -i 'orchestrator-host-stub' "$work/verify.log"; then
    fail "systemd-analyze verify complained about the unit (above)"
fi

once() {
    env -i PATH=/usr/bin:/bin /usr/bin/host_stub --once >"$work/once.json" 2>"$work/once.log" ||
        fail "/usr/bin/host_stub --once exited $?: $(cat "$work/once.log")"
}
step "/usr/bin/host_stub --once with no arguments"
once
plugins="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/orchestrator/plugins"
grep -qF "manifests from $(dirname "$manifest"), plugins from $plugins" "$work/once.log" ||
    fail "host_stub did not use the packaged directories: $(cat "$work/once.log")"
jq -e '.plugins[0].id == "build_cache_pruner" and .plugins[0].state == "loaded"
       and .build_cache_prune.enabled == true' "$work/once.json" >/dev/null ||
    fail "the /queue JSON does not show the loaded plugin: $(cat "$work/once.json")"

step "an operator disables the plugin in the conffile; upgrade to revision 2"
sed -i 's/"enabled": true/"enabled": false/' "$manifest"
grep -q '"enabled": false' "$manifest" || fail "could not edit $manifest"
# Non-interactive as unattended upgrades run: keep the operator's version of a changed
# conffile (--force-confold), take the default where there is one (--force-confdef).
DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold -i "$work"/r2/*.deb \
    >"$work/install2.log" 2>&1 || fail "dpkg -i revision 2: $(cat "$work/install2.log")"
for p in "${packages[@]}"; do
    [[ "$(dpkg-query -W -f='${Version}' "$p")" == *-2 ]] || fail "$p was not upgraded to -2"
done
grep -q '"enabled": false' "$manifest" || fail "the upgrade replaced the operator's $manifest"
once
jq -e '.build_cache_prune == {"enabled": false}' "$work/once.json" >/dev/null || fail "the edited manifest is not in effect: $(cat "$work/once.json")"

step "dpkg --purge leaves every shipped path as it was"
dpkg --purge "${packages[@]}" >"$work/purge.log" 2>&1 || fail "dpkg --purge: $(cat "$work/purge.log")"
installed=0
snapshot >"$work/after"
diff -u "$work/before" "$work/after" >&2 || fail "paths differ after purge (above)"
for p in "${packages[@]}"; do
    if dpkg-query -W "$p" >/dev/null 2>&1; then fail "dpkg still knows $p after purge"; fi
done
echo "PASS: both packages build, pass lintian, install, run, keep the conffile, purge clean" >&2
