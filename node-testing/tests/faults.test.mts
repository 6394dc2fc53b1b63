// Retry and error handling through failNext and delayNext.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { InternalServerError, PermissionDeniedError, TimeoutError } from 'novabilling';
import { startTestServer, type TestServer } from '@novabilling/testing';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
beforeEach(() => srv.reset());
after(() => srv.close());

test('two 503s are retried; the third attempt succeeds', async () => {
  const client = srv.client();
  srv.failNext('POST', '/api/customers', 503, { times: 2, retryAfter: 0 });
  const made = await client.customers.create({ externalId: 'user_r', email: 'r@example.com' });
  assert.equal((await client.customers.get(made.id)).id, made.id);
});

test('three 500s exhaust two retries; the error is typed', async () => {
  const client = srv.client();
  srv.failNext('GET', '/api/customers/{id}', 500, { times: 3 });
  await assert.rejects(client.customers.get('cust_x'), (e: unknown) => {
    assert.ok(e instanceof InternalServerError);
    assert.equal(e.status, 500);
    assert.match(e.message, /fail_next/);
    return true;
  });
  await assert.rejects(client.customers.get('cust_x'), { status: 404 });
});

test('a 429 with Retry-After is retried', async () => {
  srv.failNext('*', '/api/**', 429, { retryAfter: 0 });
  assert.equal((await srv.client().customers.list()).total, 0);
});

test('delayNext meets the client timeout', async () => {
  srv.delayNext('GET', '/api/customers', 1000);
  await assert.rejects(srv.client({ timeoutMs: 200, maxRetries: 0 }).customers.list(), TimeoutError);
});

test('bad rules say what to fix', () => {
  assert.throws(() => srv.failNext('GET', 'api/customers', 500), /must start with \//);
  assert.throws(() => srv.failNext('GET', '/api/customers', 200), /400 to 599/);
  assert.throws(() => srv.delayNext('GET', '/api/customers', -1), /milliseconds/);
});

test('keys of every kind', async () => {
  const client = srv.client();
  const made = await client.customers.create({ externalId: 'user_k', email: 'k@example.com' });
  const readOnly = srv.client({ apiKey: await srv.restrictedKey(['customers:read']) });
  assert.equal((await readOnly.customers.get(made.id)).id, made.id);
  await assert.rejects(readOnly.customers.create({ externalId: 'x', email: 'x@example.com' }), PermissionDeniedError);
  assert.match(await srv.ephemeralKey(made.id, { ttlMs: 60_000 }), /^ek_test_/);
  await assert.rejects(srv.ephemeralKey('cust_missing'), /no customer/);
});
