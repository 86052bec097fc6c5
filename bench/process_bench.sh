#!/usr/bin/env bash
# Whole-process benchmarks of the installed host_stub with the real plugin (issue #5):
#   1. SIGTERM -> exit with a prune in flight, and that no process of the prune is left;
#      reference: the reference module's stop path (reference_stop_model.py), same fake ssh.
#   3. GET /queue under wrk while a prune is in flight; references: our own nginx serving the same
#      JSON as a static file, and host_stub with no prune in flight. GET /metrics under wrk (no
#      prune in flight) against nginx serving a copy of that page. nginx is the strong reference
#      of issue 12: one worker, access_log off; wrk -t2 -c32.
#   4. Idle cost: RSS after start, CPU time and context switches over an idle window between
#      ticks, per thread; reference: an idle nginx (master + workers) over the same window.
#   5. Process start to the `listening` line; reference: host_stub with no plugin.
# The fake ssh that keeps a prune in flight sleeps 60 s (longer for figure 3, to outlast wrk).
# Everything is loopback-only, every wait has a deadline, ports are chosen at run time, and the
# EXIT trap ends every process this script started (by pid). Nothing here fails on a number: the
# exit status only says whether the measurements could be taken.
#
# usage: bench/process_bench.sh [--build DIR | --prefix DIR] [--runs N] [--wrk-seconds S]
#                               [--wrk-rounds N] [--idle-seconds S]
#   --build DIR      build tree to install from (cmake --install into a temp prefix);
#                    default: build/bench (the `bench` preset)
#   --prefix DIR     an installed tree to use as is
#   --runs N         start/stop samples per variant (default 10)
#   --wrk-seconds S  length of each wrk run (default 10)
#   --wrk-rounds N   rounds of (host_stub in flight, host_stub quiet, nginx) (default 2)
#   --idle-seconds S idle window (default 30)
set -euo pipefail
export LC_ALL=C

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR="$SRC_DIR/build/bench"
PREFIX=""
RUNS=10
WRK_SECONDS=10
WRK_ROUNDS=2
IDLE_SECONDS=30
WRK_THREADS=2
WRK_CONNECTIONS=32

while [[ $# -gt 0 ]]; do
    case $1 in
        --build) BUILD_DIR=$2; shift 2 ;;
        --prefix) PREFIX=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
        --wrk-rounds) WRK_ROUNDS=$2; shift 2 ;;
        --idle-seconds) IDLE_SECONDS=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in curl jq wrk nginx python3 cmake; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool is needed"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orch-bench.XXXXXX")
OWNED_PIDS=()  # host_stub, nginx, the reference model: started here
FAKE_PIDS=()   # what the fake ssh reported: may outlive a reference run on purpose

source "$SRC_DIR/bench/bench_lib.sh"

cleanup() {
    end_processes "${OWNED_PIDS[@]}" "${FAKE_PIDS[@]}"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stats_ms() { median_min_max 1000 2 "$@"; }  # "median min max" of microseconds, in milliseconds
ratio() { quotient "$1" "$2" 2; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Processes in session `sid` that are not zombies (the runner puts ssh in its own session).
session_members() {
    local sid=$1 count=0 stat f
    for f in /proc/[0-9]*/stat; do
        { IFS= read -r stat <"$f"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r state _ _ session _ <<<"$stat"
        [[ $state != Z && $session == "$sid" ]] && count=$((count + 1))
    done
    echo "$count"
}

# ---------------------------------------------------------------------------------------------
# The installed layout and the fakes.
use_installed_tree

NO_MANIFESTS="$WORK/no-manifests"
mkdir -p "$NO_MANIFESTS"

# A prune in flight: ssh starts `sleep SECONDS`, reports "<its pid> <sleep pid>" into a FIFO,
# waits.
hanging_ssh() {
    local dir=$1 seconds=$2
    mkdir -p "$dir"
    mkfifo "$dir/started"
    printf '#!/bin/sh\nsleep %d &\necho "$$ $!" > %s\nwait\n' "$seconds" "$dir/started" >"$dir/ssh"
    chmod +x "$dir/ssh"
}
hanging_ssh "$WORK/hang" 60
hanging_ssh "$WORK/hang-reference" 60
# Figure 3 keeps one prune in flight through every wrk run.
hanging_ssh "$WORK/hang-long" $((WRK_ROUNDS * 3 * (WRK_SECONDS + 10) + 60))
# O_RDWR: opening never blocks and the FIFO never reports EOF between runs.
exec {STARTED_FD}<>"$WORK/hang/started"
exec {STARTED_LONG_FD}<>"$WORK/hang-long/started"

# A prune that succeeds at once with real docker output.
mkdir -p "$WORK/quick"
{
    printf '#!/bin/sh\ncat <<'"'"'EOF'"'"'\n'
    cat "$SRC_DIR/tests/core/fixtures/legacy_prune_all.txt"
    printf 'EOF\n'
} >"$WORK/quick/ssh"
chmod +x "$WORK/quick/ssh"

# Reads the pids a hanging fake reported into FIFO fd $1; sets SSH_PID and GRANDCHILD_PID.
wait_for_prune_in_flight() {
    read -r -t 10 -u "$1" SSH_PID GRANDCHILD_PID || die "the fake ssh did not start within 10 s"
    FAKE_PIDS+=("$SSH_PID" "$GRANDCHILD_PID")
}

# start_host NAME SSH_DIR MANIFEST_DIR: starts host_stub on 127.0.0.1:0 with the fake ssh first
# on PATH; sets HOST_PID, HOST_ADDR and START_US (fork to the `listening` line).
start_host() {
    local name=$1 ssh_dir=$2 manifests=$3 line t0
    local out="$WORK/$name.out"
    HOST_ERR="$WORK/$name.err"
    rm -f "$out"
    mkfifo "$out"
    t0=$(now_us)
    # MIN_FREE=0: no space probe (issue 10), so the fake ssh is the age prune these figures time.
    PATH="$ssh_dir:$PATH" ORCH_DEPLOY_SSH_HOST=bench-host ORCH_BUILD_CACHE_PRUNE_MIN_FREE=0 \
        "$HOST_STUB" --manifests "$manifests" --plugins "$PLUGINS" --listen 127.0.0.1:0 \
        >"$out" 2>"$HOST_ERR" </dev/null &
    HOST_PID=$!
    OWNED_PIDS+=("$HOST_PID")
    exec {HOST_OUT_FD}<"$out"
    read -r -t 10 -u "$HOST_OUT_FD" line ||
        die "host_stub printed no listening line within 10 s: $(tail -3 "$HOST_ERR")"
    START_US=$(($(now_us) - t0))
    [[ $line == "listening on "* ]] || die "unexpected first line from host_stub: $line"
    HOST_ADDR=${line#listening on }
}

# Drops a reaped pid from OWNED_PIDS, so cleanup never signals a pid that was reused.
forget_pid() {
    local kept=() pid
    for pid in "${OWNED_PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    OWNED_PIDS=("${kept[@]}")
}

# SIGTERM and wait; sets STOP_US and HOST_RC. The signal goes out at a random point of a 250 ms
# cycle: Poco's TCPServer polls its socket with a fixed 250 ms timeout and its stop() joins that
# loop, so without host_stub's wake-up on stop the exit time depends on the phase, and sending
# right after `listening` would always hit the same one. (This pause samples the phase; it is not
# a wait for an event.)
stop_host() {
    local t0
    sleep "0.$(printf '%03d' $((RANDOM % 250)))"
    t0=$(now_us)
    kill -TERM "$HOST_PID"
    HOST_RC=0
    wait "$HOST_PID" || HOST_RC=$?
    STOP_US=$(($(now_us) - t0))
    forget_pid "$HOST_PID"
    exec {HOST_OUT_FD}<&-
}

queue_field() { curl -sf --max-time 2 "http://$HOST_ADDR/queue" | jq -r ".build_cache_prune.$1"; }

# Polls /queue (20 ms steps, 10 s deadline) until build_cache_prune.FIELD equals VALUE.
wait_for_queue_field() {
    local field=$1 value=$2 deadline=$((SECONDS + 10))
    until [[ $(queue_field "$field" 2>/dev/null) == "$value" ]]; do
        ((SECONDS < deadline)) || die "/queue never showed build_cache_prune.$field=$value"
        sleep 0.02
    done
}

# start_nginx NAME FILE [METRICS_FILE]: our own nginx (temp prefix, logs and pid inside it)
# serving FILE as /queue (and METRICS_FILE as /metrics) on a free loopback port; sets NGINX_PID
# and NGINX_ADDR.
start_nginx() {
    local name=$1 body=$2 metrics=${3:-} dir="$WORK/nginx-$1" port deadline
    mkdir -p "$dir/www" "$dir/tmp"
    cp "$body" "$dir/www/queue"
    if [[ -n $metrics ]]; then
        cp "$metrics" "$dir/www/metrics"
    else
        : >"$dir/www/metrics"
    fi
    # Workers run as nobody when we are root: let them reach the file.
    chmod 711 "$WORK"
    chmod 755 "$dir" "$dir/www"
    chmod 644 "$dir/www/queue" "$dir/www/metrics"
    port=$(free_port)
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    default_type application/json;
    server {
        listen 127.0.0.1:$port;
        root $dir/www;
        location = /queue { }
        location = /metrics { default_type "text/plain; version=0.0.4; charset=utf-8"; }
    }
}
EOF
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
    NGINX_PID=$!
    OWNED_PIDS+=("$NGINX_PID")
    NGINX_ADDR="127.0.0.1:$port"
    deadline=$((SECONDS + 10))
    until curl -sf --max-time 1 -o "$dir/check" "http://$NGINX_ADDR/queue"; do
        alive "$NGINX_PID" || die "nginx did not start: $(tail -3 "$dir/error.log" "$dir/stdout")"
        ((SECONDS < deadline)) || die "nginx did not answer within 10 s"
        sleep 0.02
    done
    cmp -s "$dir/check" "$body" || die "nginx does not serve the same bytes as /queue"
}

# The nginx master and its workers.
nginx_pids() {
    local children
    read -r -a children <"/proc/$NGINX_PID/task/$NGINX_PID/children" || true
    echo "$NGINX_PID" "${children[@]}"
}

stop_nginx() {
    kill -QUIT "$NGINX_PID"
    wait "$NGINX_PID" || true
    forget_pid "$NGINX_PID"
}

# CPU ticks (utime + stime, all threads) of the given processes together.
cpu_ticks_of() {
    local total=0 pid ticks _
    for pid in "$@"; do
        read -r ticks _ <<<"$(process_counters "$pid")"
        total=$((total + ticks))
    done
    echo "$total"
}

# Runs wrk against URL; the server is PIDS (for its CPU time per request, which other load on the
# machine changes far less than throughput). Prints "rps p50_ms p99_ms max_ms errors cpu_us/req".
run_wrk() {
    local url=$1 out cpu_before cpu_after
    shift
    cpu_before=$(cpu_ticks_of "$@")
    out=$(timeout $((WRK_SECONDS + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" \
        -d"${WRK_SECONDS}s" --latency "$url") || die "wrk failed against $url"
    cpu_after=$(cpu_ticks_of "$@")
    printf '%s\n' "$out" >>"$WORK/wrk.log"
    awk -v cpu_s="$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" 'BEGIN { print t / hz }')" '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        $1 == "Latency" && NF >= 4 && !seen { max = ms($4); seen = 1 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        $1 == "Requests/sec:" { rps = $2 }
        $2 == "requests" && $3 == "in" { requests = $1 }
        /Non-2xx/ { errors += $NF }
        /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%.0f %.3f %.3f %.3f %d %.1f\n", rps, p50, p99, max, errors,
                     (requests > 0 ? cpu_s * 1e6 / requests : 0) }
    ' <<<"$out"
}

# Sums over every thread of PID: "utime+stime_ticks voluntary nonvoluntary".
process_counters() {
    local pid=$1 t stat cpu=0 vol=0 nonvol=0 key value
    for t in /proc/"$pid"/task/*; do
        { IFS= read -r stat <"$t/stat"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        cpu=$((cpu + f[11] + f[12]))
        while read -r key value; do
            case $key in
                voluntary_ctxt_switches:) vol=$((vol + value)) ;;
                nonvoluntary_ctxt_switches:) nonvol=$((nonvol + value)) ;;
            esac
        done <"$t/status"
    done
    echo "$cpu $vol $nonvol"
}

# Per thread of PID: "tid comm cpu_ticks voluntary nonvoluntary", one line each.
thread_counters() {
    local pid=$1 t stat comm key value vol nonvol
    for t in /proc/"$pid"/task/*; do
        { IFS= read -r stat <"$t/stat" && IFS= read -r comm <"$t/comm"; } 2>/dev/null || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        vol=0 nonvol=0
        while read -r key value; do
            case $key in
                voluntary_ctxt_switches:) vol=$value ;;
                nonvoluntary_ctxt_switches:) nonvol=$value ;;
            esac
        done <"$t/status"
        echo "${t##*/} ${comm// /_} $((f[11] + f[12])) $vol $nonvol"
    done
}

rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }

CLK_TCK=$(getconf CLK_TCK)
RESULTS="$WORK/results.txt"
: >"$RESULTS"
result() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

# ---------------------------------------------------------------------------------------------
log "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "kernel $(uname -r), RLIMIT_NOFILE soft $(ulimit -n); load $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEGIN=$(cut -d' ' -f1-3 /proc/loadavg)

# 1 and 5: start-up and SIGTERM, interleaved so each variant sees the same load.
log "1/5: $RUNS x (start without plugin, start with plugin, SIGTERM with a prune in flight)"
START_BARE=() START_PLUGIN=() STOP_INFLIGHT=() STOP_IDLE=() STOP_BARE=()
LEFT=0 EXITING_AT_EXIT=0 BAD_RC=0
for ((i = 0; i < RUNS; i++)); do
    start_host "bare-$i" "$WORK/quick" "$NO_MANIFESTS"
    START_BARE+=("$START_US")
    stop_host
    STOP_BARE+=("$STOP_US")
    ((HOST_RC == 0)) || BAD_RC=$((BAD_RC + 1))

    start_host "plugin-$i" "$WORK/quick" "$MANIFESTS"
    START_PLUGIN+=("$START_US")
    wait_for_queue_field runs_total 1
    stop_host
    STOP_IDLE+=("$STOP_US")
    ((HOST_RC == 0)) || BAD_RC=$((BAD_RC + 1))

    start_host "inflight-$i" "$WORK/hang" "$MANIFESTS"
    wait_for_prune_in_flight "$STARTED_FD"
    stop_host
    STOP_INFLIGHT+=("$STOP_US")
    ((HOST_RC == 0)) || BAD_RC=$((BAD_RC + 1))
    # SIGKILLed with its group, the reparented grandchild may take a moment to die: count what
    # is still there at exit, and what is still there a second later (a leak).
    prune_processes_left() {
        local n=0 pid
        for pid in "$SSH_PID" "$GRANDCHILD_PID"; do
            if alive "$pid"; then n=$((n + 1)); fi
        done
        echo $((n + $(session_members "$SSH_PID")))
    }
    left=$(prune_processes_left)
    EXITING_AT_EXIT=$((EXITING_AT_EXIT + left))
    deadline=$(($(now_us) + 1000000))
    while ((left > 0 && $(now_us) < deadline)); do
        sleep 0.01
        left=$(prune_processes_left)
    done
    LEFT=$((LEFT + left))
done

read -r bare_med bare_min _ <<<"$(stats_ms "${START_BARE[@]}")"
read -r plug_med plug_min plug_max <<<"$(stats_ms "${START_PLUGIN[@]}")"
read -r stop_med stop_min stop_max <<<"$(stats_ms "${STOP_INFLIGHT[@]}")"
read -r idle_med _ idle_max <<<"$(stats_ms "${STOP_IDLE[@]}")"
read -r sbare_med _ sbare_max <<<"$(stats_ms "${STOP_BARE[@]}")"

log "1: the reference module's stop path (thread join 5 s, subprocess timeout 600 s)"
ref_json=$(PATH="$WORK/hang-reference:$PATH" timeout 60 \
    python3 "$SRC_DIR/bench/reference_stop_model.py" "$WORK/hang-reference/started" 600) ||
    die "the reference model failed"
ref_ssh=$(jq -r .ssh_pid <<<"$ref_json")
ref_gc=$(jq -r .grandchild_pid <<<"$ref_json")
FAKE_PIDS+=("$ref_ssh" "$ref_gc")
ref_stop_s=$(jq -r .stop_s <<<"$ref_json")
ref_alive_after_exit=0
for pid in "$ref_ssh" "$ref_gc"; do
    if alive "$pid"; then ref_alive_after_exit=$((ref_alive_after_exit + 1)); fi
done
kill -KILL "$ref_ssh" "$ref_gc" 2>/dev/null || true

result "FIGURE 1 stop (SIGTERM -> host_stub exit, prune in flight): median ${stop_med} ms," \
    "min ${stop_min}, max ${stop_max} (n=$RUNS); goal < 100 ms"
result "  processes of the prune left 1 s after exit: $LEFT (goal 0); still dying at the moment" \
    "of exit: $EXITING_AT_EXIT; non-zero exit statuses: $BAD_RC"
result "  SIGTERM -> exit, plugin idle (no prune in flight): median ${idle_med} ms, max ${idle_max};" \
    "host_stub without plugin: median ${sbare_med} ms, max ${sbare_max}"
result "  reference stop(): $(awk -v s="$ref_stop_s" 'BEGIN { printf "%.0f", s * 1000 }') ms" \
    "(ratio reference/host_stub $(ratio "$(awk -v s="$ref_stop_s" 'BEGIN { print s * 1000 }')" "$stop_med")x);" \
    "thread alive after stop: $(jq -r .thread_alive_after_stop <<<"$ref_json"), ssh alive after" \
    "stop: $(jq -r .ssh_alive_after_stop <<<"$ref_json"), prune processes still running after the" \
    "interpreter exited: $ref_alive_after_exit of 2 (orphaned; killed by this script)"
result "FIGURE 5 start -> 'listening' with the plugin: median ${plug_med} ms, min ${plug_min}," \
    "max ${plug_max}; without plugin (reference): median ${bare_med} ms, min ${bare_min};" \
    "ratio $(ratio "$plug_med" "$bare_med")x (plugin's share ~$(awk -v a="$plug_med" -v b="$bare_med" 'BEGIN { printf "%.2f", a - b }') ms)"

# 3: wrk against /queue with a prune in flight; references: nginx serving the same bytes, and a
# second host_stub whose prune has finished (what the in-flight prune costs the requests, if any).
log "3: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s, $WRK_ROUNDS rounds of" \
    "host_stub (prune in flight), host_stub (no prune in flight), nginx"
start_host "wrk-quiet" "$WORK/quick" "$MANIFESTS"
wait_for_queue_field runs_total 1
wait_for_queue_field in_flight false
QUIET_PID=$HOST_PID QUIET_ADDR=$HOST_ADDR QUIET_OUT_FD=$HOST_OUT_FD
start_host "wrk" "$WORK/hang-long" "$MANIFESTS"
wait_for_prune_in_flight "$STARTED_LONG_FD"
wait_for_queue_field in_flight true
curl -sf --max-time 2 -o "$WORK/queue.json" "http://$HOST_ADDR/queue" || die "GET /queue failed"
curl -sf --max-time 2 -o "$WORK/metrics.txt" "http://$QUIET_ADDR/metrics" ||
    die "GET /metrics failed"
start_nginx wrk "$WORK/queue.json" "$WORK/metrics.txt"
HOST_RUNS=() QUIET_RUNS=() NGINX_RUNS=() METRICS_RUNS=() NGINX_METRICS_RUNS=()
for ((r = 0; r < WRK_ROUNDS; r++)); do
    HOST_RUNS+=("$(run_wrk "http://$HOST_ADDR/queue" "$HOST_PID")")
    QUIET_RUNS+=("$(run_wrk "http://$QUIET_ADDR/queue" "$QUIET_PID")")
    # shellcheck disable=SC2046 # one word per pid
    NGINX_RUNS+=("$(run_wrk "http://$NGINX_ADDR/queue" $(nginx_pids))")
    METRICS_RUNS+=("$(run_wrk "http://$QUIET_ADDR/metrics" "$QUIET_PID")")
    # shellcheck disable=SC2046 # one word per pid
    NGINX_METRICS_RUNS+=("$(run_wrk "http://$NGINX_ADDR/metrics" $(nginx_pids))")
done
still_in_flight=$(queue_field in_flight)
prune_alive=yes
alive "$SSH_PID" && alive "$GRANDCHILD_PID" || prune_alive=no
stop_nginx
stop_host
HOST_PID=$QUIET_PID HOST_OUT_FD=$QUIET_OUT_FD
stop_host
# The best round of each (the least disturbed by other load on the machine), and every round.
best() { printf '%s\n' "$@" | sort -n -r -k1,1 | head -1; }
read -r h_rps h_p50 h_p99 h_max h_err h_cpu <<<"$(best "${HOST_RUNS[@]}")"
read -r q_rps q_p50 q_p99 q_max q_err q_cpu <<<"$(best "${QUIET_RUNS[@]}")"
read -r n_rps n_p50 n_p99 n_max n_err n_cpu <<<"$(best "${NGINX_RUNS[@]}")"
read -r m_rps m_p50 m_p99 m_max m_err m_cpu <<<"$(best "${METRICS_RUNS[@]}")"
read -r nm_rps nm_p50 nm_p99 nm_max nm_err nm_cpu <<<"$(best "${NGINX_METRICS_RUNS[@]}")"
result "FIGURE 3 GET /queue ($(stat -c %s "$WORK/queue.json") bytes), best of $WRK_ROUNDS rounds:"
result "  host_stub, prune in flight: ${h_rps} req/s, p50 ${h_p50} ms, p99 ${h_p99} ms, max ${h_max} ms," \
    "errors ${h_err}, server CPU ${h_cpu} us/request"
result "  host_stub, no prune:        ${q_rps} req/s, p50 ${q_p50} ms, p99 ${q_p99} ms, max ${q_max} ms," \
    "errors ${q_err}, server CPU ${q_cpu} us/request"
result "  nginx, same bytes:          ${n_rps} req/s, p50 ${n_p50} ms, p99 ${n_p99} ms, max ${n_max} ms," \
    "errors ${n_err}, server CPU ${n_cpu} us/request"
result "  throughput ratio host_stub (prune in flight)/nginx $(ratio "$h_rps" "$n_rps") (goal >= 0.50);" \
    "p99 goal < 5 ms; in flight/no prune $(ratio "$h_rps" "$q_rps"); server CPU per request" \
    "host_stub/nginx $(ratio "$h_cpu" "$n_cpu")"
result "  prune still in flight after all rounds: in_flight=$still_in_flight, fake ssh alive: $prune_alive"
for ((r = 0; r < WRK_ROUNDS; r++)); do
    result "  round $((r + 1)) (rps p50 p99 max errors cpu_us/req): in flight ${HOST_RUNS[r]} | no prune" \
        "${QUIET_RUNS[r]} | nginx ${NGINX_RUNS[r]}"
done
result "FIGURE 3m GET /metrics ($(stat -c %s "$WORK/metrics.txt") bytes), best of $WRK_ROUNDS rounds:"
result "  host_stub, no prune: ${m_rps} req/s, p50 ${m_p50} ms, p99 ${m_p99} ms, max ${m_max} ms," \
    "errors ${m_err}, server CPU ${m_cpu} us/request"
result "  nginx, same bytes:   ${nm_rps} req/s, p50 ${nm_p50} ms, p99 ${nm_p99} ms, max ${nm_max} ms," \
    "errors ${nm_err}, server CPU ${nm_cpu} us/request"
result "  throughput ratio host_stub/nginx $(ratio "$m_rps" "$nm_rps") (goal >= 0.50); server CPU per" \
    "request host_stub/nginx $(ratio "$m_cpu" "$nm_cpu")"
for ((r = 0; r < WRK_ROUNDS; r++)); do
    result "  round $((r + 1)) (rps p50 p99 max errors cpu_us/req): host_stub ${METRICS_RUNS[r]} | nginx" \
        "${NGINX_METRICS_RUNS[r]}"
done

# 4: idle cost, host_stub and a fresh nginx side by side over the same window.
log "4: idle for ${IDLE_SECONDS} s after the first prune finished"
start_host "idle" "$WORK/quick" "$MANIFESTS"
wait_for_queue_field runs_total 1
wait_for_queue_field in_flight false
start_nginx idle "$WORK/queue.json"
host_rss=$(rss_kib "$HOST_PID")
host_tasks=("/proc/$HOST_PID/task"/*)
host_threads=${#host_tasks[@]}
nginx_rss=0
for pid in $(nginx_pids); do nginx_rss=$((nginx_rss + $(rss_kib "$pid"))); done
read -r h_cpu0 h_vol0 h_non0 <<<"$(process_counters "$HOST_PID")"
thread_counters "$HOST_PID" >"$WORK/threads.before"
n_cpu0=0 n_vol0=0 n_non0=0
for pid in $(nginx_pids); do
    read -r c v n <<<"$(process_counters "$pid")"
    n_cpu0=$((n_cpu0 + c)) n_vol0=$((n_vol0 + v)) n_non0=$((n_non0 + n))
done
sleep "$IDLE_SECONDS" # the measurement window itself, not a wait for an event
read -r h_cpu1 h_vol1 h_non1 <<<"$(process_counters "$HOST_PID")"
thread_counters "$HOST_PID" >"$WORK/threads.after"
n_cpu1=0 n_vol1=0 n_non1=0
for pid in $(nginx_pids); do
    read -r c v n <<<"$(process_counters "$pid")"
    n_cpu1=$((n_cpu1 + c)) n_vol1=$((n_vol1 + v)) n_non1=$((n_non1 + n))
done
host_rss_end=$(rss_kib "$HOST_PID")
# After the window (attaching perturbs it): what each thread is blocked in, to name the threads.
: >"$WORK/threads.labels"
if command -v gdb >/dev/null; then
    timeout 60 gdb -p "$HOST_PID" -batch -ex "thread apply all bt 12" 2>/dev/null |
        awk '/^Thread / { tid = $6; sub(/\)$/, "", tid); seen[tid] = 0; next }
             tid != "" && !seen[tid] && /(orch::|Poco::|main \()/ &&
             !/Poco::(EventImpl|NotificationQueue|Net::SocketImpl|Net::Socket::|SemaphoreImpl|Event::)/ {
                 line = $0; sub(/^#[0-9]+ +(0x[0-9a-f]+ in )?/, "", line); sub(/\(.*/, "", line)
                 print tid, line; seen[tid] = 1 }' | sort >"$WORK/threads.labels" || true
fi
stop_nginx
stop_host
h_switches=$((h_vol1 - h_vol0 + h_non1 - h_non0))
n_switches=$((n_vol1 - n_vol0 + n_non1 - n_non0))
result "FIGURE 4 idle: host_stub + plugin RSS $((host_rss / 1024)).$(((host_rss % 1024) * 10 / 1024)) MiB" \
    "after start (${host_rss} KiB, ${host_threads} threads; ${host_rss_end} KiB at the end); goal < 15 MB;" \
    "nginx master+workers (reference) ${nginx_rss} KiB, ratio $(ratio "$host_rss" "$nginx_rss")x"
result "  over ${IDLE_SECONDS} s idle: CPU $(((h_cpu1 - h_cpu0) * 1000 / CLK_TCK)) ms," \
    "context switches ${h_switches} ($(awk -v s="$h_switches" -v t="$IDLE_SECONDS" 'BEGIN { printf "%.1f", s / t }')/s);" \
    "nginx: CPU $(((n_cpu1 - n_cpu0) * 1000 / CLK_TCK)) ms, context switches ${n_switches}; goal: no periodic wake-ups"
result "  per thread (tid comm cpu_ms switches) over the window:"
join "$WORK/threads.before" "$WORK/threads.after" | awk -v hz="$CLK_TCK" '{
    printf "%s %s %d %d\n", $1, $2, ($7 - $3) * 1000 / hz, ($8 - $4) + ($9 - $5) }' |
    join -a 1 - "$WORK/threads.labels" | awk '{ label = ""
        for (i = 5; i <= NF; i++) label = label " " $i
        printf "    %s %s %d %d  blocked in:%s\n", $1, $2, $3, $4, (label == "" ? " ?" : label) }' |
    tee -a "$RESULTS"

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
result "load average (1/5/15 min) at start: $LOAD_BEGIN; at end: $LOAD_END"
log "done; wrk output in full was in $WORK/wrk.log (removed with the work dir)"
