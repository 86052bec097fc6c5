#!/usr/bin/env bash
# Installs what building and testing need on Debian bookworm (idempotent; needs root or sudo).
# Usage: scripts/setup.sh [--with-bench]
set -euo pipefail

packages=(
    cmake g++ make pkg-config
    libboost1.81-dev libboost-json1.81-dev   # Boost.JSON needs >= 1.75; never libboost-all-dev (1.74)
    libpoco-dev libgtest-dev libgmock-dev
    openssh-client openssh-server            # the plugin runs ssh; tests run a real sshd
    docker.io                                # a real dockerd for the end-to-end suite
    clang libclang-rt-14-dev clang-format    # libFuzzer targets; the format check
    procps util-linux curl openssl           # openssl: the notifier's HTTPS test makes its certificate
    dpkg-dev lintian systemd jq              # the Debian packages: build (dpkg-shlibdeps), lint, verify the unit, read /queue
    prometheus                               # promtool checks every /metrics page the tests make
)
if [[ "${1:-}" == "--with-bench" ]]; then
    packages+=(libbenchmark-dev wrk nginx-light jq gdb python3)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Package scripts may start system services (nginx, prometheus); the project never uses them (its
# tests start their own on free ports), so stop them.
if command -v service >/dev/null 2>&1; then
    "${sudo_cmd[@]}" service nginx stop >/dev/null 2>&1 || true
    "${sudo_cmd[@]}" service prometheus stop >/dev/null 2>&1 || true
fi
