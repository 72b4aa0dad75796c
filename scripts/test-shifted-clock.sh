#!/usr/bin/env bash
# Runs the unit suite (every test that needs no lab) and the demo twice with the process clock moved, once ~800 days
# ahead and once back to 2021, to prove that no test and no shipped fixture depends on today's date. libfaketime
# (Debian's faketime) moves every Date.now()/new Date() in every process and worker; the monotonic clock is left alone
# so timeouts keep working. The lab is hidden (an empty TSKRB_LAB_DIR, CI unset): lab tests skip, as on a laptop.
# Writes .vitest-report-clock-<name>.json for scripts/ci-summary.mjs.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime >/dev/null || exit 1
  else
    echo "faketime is not installed: sudo apt-get install faketime" >&2
    exit 1
  fi
fi
[ -f dist/cli/main.js ] || npm run build --silent || exit 1
nolab=$(mktemp -d)
trap 'rm -rf "$nolab"' EXIT
status=0
for shift in 'ahead=+800d' 'past=@2021-03-01 12:00:00'; do
  name=${shift%%=*}
  offset=${shift#*=}
  printf '\n== unit tests with the clock at %s ==\n' "$offset"
  run() { env -u CI TSKRB_LAB_DIR="$nolab" FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" "$@"; }
  run node -e 'console.log(`clock reads ${new Date().toISOString()}`)'
  run npx vitest run --exclude 'test/interop/**' --reporter=default --reporter=json \
    --outputFile.json=".vitest-report-clock-$name.json" || status=1
  if run node dist/cli/main.js demo >/dev/null; then
    echo "demo: ok"
  else
    echo "demo: failed with the clock at $offset"
    status=1
  fi
done
exit $status
