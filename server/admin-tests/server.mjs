// @ts-check
// The server under test: starts `novabilling-server serve` on a free loopback
// port against SQLite (a temp file) or PostgreSQL (ADMIN_TEST_DATABASE), makes
// a secret key for a tenant of its own, and talks to the API with fetch to
// seed data and to check what the page did. Nothing here knows about browsers.

import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { createInterface } from "node:readline";

const run = promisify(execFile);

/** The repository's root (server/admin-tests/../..). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const SERVER_BIN =
  process.env.NOVABILLING_SERVER_BIN || path.join(REPO, "target/x86_64-unknown-linux-gnu/debug/novabilling-server");

/** How long the server may take to start (migrations on a loaded machine). */
const START_TIMEOUT_MS = 60_000;

/** `sqlite` or `postgres`: which database these tests run on. */
export function dbKind() {
  const d = process.env.ADMIN_TEST_DATABASE || "sqlite";
  if (d === "sqlite") return "sqlite";
  if (/^postgres(ql)?:\/\//.test(d)) return "postgres";
  throw new Error(`ADMIN_TEST_DATABASE must be "sqlite" or a postgres:// URL, not ${JSON.stringify(d)}`);
}

/**
 * An answer of the API.
 * @typedef {{ status: number, headers: Headers, body: any }} Answer
 */

/**
 * A running server with its tenant's secret key.
 * @typedef {object} Server
 * @property {string} url            `http://127.0.0.1:PORT`
 * @property {string} key            the tenant's secret key (sk_live_...)
 * @property {string} tenant
 * @property {(method: string, route: string, body?: unknown, opts?: { key?: string, ifMatch?: string }) => Promise<Answer>} api
 * @property {() => string} log      what the server wrote on stderr so far
 * @property {() => Promise<void>} stop
 */

/**
 * Starts a server on its own port and database tenant.
 * @param {{ name: string, args?: string[] }} opts  name: a word for the tenant; args: more `serve` options
 * @returns {Promise<Server>}
 */
export async function startServer({ name, args = [] }) {
  const kind = dbKind();
  /** @type {string | undefined} */
  let tmp;
  let database;
  if (kind === "sqlite") {
    tmp = await mkdtemp(path.join(tmpdir(), "nb-admin-"));
    database = `sqlite://${path.join(tmp, "admin.db")}`;
  } else {
    database = /** @type {string} */ (process.env.ADMIN_TEST_DATABASE);
  }
  // A tenant of its own, so reruns on the same PostgreSQL database start clean.
  const tenant = `admin-${name}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const created = await run(SERVER_BIN, ["keys", "create", "--tenant", tenant, "--database", database], {
    timeout: START_TIMEOUT_MS,
  });
  const key = created.stdout.trim();
  if (!/^sk_(live|test)_\w+$/.test(key)) throw new Error(`keys create printed no key: ${created.stdout}${created.stderr}`);

  const child = spawn(SERVER_BIN, ["serve", "--bind", "127.0.0.1:0", "--database", database, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" },
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-64 * 1024);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  });

  /** @type {Server["api"]} */
  const api = async (method, route, body, opts = {}) => {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${opts.key ?? key}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (opts.ifMatch) headers["if-match"] = opts.ifMatch;
    const resp = await fetch(url + route, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await resp.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: resp.status, headers: resp.headers, body: parsed };
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const late = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(late);
    }
    process.removeListener("exit", killOnExit);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };

  return { url, key, tenant, api, log: () => stderr, stop };
}

/**
 * Calls the API and fails unless the answer has the status expected.
 * @param {Server} server
 * @param {number} expected
 * @param {Parameters<Server["api"]>} args
 */
export async function must(server, expected, ...args) {
  const a = await server.api(...args);
  if (a.status !== expected) {
    throw new Error(`${args[0]} ${args[1]}: expected ${expected}, got ${a.status}: ${JSON.stringify(a.body)}`);
  }
  return a.body;
}

/** The countries, currencies and statuses seeded customers cycle through. */
const COUNTRIES = [
  ["DE", "EUR"],
  ["FR", "EUR"],
  ["JP", "JPY"],
];

/**
 * `n` customers with a user id each: `Seed Customer NN` <seed-NN@example.com>,
 * user id `usr_seed_NN`, country DE/FR/JP in turn, every fifth one inactive.
 * @param {Server} server
 * @param {number} n
 * @returns {Promise<any[]>} the customers as the API answered them
 */
export async function seedCustomers(server, n) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const nn = String(i).padStart(2, "0");
    const [country, currency] = COUNTRIES[i % COUNTRIES.length];
    let c = await must(server, 201, "POST", "/api/customers", {
      externalId: `usr_seed_${nn}`,
      email: `seed-${nn}@example.com`,
      name: `Seed Customer ${nn}`,
      country,
      currency,
    });
    if (i % 5 === 0) c = await must(server, 200, "PATCH", `/api/customers/${c.id}`, { status: "inactive" });
    out.push(c);
  }
  return out;
}

/**
 * A Stripe customers export: `n` customer objects `cus_<tag>_NNNN`.
 * @param {string} tag
 * @param {number} n
 */
export function stripeExport(tag, n) {
  return Array.from({ length: n }, (_, i) => {
    const nn = String(i + 1).padStart(4, "0");
    return {
      id: `cus_${tag}_${nn}`,
      object: "customer",
      email: `stripe-${tag}-${nn}@example.com`,
      name: `Stripe ${tag} ${nn}`,
      currency: "usd",
      metadata: {},
    };
  });
}
