#!/usr/bin/env bash
# The harness cleans up however a script ends: a script that is SIGTERMed while dockerd and two
# sshds run leaves no process, no mount and no temp dir behind.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"

if [[ "${E2E_TEARDOWN_INNER:-}" == 1 ]]; then
    # The victim: bring everything up, say where it lives, then block until signalled.
    e2e_init victim
    e2e_start_dockerd
    e2e_ssh_keys
    e2e_start_sshd a "SetEnv DOCKER_HOST=$E2E_DOCKER_HOST"
    e2e_start_sshd b
    {
        echo "$E2E_TMP"
        cat "$E2E_TMP"/pids/*.pid
        cat "$E2E_DOCKER_DIR/docker.pid"
    } >"$E2E_TEARDOWN_REPORT.tmp"
    mv "$E2E_TEARDOWN_REPORT.tmp" "$E2E_TEARDOWN_REPORT"
    e2e_spawn blocker sleep 600
    wait "$E2E_BG_PID"
    exit 0
fi

e2e_init teardown

case_sigterm_mid_run_leaves_nothing() {
    local report="$E2E_TMP/victim.report" victim victim_tmp pid
    E2E_TEARDOWN_INNER=1 E2E_TEARDOWN_REPORT="$report" bash "${BASH_SOURCE[0]}" >"$E2E_TMP/victim.log" 2>&1 &
    victim=$!
    e2e_wait_until 90 "the victim to bring dockerd and sshd up" test -s "$report"
    kill -TERM "$victim"
    local rc=0
    wait "$victim" || rc=$?
    e2e_assert_eq 130 "$rc" "victim exit code after SIGTERM"
    victim_tmp=$(head -1 "$report")
    e2e_assert_file_absent "$victim_tmp" "victim temp dir"
    for pid in $(tail -n +2 "$report"); do
        e2e_pid_gone "$pid" || e2e_fail "pid $pid ($(ps -o args= -p "$pid")) survived the teardown"
    done
    local left
    left=$(pgrep -f -- "$victim_tmp" || true)
    e2e_assert_eq "" "$left" "processes naming $victim_tmp"
    e2e_assert_eq "" "$(grep -F "$victim_tmp" /proc/mounts || true)" "mounts under $victim_tmp"
    e2e_log "victim: $(tr "\n" " " <"$E2E_TMP/victim.log")"
}

e2e_case sigterm_mid_run_leaves_nothing case_sigterm_mid_run_leaves_nothing
e2e_finish
