// Node's side of the client benchmarks (protocol: bench/src/bin/bench-client.rs).
//
//   node node_bench.mjs CLIENT calls|rss|soak
//
// CLIENT: novabilling, or a baseline: fetch (Node's global fetch), undici (its
// Pool and request(), the fastest HTTP client Node has), stripe (stripe-node,
// calling the fixture's Stripe-shaped routes). Each does the same work per
// call: send, check the status, decode the customer. Concurrency is that many
// async loops on the one event loop, on a client made for that level (its pool
// sized to it). The baselines come from bench/clients/package.json.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';

const env = process.env;
const URL = env.BENCH_URL ?? 'http://127.0.0.1:3000';
const ID = env.BENCH_ID ?? 'cust_bench000000000000000000001';
const KEY = 'sk_test_bench';
const number = (name, fallback) => Number(env[name] ?? fallback);
const levels = (env.BENCH_CONCURRENCY ?? '50,200').split(',').map(Number);

const body = (i) => ({ externalId: `usr_${i}`, email: `user${i}@example.com`, name: 'Bench User' });

// The baselines' packages, installed beside this file.
const baseline = createRequire(new globalThis.URL('./package.json', import.meta.url));

function novabilling() {
  // The package under test: BENCH_NODE_PACKAGE names its folder.
  const require = createRequire(import.meta.url);
  const { NovaBillingClient } = require(env.BENCH_NODE_PACKAGE ?? 'novabilling');
  const customers = new NovaBillingClient({ token: KEY, baseUrl: URL, maxRetries: 0 }).customers;
  return (op, i) => (op === 'get' ? customers.get(ID) : customers.create(body(i)));
}

function fetchClient() {
  const headers = { authorization: `Bearer ${KEY}` };
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  return async (op, i) => {
    const r =
      op === 'get'
        ? await fetch(`${URL}/api/customers/${ID}`, { headers })
        : await fetch(`${URL}/api/customers`, { method: 'POST', headers: postHeaders, body: JSON.stringify(body(i)) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.json();
  };
}

function undici(concurrency) {
  const { Pool } = baseline('undici');
  const pool = new Pool(URL, { connections: concurrency });
  const headers = { authorization: `Bearer ${KEY}` };
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  return async (op, i) => {
    const r =
      op === 'get'
        ? await pool.request({ path: `/api/customers/${ID}`, method: 'GET', headers })
        : await pool.request({ path: '/api/customers', method: 'POST', headers: postHeaders, body: JSON.stringify(body(i)) });
    if (r.statusCode >= 300) throw new Error(`HTTP ${r.statusCode}`);
    return r.body.json();
  };
}

function stripe() {
  const Stripe = baseline('stripe');
  const { hostname, port } = new globalThis.URL(URL);
  const customers = new Stripe('sk_test_bench', { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 })
    .customers;
  return (op, i) =>
    op === 'get'
      ? customers.retrieve('cus_bench')
      : customers.create({ email: `user${i}@example.com`, name: 'Bench User', metadata: { userId: `usr_${i}` } });
}

const clients = { novabilling, fetch: fetchClient, undici, stripe };
const names = { novabilling: 'novabilling-node', fetch: 'node-fetch', undici: 'undici', stripe: 'stripe-node' };

async function run(call, op, concurrency, calls) {
  const worker = async (w, n) => {
    for (let i = 0; i < n; i++) await call(op, w * calls + i);
  };
  const loops = [];
  for (let w = 0; w < concurrency; w++) {
    loops.push(worker(w, Math.floor(calls / concurrency) + (w < calls % concurrency ? 1 : 0)));
  }
  await Promise.all(loops);
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// RSS is sampled after a full collection, so it shows what is kept, not garbage not yet collected.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
// A number of /proc/self/status: VmRSS (kB), Threads.
const statusField = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const rssKb = () => {
  gc();
  return statusField('VmRSS');
};

// The soak's view of this process after a full collection: RSS, open descriptors and threads from /proc/self,
// and what V8's heap holds (heapUsed), the figure that judges it.
const soakSample = (calls, seconds) => {
  return {
    calls,
    seconds,
    rss_kb: rssKb(),
    fds: readdirSync('/proc/self/fd').length,
    threads: statusField('Threads'),
    heap_kb: Math.round(process.memoryUsage().heapUsed / 1024),
  };
};

const [name, mode = 'calls'] = process.argv.slice(2);
if (!(name in clients)) {
  console.error(`unknown client ${name}: one of ${Object.keys(clients).join(', ')}`);
  process.exit(2);
}
// A client per concurrency level, warmed; rss and soak use the sequential one.
const byLevel = new Map([1, ...levels].map((c) => [c, clients[name](c)]));
const call = byLevel.get(1);
const client = names[name];
for (const [c, f] of byLevel) await run(f, 'get', c, Math.max(number('BENCH_WARMUP', 500), c));
if (mode === 'calls') {
  const calls = number('BENCH_CALLS', 2000);
  const concCalls = number('BENCH_CONC_CALLS', 4000);
  for (let rep = 0; rep < number('BENCH_REPS', 5); rep++) {
    for (const op of ['get', 'create']) {
      for (const [c, n] of [[1, calls], ...levels.map((c) => [c, concCalls])]) {
        const cpu = cpuSeconds();
        const wall = process.hrtime.bigint();
        await run(byLevel.get(c), op, c, n);
        const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
        console.log(JSON.stringify({ client, op, concurrency: c, calls: n, wall: seconds, cpu: cpuSeconds() - cpu }));
      }
    }
  }
} else if (mode === 'rss') {
  const total = number('BENCH_RSS_CALLS', 100000);
  const samples = [[0, rssKb()]];
  for (let step = 1; step <= 10; step++) {
    await run(call, 'get', 1, total / 10);
    samples.push([(step * total) / 10, rssKb()]);
  }
  console.log(JSON.stringify({ client, rss: samples }));
} else if (mode === 'soak') {
  // One line a sample, as it is taken: the harness shows the progress of a long run.
  const total = number('BENCH_SOAK_CALLS', 1000000);
  const every = number('BENCH_SOAK_EVERY', 100000);
  let seconds = 0;
  // Set up stdout before the first sample: on a pipe its stream opens one descriptor of its own (libuv's reserve
  // against EMFILE, /dev/null), which would otherwise first show in the second sample.
  void process.stdout;
  console.log(JSON.stringify({ client, soak: soakSample(0, seconds) }));
  for (let step = 1; step <= Math.floor(total / every); step++) {
    const wall = process.hrtime.bigint();
    await run(call, 'get', 1, every);
    seconds += Number(process.hrtime.bigint() - wall) / 1e9;
    console.log(JSON.stringify({ client, soak: soakSample(step * every, seconds) }));
  }
} else {
  console.error(`unknown mode ${mode}: calls, rss or soak`);
  process.exit(2);
}
