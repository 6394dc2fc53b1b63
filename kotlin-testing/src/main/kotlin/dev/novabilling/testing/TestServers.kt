// The idiomatic edges of the test server: a client of it, and its webhooks
// as a test wants them (waiting throws, naming what did arrive).
package dev.novabilling.testing

import dev.novabilling.NovaBillingClient
import java.time.Duration
import java.util.concurrent.TimeoutException

/**
 * A client of this server: its key unless [apiKey] is given (a restricted
 * key, say); [timeout] and [maxRetries] as the client's own.
 */
fun TestServer.client(apiKey: String? = null, timeout: Duration? = null, maxRetries: Long? = null): NovaBillingClient =
    NovaBillingClient(apiKey = apiKey ?: apiKey(), baseUrl = baseUrl(), timeout = timeout, maxRetries = maxRetries, allowSecretKey = true)

/** The deliveries of the receiver this server subscribes to every event. */
val TestServer.webhooks: Webhooks
    get() = Webhooks(this)

/** The deliveries of the receiver a test server subscribes to every event. */
class Webhooks internal constructor(private val server: TestServer) {
    /** Where the receiver listens; null when the server captures nothing. */
    val url: String?
        get() = server.webhookUrl()

    /**
     * The first delivery of [eventType] (`*`: any) not returned before,
     * waiting up to [timeout]. Blocks the calling thread.
     *
     * @throws TimeoutException when none came, naming the deliveries that did.
     */
    fun waitFor(eventType: String, timeout: Duration = Duration.ofSeconds(5)): CapturedWebhook =
        server.waitForWebhook(eventType, timeout)
            ?: throw TimeoutException("no \"$eventType\" webhook within $timeout; deliveries so far: ${all().map { it.type }}")

    /** Every delivery since the start or the last reset, oldest first. */
    fun all(): List<CapturedWebhook> = server.webhookDeliveries()
}
