#!/usr/bin/env bash
# Sets up, builds, installs into ./out and runs host_stub with the pruner plugin on its bundled
# manifest. Arguments are passed to host_stub (e.g. --once, --listen 127.0.0.1:0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >&2
cmake --install build/release --prefix "$root/out" >/dev/null
exec "$root/out/bin/host_stub" "$@"
