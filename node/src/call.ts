// One native call: inputs leave as JSON text (`undefined` dropped, `null`
// kept), the result comes back as one JSON string parsed once, and failures
// become the Error subclasses of errors.ts. Validation, retries, URLs, error
// parsing and paging are core's.

import { AbortError, fromNative, fromPayload, type ErrorPayload } from './errors.js';
import { load, type CancelToken } from './native.js';
import type { RequestOptions } from './types.js';

/** A native call, started with the call's cancel token (if it has a signal). */
export type Start = (opts: string | undefined, cancel: CancelToken | undefined) => Promise<string>;

/** What a native call resolves to. */
export interface Envelope<T> {
  value: T;
  requestId: string | null;
  etag: string | null;
}

type Outcome<T> = Envelope<T> & { error?: ErrorPayload; aborted?: boolean };

/** Per-call options as the native call takes them: JSON text, and the signal apart. */
function split(options: RequestOptions | undefined): [string | undefined, AbortSignal | undefined] {
  if (options == null) return [undefined, undefined];
  const { signal, ...rest } = options;
  const set = Object.values(rest).some((v) => v !== undefined);
  return [set ? JSON.stringify(rest) : undefined, signal];
}

function abortError(signal: AbortSignal | undefined): AbortError {
  return new AbortError(undefined, { cause: signal?.reason });
}

/** Runs one native call and returns its envelope, or throws the family's error. */
export async function invoke<T>(start: Start, options: RequestOptions | undefined): Promise<Envelope<T>> {
  const [opts, signal] = split(options);
  let text: string;
  if (signal == null) {
    try {
      text = await start(opts, undefined);
    } catch (e) {
      throw fromNative(e);
    }
  } else {
    if (signal.aborted) throw abortError(signal);
    const token = new (load().CancelToken)();
    const onAbort = (): void => token.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      text = await start(opts, token);
    } catch (e) {
      throw fromNative(e);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
  const r = JSON.parse(text) as Outcome<T>;
  if (r.error !== undefined) throw fromPayload(r.error);
  if (r.aborted === true) throw abortError(signal);
  return r;
}

function hidden(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: false });
}

/** The result object with its response's X-Request-Id as a non-enumerable property. */
export function withRequestId<T extends object>(r: Envelope<T>): T & { readonly requestId: string | null } {
  hidden(r.value, 'requestId', r.requestId);
  return r.value as T & { readonly requestId: string | null };
}

/** A customer result: X-Request-Id and ETag, both non-enumerable. */
export function withEtag<T extends object>(
  r: Envelope<T>,
): T & { readonly requestId: string | null; readonly etag: string | null } {
  hidden(r.value, 'etag', r.etag);
  return withRequestId(r) as T & { readonly requestId: string | null; readonly etag: string | null };
}

/** Ids and other string arguments: null/undefined reach core as '' (a ValidationError there). */
export function str(v: string | null | undefined): string {
  return v == null ? '' : v;
}

export function json(v: unknown, empty: unknown): string {
  return JSON.stringify(v == null ? empty : v);
}
