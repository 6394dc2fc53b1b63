// Captured webhook deliveries, and seeded snapshots.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startTestServer } from '@novabilling/testing';

test('deliveries are captured and verified', async () => {
  await using srv = await startTestServer();
  const client = srv.client();
  const made = await client.customers.create({ externalId: 'user_w', email: 'w@example.com' });
  await client.customers.update(made.id, { name: 'W' });
  const created = await srv.webhooks.waitFor('customer.created', { timeoutMs: 10_000 });
  assert.ok(created.verified);
  assert.equal(JSON.parse(created.body).data.customer.id, made.id);
  assert.ok(created.headers.some(([k]) => k === 'webhook-signature'));
  assert.equal((await srv.webhooks.waitFor('customer.updated', { timeoutMs: 10_000 })).type, 'customer.updated');
  await assert.rejects(srv.webhooks.waitFor('customer.deleted', { timeoutMs: 200 }), /customer\.deleted/);
  assert.deepEqual(srv.webhooks.all().map((d) => d.type), ['customer.created', 'customer.updated']);
});

test('a seed gives the same ids and timestamps', async () => {
  const run = async () => {
    await using srv = await startTestServer({ seed: 42 });
    const client = srv.client();
    const out = [];
    for (let i = 0; i < 3; i++) {
      const c = await client.customers.create({ externalId: `user_${i}`, email: `${i}@example.com` });
      out.push([c.id, c.createdAt]);
    }
    return out;
  };
  const first = await run();
  assert.deepEqual(first, await run());
  assert.deepEqual(first.map(([, t]) => t), ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z']);
});

test('starts and stops in milliseconds', async () => {
  await (await startTestServer()).close();
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    const srv = await startTestServer();
    await srv.close();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`start+close median ${times[4].toFixed(1)} ms`);
});
