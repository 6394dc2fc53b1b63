// Idiomatic Kotlin over the generated bindings (novabilling_uniffi.kt):
// conversions only. Behaviour (validation, retries, paging, errors) is the core's.
package dev.novabilling

import java.math.BigDecimal
import java.time.Duration
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

// ---------------------------------------------------------------- errors

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

/** How long the server asked to wait (RateLimit only). */
val NovaBillingException.retryAfter: Duration? get() = info().retryAfter

/** True for the API errors (the server answered with an error status). */
val NovaBillingException.isApiError: Boolean
    get() = when (this) {
        is NovaBillingException.BadRequest, is NovaBillingException.Authentication,
        is NovaBillingException.PermissionDenied, is NovaBillingException.NotFound,
        is NovaBillingException.Conflict, is NovaBillingException.PreconditionFailed,
        is NovaBillingException.RateLimit, is NovaBillingException.InternalServer,
        is NovaBillingException.Api -> true
        else -> false
    }

// ---------------------------------------------------------------- money

/** `totalSpent` as an exact decimal. */
val Customer.totalSpentDecimal: BigDecimal get() = BigDecimal(totalSpent)

/** `amount` as an exact decimal. */
val Invoice.amountDecimal: BigDecimal get() = BigDecimal(amount)

/** An invoice body with the amount as a decimal (sent exactly). */
fun InvoiceCreate(customerId: String, amount: BigDecimal, currency: String? = null, status: String? = null) =
    InvoiceCreate(customerId = customerId, amount = amount.toPlainString(), currency = currency, status = status)

// ---------------------------------------------------------------- updates

/** `Patch.set("x")` and `Patch.clear` read better than the generated variants. */
object Patch {
    fun set(value: String): StringPatch = StringPatch.Set(value)
    fun set(value: Map<String, Any?>): MetadataPatch = MetadataPatch.Set(jsonMapOf(value))
    val clear: StringPatch get() = StringPatch.Clear
    val clearMetadata: MetadataPatch get() = MetadataPatch.Clear
}

// ---------------------------------------------------------------- JSON (metadata)

/**
 * Plain Kotlin data as a [JsonValue]: null, Boolean, Number (exact: its decimal
 * text), String, List/Array, Map with String keys, or a JsonValue as it is.
 */
fun jsonValueOf(value: Any?): JsonValue = when (value) {
    null -> JsonValue.Null
    is JsonValue -> value
    is Boolean -> JsonValue.Bool(value)
    is BigDecimal -> JsonValue.Number(value.toString())
    is Double -> {
        require(value.isFinite()) { "JSON cannot carry $value" }
        JsonValue.Number(value.toString())
    }
    is Float -> {
        require(value.isFinite()) { "JSON cannot carry $value" }
        JsonValue.Number(value.toString())
    }
    is Number -> JsonValue.Number(value.toString())
    is String -> JsonValue.String(value)
    is Map<*, *> -> JsonValue.Object(
        value.entries.associate { (k, v) ->
            require(k is String) { "JSON object keys must be strings, got ${k?.let { it::class.simpleName }}" }
            k to jsonValueOf(v)
        },
    )
    is Iterable<*> -> JsonValue.Array(value.map(::jsonValueOf))
    is Array<*> -> JsonValue.Array(value.map(::jsonValueOf))
    else -> throw IllegalArgumentException("not a JSON value: ${value::class.qualifiedName}")
}

/** A metadata map from plain Kotlin data: `jsonMapOf("company" to "Acme", "seats" to 5)`. */
fun jsonMapOf(vararg pairs: Pair<String, Any?>): Map<String, JsonValue> = pairs.associate { (k, v) -> k to jsonValueOf(v) }

fun jsonMapOf(map: Map<String, Any?>): Map<String, JsonValue> = map.mapValues { (_, v) -> jsonValueOf(v) }

/**
 * Back to plain Kotlin data: null, Boolean, BigDecimal, String, List, Map.
 * Numbers are BigDecimal so no digit is lost.
 */
fun JsonValue.toKotlin(): Any? = when (this) {
    is JsonValue.Null -> null
    is JsonValue.Bool -> value
    is JsonValue.Number -> BigDecimal(value)
    is JsonValue.String -> value
    is JsonValue.Array -> values.map { it.toKotlin() }
    is JsonValue.Object -> fields.mapValues { (_, v) -> v.toKotlin() }
}

/** Metadata as plain Kotlin data. */
fun Map<String, JsonValue>.toKotlin(): Map<String, Any?> = mapValues { (_, v) -> v.toKotlin() }

/** A string value, or null when the value is not a JSON string. */
val JsonValue.stringValue: String? get() = (this as? JsonValue.String)?.value

// ---------------------------------------------------------------- pagination

/** Every remaining customer, fetching pages as it goes (the core decides when to stop). */
fun CustomerPager.asFlow(): Flow<Customer> = flow {
    use { pager ->
        while (true) {
            emit(pager.next() ?: break)
        }
    }
}

/** Every customer matching [params], page after page. */
fun Customers.listAllFlow(params: ListParams? = null, options: RequestOptions? = null): Flow<Customer> =
    listAll(params, options).asFlow()

/** Every unresolved (imported, not yet bound) customer, page after page. */
fun Customers.listUnresolvedFlow(params: PageParams? = null, options: RequestOptions? = null): Flow<Customer> =
    listUnresolvedAll(params, options).asFlow()

/** The page after this one of the same query, or null after the last. */
suspend fun Customers.nextPage(page: CustomerPage, params: ListParams? = null, options: RequestOptions? = null): CustomerPage? =
    page.nextPage?.let { list((params ?: ListParams()).copy(page = it), options) }
