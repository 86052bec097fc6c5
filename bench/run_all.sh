#!/usr/bin/env bash
# Runs every benchmark of issue #5 and prints the figures with their goals: the Google Benchmark
# programs (in-process: 1, 2, 5, 6, and the fleet's of issue 11), then process_bench.sh
# (whole-process: 1, 3, 4, 5) and fleet_bench.sh (whole-process, issue 11).
# Takes about 10 minutes; nothing fails on a number.
#
# usage: bench/run_all.sh [BUILD_DIR] [process_bench.sh options...]
#   BUILD_DIR  a tree configured with -DORCH_BUILD_BENCH=ON and built (default: build/bench,
#              i.e. `cmake --preset bench && cmake --build --preset bench -j2`)
set -euo pipefail
export LC_ALL=C

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${1:-$SRC_DIR/build/bench}
[[ $# -gt 0 ]] && shift
for program in bench_core bench_task bench_plugin_load bench_fleet; do
    [[ -x $BUILD_DIR/bench/$program ]] ||
        { echo "$BUILD_DIR/bench/$program is not built (cmake --build $BUILD_DIR -j2)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 1; }

OUT=$(mktemp -d "${TMPDIR:-/tmp}/orch-bench-json.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(git -C "$SRC_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

for program in bench_core bench_task bench_plugin_load bench_fleet; do
    echo "== $program (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$BUILD_DIR/bench/$program" --benchmark_out="$OUT/$program.json" --benchmark_out_format=json \
        2>&1 | grep -v '^\*\*\*WARNING\*\*\* Library was built as DEBUG'
done

# One benchmark entry of a program's JSON; FIELD may be a counter name.
field() { jq -r --arg n "$2" ".benchmarks[] | select(.name == \$n) | .$3" "$OUT/$1.json"; }
fmt() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, v }'; }

echo
echo "== in-process figures"
floor_ms=$(field bench_task BM_StopFloor_KillGroupAndWaitpid/iterations:50/manual_time median_ms)
for b in BM_Stop_ScheduleThreadPruning BM_Stop_HostTickPruning; do
    name="$b/iterations:50/manual_time"
    ms=$(field bench_task "$name" median_ms)
    echo "1 stop() with a prune in flight ($b): median $(fmt "$ms" 3) ms, mean" \
        "$(fmt "$(field bench_task "$name" real_time)" 0) us, max $(fmt "$(field bench_task "$name" max_ms)") ms," \
        "processes left after 1 s: $(field bench_task "$name" left_after_1s); goal < 100 ms;" \
        "floor (kill group + waitpid) median $(fmt "$floor_ms" 3) ms, ratio" \
        "$(fmt "$(awk -v a="$ms" -v b="$floor_ms" 'BEGIN { print a / b }')")"
done
tv="BM_TickVsFloor/iterations:150/manual_time"
echo "2 tick: median $(fmt "$(field bench_task "$tv" tick_median_ms)") ms vs floor (posix_spawn +" \
    "read + waitpid) $(fmt "$(field bench_task "$tv" floor_median_ms)") ms: ratio" \
    "$(fmt "$(field bench_task "$tv" tick_ratio)") (goal <= 1.5); run_process alone" \
    "$(fmt "$(field bench_task "$tv" run_process_ratio)"); Poco::Process::launch" \
    "$(fmt "$(field bench_task "$tv" poco_ratio)"), through setsid(1)" \
    "$(fmt "$(field bench_task "$tv" poco_setsid_exec_ratio)"), same at RLIMIT_NOFILE 1024" \
    "$(fmt "$(field bench_task "$tv" poco_setsid_exec_nofile1024_ratio)")"
echo "3 status() (the plugin's share of a GET /queue): $(fmt "$(field bench_task BM_Status_AfterAPrune cpu_time)" 0) ns" \
    "after a prune, $(fmt "$(field bench_task BM_Status_WhilePruning cpu_time)" 0) ns while a prune is in flight"
pl="BM_PluginLoadCreateStart/iterations:100/manual_time"
echo "5 load+create+start (fresh copy of the .so each time): mean $(fmt "$(field bench_plugin_load "$pl" real_time)") us" \
    "(library_info $(fmt "$(field bench_plugin_load "$pl" probe_us)"), dlopen" \
    "$(fmt "$(field bench_plugin_load "$pl" dlopen_us)"), check $(fmt "$(field bench_plugin_load "$pl" check_us)")," \
    "create $(fmt "$(field bench_plugin_load "$pl" create_us)"), start $(fmt "$(field bench_plugin_load "$pl" start_us)") us);" \
    "first load in the process $(fmt "$(field bench_plugin_load "$pl" first_load_total_us)") us"
cpu_ns() { field bench_core "$1" cpu_time; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for pair in Legacy:Legacy Legacy500Ids:Legacy500Ids BuildxTable:BuildxTable Buildx500Rows:; do
    ours=BM_ParseReclaimed_${pair%%:*}
    line="6 $ours: $(fmt "$(cpu_ns "$ours")" 0) ns CPU per parse"
    if [[ -n ${pair#*:} ]]; then
        ref=BM_ReferenceRegex_${pair#*:}
        line+="; the reference's regex $(fmt "$(cpu_ns "$ref")" 0) ns (found the summary:"
        line+=" $(field bench_core "$ref" found)), ratio ours/reference $(per "$(cpu_ns "$ours")" "$(cpu_ns "$ref")")"
    fi
    echo "$line"
done
echo "6 resolve_config: defaults $(fmt "$(cpu_ns BM_ResolveConfig_Defaults)" 0) ns, every key + environment" \
    "$(fmt "$(cpu_ns BM_ResolveConfig_EveryKey)" 0) ns, invalid values with warnings" \
    "$(fmt "$(cpu_ns BM_ResolveConfig_InvalidValues)" 0) ns; boost::json::parse of the same config text" \
    "$(fmt "$(cpu_ns BM_ReferenceJsonParse_EveryKey)" 0) ns, ratio" \
    "$(per "$(cpu_ns BM_ResolveConfig_EveryKey)" "$(cpu_ns BM_ReferenceJsonParse_EveryKey)")"

for placement in 0 1; do
    fr="BM_FleetRound/hang_first:$placement/iterations:5/manual_time"
    f() { fmt "$(field bench_fleet "$fr" "$1")" "${2:-0}"; }
    echo "11 fleet round, 200 hosts, 5 hang until the 2 s timeout ($([[ $placement == 0 ]] &&
        echo "fleet-040..-200, the last host hangs" || echo "fleet-001..-005")), parallelism 8:" \
        "tick median $(f tick_median_ms) ms (min $(f tick_min_ms)) vs ideal $(f ideal_ms) ms:" \
        "$(f tick_vs_ideal 3)x (goal <= 1.15); list-order ideal $(f ideal_list_order_ms) ms:" \
        "$(f tick_vs_list_order 3)x; same fakes on a plain pool of 8 $(f floor_fake_median_ms) ms" \
        "(tick/pool $(f tick_ratio 3)); 200 x sh -c 'sleep 0.2' on 8 threads $(f sleep_pool_median_ms) ms;" \
        "peak concurrent ssh $(f tick_peak_ssh) (pool $(f floor_peak_ssh)); rounds with more than the 5" \
        "timeouts $(f tick_unexpected_rounds) (pool: jobs killed beyond the 5 $(f floor_unexpected_kills));" \
        "hosts whose fake never ran $(f tick_missing_runs) (pool $(f floor_missing_runs)); load $(f load1_start 2) -> $(f load1_end 2)"
    for r in median_round slowest_round; do
        echo "   $r: $(f ${r}_ms) ms, last host started at $(f ${r}_last_start_ms) ms, a host that did not" \
            "hang took $(f ${r}_mean_normal_host_ms 1) ms on average (the pool's job: $(f floor_fake_mean_normal_job_ms 1) ms" \
            "median), slots busy $(f ${r}_slots_busy 3)"
    done
done
stop_floor=$(field bench_fleet "BM_FleetStopFloor_KillGroupsAndWaitpid/iterations:20/manual_time" median_ms)
for b in BM_FleetStop_Schedule BM_FleetStop_HostTick; do
    n="$b/iterations:20/manual_time"
    echo "11 fleet stop() with 8 prunes in flight ($b): median $(fmt "$(field bench_fleet "$n" median_ms)" 3) ms," \
        "max $(fmt "$(field bench_fleet "$n" max_ms)" 3) ms (goal < 100 ms); fakes alive at return" \
        "$(field bench_fleet "$n" ssh_alive_at_return), processes left after 1 s $(field bench_fleet "$n" left_after_1s)," \
        "hosts started after the 8: $(field bench_fleet "$n" extra_starts); floor (8 x kill group + waitpid)" \
        "median $(fmt "$stop_floor" 3) ms"
done
for n in 1 1000; do
    echo "11 /queue without HTTP, $n host(s): status() $(fmt "$(field bench_fleet "BM_FleetStatus/$n" real_time)" 1) us," \
        "host's render_queue_json $(fmt "$(field bench_fleet "BM_FleetQueueRender/$n" real_time)" 1) us;" \
        "$(fmt "$(field bench_fleet "BM_FleetQueueRender/$n" bytes)" 0) bytes"
done

echo
echo "== whole-process figures"
"$SRC_DIR/bench/process_bench.sh" --build "$BUILD_DIR" "$@"
echo
echo "== whole-process fleet figures (issue 11)"
"$SRC_DIR/bench/fleet_bench.sh" --build "$BUILD_DIR"
