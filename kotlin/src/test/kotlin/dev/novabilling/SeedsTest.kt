// The customer guides in Kotlin: BillingOS's flows as idiomatic code, and the
// example (examples/SeedFlow.kt) run against the server.
package dev.novabilling

import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class SeedsTest {
    private val users = mapOf("alice@example.com" to "user_alice", "bob@example.com" to "user_bob")

    @Test
    fun `BillingOS flows`(): Unit = runBlocking {
        val client = Server.shared.client()
        val customers = client.customers()
        val customer = customers.create(
            CustomerCreate(
                externalId = "user_123",
                externalOrganizationId = "org_acme",
                email = "jane@example.com",
                name = "Jane Smith",
                metadata = jsonObjectOf("company" to "Acme Inc"),
            ),
        )
        assertEquals(customer.copy(requestId = null, etag = null), customers.get(customer.id).copy(requestId = null, etag = null))
        val found = customers.getByExternalId("user_123")
        assertEquals(customer.id, found.id)
        assertEquals("org_acme", found.externalOrganizationId)
        val updated = customers.update(customer.id, CustomerUpdate(name = Patch.set("Jane Doe"), metadata = Patch.set(mapOf("company" to "Acme Inc"))))
        assertEquals("Jane Doe", updated.name)

        val result = customers.importStripeJson(
            """[
              {"id": "cus_alice", "object": "customer", "email": "alice@example.com", "name": "Alice", "currency": "usd"},
              {"id": "cus_bob", "email": "bob@example.com", "address": {"country": "us", "city": "NYC"}},
              {"id": "cus_carol", "email": "carol@example.com"}
            ]""",
        )
        assertEquals(3L to 0L, result.created to result.skipped)

        // Binding shifts later pages, so read the list first.
        val unresolved = customers.listUnresolvedFlow(PageParams(limit = 2u)).toList()
        assertEquals(setOf("cus_alice", "cus_bob", "cus_carol"), unresolved.map { it.stripeCustomerId }.toSet())
        for (c in unresolved) {
            val email = c.email ?: continue
            val userId = users[email] ?: continue
            customers.bind(c.id, userId)
        }
        val left = customers.listUnresolved()
        assertEquals(listOf("carol@example.com"), left.data.map { it.email })
        assertEquals("US", customers.getByExternalId("user_bob").country)
        val e = assertThrows<NovaBillingException.Conflict> { customers.bind(left.data[0].id, "user_alice") }
        assertEquals("external_id_taken", e.code)

        customers.delete(customer.id)
        assertThrows<NovaBillingException.NotFound> { customers.getByExternalId("user_123") }
        Unit
    }

    @Test
    fun `the example runs the guides' flows`() {
        val key = Server.shared.newKey()
        // The example reads the environment; the JVM cannot set it, so this runs it in a child JVM.
        val java = ProcessHandle.current().info().command().orElse("java")
        val pb = ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"),
            "-Djna.library.path=" + System.getProperty("jna.library.path"),
            "dev.novabilling.examples.SeedFlowKt",
        ).redirectErrorStream(true)
        pb.environment()["NOVABILLING_API_KEY"] = key
        pb.environment()["NOVABILLING_BASE_URL"] = Server.shared.url
        val proc = pb.start()
        val out = proc.inputStream.bufferedReader().readText()
        assertEquals(0, proc.waitFor(), out)
        for (line in listOf(
            "Customer created: cust_", "Updated: Nakato Sarah Williams", "Showing 1 of 1 customers",
            "Nakato Sarah Williams - sarah@kampaltech.ug", "Duplicate refused: email_taken", "(org_acme)",
            "Stripe import: 2 created, 0 skipped", "to user_alice", "to user_bob", "Customer deleted",
        )) {
            assertTrue(out.contains(line), "missing \"$line\" in:\n$out")
        }
    }
}
