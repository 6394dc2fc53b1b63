// Events read back through the SDK from the real server: the same
// WebhookEvent record a verified delivery gives, newest first, filtered, and
// the checks core makes before any request.
package dev.novabilling

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class EventsTest {
    private val server = Server.shared

    @Test
    fun `events list and get read back what deliveries send`(): Unit = runBlocking {
        val client = server.client()
        val c = client.customers().create(CustomerCreate(externalId = "ev1", email = "ev1@example.com"))
        client.customers().update(c.id, CustomerUpdate(name = Patch.set("Renamed")))
        val page = client.events().list(EventListParams(customerId = c.id))
        assertEquals(listOf("customer.updated", "customer.created"), page.data.map { it.type })
        assertEquals(listOf(2L, 1L, 1L), listOf(page.total, page.page, page.totalPages))
        assertEquals(false, page.hasMore)
        assertNotNull(page.requestId)
        val updated = page.data[0]
        assertEquals("Renamed", updated.customer?.name)
        assertEquals(listOf("name"), updated.changedFields)
        assertEquals(updated, client.events().get(updated.id))
        val created = client.events().list(EventListParams(type = "customer.created", limit = 1u))
        assertEquals(listOf(c.id), created.data.map { it.customer?.id })
    }

    @Test
    fun `events are checked before any request`(): Unit = runBlocking {
        val client = server.client()
        val e = assertThrows<NovaBillingException.Validation> {
            runBlocking { client.events().list(EventListParams(type = "Customer Created", limit = 0u)) }
        }
        assertEquals(listOf("limit", "type"), e.fieldErrors.map { it.field }.sorted())
        assertThrows<NovaBillingException.NotFound> { runBlocking { client.events().get("evt_missing") } }
    }
}
