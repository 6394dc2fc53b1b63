// The fields every error of the family carries, as core fills them
// (novabilling::Error's accessors through ErrorInfo): no logic here.
package dev.novabilling

import java.time.Duration

/** The class name of the family: `NotFoundError`, `ValidationError`, ... */
val NovaBillingException.className: String get() = info().className

/** The server's message (API errors) or the description of what went wrong. */
val NovaBillingException.detail: String get() = info().detail

/** The HTTP status (API and decode errors), else null. */
val NovaBillingException.status: Int? get() = info().status

/** A stable, machine-readable code such as `email_taken` (API and validation errors). */
val NovaBillingException.code: String? get() = info().code

/** Field errors of a validation failure, client or server side. */
val NovaBillingException.fieldErrors: List<FieldError> get() = info().fieldErrors

/** The X-Request-Id of the failed response, when there was one. */
val NovaBillingException.requestId: String? get() = info().requestId

/** How long the server asked to wait (a 429 or 503 that sent Retry-After). */
val NovaBillingException.retryAfter: Duration? get() = info().retryAfter

/** True for the API errors (the server answered with an error status); core decides. */
val NovaBillingException.isApiError: Boolean get() = info().isApi

/** The class this one derives from in the family: `ApiError` or `NovaBillingError`. */
val NovaBillingException.parentClassName: String get() = info().parentClassName

/** The scope the key lacks, on a 403 `insufficient_scope` (`customers:write`, ...); else null. */
val NovaBillingException.requiredScope: String? get() = info().requiredScope
