#!/usr/bin/env bash
# GET /metrics as a real Prometheus sees it: a Prometheus server started here scrapes the
# installed host_stub, whose plugin prunes real BuildKit cache on a real dockerd over a real sshd;
# its HTTP API then shows the target up and build_cache_prune_runs_total equal to what /queue
# shows.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"
source "$E2E_HARNESS_DIR/prometheus.sh"

e2e_init metrics
e2e_install
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_known_hosts_for main "$E2E_TMP/ssh/known_hosts.main"
e2e_plugin_ssh_env "$(e2e_sshd_port main)" "$E2E_TMP/ssh/known_hosts.main" yes
MANIFESTS=$(e2e_manifest_dir metrics)

case_prometheus_scrapes_the_prune_queue_shows() {
    e2e_build_cache metrics-a 10
    # The first prune runs at start; the interval keeps it the only one.
    e2e_host_serve prom "$MANIFESTS" "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_INTERVAL_S=3600 \
        ORCH_BUILD_CACHE_PRUNE_UNTIL=24h
    e2e_wait_until 60 "the first prune to succeed" e2e_q_ge successes_total 1
    e2e_assert_eq null "$(e2e_q last_error)" "last_error"
    local successes
    successes=$(e2e_q successes_total)
    e2e_assert_eq 1 "$successes" "successes_total in /queue"

    # promtool, the consumer's own linter, on the page the installed host serves.
    local page="$E2E_TMP/metrics.txt"
    e2e_http_get "$E2E_HOST_ADDR" /metrics >"$page"
    local lint
    lint=$(promtool check metrics <"$page" 2>&1) || e2e_fail "promtool check metrics: $lint"

    e2e_start_prometheus main "$E2E_HOST_ADDR"
    local prom_pid
    prom_pid=$(cat "$E2E_TMP/pids/prometheus-main.pid")
    e2e_wait_until 60 "prometheus to see the target up" \
        e2e_prom_value_is 'up{job="host_stub"}' 1 ||
        e2e_fail "up{job=\"host_stub\"} is '$(e2e_prom_query 'up{job="host_stub"}')'"
    # The host label is the host's key in /queue's `hosts`: the target and the configured port.
    local series="build_cache_prune_runs_total{job=\"host_stub\",host=\"root@127.0.0.1:$(e2e_sshd_port main)\",result=\"success\"}"
    e2e_wait_until 30 "prometheus to hold the prune" e2e_prom_value_is "$series" "$successes" ||
        e2e_fail "$series is '$(e2e_prom_query "$series")', /queue says $successes"
    e2e_assert_eq "$(e2e_q failures_total)" \
        "$(e2e_prom_query 'sum(build_cache_prune_runs_total{result=~"failure|timeout"})')" \
        "failures_total in /queue vs failure+timeout in Prometheus"
    e2e_assert_eq 1 "$(e2e_prom_query 'orch_host_plugins{state="running"}')" \
        "orch_host_plugins running"
    e2e_assert_eq 1 "$(e2e_prom_query 'count(build_cache_prune_run_duration_seconds_bucket{le="+Inf"} == 1)')" \
        "one observed run duration"

    e2e_stop_prometheus main
    e2e_pid_gone "$prom_pid" || e2e_fail "prometheus pid $prom_pid still alive after its stop"
    e2e_host_stop
    e2e_assert_eq 0 "$E2E_HOST_RC" "host_stub exit code"
}

e2e_case prometheus_scrapes_the_prune_queue_shows case_prometheus_scrapes_the_prune_queue_shows
e2e_finish
