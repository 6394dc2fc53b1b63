#!/usr/bin/env bash
# Installs the Node package's dev dependencies (npm ci from node/package-lock.json),
# builds the native module into node/novabilling.node (and its declarations,
# node/native.d.ts) with the napi CLI, and compiles the TypeScript layer
# (node/src) into node/lib with tsc, which emits the shipped .d.ts, and the ESM
# entry lib/index.mjs from it (esm.cjs); then the same for the test server's
# package, node-testing/.
#   NODE_PROFILE=release scripts/node-env.sh   # optimized build (benchmarks)
set -euo pipefail
cd "$(dirname "$0")/../node"
if [ -f package-lock.json ]; then
  # Reinstall only when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # `npm ci` wants every platform's optional packages in the lockfile; a
    # registry mirror that serves only this platform's leaves them out, and
    # then `npm install` of the same lockfile installs the same versions.
    npm ci --no-fund --no-audit --loglevel=silent >&2 ||
      npm install --no-save --no-fund --no-audit --loglevel=error >&2
  fi
else
  npm install --no-fund --no-audit --loglevel=error >&2
fi
args=(--manifest-path ../bindings/node/Cargo.toml --target x86_64-unknown-linux-gnu --output-dir . --dts native.d.ts)
if [ "${NODE_PROFILE:-dev}" = release ]; then
  args+=(--release)
fi
# No --strip: it changes RUSTFLAGS and so rebuilds the whole tree; strip the result instead.
npx napi build "${args[@]}" >&2
if command -v strip >/dev/null 2>&1; then
  strip --strip-debug novabilling.node
fi
npx tsc -p tsconfig.lib.json >&2
node esm.cjs

# The test server's package (node-testing/, @novabilling/testing): its own
# dev dependencies (novabilling links to ../node), native module and tsc.
(
  cd ../node-testing
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-fund --no-audit --loglevel=silent >&2 ||
      npm install --no-save --no-fund --no-audit --loglevel=error >&2
  fi
  targs=(--manifest-path ../bindings/node-testing/Cargo.toml --target x86_64-unknown-linux-gnu --output-dir . --dts native.d.ts)
  if [ "${NODE_PROFILE:-dev}" = release ]; then
    targs+=(--release)
  fi
  npx napi build "${targs[@]}" >&2
  if command -v strip >/dev/null 2>&1; then
    strip --strip-debug novabilling-testing.node
  fi
  npx tsc -p tsconfig.lib.json >&2
)
# As npm would install it beside novabilling, for `novabilling/testing` in this checkout.
mkdir -p node_modules/@novabilling && ln -sfn ../../../node-testing node_modules/@novabilling/testing
echo "$PWD"
