#!/usr/bin/env bash
# The harness itself, without the plugin: a real sshd whose remote `docker` reaches the test
# engine, a real build cache, what the real engine prints and rejects. If these fail, every
# plugin case below them would fail for reasons that are not the plugin's.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/listeners.sh"

e2e_init harness
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_start_nodocker_remote nodocker
e2e_start_fake_remote fake

case_remote_command_runs() {
    e2e_assert_eq "hello" "$(e2e_ssh main 'echo hello')" "ssh echo"
}

case_remote_docker_reaches_test_engine() {
    local root
    root=$(e2e_ssh main 'docker info --format "{{.DockerRootDir}}"' 2>/dev/null)
    e2e_assert_eq "$E2E_DOCKER_DIR/root" "$root" "remote docker's engine data-root"
    e2e_log "remote docker is $(e2e_ssh main 'command -v docker; docker version --format "client {{.Client.Version}} server {{.Server.Version}}"' 2>/dev/null | tr '\n' ' ')"
}

case_build_creates_cache_and_direct_prune_reclaims_it() {
    e2e_build_cache selftest 30
    local before out
    before=$(e2e_build_cache_bytes)
    e2e_assert_int_between "$before" 25000000 40000000 "build cache after a 30 MB build"
    # Ageing the cache is the thing under test here (until=1s prunes only what is older than 1 s),
    # not a synchronisation: wait until the build is at least 2 s in the past.
    sleep 2
    out=$(e2e_ssh main 'docker builder prune -f --filter until=1s' 2>/dev/null)
    e2e_assert_matches "$out" '^Total reclaimed space: [0-9.]+[kMG]?B$' "legacy summary line"
    local reclaimed
    reclaimed=$(e2e_human_to_bytes "$(sed -n 's/^Total reclaimed space: //p' <<<"$out")")
    e2e_assert_int_between "$reclaimed" 25000000 40000000 "reclaimed bytes"
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache after prune"
}

case_raw_7d_is_rejected_by_the_engine() {
    local err rc=0
    err=$(e2e_ssh main 'docker builder prune -f --filter until=7d' 2>&1 >/dev/null) || rc=$?
    e2e_assert_ne 0 "$rc" "exit code of prune with until=7d"
    e2e_assert_contains "$err" 'unknown unit "d"' "engine's error for until=7d"
}

case_stopped_dockerd_is_visible_then_back() {
    e2e_stop_dockerd
    local rc=0
    e2e_ssh main 'docker builder prune -f --filter until=24h' >/dev/null 2>&1 || rc=$?
    e2e_assert_ne 0 "$rc" "prune with dockerd stopped"
    e2e_start_dockerd
    e2e_assert_eq "hello" "$(e2e_ssh main 'docker info >/dev/null && echo hello' 2>/dev/null)" \
        "remote docker after restart"
}

case_remote_without_docker_gives_127() {
    local rc=0 err
    err=$(e2e_ssh nodocker 'docker builder prune -f --filter until=24h' 2>&1 >/dev/null) || rc=$?
    e2e_assert_eq 127 "$rc" "exit code without docker"
    e2e_assert_contains "$err" "docker: command not found" "stderr without docker"
}

case_fake_remote_records_arguments() {
    e2e_fake_mode record
    local out
    out=$(e2e_ssh fake "docker builder prune -f --filter until='1h;touch x'")
    e2e_assert_eq "Total reclaimed space: 30MB" "$out" "fake docker output"
    e2e_assert_eq "[builder][prune][-f][--filter][until=1h;touch x]" "$(e2e_fake_calls | tail -1)" \
        "arguments the fake docker saw"
}

case_fake_remote_floods() {
    e2e_fake_mode flood
    local sizes
    sizes=$(e2e_ssh fake 'docker builder prune -f --filter until=24h' 2> >(wc -c >"$E2E_TMP/flood.err") | wc -c)
    e2e_assert_int_between "$sizes" 100000000 100000100 "stdout bytes"
    e2e_wait_until 10 "stderr count" test -s "$E2E_TMP/flood.err"
    e2e_assert_int_between "$(cat "$E2E_TMP/flood.err")" 10000000 10000000 "stderr bytes"
    e2e_fake_mode record
}

case_silent_listener_hangs_ssh() {
    e2e_start_silent_listener silent
    local rc=0 start took err
    start=$(e2e_now_ms)
    err=$(ssh -F /dev/null -o BatchMode=yes -o ConnectTimeout=2 -p "$E2E_LISTENER_PORT" \
        -i "$E2E_SSH_KEY" root@127.0.0.1 true 2>&1) || rc=$?
    took=$(($(e2e_now_ms) - start))
    e2e_assert_eq 255 "$rc" "ssh exit code against a silent server"
    e2e_assert_matches "$err" "timed out" "ssh error against a silent server"
    e2e_assert_int_between "$took" 1500 10000 "ms until ssh gave up"
    e2e_stop_listener silent
}

e2e_case remote_command_runs case_remote_command_runs
e2e_case remote_docker_reaches_test_engine case_remote_docker_reaches_test_engine
e2e_case build_creates_cache_and_direct_prune_reclaims_it case_build_creates_cache_and_direct_prune_reclaims_it
e2e_case raw_7d_is_rejected_by_the_engine case_raw_7d_is_rejected_by_the_engine
e2e_case stopped_dockerd_is_visible_then_back case_stopped_dockerd_is_visible_then_back
e2e_case remote_without_docker_gives_127 case_remote_without_docker_gives_127
e2e_case fake_remote_records_arguments case_fake_remote_records_arguments
e2e_case fake_remote_floods case_fake_remote_floods
e2e_case silent_listener_hangs_ssh case_silent_listener_hangs_ssh
e2e_finish
