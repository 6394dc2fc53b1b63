// Captured webhook deliveries, and seeded snapshots.
package dev.novabilling.testing

import dev.novabilling.CustomerCreate
import java.time.Duration
import java.util.concurrent.TimeoutException
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class WebhooksTest {
    @Test
    fun `deliveries are captured and verified`(): Unit = TestServer.start().use { srv ->
        val made = runBlocking { srv.client().use { it.customers().create(CustomerCreate(externalId = "user_w", email = "w@example.com")) } }
        val created = srv.webhooks.waitFor("customer.created", Duration.ofSeconds(10))
        assertTrue(created.verified)
        assertTrue(made.id in created.body)
        assertTrue(created.headers.any { it.name == "webhook-signature" })
        val e = assertThrows<TimeoutException> { srv.webhooks.waitFor("customer.deleted", Duration.ofMillis(200)) }
        assertTrue("customer.created" in e.message!!, e.message)
    }

    @Test
    fun `a seed gives the same ids and timestamps`() {
        fun run(): List<Pair<String, String>> = TestServer.start(seed = 42).use { srv ->
            runBlocking {
                srv.client().use { c ->
                    (0 until 3).map { i ->
                        val made = c.customers().create(CustomerCreate(externalId = "user_$i", email = "$i@example.com"))
                        made.id to made.createdAt.toString()
                    }
                }
            }
        }
        val first = run()
        assertEquals(first, run())
        assertEquals(listOf("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"), first.map { it.second })
    }
}
