// Shorter spellings of the generated update variants.
package dev.novabilling

/** `Patch.set("x")` and `Patch.clear` read better than the generated variants. */
object Patch {
    fun set(value: String): StringPatch = StringPatch.Set(value)
    fun set(value: Map<String, Any?>): MetadataPatch = MetadataPatch.Set(jsonObjectOf(value))
    val clear: StringPatch get() = StringPatch.Clear
    val clearMetadata: MetadataPatch get() = MetadataPatch.Clear
}
