// Test fixtures: the project's server on a free loopback port (one per test
// run, a fresh tenant per test), and a scripted responder for the shapes and
// failures the real server does not produce.
package dev.novabilling

import com.sun.net.httpserver.HttpServer
import java.io.File
import java.net.InetSocketAddress
import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject

val REPO: File = File(System.getProperty("novabilling.repo") ?: "..").canonicalFile

fun serverBin(): String {
    System.getenv("NOVABILLING_SERVER_BIN")?.let { return it }
    for (d in listOf("target/x86_64-unknown-linux-gnu/debug", "target/debug")) {
        val f = File(REPO, "$d/novabilling-server")
        if (f.exists()) return f.path
    }
    error("build the server first: cargo build -p novabilling-server")
}

class Server(val url: String, val key: String, val db: String, private val proc: Process) {
    /** A key of a fresh tenant, so a test sees only its own customers. */
    fun newKey(): String {
        val p = ProcessBuilder(serverBin(), "keys", "create", "--tenant", "t${System.nanoTime()}", "--test", "--database", db)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        val out = p.inputStream.bufferedReader().readText().trim()
        check(p.waitFor() == 0) { "keys create failed" }
        return out
    }

    fun client(key: String = newKey(), maxRetries: Long? = null): NovaBillingClient =
        NovaBillingClient(allowSecretKey = true, token = key, baseUrl = url, maxRetries = maxRetries)

    fun stop() {
        proc.destroy()
        proc.waitFor(10, TimeUnit.SECONDS)
    }

    companion object {
        fun start(vararg extra: String): Server {
            val tmp = Files.createTempDirectory("novabilling-kotlin").toFile()
            tmp.deleteOnExit()
            val db = "sqlite://${tmp.path}/test.db"
            val keyFile = File(tmp, "dev-key")
            val pb = ProcessBuilder(
                listOf(serverBin(), "serve", "--bind", "127.0.0.1:0", "--database", db, "--dev", "--dev-key-file", keyFile.path) + extra,
            ).redirectError(ProcessBuilder.Redirect.DISCARD)
            pb.environment()["RUST_LOG"] = "warn"
            val proc = pb.start()
            val lines = proc.inputStream.bufferedReader()
            while (true) {
                val line = lines.readLine() ?: error("the server exited before it listened")
                if (line.startsWith("listening on ")) {
                    val url = line.removePrefix("listening on ").trim()
                    // Keep draining stdout so the server never blocks on a full pipe.
                    Thread { lines.forEachLine { } }.apply { isDaemon = true }.start()
                    return Server(url, keyFile.readText().trim(), db, proc)
                }
            }
        }

        /** The server shared by every test class of this run. */
        val shared: Server by lazy {
            start().also { s -> Runtime.getRuntime().addShutdownHook(Thread { s.stop() }) }
        }
    }
}

/** One canned answer. */
data class Reply(val status: Int, val body: String = "{}", val headers: Map<String, String> = emptyMap(), val delayMs: Long = 0) {
    companion object {
        fun json(status: Int, body: String, vararg headers: Pair<String, String>) =
            Reply(status, body, mapOf("content-type" to "application/json") + headers)
    }
}

data class Seen(val method: String, val path: String, val headers: Map<String, String>, val body: String)

/** Answers each request with the next reply; the last one repeats. */
class Canned(vararg replies: Reply) : AutoCloseable {
    private val replies = ArrayDeque(replies.toList())
    val seen = CopyOnWriteArrayList<Seen>()
    private val pool = Executors.newCachedThreadPool { r -> Thread(r).apply { isDaemon = true } }
    private val http = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    val url: String

    init {
        http.executor = pool
        http.createContext("/") { ex ->
            val body = ex.requestBody.readBytes().decodeToString()
            val headers = ex.requestHeaders.entries.associate { (k, v) -> k.lowercase() to v.joinToString(",") }
            seen.add(Seen(ex.requestMethod, ex.requestURI.toString(), headers, body))
            val reply = synchronized(this.replies) { if (this.replies.size > 1) this.replies.removeFirst() else this.replies.first() }
            try {
                if (reply.delayMs > 0) Thread.sleep(reply.delayMs)
                reply.headers.forEach { (k, v) -> ex.responseHeaders.add(k, v) }
                val bytes = reply.body.toByteArray()
                ex.sendResponseHeaders(reply.status, if (bytes.isEmpty()) -1 else bytes.size.toLong())
                if (bytes.isNotEmpty()) ex.responseBody.use { it.write(bytes) }
            } catch (_: Exception) {
                // The client gave up (a timeout test); nothing to do.
            } finally {
                ex.close()
            }
        }
        http.start()
        url = "http://127.0.0.1:${http.address.port}"
    }

    fun client(maxRetries: Long = 0): NovaBillingClient = NovaBillingClient(allowSecretKey = true, token = "sk_test_x", baseUrl = url, maxRetries = maxRetries)

    override fun close() {
        http.stop(0)
        pool.shutdownNow()
    }
}

// ---------------------------------------------------------------- JSON of the vectors

val VECTORS = File(REPO, "tests/vectors")

fun loadVectors(name: String): List<JsonObject> =
    Json.parseToJsonElement(File(VECTORS, name).readText()).jsonObject["cases"]!!.jsonArray.map { it.jsonObject }

fun JsonObject.str(key: String): String? = (this[key] as? JsonPrimitive)?.takeIf { it !is JsonNull }?.content

/** JSON values compared as values: numbers by their decimal value, objects by keys. */
fun sameJson(a: JsonElement, b: JsonElement): Boolean = when {
    a is JsonNull || b is JsonNull -> a is JsonNull && b is JsonNull
    a is JsonObject && b is JsonObject -> a.keys == b.keys && a.keys.all { sameJson(a[it]!!, b[it]!!) }
    a is JsonArray && b is JsonArray -> a.size == b.size && a.indices.all { sameJson(a[it], b[it]) }
    a is JsonPrimitive && b is JsonPrimitive -> when {
        a.isString || b.isString -> a.isString == b.isString && a.content == b.content
        a.booleanOrNull != null || b.booleanOrNull != null -> a.booleanOrNull == b.booleanOrNull
        else -> a.content.toBigDecimal().compareTo(b.content.toBigDecimal()) == 0
    }
    else -> false
}

fun parseJsonElement(s: String): JsonElement = Json.parseToJsonElement(s)
