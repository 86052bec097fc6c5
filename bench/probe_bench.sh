#!/usr/bin/env bash
# Issue 10's probe benchmark: the space probe's wall time over ssh against a real sshd and a real
# dockerd 20.10 (the e2e harness, loopback), next to `ssh host true` in the same run (the cost of
# the connection alone; goal: probe <= 1.5x), and the probe's cost on the remote (the same script
# run there without ssh). Rounds alternate the variants so load drifts hit all of them alike;
# medians are reported. Measurements, not a test: the exit status only says whether they could
# be taken. The probe text is read from plugin/src/core/space_probe.hpp (kProbeRemoteCommand), so
# the benchmark runs exactly what the plugin sends.
#
# usage: bench/probe_bench.sh [ROUNDS]   (as root: it starts dockerd and sshd; default 30 rounds)
set -euo pipefail
export LC_ALL=C
ROUNDS=${1:-30}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/tests/e2e/harness/common.sh"
source "$E2E_HARNESS_DIR/sshd.sh"
source "$E2E_HARNESS_DIR/dockerd.sh"

# The C++ literal pieces of kProbeRemoteCommand, joined and unescaped (\" \\ \n \t only).
PROBE=$(python3 - "$ROOT/plugin/src/core/space_probe.hpp" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
body = text[text.index("kProbeRemoteCommand ="):]
body = body[:body.index(";\n")]
pieces = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
print("".join(pieces).encode().decode("unicode_escape"), end="")
PY
)

e2e_init probe-bench
e2e_start_dockerd
e2e_ssh_keys
e2e_start_docker_remote main
e2e_known_hosts_for main "$E2E_TMP/ssh/known_hosts.main"
e2e_build_cache probe-bench 5
# Sanity: the probe answers as the parser expects.
out=$(e2e_ssh main "$PROBE")
[[ "$out" == *"@@end"* && "$out" == *"Build Cache"* ]] || e2e_die "probe output unexpected: $out"

ms_of() { # command... -> wall ms (3 decimals)
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1e6 }'
}
# The same command as the remote login shell runs it, here, without ssh.
remote_probe() { (export DOCKER_HOST="$E2E_DOCKER_HOST" && eval "$PROBE"); }
out=$(remote_probe)
[[ "$out" == *"@@end"* && "$out" == *"Build Cache"* ]] || e2e_die "local probe output unexpected: $out"

: >"$E2E_TMP/true.ms"
: >"$E2E_TMP/probe.ms"
: >"$E2E_TMP/remote.ms"
for _ in $(seq "$ROUNDS"); do
    ms_of e2e_ssh main true >>"$E2E_TMP/true.ms"
    ms_of e2e_ssh main "$PROBE" >>"$E2E_TMP/probe.ms"
    ms_of remote_probe >>"$E2E_TMP/remote.ms"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
t=$(median "$E2E_TMP/true.ms")
p=$(median "$E2E_TMP/probe.ms")
r=$(median "$E2E_TMP/remote.ms")
echo "rounds: $ROUNDS, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ssh host true        median ${t} ms"
echo "probe over ssh       median ${p} ms  ($(awk -v p="$p" -v t="$t" 'BEGIN { printf "%.2f", p / t }')x ssh true; goal <= 1.5x)"
echo "probe on the remote  median ${r} ms  (docker info + df + docker system df, no ssh)"
