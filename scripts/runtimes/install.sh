#!/usr/bin/env bash
# Installs the Bun and Deno binaries from the npm registry (their packages ship per-platform binaries as optional
# dependencies) into ${TSKRB_RUNTIMES_DIR:-<repo>/.lab/runtimes}, outside the project's package.json. Idempotent.
# Chromium for the browser test is a Debian package (apt-get install chromium). Prints the binaries' versions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$(realpath -m "${TSKRB_RUNTIMES_DIR:-$repo/.lab/runtimes}")
BUN_VERSION=${TSKRB_BUN_VERSION:-1.4.5}
DENO_VERSION=${TSKRB_DENO_VERSION:-2.9.6}

mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "tskrb-runtimes", "private": true }' >"$dir/package.json"
have() { # name version
  [ -x "$dir/node_modules/.bin/$1" ] && "$dir/node_modules/.bin/$1" --version 2>/dev/null | grep -qF "$2"
}
if ! have bun "$BUN_VERSION" || ! have deno "$DENO_VERSION"; then
  # --no-save keeps the helper package.json stable; no lock file: these are tools, not project dependencies.
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
    "bun@$BUN_VERSION" "deno@$DENO_VERSION" >&2
fi
echo "bun $("$dir/node_modules/.bin/bun" --version) $dir/node_modules/.bin/bun"
echo "deno $("$dir/node_modules/.bin/deno" --version | head -n 1) $dir/node_modules/.bin/deno"
