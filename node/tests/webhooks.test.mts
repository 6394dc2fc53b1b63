// Webhook verification through the Node API: the shared vectors
// (tests/vectors/webhooks.json), the body and header types Node servers hand
// over, and the signing helper's round trip.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { NovaBillingError, ValidationError, WebhookVerificationError, webhooks, type WebhookEvent } from 'novabilling';

import { ROOT } from './helpers.mjs';

interface Expect {
  id: string;
  type: string;
  timestamp: string;
  sequence: number | null;
  changed_fields: string[] | null;
  customer_id: string | null;
  imported: { created: number; skipped: number } | null;
  data_keys: string[];
}
interface VerifyCase {
  name: string;
  body: string;
  headers: Record<string, string>;
  secrets: string[];
  tolerance: number;
  expect?: Expect;
  error?: { code: string; contains: string };
}
interface Vectors {
  sign: { name: string; secret: string; id: string; timestamp: number; body: string; signature: string }[];
  verify: VerifyCase[];
  body_not_raw: { body: object; headers: Record<string, string>; secrets: string[]; error: { code: string; contains: string } };
}

const V = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/webhooks.json'), 'utf8')) as Vectors;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

for (const c of V.sign) {
  test(`sign: ${c.name}`, () => {
    assert.deepEqual(webhooks.sign(c.body, c.secret, { id: c.id, timestamp: c.timestamp }), {
      'webhook-id': c.id,
      'webhook-timestamp': String(c.timestamp),
      'webhook-signature': c.signature,
    });
  });
}

for (const c of V.verify) {
  test(`verify: ${c.name}`, () => {
    const run = (): WebhookEvent =>
      webhooks.verify(Buffer.from(c.body), c.headers, c.secrets, { toleranceMs: c.tolerance * 1000 });
    if (c.error !== undefined) {
      const e = thrown(run);
      assert.ok(e instanceof WebhookVerificationError && e instanceof NovaBillingError, String(e));
      assert.equal(e.name, 'WebhookVerificationError');
      assert.equal(e.code, c.error.code);
      assert.ok(e.message.includes(c.error.contains), e.message);
      return;
    }
    const event = run();
    const want = c.expect!;
    assert.deepEqual(
      [event.id, event.type, event.timestamp, event.sequence, event.changedFields],
      [want.id, want.type, want.timestamp, want.sequence, want.changed_fields],
    );
    assert.equal(event.customer?.id ?? null, want.customer_id);
    assert.deepEqual(event.imported, want.imported);
    assert.deepEqual(Object.keys(event.data).sort(), want.data_keys);
  });
}

test('a parsed body is refused, saying to pass the raw one', () => {
  const c = V.body_not_raw;
  const e = thrown(() => webhooks.verify(c.body as unknown as string, c.headers, c.secrets));
  assert.ok(e instanceof WebhookVerificationError);
  assert.equal(e.code, c.error.code);
  assert.ok(e.message.includes(c.error.contains) && e.message.includes('object'), e.message);
});

test('bodies and headers as Node servers hand them over', () => {
  const c = V.verify[0];
  const opts = { toleranceMs: c.tolerance * 1000 };
  const bytes = Buffer.from(c.body);
  const bodies = [c.body, bytes, new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)];
  const headerForms = [c.headers, new Headers(c.headers), Object.entries(c.headers), new Map(Object.entries(c.headers))];
  for (const b of bodies) {
    for (const h of headerForms) assert.equal(webhooks.verify(b, h, c.secrets, opts).id, 'evt_1');
  }
  assert.equal(webhooks.verify(c.body, c.headers, c.secrets[0], opts).customer?.email, 'sarah@kampaltech.ug');
  assert.ok(thrown(() => webhooks.verify(42 as unknown as string, c.headers, c.secrets)) instanceof TypeError);
  assert.ok(thrown(() => webhooks.verify(c.body, c.headers, c.secrets, { toleranceMs: -5 })) instanceof ValidationError);
});

test('sign makes headers that verify now', () => {
  const secret = V.sign[1].secret;
  const body = JSON.stringify({ id: 'evt_9', type: 'customer.deleted', timestamp: '2026-12-04T08:00:00.000Z', data: { sequence: 4 } });
  const headers = webhooks.sign(body, secret);
  const event = webhooks.verify(body, headers, [secret]);
  assert.deepEqual([event.type, event.sequence, event.customer], ['customer.deleted', 4, null]);
  const e = thrown(() => webhooks.sign(body, 'sk_test_abc'));
  assert.ok(e instanceof WebhookVerificationError && e.message.includes('API key'));
});
