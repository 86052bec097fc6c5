# shellcheck shell=bash
# Shell pieces the whole-process benchmarks share (process_bench.sh, fleet_bench.sh): sourced,
# not run. The script defines log/die before sourcing this, and WORK, PREFIX, BUILD_DIR.

# True when the process exists and is not a zombie.
alive() {
    local stat
    { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# end_processes PID...: SIGTERM to each one alive, up to 3 s for all of them to go, then SIGKILL
# to any left. For the scripts' EXIT traps: everything they started, by pid.
end_processes() {
    local pid deadline
    for pid in "$@"; do
        if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    deadline=$((SECONDS + 3))
    for pid in "$@"; do
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.05; done
        if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
}

now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }

# median_min_max DIVISOR DECIMALS VALUE...: "median min max" of the values, each divided by
# DIVISOR (1000: microseconds to milliseconds) and printed with DECIMALS decimals.
median_min_max() {
    local divisor=$1 decimals=$2
    shift 2
    printf '%s\n' "$@" | sort -n | awk -v d="$divisor" -v f="%.${decimals}f" '{v[NR]=$1} END {
        m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
        printf f " " f " " f "\n", m/d, v[1]/d, v[NR]/d }'
}

# quotient A B DECIMALS: A / B, or n/a when B is not above 0.
quotient() { awk -v a="$1" -v b="$2" -v f="%.$3f" 'BEGIN { printf (b > 0 ? f : "n/a"), a / b }'; }

# use_installed_tree: PREFIX as given, or BUILD_DIR installed into $WORK/prefix; then HOST_STUB,
# PLUGINS and MANIFESTS of that layout, which must hold host_stub, the plugin and manifests.
use_installed_tree() {
    if [[ -z $PREFIX ]]; then
        [[ -x $BUILD_DIR/host_stub/host_stub ]] ||
            die "$BUILD_DIR has no host_stub: cmake --preset bench && cmake --build --preset bench -j2"
        PREFIX="$WORK/prefix"
        cmake --install "$BUILD_DIR" --prefix "$PREFIX" >"$WORK/install.log" 2>&1 ||
            die "cmake --install failed: $(tail -3 "$WORK/install.log")"
    fi
    HOST_STUB="$PREFIX/bin/host_stub"
    PLUGINS="$PREFIX/lib/orchestrator/plugins"
    MANIFESTS="$PREFIX/etc/orchestrator/manifests"
    [[ -x $HOST_STUB && -f $PLUGINS/libbuild_cache_pruner.so && -d $MANIFESTS ]] ||
        die "$PREFIX is not an installed host_stub layout"
}
