#!/usr/bin/env bash
# `npm run bench`: inside a private network namespace, as the tests, so media never leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
exec "${ns[@]}" sh -c 'ip link set lo up; exec tsx test/bench/index.ts "$@"' sh "$@"
