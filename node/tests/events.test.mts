// Events read back through the SDK from the real server: the same
// WebhookEvent a verified delivery gives, newest first, filtered, and the
// checks core makes before any request.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { NotFoundError, NovaBillingClient, ValidationError } from 'novabilling';

import { startServer, type Server } from './helpers.mjs';

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test('events.list and events.get read back what deliveries send', async () => {
  const client = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  const c = await client.customers.create({ externalId: 'ev1', email: 'ev1@example.com' });
  await client.customers.update(c.id, { name: 'Renamed' });
  const page = await client.events.list({ customerId: c.id });
  assert.deepEqual(page.data.map((e) => e.type), ['customer.updated', 'customer.created']);
  assert.deepEqual([page.total, page.page, page.totalPages, page.hasMore], [2, 1, 1, false]);
  assert.ok(page.requestId);
  const updated = page.data[0];
  assert.equal(updated.customer?.name, 'Renamed');
  assert.deepEqual(updated.changedFields, ['name']);
  const again = await client.events.get(updated.id);
  assert.deepEqual({ ...again }, { ...updated });
  const created = await client.events.list({ type: 'customer.created', limit: 1 });
  assert.deepEqual(created.data.map((e) => e.customer?.id), [c.id]);
});

test('events are checked before any request', async () => {
  const client = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  await assert.rejects(client.events.list({ type: 'Customer Created', limit: 0 }), (e: unknown) => {
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.errors.map((f) => f.field).sort(), ['limit', 'type']);
    return true;
  });
  await assert.rejects(client.events.get('evt_missing'), NotFoundError);
});
