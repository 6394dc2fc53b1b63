// Every class of the error family: real Error subclasses, instanceof through
// async calls, status/code/errors/requestId/retryAfter.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DecodeError,
  InternalServerError,
  NotFoundError,
  NovaBillingClient,
  NovaBillingError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from 'novabilling';

import { Canned, jsonReply, startServer, type Reply, type Server } from './helpers.mjs';

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

async function failure(p: Promise<unknown>): Promise<NovaBillingError> {
  const e = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(e instanceof NovaBillingError, `not a NovaBillingError: ${String(e)}`);
  assert.ok(e instanceof Error);
  assert.ok(typeof e.stack === 'string' && e.stack.length > 0);
  return e;
}

test('the hierarchy', () => {
  for (const cls of [BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
    PreconditionFailedError, RateLimitError, InternalServerError]) {
    assert.ok(cls.prototype instanceof ApiError, cls.name);
  }
  for (const cls of [ValidationError, ApiError, ConnectionError, TimeoutError, DecodeError, AbortError]) {
    assert.ok(cls.prototype instanceof NovaBillingError, cls.name);
  }
  const e = new ConflictError('taken', { status: 409, code: 'email_taken' });
  assert.equal(e.name, 'ConflictError');
  assert.equal(String(e), 'ConflictError: taken');
  assert.ok(!Object.keys(e).includes('name'));
});

test('ValidationError: before any request, every field listed', async () => {
  const canned = await Canned.start(jsonReply(500, {}));
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url });
    const e = await failure(c.customers.create({ externalId: ' ', email: 'nope', country: 'XX', currency: 'ABC' }));
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.errors.map((f) => [f.field, f.code]), [
      ['externalId', 'required'], ['email', 'invalid_email'], ['country', 'invalid_country'], ['currency', 'invalid_currency'],
    ]);
    assert.equal(e.field, 'externalId');
    assert.equal(e.code, 'required');
    assert.equal(e.status, null);
    assert.equal(canned.seen.length, 0);
  } finally {
    await canned.close();
  }
});

test('API errors from the real server', async () => {
  const c = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  const created = await c.customers.create({ externalId: 'e1', email: 'e1@example.com' });

  const conflict = await failure(c.customers.create({ externalId: 'e2', email: 'E1@example.com' }));
  assert.ok(conflict instanceof ConflictError && conflict instanceof ApiError);
  assert.equal(conflict.status, 409);
  assert.equal(conflict.code, 'email_taken');
  assert.match(conflict.requestId ?? '', /^req_/);

  const missing = await failure(c.customers.get('cust_missing'));
  assert.ok(missing instanceof NotFoundError);
  assert.equal(missing.status, 404);

  const stale = await failure(c.customers.update(created.id, { name: 'x' }, { ifMatch: '"stale"' }));
  assert.ok(stale instanceof PreconditionFailedError);
  assert.equal(stale.status, 412);

  const badKey = new NovaBillingClient({ token: 'sk_test_' + '0'.repeat(64), baseUrl: server.url });
  const auth = await failure(badKey.customers.list());
  assert.ok(auth instanceof AuthenticationError);
  assert.equal(auth.status, 401);
});

const statusCases: [number, new (...a: never[]) => ApiError][] = [
  [400, BadRequestError],
  [403, PermissionDeniedError],
  [413, BadRequestError],
  [422, BadRequestError],
  [429, RateLimitError],
  [500, InternalServerError],
  [503, InternalServerError],
  [418, ApiError],
];

for (const [status, cls] of statusCases) {
  test(`HTTP ${status} is ${cls.name}`, async () => {
    const canned = await Canned.start(
      jsonReply(status, { statusCode: status, code: `c${status}`, message: `m${status}`, errors: [{ field: 'email', message: 'bad' }] },
        { 'x-request-id': `req_${status}`, 'retry-after': '2' }),
    );
    try {
      const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url, maxRetries: 0 });
      const e = await failure(c.customers.get('cust_1'));
      assert.ok(e instanceof cls);
      assert.equal(e.constructor, cls);
      assert.equal(e.status, status);
      assert.equal(e.code, `c${status}`);
      assert.equal(e.message, `m${status}`);
      assert.deepEqual(e.errors, [{ field: 'email', message: 'bad' }]);
      assert.equal(e.requestId, `req_${status}`);
      assert.equal(e.retryAfter, status === 429 || status === 503 ? 2 : null, 'core exposes Retry-After on 429 and 503 only');
    } finally {
      await canned.close();
    }
  });
}

test('retries come from core: 503 then 200', async () => {
  const ok = jsonReply(200, { id: 'cust_1', createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z' });
  const busy: Reply = jsonReply(503, { statusCode: 503, message: 'busy' }, { 'retry-after-ms': '10' });
  const canned = await Canned.start(busy, busy, ok);
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url });
    assert.equal((await c.customers.get('cust_1')).id, 'cust_1');
    assert.equal(canned.seen.length, 3);
  } finally {
    await canned.close();
  }
});

test('ConnectionError: nothing listens', async () => {
  const canned = await Canned.start(jsonReply(200, {}));
  const url = canned.url;
  await canned.close();
  const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: url, maxRetries: 0 });
  const e = await failure(c.customers.get('cust_1'));
  assert.ok(e instanceof ConnectionError);
  assert.equal(e.status, null);
  assert.match(e.message, /connect/i);
});

test('TimeoutError: no answer in time', async () => {
  const canned = await Canned.start({ status: 200, body: '{}', delayMs: 2000 });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url, maxRetries: 0 });
    const started = Date.now();
    const e = await failure(c.customers.get('cust_1', { timeoutMs: 150 }));
    assert.ok(e instanceof TimeoutError);
    assert.ok(Date.now() - started < 1500);
  } finally {
    await canned.close();
  }
});

test('DecodeError: a 2xx that is not the API', async () => {
  const canned = await Canned.start({ status: 200, body: '<html>hello</html>', headers: { 'x-request-id': 'req_html' } });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url });
    const e = await failure(c.customers.get('cust_1'));
    assert.ok(e instanceof DecodeError);
    assert.equal(e.status, 200);
    assert.equal(e.requestId, 'req_html');
  } finally {
    await canned.close();
  }
});

test('AbortError: an aborted signal', async () => {
  const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: server.url });
  const ac = new AbortController();
  ac.abort(new Error('stop'));
  const e = await failure(c.customers.get('cust_1', { signal: ac.signal }));
  assert.ok(e instanceof AbortError);
  assert.equal(e.name, 'AbortError');
  assert.equal(e.code, 'ABORT_ERR');
  assert.equal((e.cause as Error).message, 'stop');
});
