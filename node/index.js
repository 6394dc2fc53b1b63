'use strict';
// novabilling for Node.js: a Promise API over the Rust core (novabilling.node).
//
// This layer only moves values: inputs go to the native module as JSON text
// (`undefined` dropped, `null` kept), each result comes back as one JSON string
// that is parsed once, and failures become the Error subclasses of errors.js.
// Validation, retries, URLs, error parsing and next-page parameters are core's.

const errors = require('./errors.js');

const { fromPayload, fromNative, AbortError } = errors;

let native; // loaded with the first client, so `require('novabilling')` stays cheap
function load() {
  if (native === undefined) native = require('./novabilling.node');
  return native;
}

let userAgent;
function productToken() {
  if (userAgent === undefined) {
    userAgent = `novabilling-node/${require('./package.json').version} node/${process.version}`;
  }
  return userAgent;
}

/** Per-call options as the native call takes them: JSON text, and the signal apart. */
function split(options) {
  if (options == null) return [undefined, undefined];
  const { signal, ...rest } = options;
  for (const k in rest) {
    if (rest[k] !== undefined) return [JSON.stringify(rest), signal];
  }
  return [undefined, signal];
}

function abortError(signal) {
  return new AbortError(undefined, { cause: signal.reason });
}

/** Runs one native call: `start(cancelToken)` returns the native promise. */
async function invoke(start, signal) {
  let text;
  if (signal == null) {
    try {
      text = await start(undefined);
    } catch (e) {
      throw fromNative(e);
    }
  } else {
    if (signal.aborted) throw abortError(signal);
    const token = new (load().CancelToken)();
    const onAbort = () => token.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      text = await start(token);
    } catch (e) {
      throw fromNative(e);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
  const r = JSON.parse(text);
  if (r.error !== undefined) throw fromPayload(r.error);
  if (r.aborted === true) throw abortError(signal);
  return r;
}

function hidden(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: false });
}

/** The result object, with its response's X-Request-Id (and ETag) as non-enumerable properties. */
function result(r, etag) {
  const v = r.value;
  hidden(v, 'requestId', r.requestId);
  if (etag) hidden(v, 'etag', r.etag);
  return v;
}

/** Ids and other string arguments: null/undefined reach core as '' (a ValidationError there). */
function str(v) {
  return v == null ? '' : v;
}

function json(v, empty) {
  return JSON.stringify(v == null ? empty : v);
}

/**
 * One page of customers. `data` is this page; `for await` over the page walks
 * it and every page after it; `nextPage()` fetches the next one.
 */
class CustomerPage {
  #fetch;
  #next;
  #signal;

  constructor(r, fetch, signal) {
    const w = r.value;
    /** The customers of this page. */
    this.data = w.data;
    /** Customers matching the query, over all pages. */
    this.total = w.total;
    /** This page's number, from 1. */
    this.page = w.page;
    /** Page size asked for. */
    this.limit = w.limit;
    this.totalPages = w.totalPages;
    /** Whether a page follows this one. */
    this.hasMore = w.hasMore;
    hidden(this, 'requestId', r.requestId);
    this.#next = w.next;
    this.#fetch = fetch;
    this.#signal = signal;
  }

  hasNextPage() {
    return this.hasMore;
  }

  /** The next page, or null after the last. */
  async nextPage() {
    if (!this.hasMore) return null;
    return this.#fetch(this.#next);
  }

  /** Every customer of this page and of the pages after it. */
  async *[Symbol.asyncIterator]() {
    let page = this;
    for (;;) {
      yield* page.data;
      const next = await page.nextPage();
      if (next === null) return;
      page = next;
    }
  }

  /** This page and the pages after it. */
  async *iterPages() {
    let page = this;
    while (page !== null) {
      yield page;
      page = await page.nextPage();
    }
  }
}

/**
 * What `list()` returns: await it for the first page, or `for await` over it
 * for every customer of every page. The first page is requested at once.
 */
class PagePromise {
  #promise;

  constructor(promise) {
    this.#promise = promise;
  }

  then(onFulfilled, onRejected) {
    return this.#promise.then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#promise.catch(onRejected);
  }

  finally(onFinally) {
    return this.#promise.finally(onFinally);
  }

  async *[Symbol.asyncIterator]() {
    yield* await this.#promise;
  }

  get [Symbol.toStringTag]() {
    return 'PagePromise';
  }
}

/** The customers of your tenant. */
class Customers {
  #n;

  constructor(n) {
    this.#n = n;
  }

  /** `POST /api/customers`. 409 ConflictError on a taken email or externalId. */
  async create(params, options) {
    const [opts, signal] = split(options);
    const body = json(params, {});
    return result(await invoke((t) => this.#n.customersCreate(body, opts, t), signal), true);
  }

  async get(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersGet(str(id), opts, t), signal), true);
  }

  async getByExternalId(externalId, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersGetByExternalId(str(externalId), opts, t), signal), true);
  }

  /** Absent or `undefined` fields are untouched, `null` clears; metadata is replaced whole. */
  async update(id, params, options) {
    const [opts, signal] = split(options);
    const body = json(params, {});
    return result(await invoke((t) => this.#n.customersUpdate(str(id), body, opts, t), signal), true);
  }

  async delete(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersDelete(str(id), opts, t), signal), false);
  }

  /** A PagePromise: `await` it for one page, `for await` over it for every customer. */
  list(params, options) {
    return this.#pages('customersList', params == null ? undefined : JSON.stringify(params), options);
  }

  /** Imported customers with no externalId yet. Binding shifts later pages: collect before binding. */
  listUnresolved(params, options) {
    return this.#pages('customersListUnresolved', params == null ? undefined : JSON.stringify(params), options);
  }

  #pages(method, params, options) {
    const [opts, signal] = split(options);
    const fetch = async (p) => {
      const r = await invoke((t) => this.#n[method](p, opts, t), signal);
      return new CustomerPage(r, (next) => fetch(JSON.stringify(next)), signal);
    };
    return new PagePromise(fetch(params));
  }

  /** One-way: 409 if the customer is already bound or the externalId is taken. */
  async bind(id, externalId, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersBind(str(id), str(externalId), opts, t), signal), true);
  }

  /** Stripe customer objects as exported; idempotent by Stripe id. */
  async importStripe(customers, options) {
    const [opts, signal] = split(options);
    const body = json(customers, []);
    return result(await invoke((t) => this.#n.customersImportStripe(body, opts, t), signal), false);
  }

  /** Sets and removes metadata keys without losing keys that others write at the same time. */
  async mergeMetadata(id, changes, options) {
    const [opts, signal] = split(options);
    const body = json(changes, {});
    return result(await invoke((t) => this.#n.customersMergeMetadata(str(id), body, opts, t), signal), true);
  }

  async subscriptions(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersSubscriptions(str(id), opts, t), signal), false);
  }

  async invoices(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.customersInvoices(str(id), opts, t), signal), false);
  }
}

/** Subscriptions: what `activeSubscriptions` counts and delete cancels. */
class Subscriptions {
  #n;

  constructor(n) {
    this.#n = n;
  }

  async create(params, options) {
    const [opts, signal] = split(options);
    const body = json(params, {});
    return result(await invoke((t) => this.#n.subscriptionsCreate(body, opts, t), signal), false);
  }

  async get(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.subscriptionsGet(str(id), opts, t), signal), false);
  }

  async cancel(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.subscriptionsCancel(str(id), opts, t), signal), false);
  }
}

/** Invoices: what `totalSpent` sums and delete voids. */
class Invoices {
  #n;

  constructor(n) {
    this.#n = n;
  }

  async create(params, options) {
    const [opts, signal] = split(options);
    const body = json(params, {});
    return result(await invoke((t) => this.#n.invoicesCreate(body, opts, t), signal), false);
  }

  async get(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.invoicesGet(str(id), opts, t), signal), false);
  }

  async pay(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.invoicesPay(str(id), opts, t), signal), false);
  }

  async void(id, options) {
    const [opts, signal] = split(options);
    return result(await invoke((t) => this.#n.invoicesVoid(str(id), opts, t), signal), false);
  }
}

/**
 * A client of the NovaBilling customers API. `token` falls back to
 * NOVABILLING_API_KEY, `baseUrl` to NOVABILLING_BASE_URL, then
 * http://localhost:3000. One connection pool, shared by every call.
 */
class NovaBillingClient {
  #n;

  constructor(options) {
    const n = load();
    try {
      this.#n = new n.NativeClient(options == null ? undefined : JSON.stringify(options), productToken());
    } catch (e) {
      throw fromNative(e);
    }
    /** The customers of your tenant. */
    this.customers = new Customers(this.#n);
    /** Subscriptions (behind `activeSubscriptions`). */
    this.subscriptions = new Subscriptions(this.#n);
    /** Invoices (behind `totalSpent`). */
    this.invoices = new Invoices(this.#n);
  }

  /** The origin calls go to. */
  get baseUrl() {
    return this.#n.baseUrl;
  }

  /** Time allowed for one attempt, in milliseconds. */
  get timeoutMs() {
    return this.#n.timeoutMs;
  }

  /** Retries after the first attempt. */
  get maxRetries() {
    return this.#n.maxRetries;
  }
}

module.exports = {
  NovaBillingClient,
  Customers,
  Subscriptions,
  Invoices,
  CustomerPage,
  PagePromise,
  NovaBillingError: errors.NovaBillingError,
  ValidationError: errors.ValidationError,
  ApiError: errors.ApiError,
  BadRequestError: errors.BadRequestError,
  AuthenticationError: errors.AuthenticationError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  PreconditionFailedError: errors.PreconditionFailedError,
  RateLimitError: errors.RateLimitError,
  InternalServerError: errors.InternalServerError,
  ConnectionError: errors.ConnectionError,
  TimeoutError: errors.TimeoutError,
  DecodeError: errors.DecodeError,
  AbortError,
  default: NovaBillingClient,
};
