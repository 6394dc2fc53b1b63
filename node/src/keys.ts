// `client.keys`: restricted keys for your own services, and the ephemeral
// keys a backend hands one customer's app. Core checks every value.

import { invoke, json, str, withRequestId } from './call.js';
import type { NativeClient } from './native.js';
import type { EphemeralKey, EphemeralKeyOptions, Key, KeyCreateParams, RequestOptions, ResponseInfo } from './types.js';

/** Restricted and ephemeral keys. */
export class Keys {
  #n: NativeClient;

  /** @internal */
  constructor(n: NativeClient) {
    this.#n = n;
  }

  /** A restricted `rk_` key with these scopes; its `secret` is in this answer only. */
  async create(params: KeyCreateParams, options?: RequestOptions): Promise<Key & ResponseInfo> {
    const body = json(params, {});
    return withRequestId(await invoke<Key>((o, t) => this.#n.keysCreate(body, o, t), options));
  }

  /** Secret and restricted keys that are not revoked, newest first, without secrets. */
  async list(options?: RequestOptions): Promise<Key[] & ResponseInfo> {
    return withRequestId(await invoke<Key[]>((o, t) => this.#n.keysList(o, t), options));
  }

  /** The key stops working at once, on every server. */
  async revoke(id: string, options?: RequestOptions): Promise<Key & ResponseInfo> {
    return withRequestId(await invoke<Key>((o, t) => this.#n.keysRevoke(str(id), o, t), options));
  }

  /** An `ek_` key for this customer's app, for `ttlMs` (one hour by default, at most 24 hours). */
  async createEphemeral(customerId: string, options?: EphemeralKeyOptions): Promise<EphemeralKey & ResponseInfo> {
    const { ttlMs, ...rest } = options ?? {};
    const ttl = JSON.stringify(ttlMs ?? null);
    return withRequestId(await invoke<EphemeralKey>((o, t) => this.#n.keysCreateEphemeral(str(customerId), ttl, o, t), rest));
  }

  /** `createEphemeral` for the customer bound to your user id. */
  async createEphemeralForExternalId(externalId: string, options?: EphemeralKeyOptions): Promise<EphemeralKey & ResponseInfo> {
    const { ttlMs, ...rest } = options ?? {};
    const ttl = JSON.stringify(ttlMs ?? null);
    return withRequestId(
      await invoke<EphemeralKey>((o, t) => this.#n.keysCreateEphemeralForExternalId(str(externalId), ttl, o, t), rest),
    );
  }

  /** The app's key stops working at once. */
  async revokeEphemeral(id: string, options?: RequestOptions): Promise<EphemeralKey & ResponseInfo> {
    return withRequestId(await invoke<EphemeralKey>((o, t) => this.#n.keysRevokeEphemeral(str(id), o, t), options));
  }
}
