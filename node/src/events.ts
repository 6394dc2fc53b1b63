// `client.events`: the events webhooks deliver, read back as the same
// `WebhookEvent` a verified delivery gives. Core checks every value.

import { invoke, str, withRequestId } from './call.js';
import type { NativeClient } from './native.js';
import type { EventListParams, RequestOptions, ResponseInfo } from './types.js';
import type { WebhookEvent } from './webhooks.js';

/** One page of events, newest first: ask for `page + 1` while `hasMore`. */
export interface EventPage {
  /** The events of this page. */
  data: WebhookEvent[];
  /** Events matching the query, over all pages. */
  total: number;
  /** This page's number, from 1. */
  page: number;
  /** Page size asked for. */
  limit: number;
  totalPages: number;
  /** Whether a page follows this one. */
  hasMore: boolean;
}

/** The events webhooks deliver. */
export class Events {
  #n: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#n = n;
  }

  /** A page of events, newest first; `type` and `customerId` filter. */
  async list(params?: EventListParams, options?: RequestOptions): Promise<EventPage & ResponseInfo> {
    const query = params == null ? undefined : JSON.stringify(params);
    return withRequestId(await invoke<EventPage>((o, t) => this.#n.eventsList(query, o, t), options));
  }

  /** One event (`evt_...`), as its deliveries send it. */
  async get(id: string, options?: RequestOptions): Promise<WebhookEvent & ResponseInfo> {
    return withRequestId(await invoke<WebhookEvent>((o, t) => this.#n.eventsGet(str(id), o, t), options));
  }
}
