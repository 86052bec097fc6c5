#!/usr/bin/env bash
# Issue 10 under real disk pressure: docker's data root on a 400 MB tmpfs this script mounts
# itself (the teardown unmounts everything under its temp dir), filled with real builds until
# free space falls below min_free; a served host_stub with a short check interval prunes within
# one interval, least recently used cache first, and never an image.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"
source "$E2E_HARNESS_DIR/listeners.sh"

e2e_init space-pressure
e2e_install
mkdir -p "$E2E_TMP/docker/root"
mount -t tmpfs -o size=400m tmpfs "$E2E_TMP/docker/root" || e2e_die "cannot mount a tmpfs"
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_known_hosts_for main "$E2E_TMP/ssh/known_hosts.main"
e2e_plugin_ssh_env "$(e2e_sshd_port main)" "$E2E_TMP/ssh/known_hosts.main" yes

MIN_FREE=150000000
CHECK_S=5
free_bytes() { df -P -k "$E2E_TMP/docker/root" | awk 'NR == 2 { printf "%.0f\n", $4 * 1024 }'; }
# The IDs of the unshared cache records of 1 MB and more: each build's 40 MB context. (Its
# 40 MB COPY result is shared with the image it built: BuildKit never prunes that without -a,
# and the plugin's pressure prune never adds -a.)
cache_ids() {
    e2e_docker system df -v --format '{{json .BuildCache}}' |
        { grep -o '"ID":"[^"]*",[^}]*"Shared":"false","Size":"[0-9.]*[MG]B"' || true; } |
        { grep -o '"ID":"[^"]*"' || true; } | sort
}
probed() {
    local v
    v=$(e2e_q last_probe_ts) && [[ "$v" != null ]]
}

case_pressure_prune_within_one_check_interval() {
    local manifests
    manifests=$(e2e_manifest_dir pressure)
    e2e_host_serve pressure "$manifests" "${E2E_SSH_ENV[@]}" \
        "ORCH_BUILD_CACHE_PRUNE_MIN_FREE=$MIN_FREE" "ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S=$CHECK_S"
    e2e_wait_until 20 "the first probe" probed
    e2e_assert_eq null "$(e2e_q last_probe_error)" "last_probe_error"
    e2e_assert_eq 0 "$(e2e_q pressure_prunes_total)" "pressure prunes with room to spare"

    local n=0 first_ids="" last_ids="" ids_before ids_after images_before
    while (($(free_bytes) >= MIN_FREE)); do
        ((n < 8)) || e2e_die "still $(free_bytes) bytes free after $n builds"
        ids_before=$(cache_ids)
        e2e_build_cache "pressure-$n" 40 || e2e_die "build $n failed: the tmpfs filled too fast"
        ids_after=$(cache_ids)
        last_ids=$(comm -13 <(echo "$ids_before") <(echo "$ids_after"))
        ((n > 0)) || first_ids=$last_ids
        n=$((n + 1))
    done
    local filled_at
    filled_at=$(e2e_now_ms)
    images_before=$(e2e_docker images -q | sort | tr '\n' ' ')
    e2e_log "$n builds: $(free_bytes) bytes free < min_free $MIN_FREE; cache $(e2e_build_cache_bytes)"

    e2e_wait_until $((CHECK_S + 10)) "a pressure prune" e2e_q_ge pressure_prunes_total 1
    e2e_log "pressure prune seen $(($(e2e_now_ms) - filled_at)) ms after the disk filled"
    e2e_wait_until 10 "the prune to end" e2e_q_eq in_flight false
    e2e_assert_eq pressure "$(e2e_q last_trigger)" "last_trigger"
    e2e_assert_eq null "$(e2e_q last_error)" "last_error"
    local free_after
    free_after=$(free_bytes)
    e2e_log "after: $free_after bytes free; cache $(e2e_build_cache_bytes)"
    e2e_assert_int_between "$free_after" "$MIN_FREE" 500000000 "free bytes after the pressure prune"
    local ids_now
    ids_now=$(cache_ids)
    [[ -n "$first_ids" && -n "$last_ids" ]] || e2e_fail "no large cache records were seen"
    e2e_assert_eq "" "$(comm -23 <(echo "$last_ids") <(echo "$ids_now"))" "newest build's records missing"
    e2e_assert_eq "" "$(comm -12 <(echo "$first_ids") <(echo "$ids_now"))" "oldest build's records kept"
    e2e_assert_eq "$images_before" "$(e2e_docker images -q | sort | tr '\n' ' ')" "images"
    e2e_assert_eq false "$(e2e_q pressure_unresolved)" "pressure_unresolved"
    e2e_host_stop
}

# The disk filled by a plain file (not cache): the plugin prunes what cache it may, then has
# nothing left, says so once, and once more when the file is gone; it never touches the file,
# an image or anything else.
probe_ts_after() {
    local v
    v=$(e2e_q last_probe_ts) && [[ "$v" != null ]] && awk -v v="$v" -v t="$1" 'BEGIN { exit !(v > t) }'
}
case_plain_file_leaves_pressure_unresolved_and_notifies_once() {
    local manifests images_before
    manifests=$(e2e_manifest_dir unresolved)
    # The test's own prune first: the plain file alone is then what keeps the disk full.
    e2e_docker builder prune -f >/dev/null
    e2e_assert_eq 0 "$(e2e_build_cache_bytes)" "build cache before the fill"
    images_before=$(e2e_docker images -q | sort | tr '\n' ' ')
    e2e_start_http_recorder telegram
    e2e_host_serve unresolved "$manifests" "${E2E_SSH_ENV[@]}" \
        "ORCH_BUILD_CACHE_PRUNE_MIN_FREE=$MIN_FREE" "ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S=$CHECK_S" \
        ORCH_TELEGRAM_BOT_TOKEN=e2e-token ORCH_TELEGRAM_CHAT_ID=4242 \
        "ORCH_TELEGRAM_API_URL=http://127.0.0.1:$E2E_LISTENER_PORT"
    e2e_wait_until 20 "the first probe" probed
    e2e_assert_eq false "$(e2e_q pressure_unresolved)" "pressure_unresolved before the fill"
    local filler="$E2E_TMP/docker/root/filler"
    head -c "$(($(free_bytes) - MIN_FREE / 2))" /dev/zero >"$filler"
    e2e_log "filled: $(free_bytes) bytes free"
    e2e_wait_until $((3 * CHECK_S + 10)) "pressure_unresolved" e2e_q_eq pressure_unresolved true ||
        e2e_fail "pressure_unresolved never became true; /queue: $(e2e_http_get "$E2E_HOST_ADDR" /queue)"
    e2e_assert_eq 1 "$(e2e_q notifications_total)" "notifications on entering"
    # Two more probes in the state: no further notification.
    local ts
    ts=$(e2e_q last_probe_ts)
    e2e_wait_until $((CHECK_S + 10)) "a later probe" probe_ts_after "$ts"
    ts=$(e2e_q last_probe_ts)
    e2e_wait_until $((CHECK_S + 10)) "a later probe" probe_ts_after "$ts"
    e2e_assert_eq true "$(e2e_q pressure_unresolved)" "pressure_unresolved while the file stays"
    e2e_assert_eq 1 "$(e2e_q notifications_total)" "notifications while unresolved"
    [[ -f "$filler" ]] || e2e_fail "the plain file was removed"
    e2e_assert_eq "$images_before" "$(e2e_docker images -q | sort | tr '\n' ' ')" "images"

    rm -f "$filler"
    e2e_wait_until $((CHECK_S + 10)) "pressure_unresolved to clear" e2e_q_eq pressure_unresolved false
    e2e_assert_eq 2 "$(e2e_q notifications_total)" "notifications after leaving"
    e2e_host_stop
    e2e_assert_contains "$(cat "$E2E_TMP/http-telegram.log")" "below min_free" "the entering message"
    e2e_assert_contains "$(cat "$E2E_TMP/http-telegram.log")" "back at or above min_free" "the leaving message"
    e2e_stop_listener telegram
}

e2e_case pressure_prune_within_one_check_interval case_pressure_prune_within_one_check_interval
e2e_case plain_file_leaves_pressure_unresolved_and_notifies_once case_plain_file_leaves_pressure_unresolved_and_notifies_once
e2e_finish
