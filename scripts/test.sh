#!/usr/bin/env bash
# Sets up and runs every check CI runs:
#   1. clang-format check; the full suite (unit, integration, end-to-end with a real sshd and
#      dockerd; the Debian packages built, linted, installed and purged when run as root),
#      -Werror build
#   2. unit + integration under ASan+UBSan, then under TSan
#   3. each libFuzzer target for a bounded time on a copy of its committed corpus
# Stages can be chosen: scripts/test.sh [ci] [asan] [tsan] [fuzz]   (default: all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh

stages=("$@")
if ((${#stages[@]} == 0)); then
    stages=(ci asan tsan fuzz)
fi
jobs="$(nproc)"
fuzz_seconds="${ORCH_FUZZ_SECONDS:-30}"

check_format() {
    if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        echo "=== [format] skipped: not a git checkout (the tracked files are unknown)" >&2
        return
    fi
    echo "=== [format] clang-format --dry-run on every tracked C++ file" >&2
    git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
}

run_suite() {
    local preset="$1"
    echo "=== [$preset] configure + build" >&2
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "=== [$preset] ctest" >&2
    ctest --preset "$preset" -j "$jobs"
}

for stage in "${stages[@]}"; do
    case "$stage" in
        ci)
            check_format
            run_suite ci
            ;;
        asan | tsan) run_suite "$stage" ;;
        fuzz)
            echo "=== [fuzz] configure + build" >&2
            cmake --preset fuzz >/dev/null
            cmake --build --preset fuzz -j "$jobs"
            fuzz/run_all.sh build/fuzz "$fuzz_seconds"
            ;;
        *) echo "unknown stage '$stage' (expected ci, asan, tsan or fuzz)" >&2; exit 2 ;;
    esac
done
echo "=== all stages passed: ${stages[*]}" >&2
