// A user's JUnit test on the in-process test server, as kotlin-testing's README shows it.
import dev.novabilling.CustomerCreate
import dev.novabilling.NovaBillingException
import dev.novabilling.testing.TestServer
import dev.novabilling.testing.webhooks
import dev.novabilling.testing.client
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupTest {
    private val server = TestServer.start()
    private val client = server.client()

    @AfterAll
    fun stop() {
        client.close()
        server.close()
    }

    @BeforeEach
    fun empty() = server.reset()

    @Test
    fun `signup creates a customer and sends a webhook`(): Unit = runBlocking {
        val made = client.customers().create(CustomerCreate(externalId = "user_1", email = "a@example.com"))
        assertEquals(made.id, client.customers().getByExternalId("user_1").id)
        assertTrue(server.webhooks.waitFor("customer.created").verified)
    }

    @Test
    fun `signup survives an outage`(): Unit = runBlocking {
        server.failNext("POST", "/api/customers", 503, times = 2, retryAfter = 0) // retried by the SDK
        client.customers().create(CustomerCreate(externalId = "user_1", email = "a@example.com"))
    }

    @Test
    fun `signup reports a lasting outage`() {
        server.failNext("POST", "/api/customers", 500, times = 3)
        assertThrows<NovaBillingException.InternalServer> {
            runBlocking { client.customers().create(CustomerCreate(externalId = "user_1", email = "a@example.com")) }
        }
    }
}
