#!/usr/bin/env bash
# Security checks as tests: crafted ssh targets and `until` values never run anything; manifests
# cannot load a library from outside the plugin dir; /queue binds loopback by default and shows
# no secret.
source "$(dirname "${BASH_SOURCE[0]}")/../harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/listeners.sh"
source "$E2E_HARNESS_DIR/host_stub.sh"

e2e_init security
e2e_install
e2e_ssh_keys
e2e_start_fake_remote remote
e2e_known_hosts_for remote "$E2E_TMP/kh.remote"
e2e_plugin_ssh_env "$(e2e_sshd_port remote)" "$E2E_TMP/kh.remote" yes
MANIFESTS=$(e2e_manifest_dir security)

# A tripwire `ssh` first on PATH: records that it ran, then is the real ssh. With it a test can
# tell "ssh was never started" from "ssh started and failed".
TRIPWIRE_DIR="$E2E_TMP/tripwire"
SSH_RAN="$E2E_TMP/ssh-ran.log"
mkdir -p "$TRIPWIRE_DIR"
cat >"$TRIPWIRE_DIR/ssh" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$SSH_RAN"
exec $(command -v ssh) "\$@"
EOF
chmod 755 "$TRIPWIRE_DIR/ssh"
TRIPWIRE_PATH="PATH=$TRIPWIRE_DIR:$PATH"

MARKER="$E2E_TMP/INJECTED"
# Option and command injection attempts; each would create $MARKER if it reached a shell or
# ssh's option parser.
INJECTIONS=(
    "-oProxyCommand=touch $MARKER"
    "h; touch $MARKER"
    "\$(touch $MARKER)"
    "\`touch $MARKER\`"
    $'127.0.0.1\ntouch '"$MARKER"
    "127.0.0.1 -oProxyCommand=touch $MARKER"
    "h|touch $MARKER"
    "h&&touch $MARKER"
)

# The positive control: with a valid target the tripwire fires and the remote docker is called,
# so the "never ran" assertions below can fail.
case_tripwire_control() {
    rm -f "$SSH_RAN"
    e2e_host_once control "$MANIFESTS" "$TRIPWIRE_PATH" "${E2E_SSH_ENV[@]}"
    e2e_assert_eq null "$(e2e_once_field last_error)" "last_error with a valid target"
    [[ -s "$SSH_RAN" ]] || e2e_fail "the tripwire ssh did not record a run"
    e2e_assert_eq "[builder][prune][-f][--filter][until=24h]" "$(e2e_fake_calls | tail -1)" \
        "what the remote docker received"
}

# Runs --once with the target setting KEY (host|user) = VALUE given through SOURCE (env|manifest)
# and checks that nothing ran and that status names the config error.
expect_target_refused() {
    local key=$1 source=$2 value=$3 label=$4
    local env_name manifest_key manifests
    env_name="ORCH_DEPLOY_SSH_$(tr a-z A-Z <<<"$key")"
    manifest_key="deploy_ssh_$key"
    rm -f "$MARKER" "$SSH_RAN"
    if [[ "$source" == env ]]; then
        e2e_host_once "$label" "$MANIFESTS" "$TRIPWIRE_PATH" "${E2E_SSH_ENV[@]}" "$env_name=$value"
    else
        manifests=$(e2e_manifest_dir "$label" "config.$manifest_key=$(e2e_json quote "$value")")
        local without=()
        local setting
        for setting in "${E2E_SSH_ENV[@]}"; do
            [[ "$setting" == "$env_name="* ]] || without+=("$setting")
        done
        e2e_host_once "$label" "$manifests" "$TRIPWIRE_PATH" "${without[@]}"
    fi
    e2e_assert_file_absent "$MARKER" "marker after $source $key=$(printf %q "$value")"
    e2e_assert_file_absent "$SSH_RAN" "tripwire (ssh must not run) after $source $key=$(printf %q "$value")"
    e2e_assert_matches "$(e2e_once_field last_error)" "ssh_$key" "last_error for $source $key=$(printf %q "$value")"
    e2e_assert_matches "$(e2e_once_field config_error)" "ssh_$key" "config_error for $source $key=$(printf %q "$value")"
}

case_target_injection() {
    local key=$1 source=$2 i
    for i in "${!INJECTIONS[@]}"; do
        expect_target_refused "$key" "$source" "${INJECTIONS[i]}" "$key-$source-$i"
    done
}

# Settings that are not the target reach ssh only as option values: still nothing may run.
case_ssh_option_values_do_not_inject() {
    local name value
    for name in ORCH_DEPLOY_SSH_IDENTITY_FILE ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE ORCH_DEPLOY_SSH_PORT; do
        for value in "${INJECTIONS[@]}"; do
            rm -f "$MARKER"
            e2e_host_once "opt-$name" "$MANIFESTS" "${E2E_SSH_ENV[@]}" "$name=$value"
            e2e_assert_file_absent "$MARKER" "marker after $name=$(printf %q "$value")"
            # Never a silent success: the run failed or the value was warned about.
            [[ "$(e2e_once_field last_error)" != null ||
                "$(e2e_once_field config_warnings)" != "[]" ]] ||
                e2e_fail "$name=$(printf %q "$value") gave a clean success"
        done
    done
}

case_until_injection() {
    local source=$1 value manifests i=0
    local values=(
        "1h;touch $MARKER"
        "\$(touch $MARKER)"
        "\`touch $MARKER\`"
        "1h' ; touch '$MARKER"
        $'24h\ntouch '"$MARKER"
        "1h&&touch $MARKER"
        "1h --all"
    )
    for value in "${values[@]}"; do
        i=$((i + 1))
        rm -f "$MARKER"
        if [[ "$source" == env ]]; then
            e2e_host_once "until-env-$i" "$MANIFESTS" "${E2E_SSH_ENV[@]}" \
                "ORCH_BUILD_CACHE_PRUNE_UNTIL=$value"
        else
            manifests=$(e2e_manifest_dir "until-$i" \
                "config.build_cache_prune_until=$(e2e_json quote "$value")")
            e2e_host_once "until-manifest-$i" "$manifests" "${E2E_SSH_ENV[@]}"
        fi
        local what="until=$(printf %q "$value") via $source"
        e2e_assert_file_absent "$MARKER" "marker after $what"
        e2e_assert_eq 24h "$(e2e_once_field until)" "until in force after $what (the default)"
        e2e_assert_matches "$(e2e_once_field config_warnings)" "prune_until" "warning after $what"
        e2e_assert_eq null "$(e2e_once_field last_error)" "last_error after $what (prune ran with the default)"
        e2e_assert_eq "[builder][prune][-f][--filter][until=24h]" "$(e2e_fake_calls | tail -1)" \
            "what the remote docker received after $what"
        e2e_assert_matches "$(cat "$E2E_ONCE_ERR")" "prune_until" "host_stub stderr warns after $what"
    done
}

case_library_outside_plugin_dir_refused() {
    # Real copies of the plugin outside the plugin dir: if the host followed the manifest, they
    # would load and run ssh.
    cp "$E2E_PLUGIN_DIR/libbuild_cache_pruner.so" "$E2E_PLUGIN_DIR/../libescape.so"
    mkdir -p "$E2E_TMP/elsewhere"
    cp "$E2E_PLUGIN_DIR/libbuild_cache_pruner.so" "$E2E_TMP/elsewhere/libabs.so"
    local library manifests i=0
    for library in "../libescape.so" "$E2E_TMP/elsewhere/libabs.so" "sub/../../libescape.so"; do
        i=$((i + 1))
        rm -f "$SSH_RAN"
        manifests=$(e2e_manifest_dir "lib-$i" "library=$(e2e_json quote "$library")")
        e2e_host_once "lib-$i" "$manifests" "$TRIPWIRE_PATH" "${E2E_SSH_ENV[@]}"
        e2e_assert_file_absent "$SSH_RAN" "tripwire (the plugin must not run) for library=$library"
        e2e_assert_contains "$(cat "$E2E_ONCE_ERR")" "build_cache_pruner.json" \
            "stderr names the manifest for library=$library"
        e2e_assert_matches "$(cat "$E2E_ONCE_ERR")" "library" "stderr names the key for library=$library"
        if e2e_once_field runs_total >/dev/null 2>&1; then
            e2e_fail "/queue shows a running plugin for library=$library"
        fi
    done
}

default_port_free() { ! e2e_port_listening "$DEFAULT_PORT"; }

case_queue_binds_loopback_by_default() {
    # Truly no --listen. The default is a fixed port; another program holding it is reported.
    DEFAULT_PORT=8765
    e2e_wait_until 10 "port $DEFAULT_PORT (host_stub's default) to be free" default_port_free ||
        e2e_fail "port $DEFAULT_PORT, host_stub's default, is taken by another program"
    e2e_host_serve default "$MANIFESTS" "${E2E_SSH_ENV[@]}" --
    e2e_assert_eq "127.0.0.1:$DEFAULT_PORT" "$E2E_HOST_ADDR" "listening line"
    local listeners
    listeners=$(e2e_listeners_of "$E2E_HOST_PID")
    e2e_log "listening sockets of host_stub: $listeners"
    # One socket, on loopback: not 0.0.0.0, not an IPv6 wildcard.
    e2e_assert_eq "127.0.0.1:$DEFAULT_PORT" "$listeners" "host_stub's listening sockets"
    e2e_host_stop
}

case_no_secret_in_queue_or_logs() {
    local token="SECRET123-e2e-$RANDOM$RANDOM" key_line
    key_line=$(sed -n 2p "$E2E_SSH_KEY")
    e2e_start_http_recorder telegram
    e2e_fake_mode record
    # notify_min_gb small enough that the fake 30MB prune notifies through the recorder.
    e2e_host_serve secrets "$MANIFESTS" "${E2E_SSH_ENV[@]}" \
        ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB=0.001 \
        "ORCH_TELEGRAM_BOT_TOKEN=$token" ORCH_TELEGRAM_CHAT_ID=4242 \
        "ORCH_TELEGRAM_API_URL=http://127.0.0.1:$E2E_LISTENER_PORT"
    e2e_wait_until 20 "the prune to notify" e2e_q_ge notifications_total 1
    local body
    body=$(e2e_http_get "$E2E_HOST_ADDR" /queue)
    e2e_host_stop
    # The token was in play: it reached the (fake) Telegram API.
    e2e_assert_contains "$(cat "$E2E_TMP/http-telegram.log")" "$token" "request the Bot API received"
    e2e_assert_not_contains "$body" "$token" "/queue body"
    e2e_assert_not_contains "$(cat "$E2E_HOST_ERR" "$E2E_HOST_OUT")" "$token" "host_stub output"
    e2e_assert_not_contains "$body" "$key_line" "/queue body (private key contents)"
    e2e_assert_not_contains "$(cat "$E2E_HOST_ERR" "$E2E_HOST_OUT")" "$key_line" "host_stub output (private key contents)"
    e2e_stop_listener telegram

    # Delivery that fails (nothing listens on port 1) is logged without the token either.
    e2e_host_once secrets-fail "$MANIFESTS" "${E2E_SSH_ENV[@]}" \
        ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB=0.001 \
        "ORCH_TELEGRAM_BOT_TOKEN=$token" ORCH_TELEGRAM_CHAT_ID=4242 \
        ORCH_TELEGRAM_API_URL=http://127.0.0.1:1
    e2e_assert_matches "$(cat "$E2E_ONCE_ERR")" "telegram" "stderr reports the failed delivery"
    e2e_assert_eq 3 "$E2E_ONCE_RC" "--once exit code when its notification failed"
    e2e_assert_not_contains "$(cat "$E2E_ONCE_OUT" "$E2E_ONCE_ERR")" "$token" "--once output and logs"
}

e2e_case tripwire_control case_tripwire_control
e2e_case host_injection_via_env case_target_injection host env
e2e_case host_injection_via_manifest case_target_injection host manifest
e2e_case user_injection_via_env case_target_injection user env
e2e_case user_injection_via_manifest case_target_injection user manifest
e2e_case ssh_option_values_do_not_inject case_ssh_option_values_do_not_inject
e2e_case until_injection_via_env case_until_injection env
e2e_case until_injection_via_manifest case_until_injection manifest
e2e_case library_outside_plugin_dir_refused case_library_outside_plugin_dir_refused
e2e_case queue_binds_loopback_by_default case_queue_binds_loopback_by_default
e2e_case no_secret_in_queue_or_logs case_no_secret_in_queue_or_logs
e2e_finish
