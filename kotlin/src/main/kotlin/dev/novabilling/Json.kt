// Customer metadata and Stripe objects as plain Kotlin data.
package dev.novabilling

import java.math.BigDecimal

/**
 * Plain Kotlin data as a [JsonValue]: null, Boolean, Number (exact: its decimal
 * text), String, List/Array, Map with String keys, or a JsonValue as it is.
 */
fun jsonValueOf(value: Any?): JsonValue = when (value) {
    null -> JsonValue.Null
    is JsonValue -> value
    is Boolean -> JsonValue.Bool(value)
    is BigDecimal -> JsonValue.Number(value.toString())
    is Double -> {
        require(value.isFinite()) { "JSON cannot carry $value" }
        JsonValue.Number(value.toString())
    }
    is Float -> {
        require(value.isFinite()) { "JSON cannot carry $value" }
        JsonValue.Number(value.toString())
    }
    is Number -> JsonValue.Number(value.toString())
    is String -> JsonValue.String(value)
    is Map<*, *> -> JsonValue.Object(
        value.entries.associate { (k, v) ->
            require(k is String) { "JSON object keys must be strings, got ${k?.let { it::class.simpleName }}" }
            k to jsonValueOf(v)
        },
    )
    is Iterable<*> -> JsonValue.Array(value.map(::jsonValueOf))
    is Array<*> -> JsonValue.Array(value.map(::jsonValueOf))
    else -> throw IllegalArgumentException("not a JSON value: ${value::class.qualifiedName}")
}

/** A metadata map from plain Kotlin data: `jsonMapOf("company" to "Acme", "seats" to 5)`. */
fun jsonMapOf(vararg pairs: Pair<String, Any?>): Map<String, JsonValue> = pairs.associate { (k, v) -> k to jsonValueOf(v) }

fun jsonMapOf(map: Map<String, Any?>): Map<String, JsonValue> = map.mapValues { (_, v) -> jsonValueOf(v) }

/**
 * Back to plain Kotlin data: null, Boolean, BigDecimal, String, List, Map.
 * Numbers are BigDecimal so no digit is lost.
 */
fun JsonValue.toKotlin(): Any? = when (this) {
    is JsonValue.Null -> null
    is JsonValue.Bool -> value
    is JsonValue.Number -> BigDecimal(value)
    is JsonValue.String -> value
    is JsonValue.Array -> values.map { it.toKotlin() }
    is JsonValue.Object -> fields.mapValues { (_, v) -> v.toKotlin() }
}

/** Metadata as plain Kotlin data. */
fun Map<String, JsonValue>.toKotlin(): Map<String, Any?> = mapValues { (_, v) -> v.toKotlin() }

/** A string value, or null when the value is not a JSON string. */
val JsonValue.stringValue: String? get() = (this as? JsonValue.String)?.value
