// @novabilling/testing: the NovaBilling server inside a Node test process.
// The server and its controls are Rust (novabilling-testing, through
// novabilling-testing.node); this layer gives them the SDK's shapes.

import { NovaBillingClient, type ClientOptions } from 'novabilling';

import type * as Native from '../native';

/** How to start a test server. */
export interface TestServerOptions {
  /**
   * Seeded ids and a clock that starts at 2026-01-01T00:00:00Z and steps one
   * second per request: the same test gives the same ids and timestamps.
   */
  seed?: number;
  /** Subscribe a receiver to every event (`webhooks`); default true. It shows in the endpoint list. */
  captureWebhooks?: boolean;
  /** Requests per minute; 0 (the default) for no limit. */
  rateLimit?: number;
}

/** One webhook delivery the test server's receiver got. */
export interface CapturedWebhook {
  /** `evt_...` */
  eventId: string;
  /** `customer.created`, ... */
  type: string;
  /** The body as sent (JSON text). */
  body: string;
  /** The request's headers as `[name, value]`, names lowercase. */
  headers: Array<[string, string]>;
  /** Whether the signature checked out with the endpoint's secret. */
  verified: boolean;
}

/** Options of `failNext`. */
export interface FailOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds for the `Retry-After` header. */
  retryAfter?: number;
}

let native: typeof Native | undefined;

function load(): typeof Native {
  if (native !== undefined) return native;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`@novabilling/testing ships for linux-x64 (glibc 2.17 or newer) only; this is ${process.platform}-${process.arch}`);
  }
  native = require('../novabilling-testing.node') as typeof Native;
  return native;
}

function delivery(d: Native.NativeDelivery): CapturedWebhook {
  return { ...d, headers: d.headers.map(([k, v]) => [k, v] as [string, string]) };
}

/** The deliveries of the receiver a test server subscribes to every event. */
export class Webhooks {
  #n: Native.NativeTestServer;

  /** @internal */
  constructor(n: Native.NativeTestServer) {
    this.#n = n;
  }

  /** Where the receiver listens; `undefined` when the server captures nothing. */
  get url(): string | undefined {
    return this.#n.webhookUrl ?? undefined;
  }

  /**
   * The first delivery of `eventType` (`'*'`: any) not returned before,
   * waiting up to `timeoutMs` (default 5000). Rejects naming what did arrive
   * when none came.
   */
  async waitFor(eventType: string, options?: { timeoutMs?: number }): Promise<CapturedWebhook> {
    const timeoutMs = options?.timeoutMs ?? 5000;
    const got = await this.#n.waitForWebhook(eventType, timeoutMs);
    if (got == null) {
      const seen = this.#n.webhookDeliveries().map((d) => d.type);
      throw new Error(`no ${JSON.stringify(eventType)} webhook within ${timeoutMs} ms; deliveries so far: [${seen.join(', ')}]`);
    }
    return delivery(got);
  }

  /** Every delivery since the start or the last reset, oldest first. */
  all(): CapturedWebhook[] {
    return this.#n.webhookDeliveries().map(delivery);
  }
}

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * A NovaBilling server running in this process until `close()` (or the end of
 * an `await using` block): the production server on an in-memory database,
 * on 127.0.0.1 and a free port, isolated from every other instance.
 */
export class TestServer implements AsyncDisposable {
  #n: Native.NativeTestServer;
  /** The deliveries the server made to its capturing receiver. */
  readonly webhooks: Webhooks;

  /** @internal */
  constructor(n: Native.NativeTestServer) {
    this.#n = n;
    this.webhooks = new Webhooks(n);
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl(): string {
    return this.#n.baseUrl;
  }

  /** The tenant's secret key (`sk_test_...`), with every scope. */
  get apiKey(): string {
    return this.#n.apiKey;
  }

  /** A client of this server (its key unless `apiKey` is given). */
  client(options?: ClientOptions): NovaBillingClient {
    return new NovaBillingClient({ apiKey: this.apiKey, ...options, baseUrl: this.baseUrl });
  }

  /**
   * Empties the server: customers, events, endpoints, every key but `apiKey`,
   * injected failures and captured webhooks; a seeded server starts over.
   */
  reset(): Promise<void> {
    return this.#n.reset();
  }

  /**
   * The next matching requests (`options.times`, default 1) are answered
   * `status` in the API's error shape, with `Retry-After` when given, without
   * reaching the API. `method` may be `'*'`; in `pathPattern`
   * (`'/api/customers/{id}'`) a `*` or `{name}` segment matches any one
   * segment and a last `**` any rest.
   * @throws {Error} with code `InvalidArg` for a pattern or status it cannot take.
   */
  failNext(method: string, pathPattern: string, status: number, options?: FailOptions): void {
    this.#n.failNext(method, pathPattern, status, options?.times, options?.retryAfter);
  }

  /** The next matching requests (`options.times`, default 1) wait `delayMs` before they are handled. */
  delayNext(method: string, pathPattern: string, delayMs: number, options?: { times?: number }): void {
    this.#n.delayNext(method, pathPattern, delayMs, options?.times);
  }

  /** A new restricted key (`rk_test_...`) with these scopes, e.g. `['customers:read']`. */
  restrictedKey(scopes: string[]): Promise<string> {
    return this.#n.restrictedKey(scopes);
  }

  /** A new ephemeral key (`ek_test_...`) for one customer, valid `options.ttlMs` (default one hour). */
  ephemeralKey(customerId: string, options?: { ttlMs?: number }): Promise<string> {
    return this.#n.ephemeralKey(customerId, options?.ttlMs ?? 3_600_000);
  }

  /** Stops the server; requests in flight finish first. Closing twice is fine. */
  close(): Promise<void> {
    return this.#n.close();
  }

  [asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Starts a test server: `await using srv = await startTestServer()`.
 */
export async function startTestServer(options?: TestServerOptions): Promise<TestServer> {
  return new TestServer(await load().start(options));
}
