'use strict';
// The error family every novabilling SDK shares (docs/API-REFERENCE.md).
// The native module reports a failure as a payload {kind, message, status,
// code, errors, requestId, retryAfter} whose `kind` is core's class name
// (novabilling::ErrorKind::class_name); this file only builds the class.

class NovaBillingError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number|null, code?: string|null, errors?: Array<{field: string, code?: string, message: string}>,
   *          requestId?: string|null, retryAfter?: number|null, cause?: unknown}} [fields]
   */
  constructor(message, fields) {
    const f = fields || {};
    super(message, f.cause === undefined ? undefined : { cause: f.cause });
    /** HTTP status of the response, or null when there was none. */
    this.status = f.status ?? null;
    /** Machine-readable code, such as `email_taken` or `invalid_country`. */
    this.code = f.code ?? null;
    /** What is wrong with each field: `[{ field, code, message }]`. */
    this.errors = f.errors ?? [];
    /** The response's X-Request-Id. */
    this.requestId = f.requestId ?? null;
    /** Seconds the server asked to wait (Retry-After), or null. */
    this.retryAfter = f.retryAfter ?? null;
  }
}

/** Input rejected before any request was sent. */
class ValidationError extends NovaBillingError {
  /** The first field at fault. */
  get field() {
    return this.errors.length ? this.errors[0].field : null;
  }
}
/** The server answered with an error status. */
class ApiError extends NovaBillingError {}
/** 400, 413 or 422. */
class BadRequestError extends ApiError {}
/** 401. */
class AuthenticationError extends ApiError {}
/** 403. */
class PermissionDeniedError extends ApiError {}
/** 404. */
class NotFoundError extends ApiError {}
/** 409: `email_taken`, `external_id_taken`, `already_bound`, ... */
class ConflictError extends ApiError {}
/** 412: the ifMatch ETag is stale. */
class PreconditionFailedError extends ApiError {}
/** 429; `retryAfter` in seconds when the server said. */
class RateLimitError extends ApiError {}
/** 5xx. */
class InternalServerError extends ApiError {}
/** No answer: refused, reset, DNS, TLS (after retries). */
class ConnectionError extends NovaBillingError {}
/** No answer in time (after retries). */
class TimeoutError extends NovaBillingError {}
/** A success status whose body is not what the API sends. */
class DecodeError extends NovaBillingError {}

/**
 * The call was cancelled through its AbortSignal. Like Node's own AbortError:
 * `name === 'AbortError'`, `code === 'ABORT_ERR'`, and `cause` is `signal.reason`.
 */
class AbortError extends NovaBillingError {
  constructor(message, fields) {
    super(message || 'The operation was aborted', fields);
    this.code = 'ABORT_ERR';
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
  AbortError,
};

// `err.name` is the class name, as with the built-in errors (not enumerable).
for (const [name, cls] of Object.entries(CLASSES)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}

/** The Error subclass of a native payload. */
function fromPayload(p) {
  const cls = Object.prototype.hasOwnProperty.call(CLASSES, p.kind) ? CLASSES[p.kind] : NovaBillingError;
  return new cls(p.message, p);
}

/** A native throw (the client constructor's) or a rejection the core did not describe. */
function fromNative(e) {
  if (e instanceof Error && typeof e.message === 'string' && e.message.startsWith('{"error":')) {
    try {
      return fromPayload(JSON.parse(e.message).error);
    } catch {
      // not a payload after all
    }
  }
  if (e instanceof Error && (e.code === 'StringExpected' || e.code === 'InvalidArg')) {
    return new TypeError(e.message);
  }
  return e instanceof NovaBillingError
    ? e
    : new NovaBillingError(`internal error in the novabilling native module: ${e && e.message ? e.message : e}`, { cause: e });
}

module.exports = { ...CLASSES, fromPayload, fromNative };
