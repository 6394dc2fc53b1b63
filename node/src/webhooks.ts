// Receiving webhooks (Standard Webhooks v1): core checks the signature and
// the timestamp and reads the event; this file only hands it the raw body,
// the headers as pairs and the secrets.

import { fromPayload, type ErrorPayload } from './errors.js';
import { load } from './native.js';
import type { Customer, ImportResult } from './types.js';

/**
 * A verified event. `customer`, `sequence` and `changedFields` are set on
 * `customer.*` events, `imported` on `customers.imported`; an event of a type
 * this SDK does not know keeps its `data` whole.
 */
export interface WebhookEvent {
  /** `evt_...`: the same on every delivery of this event (deduplicate on it). */
  id: string;
  /** `customer.created`, `customer.updated`, `customer.deleted`, `customer.bound`, `customers.imported`, or newer. */
  type: string;
  /** When the change was committed (RFC 3339). */
  timestamp: string;
  /** The event's `data` as sent. */
  data: Record<string, unknown>;
  customer: Customer | null;
  /** Per customer, higher is newer: drop an event older than one already applied. */
  sequence: number | null;
  /** The fields a `customer.updated` changed (wire names). */
  changedFields: string[] | null;
  imported: ImportResult | null;
}

/** A request's headers: Node's `req.headers`, a fetch `Headers`, or `[name, value]` pairs. */
export type WebhookHeaders =
  | Headers
  | Iterable<readonly [string, string]>
  | Record<string, string | readonly string[] | undefined>;

/** The raw body as received: a Buffer or other Uint8Array, an ArrayBuffer, or the exact text. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way (default 300,000: five minutes). */
  toleranceMs?: number;
}

export interface SignOptions {
  /** The `webhook-id` (default: derived from the body and time). */
  id?: string;
  /** Seconds since the Unix epoch (default: now). */
  timestamp?: number;
}

function unwrap<T>(text: string): T {
  const r = JSON.parse(text) as { value?: T; error?: ErrorPayload };
  if (r.error !== undefined) throw fromPayload(r.error);
  return r.value as T;
}

function raw(body: WebhookBody): Buffer | string {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  const what = body === null ? 'null' : Array.isArray(body) ? 'array' : typeof body;
  if (what === 'object' || what === 'array') return unwrap<never>(load().webhooksBodyNotRaw(what));
  throw new TypeError(`body must be the raw request body (a string, Buffer, Uint8Array or ArrayBuffer), not ${what}`);
}

/** A value of the wrong type is a TypeError that names the argument, as the native module's own says only "Failed to convert". */
function check(ok: boolean, what: string): void {
  if (!ok) throw new TypeError(what);
}

function pairs(headers: WebhookHeaders): string[][] {
  const out: string[][] = [];
  check(typeof headers === 'object' && headers !== null, 'headers must be a Headers, an object of header values or [name, value] pairs');
  const iterable = headers as Partial<Iterable<readonly [string, string]>>;
  if (typeof iterable[Symbol.iterator] === 'function') {
    for (const [k, v] of headers as Iterable<readonly [string, string]>) {
      check(typeof k === 'string' && typeof v === 'string', 'each header pair must be [name, value], two strings');
      out.push([k, v]);
    }
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (typeof v === 'string') out.push([k, v]);
    // Repeated headers (Node gives arrays for a few): one signature list.
    else if (Array.isArray(v)) out.push([k, v.join(' ')]);
  }
  return out;
}

/**
 * Checks that a delivery came from the holder of `secret` (a list while
 * rotating) recently, and reads its event.
 *
 * @throws {WebhookVerificationError} with `code` saying why: answer the request with a 400.
 */
export function verify(
  body: WebhookBody,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options?: VerifyOptions,
): WebhookEvent {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  check(secrets.every((s) => typeof s === 'string'), 'secret must be a whsec_ string or an array of them');
  check(options?.toleranceMs === undefined || typeof options.toleranceMs === 'number', 'options.toleranceMs must be a number');
  return unwrap<WebhookEvent>(load().webhooksVerify(raw(body), pairs(headers), secrets, options?.toleranceMs));
}

/** The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a delivery of `body`: for testing a receiver. */
export function sign(body: WebhookBody, secret: string, options?: SignOptions): Record<string, string> {
  check(typeof secret === 'string', 'secret must be a whsec_ string');
  check(options?.id === undefined || typeof options.id === 'string', 'options.id must be a string');
  check(options?.timestamp === undefined || typeof options.timestamp === 'number', 'options.timestamp must be a number of seconds');
  return unwrap<Record<string, string>>(load().webhooksSign(raw(body), secret, options?.id, options?.timestamp));
}
