# shellcheck shell=bash
# Common machinery for the end-to-end scripts: one private temp dir, teardown by PID however the
# script ends, polling with a deadline, per-case PASS/FAIL lines and assertions.
#
# A script sources this file, calls `e2e_init NAME`, starts what it needs, runs its cases with
# `e2e_case NAME FUNCTION` and ends with `e2e_finish`.

set -euo pipefail

E2E_HARNESS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_FIXTURES_DIR="$(cd "$E2E_HARNESS_DIR/../../fixtures/e2e" && pwd)"
E2E_FAILED=0
E2E_PASSED=0
E2E_TMP=""

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }

e2e_now_ms() { echo $(($(date +%s%N) / 1000000)); }

e2e_die() {
    e2e_log "FATAL: $*"
    exit 1
}

# The script is skipped only when asked explicitly; by default it runs and a missing piece fails.
e2e_skip_if_disabled() {
    if [[ "${ORCH_E2E:-1}" == "0" ]]; then
        echo "SKIP: ORCH_E2E=0"
        exit 77
    fi
}

e2e_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || e2e_die "required tool '$tool' not found on PATH"
    done
}

e2e_init() {
    local name=$1
    e2e_skip_if_disabled
    [[ $(id -u) -eq 0 ]] || e2e_die "the e2e suite runs dockerd and sshd and needs root"
    e2e_require ssh ssh-keygen /usr/sbin/sshd pgrep timeout perl
    # Only what a case sets may configure the plugin or the host; no agent keys either.
    local var
    for var in $(compgen -e); do
        [[ "$var" == ORCH_* && "$var" != ORCH_E2E ]] && unset "$var"
    done
    unset SSH_AUTH_SOCK
    # Short path: unix socket paths (docker.sock, containerd's sockets) are limited to 108 bytes.
    E2E_TMP="$(mktemp -d "/tmp/orch-e2e-${name}.XXXXXX")"
    chmod 755 "$E2E_TMP"
    mkdir -p "$E2E_TMP/pids"
    export E2E_TMP
    trap e2e_teardown EXIT
    trap 'e2e_log "interrupted"; exit 130' INT TERM HUP
    e2e_log "temp dir $E2E_TMP"
}

# Starts a background command and records its PID under $E2E_TMP/pids/NAME.pid so that the
# teardown stops it. Sets E2E_BG_PID.
e2e_spawn() {
    local name=$1
    shift
    "$@" &
    E2E_BG_PID=$!
    echo "$E2E_BG_PID" >"$E2E_TMP/pids/$name.pid"
    e2e_proc_start_time "$E2E_BG_PID" >"$E2E_TMP/pids/$name.start" || true
}

# The kernel's start time of PID (field 22 of /proc/PID/stat, after the parenthesised name):
# with the PID it names one process for good, so a recycled PID is never stopped by mistake.
e2e_proc_start_time() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# Stops the process a pidfile names, if it is still that process; removes the pidfile.
e2e_stop_pidfile() {
    local pidfile=$1 grace_s=${2:-10} pid start
    [[ -f "$pidfile" ]] || return 0
    pid=$(cat "$pidfile")
    start="${pidfile%.pid}.start"
    if [[ ! -s "$start" || "$(e2e_proc_start_time "$pid")" == "$(cat "$start")" ]]; then
        e2e_stop_pid "$pid" "$grace_s"
    fi
    rm -f "$pidfile" "$start"
}

# Alive and not a zombie (kill -0 succeeds on an exited child that was not reaped yet).
e2e_pid_alive() {
    local stat
    [[ -n "${1:-}" ]] || return 1
    stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ -n "$stat" && "$stat" != Z* ]]
}

# SIGTERM, a grace period, then SIGKILL; reaps the process when it is our child.
e2e_stop_pid() {
    local pid=$1 grace_s=${2:-10}
    if e2e_pid_alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! e2e_wait_until "$grace_s" "pid $pid to exit after SIGTERM" e2e_pid_gone "$pid"; then
            e2e_log "pid $pid ignored SIGTERM for ${grace_s}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

e2e_pid_gone() { ! e2e_pid_alive "$1"; }

e2e_teardown() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    [[ -n "$E2E_TMP" && -d "$E2E_TMP" ]] || exit "$rc"
    # Everything started in the background has a pidfile (dockerd stops its containerd itself).
    # The hosts first, then what they talk to.
    local pidfile
    for pidfile in "$E2E_TMP"/pids/host_stub-*.pid "$E2E_TMP"/pids/*.pid; do
        e2e_stop_pidfile "$pidfile" 10
    done
    # Safety net: nothing that names our private temp dir may outlive the script. Every such
    # process was started by this script (the dir is unique), so stopping them by PID is ours.
    local leftover
    for leftover in $(pgrep -f -- "$E2E_TMP" || true); do
        [[ "$leftover" == "$$" || "$leftover" == "$BASHPID" ]] && continue
        e2e_log "teardown: leftover process $leftover: $(ps -o args= -p "$leftover" 2>/dev/null)"
        kill -KILL "$leftover" 2>/dev/null
    done
    local mnt
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null
    done < <(awk -v d="$E2E_TMP" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r)
    rm -rf "$E2E_TMP"
    exit "$rc"
}

# Polls CMD every 50 ms until it succeeds or TIMEOUT_S passes. The event is what we wait on;
# the interval is only how often we look.
e2e_wait_until() {
    local timeout_s=$1 what=$2
    shift 2
    local deadline=$(($(e2e_now_ms) + timeout_s * 1000))
    until "$@"; do
        if (($(e2e_now_ms) >= deadline)); then
            e2e_log "timed out after ${timeout_s}s waiting for: $what"
            return 1
        fi
        sleep 0.05
    done
}

# Runs one case in a subshell (so a failing assertion ends only that case) and prints one line:
# PASS/FAIL, the name and the time it took.
e2e_case() {
    local name=$1
    shift
    local start rc
    start=$(e2e_now_ms)
    e2e_log "case $name: start"
    set +e
    (
        set -e
        # Whatever the case started and did not stop (it failed half-way) is stopped here, so
        # that it cannot disturb the next case.
        e2e_snapshot_pidfiles >"$E2E_TMP/pids.before-case"
        trap e2e_stop_case_processes EXIT
        "$@"
    )
    rc=$?
    set -e
    local took=$(($(e2e_now_ms) - start))
    if ((rc == 0)); then
        E2E_PASSED=$((E2E_PASSED + 1))
        echo "PASS: $name (${took} ms)"
    else
        E2E_FAILED=$((E2E_FAILED + 1))
        echo "FAIL: $name (${took} ms, rc=$rc)"
    fi
}

e2e_snapshot_pidfiles() { (cd "$E2E_TMP/pids" && ls -1 -- *.pid 2>/dev/null) || true; }

e2e_stop_case_processes() {
    local pidfile
    for pidfile in $(e2e_snapshot_pidfiles); do
        grep -qxF "$pidfile" "$E2E_TMP/pids.before-case" && continue
        # The engine is the script's, even when a case restarted it.
        [[ "$pidfile" == dockerd.pid ]] && continue
        e2e_log "case cleanup: stopping ${pidfile%.pid}"
        e2e_stop_pidfile "$E2E_TMP/pids/$pidfile" 10
    done
}

e2e_finish() {
    echo "e2e summary: $E2E_PASSED passed, $E2E_FAILED failed"
    ((E2E_FAILED == 0))
}

# ---- listening TCP sockets, from /proc (no iproute2 needed) ----

# "ADDRESS PORT INODE" for every listening TCP socket on the machine; IPv4 addresses dotted,
# IPv6 ones as 32 hex digits.
e2e_tcp_listeners() {
    # mawk (Debian's default awk) has no strtonum: hex by hand.
    awk 'function hex(h,   i, n) {
            n = 0
            for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789ABCDEF", toupper(substr(h, i, 1))) - 1
            return n
        }
        FNR > 1 && $4 == "0A" {
            split($2, a, ":"); addr = a[1]
            if (length(addr) == 8)
                addr = hex(substr(addr, 7, 2)) "." hex(substr(addr, 5, 2)) "." hex(substr(addr, 3, 2)) "." hex(substr(addr, 1, 2))
            print addr, hex(a[2]), $10
        }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

e2e_port_listening() { e2e_tcp_listeners | awk -v p="$1" '$2 == p {found = 1} END {exit !found}'; }

# "ADDRESS:PORT" of each listening TCP socket that process PID holds.
e2e_listeners_of() {
    local pid=$1 inodes
    inodes=$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
    e2e_tcp_listeners | awk -v inodes="$inodes" '
        BEGIN { n = split(inodes, list, "\n"); for (i = 1; i <= n; i++) own[list[i]] = 1 }
        ($3 in own) { print $1 ":" $2 }'
}

# ---- assertions: each prints what was expected and what was found, and fails the case ----

e2e_fail() {
    e2e_log "ASSERTION FAILED: $*"
    return 1
}

e2e_assert_eq() {
    local expected=$1 actual=$2 what=$3
    [[ "$actual" == "$expected" ]] || e2e_fail "$what: expected '$expected', got '$actual'"
}

e2e_assert_ne() {
    local unexpected=$1 actual=$2 what=$3
    [[ "$actual" != "$unexpected" ]] || e2e_fail "$what: expected anything but '$unexpected'"
}

e2e_assert_contains() {
    local haystack=$1 needle=$2 what=$3
    [[ "$haystack" == *"$needle"* ]] || e2e_fail "$what: expected to contain '$needle', got '$haystack'"
}

e2e_assert_not_contains() {
    local haystack=$1 needle=$2 what=$3
    [[ "$haystack" != *"$needle"* ]] || e2e_fail "$what: must not contain '$needle', got '$haystack'"
}

# Case-insensitive match of an extended regex.
e2e_assert_matches() {
    local text=$1 regex=$2 what=$3
    grep -qiE -- "$regex" <<<"$text" || e2e_fail "$what: expected to match /$regex/, got '$text'"
}

e2e_assert_int_between() {
    local value=$1 low=$2 high=$3 what=$4
    [[ "$value" =~ ^[0-9]+$ ]] || {
        e2e_fail "$what: expected an integer, got '$value'"
        return 1
    }
    ((value >= low && value <= high)) || e2e_fail "$what: expected $low..$high, got $value"
}

e2e_assert_file_absent() {
    local file=$1 what=$2
    [[ ! -e "$file" ]] || e2e_fail "$what: file '$file' exists"
}
