#!/usr/bin/env bash
# `npm run chaos`: inside a private network namespace, as the tests, so media never leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f out/renderer/index.html ] || npx electron-vite build >/dev/null
if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
exec "${ns[@]}" sh -c 'ip link set lo up; exec tsx test/chaos/index.ts "$@"' sh "$@"
