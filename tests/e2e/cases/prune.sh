#!/usr/bin/env bash
# The product's one job, for real: the installed host_stub loads the plugin, which prunes real
# BuildKit cache on a real dockerd through a real sshd; `until` is normalised for the engine.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init prune
e2e_install
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_known_hosts_for main "$E2E_TMP/ssh/known_hosts.main"
e2e_log "remote docker: $(e2e_ssh main 'command -v docker; docker version --format "{{.Client.Version}}"' 2>/dev/null | tr '\n' ' ')"
e2e_plugin_ssh_env "$(e2e_sshd_port main)" "$E2E_TMP/ssh/known_hosts.main" yes

# Ages cache past until=1s. Sleeping here ages the data under test; it synchronises nothing.
e2e_age_cache_past_one_second() { sleep 2; }

case_once_prunes_real_cache_over_ssh() {
    e2e_build_cache prune-a 30
    local before
    before=$(e2e_build_cache_bytes)
    e2e_assert_int_between "$before" 25000000 40000000 "build cache before the prune"
    e2e_age_cache_past_one_second
    # No --manifests/--plugins: the installed host finds its bundled manifest and plugin.
    e2e_host_once real - "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_UNTIL=1s
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code ($(tail -3 "$E2E_ONCE_ERR"))"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error"
    e2e_assert_eq 1s "$(e2e_once_field until)" "until sent to docker"
    e2e_assert_eq 1 "$(e2e_once_field successes_total)" "successes_total"
    local bytes human label
    bytes=$(e2e_once_field last_reclaimed_bytes)
    human=$(e2e_once_field last_reclaimed_human)
    label=$(e2e_once_field last_reclaimed)
    e2e_log "plugin reports $bytes bytes ($label, docker: $human); docker system df said $before before"
    # What docker printed (the human form the plugin kept) and the bytes parsed from it agree,
    # and match what `docker system df` showed before the prune, within its rounding.
    e2e_assert_eq "$(e2e_human_to_bytes "$human")" "$bytes" "last_reclaimed_bytes vs last_reclaimed_human"
    # last_reclaimed is the original module's label: f"{bytes / 1024**3:.2f} GB".
    e2e_assert_eq "$(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1073741824 }')" "$label" \
        "last_reclaimed (GiB label)"
    e2e_assert_int_between "$bytes" $((before * 99 / 100)) $((before * 101 / 100)) \
        "reclaimed bytes vs build cache size before"
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache after the prune (docker system df)"
}

case_until_7d_is_normalised_and_young_cache_kept() {
    e2e_build_cache prune-b 30
    local before
    before=$(e2e_build_cache_bytes)
    e2e_assert_int_between "$before" 25000000 40000000 "build cache before the prune"
    e2e_host_once env-7d - "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_UNTIL=7d
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error"
    e2e_assert_eq 168h "$(e2e_once_field until)" "until sent to docker"
    e2e_assert_eq 7d "$(e2e_once_field until_configured)" "until as configured"
    e2e_assert_contains "$(e2e_once_field command)" "until=168h" "command in status"
    e2e_assert_eq 1 "$(e2e_once_field successes_total)" "successes_total"
    e2e_assert_eq 0 "$(e2e_once_field last_reclaimed_bytes)" "bytes reclaimed from young cache"
    e2e_assert_eq "$before" "$(e2e_build_cache_bytes)" "build cache younger than 7d is kept"
    # Why normalising matters: the very value the operator wrote fails on the real engine.
    local rc=0 err
    err=$(e2e_ssh main 'docker builder prune -f --filter until=7d' 2>&1 >/dev/null) || rc=$?
    e2e_assert_ne 0 "$rc" "raw until=7d on the engine: exit code"
    e2e_assert_contains "$err" 'unknown unit "d"' "raw until=7d on the engine: error"
}

case_until_from_manifest_config() {
    local manifests
    manifests=$(e2e_manifest_dir until-2w 'config.build_cache_prune_until="2w"')
    e2e_host_once manifest-2w "$manifests" "${E2E_SSH_ENV[@]}"
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error"
    e2e_assert_eq 336h "$(e2e_once_field until)" "until from the manifest, normalised"
    e2e_assert_eq 1 "$(e2e_once_field successes_total)" "successes_total"
}

case_all_prunes_everything_older_than_until() {
    e2e_age_cache_past_one_second
    e2e_host_once all - "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_UNTIL=1s \
        ORCH_BUILD_CACHE_PRUNE_ALL=true
    e2e_assert_eq 0 "$E2E_ONCE_RC" "host_stub --once exit code"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error"
    e2e_assert_eq true "$(e2e_once_field all)" "all"
    e2e_assert_matches "$(e2e_once_field command)" " -a .*until=1s" "command carries -a with the filter"
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache after an --all prune"
}

# Whichever docker CLI the remote PATH finds must print what the plugin parses. Here the
# remote's PATH is /usr/bin:/bin: the distribution's docker 20.10 client (a host's default PATH
# may find a newer client in /usr/local/bin first, as the cases above do on some machines).
case_prune_with_the_distribution_docker_client() {
    e2e_start_sshd docker20 "SetEnv DOCKER_HOST=$E2E_DOCKER_HOST PATH=/usr/bin:/bin"
    e2e_known_hosts_for docker20 "$E2E_TMP/ssh/known_hosts.docker20"
    e2e_log "remote docker: $(e2e_ssh docker20 'command -v docker; docker version --format "{{.Client.Version}}"' 2>/dev/null | tr '\n' ' ')"
    e2e_build_cache prune-c 30
    local before
    before=$(e2e_build_cache_bytes)
    e2e_age_cache_past_one_second
    # (E2E_SSH_ENV changes in this case's subshell only.)
    e2e_plugin_ssh_env "$(e2e_sshd_port docker20)" "$E2E_TMP/ssh/known_hosts.docker20" yes
    e2e_host_once docker20 - "${E2E_SSH_ENV[@]}" ORCH_BUILD_CACHE_PRUNE_UNTIL=1s
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error"
    e2e_assert_int_between "$(e2e_once_field last_reclaimed_bytes)" $((before * 99 / 100)) \
        $((before * 101 / 100)) "reclaimed bytes vs build cache size before"
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache after the prune"
}

e2e_case once_prunes_real_cache_over_ssh case_once_prunes_real_cache_over_ssh
e2e_case prune_with_the_distribution_docker_client case_prune_with_the_distribution_docker_client
e2e_case until_7d_is_normalised_and_young_cache_kept case_until_7d_is_normalised_and_young_cache_kept
e2e_case until_from_manifest_config case_until_from_manifest_config
e2e_case all_prunes_everything_older_than_until case_all_prunes_everything_older_than_until
e2e_finish
