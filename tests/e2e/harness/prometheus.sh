# shellcheck shell=bash
# A real Prometheus server (Debian's `prometheus`) on 127.0.0.1, scraping one target, with its
# own config and data dir under $E2E_TMP; stopped by PID by the teardown (or e2e_stop_prometheus).
# Needs sshd.sh (e2e_random_free_port) and host_stub.sh (e2e_json).
#
#   e2e_start_prometheus NAME TARGET      scrapes http://TARGET/metrics every second as job
#                                         "host_stub"; sets E2E_PROM_ADDR
#   e2e_prom_query EXPR                   the instant query's first sample value ("" if none)
#   e2e_prom_value_is EXPR VALUE          predicate for e2e_wait_until
#   e2e_stop_prometheus NAME

e2e_prom_ready_or_dead() {
    curl -sf --max-time 2 "http://$1/-/ready" >/dev/null 2>&1 || ! e2e_pid_alive "$2"
}

e2e_start_prometheus() {
    local name=$1 target=$2
    local dir="$E2E_TMP/prometheus-$name" attempt port pid
    e2e_require prometheus curl
    mkdir -p "$dir/data"
    cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: host_stub
    static_configs:
      - targets: ['$target']
YAML
    for ((attempt = 1; attempt <= 10; attempt++)); do
        port=$(e2e_random_free_port)
        e2e_spawn "prometheus-$name" prometheus --config.file="$dir/prometheus.yml" \
            --storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$port" \
            >>"$dir/log" 2>&1 </dev/null
        pid=$E2E_BG_PID
        e2e_wait_until 60 "prometheus $name to be ready on 127.0.0.1:$port" \
            e2e_prom_ready_or_dead "127.0.0.1:$port" "$pid" ||
            e2e_die "prometheus $name did not get ready; log: $(tail -5 "$dir/log")"
        if e2e_pid_alive "$pid"; then
            E2E_PROM_ADDR="127.0.0.1:$port"
            e2e_log "prometheus $name: pid $pid on $E2E_PROM_ADDR scraping $target"
            return 0
        fi
        wait "$pid" 2>/dev/null || true
        grep -qi 'address already in use' "$dir/log" ||
            e2e_die "prometheus $name exited: $(tail -5 "$dir/log")"
        e2e_log "prometheus $name: port $port taken, retrying"
    done
    e2e_die "prometheus $name: no port after $attempt attempts"
}

e2e_prom_query() {
    local out
    out=$(curl -sS --fail --max-time 5 -G "http://$E2E_PROM_ADDR/api/v1/query" \
        --data-urlencode "query=$1") || return 1
    [[ "$(e2e_json get - status <<<"$out")" == success ]] || return 1
    e2e_json get - data.result.0.value.1 <<<"$out" 2>/dev/null || true
}

e2e_prom_value_is() {
    local v
    v=$(e2e_prom_query "$1") && [[ "$v" == "$2" ]]
}

e2e_stop_prometheus() {
    e2e_stop_pidfile "$E2E_TMP/pids/prometheus-$1.pid" 10
}
