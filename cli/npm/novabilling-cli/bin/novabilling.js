#!/usr/bin/env node
'use strict';
// Runs the `novabilling` binary of this platform's package (installed by npm
// from optionalDependencies, as esbuild and biome ship), with this process's
// arguments, standard streams and environment; exits as it exits.
const { spawnSync } = require('node:child_process');

const PLATFORM_PACKAGES = { 'linux-x64': 'novabilling-cli-linux-x64-gnu' };
const platform = `${process.platform}-${process.arch}`;
const pkg = PLATFORM_PACKAGES[platform];
if (pkg === undefined) {
  console.error(`novabilling-cli has no binary for ${platform}; it ships for ${Object.keys(PLATFORM_PACKAGES).join(', ')} (or: cargo install --path cli)`);
  process.exit(2);
}
let bin;
try {
  bin = require.resolve(`${pkg}/bin/novabilling`);
} catch {
  console.error(`novabilling-cli: the package ${pkg} is not installed; npm installs it from optionalDependencies, so reinstall without --omit=optional (or add ${pkg} to your dependencies)`);
  process.exit(2);
}
const run = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
if (run.error) {
  console.error(`novabilling-cli: could not run ${bin}: ${run.error.message}`);
  process.exit(2);
}
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
