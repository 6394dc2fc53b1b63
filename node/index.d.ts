// Type definitions of the `novabilling` package (hand-written; checked by
// `tsc --strict` over the package's tests and examples).

/** Any JSON object: customer metadata. At most 50 keys of 1..40 characters, 8 KiB as JSON. */
export type Metadata = Record<string, unknown>;

/** `active` or `inactive`; a value a newer server sends is kept as a string. */
export type CustomerStatus = 'active' | 'inactive' | (string & {});
export type SubscriptionStatus = 'active' | 'trialing' | 'canceled' | (string & {});
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | (string & {});
export type SortBy = 'createdAt' | 'updatedAt' | 'name' | 'email';
export type SortOrder = 'asc' | 'desc';

/** What the response said beside its body. Non-enumerable: `JSON.stringify` leaves it out. */
export interface ResponseInfo {
  /** The response's X-Request-Id. */
  readonly requestId: string | null;
}

/** A customer's response also carries its ETag, for `ifMatch` on a later update or delete. */
export interface CustomerResponseInfo extends ResponseInfo {
  readonly etag: string | null;
}

/**
 * A customer, as the API sends it (camelCase). Timestamps are ISO 8601 strings
 * (`2026-03-01T12:00:00.000Z`); `totalSpent` is a number in major units.
 */
export interface Customer {
  /** `cust_...`. */
  id: string;
  /** Your user id; null only for imported customers not yet bound. */
  externalId: string | null;
  externalOrganizationId: string | null;
  email: string | null;
  name: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  /** ISO 4217, upper case. */
  currency: string | null;
  status: CustomerStatus;
  /** `{}` when empty. */
  metadata: Metadata;
  stripeCustomerId: string | null;
  /** Sent by the hosted NovaBilling server only. */
  netPaymentTerms?: number;
  /** Lifetime total of paid invoices, in the customer's currency (major units). */
  totalSpent: number;
  /** Active and trialing subscriptions. */
  activeSubscriptions: number;
  createdAt: string;
  updatedAt: string;
  /** Embedded by the hosted NovaBilling server on a single GET. */
  subscriptions?: Subscription[];
  invoices?: Invoice[];
}

export interface Subscription {
  /** `sub_...`. */
  id: string;
  customerId: string;
  planId: string | null;
  status: SubscriptionStatus;
  createdAt: string;
  canceledAt: string | null;
}

export interface Invoice {
  /** `inv_...`. */
  id: string;
  customerId: string;
  /** Major units (`1500.5`). */
  amount: number;
  currency: string | null;
  status: InvoiceStatus;
  createdAt: string;
  paidAt: string | null;
  voidedAt: string | null;
}

export interface DeletedCustomer {
  id: string;
  deleted: boolean;
}

export interface ImportResult {
  created: number;
  skipped: number;
}

/** `POST /api/customers`. */
export interface CustomerCreateParams {
  /** Your user id (BillingOS `externalUserId`). Unique per tenant. */
  externalId: string;
  /** Unique per tenant, compared case-insensitively. */
  email: string;
  name?: string | null;
  /** ISO 3166-1 alpha-2, any case. */
  country?: string | null;
  /** ISO 4217, any case. */
  currency?: string | null;
  metadata?: Metadata | null;
  /** For B2B. */
  externalOrganizationId?: string | null;
}

/**
 * `PATCH /api/customers/{id}`: an absent or `undefined` field is untouched,
 * `null` clears it, a value sets it. `metadata` is replaced whole (see
 * `mergeMetadata`). `email` and `status` cannot be cleared.
 */
export interface CustomerUpdateParams {
  email?: string;
  name?: string | null;
  country?: string | null;
  currency?: string | null;
  metadata?: Metadata | null;
  status?: 'active' | 'inactive';
  externalOrganizationId?: string | null;
}

export interface PageParams {
  /** From 1 (default 1). */
  page?: number;
  /** 1..100 (default 20). */
  limit?: number;
}

export interface CustomerListParams extends PageParams {
  /** Case-insensitive substring of name, email or externalId. */
  search?: string;
  country?: string;
  currency?: string;
  status?: 'active' | 'inactive';
  sortBy?: SortBy;
  /** Default `desc`. */
  sortOrder?: SortOrder;
}

/** A Stripe customer object as exported; Stripe's other fields are accepted and ignored. */
export interface StripeCustomerInput {
  id: string;
  email?: string | null;
  name?: string | null;
  address?: { country?: string | null; [key: string]: unknown } | null;
  currency?: string | null;
  metadata?: Metadata | null;
  [key: string]: unknown;
}

export interface MetadataChanges {
  /** Keys to set (these win over `unset`). */
  set?: Metadata;
  /** Keys to remove. */
  unset?: string[];
}

export interface SubscriptionCreateParams {
  customerId: string;
  planId: string;
  /** `active` (default) or `trialing`. */
  status?: 'active' | 'trialing';
}

export interface InvoiceCreateParams {
  customerId: string;
  /** Major units, `1500.5` or `"1500.50"`; no more decimals than the currency has. */
  amount: number | string;
  /** Defaults to the customer's. */
  currency?: string;
  /** `open` (default) or `draft`. */
  status?: 'open' | 'draft';
}

/** Options of one call; unset ones take the client's. */
export interface RequestOptions {
  /** Time for one attempt, in milliseconds (default: the client's, 60000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default: the client's, 2). */
  maxRetries?: number;
  /** Sent on POST, PATCH and DELETE; one is generated per call otherwise, and reused on its retries. */
  idempotencyKey?: string;
  /** `If-Match`: the ETag of the customer you read (`customer.etag`); 412 when stale. */
  ifMatch?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Cancels the call: it rejects with `AbortError` and its request is dropped. */
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** The API key (`sk_live_...` / `sk_test_...`); default: env NOVABILLING_API_KEY. */
  token?: string;
  /** Alias of `token`. */
  apiKey?: string;
  /** The server's origin; default: env NOVABILLING_BASE_URL, else `http://localhost:3000`. */
  baseUrl?: string;
  /** Time for one attempt, in milliseconds (default 60000). */
  timeoutMs?: number;
  /** Connect timeout in milliseconds (default 10000). */
  connectTimeoutMs?: number;
  /** Retries after the first attempt on connection errors, timeouts, 408, 429 and 5xx (default 2; 0: none). */
  maxRetries?: number;
}

/**
 * One page of customers. `data` is this page; `for await` over the page walks
 * it and every page after it.
 */
export declare class CustomerPage implements AsyncIterable<Customer>, ResponseInfo {
  private constructor();
  readonly data: Customer[];
  /** Customers matching the query, over all pages. */
  readonly total: number;
  /** This page's number, from 1. */
  readonly page: number;
  readonly limit: number;
  readonly totalPages: number;
  /** Whether a page follows this one. */
  readonly hasMore: boolean;
  readonly requestId: string | null;
  hasNextPage(): boolean;
  /** The next page, or null after the last. */
  nextPage(): Promise<CustomerPage | null>;
  /** This page and the pages after it. */
  iterPages(): AsyncGenerator<CustomerPage, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<Customer, void, undefined>;
}

/**
 * What `list()` returns: `await` it for the first page, or `for await` over
 * it for every customer of every page (the next page's parameters come from
 * the core).
 */
export declare class PagePromise implements PromiseLike<CustomerPage>, AsyncIterable<Customer> {
  private constructor();
  then<A = CustomerPage, B = never>(
    onfulfilled?: ((value: CustomerPage) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B>;
  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<CustomerPage | B>;
  finally(onfinally?: (() => void) | null): Promise<CustomerPage>;
  [Symbol.asyncIterator](): AsyncGenerator<Customer, void, undefined>;
  readonly [Symbol.toStringTag]: string;
}

/** The customers of your tenant. */
export declare class Customers {
  private constructor();
  /** `POST /api/customers`. 409 `ConflictError` on a taken email (`email_taken`) or externalId. */
  create(params: CustomerCreateParams, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** `GET /api/customers/{id}`; `NotFoundError` when absent. */
  get(id: string, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** The customer bound to your user id. */
  getByExternalId(externalId: string, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** Absent/`undefined`: untouched; `null`: cleared; metadata is replaced whole. */
  update(id: string, params: CustomerUpdateParams, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** Cancels the customer's subscriptions and voids its unpaid invoices. */
  delete(id: string, options?: RequestOptions): Promise<DeletedCustomer & ResponseInfo>;
  /** One page (`await`), or every customer of every page (`for await`). */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise;
  /**
   * Imported customers with no externalId yet. Binding one removes it from
   * this list and shifts later pages: collect them before you bind.
   */
  listUnresolved(params?: PageParams, options?: RequestOptions): PagePromise;
  /** One-way: 409 if already bound (`already_bound`) or the externalId is taken. */
  bind(id: string, externalId: string, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** Stripe customer objects as exported; idempotent by Stripe id. */
  importStripe(customers: StripeCustomerInput[], options?: RequestOptions): Promise<ImportResult & ResponseInfo>;
  /**
   * Sets and removes metadata keys without losing keys written concurrently:
   * read, merge, write with If-Match, again on 412.
   */
  mergeMetadata(id: string, changes: MetadataChanges, options?: RequestOptions): Promise<Customer & CustomerResponseInfo>;
  /** The customer's subscriptions. */
  subscriptions(id: string, options?: RequestOptions): Promise<Subscription[] & ResponseInfo>;
  /** The customer's invoices. */
  invoices(id: string, options?: RequestOptions): Promise<Invoice[] & ResponseInfo>;
}

/** Subscriptions: what `activeSubscriptions` counts and delete cancels. */
export declare class Subscriptions {
  private constructor();
  create(params: SubscriptionCreateParams, options?: RequestOptions): Promise<Subscription & ResponseInfo>;
  get(id: string, options?: RequestOptions): Promise<Subscription & ResponseInfo>;
  /** Idempotent. */
  cancel(id: string, options?: RequestOptions): Promise<Subscription & ResponseInfo>;
}

/** Invoices: what `totalSpent` sums and delete voids. */
export declare class Invoices {
  private constructor();
  create(params: InvoiceCreateParams, options?: RequestOptions): Promise<Invoice & ResponseInfo>;
  get(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo>;
  /** 409 if void. */
  pay(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo>;
  /** 409 if paid. */
  void(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo>;
}

/**
 * A client of the NovaBilling customers API. Every call returns a Promise and
 * runs off the event loop; all calls share one connection pool.
 *
 * @throws {ValidationError} without a key (and NOVABILLING_API_KEY unset), or with a bad option.
 */
export declare class NovaBillingClient {
  constructor(options?: ClientOptions);
  readonly customers: Customers;
  readonly subscriptions: Subscriptions;
  readonly invoices: Invoices;
  /** The origin calls go to. */
  readonly baseUrl: string;
  /** Time for one attempt, in milliseconds. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export default NovaBillingClient;

/** What is wrong with one field. `code` is absent in the hosted server's field errors. */
export interface FieldError {
  field: string;
  code?: string;
  message: string;
}

/** Base of every error this package throws. */
export declare class NovaBillingError extends Error {
  /** HTTP status, or null when no response was read. */
  readonly status: number | null;
  /** Machine-readable: `email_taken`, `invalid_country`, ... (null for connection failures and timeouts). */
  readonly code: string | null;
  /** Field errors of a validation failure, client or server side. */
  readonly errors: FieldError[];
  /** The response's X-Request-Id. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (Retry-After), or null. */
  readonly retryAfter: number | null;
  constructor(
    message: string,
    fields?: {
      status?: number | null;
      code?: string | null;
      errors?: FieldError[];
      requestId?: string | null;
      retryAfter?: number | null;
      cause?: unknown;
    },
  );
}
/** Input rejected before any request was sent; `errors` names each field. */
export declare class ValidationError extends NovaBillingError {
  readonly code: string;
  /** The first field at fault. */
  readonly field: string | null;
}
/** The server answered with an error status. */
export declare class ApiError extends NovaBillingError {
  readonly status: number;
  readonly code: string;
}
/** 400, 413 or 422. */
export declare class BadRequestError extends ApiError {}
/** 401: the API key is missing, malformed or unknown. */
export declare class AuthenticationError extends ApiError {}
/** 403. */
export declare class PermissionDeniedError extends ApiError {}
/** 404: no such object in your tenant. */
export declare class NotFoundError extends ApiError {}
/** 409: `email_taken`, `external_id_taken`, `already_bound`, ... */
export declare class ConflictError extends ApiError {}
/** 412: the `ifMatch` ETag is stale. */
export declare class PreconditionFailedError extends ApiError {}
/** 429; `retryAfter` in seconds when the server sent Retry-After. */
export declare class RateLimitError extends ApiError {}
/** 5xx. */
export declare class InternalServerError extends ApiError {}
/** No answer: refused, reset, DNS, TLS (after retries). */
export declare class ConnectionError extends NovaBillingError {}
/** No answer in time (after retries). */
export declare class TimeoutError extends NovaBillingError {}
/** A success status whose body is not what the API sends. */
export declare class DecodeError extends NovaBillingError {}
/** The call was cancelled through its AbortSignal: `name` `AbortError`, `code` `ABORT_ERR`, `cause` the signal's reason. */
export declare class AbortError extends NovaBillingError {
  readonly code: 'ABORT_ERR';
}
