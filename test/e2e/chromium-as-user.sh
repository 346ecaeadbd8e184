#!/bin/sh
# Chromium as a desktop user runs it: without CAP_SYS_NICE. As root its audio threads take real-time
# priority (SCHED_RR) and, three browsers on two cores, starve every other process for up to 200 ms.
CHROMIUM="${PARLEY_CHROMIUM:-/usr/bin/chromium}"
if [ "$(id -u)" = 0 ]; then
  exec setpriv --inh-caps=-sys_nice --bounding-set=-sys_nice -- "$CHROMIUM" "$@"
fi
exec "$CHROMIUM" "$@"
