// Retry and error handling through failNext and delayNext, and keys.
package dev.novabilling.testing

import dev.novabilling.CustomerCreate
import dev.novabilling.ListParams
import dev.novabilling.NovaBillingException
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsTest {
    private val srv = TestServer.start()

    @AfterAll
    fun stop() = srv.close()

    @BeforeEach
    fun empty() = srv.reset()

    @Test
    fun `two 503s are retried and the third attempt succeeds`(): Unit = runBlocking {
        srv.failNext("POST", "/api/customers", 503, times = 2, retryAfter = 0)
        srv.client().use { client ->
            val made = client.customers().create(CustomerCreate(externalId = "user_r", email = "r@example.com"))
            assertEquals(made.id, client.customers().get(made.id).id)
        }
    }

    @Test
    fun `three 500s exhaust two retries and the error is typed`(): Unit = runBlocking {
        srv.failNext("GET", "/api/customers/{id}", 500, times = 3)
        srv.client().use { client ->
            val e = assertThrows<NovaBillingException.InternalServer> { runBlocking { client.customers().get("cust_x") } }
            assertEquals(500, e.status)
            assertTrue("fail_next" in e.detail, e.detail)
            assertThrows<NovaBillingException.NotFound> { runBlocking { client.customers().get("cust_x") } }
        }
    }

    @Test
    fun `delayNext meets the client timeout`(): Unit = runBlocking {
        srv.delayNext("GET", "/api/customers", Duration.ofSeconds(1))
        srv.client(timeout = Duration.ofMillis(200), maxRetries = 0).use { client ->
            assertThrows<NovaBillingException.Timeout> { runBlocking { client.customers().list(ListParams()) } }
        }
    }

    @Test
    fun `bad rules say what to fix`() {
        val e = assertThrows<TestServerException.Invalid> { srv.failNext("GET", "api/customers", 500) }
        assertTrue("must start with /" in e.detail, e.detail)
        assertThrows<TestServerException.Invalid> { srv.failNext("GET", "/api/customers", 200) }
        assertThrows<TestServerException.Invalid> { srv.delayNext("GET", "/api/customers", Duration.ofSeconds(-1)) }
    }

    @Test
    fun `keys of every kind`(): Unit = runBlocking {
        val made = srv.client().use { it.customers().create(CustomerCreate(externalId = "user_k", email = "k@example.com")) }
        srv.client(apiKey = srv.restrictedKey(listOf("customers:read"))).use { readOnly ->
            assertEquals(made.id, readOnly.customers().get(made.id).id)
            assertThrows<NovaBillingException.PermissionDenied> {
                runBlocking { readOnly.customers().create(CustomerCreate(externalId = "x", email = "x@example.com")) }
            }
        }
        assertTrue(srv.ephemeralKey(made.id, Duration.ofMinutes(1)).startsWith("ek_test_"))
    }
}
