// The resources: one method per route of the API, each a conversion to the
// native call and back.

import { invoke, json, str, withEtag, withRequestId } from './call.js';
import type { NativeClient } from './native.js';
import { CustomerPage, PagePromise, type PageWire } from './pages.js';
import type {
  Customer,
  CustomerCreateParams,
  CustomerListParams,
  CustomerResponseInfo,
  CustomerUpdateParams,
  Deleted,
  ImportResult,
  Invoice,
  InvoiceCreateParams,
  MetadataChanges,
  PageParams,
  RequestOptions,
  ResponseInfo,
  StripeCustomerInput,
  Subscription,
  SubscriptionCreateParams,
} from './types.js';

type CustomerResult = Promise<Customer & CustomerResponseInfo>;

/** The customers of your tenant. */
export class Customers {
  #n: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#n = n;
  }

  /** `POST /api/customers`. 409 `ConflictError` on a taken email (`email_taken`) or externalId. */
  async create(params: CustomerCreateParams, options?: RequestOptions): CustomerResult {
    const body = json(params, {});
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersCreate(body, o, t), options));
  }

  /** `GET /api/customers/{id}`; `NotFoundError` when absent. */
  async get(id: string, options?: RequestOptions): CustomerResult {
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersGet(str(id), o, t), options));
  }

  /** The customer bound to your user id. */
  async getByExternalId(externalId: string, options?: RequestOptions): CustomerResult {
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersGetByExternalId(str(externalId), o, t), options));
  }

  /** Absent/`undefined`: untouched; `null`: cleared; metadata is replaced whole. */
  async update(id: string, params: CustomerUpdateParams, options?: RequestOptions): CustomerResult {
    const body = json(params, {});
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersUpdate(str(id), body, o, t), options));
  }

  /** Cancels the customer's subscriptions and voids its unpaid invoices. */
  async delete(id: string, options?: RequestOptions): Promise<Deleted & ResponseInfo> {
    return withRequestId(await invoke<Deleted>((o, t) => this.#n.customersDelete(str(id), o, t), options));
  }

  /** One page (`await`), or every customer of every page (`for await`). */
  list(params?: CustomerListParams, options?: RequestOptions): PagePromise {
    return this.#pages((o, t) => this.#n.customersList(params == null ? undefined : JSON.stringify(params), o, t), options);
  }

  /**
   * Imported customers with no externalId yet. Binding one removes it from
   * this list and shifts later pages: collect them before you bind.
   */
  listUnresolved(params?: PageParams, options?: RequestOptions): PagePromise {
    return this.#pages(
      (o, t) => this.#n.customersListUnresolved(params == null ? undefined : JSON.stringify(params), o, t),
      options,
    );
  }

  /** The page a page's `nextCursor` points at, on the route and with the filters of its listing. */
  page(cursor: string, options?: RequestOptions): PagePromise {
    return this.#pages((o, t) => this.#n.customersPage(str(cursor), o, t), options);
  }

  #pages(start: Parameters<typeof invoke>[0], options: RequestOptions | undefined): PagePromise {
    const fetch = async (s: Parameters<typeof invoke>[0]): Promise<CustomerPage> => {
      const r = await invoke<PageWire>(s, options);
      return new CustomerPage(r.value, r.requestId, (cursor) => fetch((o, t) => this.#n.customersPage(cursor, o, t)));
    };
    return new PagePromise(fetch(start));
  }

  /** One-way: 409 if already bound (`already_bound`) or the externalId is taken. */
  async bind(id: string, externalId: string, options?: RequestOptions): CustomerResult {
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersBind(str(id), str(externalId), o, t), options));
  }

  /** Stripe customer objects as exported; idempotent by Stripe id. */
  async importStripe(customers: StripeCustomerInput[], options?: RequestOptions): Promise<ImportResult & ResponseInfo> {
    const body = json(customers, []);
    return withRequestId(await invoke<ImportResult>((o, t) => this.#n.customersImportStripe(body, o, t), options));
  }

  /**
   * Sets and removes metadata keys without losing keys written concurrently:
   * read, merge, write with If-Match, again on 412.
   */
  async mergeMetadata(id: string, changes: MetadataChanges, options?: RequestOptions): CustomerResult {
    const body = json(changes, {});
    return withEtag(await invoke<Customer>((o, t) => this.#n.customersMergeMetadata(str(id), body, o, t), options));
  }

  /** The customer's subscriptions. */
  async subscriptions(id: string, options?: RequestOptions): Promise<Subscription[] & ResponseInfo> {
    return withRequestId(await invoke<Subscription[]>((o, t) => this.#n.customersSubscriptions(str(id), o, t), options));
  }

  /** The customer's invoices. */
  async invoices(id: string, options?: RequestOptions): Promise<Invoice[] & ResponseInfo> {
    return withRequestId(await invoke<Invoice[]>((o, t) => this.#n.customersInvoices(str(id), o, t), options));
  }
}

/** Subscriptions: what `activeSubscriptions` counts and delete cancels. */
export class Subscriptions {
  #n: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#n = n;
  }

  async create(params: SubscriptionCreateParams, options?: RequestOptions): Promise<Subscription & ResponseInfo> {
    const body = json(params, {});
    return withRequestId(await invoke<Subscription>((o, t) => this.#n.subscriptionsCreate(body, o, t), options));
  }

  async get(id: string, options?: RequestOptions): Promise<Subscription & ResponseInfo> {
    return withRequestId(await invoke<Subscription>((o, t) => this.#n.subscriptionsGet(str(id), o, t), options));
  }

  /** Idempotent. */
  async cancel(id: string, options?: RequestOptions): Promise<Subscription & ResponseInfo> {
    return withRequestId(await invoke<Subscription>((o, t) => this.#n.subscriptionsCancel(str(id), o, t), options));
  }
}

/** Invoices: what `totalSpent` sums and delete voids. */
export class Invoices {
  #n: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#n = n;
  }

  async create(params: InvoiceCreateParams, options?: RequestOptions): Promise<Invoice & ResponseInfo> {
    const body = json(params, {});
    return withRequestId(await invoke<Invoice>((o, t) => this.#n.invoicesCreate(body, o, t), options));
  }

  async get(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo> {
    return withRequestId(await invoke<Invoice>((o, t) => this.#n.invoicesGet(str(id), o, t), options));
  }

  /** 409 if void. */
  async pay(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo> {
    return withRequestId(await invoke<Invoice>((o, t) => this.#n.invoicesPay(str(id), o, t), options));
  }

  /** 409 if paid. */
  async void(id: string, options?: RequestOptions): Promise<Invoice & ResponseInfo> {
    return withRequestId(await invoke<Invoice>((o, t) => this.#n.invoicesVoid(str(id), o, t), options));
  }
}
