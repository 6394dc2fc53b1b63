// The NovaBilling guide's flow on a test server, one server per test class
// (classes run in parallel: junit-platform.properties).
package dev.novabilling.testing

import dev.novabilling.CustomerCreate
import dev.novabilling.CustomerUpdate
import dev.novabilling.ListParams
import dev.novabilling.NovaBillingClient
import dev.novabilling.NovaBillingException
import dev.novabilling.Patch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowTest {
    private val srv = TestServer.start()

    @AfterAll
    fun stop() = srv.close()

    @BeforeEach
    fun empty() = srv.reset()

    @Test
    fun `create, find, update, list, delete`(): Unit = runBlocking {
        srv.client().use { client ->
            val made = client.customers().create(CustomerCreate(externalId = "user_1", email = "sarah@kampaltech.ug", name = "Nakato Sarah"))
            assertEquals("sarah@kampaltech.ug", client.customers().get(made.id).email)
            assertEquals(made.id, client.customers().getByExternalId("user_1").id)
            assertEquals("Nakato Sarah Williams", client.customers().update(made.id, CustomerUpdate(name = Patch.set("Nakato Sarah Williams"))).name)
            assertEquals(1L, client.customers().list(ListParams(search = "Nakato")).total)
            client.customers().delete(made.id)
            val e = assertThrows<NovaBillingException.NotFound> { runBlocking { client.customers().get(made.id) } }
            assertEquals(404, e.status)
        }
    }

    @Test
    fun `each test starts empty`(): Unit = runBlocking {
        srv.client().use { client -> assertEquals(0L, client.customers().list(ListParams()).total) }
    }

    @Test
    fun `use stops a server`() {
        val url = TestServer.start(captureWebhooks = false).use { other ->
            assertNotEquals(srv.baseUrl(), other.baseUrl())
            other.baseUrl()
        }
        assertTrue(url.startsWith("http://127.0.0.1:"))
        // Closed: nothing listens there any more.
        NovaBillingClient(apiKey = srv.apiKey(), baseUrl = url, maxRetries = 0, allowSecretKey = true).use { gone ->
            assertThrows<NovaBillingException.Connection> { runBlocking { gone.customers().list(ListParams()) } }
        }
    }
}
