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

test('require takes at most 20 ms', async () => {
  const script = `const t = process.hrtime.bigint(); require('novabilling'); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: PKG });
    times.push(Number(stdout.trim()));
  }
  times.sort((a, b) => a - b);
  console.log(`# require('novabilling'): median ${times[2].toFixed(2)} ms`);
  assert.ok(times[2] <= 20, `median ${times[2]} ms`);
  const first = `const t = process.hrtime.bigint(); const { NovaBillingClient } = require('novabilling'); new NovaBillingClient({ token: 'sk_test_x' }); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const { stdout } = await run(process.execPath, ['-e', first], { cwd: PKG });
  console.log(`# require + first client (loads the native module): ${Number(stdout).toFixed(2)} ms`);
});
