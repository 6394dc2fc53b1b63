// The Kotlin test server against the crate's description of its surface
// (tests/testing-surface.json), by reflection on the generated and
// hand-written classes: camelCase names, durations as java.time.Duration,
// properties as a getter or a method without parameters, extensions as the
// static methods Kotlin compiles them to. A miss says what to add, and where.
package dev.novabilling.testing

import java.io.File
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class SurfaceTest {
    private val repo = File(System.getProperty("novabilling.repo") ?: "..").canonicalFile
    private val surface = Json.parseToJsonElement(File(repo, "tests/testing-surface.json").readText()).jsonObject

    private fun JsonObject.str(key: String) = this[key]!!.jsonPrimitive.content
    private fun list(o: JsonObject, key: String) = o[key]!!.jsonArray.map { it.jsonObject }
    private fun camel(s: String) = s.split('_').mapIndexed { i, p -> if (i == 0) p else p.replaceFirstChar(Char::uppercase) }.joinToString("")
    private fun getter(s: String) = "get" + camel(s).replaceFirstChar(Char::uppercase)

    /** Parameter names, without an extension's receiver or a default-arguments mask. */
    private fun params(m: Method) = m.parameters.map { it.name }.filter { !it.startsWith("$") }

    /** The members of [cls], with the extension functions of [extensions] on it. */
    private fun check(cls: Class<*>, members: List<JsonObject>, extensions: Class<*>?, where: String): List<String> {
        val problems = mutableListOf<String>()
        val all = cls.methods.filter { !it.isSynthetic } +
            (extensions?.methods?.filter { Modifier.isStatic(it.modifiers) && it.parameterTypes.firstOrNull() == cls } ?: emptyList())
        for (m in members) {
            val name = m.str("name")
            if (m["property"]!!.jsonPrimitive.booleanOrNull == true) {
                if (all.none { (it.name == getter(name) || it.name == camel(name)) && params(it).isEmpty() }) {
                    problems += "${cls.simpleName}.${camel(name)} is missing ($where)"
                }
                continue
            }
            val want = list(m, "params").map { camel(it.str("name")) }
            val found = all.filter { it.name == camel(name) }
            when {
                found.isEmpty() -> problems += "${cls.simpleName}.${camel(name)}() is missing ($where)"
                found.none { params(it) == want } -> problems += "${cls.simpleName}.${camel(name)}${found.map(::params)} should take $want"
            }
        }
        return problems
    }

    @Test
    fun `the server, its webhooks and a captured delivery`() {
        val extensions = Class.forName("dev.novabilling.testing.TestServersKt")
        val problems = check(TestServer::class.java, list(surface, "members"), extensions, "bindings/uniffi-testing or TestServers.kt") +
            check(Webhooks::class.java, list(surface, "webhooks"), null, "TestServers.kt")
        val fields = CapturedWebhook::class.java.declaredFields.map { it.name }.toSet()
        val missing = list(surface, "captured_webhook").map { camel(it.str("name")) }.filter { it !in fields }
        assertEquals(emptyList<String>(), problems + missing.map { "CapturedWebhook.$it is missing" })
    }

    @Test
    fun `the start options`() {
        val start = TestServer.Companion::class.java.methods.firstOrNull { it.name == "start" && !it.isSynthetic }
        assertEquals(list(surface, "start_options").map { camel(it.str("name")) }, start?.let(::params))
    }
}
