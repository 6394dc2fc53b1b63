// novabilling for Node.js: a Promise API over the Rust core (novabilling.node).
// This layer only moves values; behaviour is the core's.

import { fromNative } from './errors.js';
import { load, type NativeClient } from './native.js';
import { Events } from './events.js';
import { Keys } from './keys.js';
import { Customers, Invoices, Subscriptions } from './resources.js';
import type { ClientOptions } from './types.js';

export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  DecodeError,
  InternalServerError,
  NotFoundError,
  NovaBillingError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  WebhookVerificationError,
  type ErrorFields,
} from './errors.js';
export { CustomerPage, PagePromise } from './pages.js';
export { Events, type EventPage } from './events.js';
export { Keys } from './keys.js';
export { Customers, Invoices, Subscriptions } from './resources.js';
export type * from './types.js';
export * as webhooks from './webhooks.js';
export type { SignOptions, VerifyOptions, WebhookBody, WebhookEvent, WebhookHeaders } from './webhooks.js';

/** This package's version: the workspace's, as every SDK of this release reports it. */
export const VERSION: string = (require('../package.json') as { version: string }).version;

/** A browser-like environment (a bundle, Electron's renderer, jsdom), as openai-node detects it. */
function inBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

let userAgent: string | undefined;
function productToken(): string {
  userAgent ??= `novabilling-node/${VERSION} node/${process.version}`;
  return userAgent;
}

/**
 * A client of the NovaBilling customers API. `token` falls back to
 * NOVABILLING_API_KEY, `baseUrl` to NOVABILLING_BASE_URL, then
 * http://localhost:3000. Every call returns a Promise and runs off the event
 * loop; all calls share one connection pool.
 *
 * @throws {ValidationError} without a key (and NOVABILLING_API_KEY unset), or with a bad option.
 */
export class NovaBillingClient {
  #n: NativeClient;
  /** The customers of your tenant. */
  readonly customers: Customers;
  /** Subscriptions (behind `activeSubscriptions`). */
  readonly subscriptions: Subscriptions;
  /** Invoices (behind `totalSpent`). */
  readonly invoices: Invoices;
  /** Restricted keys, and ephemeral keys for one customer's app. */
  readonly keys: Keys;
  /** The events webhooks deliver, to read back. */
  readonly events: Events;

  constructor(options?: ClientOptions) {
    const native = load();
    try {
      // In a browser anyone can read the key, so core refuses a secret one there (unless allowSecretKey).
      const config = { ...options, appEnvironment: inBrowser() };
      this.#n = new native.NativeClient(JSON.stringify(config), productToken());
    } catch (e) {
      throw fromNative(e);
    }
    this.customers = new Customers(this.#n);
    this.subscriptions = new Subscriptions(this.#n);
    this.invoices = new Invoices(this.#n);
    this.keys = new Keys(this.#n);
    this.events = new Events(this.#n);
  }

  /** The origin calls go to. */
  get baseUrl(): string {
    return this.#n.baseUrl;
  }

  /** Time allowed for one attempt, in milliseconds. */
  get timeoutMs(): number {
    return this.#n.timeoutMs;
  }

  /** Retries after the first attempt. */
  get maxRetries(): number {
    return this.#n.maxRetries;
  }
}

export default NovaBillingClient;
