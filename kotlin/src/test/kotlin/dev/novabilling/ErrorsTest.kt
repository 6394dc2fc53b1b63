// The error family, from the real server and from scripted failures.
package dev.novabilling

import java.net.ServerSocket
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ErrorsTest {
    private val customerBody =
        """{"id": "cust_1", "externalId": "u", "email": "a@b.co", "createdAt": "2026-03-01T12:00:00.000Z", "updatedAt": "2026-03-01T12:00:00.000Z"}"""

    @Test
    fun `a conflict carries status, code, message and request id`(): Unit = runBlocking {
        val customers = Server.shared.client().customers()
        customers.create(CustomerCreate(externalId = "e1", email = "e1@example.com"))
        val e = assertThrows<NovaBillingException.Conflict> {
            customers.create(CustomerCreate(externalId = "e2", email = "E1@example.com"))
        }
        assertEquals(409, e.status)
        assertEquals("email_taken", e.code)
        assertEquals("A customer with this email already exists", e.detail)
        assertNotNull(e.requestId)
        assertTrue(e.message!!.contains(e.requestId!!), "the exception's message shows the request id")
        assertEquals(emptyList<FieldError>(), e.fieldErrors)
        assertEquals("ConflictError", e.className)
        assertTrue(e.isApiError)
    }

    @Test
    fun `the server refuses a second bind and an unknown key`(): Unit = runBlocking {
        val customers = Server.shared.client().customers()
        val c = customers.create(CustomerCreate(externalId = "v1", email = "v1@example.com"))
        val e = assertThrows<NovaBillingException.Conflict> { customers.bind(c.id, "v2") }
        assertEquals("already_bound", e.code)
        val wrongKey = NovaBillingClient(allowSecretKey = true, token = "sk_test_" + "0".repeat(64), baseUrl = Server.shared.url)
        val auth = assertThrows<NovaBillingException.Authentication> { wrongKey.customers().list() }
        assertEquals(401, auth.status)
        assertEquals("AuthenticationError", auth.className)
    }

    @Test
    fun `invalid input is a ValidationError and nothing is sent`() {
        Canned(Reply.json(500, "{}")).use { server ->
            val customers = server.client().customers()
            val e = assertThrows<NovaBillingException.Validation> {
                runBlocking {
                    customers.create(CustomerCreate(externalId = "", email = "bad", metadata = jsonObjectOf("k".repeat(41) to 1)))
                }
            }
            assertEquals(
                listOf("externalId" to "required", "email" to "invalid_email", "metadata" to "invalid_key"),
                e.fieldErrors.map { it.field to it.code },
            )
            assertEquals("required", e.code)
            assertNull(e.status)
            assertNull(e.requestId)
            assertTrue(!e.isApiError)
            val amount = assertThrows<NovaBillingException.Validation> {
                runBlocking { server.client().invoices().create(InvoiceCreate(customerId = "cust_1", amount = "ten")) }
            }
            assertEquals("amount", amount.fieldErrors.single().field)
            val json = assertThrows<NovaBillingException.Validation> {
                runBlocking { customers.importStripeJson("{not json") }
            }
            assertEquals("customers", json.fieldErrors.single().field)
            // NaN is no JSON number: kotlinx writes it as the text NaN, which the core rejects on the field.
            val number = assertThrows<NovaBillingException.Validation> {
                runBlocking { customers.mergeMetadata("cust_1", jsonObjectOf("n" to Double.NaN)) }
            }
            assertEquals("metadata", number.fieldErrors.single().field)
            assertThrows<IllegalArgumentException> { jsonObjectOf("at" to java.time.Instant.EPOCH) }
            assertTrue(server.seen.isEmpty())
        }
    }

    @Test
    fun `rate limited by the server`(): Unit = runBlocking {
        val s = Server.start("--rate-limit", "3")
        try {
            val client = NovaBillingClient(allowSecretKey = true, token = s.key, baseUrl = s.url, maxRetries = 0)
            val e = assertThrows<NovaBillingException.RateLimit> {
                runBlocking { repeat(10) { client.customers().list() } }
            }
            assertEquals(429, e.status)
            assertEquals("RateLimitError", e.className)
            assertTrue(e.retryAfter!! > Duration.ZERO)
            assertEquals(e.retryAfter, (e as NovaBillingException.RateLimit).retryAfter)
        } finally {
            s.stop()
        }
    }

    @Test
    fun `connection refused`() {
        val port = ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val client = NovaBillingClient(allowSecretKey = true, token = "sk_test_x", baseUrl = "http://127.0.0.1:$port", maxRetries = 0)
        val e = assertThrows<NovaBillingException.Connection> { runBlocking { client.customers().get("cust_1") } }
        assertTrue(e.detail.lowercase().contains("refused"), e.detail)
        assertEquals("ConnectionError", e.className)
    }

    @Test
    fun `a timeout is retried, then a TimeoutError`() {
        Canned(Reply(200, "{}", delayMs = 2000)).use { slow ->
            val client = slow.client(maxRetries = 1)
            val start = System.nanoTime()
            val e = assertThrows<NovaBillingException.Timeout> {
                runBlocking { client.customers().get("cust_1", RequestOptions(timeout = Duration.ofMillis(200))) }
            }
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1500)
            assertEquals(2, slow.seen.size, "a timeout is retried")
            assertEquals("TimeoutError", e.className)
        }
    }

    @Test
    fun `a retried POST reuses its idempotency key`() {
        Canned(
            Reply.json(503, """{"statusCode": 503, "message": "busy"}""", "retry-after" to "0"),
            Reply.json(201, customerBody),
        ).use { s ->
            val client = s.client(maxRetries = 2)
            runBlocking {
                client.customers().create(
                    CustomerCreate(externalId = "u", email = "a@b.co"),
                    RequestOptions(idempotencyKey = "order-7", headers = mapOf("x-trace" to "t1")),
                )
            }
            assertEquals(listOf("order-7", "order-7"), s.seen.map { it.headers["idempotency-key"] })
            assertEquals("t1", s.seen[0].headers["x-trace"])
            assertTrue(s.seen[0].headers["user-agent"]!!.startsWith("novabilling-uniffi/"), s.seen[0].headers["user-agent"])
            assertEquals("Bearer sk_test_x", s.seen[0].headers["authorization"])
            assertEquals("""{"externalId":"u","email":"a@b.co"}""", s.seen[0].body)
        }
    }

    @Test
    fun `a 2xx that is not the API's body is a DecodeError`() {
        Canned(Reply(200, "<html>hello</html>", mapOf("x-request-id" to "req_d"))).use { s ->
            val e = assertThrows<NovaBillingException.Decode> { runBlocking { s.client().customers().get("cust_1") } }
            assertEquals(200, e.status)
            assertEquals("req_d", e.requestId)
            assertEquals("DecodeError", e.className)
            assertTrue(!e.isApiError)
        }
    }

    @Test
    fun `every class of the family is a variant`() {
        val cases = mapOf(
            400 to "BadRequest", 401 to "Authentication", 403 to "PermissionDenied", 404 to "NotFound",
            409 to "Conflict", 412 to "PreconditionFailed", 413 to "BadRequest", 422 to "BadRequest",
            429 to "RateLimit", 500 to "InternalServer", 418 to "Api",
        )
        for ((status, variant) in cases) {
            Canned(Reply.json(status, """{"statusCode": $status, "message": "m"}""")).use { s ->
                val e = assertThrows<NovaBillingException> { runBlocking { s.client().customers().get("cust_1") } }
                assertEquals(variant, e::class.simpleName, "HTTP $status")
                assertEquals(status, e.status)
                assertEquals("m", e.detail)
            }
        }
    }
}
