// Every method of the client against the real server.
package dev.novabilling

import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class CustomersTest {
    private val server = Server.shared
    private val client = server.client()
    private val customers = client.customers()

    private suspend fun make(n: Int, vararg extra: Pair<String, String>): Customer {
        val e = extra.toMap()
        return customers.create(
            CustomerCreate(
                externalId = "usr_$n",
                email = "user$n@example.com",
                name = e["name"] ?: "User $n",
                country = e["country"],
                currency = e["currency"],
            ),
        )
    }

    @Test
    fun `create returns the stored customer, normalized`(): Unit = runBlocking {
        val before = Instant.now().minusSeconds(5)
        val c = customers.create(
            CustomerCreate(
                externalId = "usr_98765",
                email = "sarah@kampaltech.ug",
                name = "Nakato Sarah",
                country = "ug",
                currency = "ugx",
                metadata = jsonObjectOf("userId" to "usr_98765", "seats" to 5, "tags" to listOf("a", true, null)),
                externalOrganizationId = "org_1",
            ),
        )
        assertTrue(c.id.startsWith("cust_"))
        assertEquals("usr_98765", c.externalId)
        assertEquals("org_1", c.externalOrganizationId)
        assertEquals("UG", c.country)
        assertEquals("UGX", c.currency)
        assertEquals("active", c.status)
        assertEquals(BigDecimal.ZERO, c.totalSpentDecimal)
        assertEquals(0L, c.activeSubscriptions)
        assertEquals(jsonObjectOf("userId" to "usr_98765", "seats" to 5, "tags" to listOf("a", true, null)), c.metadata)
        assertEquals("usr_98765", c.metadata["userId"]?.jsonPrimitive?.content)
        assertTrue(c.toString().contains(""""userId":"usr_98765""""), c.toString())
        assertNull(c.stripeCustomerId)
        assertTrue(c.createdAt.isAfter(before))
        assertNotNull(c.requestId)
        assertNotNull(c.etag)
        assertEquals(c.copy(requestId = null, etag = null), customers.get(c.id).copy(requestId = null, etag = null))
    }

    @Test
    fun `get and getByExternalId`(): Unit = runBlocking {
        val c = make(1)
        assertEquals(c.id, customers.get(c.id).id)
        assertEquals(c.id, customers.getByExternalId("usr_1").id)
        val e = assertThrows<NovaBillingException.NotFound> { customers.getByExternalId("usr_nobody") }
        assertEquals(404, e.status)
        assertEquals("not_found", e.code)
        assertNotNull(e.requestId)
    }

    @Test
    fun `update keeps absent fields, clears nulls, sets values`(): Unit = runBlocking {
        val c = customers.create(
            CustomerCreate(externalId = "u", email = "u@example.com", name = "Jane", country = "US", currency = "USD",
                metadata = jsonObjectOf("a" to 1), externalOrganizationId = "org"),
        )
        val u = customers.update(c.id, CustomerUpdate(name = Patch.set("Jane Doe"), country = Patch.clear))
        assertEquals("Jane Doe", u.name)
        assertNull(u.country)
        assertEquals("USD", u.currency, "absent: untouched")
        assertEquals("org", u.externalOrganizationId)
        assertEquals(jsonObjectOf("a" to 1), u.metadata)

        val v = customers.update(
            c.id,
            CustomerUpdate(
                metadata = MetadataPatch.Set(jsonObjectOf("b" to "x")),
                status = StringPatch.Set("inactive"),
                externalOrganizationId = StringPatch.Clear,
                currency = StringPatch.Keep,
                email = Patch.set("jane@example.com"),
            ),
        )
        assertEquals(jsonObjectOf("b" to "x"), v.metadata, "metadata is replaced whole")
        assertEquals("inactive", v.status)
        assertNull(v.externalOrganizationId)
        assertEquals("USD", v.currency)
        assertEquals("jane@example.com", v.email)

        val w = customers.update(c.id, CustomerUpdate(metadata = Patch.clearMetadata))
        assertEquals(JsonObject(emptyMap()), w.metadata)
        assertEquals(w.copy(requestId = null, etag = null, updatedAt = v.updatedAt), customers.update(c.id, CustomerUpdate()).copy(requestId = null, etag = null, updatedAt = v.updatedAt))
    }

    @Test
    fun `update with a stale ETag is PreconditionFailed`(): Unit = runBlocking {
        val c = make(2)
        customers.update(c.id, CustomerUpdate(name = Patch.set("x")), RequestOptions(ifMatch = c.etag))
        val e = assertThrows<NovaBillingException.PreconditionFailed> {
            customers.update(c.id, CustomerUpdate(name = Patch.set("y")), RequestOptions(ifMatch = c.etag))
        }
        assertEquals(412, e.status)
        assertEquals("PreconditionFailedError", e.className)
    }

    @Test
    fun `list filters, sorts and pages`(): Unit = runBlocking {
        for (i in 1..5) make(i, "country" to if (i % 2 == 0) "UG" else "US")
        val page = customers.list(ListParams(limit = 2u, sortBy = "name", sortOrder = "asc"))
        assertEquals(5L, page.total)
        assertEquals(3L, page.totalPages)
        assertEquals(listOf("User 1", "User 2"), page.data.map { it.name })
        assertTrue(page.hasMore && page.nextCursor != null)
        val second = customers.nextPage(page)!!
        assertEquals(listOf("User 3", "User 4"), second.data.map { it.name })
        val last = customers.list(ListParams(page = 3u, limit = 2u, sortBy = "name", sortOrder = "asc"))
        assertNull(last.nextCursor)
        assertNull(customers.nextPage(last))

        val ug = customers.list(ListParams(country = "ug"))
        assertEquals(setOf("usr_2", "usr_4"), ug.data.map { it.externalId }.toSet())
        assertEquals(listOf("usr_3"), customers.list(ListParams(search = "USER3")).data.map { it.externalId })

        val all = customers.listAllFlow(ListParams(limit = 2u, sortBy = "email", sortOrder = "desc")).map { it.externalId }.toList()
        assertEquals(listOf("usr_5", "usr_4", "usr_3", "usr_2", "usr_1"), all)
        assertEquals(0, customers.list(ListParams(status = "inactive")).data.size)
    }

    @Test
    fun `delete cancels subscriptions and voids unpaid invoices`(): Unit = runBlocking {
        val c = make(3, "currency" to "USD")
        val subs = client.subscriptions()
        val invoices = client.invoices()
        val sub = subs.create(SubscriptionCreate(customerId = c.id, planId = "pro"))
        val trial = subs.create(SubscriptionCreate(customerId = c.id, planId = "team", status = "trialing"))
        assertEquals("active", sub.status)
        assertEquals("trialing", subs.get(trial.id).status)
        val paid = invoices.create(InvoiceCreate(customerId = c.id, amount = BigDecimal("1500.50")))
        assertEquals("open", paid.status)
        assertEquals("USD", paid.currency)
        assertEquals(BigDecimal("1500.5"), invoices.pay(paid.id).amountDecimal)
        val open = invoices.create(InvoiceCreate(customerId = c.id, amount = "20"))
        val draft = invoices.create(InvoiceCreate(customerId = c.id, amount = "0.25", status = "draft"))
        val voided = invoices.create(InvoiceCreate(customerId = c.id, amount = "5"))
        assertEquals("void", invoices.void(voided.id).status)
        assertNotNull(invoices.get(voided.id).voidedAt)
        assertThrows<NovaBillingException.Conflict> { invoices.pay(voided.id) }
        assertThrows<NovaBillingException.Conflict> { invoices.void(paid.id) }

        val now = customers.get(c.id)
        assertEquals(BigDecimal("1500.5"), now.totalSpentDecimal)
        assertEquals(2L, now.activeSubscriptions)
        assertEquals(setOf(sub.id, trial.id), customers.subscriptions(c.id).map { it.id }.toSet())
        assertEquals(4, customers.invoices(c.id).size)

        val canceled = subs.cancel(sub.id)
        assertEquals("canceled", canceled.status)
        assertNotNull(canceled.canceledAt)
        assertEquals("canceled", subs.cancel(sub.id).status, "cancel is idempotent")
        assertEquals(1L, customers.get(c.id).activeSubscriptions)

        val d = customers.delete(c.id)
        assertEquals(Deleted(id = c.id, deleted = true, requestId = d.requestId), d)
        assertThrows<NovaBillingException.NotFound> { customers.get(c.id) }
        assertThrows<NovaBillingException.NotFound> { customers.getByExternalId("usr_3") }
        assertEquals("canceled", subs.get(trial.id).status)
        assertEquals("void", invoices.get(open.id).status)
        assertEquals("void", invoices.get(draft.id).status)
        assertEquals("paid", invoices.get(paid.id).status)
        // The email and externalId are free again.
        make(3)
        Unit
    }

    @Test
    fun `import, list unresolved, bind`(): Unit = runBlocking {
        val r = customers.importStripe(
            listOf(
                StripeCustomer(id = "cus_a", email = "a@example.com", name = "A", currency = "usd", metadata = jsonObjectOf("k" to "v")),
                StripeCustomer(id = "cus_b", email = "b@example.com", address = StripeAddress(country = "us")),
            ),
        )
        assertEquals(2L to 0L, r.created to r.skipped)
        val again = customers.importStripeJson("""[{"id": "cus_a", "object": "customer", "email": "a@example.com", "livemode": false}, {"id": "cus_c"}]""")
        assertEquals(1L to 1L, again.created to again.skipped)

        val page = customers.listUnresolved(PageParams(limit = 2u))
        assertEquals(3L, page.total)
        val all = customers.listUnresolvedFlow(PageParams(limit = 1u)).toList()
        assertEquals(setOf("cus_a", "cus_b", "cus_c"), all.map { it.stripeCustomerId }.toSet())
        val b = all.single { it.stripeCustomerId == "cus_b" }
        assertNull(b.externalId)
        assertEquals("US", b.country)

        val bound = customers.bind(b.id, "user_b")
        assertEquals("user_b", bound.externalId)
        assertEquals(2L, customers.listUnresolved().total)
        val e = assertThrows<NovaBillingException.Conflict> { customers.bind(b.id, "user_other") }
        assertEquals("already_bound", e.code)
    }

    @Test
    fun `mergeMetadata sets and unsets keys`(): Unit = runBlocking {
        val c = customers.create(CustomerCreate(externalId = "m", email = "m@example.com", metadata = jsonObjectOf("keep" to 1, "drop" to 2)))
        val m = customers.mergeMetadata(c.id, jsonObjectOf("add" to "x", "nested" to mapOf("a" to listOf(1.5))), listOf("drop"))
        assertEquals(jsonObjectOf("keep" to 1, "add" to "x", "nested" to mapOf("a" to listOf(1.5))), m.metadata)
    }

    @Test
    fun `client settings and per-call options`(): Unit = runBlocking {
        val c = NovaBillingClient(allowSecretKey = true, apiKey = server.key, baseUrl = server.url + "/api/", timeout = Duration.ofSeconds(5), maxRetries = 0)
        assertEquals(server.url, c.baseUrl())
        assertEquals(Duration.ofSeconds(5), c.timeout())
        assertEquals(0u, c.maxRetries())
        val fresh = NovaBillingClient(allowSecretKey = true, token = server.key, baseUrl = server.url)
        assertEquals(2u, fresh.maxRetries())
        assertEquals(Duration.ofSeconds(60), fresh.timeout())
        // An idempotency key replays the stored response: one customer, not two.
        val opts = RequestOptions(idempotencyKey = "create-once-${System.nanoTime()}", headers = mapOf("x-trace" to "t1"), timeout = Duration.ofSeconds(10))
        val k = client.customers()
        val a = k.create(CustomerCreate(externalId = "idem", email = "idem@example.com"), opts)
        val b = k.create(CustomerCreate(externalId = "idem", email = "idem@example.com"), opts)
        assertEquals(a.id, b.id)
        assertEquals(1L, k.list(ListParams(search = "idem")).total)
        assertFalse(a.id.isEmpty())
    }

    @Test
    fun `a missing key is a ValidationError at construction`() {
        assumeTrue(System.getenv("NOVABILLING_API_KEY") == null, "NOVABILLING_API_KEY is set, so a key is never missing")
        val e = assertThrows<NovaBillingException.Validation> { NovaBillingClient(allowSecretKey = true, baseUrl = server.url) }
        assertEquals(listOf("token" to "required"), e.fieldErrors.map { it.field to it.code })
        assertNull(e.status)
        val bad = assertThrows<NovaBillingException.Validation> { NovaBillingClient(allowSecretKey = true, token = "sk_test_x", baseUrl = "ftp://x") }
        assertEquals("base_url", bad.fieldErrors.single().field)
    }
}
