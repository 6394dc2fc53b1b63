// Calls run off the event loop, many at once on one connection pool; an
// aborted signal cancels the request.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { AbortError, DecodeError, NovaBillingClient, type Customer } from 'novabilling';

import { Canned, startServer, type Server } from './helpers.mjs';

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

test('200 concurrent calls on one client', async () => {
  const c = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
  const created = await Promise.all(
    Array.from({ length: 200 }, (_, i) => c.customers.create({ externalId: `con_${i}`, email: `con_${i}@example.com` })),
  );
  assert.equal(new Set(created.map((x) => x.id)).size, 200);
  const started = performance.now();
  const got = await Promise.all(created.map((x) => c.customers.get(x.id)));
  const ms = performance.now() - started;
  assert.deepEqual(got.map((x) => x.externalId), created.map((x) => x.externalId));
  console.log(`# 200 concurrent gets: ${ms.toFixed(0)} ms`);
  const all: Customer[] = [];
  for await (const x of c.customers.list({ limit: 100 })) all.push(x);
  assert.equal(all.length, 200);
});

test('the event loop keeps running while calls wait', async () => {
  const canned = await Canned.start({ status: 200, body: 'not json', delayMs: 400 });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url, maxRetries: 0 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const calls = Array.from({ length: 20 }, () => c.customers.get('cust_1').catch((e: unknown) => e));
    const results = await Promise.all(calls);
    clearInterval(timer);
    assert.ok(results.every((e) => e instanceof DecodeError));
    assert.ok(ticks > 30, `the timer ticked ${ticks} times during 400 ms`);
  } finally {
    await canned.close();
  }
});

test('aborting cancels the in-flight request', async () => {
  const canned = await Canned.start({ status: 200, body: '{}', delayMs: 3000 });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url, maxRetries: 0 });
    const ac = new AbortController();
    const started = Date.now();
    const p = c.customers.get('cust_1', { signal: ac.signal });
    while (canned.seen.length === 0) await sleep(5);
    ac.abort();
    await assert.rejects(p, (e: unknown) => e instanceof AbortError && e.name === 'AbortError');
    assert.ok(Date.now() - started < 1500, 'rejected at once');
    // The core dropped the request: the server sees its client go away.
    for (let i = 0; i < 100 && canned.closedEarly === 0; i++) await sleep(10);
    assert.equal(canned.closedEarly, 1);
  } finally {
    await canned.close();
  }
});

test('a signal that is already aborted sends nothing; one never aborted changes nothing', async () => {
  const canned = await Canned.start({ status: 200, body: JSON.stringify({ data: [], meta: { total: 0, page: 1, limit: 20, totalPages: 0 } }) });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url });
    await assert.rejects(c.customers.list({}, { signal: AbortSignal.abort() }), AbortError);
    assert.equal(canned.seen.length, 0);
    const ac = new AbortController();
    const page = await c.customers.list({}, { signal: ac.signal });
    assert.equal(page.total, 0);
    ac.abort(); // after the call: nothing left to cancel
  } finally {
    await canned.close();
  }
});

test('AbortSignal.timeout works as a deadline over pagination', async () => {
  const canned = await Canned.start({ status: 200, body: '{}', delayMs: 2000 });
  try {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: canned.url });
    await assert.rejects(async () => {
      for await (const _ of c.customers.list({}, { signal: AbortSignal.timeout(100) })) void _;
    }, (e: unknown) => e instanceof AbortError && (e.cause as Error).name === 'TimeoutError');
  } finally {
    await canned.close();
  }
});
