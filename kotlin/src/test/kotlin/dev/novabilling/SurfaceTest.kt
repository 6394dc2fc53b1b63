// The Kotlin surface against core's description of it (tests/surface.json),
// by reflection on the generated and hand-written classes. A miss says what
// to add, and where.
package dev.novabilling

import java.io.File
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class SurfaceTest {
    private val surface = Json.parseToJsonElement(File(REPO, "tests/surface.json").readText()).jsonObject

    private fun JsonObject.name() = this["name"]!!.jsonPrimitive.content
    private fun list(o: JsonObject, key: String) = o[key]!!.jsonArray.map { it.jsonObject }
    private fun camel(s: String) = s.split('_').mapIndexed { i, p -> if (i == 0) p else p.replaceFirstChar(Char::uppercase) }.joinToString("")
    private fun kotlinClass(name: String): Class<*>? = runCatching { Class.forName("dev.novabilling.$name") }.getOrNull()

    // Kotlin's names for two of core's: the FFI's field names of every error.
    private val errorField = mapOf("message" to "detail", "errors" to "fieldErrors")

    /** Instance fields of a record or data class. */
    private fun fields(c: Class<*>) = c.declaredFields.filter { !Modifier.isStatic(it.modifiers) }.map { it.name }.toSet()

    /** Parameter names of a (suspend) method, without the continuation. */
    private fun params(m: Method) = m.parameters.map { it.name }.filter { !it.startsWith("$") }

    @Test
    fun `every resource method with its parameters and options`() {
        val problems = mutableListOf<String>()
        for (r in list(surface, "resources")) {
            val cls = kotlinClass(r.name().replaceFirstChar(Char::uppercase))!!
            for (m in list(r, "methods")) {
                val name = camel(m.name())
                val method = cls.methods.firstOrNull { it.name == name && !it.isSynthetic }
                val want = list(m, "params").map { camel(it.name()) } + "options"
                when {
                    method == null -> problems += "${cls.simpleName}.$name() is missing (bindings/uniffi/src/lib.rs)"
                    params(method) != want -> problems += "${cls.simpleName}.$name${params(method)} should take $want"
                }
            }
        }
        val options = fields(RequestOptions::class.java)
        for (o in list(surface, "request_options")) {
            if (camel(o.name()) !in options) problems += "RequestOptions.${camel(o.name())} is missing (bindings/uniffi/src/inputs.rs)"
        }
        assertEquals(emptyList<String>(), problems)
    }

    @Test
    fun `every model field`() {
        val problems = mutableListOf<String>()
        for (model in list(surface, "models")) {
            val cls = kotlinClass(model.name())
            if (cls == null) {
                problems += "record ${model.name()} is missing (bindings/uniffi/src/inputs.rs or results.rs)"
                continue
            }
            val got = fields(cls)
            for (f in list(model, "fields")) {
                if (camel(f.name()) !in got) problems += "${model.name()}.${camel(f.name())} is missing: add it to the record in bindings/uniffi/src/inputs.rs or results.rs"
            }
        }
        assertEquals(emptyList<String>(), problems)
    }

    @Test
    fun `every error class with its parent and fields`() {
        val problems = mutableListOf<String>()
        for (e in list(surface, "errors")) {
            val name = e.name()
            if (name == "NovaBillingError") {
                if (kotlinClass("NovaBillingException") == null) problems += "NovaBillingException is missing"
                continue
            }
            val variant = kotlinClass("NovaBillingException\$${name.removeSuffix("Error")}")
            if (variant == null) {
                problems += "NovaBillingException.${name.removeSuffix("Error")} is missing (bindings/uniffi/src/error.rs)"
                continue
            }
            val got = fields(variant)
            for (f in list(e, "fields")) {
                val field = errorField[f.name()] ?: camel(f.name())
                if (field !in got) problems += "NovaBillingException.${variant.simpleName}.$field is missing (bindings/uniffi/src/error.rs)"
            }
            val ctor = variant.constructors.maxBy { it.parameterCount }
            val instance = ctor.newInstance("x", null, null, emptyList<FieldError>(), *arrayOfNulls<Any>(ctor.parameterCount - 4)) as NovaBillingException
            if (instance.className != name) problems += "${variant.simpleName} says it is ${instance.className}"
            if (instance.parentClassName != e["parent"]!!.jsonPrimitive.content) {
                problems += "${variant.simpleName} derives from ${instance.parentClassName}, not ${e["parent"]}"
            }
        }
        assertEquals(emptyList<String>(), problems)
    }

    @Test
    fun `every client setting`() {
        // The constructor callers use; Kotlin adds a synthetic one for the default arguments.
        val ctor = NovaBillingClient::class.java.constructors
            .filter { c -> c.parameterTypes.none { it.name == "kotlin.jvm.internal.DefaultConstructorMarker" } }
            .maxBy { it.parameterCount }
        val got = ctor.parameters.map { it.name }.toSet()
        val missing = list(surface, "client_options").map { camel(it.name()) }.filter { it !in got }
        assertEquals(emptyList<String>(), missing, "NovaBillingClient's constructor (bindings/uniffi/src/lib.rs) lacks these")
    }

    @Test
    fun `every namespace function with its parameters`() {
        val problems = mutableListOf<String>()
        for (f in list(surface, "functions")) {
            val obj = kotlinClass(f["namespace"]!!.jsonPrimitive.content.replaceFirstChar(Char::uppercase))
            val name = camel(f.name())
            val want = list(f, "params").map { camel(it.name()) }
            val methods = obj?.methods?.filter { it.name == name && !it.isSynthetic }.orEmpty()
            when {
                obj == null -> problems += "object ${f["namespace"]} is missing (kotlin/src/main/kotlin/dev/novabilling)"
                methods.isEmpty() -> problems += "${obj.simpleName}.$name() is missing"
                methods.none { params(it) == want } -> problems += "${obj.simpleName}.$name should take $want, has ${methods.map { params(it) }}"
            }
        }
        assertEquals(emptyList<String>(), problems)
    }
}
