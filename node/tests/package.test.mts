// The package's two entry points, and what loading it costs.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { promisify } from 'node:util';

import * as esm from 'novabilling';
import NovaBillingDefault from 'novabilling';

import { PKG } from './helpers.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

test('require and import give the same classes', () => {
  const cjs = require('novabilling') as typeof esm;
  assert.equal(cjs.NovaBillingClient, esm.NovaBillingClient);
  assert.equal(cjs.ConflictError, esm.ConflictError);
  assert.equal(NovaBillingDefault, esm.NovaBillingClient);
  const names = Object.keys(cjs).filter((k) => k !== 'default').sort();
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), names);
  assert.equal((require('novabilling/package.json') as { version: string }).version, '0.1.0');
});

test('require loads the native module only with the first client', async () => {
  // What loading costs is measured by scripts/bench.sh; this checks the laziness it relies on.
  const script = `
    const loaded = () => Object.keys(require.cache).some((k) => k.endsWith('novabilling.node'));
    const { NovaBillingClient } = require('novabilling');
    const before = loaded();
    new NovaBillingClient({ token: 'sk_test_x' });
    console.log(JSON.stringify([before, loaded()]));`;
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: PKG });
  assert.deepEqual(JSON.parse(stdout), [false, true]);
});
