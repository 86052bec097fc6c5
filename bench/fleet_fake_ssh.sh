#!/bin/sh
# The fake ssh of the fleet benchmarks (issue 11), a real process per simulated host. Installed
# as `ssh` in a directory of its own; its settings are in fake.conf next to it (sourced):
#   sleep_s   how long a normal host's prune takes ("0.2"; "0" for no sleep at all)
#   hang      space-separated ssh targets that hang until killed; "*" makes every host hang
#   fifo      optional: a hanging host writes "<its pid> <its sleep's pid>" here
# Every run prints the line the plugin parses, so a host that is not killed succeeds.
#
# Concurrency count: under flock, `live` lists the pids of the fakes running now. Each run drops
# the pids that are gone (kill -0), adds its own, appends the resulting count to `peaks` and
# "<target> <pid>" to `ran`, and removes itself again before it exits. A pid list rather than a
# counter because a hanging host is SIGKILLed by the plugin's timeout or stop() and cannot count
# itself out. A killed but unreaped fake still counts: its slot is not free until it is reaped.
# Builtins only apart from flock and sleep, so the fake's own cost stays small and the same in
# every variant that runs it.
d=${0%/*}/
. "${d}fake.conf"

target=
prev=
for a do
    if [ "$prev" = -- ]; then
        target=$a
        break
    fi
    prev=$a
done

exec 9>>"${d}lock"
flock 9
n=1
keep=$$
while read -r p; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        keep="$keep $p"
        n=$((n + 1))
    fi
done <"${d}live"
printf '%s\n' $keep >"${d}live"
echo "$n" >>"${d}peaks"
echo "$target $$" >>"${d}ran"
flock -u 9

case " $hang " in
    " * " | *" $target "*)
        sleep 300 &
        echo "$$ $!" >>"${d}hung"
        if [ -n "${fifo:-}" ]; then echo "$$ $!" >"$fifo"; fi
        wait
        ;;
esac
if [ "$sleep_s" != 0 ]; then sleep "$sleep_s"; fi

flock 9
keep=
while read -r p; do
    if [ -n "$p" ] && [ "$p" != $$ ]; then keep="$keep $p"; fi
done <"${d}live"
printf '%s\n' $keep >"${d}live"
flock -u 9
echo 'Total reclaimed space: 2GB'
