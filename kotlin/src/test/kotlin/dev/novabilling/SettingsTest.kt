// Client settings and per-call options (tests/vectors/config.json and
// options.json), checked by core; and pages that continue on their own route.
package dev.novabilling

import com.sun.jna.Library
import com.sun.jna.Native
import java.time.Duration
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/** The C library's environment, which the core reads (the JVM's own view of it is read-only). */
private interface LibC : Library {
    fun setenv(name: String, value: String, overwrite: Int): Int
    fun unsetenv(name: String): Int
}

class SettingsTest {
    private val libc = Native.load("c", LibC::class.java)
    private val envNames = listOf("NOVABILLING_API_KEY", "NOVABILLING_BASE_URL")

    private fun seconds(o: JsonObject, key: String): Duration? =
        (o[key] as? JsonPrimitive)?.double?.let { Duration.ofNanos(Math.round(it * 1e9)) }

    private fun headers(o: JsonObject, key: String): Map<String, String>? =
        o[key]?.jsonObject?.mapValues { (_, v) -> v.jsonPrimitive.content }

    private fun codes(e: NovaBillingException) = e.fieldErrors.map { buildJsonObject { put("field", it.field); put("code", it.code) } }

    @TestFactory
    fun config(): List<DynamicTest> = loadVectors("config.json").map { case ->
        dynamicTest(case["name"]!!.jsonPrimitive.content) {
            val saved = envNames.associateWith { System.getenv(it) }
            try {
                envNames.forEach { libc.unsetenv(it) }
                case["env"]!!.jsonObject.forEach { (k, v) -> libc.setenv(k, v.jsonPrimitive.content, 1) }
                val c = case["config"]!!.jsonObject
                val make = {
                    NovaBillingClient(
                        token = c.str("token"),
                        apiKey = c.str("apiKey"),
                        baseUrl = c.str("baseUrl"),
                        timeout = seconds(c, "timeout"),
                        connectTimeout = seconds(c, "connectTimeout"),
                        maxRetries = (c["maxRetries"] as? JsonPrimitive)?.long,
                        defaultHeaders = headers(c, "defaultHeaders"),
                        caCertificates = c.str("caCertificates"),
                        // The vectors' keys are secret; a JVM server accepts them when it says so.
                        allowSecretKey = true,
                    )
                }
                val error = case["error"]
                if (error != null) {
                    val e = assertThrows<NovaBillingException.Validation> { make() }
                    assertEquals(error.jsonArray.toList(), codes(e))
                } else {
                    val client = make()
                    val ok = case["ok"]!!.jsonObject
                    assertEquals(ok["baseUrl"]!!.jsonPrimitive.content, client.baseUrl())
                    assertEquals(ok["maxRetries"]!!.jsonPrimitive.long, client.maxRetries().toLong())
                }
            } finally {
                saved.forEach { (k, v) -> if (v == null) libc.unsetenv(k) else libc.setenv(k, v, 1) }
            }
        }
    }

    @TestFactory
    fun options(): List<DynamicTest> {
        val client = NovaBillingClient(allowSecretKey = true, token = "sk_test_vectors", baseUrl = "http://127.0.0.1:9", maxRetries = 0, connectTimeout = Duration.ofMillis(200))
        return loadVectors("options.json").map { case ->
            dynamicTest(case["name"]!!.jsonPrimitive.content) {
                val o = case["options"]!!.jsonObject
                val opts = RequestOptions(
                    timeout = seconds(o, "timeout"),
                    maxRetries = (o["maxRetries"] as? JsonPrimitive)?.long,
                    idempotencyKey = o.str("idempotencyKey"),
                    ifMatch = o.str("ifMatch"),
                    headers = headers(o, "headers") ?: emptyMap(),
                )
                val e = assertThrows<NovaBillingException.Validation> { runBlocking { client.customers().delete("cust_1", opts) } }
                assertEquals(case["error"]!!.jsonArray.toList(), codes(e))
            }
        }
    }

    @Test
    fun `a page of unresolved customers continues on its route`(): Unit = runBlocking {
        val customers = Server.shared.client().customers()
        customers.importStripeJson((0 until 5).joinToString(",", "[", "]") { """{"id":"cus_cursor_$it","email":"cursor_$it@example.com"}""" })
        for (i in 0 until 3) customers.create(CustomerCreate(externalId = "bound_$i", email = "bound_$i@example.com"))
        val first = customers.listUnresolved(PageParams(limit = 2u))
        assertEquals(5L, first.total)
        val cursor = first.nextCursor!!
        val seen = first.data.map { it.id }.toMutableList()
        var page = customers.nextPage(first)
        while (page != null) {
            assertTrue(page.data.all { it.externalId == null }, "the next page stayed on /unresolved")
            seen += page.data.map { it.id }
            page = customers.nextPage(page)
        }
        assertEquals(5, seen.toSet().size)
        assertEquals(seen.subList(2, 4), customers.page(cursor).data.map { it.id })
        val bad = assertThrows<NovaBillingException.Validation> { runBlocking { customers.page("not a cursor") } }
        assertEquals("cursor", bad.fieldErrors.single().field)
    }
}
