// The types of the values that cross the API: what callers pass and what calls return.
// Field names are the wire's (camelCase), checked against core's description
// (tests/surface.json) by tests/surface.test.mts.

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

export interface Deleted {
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

export interface EventListParams extends PageParams {
  /** Only events of this type (`customer.created`, `customer.updated`, ...). */
  type?: string;
  /** Only events about this customer. */
  customerId?: string;
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
  /** Retries after the first attempt on connection errors, timeouts, 408, 429 and 5xx (default 2; 0: none; at most 20). */
  maxRetries?: number;
  /** Headers sent with every request (a call's own `headers` win). */
  defaultHeaders?: Record<string, string>;
  /**
   * Extra trusted root certificates, as PEM text or the path of a PEM file,
   * for a server whose certificate a private CA signed (the system's roots stay in use).
   */
  caCertificates?: string;
  /**
   * Accept a secret `sk_` key in a browser. Off by default: in a browser, anyone
   * can read the key; use an ephemeral `ek_` key your backend mints (`keys.createEphemeral`).
   */
  allowSecretKey?: boolean;
}

/** A secret or restricted key. `secret` (the key itself) only in the answer to `keys.create`. */
export interface Key {
  id: string;
  /** `secret` or `restricted`. */
  kind: string;
  livemode: boolean;
  name: string | null;
  /** Such as `customers:read`; every scope for a secret key. */
  scopes: string[];
  prefix: string;
  last4: string | null;
  secret?: string | null;
  createdAt: string;
  expiresAt: string | null;
  /** To the minute. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key for one customer's app: reads it, changes its name, email, country, currency. */
export interface EphemeralKey {
  id: string;
  customerId: string;
  livemode: boolean;
  /** The key itself: only in the answer that made it. Hand it to the app. */
  secret?: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** `keys.create(params)`: a restricted key. */
export interface KeyCreateParams {
  /** `customers:read`, `customers:write`, `customers:delete`, `customers:bind`, `customers:import`,
   * `billing:read`, `billing:write`, `webhooks:manage`, `keys:manage`. */
  scopes: string[];
  name?: string;
  /** Seconds until it stops working; without it, until revoked. */
  expiresIn?: number;
}

/** Options of `keys.createEphemeral`. */
export interface EphemeralKeyOptions extends RequestOptions {
  /** Lifetime in milliseconds (default one hour, at most 24 hours). */
  ttlMs?: number;
}

/** What is wrong with one field. `code` is absent in the hosted server's field errors. */
export interface FieldError {
  field: string;
  code?: string;
  message: string;
}
