// A full flow of the NovaBilling guide on a test server, through the SDK,
// with `await using`; node --test runs each test file in its own process, in
// parallel: every file starts servers of its own, and they never collide.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { NotFoundError } from 'novabilling';
import { startTestServer } from '@novabilling/testing';

test('create, find, update, list, delete', async () => {
  await using srv = await startTestServer();
  const client = srv.client();
  const customer = await client.customers.create({ externalId: 'user_1', email: 'sarah@kampaltech.ug', name: 'Nakato Sarah' });
  assert.equal((await client.customers.get(customer.id)).email, 'sarah@kampaltech.ug');
  assert.equal((await client.customers.getByExternalId('user_1')).id, customer.id);
  const updated = await client.customers.update(customer.id, { name: 'Nakato Sarah Williams' });
  assert.equal(updated.name, 'Nakato Sarah Williams');
  const page = await client.customers.list({ search: 'Nakato' });
  assert.equal(page.total, 1);
  await client.customers.delete(customer.id);
  await assert.rejects(client.customers.get(customer.id), NotFoundError);
});

test('import from Stripe, then bind', async () => {
  await using srv = await startTestServer();
  const client = srv.client();
  const result = await client.customers.importStripe([
    { id: 'cus_A1', email: 'a@example.com', name: 'A' },
    { id: 'cus_B2', email: 'b@example.com' },
  ]);
  assert.deepEqual([result.created, result.skipped], [2, 0]);
  const pending = [];
  for await (const c of client.customers.listUnresolved()) pending.push(c);
  assert.equal(pending.length, 2);
  const bound = await client.customers.bind(pending[0].id, 'user_a');
  assert.equal((await client.customers.getByExternalId('user_a')).id, bound.id);
});

test('reset empties the server; the key stays', async () => {
  await using srv = await startTestServer();
  const client = srv.client();
  await client.customers.create({ externalId: 'user_1', email: 'one@example.com' });
  await srv.reset();
  assert.equal((await client.customers.list()).total, 0);
});

test('servers are isolated', { concurrency: true }, async () => {
  const servers = await Promise.all([1, 2, 3, 4].map(() => startTestServer({ captureWebhooks: false })));
  try {
    await Promise.all(servers.map(async (srv, i) => {
      const c = srv.client();
      for (let n = 0; n <= i; n++) await c.customers.create({ externalId: `user_${n}`, email: `${n}@example.com` });
    }));
    const totals = await Promise.all(servers.map(async (srv) => (await srv.client().customers.list()).total));
    assert.deepEqual(totals, [1, 2, 3, 4]);
    assert.equal(new Set(servers.map((s) => s.baseUrl)).size, 4);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('the same module through novabilling/testing', async () => {
  const viaSdk = await import('novabilling/testing');
  const direct = await import('@novabilling/testing');
  assert.equal(viaSdk.startTestServer, direct.startTestServer);
  // testing.mjs names each export: none may be missing.
  const names = (m: object) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
  assert.deepEqual(names(viaSdk), names(direct));
});
