// Coroutines: many suspended calls at once on one client, and cancellation.
package dev.novabilling

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ConcurrencyTest {
    @Test
    fun `100 concurrent creates, then every one is listed`(): Unit = runBlocking {
        val customers = Server.shared.client().customers()
        val made = coroutineScope {
            (1..100).map { i ->
                async(Dispatchers.Default) {
                    customers.create(CustomerCreate(externalId = "c$i", email = "c$i@example.com", name = "C $i"))
                }
            }.awaitAll()
        }
        assertEquals(100, made.map { it.id }.toSet().size)
        val page = customers.list(ListParams(limit = 100u))
        assertEquals(100L, page.total)
        assertEquals(made.map { it.id }.toSet(), page.data.map { it.id }.toSet())
        // And reads of all of them at once, on one thread.
        val read = coroutineScope { made.map { c -> async { customers.get(c.id).externalId } }.awaitAll() }
        assertEquals(made.map { it.externalId }, read)
    }

    @Test
    fun `concurrent mergeMetadata loses no key`(): Unit = runBlocking {
        val customers = Server.shared.client().customers()
        val c = customers.create(CustomerCreate(externalId = "m", email = "m@example.com"))
        coroutineScope {
            (1..10).map { i -> async(Dispatchers.Default) { customers.mergeMetadata(c.id, jsonObjectOf("k$i" to i)) } }.awaitAll()
        }
        assertEquals((1..10).map { "k$it" }.toSet(), customers.get(c.id).metadata.keys)
    }

    @Test
    fun `a cancelled call returns at once and the client stays usable`() {
        Canned(Reply(200, "{}", delayMs = 3000)).use { slow ->
            val client = slow.client()
            val start = System.nanoTime()
            assertThrows<TimeoutCancellationException> {
                runBlocking { withTimeout(200) { client.customers().get("cust_1") } }
            }
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "cancellation does not wait for the response")
        }
        val customers = Server.shared.client().customers()
        runBlocking { assertEquals(0L, customers.list().total) }
    }
}
