// Keys through the SDK against the real server: restricted keys and their
// scopes, ephemeral keys for one customer, the browser's refusal of secret keys.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { AuthenticationError, NotFoundError, NovaBillingClient, PermissionDeniedError, ValidationError } from 'novabilling';

import { startServer, type Server } from './helpers.mjs';

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test('a restricted key does what its scopes allow, and a revoked one nothing', async () => {
  const admin = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  const made = await admin.keys.create({ scopes: ['customers:read'], name: 'reader' });
  assert.equal(made.kind, 'restricted');
  assert.deepEqual(made.scopes, ['customers:read']);
  assert.ok(made.secret?.startsWith('rk_test_'));
  const reader = new NovaBillingClient({ token: made.secret!, baseUrl: server.url, maxRetries: 0 });
  assert.equal((await reader.customers.list()).total, 0);
  await assert.rejects(reader.customers.create({ externalId: 'u1', email: 'u1@example.com' }), (e: unknown) => {
    assert.ok(e instanceof PermissionDeniedError);
    assert.equal(e.code, 'insufficient_scope');
    assert.equal(e.requiredScope, 'customers:write');
    return true;
  });
  const listed = await admin.keys.list();
  assert.deepEqual(listed.filter((k) => k.kind === 'restricted').map((k) => k.id), [made.id]);
  assert.ok((await admin.keys.revoke(made.id)).revokedAt);
  await assert.rejects(reader.customers.list(), (e: unknown) => e instanceof AuthenticationError && e.code === 'revoked_api_key');
});

test('a backend mints an ephemeral key; the app reads and renames its customer, nothing else', async () => {
  const backend = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  const c = await backend.customers.create({ externalId: 'usr_app', email: 'app@example.com' });
  const other = await backend.customers.create({ externalId: 'usr_other', email: 'other@example.com' });
  const eph = await backend.keys.createEphemeralForExternalId('usr_app', { ttlMs: 600_000 });
  assert.equal(eph.customerId, c.id);
  assert.equal(Date.parse(eph.expiresAt) - Date.parse(eph.createdAt), 600_000);
  const app = new NovaBillingClient({ token: eph.secret!, baseUrl: server.url, maxRetries: 0 });
  assert.equal((await app.customers.get(c.id)).email, 'app@example.com');
  assert.equal((await app.customers.update(c.id, { name: 'Nakato' })).name, 'Nakato');
  await assert.rejects(app.customers.update(c.id, { metadata: { plan: 'pro' } }), (e: unknown) =>
    e instanceof PermissionDeniedError && e.requiredScope === 'customers:write');
  await assert.rejects(app.customers.get(other.id), NotFoundError);
  await backend.keys.revokeEphemeral(eph.id);
  await assert.rejects(app.customers.get(c.id), AuthenticationError);
  const short = await backend.keys.createEphemeral(c.id);
  assert.equal(Date.parse(short.expiresAt) - Date.parse(short.createdAt), 3_600_000);
  await assert.rejects(backend.keys.createEphemeral(c.id, { ttlMs: 0 }), (e: unknown) =>
    e instanceof ValidationError && e.field === 'ttl');
});

test('in a browser a secret key is refused unless allowSecretKey', async () => {
  const key = server.newKey();
  const g = globalThis as { window?: unknown; document?: unknown };
  g.window = {};
  g.document = {};
  try {
    assert.throws(() => new NovaBillingClient({ token: key, baseUrl: server.url }), (e: unknown) =>
      e instanceof ValidationError && e.code === 'secret_key_in_app' && /ephemeral/.test(e.message));
    const allowed = new NovaBillingClient({ token: key, baseUrl: server.url, allowSecretKey: true });
    assert.equal((await allowed.customers.list()).total, 0);
  } finally {
    delete g.window;
    delete g.document;
  }
  // On a server (no window, no document) it is accepted as always.
  new NovaBillingClient({ token: key, baseUrl: server.url });
});

test('a mistyped key fails on its checksum before any request', () => {
  const key = server.newKey();
  const typo = key.slice(0, -8) + (key.at(-8) === 'A' ? 'B' : 'A') + key.slice(-7);
  assert.throws(() => new NovaBillingClient({ token: typo, baseUrl: server.url }), (e: unknown) =>
    e instanceof ValidationError && e.field === 'token' && /checksum/.test(e.message));
});
