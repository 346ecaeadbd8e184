#!/usr/bin/env bash
# `npm run bench`: inside a private network namespace, as the tests, so media never leaves 127.0.0.1.
# One GC thread: this process also holds the simulator's conference unit, and V8's parallel scavenger waits for
# helper threads that three Chromiums on 2 cores starve (scavenges of 40–180 ms stalled forwarding; profiled).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
exec "${ns[@]}" sh -c 'ip link set lo up; exec node --single-threaded-gc --import tsx test/bench/index.ts "$@"' sh "$@"
