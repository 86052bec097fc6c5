#!/usr/bin/env bash
# Issue 11: one host_stub prunes a fleet of three docker hosts through three real sshd on
# loopback in front of the real dockerd: one healthy, one whose sshd is stopped, one that
# accepts TCP and never answers. The healthy host is pruned in its normal time and its cache is
# gone, the other two show their own errors, the top-level last_error summarises both, and the
# next round recovers the host whose sshd is started again.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/listeners.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init fleet
e2e_install
e2e_start_dockerd
e2e_ssh_keys

e2e_start_docker_remote healthy
HEALTHY_PORT=$(e2e_sshd_port healthy)
e2e_start_docker_remote stopped
STOPPED_PORT=$(e2e_sshd_port stopped)
e2e_stop_sshd stopped
e2e_start_silent_listener silent
SILENT_PORT=$E2E_LISTENER_PORT
KNOWN_HOSTS="$E2E_TMP/known_hosts.fleet"
for port in "$HEALTHY_PORT" "$STOPPED_PORT" "$SILENT_PORT"; do
    e2e_known_hosts_for_port "$port" "$E2E_TMP/kh.$port"
    cat "$E2E_TMP/kh.$port" >>"$KNOWN_HOSTS"
done

HOSTS_JSON="[{\"host\": \"127.0.0.1\", \"port\": $HEALTHY_PORT},
    {\"host\": \"127.0.0.1\", \"port\": $STOPPED_PORT},
    {\"host\": \"127.0.0.1\", \"port\": $SILENT_PORT}]"
MANIFESTS=$(e2e_manifest_dir fleet "config.deploy_ssh_hosts=$HOSTS_JSON" \
    config.build_cache_prune_parallelism=4)
# The shared ssh settings; the list gives each host its port. TIMEOUT_S bounds the silent host.
FLEET_ENV=(ORCH_DEPLOY_SSH_USER=root "ORCH_DEPLOY_SSH_IDENTITY_FILE=$E2E_SSH_KEY"
    "ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE=$KNOWN_HOSTS" ORCH_DEPLOY_SSH_STRICT_HOST_KEY=yes
    ORCH_BUILD_CACHE_PRUNE_UNTIL=1s ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S=4)

# The key of the host on PORT in `hosts`, as an e2e_json path part (dots escaped).
host_path() { echo "hosts.root@127\\.0\\.0\\.1:$1"; }
once_host() { e2e_once_field "$(host_path "$1").$2"; }

case_one_round_prunes_the_healthy_host_and_names_the_others() {
    e2e_build_cache fleet-a 30
    local before
    before=$(e2e_build_cache_bytes)
    e2e_assert_int_between "$before" 25000000 40000000 "build cache before the prune"
    sleep 2 # ages the cache past until=1s; it synchronises nothing
    e2e_host_once round "$MANIFESTS" "${FLEET_ENV[@]}"
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code ($(tail -3 "$E2E_ONCE_ERR"))"
    e2e_assert_eq 3 "$(e2e_once_field hosts_total)" "hosts_total"
    e2e_assert_eq 2 "$(e2e_once_field hosts_failing)" "hosts_failing"
    e2e_assert_eq 4 "$(e2e_once_field parallelism)" "parallelism"
    # The healthy host: pruned, its cache gone, in its normal time (not after the silent
    # host's timeout: the hosts ran side by side).
    e2e_assert_eq null "$(once_host "$HEALTHY_PORT" last_error)" "healthy host last_error"
    e2e_assert_eq 1 "$(once_host "$HEALTHY_PORT" successes_total)" "healthy host successes"
    e2e_assert_int_between "$(once_host "$HEALTHY_PORT" last_reclaimed_bytes)" \
        $((before * 99 / 100)) $((before * 101 / 100)) "healthy host reclaimed bytes"
    e2e_assert_int_between "$(once_host "$HEALTHY_PORT" last_duration_ms)" 0 3999 \
        "healthy host prune duration (ms), below the 4 s timeout the silent host takes"
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache after the round"
    # The other two, each with its own error.
    local stopped_error silent_error summary
    stopped_error=$(once_host "$STOPPED_PORT" last_error)
    silent_error=$(once_host "$SILENT_PORT" last_error)
    e2e_assert_matches "$stopped_error" "[Cc]onnection refused" "stopped host last_error"
    e2e_assert_eq 255 "$(once_host "$STOPPED_PORT" last_exit_code)" "stopped host exit code"
    e2e_assert_matches "$silent_error" "time(d)? ?out" "silent host last_error"
    e2e_assert_eq 1 "$(once_host "$SILENT_PORT" timeouts_total)" "silent host timeouts"
    # The top level: the aggregate of the three.
    summary=$(e2e_once_field last_error)
    e2e_log "top-level last_error: $summary"
    e2e_assert_matches "$summary" "^2 of 3 hosts failed: " "top-level last_error"
    e2e_assert_contains "$summary" "root@127.0.0.1:$STOPPED_PORT: " "summary names the stopped host"
    e2e_assert_contains "$summary" "root@127.0.0.1:$SILENT_PORT: " "summary names the silent host"
    e2e_assert_eq "$(once_host "$HEALTHY_PORT" last_reclaimed_bytes)" \
        "$(e2e_once_field last_reclaimed_bytes)" "top-level reclaimed = the one successful host's"
}

case_the_next_round_recovers_a_host_whose_sshd_is_back() {
    e2e_host_serve recover "$MANIFESTS" "${FLEET_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_INTERVAL_S=1
    local stopped
    stopped=$(host_path "$STOPPED_PORT")
    e2e_wait_until 30 "the stopped host to fail once" e2e_q_ge "$stopped.failures_total" 1
    e2e_assert_eq 0 "$(e2e_q "$stopped.successes_total")" "stopped host successes while down"
    E2E_SSHD_PORT=$STOPPED_PORT e2e_start_docker_remote stopped
    e2e_wait_until 30 "the restarted host to succeed" e2e_q_ge "$stopped.successes_total" 1
    e2e_assert_eq null "$(e2e_q "$stopped.last_error")" "recovered host last_error"
    # The silent host still fails on its own; the summary now names only it.
    e2e_wait_until 30 "one host failing" e2e_q_eq hosts_failing 1
    e2e_assert_matches "$(e2e_q last_error)" "^1 of 3 hosts failed: root@127.0.0.1:$SILENT_PORT: " \
        "top-level last_error after the recovery"
    e2e_host_stop
    e2e_assert_eq 0 "$E2E_HOST_RC" "host_stub exit code after SIGTERM"
}

e2e_case one_round_prunes_the_healthy_host_and_names_the_others \
    case_one_round_prunes_the_healthy_host_and_names_the_others
e2e_case the_next_round_recovers_a_host_whose_sshd_is_back \
    case_the_next_round_recovers_a_host_whose_sshd_is_back
e2e_finish
