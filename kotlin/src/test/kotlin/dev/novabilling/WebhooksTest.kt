// Webhook verification through the Kotlin API: the shared vectors
// (tests/vectors/webhooks.json), the header forms JVM servers hand over, and
// the signing helper's round trip.
package dev.novabilling

import java.io.File
import java.time.Duration
import java.time.Instant
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

class WebhooksTest {
    private val vectors = Json.parseToJsonElement(File(VECTORS, "webhooks.json").readText()).jsonObject

    private fun JsonObject.strings(key: String) = this[key]!!.jsonArray.map { it.jsonPrimitive.content }
    private fun JsonObject.headers() = this["headers"]!!.jsonObject.mapValues { it.value.jsonPrimitive.content }

    @TestFactory
    fun `signatures match the vectors`() = vectors["sign"]!!.jsonArray.map { it.jsonObject }.map { c ->
        DynamicTest.dynamicTest(c.str("name")!!) {
            val h = Webhooks.sign(c.str("body")!!, c.str("secret")!!, c.str("id"), c["timestamp"]!!.jsonPrimitive.long)
            assertEquals(c.str("signature"), h["webhook-signature"])
            assertEquals(c.str("id"), h["webhook-id"])
        }
    }

    @TestFactory
    fun `verification matches the vectors`() = vectors["verify"]!!.jsonArray.map { it.jsonObject }.map { c ->
        DynamicTest.dynamicTest(c.str("name")!!) {
            val tolerance = Duration.ofSeconds(c["tolerance"]!!.jsonPrimitive.long)
            val run = { Webhooks.verify(c.str("body")!!.toByteArray(), c.headers(), c.strings("secrets"), tolerance) }
            val error = c["error"] as? JsonObject
            if (error != null) {
                val e = assertThrows<NovaBillingException.WebhookVerification> { run() }
                assertEquals(error.str("code"), e.code)
                assertTrue(e.detail.contains(error.str("contains")!!), e.detail)
                assertEquals("WebhookVerificationError", e.className)
                return@dynamicTest
            }
            val event = run()
            val want = c["expect"]!!.jsonObject
            assertEquals(want.str("id"), event.id)
            assertEquals(want.str("type"), event.type)
            assertEquals(Instant.parse(want.str("timestamp")), event.timestamp)
            assertEquals(want.str("sequence")?.toLong(), event.sequence)
            assertEquals((want["changed_fields"] as? JsonArray)?.map { it.jsonPrimitive.content }, event.changedFields)
            assertEquals(want.str("customer_id"), event.customer?.id)
            val imported = want["imported"].takeUnless { it is JsonNull }?.jsonObject
            assertEquals(imported?.str("created")?.toLong(), event.imported?.created)
            assertEquals(want.strings("data_keys"), event.data.keys.sorted())
        }
    }

    @Test
    fun `header maps as JVM servers hand them over, and text bodies`() {
        val c = vectors["verify"]!!.jsonArray[0].jsonObject
        val tolerance = Duration.ofSeconds(c["tolerance"]!!.jsonPrimitive.long)
        val multi: Map<String, List<String>> = c.headers().mapValues { listOf(it.value) } // com.sun.net.httpserver.Headers
        val secret = c.strings("secrets")[0]
        assertEquals("evt_1", Webhooks.verify(c.str("body")!!, multi, secret, tolerance).id)
        assertEquals("sarah@kampaltech.ug", Webhooks.verify(c.str("body")!!.toByteArray(), c.headers(), secret, tolerance).customer?.email)
        assertThrows<NovaBillingException.Validation> { Webhooks.verify(c.str("body")!!, c.headers(), secret, Duration.ofSeconds(-1)) }
    }

    @Test
    fun `sign makes headers that verify now`() {
        val secret = vectors["sign"]!!.jsonArray[1].jsonObject.str("secret")!!
        val body = """{"id":"evt_9","type":"customer.deleted","timestamp":"2026-12-04T08:00:00.000Z","data":{"sequence":4}}"""
        val event = Webhooks.verify(body, Webhooks.sign(body, secret), secret)
        assertEquals(listOf<Any?>("customer.deleted", 4L, null), listOf(event.type, event.sequence, event.customer))
        val e = assertThrows<NovaBillingException.WebhookVerification> { Webhooks.sign(body, "sk_test_abc") }
        assertTrue(e.detail.contains("API key"), e.detail)
    }
}
