// The server's deliveries, received over real HTTP by a JDK HttpServer in this
// suite and verified with the Kotlin SDK: a create/update/bind/delete flow
// arrives signed, in sequence, with the full customer.
package dev.novabilling

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest {
    // Loopback is refused unless allowed; the compressed schedule keeps retries quick.
    private val server = Server.start(
        "--webhook-allow-host", "127.0.0.1", "--webhook-retry-schedule", "0,100ms,200ms", "--webhook-poll-interval", "100ms",
    )

    @AfterAll
    fun stop() = server.stop()

    /** Keeps each request's raw body and headers (as `HttpExchange` hands them over) and answers 204. */
    private class Receiver : AutoCloseable {
        val got = CopyOnWriteArrayList<Pair<ByteArray, Map<String, List<String>>>>()
        private val http = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/hooks") { ex ->
                got.add(ex.requestBody.readBytes() to ex.requestHeaders.toMap())
                ex.sendResponseHeaders(204, -1)
                ex.close()
            }
            start()
        }
        val url = "http://127.0.0.1:${http.address.port}/hooks"

        fun waitFor(n: Int): List<Pair<ByteArray, Map<String, List<String>>>> {
            val deadline = System.nanoTime() + 15_000_000_000
            while (got.size < n) {
                check(System.nanoTime() < deadline) { "expected $n deliveries, got ${got.size}" }
                Thread.sleep(50)
            }
            return got.toList()
        }

        override fun close() = http.stop(0)
    }

    /** The SDK has no endpoint management yet, so the test makes the endpoint over plain HTTP. */
    private fun endpoint(key: String, url: String): String {
        val req = HttpRequest.newBuilder(URI.create("${server.url}/api/webhook-endpoints"))
            .header("authorization", "Bearer $key")
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("""{"url": "$url"}"""))
            .build()
        val resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString())
        assertEquals(201, resp.statusCode(), resp.body())
        return Json.parseToJsonElement(resp.body()).jsonObject["secret"]!!.jsonPrimitive.content
    }

    @Test
    fun `a customer flow arrives signed and in sequence`(): Unit = runBlocking {
        Receiver().use { r ->
            val key = server.newKey()
            val secret = endpoint(key, r.url)
            val customers = server.client(key).customers()

            val result = customers.importStripe(listOf(StripeCustomer(id = "cus_kt_hook", email = "kt-hook@example.com")))
            assertEquals(1L, result.created)
            val imported = customers.listUnresolved().data.single()
            customers.update(imported.id, CustomerUpdate(name = Patch.set("Kt Hook")))
            customers.bind(imported.id, "user-kt-hook")
            customers.delete(imported.id)

            val events = r.waitFor(5).map { (body, headers) ->
                Webhooks.verify(body, headers, secret).also { e ->
                    assertEquals(headers.entries.single { it.key.equals("webhook-id", ignoreCase = true) }.value.single(), e.id)
                }
            }
            val counts = events.single { it.type == "customers.imported" }
            assertEquals(1L to 0L, counts.imported?.created to counts.imported?.skipped)

            val changes = events.filter { it.type.startsWith("customer.") }.sortedBy { it.sequence }
            assertEquals(listOf("customer.created", "customer.updated", "customer.bound", "customer.deleted"), changes.map { it.type })
            assertEquals(4, changes.map { it.sequence }.toSet().size)
            changes.forEach { assertEquals(imported.id, it.customer?.id) }
            val (_, updated, bound, deleted) = changes
            assertEquals(listOf("name"), updated.changedFields)
            assertEquals("Kt Hook", updated.customer?.name)
            assertEquals("user-kt-hook", bound.customer?.externalId)
            assertEquals("user-kt-hook", deleted.customer?.externalId)
        }
    }

    @Test
    fun `a tampered delivery is refused`(): Unit = runBlocking {
        Receiver().use { r ->
            val key = server.newKey()
            val secret = endpoint(key, r.url)
            server.client(key).customers().create(CustomerCreate(externalId = "user-kt-tamper", email = "kt-tamper@example.com"))
            val (body, headers) = r.waitFor(1).single()
            val tampered = body.decodeToString().replace("kt-tamper", "kt-tamperX")
            val e = assertThrows<NovaBillingException.WebhookVerification> { Webhooks.verify(tampered, headers, secret) }
            assertEquals("no_matching_signature", e.code)
        }
    }
}
