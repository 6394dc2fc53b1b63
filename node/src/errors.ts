// The error family every novabilling SDK shares (docs/API-REFERENCE.md). The
// native module reports a failure as a payload whose `kind` is core's class
// name and whose fields are core's accessors; this file only builds the class.

import type { FieldError } from './types.js';

/** The fields core gives every error, as the native module sends them. */
export interface ErrorFields {
  status?: number | null;
  code?: string | null;
  errors?: FieldError[];
  requestId?: string | null;
  /** Seconds. */
  retryAfter?: number | null;
  requiredScope?: string | null;
  cause?: unknown;
}

/** Base of every error this package throws. */
export class NovaBillingError extends Error {
  /** HTTP status, or null when no response was read. */
  readonly status: number | null;
  /** Machine-readable: `email_taken`, `invalid_country`, ... (null for connection failures and timeouts). */
  readonly code: string | null;
  /** Field errors of a validation failure, client or server side. */
  readonly errors: FieldError[];
  /** The response's X-Request-Id. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (Retry-After of a 429 or 503), or null. */
  readonly retryAfter: number | null;
  /** The scope the key lacks (a 403 `insufficient_scope`), such as `customers:write`; else null. */
  readonly requiredScope: string | null;

  constructor(message: string, fields?: ErrorFields) {
    const f = fields ?? {};
    super(message, f.cause === undefined ? undefined : { cause: f.cause });
    this.status = f.status ?? null;
    this.code = f.code ?? null;
    this.errors = f.errors ?? [];
    this.requestId = f.requestId ?? null;
    this.retryAfter = f.retryAfter ?? null;
    this.requiredScope = f.requiredScope ?? null;
  }
}

/** Input rejected before any request was sent; `errors` names each field. */
export class ValidationError extends NovaBillingError {
  /** The first field at fault. */
  get field(): string | null {
    return this.errors.length ? this.errors[0].field : null;
  }
}
/** The server answered with an error status. */
export class ApiError extends NovaBillingError {}
/** 400, 413 or 422. */
export class BadRequestError extends ApiError {}
/** 401: the API key is missing, malformed or unknown. */
export class AuthenticationError extends ApiError {}
/** 403: the key may not do this; `requiredScope` names the scope it lacks. */
export class PermissionDeniedError extends ApiError {}
/** 404: no such object in your tenant. */
export class NotFoundError extends ApiError {}
/** 409: `email_taken`, `external_id_taken`, `already_bound`, ... */
export class ConflictError extends ApiError {}
/** 412: the `ifMatch` ETag is stale. */
export class PreconditionFailedError extends ApiError {}
/** 429; `retryAfter` in seconds when the server sent Retry-After. */
export class RateLimitError extends ApiError {}
/** 5xx. */
export class InternalServerError extends ApiError {}
/** No answer: refused, reset, DNS, TLS (after retries). */
export class ConnectionError extends NovaBillingError {}
/** No answer in time (after retries). */
export class TimeoutError extends NovaBillingError {}
/** A success status whose body is not what the API sends. */
export class DecodeError extends NovaBillingError {}

/**
 * A received webhook is not authentic, not fresh, or not an event: answer it
 * with a 400 and do not act on it. `code` says why (`missing_header`,
 * `invalid_header`, `no_matching_signature`, `timestamp_too_old`,
 * `timestamp_too_new`, `body_not_raw`, `invalid_secret`, `invalid_payload`);
 * the message says what to fix.
 */
export class WebhookVerificationError extends NovaBillingError {}

/**
 * The call was cancelled through its AbortSignal. Like Node's own AbortError:
 * `name === 'AbortError'`, `code === 'ABORT_ERR'`, and `cause` is `signal.reason`.
 */
export class AbortError extends NovaBillingError {
  declare readonly code: 'ABORT_ERR';

  constructor(message?: string, fields?: ErrorFields) {
    super(message || 'The operation was aborted', { ...fields, code: 'ABORT_ERR' });
  }
}

const CLASSES = {
  NovaBillingError,
  ValidationError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  DecodeError,
  WebhookVerificationError,
  AbortError,
};

// `err.name` is the class name, as with the built-in errors (not enumerable).
for (const [name, cls] of Object.entries(CLASSES)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}

/** A failure as the native module describes it. */
export interface ErrorPayload extends ErrorFields {
  kind: string;
  message: string;
}

/** The Error subclass of a native payload. */
export function fromPayload(p: ErrorPayload): NovaBillingError {
  const cls = Object.prototype.hasOwnProperty.call(CLASSES, p.kind)
    ? CLASSES[p.kind as keyof typeof CLASSES]
    : NovaBillingError;
  return new cls(p.message, p);
}

/** A native throw (the client constructor's) or a rejection the core did not describe. */
export function fromNative(e: unknown): Error {
  if (e instanceof Error && e.message.startsWith('{"error":')) {
    try {
      return fromPayload((JSON.parse(e.message) as { error: ErrorPayload }).error);
    } catch {
      // not a payload after all
    }
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof Error && (code === 'StringExpected' || code === 'InvalidArg')) {
    return new TypeError(e.message);
  }
  if (e instanceof NovaBillingError) return e;
  const text = e instanceof Error ? e.message : String(e);
  return new NovaBillingError(`internal error in the novabilling native module: ${text}`, { cause: e });
}
