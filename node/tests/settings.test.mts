// Client settings and per-call options (tests/vectors/config.json and
// options.json), checked by core; and pages that continue on their own route.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { NovaBillingClient, ValidationError, type ClientOptions, type RequestOptions } from 'novabilling';

import { loadVectors, startServer, type Server } from './helpers.mjs';

interface FieldCode { field: string; code: string }
interface ConfigCase { name: string; config: Record<string, unknown>; env: Record<string, string>; error?: FieldCode[]; ok?: unknown }
interface OptionsCase { name: string; options: Record<string, unknown>; error: FieldCode[] }

// The vectors name spans `timeout`; Node's options say their unit.
const NODE_NAME: Record<string, string> = { timeout: 'timeoutMs', connectTimeout: 'connectTimeoutMs' };
const rename = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [NODE_NAME[k] ?? k, v]));
const ENV = ['NOVABILLING_API_KEY', 'NOVABILLING_BASE_URL'];

function codes(e: unknown): FieldCode[] {
  assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
  return e.errors.map((f) => ({ field: f.field, code: f.code ?? '' }));
}

describe('config vectors', () => {
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  after(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  for (const c of loadVectors<ConfigCase>('config.json')) {
    test(c.name, () => {
      for (const k of ENV) delete process.env[k];
      Object.assign(process.env, c.env);
      const make = (): NovaBillingClient => new NovaBillingClient(rename(c.config) as ClientOptions);
      if (c.error) {
        assert.throws(make, (e: unknown) => {
          assert.deepEqual(codes(e), c.error);
          return true;
        });
      } else {
        const client = make();
        assert.deepEqual({ baseUrl: client.baseUrl, maxRetries: client.maxRetries }, c.ok);
      }
    });
  }
});

describe('options vectors', () => {
  const client = new NovaBillingClient({ token: 'sk_test_vectors', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, connectTimeoutMs: 200 });
  for (const c of loadVectors<OptionsCase>('options.json')) {
    test(c.name, async () => {
      await assert.rejects(client.customers.delete('cust_1', rename(c.options) as RequestOptions), (e: unknown) => {
        assert.deepEqual(codes(e), c.error);
        return true;
      });
    });
  }
});

describe('pagination', () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test('a page of unresolved customers continues on its route', async () => {
    const c = new NovaBillingClient({ token: server.newKey(), baseUrl: server.url });
    await c.customers.importStripe([0, 1, 2, 3, 4].map((i) => ({ id: `cus_cursor_${i}`, email: `cursor_${i}@example.com` })));
    for (let i = 0; i < 3; i++) await c.customers.create({ externalId: `bound_${i}`, email: `bound_${i}@example.com` });
    const first = await c.customers.listUnresolved({ limit: 2 });
    assert.equal(first.total, 5);
    assert.ok(first.nextCursor);
    const seen: string[] = [];
    for await (const page of first.iterPages()) {
      assert.ok(page.data.every((x) => x.externalId === null), 'the next page stayed on /unresolved');
      seen.push(...page.data.map((x) => x.id));
    }
    assert.equal(new Set(seen).size, 5);
    const again = await c.customers.page(first.nextCursor);
    assert.deepEqual(again.data.map((x) => x.id), seen.slice(2, 4));
    await assert.rejects(c.customers.page('not a cursor'), (e: unknown) => e instanceof ValidationError && e.field === 'cursor');
  });
});
