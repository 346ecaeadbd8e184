#!/usr/bin/env bash
# `npm test`: lint, types and build, then every vitest project inside a private network namespace
# (media stays on 127.0.0.1) with its own D-Bus session and an unlocked gnome-keyring (keytar runs for real).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent lint
npm run --silent typecheck
npm run --silent build >/dev/null
mkdir -p test-results

sandbox=$(mktemp -d /tmp/parley-test-XXXXXX)
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox/data" "$sandbox/runtime"
chmod 700 "$sandbox/runtime"

inner='
ip link set lo up
exec dbus-run-session -- sh -c "
  printf parley | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json \"\$@\"
" sh "$@"
'
# as root (CI) a plain network namespace; otherwise a user namespace maps us to root inside it
if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
rm -f test-results/vitest.json
status=0
XDG_DATA_HOME="$sandbox/data" XDG_RUNTIME_DIR="$sandbox/runtime" "${ns[@]}" sh -c "$inner" sh "$@" 2> >(grep -v '^dbus-daemon\[' >&2) || status=$?
# last line of the run, where CI reads it
node test/summary.mjs test-results/vitest.json
exit $status
