// ESM entry: the same objects as `require('novabilling')`.
import cjs from './lib/index.js';

export const {
  NovaBillingClient,
  Customers,
  Subscriptions,
  Invoices,
  CustomerPage,
  PagePromise,
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
} = cjs;

export default cjs.NovaBillingClient;
