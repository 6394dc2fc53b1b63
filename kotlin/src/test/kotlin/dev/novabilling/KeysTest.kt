// Keys through the SDK against the real server: a backend (JVM, holding the
// secret key) mints an ephemeral key; the app's client uses it; a secret key
// is refused unless the caller says it is a server.
package dev.novabilling

import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class KeysTest {
    private val server = Server.shared

    @Test
    fun `an app refuses a secret key unless allowSecretKey`() {
        val key = server.newKey()
        val e = assertThrows<NovaBillingException.Validation> { NovaBillingClient(token = key, baseUrl = server.url) }
        assertEquals("secret_key_in_app", e.code)
        assertTrue(e.detail.contains("ephemeral"), e.detail)
        NovaBillingClient(token = key, baseUrl = server.url, allowSecretKey = true).close()
    }

    @Test
    fun `a backend mints an ephemeral key and the app uses it for its customer only`(): Unit = runBlocking {
        val backend = server.client()
        val c = backend.customers().create(CustomerCreate(externalId = "usr_app", email = "app@example.com"))
        val other = backend.customers().create(CustomerCreate(externalId = "usr_other", email = "other@example.com"))
        val eph = backend.keys().createEphemeralForExternalId("usr_app", Duration.ofMinutes(10))
        assertEquals(c.id, eph.customerId)
        assertEquals(Duration.ofMinutes(10), Duration.between(eph.createdAt, eph.expiresAt))
        val app = NovaBillingClient(token = eph.secret!!, baseUrl = server.url, maxRetries = 0)
        assertEquals("app@example.com", app.customers().get(c.id).email)
        assertEquals("Nakato", app.customers().update(c.id, CustomerUpdate(name = Patch.set("Nakato"))).name)
        val denied = assertThrows<NovaBillingException.PermissionDenied> {
            runBlocking { app.customers().delete(c.id) }
        }
        assertEquals("customers:delete", denied.requiredScope)
        assertThrows<NovaBillingException.NotFound> { runBlocking { app.customers().get(other.id) } }
        backend.keys().revokeEphemeral(eph.id)
        val gone = assertThrows<NovaBillingException.Authentication> { runBlocking { app.customers().get(c.id) } }
        assertEquals("revoked_api_key", gone.code)
    }

    @Test
    fun `a restricted key holds only its scopes`(): Unit = runBlocking {
        val admin = server.client()
        val made = admin.keys().create(KeyCreate(scopes = listOf("customers:read"), name = "reader"))
        assertEquals(listOf("customers:read"), made.scopes)
        val reader = NovaBillingClient(token = made.secret!!, baseUrl = server.url, maxRetries = 0)
        assertEquals(0L, reader.customers().list().total)
        val e = assertThrows<NovaBillingException.PermissionDenied> {
            runBlocking { reader.customers().create(CustomerCreate(externalId = "u1", email = "u1@example.com")) }
        }
        assertEquals("insufficient_scope", e.code)
        assertEquals("customers:write", e.requiredScope)
        assertNotNull(admin.keys().list().find { it.id == made.id })
        assertNotNull(admin.keys().revoke(made.id).revokedAt)
    }
}
