// Arbitrary values at every public function (issue: reliability, proven):
// wrong types, huge and deep values, NaN, lone surrogates, bytes. Whatever
// goes in, what comes out is a result or a typed error (the SDK's own, or
// JavaScript's TypeError and RangeError for a value of the wrong type or
// range); anything else, a crash or a panic's bare Error, fails. The
// functions come from core's description of the surface (tests/surface.json),
// so a new method is covered the day it is added. Calls that pass validation
// reach the real server.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import fc from 'fast-check';
import * as pkg from 'novabilling';

import { ROOT, startServer, type Server } from './helpers.mjs';

interface Param { name: string; type: string }
interface Surface {
  client_options: Param[];
  resources: { name: string; methods: { name: string; params: Param[] }[] }[];
  models: { name: string; kind: string; fields: Param[] }[];
}

const surface = JSON.parse(readFileSync(join(ROOT, 'tests/surface.json'), 'utf8')) as Surface;
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const jsName = (p: Param): string => (p.type.startsWith('duration') ? `${camel(p.name)}Ms` : camel(p.name));
const models = new Map(surface.models.map((m) => [m.name, m]));

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

// Values near what an argument wants get past one check to the next.
const plausible = fc.constantFrom<unknown>('cust_abc', 'usr_1', 'a@b.co', 'US', 'usd', 'active', 'createdAt', 'asc', 'customers:read', 1, 100, 0.5, { k: 'v' }, ['k']);
const scalar = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
  fc.double(),
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, 2 ** 53 + 2, -(2 ** 63), 2n ** 80n, '\ud800', 'x'.repeat(1_000_000), nested(5_000), Symbol('s'), () => 1, Buffer.from('{}'), new Uint8Array(3)),
  fc.string({ unit: 'binary' }),
  plausible,
);
const hostile = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string(), scalar, { maxKeys: 3 }));
const objectOf = (names: string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(Object.fromEntries(names.map((n) => [n, hostile])), { requiredKeys: [] });
const OPTIONS = ['timeoutMs', 'maxRetries', 'headers', 'idempotencyKey', 'ifMatch', 'signal'];

/** An argument: anything at all, or an object with the right keys and anything in them. */
const argument = (p: Param): fc.Arbitrary<unknown> => {
  const model = models.get(p.type.replace(/^list<(.*)>$/, '$1'));
  const shaped = model?.kind === 'input' ? objectOf(model.fields.map(jsName)) : hostile;
  return fc.oneof(hostile, shaped, p.type.startsWith('list<') ? fc.array(shaped, { maxLength: 3 }) : shaped);
};

function typed(e: unknown): boolean {
  return e instanceof pkg.NovaBillingError || e instanceof TypeError || e instanceof RangeError;
}

async function settle(result: unknown): Promise<void> {
  if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const _ of result as AsyncIterable<unknown>) break;
  } else {
    await result;
  }
}

let server: Server;
let client: pkg.NovaBillingClient;
before(async () => {
  server = await startServer();
  client = new pkg.NovaBillingClient({ token: server.newKey(), baseUrl: server.url, maxRetries: 0, timeoutMs: 5000 });
});
after(() => server.stop());

for (const resource of surface.resources) {
  for (const method of resource.methods) {
    const name = camel(method.name);
    test(`${resource.name}.${name} takes anything and answers with a result or a typed error`, async () => {
      const res = (client as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[resource.name];
      const fn = res[name];
      assert.equal(typeof fn, 'function', `${resource.name}.${name}`);
      const args = fc.tuple(...method.params.map(argument), fc.oneof(hostile, objectOf(OPTIONS)));
      await fc.assert(
        fc.asyncProperty(args, fc.nat({ max: method.params.length + 1 }), async (all, count) => {
          try {
            await settle(fn.apply(res, all.slice(0, count + 1)));
          } catch (e) {
            assert.ok(typed(e), `${resource.name}.${name} threw an untyped ${String((e as Error)?.constructor?.name)}: ${String((e as Error)?.message ?? e)}`);
          }
        }),
        { numRuns: 40 },
      );
    });
  }
}

test('client settings take anything and answer with a client or a typed error', () => {
  const names = [...surface.client_options.map(jsName), 'fetch', 'maxRetries'];
  fc.assert(
    fc.property(fc.oneof(hostile, objectOf(names)), (options) => {
      try {
        new pkg.NovaBillingClient(options as pkg.ClientOptions);
      } catch (e) {
        assert.ok(typed(e), `the constructor threw an untyped ${String((e as Error)?.constructor?.name)}: ${String((e as Error)?.message ?? e)}`);
      }
    }),
    { numRuns: 200 },
  );
});

test('the webhook functions take anything and answer with a result or a typed error', () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, hostile, (body, headers, secret, extra) => {
      for (const call of [
        () => pkg.webhooks.verify(body as string, headers as Record<string, string>, secret as string, extra as pkg.VerifyOptions),
        () => pkg.webhooks.sign(body as string, secret as string, extra as pkg.SignOptions),
      ]) {
        try {
          call();
        } catch (e) {
          assert.ok(typed(e), `a webhook function threw an untyped ${String((e as Error)?.constructor?.name)}: ${String((e as Error)?.message ?? e)}`);
        }
      }
    }),
    { numRuns: 300 },
  );
});
