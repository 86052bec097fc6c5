#!/usr/bin/env bash
# Whole-process fleet benchmarks (issue 11): the installed host_stub with the real plugin, a
# manifest listing the fleet, and the counting fake ssh (bench/fleet_fake_ssh.sh) first on PATH.
#   A. One round with `host_stub --once`: 200 hosts, a 200 ms prune, five hosts hanging until
#      the 2 s timeout, parallelism 8; ideal ceil(200/8) x 0.2 s + 2 s = 7 s. References in the
#      same run, in rotation with it: the same 200 fake-ssh commands under `xargs -P 8` with
#      `timeout 2` (the round without the plugin), and 200 x `sh -c 'sleep 0.2'` under
#      `xargs -P 8` (the spawn floor, ideal 5 s). Peak concurrent fakes, which must be 8.
#   B. 1000 configured hosts: host_stub after one round with a fake that succeeds at once, next
#      to the same host_stub with a fleet of 1: RSS (VmRSS, VmHWM) of each, GET /queue's size and
#      latency (curl's time_total, one connection per request, the two servers asked in turn in
#      blocks of 20), and that `hosts` lists all 1000 configured targets.
# Everything is loopback-only, every wait has a deadline, ports are chosen by the host (port 0),
# and the EXIT trap ends every process this script started (by pid). Nothing fails on a number:
# the exit status says whether the measurements could be taken.
#
# usage: bench/fleet_bench.sh [--build DIR | --prefix DIR] [--rounds N] [--requests N]
#   --build DIR     build tree to install from (cmake --install into a temp prefix);
#                   default: build/bench (the `bench` preset)
#   --prefix DIR    an installed tree to use as is
#   --rounds N      rounds of A, each with its two references (default 3)
#   --requests N    GET /queue requests per server in B, a multiple of 20 (default 200)
set -euo pipefail
export LC_ALL=C

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR="$SRC_DIR/build/bench"
PREFIX=""
ROUNDS=3
REQUESTS=200
HOSTS_A=200
PARALLELISM=8
TIMEOUT_S=2
HOSTS_B=1000
HANG="deploy@fleet-040 deploy@fleet-080 deploy@fleet-120 deploy@fleet-160 deploy@fleet-200"

while [[ $# -gt 0 ]]; do
    case $1 in
        --build) BUILD_DIR=$2; shift 2 ;;
        --prefix) PREFIX=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --requests) REQUESTS=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
((REQUESTS % 20 == 0 && REQUESTS > 0)) || { echo "--requests must be a multiple of 20" >&2; exit 2; }

log() { printf '[fleet-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in curl jq cmake flock xargs timeout; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orch-fleet-bench.XXXXXX")
OWNED_PIDS=()

source "$SRC_DIR/bench/bench_lib.sh"

cleanup() {
    end_processes "${OWNED_PIDS[@]}"
    [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load1() { cut -d' ' -f1 /proc/loadavg; }
stats_s() { median_min_max 1e6 3 "$@"; }  # "median min max" of microseconds, in seconds
ratio() { quotient "$1" "$2" 3; }

RESULTS="$WORK/results.txt"
: >"$RESULTS"
result() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

# ---------------------------------------------------------------------------------------------
# The installed layout, the fakes and the manifests.
use_installed_tree
BUNDLED_MANIFEST="$MANIFESTS/build_cache_pruner.json"
[[ -f $BUNDLED_MANIFEST ]] || die "$PREFIX has no bundled manifest"

# fake_ssh DIR SLEEP_S HANG: the counting fake as DIR/ssh, with its settings and counter files.
fake_ssh() {
    local dir=$1
    mkdir -p "$dir"
    cp "$SRC_DIR/bench/fleet_fake_ssh.sh" "$dir/ssh"
    chmod +x "$dir/ssh"
    printf "sleep_s='%s'\nhang='%s'\n" "$2" "$3" >"$dir/fake.conf"
    reset_fake "$dir"
}
reset_fake() { local f; for f in live peaks ran hung; do : >"$1/$f"; done; }
peak_of() { sort -n "$1/peaks" | tail -1; }
runs_of() { wc -l <"$1/ran"; }

# host_names N: fleet-001 .. fleet-N, one a line.
host_names() { seq -f 'fleet-%03g' 1 "$1"; }

# manifest DIR N TIMEOUT_S: the bundled manifest with a fleet of N hosts in its config.
manifest() {
    local dir=$1 n=$2 timeout_s=$3
    mkdir -p "$dir"
    host_names "$n" | jq -R . | jq -s --argjson p "$PARALLELISM" --argjson t "$timeout_s" \
        --slurpfile base "$BUNDLED_MANIFEST" '. as $hosts | $base[0] | .config += {
            deploy_ssh_hosts: $hosts, deploy_ssh_user: "deploy",
            build_cache_prune_parallelism: $p, build_cache_prune_timeout_s: $t,
            build_cache_prune_min_free: "0" }' >"$dir/build_cache_pruner.json"
}

# The environment would win over the manifest: run host_stub without any ORCH_ variable.
ORCH_UNSET=()
while IFS= read -r name; do ORCH_UNSET+=(-u "$name"); done < <(compgen -e | grep '^ORCH_' || true)

LOAD_BEGIN=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "kernel $(uname -r); load $LOAD_BEGIN"

# ---------------------------------------------------------------------------------------------
# A. One round of 200 hosts, five hanging, with host_stub --once; references in rotation.
fake_ssh "$WORK/fake-a" 0.2 "$HANG"
manifest "$WORK/manifests-a" "$HOSTS_A" "$TIMEOUT_S"
# The same argv words the plugin ends with ("-- deploy@HOST <remote command>"); the fake reads
# only the target after "--".
host_names "$HOSTS_A" | sed 's/^/deploy@/' >"$WORK/targets-a"

run_once_round() {
    local out="$WORK/once.json" t0 rc=0
    reset_fake "$WORK/fake-a"
    t0=$(now_us)
    env "${ORCH_UNSET[@]}" PATH="$WORK/fake-a:$PATH" \
        "$HOST_STUB" --once --manifests "$WORK/manifests-a" --plugins "$PLUGINS" \
        >"$out" 2>"$WORK/once.err" </dev/null || rc=$?
    ONCE_US=$(($(now_us) - t0))
    ((rc == 0)) || die "host_stub --once exited with $rc: $(tail -3 "$WORK/once.err")"
    read -r total failing successes timeouts in_flight < <(jq -r '.build_cache_prune |
        "\(.hosts_total) \(.hosts_failing) \(.successes_total) \(.timeouts_total) \(.in_flight_total)"' "$out")
    [[ "$total $failing $successes $timeouts $in_flight" == "$HOSTS_A 5 $((HOSTS_A - 5)) 5 0" ]] ||
        die "--once round: hosts_total $total, failing $failing, successes $successes," \
            "timeouts $timeouts, in flight $in_flight (expected $HOSTS_A 5 $((HOSTS_A - 5)) 5 0)"
    ONCE_PEAK=$(peak_of "$WORK/fake-a")
    [[ $(runs_of "$WORK/fake-a") -eq $HOSTS_A ]] || die "--once round: $(runs_of "$WORK/fake-a") fake runs"
    check_hung_gone "--once round"
}

run_xargs_fakes() {
    local t0 rc=0
    reset_fake "$WORK/fake-a"
    t0=$(now_us)
    # timeout(1) sends SIGTERM to the fake's process group at the deadline (SIGKILL would hit
    # timeout itself, in that group, and a command killed by a signal stops xargs). Exit 124 of
    # the five timed-out jobs makes xargs exit 123.
    xargs -P "$PARALLELISM" -I '{}' timeout "$TIMEOUT_S" "$WORK/fake-a/ssh" -- '{}' \
        docker builder prune -f <"$WORK/targets-a" >/dev/null 2>&1 || rc=$?
    XARGS_FAKE_US=$(($(now_us) - t0))
    ((rc == 0 || rc == 123)) || die "xargs over the fakes exited with $rc"
    XARGS_PEAK=$(peak_of "$WORK/fake-a")
    check_hung_gone "xargs round"
}

run_xargs_sleep() {
    local t0
    t0=$(now_us)
    seq "$HOSTS_A" | xargs -P "$PARALLELISM" -I '{}' sh -c 'sleep 0.2' || die "xargs sleep failed"
    XARGS_SLEEP_US=$(($(now_us) - t0))
}

check_hung_gone() {
    local pid deadline=$((SECONDS + 2))
    for pid in $(cat "$WORK/fake-a/hung"); do
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.01; done
        alive "$pid" && die "$1: hanging fake process $pid still there after the round"
    done
    return 0
}

log "A: $ROUNDS x (host_stub --once, xargs over the same fakes, xargs sleep 0.2), $HOSTS_A hosts"
ORDERS=("once xfake xsleep" "xfake xsleep once" "xsleep once xfake")
ONCE=() XFAKE=() XSLEEP=() LOADS_A=() PEAKS_ONCE=() PEAKS_XARGS=()
for ((r = 0; r < ROUNDS; r++)); do
    LOADS_A+=("$(load1)")
    # Rotate the order so that no variant always runs first.
    for step in ${ORDERS[r % 3]}; do
        case $step in
            once) run_once_round; ONCE+=("$ONCE_US"); PEAKS_ONCE+=("$ONCE_PEAK") ;;
            xfake) run_xargs_fakes; XFAKE+=("$XARGS_FAKE_US"); PEAKS_XARGS+=("$XARGS_PEAK") ;;
            xsleep) run_xargs_sleep; XSLEEP+=("$XARGS_SLEEP_US") ;;
        esac
    done
done
read -r once_med once_min once_max <<<"$(stats_s "${ONCE[@]}")"
read -r xf_med xf_min xf_max <<<"$(stats_s "${XFAKE[@]}")"
read -r xs_med xs_min xs_max <<<"$(stats_s "${XSLEEP[@]}")"
IDEAL_S=$(awk -v n="$HOSTS_A" -v p="$PARALLELISM" -v t="$TIMEOUT_S" \
    'BEGIN { printf "%.1f", int((n + p - 1) / p) * 0.2 + t }')
result "FLEET A one round, host_stub --once, $HOSTS_A hosts (5 hang until the ${TIMEOUT_S} s timeout)," \
    "parallelism $PARALLELISM, $ROUNDS rounds:"
result "  host_stub --once (process start to exit): median ${once_med} s (min ${once_min}, max ${once_max});" \
    "ideal ${IDEAL_S} s: $(ratio "$once_med" "$IDEAL_S")x (goal <= 1.15)"
result "  xargs -P $PARALLELISM + timeout $TIMEOUT_S over the same fakes: median ${xf_med} s" \
    "(min ${xf_min}, max ${xf_max}); host_stub/xargs $(ratio "$once_med" "$xf_med")"
result "  xargs -P $PARALLELISM, $HOSTS_A x sh -c 'sleep 0.2' (ideal 5 s): median ${xs_med} s" \
    "(min ${xs_min}, max ${xs_max})"
result "  peak concurrent fake ssh: host_stub ${PEAKS_ONCE[*]}; xargs ${PEAKS_XARGS[*]} (must be $PARALLELISM)"
result "  1-min load before each round: ${LOADS_A[*]}"

# ---------------------------------------------------------------------------------------------
# B. 1000 configured hosts next to a fleet of 1: memory and GET /queue.
manifest "$WORK/manifests-1000" "$HOSTS_B" 600
manifest "$WORK/manifests-1" 1 600

# start_host NAME MANIFEST_DIR [VAR=VALUE...]: host_stub on 127.0.0.1:0 with its own fast fake
# ($WORK/fake-NAME) first on PATH; sets HOST_PID and HOST_ADDR.
start_host() {
    local name=$1 manifests=$2 line fd
    shift 2
    local out="$WORK/$name.out"
    fake_ssh "$WORK/fake-$name" 0 ""
    mkfifo "$out"
    env "${ORCH_UNSET[@]}" "$@" PATH="$WORK/fake-$name:$PATH" \
        "$HOST_STUB" --manifests "$manifests" --plugins "$PLUGINS" --listen 127.0.0.1:0 \
        >"$out" 2>"$WORK/$name.err" </dev/null &
    HOST_PID=$!
    OWNED_PIDS+=("$HOST_PID")
    exec {fd}<"$out"
    read -r -t 10 -u "$fd" line ||
        die "$name: host_stub printed no listening line within 10 s: $(tail -3 "$WORK/$name.err")"
    [[ $line == "listening on "* ]] || die "$name: unexpected first line from host_stub: $line"
    HOST_ADDR=${line#listening on }
}

# wait_for_round NAME N: until N fakes have run and none is running (the fake's own files, 20 ms
# steps, 120 s deadline), so the RSS read next has seen no GET /queue; then /queue must show
# every host pruned once and none in flight (the status update follows the fake's exit).
wait_for_round() {
    local name=$1 n=$2 fake="$WORK/fake-$1" deadline=$((SECONDS + 120)) state
    until [[ $(runs_of "$fake") -ge $n && -z $(tr -d '\n' <"$fake/live") ]]; do
        ((SECONDS < deadline)) || die "$name: the round of $n hosts did not finish within 120 s"
        sleep 0.02
    done
    ROUND_RSS=$(kib VmRSS "$HOST_PID")
    while :; do
        state=$(curl -sf --max-time 5 "http://$HOST_ADDR/queue" |
            jq -r '.build_cache_prune | "\(.successes_total) \(.in_flight_total)"' 2>/dev/null || true)
        [[ $state == "$n 0" ]] && break
        ((SECONDS < deadline)) || die "$name: /queue never showed the round done: $state"
        sleep 0.02
    done
    FIRST_QUEUE_RSS=$(kib VmRSS "$HOST_PID")
}

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status"; }
threads_of() { local t=("/proc/$1/task"/*); echo "${#t[@]}"; }

# times_ms ADDR N: N GETs of /queue by one curl, a new connection each; time_total in ms.
times_ms() {
    local url="http://$1/queue" urls=() i
    for ((i = 0; i < $2; i++)); do urls+=(-o /dev/null "$url"); done  # -o applies to one URL
    curl -s -H 'Connection: close' -w '%{http_code} %{time_total}\n' "${urls[@]}" |
        awk '$1 != 200 { bad = 1 } { printf "%.3f\n", $2 * 1000 } END { exit bad }' ||
        die "a GET /queue from $1 did not answer 200"
}
# "median p99 max" (nearest rank) of a file of milliseconds.
pcts() { sort -n "$1" | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
    r = int(NR * 0.99); if (r < NR * 0.99) r++
    printf "%.3f %.3f %.3f\n", m, v[r], v[NR] }'; }

log "B: host_stub with $HOSTS_B hosts and with 1 host, one round each (fake ssh succeeds at once)"
start_host big "$WORK/manifests-1000"
BIG_PID=$HOST_PID BIG_ADDR=$HOST_ADDR
BIG_LISTEN_RSS=$(kib VmRSS "$BIG_PID")
t0=$(now_us)
wait_for_round big "$HOSTS_B"
BIG_ROUND_S=$(awk -v u=$(($(now_us) - t0)) 'BEGIN { printf "%.2f", u / 1e6 }')
BIG_ROUND_RSS=$ROUND_RSS BIG_FIRST_RSS=$FIRST_QUEUE_RSS
BIG_PEAK=$(peak_of "$WORK/fake-big")
# Reference: the same 1000 fake runs under xargs -P 8, no plugin.
reset_fake "$WORK/fake-big"
host_names "$HOSTS_B" | sed 's/^/deploy@/' >"$WORK/targets-b"
t0=$(now_us)
xargs -P "$PARALLELISM" -I '{}' "$WORK/fake-big/ssh" -- '{}' docker builder prune -f \
    <"$WORK/targets-b" >/dev/null || die "xargs over the fast fakes failed"
XARGS_B_S=$(awk -v u=$(($(now_us) - t0)) 'BEGIN { printf "%.2f", u / 1e6 }')

start_host one "$WORK/manifests-1"
ONE_PID=$HOST_PID ONE_ADDR=$HOST_ADDR
ONE_LISTEN_RSS=$(kib VmRSS "$ONE_PID")
wait_for_round one 1
ONE_ROUND_RSS=$ROUND_RSS ONE_FIRST_RSS=$FIRST_QUEUE_RSS
LOAD_B=$(load1)

curl -sf --max-time 5 -o "$WORK/big.json" "http://$BIG_ADDR/queue" || die "GET /queue (1000 hosts) failed"
curl -sf --max-time 5 -o "$WORK/one.json" "http://$ONE_ADDR/queue" || die "GET /queue (1 host) failed"
BIG_BYTES=$(stat -c %s "$WORK/big.json")
ONE_BYTES=$(stat -c %s "$WORK/one.json")
read -r hosts_total hosts_len < <(jq -r '.build_cache_prune | "\(.hosts_total) \(.hosts | length)"' "$WORK/big.json")
# Every configured target, in list order, and nothing else.
jq -r '.build_cache_prune.hosts | keys_unsorted[]' "$WORK/big.json" >"$WORK/big.keys"
if cmp -s "$WORK/big.keys" "$WORK/targets-b"; then KEYS_OK=yes; else KEYS_OK=no; fi
PLUGIN_BYTES=$(jq -c '.build_cache_prune' "$WORK/big.json" | wc -c)
PER_HOST_BYTES=$(jq -c '.build_cache_prune.hosts["deploy@fleet-500"]' "$WORK/big.json" | wc -c)

: >"$WORK/big.ms"
: >"$WORK/one.ms"
for ((b = 0; b < REQUESTS / 20; b++)); do
    if ((b % 2 == 0)); then
        times_ms "$BIG_ADDR" 20 >>"$WORK/big.ms"; times_ms "$ONE_ADDR" 20 >>"$WORK/one.ms"
    else
        times_ms "$ONE_ADDR" 20 >>"$WORK/one.ms"; times_ms "$BIG_ADDR" 20 >>"$WORK/big.ms"
    fi
done
read -r big_med big_p99 big_max <<<"$(pcts "$WORK/big.ms")"
read -r one_med one_p99 one_max <<<"$(pcts "$WORK/one.ms")"
LOAD_B_END=$(load1)
BIG_END_RSS=$(kib VmRSS "$BIG_PID") BIG_HWM=$(kib VmHWM "$BIG_PID") BIG_THREADS=$(threads_of "$BIG_PID")
ONE_END_RSS=$(kib VmRSS "$ONE_PID") ONE_HWM=$(kib VmHWM "$ONE_PID") ONE_THREADS=$(threads_of "$ONE_PID")
kill -TERM "$BIG_PID" "$ONE_PID"
wait "$BIG_PID" "$ONE_PID" || die "a host_stub exited with an error on SIGTERM"
OWNED_PIDS=()

# Attribution: the same 1000-host host_stub with one malloc arena (glibc keeps freed memory in
# one arena per thread that allocated it; the connection threads build each ~1 MB /queue).
log "B: the 1000-host host_stub again with MALLOC_ARENA_MAX=1"
start_host arena1 "$WORK/manifests-1000" MALLOC_ARENA_MAX=1
A1_PID=$HOST_PID A1_ADDR=$HOST_ADDR
wait_for_round arena1 "$HOSTS_B"
A1_ROUND_RSS=$ROUND_RSS
: >"$WORK/arena1.ms"
for ((b = 0; b < REQUESTS / 20; b++)); do times_ms "$A1_ADDR" 20 >>"$WORK/arena1.ms"; done
read -r a1_med a1_p99 _ <<<"$(pcts "$WORK/arena1.ms")"
A1_END_RSS=$(kib VmRSS "$A1_PID") A1_HWM=$(kib VmHWM "$A1_PID")
kill -TERM "$A1_PID"
wait "$A1_PID" || die "host_stub (arena1) exited with an error on SIGTERM"
OWNED_PIDS=()

per_host() { awk -v d="$1" -v n="$HOSTS_B" 'BEGIN { printf "%.2f", d / (n - 1) }'; }
result "FLEET B $HOSTS_B configured hosts vs 1, one round each (fake ssh succeeds at once)," \
    "parallelism $PARALLELISM; 1-min load $LOAD_B before the requests, $LOAD_B_END after:"
result "  the round of $HOSTS_B hosts: ${BIG_ROUND_S} s from the listening line (peak concurrent fake ssh" \
    "$BIG_PEAK); the same $HOSTS_B fake runs under xargs -P $PARALLELISM: ${XARGS_B_S} s"
result "  RSS KiB, $HOSTS_B hosts / 1 host / difference (KiB per extra host):"
result "    at the listening line:          $BIG_LISTEN_RSS / $ONE_LISTEN_RSS / $((BIG_LISTEN_RSS - ONE_LISTEN_RSS)) ($(per_host $((BIG_LISTEN_RSS - ONE_LISTEN_RSS))))"
result "    after the round, before /queue: $BIG_ROUND_RSS / $ONE_ROUND_RSS / $((BIG_ROUND_RSS - ONE_ROUND_RSS)) ($(per_host $((BIG_ROUND_RSS - ONE_ROUND_RSS))))"
result "    after the first GET /queue:     $BIG_FIRST_RSS / $ONE_FIRST_RSS / $((BIG_FIRST_RSS - ONE_FIRST_RSS))"
result "    $(printf '%-32s' "after $((REQUESTS + 2)) GET /queue:")$BIG_END_RSS / $ONE_END_RSS / $((BIG_END_RSS - ONE_END_RSS)); VmHWM $BIG_HWM / $ONE_HWM;" \
    "threads $BIG_THREADS / $ONE_THREADS"
result "    $HOSTS_B hosts with MALLOC_ARENA_MAX=1: after the round $A1_ROUND_RSS, after $REQUESTS GET /queue" \
    "$A1_END_RSS, VmHWM $A1_HWM (/queue median $a1_med ms, p99 $a1_p99 ms)"
result "  GET /queue size: $HOSTS_B hosts ${BIG_BYTES} bytes (the plugin's block $PLUGIN_BYTES bytes, one" \
    "host's entry ${PER_HOST_BYTES} bytes); 1 host ${ONE_BYTES} bytes"
result "  hosts block: hosts_total $hosts_total, $hosts_len entries, keys = the $HOSTS_B configured targets" \
    "in order: $KEYS_OK"
result "  GET /queue latency ($REQUESTS requests each, a new connection each, curl time_total, the two" \
    "servers in turn): $HOSTS_B hosts median ${big_med} ms, p99 ${big_p99} ms, max ${big_max} ms;" \
    "1 host median ${one_med} ms, p99 ${one_p99} ms, max ${one_max} ms; ratio median" \
    "$(ratio "$big_med" "$one_med"), p99 $(ratio "$big_p99" "$one_p99")"
result "load average (1/5/15 min) at start: $LOAD_BEGIN; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
