// Customer metadata is a kotlinx.serialization JsonObject (the typealias
// Metadata); these build one from plain Kotlin data.
package dev.novabilling

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Plain Kotlin data as JSON: null, Boolean, Number (as its decimal text, so a
 * BigDecimal keeps every digit), String, List/Array, Map with String keys, or a
 * JsonElement as it is. A non-finite Double is not JSON: the client reports it
 * as a Validation error on the field it is sent in.
 */
fun jsonOf(value: Any?): JsonElement = when (value) {
    null -> JsonNull
    is JsonElement -> value
    is Boolean -> JsonPrimitive(value)
    is Number -> JsonPrimitive(value)
    is String -> JsonPrimitive(value)
    is Map<*, *> -> JsonObject(
        value.entries.associate { (k, v) ->
            require(k is String) { "JSON object keys must be strings, got ${k?.let { it::class.simpleName }}" }
            k to jsonOf(v)
        },
    )
    is Iterable<*> -> JsonArray(value.map(::jsonOf))
    is Array<*> -> JsonArray(value.map(::jsonOf))
    else -> throw IllegalArgumentException("not a JSON value: ${value::class.qualifiedName}")
}

/** Metadata from plain Kotlin data: `jsonObjectOf("company" to "Acme", "seats" to 5)`. */
fun jsonObjectOf(vararg pairs: Pair<String, Any?>): JsonObject = JsonObject(pairs.associate { (k, v) -> k to jsonOf(v) })

/** Metadata from a map of plain Kotlin data. */
fun jsonObjectOf(map: Map<String, Any?>): JsonObject = JsonObject(map.mapValues { (_, v) -> jsonOf(v) })
