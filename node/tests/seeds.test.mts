// The customer guides in TypeScript: NovaBilling's samples exactly as written
// (only the API key and the placeholder id replaced), compiled with tsc
// --strict and run; BillingOS's flows as idiomatic code; the example flow.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { ConflictError, NotFoundError, NovaBillingClient, type Customer } from 'novabilling';

import { PKG, ROOT, startServer, type Server } from './helpers.mjs';

const run = promisify(execFile);
const PLACEHOLDER_KEY = 'sk_live_a1b2c3d4...';
const PLACEHOLDER_ID = "'cust_x1y2z3'";

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

function typescriptSamples(): string[] {
  const text = readFileSync(join(ROOT, 'tests', 'seeds', 'novabilling-customers.md'), 'utf8');
  const blocks = [...text.matchAll(/```typescript \[TypeScript\]\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 6, 'the guide has six TypeScript samples');
  return blocks;
}

/**
 * One module, the samples in order. The first (with the import and the
 * client) stays at the top level; each later one is a block of its own, since
 * two samples declare `const customer`. The placeholder id becomes the id of
 * the customer the first sample created.
 */
function seedModule(key: string): string {
  const [first, ...rest] = typescriptSamples();
  assert.equal(first.split(PLACEHOLDER_KEY).length, 2);
  const parts = [first.replace(PLACEHOLDER_KEY, key), 'const createdCustomerId: string = customer.id;'];
  for (const block of rest) parts.push(`{\n${block.replaceAll(PLACEHOLDER_ID, 'createdCustomerId')}}`);
  return parts.join('\n');
}

test('the NovaBilling guide samples run as written', async () => {
  const key = server.newKey();
  mkdirSync(join(PKG, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(PKG, 'dist', 'seed-'));
  try {
    writeFileSync(join(dir, 'seed.mts'), seedModule(key));
    const tsc = join(PKG, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--types', 'node', '--rootDir', PKG, '--outDir', PKG, join(dir, 'seed.mts')], { cwd: PKG });
    const env: NodeJS.ProcessEnv = { ...process.env, NOVABILLING_BASE_URL: server.url };
    delete env.NOVABILLING_API_KEY;
    const { stdout } = await run(process.execPath, [join(dir, 'seed.mjs')], { env, cwd: dir });
    const created = /Customer created: (cust_\w+)/.exec(stdout)?.[1];
    assert.ok(created, stdout);
    assert.match(stdout, /Updated: Nakato Sarah Williams/);
    assert.match(stdout, /Showing 1 of 1 customers/);
    assert.match(stdout, /Nakato Sarah Williams - sarah@kampaltech.ug/);
    const printed = /(\{\n[\s\S]*?\n\})\nCustomer deleted/.exec(stdout)?.[1];
    assert.ok(printed, stdout);
    const shown = JSON.parse(printed) as Customer;
    assert.equal(shown.id, created);
    assert.equal(shown.name, 'Nakato Sarah Williams');
    assert.deepEqual(shown.metadata, { userId: 'usr_98765', accountType: 'enterprise', upgradeDate: '2025-03-01' });
    const client = new NovaBillingClient({ token: key, baseUrl: server.url });
    await assert.rejects(client.customers.get(created), NotFoundError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const USERS: Record<string, string> = { 'alice@example.com': 'user_alice', 'bob@example.com': 'user_bob' };

test('the BillingOS flows', async () => {
  const billing = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });

  // createCustomer with your user id and organization id.
  const customer = await billing.customers.create({
    externalId: 'user_123',
    externalOrganizationId: 'org_acme',
    email: 'jane@example.com',
    name: 'Jane Smith',
    metadata: { company: 'Acme Inc' },
  });
  assert.deepEqual(await billing.customers.get(customer.id), customer);

  // getCustomerByExternalId.
  const found = await billing.customers.getByExternalId('user_123');
  assert.equal(found.id, customer.id);
  assert.equal(found.externalOrganizationId, 'org_acme');

  // updateCustomer.
  const updated = await billing.customers.update(customer.id, { name: 'Jane Doe', metadata: { company: 'Acme Inc' } });
  assert.equal(updated.name, 'Jane Doe');

  // Migrating from Stripe: listUnresolvedCustomers, then bindCustomer.
  const imported = await billing.customers.importStripe([
    { id: 'cus_alice', object: 'customer', email: 'alice@example.com', name: 'Alice', currency: 'usd' },
    { id: 'cus_bob', email: 'bob@example.com', address: { country: 'us', city: 'NYC' } },
    { id: 'cus_carol', email: 'carol@example.com' },
  ]);
  assert.deepEqual([imported.created, imported.skipped], [3, 0]);

  const unresolved: Customer[] = [];
  for await (const c of billing.customers.listUnresolved({ limit: 2 })) unresolved.push(c); // read first: binding shifts pages
  assert.deepEqual(unresolved.map((c) => c.stripeCustomerId).sort(), ['cus_alice', 'cus_bob', 'cus_carol']);
  for (const c of unresolved) {
    if (!c.email) continue;
    const userId = USERS[c.email];
    if (userId) await billing.customers.bind(c.id, userId);
  }
  const left = await billing.customers.listUnresolved();
  assert.deepEqual(left.data.map((c) => c.email), ['carol@example.com']);
  assert.equal((await billing.customers.getByExternalId('user_bob')).country, 'US');
  await assert.rejects(billing.customers.bind(left.data[0].id, 'user_alice'), (e: unknown) =>
    e instanceof ConflictError && e.code === 'external_id_taken');

  // deleteCustomer.
  await billing.customers.delete(customer.id);
  await assert.rejects(billing.customers.getByExternalId('user_123'), NotFoundError);
});

test('the example flow runs, and runs again on the same data', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NOVABILLING_BASE_URL: server.url, NOVABILLING_API_KEY: server.newKey() };
  const example = join(PKG, 'dist', 'examples', 'seed_flow.mjs');
  const first = await run(process.execPath, [example], { env });
  assert.match(first.stdout, /Stripe import: 2 created, 0 skipped/);
  assert.match(first.stdout, /Bound cust_\w+ to user_alice/);
  const second = await run(process.execPath, [example], { env });
  assert.match(second.stdout, /Customer created: cust_/);
  assert.match(second.stdout, /Stripe import: 0 created, 2 skipped/);
  assert.match(second.stdout, /Customer deleted/);
});
