// Pages of customers: this page's data and core's cursor to the next one, on
// the route and with the filters it came from.

import type { Customer, ResponseInfo } from './types.js';

/** A page as the native module sends it. */
export interface PageWire {
  data: Customer[];
  total: number;
  page: number;
  limit: number;
  totalPages: number;
  hasMore: boolean;
  nextCursor: string | null;
}

/** Fetches the page a cursor points at. */
export type FetchPage = (cursor: string) => Promise<CustomerPage>;

/**
 * One page of customers. `data` is this page; `for await` over the page walks
 * it and every page after it; `nextPage()` fetches the next one.
 */
export class CustomerPage implements AsyncIterable<Customer>, ResponseInfo {
  /** The customers of this page. */
  readonly data: Customer[];
  /** Customers matching the query, over all pages. */
  readonly total: number;
  /** This page's number, from 1. */
  readonly page: number;
  /** Page size asked for. */
  readonly limit: number;
  readonly totalPages: number;
  /** Whether a page follows this one. */
  readonly hasMore: boolean;
  /** Where the listing continues (for `customers.page(cursor)`), null after the last page. */
  readonly nextCursor: string | null;
  declare readonly requestId: string | null;
  #fetch: FetchPage;

  /** @internal */
  constructor(w: PageWire, requestId: string | null, fetch: FetchPage) {
    this.data = w.data;
    this.total = w.total;
    this.page = w.page;
    this.limit = w.limit;
    this.totalPages = w.totalPages;
    this.hasMore = w.hasMore;
    this.nextCursor = w.nextCursor;
    Object.defineProperty(this, 'requestId', { value: requestId, writable: true, configurable: true, enumerable: false });
    this.#fetch = fetch;
  }

  hasNextPage(): boolean {
    return this.hasMore;
  }

  /** The next page, or null after the last. */
  async nextPage(): Promise<CustomerPage | null> {
    return this.nextCursor == null ? null : this.#fetch(this.nextCursor);
  }

  /** Every customer of this page and of the pages after it. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Customer, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }

  /** This page and the pages after it. */
  async *iterPages(): AsyncGenerator<CustomerPage, void, undefined> {
    let page: CustomerPage | null = this;
    while (page !== null) {
      yield page;
      page = await page.nextPage();
    }
  }
}

/**
 * What `list()` returns: `await` it for the first page, or `for await` over
 * it for every customer of every page. The first page is requested at once.
 */
export class PagePromise implements PromiseLike<CustomerPage>, AsyncIterable<Customer> {
  #promise: Promise<CustomerPage>;

  /** @internal */
  constructor(promise: Promise<CustomerPage>) {
    this.#promise = promise;
  }

  then<A = CustomerPage, B = never>(
    onfulfilled?: ((value: CustomerPage) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<CustomerPage | B> {
    return this.#promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<CustomerPage> {
    return this.#promise.finally(onfinally);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Customer, void, undefined> {
    yield* await this.#promise;
  }

  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}
