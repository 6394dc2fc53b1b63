// The server's deliveries, received over real HTTP by a receiver in this
// suite and verified with the Node SDK: a create/update/bind/delete flow
// arrives signed, in sequence, with the full customer.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';

import { NovaBillingClient, WebhookVerificationError, webhooks, type WebhookEvent } from 'novabilling';

import { startServer, type Server } from './helpers.mjs';

interface Delivery {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/** A receiver that keeps each request's raw body and headers and answers 204. */
async function receiver(): Promise<{ url: string; got: Delivery[]; waitFor(n: number): Promise<Delivery[]>; close(): void }> {
  const got: Delivery[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    got,
    async waitFor(n) {
      const deadline = Date.now() + 15_000;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} deliveries, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return [...got];
    },
    close: () => http.close(),
  };
}

let server: Server;
before(async () => {
  // Loopback is refused unless allowed; the compressed schedule keeps retries quick.
  server = await startServer([
    '--webhook-allow-host', '127.0.0.1', '--webhook-retry-schedule', '0,100ms,200ms', '--webhook-poll-interval', '100ms',
  ]);
});
after(() => server.stop());

/** The SDK has no endpoint management yet, so the test makes the endpoint over plain HTTP. */
async function endpoint(key: string, url: string): Promise<string> {
  const resp = await fetch(`${server.url}/api/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  assert.equal(resp.status, 201);
  return ((await resp.json()) as { secret: string }).secret;
}

test('a customer flow arrives signed and in sequence', async () => {
  const r = await receiver();
  try {
    const key = server.newKey();
    const secret = await endpoint(key, r.url);
    const c = new NovaBillingClient({ token: key, baseUrl: server.url });

    const result = await c.customers.importStripe([{ id: 'cus_node_hook', email: 'node-hook@example.com' }]);
    assert.equal(result.created, 1);
    const [imported] = (await c.customers.listUnresolved()).data;
    await c.customers.update(imported.id, { name: 'Node Hook' });
    await c.customers.bind(imported.id, 'user-node-hook');
    await c.customers.delete(imported.id);

    const events: WebhookEvent[] = (await r.waitFor(5)).map((d) => {
      const e = webhooks.verify(d.body, d.headers, secret);
      assert.equal(e.id, d.headers['webhook-id']);
      return e;
    });
    const counts = events.find((e) => e.type === 'customers.imported');
    assert.deepEqual([counts?.imported?.created, counts?.imported?.skipped], [1, 0]);

    const changes = events.filter((e) => e.type.startsWith('customer.')).sort((a, b) => a.sequence! - b.sequence!);
    assert.deepEqual(changes.map((e) => e.type), ['customer.created', 'customer.updated', 'customer.bound', 'customer.deleted']);
    assert.equal(new Set(changes.map((e) => e.sequence)).size, 4);
    for (const e of changes) assert.equal(e.customer?.id, imported.id);
    const [, updated, bound, deleted] = changes;
    assert.deepEqual(updated.changedFields, ['name']);
    assert.equal(updated.customer?.name, 'Node Hook');
    assert.equal(bound.customer?.externalId, 'user-node-hook');
    assert.equal(deleted.customer?.externalId, 'user-node-hook');
  } finally {
    r.close();
  }
});

test('a tampered delivery is refused', async () => {
  const r = await receiver();
  try {
    const key = server.newKey();
    const secret = await endpoint(key, r.url);
    await new NovaBillingClient({ token: key, baseUrl: server.url }).customers.create({
      externalId: 'user-node-tamper',
      email: 'node-tamper@example.com',
    });
    const [d] = await r.waitFor(1);
    const tampered = Buffer.from(d.body.toString().replace('node-tamper', 'node-tamperX'));
    assert.throws(
      () => webhooks.verify(tampered, d.headers, secret),
      (e: unknown) => e instanceof WebhookVerificationError && e.code === 'no_matching_signature',
    );
  } finally {
    r.close();
  }
});
