#!/usr/bin/env bash
# Issue 10 for real: the space probe over a real sshd against a real dockerd 20.10, the budget
# prune (`--keep-storage`) it decides, and the dry run's estimate of it.
# (Not here yet: the tmpfs-backed data root filled until free < min_free, and the plain-file fill
# that leaves pressure unresolved; see the branch report.)
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init space
e2e_install
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_known_hosts_for main "$E2E_TMP/ssh/known_hosts.main"
e2e_plugin_ssh_env "$(e2e_sshd_port main)" "$E2E_TMP/ssh/known_hosts.main" yes

# A budget only (min_free off), so the trigger is the cap and nothing depends on this machine's
# free disk space.
BUDGET=(ORCH_BUILD_CACHE_PRUNE_MIN_FREE=0 ORCH_BUILD_CACHE_PRUNE_MAX_CACHE=25MB)

case_probe_reports_the_real_engine() {
    e2e_host_once probe - "${E2E_SSH_ENV[@]}"  # defaults: min_free 10%
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code ($(tail -3 "$E2E_ONCE_ERR"))"
    e2e_assert_eq null "$(e2e_once_field last_probe_error)" "last_probe_error"
    e2e_assert_eq "$E2E_DOCKER_DIR/root" "$(e2e_once_field docker_root_dir)" "docker_root_dir"
    local size free
    size=$(e2e_once_field disk_size_bytes)
    free=$(e2e_once_field disk_free_bytes)
    e2e_assert_int_between "$free" 1 "$size" "disk_free_bytes within disk_size_bytes"
    e2e_assert_eq "$((size / 10))" "$(e2e_once_field min_free_bytes)" "min_free_bytes = 10% of the disk"
}

case_dry_run_estimates_the_budget_prune_within_ten_percent() {
    e2e_build_cache space-old 20
    e2e_build_cache space-mid 20
    e2e_build_cache space-new 20
    local before images_before
    before=$(e2e_build_cache_bytes)
    images_before=$(e2e_docker images -q | sort | tr '\n' ' ')
    e2e_assert_int_between "$before" 55000000 70000000 "build cache before"

    e2e_host_once dry - "${E2E_SSH_ENV[@]}" "${BUDGET[@]}" ORCH_BUILD_CACHE_PRUNE_DRY_RUN=true
    e2e_assert_eq 0 "$E2E_ONCE_RC" "dry run exit code ($(tail -3 "$E2E_ONCE_ERR"))"
    e2e_assert_eq budget "$(e2e_once_field last_trigger)" "dry run last_trigger"
    e2e_assert_eq 0 "$(e2e_once_field runs_total)" "prunes run in dry run"
    e2e_assert_eq "$before" "$(e2e_build_cache_bytes)" "build cache after the dry run"
    local would
    would=$(e2e_once_field would_reclaim_bytes)
    e2e_log "dry run: would reclaim $would bytes in $(e2e_once_field would_remove_records) records"

    e2e_host_once real - "${E2E_SSH_ENV[@]}" "${BUDGET[@]}"
    e2e_assert_eq 0 "$E2E_ONCE_RC" "budget prune exit code ($(tail -3 "$E2E_ONCE_ERR"))"
    e2e_assert_eq budget "$(e2e_once_field last_trigger)" "last_trigger"
    e2e_assert_eq 1 "$(e2e_once_field pressure_prunes_total)" "pressure_prunes_total"
    e2e_assert_contains "$(e2e_once_field command)" "until=24h" "the age prune's command in status"
    local reclaimed after
    reclaimed=$(e2e_once_field last_reclaimed_bytes)
    after=$(e2e_build_cache_bytes)
    e2e_log "budget prune: reclaimed $reclaimed bytes; cache $before -> $after"
    e2e_assert_int_between "$reclaimed" $((would * 90 / 100)) $((would * 110 / 100)) \
        "reclaimed vs the dry run's would_reclaim_bytes"
    # Least recently used first: the cache ends at most at the cap with the newest build kept.
    e2e_assert_int_between "$after" 15000000 25000000 "build cache after the budget prune"
    e2e_assert_eq "$images_before" "$(e2e_docker images -q | sort | tr '\n' ' ')" "images"
}

e2e_case probe_reports_the_real_engine case_probe_reports_the_real_engine
e2e_case dry_run_estimates_the_budget_prune_within_ten_percent case_dry_run_estimates_the_budget_prune_within_ten_percent
e2e_finish
