# shellcheck shell=bash
# Real OpenSSH servers on 127.0.0.1, each on a free port, with keys made for this run only.
# Never touches the system's sshd or its config: everything lives under $E2E_TMP.
#
#   e2e_ssh_keys                     host key, client key and authorized_keys (once per script)
#   e2e_start_sshd NAME [LINE...]    an sshd named NAME; extra sshd_config lines (e.g. SetEnv);
#                                    E2E_SSHD_PORT=N makes it take that port (a restart "fixes"
#                                    a fault at the address the plugin is configured with)
#   e2e_stop_sshd NAME               stop it by PID (sessions already open are not touched)
#   e2e_sshd_port NAME               its port
#   e2e_ssh NAME COMMAND             run COMMAND there with the client key, strict host key check

E2E_SSH_DIR=""
E2E_SSH_KEY=""          # client private key (the identity file the plugin is given)
E2E_SSH_HOST_KEY_PUB=""

e2e_ssh_keys() {
    E2E_SSH_DIR="$E2E_TMP/ssh"
    mkdir -p "$E2E_SSH_DIR"
    ssh-keygen -q -t ed25519 -N '' -C e2e-host -f "$E2E_SSH_DIR/host_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C e2e-client -f "$E2E_SSH_DIR/id_ed25519"
    cp "$E2E_SSH_DIR/id_ed25519.pub" "$E2E_SSH_DIR/authorized_keys"
    chmod 600 "$E2E_SSH_DIR/authorized_keys" "$E2E_SSH_DIR/id_ed25519"
    E2E_SSH_KEY="$E2E_SSH_DIR/id_ed25519"
    E2E_SSH_HOST_KEY_PUB="$E2E_SSH_DIR/host_ed25519.pub"
    # sshd's privilege separation directory; the openssh-server package creates it only when
    # its service starts, which does not happen in a container.
    mkdir -p /run/sshd
    chmod 755 /run/sshd
}

# A port in the dynamic-ish range that nothing listens on right now. Whoever binds it first
# wins; e2e_start_sshd retries on a lost race.
e2e_random_free_port() {
    local port tries
    for ((tries = 0; tries < 100; tries++)); do
        port=$((20000 + ((RANDOM << 15) | RANDOM) % 40000))
        if ! e2e_port_listening "$port"; then
            echo "$port"
            return 0
        fi
    done
    e2e_die "no free TCP port found"
}

e2e_sshd_dir() { echo "$E2E_TMP/sshd-$1"; }
e2e_sshd_port() { cat "$(e2e_sshd_dir "$1")/port"; }

e2e_write_sshd_config() {
    local dir=$1 port=$2
    shift 2
    cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $E2E_SSH_DIR/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $E2E_SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
EOF
    local line
    for line in "$@"; do
        echo "$line" >>"$dir/sshd_config"
    done
}

# sshd writes its PidFile once it has bound the port: that file is the readiness event.
e2e_sshd_ready_or_dead() {
    local dir=$1 pid=$2
    [[ -s "$dir/sshd.pid" ]] || ! e2e_pid_alive "$pid"
}

e2e_start_sshd() {
    local name=$1
    shift
    local dir attempt port pid
    dir=$(e2e_sshd_dir "$name")
    mkdir -p "$dir"
    for ((attempt = 1; attempt <= 10; attempt++)); do
        port=${E2E_SSHD_PORT:-$(e2e_random_free_port)}
        e2e_write_sshd_config "$dir" "$port" "$@"
        rm -f "$dir/sshd.pid"
        /usr/sbin/sshd -t -f "$dir/sshd_config" || e2e_die "sshd rejects $dir/sshd_config"
        e2e_spawn "sshd-$name" /usr/sbin/sshd -D -e -f "$dir/sshd_config" >>"$dir/log" 2>&1
        pid=$E2E_BG_PID
        e2e_wait_until 15 "sshd $name to bind 127.0.0.1:$port" e2e_sshd_ready_or_dead "$dir" "$pid" ||
            e2e_die "sshd $name did not start; log: $(tail -5 "$dir/log")"
        if e2e_pid_alive "$pid"; then
            echo "$port" >"$dir/port"
            e2e_log "sshd $name: pid $pid on 127.0.0.1:$port"
            return 0
        fi
        wait "$pid" 2>/dev/null || true
        grep -qi 'address already in use\|cannot bind' "$dir/log" && [[ -z "${E2E_SSHD_PORT:-}" ]] ||
            e2e_die "sshd $name exited: $(tail -5 "$dir/log")"
        e2e_log "sshd $name: port $port taken, retrying"
    done
    e2e_die "sshd $name: no port after $attempt attempts"
}

e2e_stop_sshd() {
    e2e_stop_pidfile "$E2E_TMP/pids/sshd-$1.pid" 10
}

# known_hosts built from the host key every test sshd uses (the truth, not what a scan says).
e2e_known_hosts_for_port() {
    local port=$1 out=$2
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$E2E_SSH_HOST_KEY_PUB")" >"$out"
}
e2e_known_hosts_for() { e2e_known_hosts_for_port "$(e2e_sshd_port "$1")" "$2"; }

# known_hosts that holds a DIFFERENT key for that port: the server's key "changed".
e2e_wrong_known_hosts_for_port() {
    local port=$1 out=$2
    [[ -f "$E2E_SSH_DIR/other_host_ed25519.pub" ]] ||
        ssh-keygen -q -t ed25519 -N '' -C e2e-other -f "$E2E_SSH_DIR/other_host_ed25519"
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$E2E_SSH_DIR/other_host_ed25519.pub")" >"$out"
}

e2e_ssh() {
    local name=$1
    shift
    local kh="$E2E_TMP/ssh/known_hosts.$name"
    [[ -f "$kh" ]] || e2e_known_hosts_for "$name" "$kh"
    ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
        -o UserKnownHostsFile="$kh" -o ConnectTimeout=10 -i "$E2E_SSH_KEY" \
        -p "$(e2e_sshd_port "$name")" -n -- root@127.0.0.1 "$@"
}

# The "remote docker host" variants, all real sshds on loopback:
#   e2e_start_docker_remote NAME   remote `docker` is the real CLI talking to the test dockerd
#   e2e_start_nodocker_remote NAME remote PATH has no docker at all
#   e2e_start_fake_remote NAME     remote `docker` is tests/fixtures/e2e/remote_docker, whose
#                                  behaviour e2e_fake_mode MODE picks (record | flood | hang)
E2E_FAKE_DOCKER_DIR=""

e2e_start_docker_remote() {
    e2e_start_sshd "$1" "SetEnv DOCKER_HOST=${E2E_DOCKER_HOST:?start dockerd first}"
}

e2e_start_nodocker_remote() {
    e2e_start_sshd "$1" "SetEnv PATH=/nonexistent"
}

e2e_start_fake_remote() {
    E2E_FAKE_DOCKER_DIR="$E2E_TMP/fake-docker"
    mkdir -p "$E2E_FAKE_DOCKER_DIR/bin"
    cp "$E2E_FIXTURES_DIR/remote_docker" "$E2E_FAKE_DOCKER_DIR/bin/docker"
    chmod 755 "$E2E_FAKE_DOCKER_DIR/bin/docker"
    e2e_fake_mode record
    e2e_start_sshd "$1" "SetEnv PATH=$E2E_FAKE_DOCKER_DIR/bin:/usr/bin:/bin E2E_FAKE_DOCKER_DIR=$E2E_FAKE_DOCKER_DIR"
}

e2e_fake_mode() { echo "$1" >"$E2E_FAKE_DOCKER_DIR/mode"; }

# The argument lists the fake remote docker was called with, one line per call.
e2e_fake_calls() { cat "$E2E_FAKE_DOCKER_DIR/argv.log" 2>/dev/null || true; }
