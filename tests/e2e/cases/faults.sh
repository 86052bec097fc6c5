#!/usr/bin/env bash
# Faults on the way to the docker host, each against a serving host_stub whose plugin ticks every
# second: the fault is recorded in status with a useful last_error, the loop stays alive, and
# once the fault is fixed (at the same address) the next tick succeeds.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/listeners.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init faults
e2e_install
e2e_start_dockerd
e2e_ssh_keys
MANIFESTS=$(e2e_manifest_dir faults)
TICK_ENV=(ORCH_BUILD_CACHE_PRUNE_INTERVAL_S=1 ORCH_BUILD_CACHE_PRUNE_UNTIL=24h
    ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S=20)

# Serves host_stub against 127.0.0.1:PORT with KNOWN_HOSTS and POLICY, plus extra VAR=VALUEs.
serve_against() {
    local name=$1 port=$2 known_hosts=$3 policy=$4
    shift 4
    e2e_plugin_ssh_env "$port" "$known_hosts" "$policy"
    e2e_host_serve "$name" "$MANIFESTS" "${E2E_SSH_ENV[@]}" "${TICK_ENV[@]}" "$@"
}

# Waits for one more failure than now and checks the loop survived it.
expect_failure() {
    local before=$1 timeout_s=${2:-20}
    e2e_wait_until "$timeout_s" "failures_total > $before" e2e_q_ge failures_total $((before + 1))
    e2e_pid_alive "$E2E_HOST_PID" || e2e_fail "host_stub died after the fault"
    LAST_ERROR=$(e2e_q last_error)
    e2e_log "recorded last_error: $LAST_ERROR"
    e2e_assert_ne null "$LAST_ERROR" "last_error after a failure"
}

# Waits for one more success than now; last_error is cleared by it.
expect_recovery() {
    local before
    before=$(e2e_q successes_total)
    e2e_wait_until 20 "successes_total > $before" e2e_q_ge successes_total $((before + 1))
    e2e_assert_eq null "$(e2e_q last_error)" "last_error after recovery"
}

stop_host_cleanly() {
    e2e_host_stop
    e2e_assert_eq 0 "$E2E_HOST_RC" "host_stub exit code after SIGTERM"
}

case_dockerd_stopped() {
    e2e_ensure_dockerd
    e2e_start_docker_remote dk
    e2e_known_hosts_for dk "$E2E_TMP/kh.dk"
    serve_against dockerd "$(e2e_sshd_port dk)" "$E2E_TMP/kh.dk" yes
    expect_recovery
    e2e_stop_dockerd
    expect_failure "$(e2e_q failures_total)"
    e2e_assert_contains "$LAST_ERROR" "Cannot connect to the Docker daemon" "last_error"
    e2e_assert_eq 1 "$(e2e_q last_exit_code)" "last_exit_code"
    e2e_start_dockerd
    expect_recovery
    stop_host_cleanly
}

case_sshd_stopped() {
    e2e_ensure_dockerd
    e2e_start_docker_remote victim
    local port
    port=$(e2e_sshd_port victim)
    e2e_known_hosts_for victim "$E2E_TMP/kh.victim"
    serve_against sshd-stopped "$port" "$E2E_TMP/kh.victim" yes
    expect_recovery
    e2e_stop_sshd victim
    expect_failure "$(e2e_q failures_total)"
    e2e_assert_matches "$LAST_ERROR" "connection refused" "last_error"
    e2e_assert_eq 255 "$(e2e_q last_exit_code)" "last_exit_code (ssh's own failure)"
    E2E_SSHD_PORT=$port e2e_start_docker_remote victim
    expect_recovery
    stop_host_cleanly
}

case_silent_server_times_out() {
    e2e_ensure_dockerd
    e2e_start_silent_listener silent
    local port=$E2E_LISTENER_PORT
    e2e_known_hosts_for_port "$port" "$E2E_TMP/kh.silent"
    serve_against silent "$port" "$E2E_TMP/kh.silent" yes ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S=3
    expect_failure 0 30
    e2e_assert_matches "$LAST_ERROR" "time(d)? ?out" "last_error"
    e2e_assert_int_between "$(e2e_q last_duration_ms)" 2500 10000 "last_duration_ms of the timed-out run"
    # Timed-out runs do not pile up: at most the attempt in flight has an ssh client.
    e2e_assert_int_between "$(pgrep -c -f -- "$E2E_SSH_KEY" || true)" 0 1 "ssh clients alive"
    e2e_stop_listener silent
    E2E_SSHD_PORT=$port e2e_start_docker_remote silent-fixed
    expect_recovery
    stop_host_cleanly
}

case_changed_host_key_refused_under_yes() {
    e2e_ensure_dockerd
    e2e_start_docker_remote hk
    local port
    port=$(e2e_sshd_port hk)
    e2e_wrong_known_hosts_for_port "$port" "$E2E_TMP/kh.hk"
    cp "$E2E_TMP/kh.hk" "$E2E_TMP/kh.hk.orig"
    serve_against hostkey-yes "$port" "$E2E_TMP/kh.hk" yes
    expect_failure 0
    e2e_assert_matches "$LAST_ERROR" "REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed" "last_error"
    e2e_assert_eq 0 "$(e2e_q successes_total)" "successes with a changed host key"
    cmp -s "$E2E_TMP/kh.hk" "$E2E_TMP/kh.hk.orig" || e2e_fail "known_hosts was modified"
    # The operator verifies the new key and records it: the next tick goes through.
    e2e_known_hosts_for hk "$E2E_TMP/kh.hk"
    expect_recovery
    stop_host_cleanly
}

case_changed_host_key_refused_under_accept_new() {
    e2e_ensure_dockerd
    e2e_start_docker_remote hk-an
    local port
    port=$(e2e_sshd_port hk-an)
    e2e_wrong_known_hosts_for_port "$port" "$E2E_TMP/kh.an"
    cp "$E2E_TMP/kh.an" "$E2E_TMP/kh.an.orig"
    e2e_plugin_ssh_env "$port" "$E2E_TMP/kh.an" accept-new
    e2e_host_once accept-new-changed "$MANIFESTS" "${E2E_SSH_ENV[@]}"
    e2e_assert_matches "$(e2e_once_field last_error)" \
        "REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed" "last_error"
    e2e_assert_eq 0 "$(e2e_once_field successes_total)" "successes with a changed host key"
    cmp -s "$E2E_TMP/kh.an" "$E2E_TMP/kh.an.orig" || e2e_fail "known_hosts was modified"
    # yes refuses a host it has never seen and records nothing.
    : >"$E2E_TMP/kh.unknown"
    e2e_plugin_ssh_env "$port" "$E2E_TMP/kh.unknown" yes
    e2e_host_once yes-unknown "$MANIFESTS" "${E2E_SSH_ENV[@]}"
    e2e_assert_matches "$(e2e_once_field last_error)" "Host key verification failed|host key is known" \
        "last_error for an unknown host under yes"
    e2e_assert_eq "" "$(cat "$E2E_TMP/kh.unknown")" "known_hosts after an unknown host under yes"
    # accept-new does accept a host it has never seen, and records its key.
    : >"$E2E_TMP/kh.new"
    e2e_plugin_ssh_env "$port" "$E2E_TMP/kh.new" accept-new
    e2e_host_once accept-new-unknown "$MANIFESTS" "${E2E_SSH_ENV[@]}"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error for a new host under accept-new"
    e2e_assert_contains "$(cat "$E2E_TMP/kh.new")" "$(cut -d' ' -f2 "$E2E_SSH_HOST_KEY_PUB")" \
        "known_hosts after accept-new"
}

case_remote_without_docker() {
    e2e_ensure_dockerd
    e2e_start_nodocker_remote nodocker
    local port
    port=$(e2e_sshd_port nodocker)
    e2e_known_hosts_for nodocker "$E2E_TMP/kh.nodocker"
    serve_against nodocker "$port" "$E2E_TMP/kh.nodocker" yes
    expect_failure 0
    e2e_assert_eq 127 "$(e2e_q last_exit_code)" "last_exit_code"
    e2e_assert_matches "$LAST_ERROR" "127" "last_error names the exit code"
    e2e_assert_matches "$LAST_ERROR" "docker: command not found|not found" "last_error"
    e2e_stop_sshd nodocker
    E2E_SSHD_PORT=$port e2e_start_docker_remote nodocker-fixed
    expect_recovery
    stop_host_cleanly
}

case_remote_prints_100mb() {
    e2e_start_fake_remote flood
    e2e_fake_mode flood
    e2e_known_hosts_for flood "$E2E_TMP/kh.flood"
    # One tick only: the flood is what is measured.
    e2e_plugin_ssh_env "$(e2e_sshd_port flood)" "$E2E_TMP/kh.flood" yes
    e2e_host_serve flood "$MANIFESTS" "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_INTERVAL_S=3600 \
        ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S=60
    e2e_wait_until 60 "the flooded prune to finish" e2e_q_ge runs_total 1
    e2e_wait_until 10 "the run to be recorded" e2e_q_eq in_flight false
    e2e_assert_eq null "$(e2e_q last_error)" "last_error"
    e2e_assert_eq 1500000000 "$(e2e_q last_reclaimed_bytes)" "bytes parsed after 100 MB of output"
    local peak_kb
    peak_kb=$(e2e_peak_rss_kb "$E2E_HOST_PID")
    e2e_log "host_stub peak RSS after 100 MB stdout + 10 MB stderr: ${peak_kb} kB; run took $(e2e_q last_duration_ms) ms"
    e2e_assert_int_between "$peak_kb" 1 51200 "host_stub peak RSS (kB)"
    stop_host_cleanly
}

e2e_case dockerd_stopped case_dockerd_stopped
e2e_case sshd_stopped case_sshd_stopped
e2e_case silent_server_times_out case_silent_server_times_out
e2e_case changed_host_key_refused_under_yes case_changed_host_key_refused_under_yes
e2e_case changed_host_key_refused_under_accept_new case_changed_host_key_refused_under_accept_new
e2e_case remote_without_docker case_remote_without_docker
e2e_case remote_prints_100mb case_remote_prints_100mb
e2e_finish
