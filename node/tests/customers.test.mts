// Every method of the client against the project's server.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ConflictError,
  NotFoundError,
  NovaBillingClient,
  PreconditionFailedError,
  ValidationError,
  type Customer,
} from 'novabilling';

import { Canned, jsonReply, startServer, type Server } from './helpers.mjs';

let server: Server;
before(async () => {
  server = await startServer();
});
after(() => server.stop());

function client(): NovaBillingClient {
  return new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
}

describe('customers', () => {
  test('create, get, getByExternalId: plain objects in the API shape', async () => {
    const c = client();
    const created = await c.customers.create({
      externalId: 'usr_98765',
      email: 'sarah@kampaltech.ug',
      name: 'Nakato Sarah',
      country: 'ug',
      currency: 'ugx',
      metadata: { userId: 'usr_98765', nested: { a: [1, 2] } },
      externalOrganizationId: 'org_1',
    });
    assert.match(created.id, /^cust_/);
    assert.equal(created.country, 'UG');
    assert.equal(created.currency, 'UGX');
    assert.equal(created.status, 'active');
    assert.equal(created.totalSpent, 0);
    assert.equal(created.activeSubscriptions, 0);
    assert.deepEqual(created.metadata, { userId: 'usr_98765', nested: { a: [1, 2] } });
    assert.match(created.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(Object.getPrototypeOf(created), Object.prototype, 'a plain object');
    // requestId and etag are there, but not part of the object's JSON.
    assert.match(created.requestId ?? '', /^req_/);
    assert.ok(created.etag);
    assert.deepEqual(Object.keys(created), [
      'id', 'externalId', 'externalOrganizationId', 'email', 'name', 'country', 'currency', 'status', 'metadata',
      'stripeCustomerId', 'totalSpent', 'activeSubscriptions', 'createdAt', 'updatedAt',
    ]);
    assert.ok(!JSON.stringify(created).includes('requestId'));

    const got = await c.customers.get(created.id);
    assert.deepEqual(got, created);
    const byExt = await c.customers.getByExternalId('usr_98765');
    assert.equal(byExt.id, created.id);
    assert.equal(byExt.externalOrganizationId, 'org_1');
  });

  test('update: undefined leaves a field untouched, null clears it', async () => {
    const c = client();
    const created = await c.customers.create({ externalId: 'u1', email: 'u1@example.com', name: 'One', country: 'US', metadata: { k: 'v' } });
    const u1 = await c.customers.update(created.id, { name: 'Uno', country: undefined });
    assert.equal(u1.name, 'Uno');
    assert.equal(u1.country, 'US');
    assert.deepEqual(u1.metadata, { k: 'v' });
    const u2 = await c.customers.update(created.id, { country: null, metadata: null, externalOrganizationId: 'org_9' });
    assert.equal(u2.country, null);
    assert.deepEqual(u2.metadata, {});
    assert.equal(u2.name, 'Uno');
    assert.equal(u2.externalOrganizationId, 'org_9');
    const u3 = await c.customers.update(created.id, { status: 'inactive', metadata: { only: true } });
    assert.equal(u3.status, 'inactive');
    assert.deepEqual(u3.metadata, { only: true }, 'metadata is replaced whole');
    // Unknown keys and values core refuses are ValidationErrors naming the field.
    await assert.rejects(c.customers.update(created.id, { externalId: 'x' } as never), (e: unknown) =>
      e instanceof ValidationError && e.field === 'externalId' && e.code === 'unknown_field');
    await assert.rejects(c.customers.update(created.id, { email: null } as never), (e: unknown) =>
      e instanceof ValidationError && e.field === 'email' && e.code === 'not_nullable');
    await assert.rejects(c.customers.update(created.id, { name: 5 } as never), (e: unknown) =>
      e instanceof ValidationError && e.field === 'name' && e.code === 'invalid');
  });

  test('ifMatch guards an update (412 when stale)', async () => {
    const c = client();
    const created = await c.customers.create({ externalId: 'm1', email: 'm1@example.com' });
    const ok = await c.customers.update(created.id, { name: 'A' }, { ifMatch: created.etag! });
    assert.equal(ok.name, 'A');
    await assert.rejects(c.customers.update(created.id, { name: 'B' }, { ifMatch: created.etag! }), PreconditionFailedError);
  });

  test('delete: 404 afterwards, email and externalId free again', async () => {
    const c = client();
    const created = await c.customers.create({ externalId: 'd1', email: 'd1@example.com' });
    const deleted = await c.customers.delete(created.id);
    assert.deepEqual({ ...deleted }, { id: created.id, deleted: true });
    await assert.rejects(c.customers.get(created.id), NotFoundError);
    await assert.rejects(c.customers.getByExternalId('d1'), NotFoundError);
    await c.customers.create({ externalId: 'd1', email: 'd1@example.com' });
  });

  test('list: a page, search, sort, and for await over every page', async () => {
    const c = client();
    for (let i = 0; i < 7; i++) {
      await c.customers.create({ externalId: `l${i}`, email: `l${i}@example.com`, name: `Name ${i}`, country: i % 2 ? 'UG' : 'KE' });
    }
    const page = await c.customers.list({ page: 1, limit: 3 });
    assert.equal(page.data.length, 3);
    assert.equal(page.total, 7);
    assert.equal(page.page, 1);
    assert.equal(page.limit, 3);
    assert.equal(page.totalPages, 3);
    assert.equal(page.hasMore, true);
    assert.match(page.requestId ?? '', /^req_/);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(page))), ['data', 'total', 'page', 'limit', 'totalPages', 'hasMore', 'nextCursor']);

    const sorted = await c.customers.list({ sortBy: 'name', sortOrder: 'asc', limit: 100 });
    assert.deepEqual(sorted.data.map((x) => x.name), [0, 1, 2, 3, 4, 5, 6].map((i) => `Name ${i}`));
    assert.equal((await c.customers.list({ search: 'NAME 3' })).total, 1);
    assert.equal((await c.customers.list({ country: 'ug' })).total, 3);

    const walked: Customer[] = [];
    for await (const x of c.customers.list({ limit: 2, sortBy: 'name', sortOrder: 'asc' })) walked.push(x);
    assert.deepEqual(walked.map((x) => x.externalId), ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6']);

    const fromPage2: string[] = [];
    for await (const x of c.customers.list({ page: 2, limit: 3, sortBy: 'name', sortOrder: 'asc' })) fromPage2.push(x.externalId!);
    assert.deepEqual(fromPage2, ['l3', 'l4', 'l5', 'l6']);

    const last = await page.nextPage().then((p) => p!.nextPage());
    assert.ok(last);
    assert.equal(last.page, 3);
    assert.equal(last.hasMore, false);
    assert.equal(await last.nextPage(), null);
    let pages = 0;
    for await (const p of page.iterPages()) pages += p.data.length > 0 ? 1 : 0;
    assert.equal(pages, 3);

    await assert.rejects(async () => {
      for await (const _ of c.customers.list({ limit: 101 })) void _;
    }, (e: unknown) => e instanceof ValidationError && e.field === 'limit');
  });

  test('importStripe, listUnresolved, bind', async () => {
    const c = client();
    const r = await c.customers.importStripe([
      { id: 'cus_a', object: 'customer', email: 'alice@example.com', name: 'Alice', currency: 'usd' },
      { id: 'cus_b', email: 'bob@example.com', address: { country: 'us', city: 'NYC' } },
      { id: 'cus_c', email: 'carol@example.com' },
    ]);
    assert.deepEqual({ ...r }, { created: 3, skipped: 0 });
    assert.deepEqual({ ...(await c.customers.importStripe([{ id: 'cus_a' }])) }, { created: 0, skipped: 1 });

    const unresolved: Customer[] = [];
    for await (const x of c.customers.listUnresolved({ limit: 2 })) unresolved.push(x);
    assert.deepEqual(unresolved.map((x) => x.stripeCustomerId).sort(), ['cus_a', 'cus_b', 'cus_c']);
    const alice = unresolved.find((x) => x.email === 'alice@example.com')!;
    const bound = await c.customers.bind(alice.id, 'user_alice');
    assert.equal(bound.externalId, 'user_alice');
    assert.equal(bound.currency, 'USD');
    await assert.rejects(c.customers.bind(alice.id, 'user_other'), (e: unknown) =>
      e instanceof ConflictError && e.code === 'already_bound');
    const left = await c.customers.listUnresolved();
    assert.equal(left.total, 2);
  });

  test('mergeMetadata keeps keys written by others', async () => {
    const c = client();
    const created = await c.customers.create({ externalId: 'mm', email: 'mm@example.com', metadata: { a: 1, b: 2 } });
    const merged = await c.customers.mergeMetadata(created.id, { set: { c: 3 }, unset: ['a'] });
    assert.deepEqual(merged.metadata, { b: 2, c: 3 });
    const many = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c.customers.mergeMetadata(created.id, { set: { [`k${i}`]: i } })),
    );
    assert.equal(many.length, 8);
    const final = await c.customers.get(created.id);
    for (let i = 0; i < 8; i++) assert.equal(final.metadata[`k${i}`], i);
  });

  test('subscriptions and invoices: totals, and what delete does to them', async () => {
    const c = client();
    const cust = await c.customers.create({ externalId: 'b1', email: 'b1@example.com', currency: 'USD' });
    const sub = await c.subscriptions.create({ customerId: cust.id, planId: 'plan_pro' });
    assert.match(sub.id, /^sub_/);
    assert.equal(sub.status, 'active');
    const trial = await c.subscriptions.create({ customerId: cust.id, planId: 'plan_x', status: 'trialing' });
    assert.equal((await c.subscriptions.get(sub.id)).planId, 'plan_pro');
    const inv = await c.invoices.create({ customerId: cust.id, amount: 1500.5 });
    assert.equal(inv.currency, 'USD');
    assert.equal(inv.status, 'open');
    const paid = await c.invoices.pay(inv.id);
    assert.equal(paid.status, 'paid');
    assert.ok(paid.paidAt);
    await assert.rejects(c.invoices.void(inv.id), ConflictError);
    await c.invoices.create({ customerId: cust.id, amount: '0.25', status: 'draft' });
    const other = await c.invoices.create({ customerId: cust.id, amount: 10 });
    assert.equal((await c.invoices.void(other.id)).status, 'void');
    assert.equal((await c.invoices.get(other.id)).status, 'void');

    const now = await c.customers.get(cust.id);
    assert.equal(now.totalSpent, 1500.5);
    assert.equal(now.activeSubscriptions, 2);
    const subs = await c.customers.subscriptions(cust.id);
    assert.deepEqual(subs.map((s) => s.id).sort(), [sub.id, trial.id].sort());
    assert.equal((await c.customers.invoices(cust.id)).length, 3);

    const canceled = await c.subscriptions.cancel(trial.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal((await c.subscriptions.cancel(trial.id)).status, 'canceled', 'cancel is idempotent');

    await c.customers.delete(cust.id);
    assert.equal((await c.subscriptions.get(sub.id)).status, 'canceled');
    const invoices = await Promise.all([c.invoices.get(inv.id), c.invoices.get(other.id)]);
    assert.deepEqual(invoices.map((i) => i.status), ['paid', 'void']);
  });

  test('tenants are isolated', async () => {
    const a = client();
    const b = client();
    const created = await a.customers.create({ externalId: 'iso', email: 'iso@example.com' });
    await assert.rejects(b.customers.get(created.id), NotFoundError);
    assert.equal((await b.customers.list()).total, 0);
  });
});

describe('configuration', () => {
  test('options, getters, env fallbacks', async () => {
    const c = new NovaBillingClient({ token: 'sk_test_x', baseUrl: 'http://127.0.0.1:9/api/', timeoutMs: 1500, maxRetries: 0 });
    assert.equal(c.baseUrl, 'http://127.0.0.1:9');
    assert.equal(c.timeoutMs, 1500);
    assert.equal(c.maxRetries, 0);
    assert.ok(!JSON.stringify(c).includes('sk_test_x'), 'the key never prints');

    const saved = { key: process.env.NOVABILLING_API_KEY, url: process.env.NOVABILLING_BASE_URL };
    try {
      delete process.env.NOVABILLING_API_KEY;
      assert.throws(() => new NovaBillingClient(), (e: unknown) => e instanceof ValidationError && e.field === 'token');
      process.env.NOVABILLING_API_KEY = server.newKey();
      process.env.NOVABILLING_BASE_URL = server.url;
      const fromEnv = new NovaBillingClient();
      assert.equal(fromEnv.baseUrl, server.url);
      assert.equal((await fromEnv.customers.list()).total, 0);
    } finally {
      if (saved.key === undefined) delete process.env.NOVABILLING_API_KEY;
      else process.env.NOVABILLING_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.NOVABILLING_BASE_URL;
      else process.env.NOVABILLING_BASE_URL = saved.url;
    }
    assert.throws(() => new NovaBillingClient({ token: 'k', baseURL: 'x' } as never), (e: unknown) =>
      e instanceof ValidationError && e.field === 'baseURL');
    assert.throws(() => new NovaBillingClient({ token: 'k', baseUrl: 'ftp://x' }), (e: unknown) =>
      e instanceof ValidationError && e.field === 'base_url');
    assert.throws(() => new NovaBillingClient({ token: 'k', timeoutMs: -1 }), (e: unknown) =>
      e instanceof ValidationError && e.field === 'timeout' && e.code === 'out_of_range');
  });

  test('per-call options reach the wire: headers, idempotency key, User-Agent', async () => {
    const body = { id: 'cust_1', createdAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z' };
    const canned = await Canned.start(jsonReply(201, body));
    try {
      const c = new NovaBillingClient({ token: 'sk_test_abc', baseUrl: canned.url });
      await c.customers.create({ externalId: 'x', email: 'x@example.com' }, { idempotencyKey: 'idem-1', headers: { 'x-trace': 't1' } });
      await c.customers.create({ externalId: 'x', email: 'x@example.com' });
      await c.customers.delete('cust_1', { ifMatch: '"v3"', timeoutMs: 5000, maxRetries: 1 });
      const [first, second, del] = canned.seen;
      assert.equal(first.headers['idempotency-key'], 'idem-1');
      assert.equal(first.headers['x-trace'], 't1');
      assert.equal(first.headers.authorization, 'Bearer sk_test_abc');
      assert.match(first.headers['user-agent'] ?? '', new RegExp(`^novabilling-node/0\\.1\\.0 node/${process.version.replace(/\./g, '\\.')} \\(novabilling-rust/`));
      assert.deepEqual(JSON.parse(first.body), { externalId: 'x', email: 'x@example.com' });
      assert.match(String(second.headers['idempotency-key']), /^[0-9a-f-]{36}$/);
      assert.equal(del.method, 'DELETE');
      assert.equal(del.headers['if-match'], '"v3"');
      await assert.rejects(c.customers.get('cust_1', { timeoutMs: 0 }), (e: unknown) =>
        e instanceof ValidationError && e.field === 'timeout' && e.code === 'out_of_range');
      await assert.rejects(c.customers.get('cust_1', { retries: 1 } as never), (e: unknown) =>
        e instanceof ValidationError && e.field === 'retries');
    } finally {
      await canned.close();
    }
  });
});
