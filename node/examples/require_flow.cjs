// The NovaBilling guide's create, get, update, list and delete, from a
// CommonJS program (`require`), against a running server:
//   NOVABILLING_API_KEY=sk_test_... NOVABILLING_BASE_URL=http://localhost:3000 node require_flow.cjs
'use strict';

const { NovaBillingClient, NotFoundError } = require('novabilling');

async function main() {
  const client = new NovaBillingClient();
  const email = `require-flow-${Date.now()}@example.com`;
  const customer = await client.customers.create({ email, name: 'Jane Doe', externalId: `usr_${Date.now()}`, country: 'US' });
  console.log(`Customer created: ${customer.id}`);
  const updated = await client.customers.update(customer.id, { name: 'Jane Smith' });
  console.log(`Customer updated: ${updated.name}`);
  const page = await client.customers.list({ search: email, limit: 10 });
  console.log(`Found ${page.data.length} customer(s) by search`);
  await client.customers.delete(customer.id);
  try {
    await client.customers.get(customer.id);
    throw new Error('a deleted customer was still found');
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    console.log('Customer deleted');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
