# shellcheck shell=bash
# Small loopback servers from tests/fixtures/e2e (perl-base only), stopped by the teardown.
#
#   e2e_start_silent_listener NAME [PORT]  accepts TCP, never answers; sets E2E_LISTENER_PORT
#   e2e_start_http_recorder NAME           records HTTP requests to $E2E_TMP/http-NAME.log,
#                                          answers 200; sets E2E_LISTENER_PORT
#   e2e_stop_listener NAME

e2e_listener_started() { [[ -s "$1" ]] || ! e2e_pid_alive "$2"; }

e2e_start_listener() {
    local name=$1
    shift
    local portfile="$E2E_TMP/listener-$name.port"
    rm -f "$portfile"
    e2e_spawn "listener-$name" perl "$@" 2>>"$E2E_TMP/listener-$name.log"
    e2e_wait_until 10 "listener $name to bind" e2e_listener_started "$portfile" "$E2E_BG_PID" ||
        e2e_die "listener $name did not start"
    e2e_pid_alive "$E2E_BG_PID" || e2e_die "listener $name: $(cat "$E2E_TMP/listener-$name.log")"
    E2E_LISTENER_PORT=$(cat "$portfile")
    e2e_log "listener $name: pid $E2E_BG_PID on 127.0.0.1:$E2E_LISTENER_PORT"
}

e2e_start_silent_listener() {
    local name=$1 port=${2:-0}
    e2e_start_listener "$name" "$E2E_FIXTURES_DIR/silent_listener.pl" "$port" \
        "$E2E_TMP/listener-$name.port"
}

e2e_start_http_recorder() {
    local name=$1
    e2e_start_listener "$name" "$E2E_FIXTURES_DIR/http_recorder.pl" \
        "$E2E_TMP/listener-$name.port" "$E2E_TMP/http-$name.log"
}

e2e_stop_listener() {
    e2e_stop_pidfile "$E2E_TMP/pids/listener-$1.pid" 5
}
