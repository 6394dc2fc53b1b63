// The shared vectors of tests/vectors, through the Kotlin API: the same
// results as every other language, since the core computes them.
package dev.novabilling

import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

class VectorsTest {
    private fun JsonObject.metadata(key: String): JsonObject? = this[key] as? JsonObject

    private fun JsonObject.u32(key: String): UInt? = (this[key] as? JsonPrimitive)?.longOrNull?.toUInt()

    private fun patch(input: JsonObject, key: String): StringPatch? = when (val v = input[key]) {
        null -> null
        is JsonNull -> StringPatch.Clear
        else -> StringPatch.Set(v.jsonPrimitive.content)
    }

    /** Runs one operation of the vectors with its wire-form input. */
    private suspend fun call(client: NovaBillingClient, op: String, input: JsonElement) {
        val c = client.customers()
        val o = input as? JsonObject ?: JsonObject(emptyMap())
        when (op) {
            "customer_create" -> c.create(
                CustomerCreate(
                    externalId = o.str("externalId")!!,
                    email = o.str("email")!!,
                    name = o.str("name"),
                    country = o.str("country"),
                    currency = o.str("currency"),
                    metadata = o.metadata("metadata"),
                    externalOrganizationId = o.str("externalOrganizationId"),
                ),
            )
            "customer_update" -> c.update(
                "cust_1",
                CustomerUpdate(
                    email = patch(o, "email"),
                    name = patch(o, "name"),
                    country = patch(o, "country"),
                    currency = patch(o, "currency"),
                    status = patch(o, "status"),
                    externalOrganizationId = patch(o, "externalOrganizationId"),
                    metadata = when (val m = o["metadata"]) {
                        null -> null
                        is JsonNull -> MetadataPatch.Clear
                        else -> MetadataPatch.Set(m.jsonObject)
                    },
                ),
            )
            "list_params" -> c.list(
                ListParams(
                    page = o.u32("page"), limit = o.u32("limit"), search = o.str("search"), country = o.str("country"),
                    currency = o.str("currency"), status = o.str("status"), sortBy = o.str("sortBy"), sortOrder = o.str("sortOrder"),
                ),
            )
            "page_params" -> c.listUnresolved(PageParams(page = o.u32("page"), limit = o.u32("limit")))
            "bind" -> c.bind("cust_1", o.str("externalId")!!)
            "customer_id" -> c.get(input.jsonPrimitive.content)
            "stripe_import" -> c.importStripeJson(input.toString())
            "invoice_create" -> client.invoices().create(
                InvoiceCreate(customerId = o.str("customerId")!!, amount = o["amount"]!!.jsonPrimitive.content,
                    currency = o.str("currency"), status = o.str("status")),
            )
            "subscription_create" -> client.subscriptions().create(
                SubscriptionCreate(customerId = o.str("customerId")!!, planId = o.str("planId")!!, status = o.str("status")),
            )
            else -> error("unknown op $op")
        }
    }

    @TestFactory
    fun validation(): List<DynamicTest> = loadVectors("validation.json").filter { "error" in it }.map { case ->
        dynamicTest(case.str("name")!!) {
            Canned(Reply.json(500, "{}")).use { server ->
                val e = assertThrows<NovaBillingException.Validation> {
                    runBlocking { call(server.client(), case.str("op")!!, case["input"]!!) }
                }
                val want = case["error"]!!.jsonArray.map { it.jsonObject.str("field") to it.jsonObject.str("code") }
                assertEquals(want, e.fieldErrors.map { it.field to it.code })
                assertEquals("ValidationError", e.className)
                assertTrue(server.seen.isEmpty(), "nothing is sent for invalid input")
            }
        }
    }

    private fun customerJson(c: Customer) = parseJsonElement(c.toJson())

    @TestFactory
    fun decoding(): List<DynamicTest> = loadVectors("decoding.json").map { case ->
        dynamicTest(case.str("name")!!) {
            Canned(Reply.json(200, case["body"].toString(), "x-request-id" to "req_vec")).use { server ->
                runBlocking {
                    val client = server.client()
                    val c = client.customers()
                    val pathId = case.str("pathId") ?: "cust_1"
                    val got: JsonElement = when (val type = case.str("type")) {
                        "customer" -> c.get(pathId).also { assertEquals("req_vec", it.requestId) }.let(::customerJson)
                        "customer_page" -> c.list().let { p ->
                            assertEquals("req_vec", p.requestId)
                            buildJsonObject {
                                put("data", JsonArray(p.data.map(::customerJson)))
                                put("meta", buildJsonObject {
                                    put("total", p.total); put("page", p.page); put("limit", p.limit); put("totalPages", p.totalPages)
                                })
                            }
                        }
                        "subscription_list" -> JsonObject(mapOf("data" to JsonArray(c.subscriptions(pathId).map { parseJsonElement(it.toJson()) })))
                        "invoice_list" -> JsonObject(mapOf("data" to JsonArray(c.invoices(pathId).map { parseJsonElement(it.toJson()) })))
                        "subscription" -> client.subscriptions().get(pathId).also { assertEquals("req_vec", it.requestId) }.let { parseJsonElement(it.toJson()) }
                        "invoice" -> client.invoices().get(pathId).also { assertEquals("req_vec", it.requestId) }.let { parseJsonElement(it.toJson()) }
                        "deleted" -> c.delete(pathId).let { d ->
                            assertEquals("req_vec", d.requestId)
                            buildJsonObject { put("id", d.id); put("deleted", d.deleted) }
                        }
                        "import_result" -> c.importStripe(emptyList()).let { r ->
                            assertEquals("req_vec", r.requestId)
                            buildJsonObject { put("created", r.created); put("skipped", r.skipped) }
                        }
                        else -> error("unknown type $type")
                    }
                    assertTrue(sameJson(case["expected"]!!, got), "expected ${case["expected"]}\n     got $got")
                }
            }
        }
    }

    @TestFactory
    fun errors(): List<DynamicTest> = loadVectors("errors.json").map { case ->
        dynamicTest(case.str("name")!!) {
            val headers = case["headers"]!!.jsonObject.mapValues { (_, v) -> v.jsonPrimitive.content }
            Canned(Reply(case["status"]!!.jsonPrimitive.int, case.str("body")!!, headers)).use { server ->
                val e = assertThrows<NovaBillingException> { runBlocking { server.client().customers().get("cust_1") } }
                val want = case["expected"]!!.jsonObject
                assertEquals(want.str("kind"), e.className)
                assertEquals(want.str("kind"), e::class.simpleName + "Error", "the variant is the class")
                assertTrue(e.isApiError)
                assertEquals(want["status"]!!.jsonPrimitive.int, e.status)
                assertEquals(want.str("code"), e.code)
                assertEquals(want.str("message"), e.detail)
                assertEquals(want.str("requestId"), e.requestId)
                val errors = e.fieldErrors.map { f ->
                    buildJsonObject {
                        put("field", f.field); put("message", f.message)
                        f.code?.let { put("code", it) }
                    }
                }
                assertTrue(sameJson(want["errors"]!!, JsonArray(errors)), "errors: $errors")
                assertEquals(want["retryAfterMs"]!!.jsonPrimitive.longOrNull, e.retryAfter?.toMillis())
                assertEquals(1, server.seen.size)
            }
        }
    }
}
