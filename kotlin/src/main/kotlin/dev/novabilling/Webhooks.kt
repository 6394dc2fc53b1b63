// Receiving webhooks (Standard Webhooks v1): core checks the signature and
// the timestamp and reads the event; this object only hands it the raw body,
// the headers and the secrets.
package dev.novabilling

import java.time.Duration

/**
 * Verify a delivery from your NovaBilling server, and sign one for tests.
 *
 * ```kotlin
 * val event = Webhooks.verify(rawBody, headers, System.getenv("NOVABILLING_WEBHOOK_SECRET"))
 * if (event.type == "customer.updated") { ... event.customer, event.sequence, event.changedFields }
 * ```
 *
 * Failures are [NovaBillingException.WebhookVerification], whose `code` says
 * why (`no_matching_signature`, `timestamp_too_old`, ...): answer them with a 400.
 */
object Webhooks {
    /** Five minutes: how far a delivery's timestamp may be from now, either way. */
    val DEFAULT_TOLERANCE: Duration = Duration.ofMinutes(5)

    /**
     * Checks that [body] (the raw bytes as received) was signed with one of
     * [secret] (several while rotating) recently, and reads its event.
     * [headers]: the request's, in any casing, values a String or a list of
     * them (`com.sun.net.httpserver.Headers`, a servlet's headers as a map).
     */
    @JvmStatic
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, *>, secret: List<String>, tolerance: Duration? = null): WebhookEvent =
        webhooksVerify(body, flat(headers), secret, tolerance)

    /** [verify] with one secret. */
    @JvmStatic
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, *>, secret: String, tolerance: Duration? = null): WebhookEvent =
        verify(body, headers, listOf(secret), tolerance)

    /** [verify] of a body received as text (its UTF-8 bytes are what was signed). */
    @JvmStatic
    @JvmOverloads
    fun verify(body: String, headers: Map<String, *>, secret: String, tolerance: Duration? = null): WebhookEvent =
        verify(body.toByteArray(Charsets.UTF_8), headers, listOf(secret), tolerance)

    /** The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a delivery of [body]: for testing a receiver. */
    @JvmStatic
    @JvmOverloads
    fun sign(body: ByteArray, secret: String, id: String? = null, timestamp: Long? = null): Map<String, String> =
        webhooksSign(body, secret, id, timestamp)

    /** [sign] for a text body. */
    @JvmStatic
    @JvmOverloads
    fun sign(body: String, secret: String, id: String? = null, timestamp: Long? = null): Map<String, String> =
        sign(body.toByteArray(Charsets.UTF_8), secret, id, timestamp)

    private fun flat(headers: Map<String, *>): Map<String, String> = buildMap {
        for ((k, v) in headers) {
            when (v) {
                is String -> put(k, v)
                // A repeated header: one signature list.
                is Iterable<*> -> put(k, v.filterNotNull().joinToString(" "))
                null -> {}
                else -> put(k, v.toString())
            }
        }
    }
}
