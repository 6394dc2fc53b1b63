// The customer guides' flows in Kotlin, against a running server:
//   NOVABILLING_API_KEY=sk_test_... NOVABILLING_BASE_URL=http://localhost:3000 \
//     java -cp "$(cat kotlin/target/classpath.txt):kotlin/target/classes:kotlin/target/test-classes" \
//       -Djna.library.path=target/x86_64-unknown-linux-gnu/debug dev.novabilling.examples.SeedFlowKt
package dev.novabilling.examples

import dev.novabilling.CustomerCreate
import dev.novabilling.CustomerUpdate
import dev.novabilling.ListParams
import dev.novabilling.NovaBillingClient
import dev.novabilling.NovaBillingException
import dev.novabilling.Patch
import dev.novabilling.StripeAddress
import dev.novabilling.StripeCustomer
import dev.novabilling.code
import dev.novabilling.jsonObjectOf
import dev.novabilling.listUnresolvedFlow
import dev.novabilling.requestId
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking

// Your application's users, by email (the BillingOS migration guide's `db.users`).
val USERS = mapOf("alice@example.com" to "user_alice", "bob@example.com" to "user_bob")

fun main(): Unit = runBlocking {
    // A JVM service holds the tenant's secret key, so it says so; an app would use an ephemeral key.
    NovaBillingClient(allowSecretKey = true).use { client -> // token from NOVABILLING_API_KEY, base URL from NOVABILLING_BASE_URL
        val customers = client.customers()

        // A rerun after an interrupted one finds its customers still there: start clean.
        for (externalId in listOf("usr_98765", "user_123")) {
            try {
                customers.delete(customers.getByExternalId(externalId).id)
            } catch (_: NovaBillingException.NotFound) {
            }
        }

        // NovaBilling: create, update, list, search, get, delete.
        val customer = customers.create(
            CustomerCreate(
                externalId = "usr_98765",
                email = "sarah@kampaltech.ug",
                name = "Nakato Sarah",
                country = "UG",
                currency = "UGX",
                metadata = jsonObjectOf("user_id" to "usr_98765", "account_type" to "business"),
            ),
        )
        println("Customer created: ${customer.id}")

        val updated = customers.update(
            customer.id,
            CustomerUpdate(
                name = Patch.set("Nakato Sarah Williams"),
                metadata = Patch.set(mapOf("user_id" to "usr_98765", "account_type" to "enterprise", "upgrade_date" to "2025-03-01")),
            ),
        )
        println("Updated: ${updated.name}")

        val page = customers.list(ListParams(page = 1u, limit = 20u))
        println("Showing ${page.data.size} of ${page.total} customers")
        for (c in customers.list(ListParams(search = "sarah", page = 1u, limit = 20u)).data) {
            println("${c.name} - ${c.email}")
        }
        println(customers.get(customer.id))

        try {
            customers.create(CustomerCreate(externalId = "usr_other", email = "SARAH@kampaltech.ug"))
        } catch (e: NovaBillingException.Conflict) {
            println("Duplicate refused: ${e.code} (request ${e.requestId})")
        }

        // BillingOS: a B2B customer keyed by your user and organization ids.
        val jane = customers.create(
            CustomerCreate(
                externalId = "user_123",
                externalOrganizationId = "org_acme",
                email = "jane@example.com",
                name = "Jane Smith",
                metadata = jsonObjectOf("company" to "Acme Inc"),
            ),
        )
        val found = customers.getByExternalId("user_123")
        println("Found by external id: ${found.id} (${found.externalOrganizationId})")

        // Migrating from Stripe: import, then bind each unresolved customer to your user.
        val result = customers.importStripe(
            listOf(
                StripeCustomer(id = "cus_kt_alice", email = "alice@example.com", name = "Alice", currency = "usd"),
                StripeCustomer(id = "cus_kt_bob", email = "bob@example.com", name = "Bob", address = StripeAddress(country = "us")),
            ),
        )
        println("Stripe import: ${result.created} created, ${result.skipped} skipped")
        // Binding shifts later pages: read every unresolved customer first.
        for (c in customers.listUnresolvedFlow().toList()) {
            val userId = USERS[c.email ?: continue] ?: continue
            try {
                customers.bind(c.id, userId)
                println("Bound ${c.id} to $userId")
            } catch (e: NovaBillingException.Conflict) {
                println("Already bound: $userId")
            }
        }

        customers.delete(customer.id)
        println("Customer deleted")
        customers.delete(jane.id)
    }
}
