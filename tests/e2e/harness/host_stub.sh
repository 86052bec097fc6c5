# shellcheck shell=bash
# host_stub from the INSTALLED layout (cmake --install into a temp prefix), test manifests, the
# --once run and the serving mode, and reads of GET /queue.
#
# Inputs (from ctest, see tests/e2e/CMakeLists.txt):
#   E2E_BUILD_DIR          the build tree to install from
#   E2E_CMAKE              the cmake executable (default: cmake)
#   E2E_BUILT_HOST_STUB    $<TARGET_FILE:host_stub>, E2E_BUILT_PLUGIN $<TARGET_FILE:build_cache_pruner>
#   E2E_JSON               the e2e_json tool
#   E2E_INSTALLED_PREFIX   optional: an installed tree to test instead of installing the build
#
#   e2e_install                          install into $E2E_TMP/prefix, set E2E_HOST_STUB etc.
#   e2e_manifest_dir NAME [PATH=JSON...] a manifest dir with the bundled manifest, edited
#   e2e_host_once NAME MANIFESTS [VAR=VALUE...]   --once; sets E2E_ONCE_OUT/ERR, E2E_ONCE_RC;
#                                        MANIFESTS "-": no --manifests/--plugins (the installed
#                                        host finds its bundled manifest and plugin itself)
#   e2e_host_serve NAME MANIFESTS [VAR=VALUE...]  serving; sets E2E_HOST_PID/ADDR/OUT/ERR
#   e2e_host_stop                        SIGTERM; sets E2E_HOST_RC and E2E_HOST_STOP_MS
#   e2e_queue FILE                       GET /queue into FILE
#   e2e_q FIELD                          build_cache_prune.FIELD from a fresh GET /queue
#   e2e_plugin_ssh_env PORT KNOWN_HOSTS [POLICY]  E2E_SSH_ENV: the ORCH_DEPLOY_SSH_* settings
#                                        that point the plugin at root@127.0.0.1:PORT

E2E_PREFIX=""
E2E_HOST_STUB=""
E2E_PLUGIN_DIR=""
E2E_BUNDLED_MANIFEST=""

e2e_json() { "${E2E_JSON:?E2E_JSON must name the e2e_json tool}" "$@"; }

e2e_install() {
    E2E_PREFIX="$E2E_TMP/prefix"
    if [[ -n "${E2E_INSTALLED_PREFIX:-}" ]]; then
        # An installed tree (e.g. from a package) instead of the build: copied, since cases
        # add files next to the plugin dir.
        cp -a "$E2E_INSTALLED_PREFIX" "$E2E_PREFIX"
    else
        local build=${E2E_BUILD_DIR:?E2E_BUILD_DIR must name the build tree}
        local built
        for built in "${E2E_BUILT_HOST_STUB:-}" "${E2E_BUILT_PLUGIN:-}"; do
            [[ -z "$built" || -f "$built" ]] ||
                e2e_die "$built is not built: cmake --build $build --target host_stub build_cache_pruner"
        done
        "${E2E_CMAKE:-cmake}" --install "$build" --prefix "$E2E_PREFIX" >"$E2E_TMP/install.log" 2>&1 ||
            e2e_die "cmake --install failed: $(tail -5 "$E2E_TMP/install.log")"
    fi
    E2E_HOST_STUB="$E2E_PREFIX/bin/host_stub"
    E2E_PLUGIN_DIR="$E2E_PREFIX/lib/orchestrator/plugins"
    E2E_BUNDLED_MANIFEST="$E2E_PREFIX/etc/orchestrator/manifests/build_cache_pruner.json"
    local f
    for f in "$E2E_HOST_STUB" "$E2E_PLUGIN_DIR/libbuild_cache_pruner.so" "$E2E_BUNDLED_MANIFEST"; do
        [[ -f "$f" ]] || e2e_die "the installed layout lacks $f"
    done
    e2e_log "installed into $E2E_PREFIX"
}

# A manifest dir holding the bundled manifest with edits, e.g. config.deploy_ssh_host='"h"'.
e2e_manifest_dir() {
    local name=$1
    shift
    local dir="$E2E_TMP/manifests-$name" edit tmp
    mkdir -p "$dir"
    cp "$E2E_BUNDLED_MANIFEST" "$dir/build_cache_pruner.json"
    for edit in "$@"; do
        tmp=$(e2e_json set "$dir/build_cache_pruner.json" "${edit%%=*}" "${edit#*=}")
        printf '%s\n' "$tmp" >"$dir/build_cache_pruner.json"
    done
    echo "$dir"
}

e2e_host_once() {
    local name=$1 manifests=$2
    shift 2
    E2E_ONCE_OUT="$E2E_TMP/once-$name.json"
    E2E_ONCE_ERR="$E2E_TMP/once-$name.err"
    E2E_ONCE_RC=0
    local dirs=(--manifests "$manifests" --plugins "$E2E_PLUGIN_DIR")
    [[ "$manifests" != "-" ]] || dirs=()
    env "$@" "$E2E_HOST_STUB" --once "${dirs[@]}" >"$E2E_ONCE_OUT" 2>"$E2E_ONCE_ERR" </dev/null ||
        E2E_ONCE_RC=$?
    e2e_log "host_stub --once ($name): rc $E2E_ONCE_RC"
}

# build_cache_prune.FIELD of the last --once output.
e2e_once_field() { e2e_json get "$E2E_ONCE_OUT" "build_cache_prune.$1"; }

e2e_host_listening() {
    grep -q '^listening on ' "$E2E_HOST_OUT" 2>/dev/null || ! e2e_pid_alive "$E2E_HOST_PID"
}

# host_stub listens on 127.0.0.1:0 unless a literal "--" after the VAR=VALUE list is followed
# by the arguments to use instead (none: host_stub's defaults).
e2e_host_serve() {
    local name=$1 manifests=$2
    shift 2
    local envs=() args=(--listen 127.0.0.1:0)
    while (($#)) && [[ "$1" != "--" ]]; do
        envs+=("$1")
        shift
    done
    if (($#)); then
        shift
        args=("$@")
    fi
    E2E_HOST_OUT="$E2E_TMP/serve-$name.out"
    E2E_HOST_ERR="$E2E_TMP/serve-$name.err"
    e2e_spawn "host_stub-$name" env "${envs[@]}" "$E2E_HOST_STUB" --manifests "$manifests" \
        --plugins "$E2E_PLUGIN_DIR" "${args[@]}" >"$E2E_HOST_OUT" 2>"$E2E_HOST_ERR" </dev/null
    E2E_HOST_PID=$E2E_BG_PID
    E2E_HOST_NAME=$name
    e2e_wait_until 20 "host_stub $name to print 'listening on'" e2e_host_listening ||
        e2e_die "host_stub $name did not start listening"
    e2e_pid_alive "$E2E_HOST_PID" || {
        e2e_log "host_stub $name exited: $(tail -5 "$E2E_HOST_ERR")"
        return 1
    }
    E2E_HOST_ADDR=$(sed -n 's/^listening on //p' "$E2E_HOST_OUT" | head -1)
    e2e_log "host_stub $name: pid $E2E_HOST_PID on $E2E_HOST_ADDR"
}

e2e_host_stop() {
    local start
    start=$(e2e_now_ms)
    kill -TERM "$E2E_HOST_PID"
    E2E_HOST_RC=0
    if ! e2e_wait_until 30 "host_stub to exit after SIGTERM" e2e_pid_gone "$E2E_HOST_PID"; then
        kill -KILL "$E2E_HOST_PID" 2>/dev/null || true
    fi
    E2E_HOST_STOP_MS=$(($(e2e_now_ms) - start))
    wait "$E2E_HOST_PID" || E2E_HOST_RC=$?
    rm -f "$E2E_TMP/pids/host_stub-$E2E_HOST_NAME".{pid,start}
    e2e_log "host_stub stopped: rc $E2E_HOST_RC after $E2E_HOST_STOP_MS ms"
}

# GET http://ADDR/PATH body on stdout; fails on a connection error or a non-2xx status.
e2e_http_get() {
    local addr=$1 path=$2
    if command -v curl >/dev/null 2>&1; then
        curl -sS --fail --max-time 10 "http://$addr$path"
        return
    fi
    # Without curl: HTTP/1.0 over bash's /dev/tcp, headers stripped.
    timeout 10 bash -c '
        exec 3<>"/dev/tcp/${1%:*}/${1##*:}"
        printf "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n" "$2" "$1" >&3
        IFS= read -r status <&3
        [[ "$status" =~ ^HTTP/1\.[01]\ 2 ]] || { echo "HTTP status: $status" >&2; exit 1; }
        while IFS= read -r line <&3 && [[ "$line" != $'"'"'\r'"'"' ]]; do :; done
        cat <&3' _ "$addr" "$path"
}

e2e_queue() { e2e_http_get "$E2E_HOST_ADDR" /queue >"$1"; }

e2e_q() {
    local file="$E2E_TMP/queue.$BASHPID.json"
    e2e_queue "$file" && e2e_json get "$file" "build_cache_prune.$1"
}

# Predicates for e2e_wait_until over a fresh /queue.
e2e_q_ge() {
    local v
    v=$(e2e_q "$1") && [[ "$v" =~ ^[0-9]+$ ]] && ((v >= $2))
}
e2e_q_eq() {
    local v
    v=$(e2e_q "$1") && [[ "$v" == "$2" ]]
}

E2E_SSH_ENV=()
e2e_plugin_ssh_env() {
    local port=$1 known_hosts=$2 policy=${3:-yes}
    E2E_SSH_ENV=(
        ORCH_DEPLOY_SSH_HOST=127.0.0.1
        ORCH_DEPLOY_SSH_USER=root
        "ORCH_DEPLOY_SSH_PORT=$port"
        "ORCH_DEPLOY_SSH_IDENTITY_FILE=$E2E_SSH_KEY"
        "ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE=$known_hosts"
        "ORCH_DEPLOY_SSH_STRICT_HOST_KEY=$policy")
}

# Peak resident memory of a live process, in kB.
e2e_peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
