#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time on a scratch copy of its committed seed corpus
# (so CI never grows the committed corpus) and fails on the first crash, leak, timeout or
# invariant violation.
#   usage: fuzz/run_all.sh <build-dir> <seconds-per-target>
# The targets are the directories under fuzz/corpus/: each must have a built executable of the
# same name somewhere under <build-dir>, so a target that was not built cannot pass silently.
set -euo pipefail

if (($# != 2)); then
    echo "usage: $0 <build-dir> <seconds-per-target>" >&2
    exit 2
fi
build_dir="$1"
seconds="$2"
if [[ ! -d "$build_dir" ]]; then
    echo "$0: build directory '$build_dir' does not exist" >&2
    exit 2
fi
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "$0: seconds must be a whole number > 0, got '$seconds'" >&2
    exit 2
fi

corpus_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/orch-fuzz.XXXXXX")"
keep_scratch=0
cleanup() {
    if ((keep_scratch == 0)); then
        rm -rf "$scratch"
    fi
}
trap cleanup EXIT

failed=()
for corpus in "$corpus_root"/*/; do
    target="$(basename "$corpus")"
    binary="$(find "$build_dir" -type f -name "$target" -perm -u+x -print -quit)"
    if [[ -z "$binary" ]]; then
        echo "=== $target: no executable named '$target' under $build_dir (not built?)" >&2
        failed+=("$target (missing)")
        continue
    fi
    work="$scratch/$target"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp -R "$corpus". "$work/corpus/"
    echo "=== $target: ${seconds}s on a copy of $(find "$corpus" -type f | wc -l) seed(s)" >&2
    status=0
    "$binary" "$work/corpus" \
        -max_total_time="$seconds" \
        -timeout=10 \
        -rss_limit_mb=2048 \
        -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" \
        >"$work/log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)"
    if ((status != 0)) || [[ -n "$(ls -A "$work/artifacts")" ]]; then
        tail -n 60 "$work/log" >&2
        echo "=== $target: FAILED (exit $status); crash input(s) kept in $work/artifacts" >&2
        keep_scratch=1
        failed+=("$target")
    else
        echo "=== $target: ok, ${runs:-?} executions, no crash" >&2
    fi
done

if ((${#failed[@]} > 0)); then
    echo "fuzzing failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing passed: every target ran ${seconds}s without a crash" >&2
