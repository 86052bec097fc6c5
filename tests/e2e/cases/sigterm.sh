#!/usr/bin/env bash
# SIGTERM to host_stub (serving, then --once) while a prune takes long (the remote `docker`
# sleeps 300 s): /queue still answers during the prune, host_stub exits 0 promptly and leaves
# no ssh or other child behind.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init sigterm
e2e_install
e2e_ssh_keys
e2e_start_fake_remote slow
e2e_known_hosts_for slow "$E2E_TMP/kh.slow"
e2e_plugin_ssh_env "$(e2e_sshd_port slow)" "$E2E_TMP/kh.slow" yes
MANIFESTS=$(e2e_manifest_dir sigterm)

# Every descendant of PID, one per line.
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

remote_prune_started() { [[ -s "$E2E_FAKE_DOCKER_DIR/hang.started" ]]; }

# These cases interrupt the age prune: space checks off (issue 10), so the command that hangs is
# the prune, not the space probe's `docker info`.
NO_PROBE=ORCH_BUILD_CACHE_PRUNE_MIN_FREE=0

case_sigterm_during_long_prune() {
    e2e_fake_mode hang
    rm -f "$E2E_FAKE_DOCKER_DIR/hang.started"
    e2e_host_serve slow "$MANIFESTS" "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S=600 \
        "$NO_PROBE"
    e2e_wait_until 20 "the remote prune to start" remote_prune_started
    local remote_pid
    remote_pid=$(cat "$E2E_FAKE_DOCKER_DIR/hang.started")
    # The "remote" prune is on this machine: the teardown stops it by PID like everything else.
    echo "$remote_pid" >"$E2E_TMP/pids/remote-prune.pid"
    e2e_proc_start_time "$remote_pid" >"$E2E_TMP/pids/remote-prune.start"

    local start took
    start=$(e2e_now_ms)
    e2e_assert_eq true "$(e2e_q in_flight)" "in_flight while the prune runs"
    took=$(($(e2e_now_ms) - start))
    e2e_log "GET /queue during the prune answered in $took ms"
    e2e_assert_int_between "$took" 0 2000 "ms for GET /queue during a prune"

    local children ssh_seen=0 pid
    children=$(descendants "$E2E_HOST_PID")
    for pid in $children; do
        [[ "$(ps -o comm= -p "$pid")" == ssh ]] && ssh_seen=1
    done
    e2e_assert_eq 1 "$ssh_seen" "an ssh child of host_stub during the prune"
    e2e_log "host_stub descendants during the prune: $(echo "$children" | tr '\n' ' ')"

    e2e_host_stop
    e2e_assert_eq 0 "$E2E_HOST_RC" "host_stub exit code after SIGTERM"
    e2e_assert_int_between "$E2E_HOST_STOP_MS" 0 5000 "ms from SIGTERM to exit"
    for pid in $children; do
        e2e_pid_gone "$pid" || e2e_fail "child $pid ($(ps -o args= -p "$pid")) outlived host_stub"
    done
    e2e_assert_eq "" "$(pgrep -f -- "$E2E_SSH_KEY" || true)" "ssh clients left"

    # Killing the local ssh does not cancel the remote command (TOOLCHAIN.md); say what happened.
    if e2e_pid_alive "$remote_pid"; then
        e2e_log "the remote prune (pid $remote_pid) is still running after ssh was killed"
    fi
    e2e_stop_pidfile "$E2E_TMP/pids/remote-prune.pid" 5
}

# The operator's `host_stub --once` interrupted during the same long prune: it stops the tick,
# still prints the /queue JSON (saying the prune was cancelled) and exits 0.
case_sigterm_during_once() {
    e2e_fake_mode hang
    rm -f "$E2E_FAKE_DOCKER_DIR/hang.started"
    local out="$E2E_TMP/once-sigterm.json" err="$E2E_TMP/once-sigterm.err" pid rc=0
    env "${E2E_SSH_ENV[@]}" "$NO_PROBE" "$E2E_HOST_STUB" --once --manifests "$MANIFESTS" \
        --plugins "$E2E_PLUGIN_DIR" >"$out" 2>"$err" </dev/null &
    pid=$!
    echo "$pid" >"$E2E_TMP/pids/host_stub-once.pid"
    e2e_wait_until 20 "the remote prune to start" remote_prune_started
    cp "$E2E_FAKE_DOCKER_DIR/hang.started" "$E2E_TMP/pids/remote-prune-once.pid"
    e2e_proc_start_time "$(cat "$E2E_FAKE_DOCKER_DIR/hang.started")" >"$E2E_TMP/pids/remote-prune-once.start"
    local start took
    start=$(e2e_now_ms)
    kill -TERM "$pid"
    e2e_wait_until 30 "host_stub --once to exit" e2e_pid_gone "$pid"
    took=$(($(e2e_now_ms) - start))
    wait "$pid" || rc=$?
    rm -f "$E2E_TMP/pids/host_stub-once.pid"
    e2e_log "host_stub --once exited $rc, $took ms after SIGTERM"
    # Interrupted, nothing pruned: 128 + SIGTERM, as a shell reports it (issue 8 item 8).
    e2e_assert_eq 143 "$rc" "host_stub --once exit code after SIGTERM"
    e2e_assert_int_between "$took" 0 5000 "ms from SIGTERM to exit"
    e2e_assert_matches "$(e2e_json get "$out" build_cache_prune.last_error)" "cancel" \
        "last_error in the printed /queue"
    e2e_assert_eq "" "$(pgrep -f -- "$E2E_SSH_KEY" || true)" "ssh clients left"
    e2e_stop_pidfile "$E2E_TMP/pids/remote-prune-once.pid" 5
}

e2e_case sigterm_during_long_prune case_sigterm_during_long_prune
e2e_case sigterm_during_once case_sigterm_during_once
e2e_finish
