# shellcheck shell=bash
# A real docker engine (dockerd 20.10 with BuildKit) with its own data-root, exec-root and socket
# under $E2E_TMP. Never touches the system's default socket or data-root.
#
#   e2e_start_dockerd        start it (again, after a stop: same data-root) and wait until ready
#   e2e_stop_dockerd         stop it and its containerd by PID
#   e2e_ensure_dockerd       start it unless it answers (a case that stopped it may have failed)
#   e2e_docker ARGS...       the docker CLI against it
#   e2e_build_cache TAG MB   a real build that leaves ~MB megabytes of build cache
#   e2e_build_cache_bytes    the build cache size `docker system df` reports, in bytes

E2E_DOCKER_DIR=""
E2E_DOCKER_HOST=""
# The 20.10 client has the classic builder with BuildKit; /usr/local/bin/docker (if any) is a
# newer client without buildx, so builds go through this one.
E2E_DOCKER_CLI=/usr/bin/docker

e2e_docker() { DOCKER_HOST="$E2E_DOCKER_HOST" "$E2E_DOCKER_CLI" "$@"; }

e2e_docker_ready_or_dead() {
    local pid=$1
    e2e_docker info >/dev/null 2>&1 || ! e2e_pid_alive "$pid"
}

e2e_start_dockerd() {
    e2e_require dockerd "$E2E_DOCKER_CLI"
    E2E_DOCKER_DIR="$E2E_TMP/docker"
    E2E_DOCKER_HOST="unix://$E2E_DOCKER_DIR/docker.sock"
    mkdir -p "$E2E_DOCKER_DIR"
    # Its own session, so that its containerd child can be stopped with it as one group.
    e2e_spawn dockerd setsid dockerd \
        --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
        --data-root "$E2E_DOCKER_DIR/root" --exec-root "$E2E_DOCKER_DIR/exec" \
        --pidfile "$E2E_DOCKER_DIR/docker.pid" -H "$E2E_DOCKER_HOST" \
        >>"$E2E_DOCKER_DIR/log" 2>&1
    local pid=$E2E_BG_PID
    e2e_wait_until 60 "dockerd to answer on $E2E_DOCKER_HOST" e2e_docker_ready_or_dead "$pid" ||
        e2e_die "dockerd did not become ready; log: $(tail -5 "$E2E_DOCKER_DIR/log")"
    e2e_pid_alive "$pid" || e2e_die "dockerd exited; log: $(tail -5 "$E2E_DOCKER_DIR/log")"
    e2e_log "dockerd: pid $pid, $E2E_DOCKER_HOST"
}

e2e_stop_dockerd() {
    local pidfile="$E2E_TMP/pids/dockerd.pid" pid
    [[ -f "$pidfile" ]] || return 0
    pid=$(cat "$pidfile")
    # dockerd stops its containerd on SIGTERM; anything left in its session is killed after.
    e2e_stop_pidfile "$pidfile" 30
    kill -KILL -- "-$pid" 2>/dev/null || true
    e2e_wait_until 10 "docker socket to go" e2e_docker_down ||
        e2e_die "dockerd still answers after being stopped"
}

e2e_docker_down() { ! e2e_docker info >/dev/null 2>&1; }

e2e_ensure_dockerd() {
    e2e_docker info >/dev/null 2>&1 || e2e_start_dockerd
}

e2e_build_cache() {
    local tag=$1 megabytes=$2 ctx
    ctx="$E2E_TMP/build-$tag"
    mkdir -p "$ctx"
    printf 'FROM scratch\nCOPY big /big\n' >"$ctx/Dockerfile"
    head -c "$((megabytes * 1000 * 1000))" /dev/urandom >"$ctx/big"
    DOCKER_BUILDKIT=1 e2e_docker build -q -t "$tag" "$ctx" >/dev/null
    rm -rf "$ctx"
}

# go-units HumanSize (base 1000: B kB MB GB ...) to bytes, e.g. 30.01MB -> 30010000.
e2e_human_to_bytes() {
    awk -v s="$1" 'BEGIN {
        n = s; sub(/[A-Za-z]+$/, "", n); u = substr(s, length(n) + 1);
        split("B kB MB GB TB PB", units, " ");
        for (i = 1; i <= 6; i++) if (units[i] == u) { printf "%.0f\n", n * 1000 ^ (i - 1); exit 0 }
        exit 1 }'
}

e2e_build_cache_bytes() {
    local size
    size=$(e2e_docker system df --format '{{.Type}}={{.Size}}' | sed -n 's/^Build Cache=//p')
    [[ -n "$size" ]] || e2e_die "docker system df shows no Build Cache line"
    e2e_human_to_bytes "$size"
}
