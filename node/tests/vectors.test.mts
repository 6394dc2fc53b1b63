// The shared vectors of tests/vectors, through the Node API: the same inputs,
// bodies and error responses every language runs.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ApiError, NovaBillingClient, ValidationError, type FieldError } from 'novabilling';

import { Canned, jsonReply, loadVectors } from './helpers.mjs';

interface ValidationCase {
  name: string;
  op: string;
  input: any;
  ok?: unknown;
  error?: { field: string; code: string }[];
}

interface DecodingCase {
  name: string;
  type: string;
  body: unknown;
  expected: unknown;
  pathId?: string;
}

interface ErrorCase {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  expected: {
    kind: string;
    status: number;
    code: string;
    message: string;
    errors: FieldError[];
    requestId: string | null;
    retryAfterMs: number | null;
  };
}

function call(client: NovaBillingClient, op: string, input: any): Promise<unknown> {
  const c = client.customers;
  switch (op) {
    case 'customer_create':
      return c.create(input);
    case 'customer_update':
      return c.update('cust_1', input);
    case 'list_params':
      return c.list(input).then((p) => p);
    case 'page_params':
      return c.listUnresolved(input).then((p) => p);
    case 'bind':
      return c.bind('cust_1', input.externalId);
    case 'customer_id':
      return c.get(input);
    case 'stripe_import':
      return c.importStripe(input);
    case 'invoice_create':
      return client.invoices.create(input);
    case 'subscription_create':
      return client.subscriptions.create(input);
    default:
      throw new Error(`unknown op ${op}`);
  }
}

describe('validation vectors', async () => {
  const server = await Canned.start(jsonReply(500, {}));
  after(() => server.close());
  const client = new NovaBillingClient({ token: 'sk_test_x', baseUrl: server.url, maxRetries: 0 });
  const cases = loadVectors<ValidationCase>('validation.json').filter((c) => c.error !== undefined);
  assert.ok(cases.length > 30);

  for (const v of cases) {
    test(v.name, async () => {
      const err = await call(client, v.op, v.input).then(
        () => assert.fail('expected a ValidationError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ValidationError, String(err));
      assert.deepEqual(
        err.errors.map((f) => ({ field: f.field, code: f.code })),
        v.error,
      );
      assert.equal(err.code, v.error![0].code);
      assert.equal(server.seen.length, 0, 'nothing is sent for invalid input');
    });
  }
});

describe('decoding vectors', () => {
  for (const v of loadVectors<DecodingCase>('decoding.json')) {
    test(v.name, async () => {
      const server = await Canned.start(jsonReply(200, v.body, { 'x-request-id': 'req_vec' }));
      try {
        const client = new NovaBillingClient({ token: 'sk_test_x', baseUrl: server.url, maxRetries: 0 });
        const c = client.customers;
        const id = v.pathId ?? 'cust_1';
        let got: unknown;
        let requestId: string | null;
        switch (v.type) {
          case 'customer_page': {
            const page = await c.list();
            got = { data: page.data, meta: { total: page.total, page: page.page, limit: page.limit, totalPages: page.totalPages } };
            requestId = page.requestId;
            break;
          }
          case 'subscription_list':
          case 'invoice_list': {
            const items = v.type === 'subscription_list' ? await c.subscriptions(id) : await c.invoices(id);
            assert.ok(Array.isArray(items));
            got = { data: items };
            requestId = items.requestId;
            break;
          }
          default: {
            const r =
              v.type === 'customer' ? await c.get(id)
              : v.type === 'subscription' ? await client.subscriptions.get(id)
              : v.type === 'invoice' ? await client.invoices.get(id)
              : v.type === 'deleted' ? await c.delete(id)
              : v.type === 'import_result' ? await c.importStripe([])
              : assert.fail(`unknown type ${v.type}`);
            got = r;
            requestId = r.requestId;
          }
        }
        assert.equal(requestId, 'req_vec');
        // Compared as JSON: what JSON.stringify shows is the API's object, nothing more.
        assert.deepEqual(JSON.parse(JSON.stringify(got)), v.expected);
      } finally {
        await server.close();
      }
    });
  }
});

describe('error vectors', () => {
  for (const v of loadVectors<ErrorCase>('errors.json')) {
    test(v.name, async () => {
      const server = await Canned.start({ status: v.status, body: v.body, headers: v.headers });
      try {
        const client = new NovaBillingClient({ token: 'sk_test_x', baseUrl: server.url, maxRetries: 0 });
        const err = await client.customers.get('cust_1').then(
          () => assert.fail('expected an error'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof ApiError, String(err));
        assert.equal(err.constructor.name, v.expected.kind);
        assert.equal(err.name, v.expected.kind);
        const want = v.expected;
        assert.deepEqual(
          {
            status: err.status,
            code: err.code,
            message: err.message,
            errors: err.errors,
            requestId: err.requestId,
            retryAfterMs: err.retryAfter === null ? null : Math.round(err.retryAfter * 1000),
          },
          { status: want.status, code: want.code, message: want.message, errors: want.errors, requestId: want.requestId, retryAfterMs: want.retryAfterMs },
        );
        assert.equal(server.seen.length, 1, 'retries were off');
      } finally {
        await server.close();
      }
    });
  }
});
