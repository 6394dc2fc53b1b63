// The customer guides' flows in TypeScript, against a running server:
// NovaBilling's create, update, list, search, get and delete; BillingOS's
// create with external user and organization ids, lookup by external id, and
// the Stripe import with the unresolved-list-and-bind loop.
//
//   NOVABILLING_API_KEY=sk_test_... NOVABILLING_BASE_URL=http://localhost:3000 node dist/examples/seed_flow.mjs

import { ConflictError, NotFoundError, NovaBillingClient, type Customer } from 'novabilling';

// Your application's users, by email (the BillingOS migration guide's `db.users`).
const users = new Map([
  ['alice@example.com', 'user_alice'],
  ['bob@example.com', 'user_bob'],
]);

const client = new NovaBillingClient(); // NOVABILLING_API_KEY, NOVABILLING_BASE_URL

// A rerun after an interrupted one finds its customers still there: start clean.
for (const externalId of ['usr_98765', 'user_123']) {
  try {
    const old = await client.customers.getByExternalId(externalId);
    await client.customers.delete(old.id);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
}

// NovaBilling: create, update, list, search, get, delete.
const customer = await client.customers.create({
  externalId: 'usr_98765',
  email: 'sarah@kampaltech.ug',
  name: 'Nakato Sarah',
  country: 'UG',
  currency: 'UGX',
  metadata: { userId: 'usr_98765', accountType: 'business' },
});
console.log('Customer created:', customer.id);

const updated = await client.customers.update(customer.id, {
  name: 'Nakato Sarah Williams',
  metadata: { userId: 'usr_98765', accountType: 'enterprise', upgradeDate: '2025-03-01' },
});
console.log('Updated:', updated.name);

const customers = await client.customers.list({ page: 1, limit: 20 });
console.log(`Showing ${customers.data.length} of ${customers.total} customers`);
for await (const c of client.customers.list({ search: 'sarah', limit: 20 })) {
  console.log(`${c.name} - ${c.email}`);
}
console.log(JSON.stringify(await client.customers.get(customer.id), null, 2));

try {
  await client.customers.create({ externalId: 'usr_other', email: 'SARAH@kampaltech.ug' });
} catch (e) {
  if (!(e instanceof ConflictError)) throw e;
  console.log(`Duplicate refused: ${e.code} (request ${e.requestId})`);
}

// BillingOS: a B2B customer keyed by your user and organization ids.
const jane = await client.customers.create({
  externalId: 'user_123',
  externalOrganizationId: 'org_acme',
  email: 'jane@example.com',
  name: 'Jane Smith',
  metadata: { company: 'Acme Inc' },
});
const found = await client.customers.getByExternalId('user_123');
console.log(`Found by external id: ${found.id} (${found.externalOrganizationId})`);

// Migrating from Stripe: import, then bind each unresolved customer to your user.
const result = await client.customers.importStripe([
  { id: 'cus_node_alice', email: 'alice@example.com', name: 'Alice', currency: 'usd' },
  { id: 'cus_node_bob', email: 'bob@example.com', name: 'Bob', address: { country: 'us' } },
]);
console.log(`Stripe import: ${result.created} created, ${result.skipped} skipped`);

// Binding shifts later pages: collect the unresolved customers first.
const unresolved: Customer[] = [];
for await (const c of client.customers.listUnresolved()) unresolved.push(c);
for (const c of unresolved) {
  if (!c.email) continue;
  const userId = users.get(c.email);
  if (!userId) continue;
  try {
    await client.customers.bind(c.id, userId);
    console.log(`Bound ${c.id} to ${userId}`);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    console.log(`Already bound: ${userId}`);
  }
}

await client.customers.delete(customer.id);
console.log('Customer deleted');
await client.customers.delete(jane.id);
