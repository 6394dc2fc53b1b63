// The idiomatic edges of the test server: a client of it, and waiting for a
// webhook as a test wants it (an exception naming what did arrive).
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

/**
 * The first delivery of [type] (`*`: any) not returned before, waiting up to
 * [timeout]. Blocks the calling thread.
 *
 * @throws TimeoutException when none came, naming the deliveries that did.
 */
fun TestServer.awaitWebhook(type: String = "*", timeout: Duration = Duration.ofSeconds(5)): CapturedWebhook =
    waitForWebhook(type, timeout)
        ?: throw TimeoutException("no \"$type\" webhook within $timeout; deliveries so far: ${webhookDeliveries().map { it.type }}")
