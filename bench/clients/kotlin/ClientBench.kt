// Kotlin's side of the client benchmarks (protocol: bench/src/bin/bench-client.rs).
//
//   java -cp ... dev.novabilling.bench.ClientBenchKt calls|rss|soak
//
// Concurrency is that many coroutines on one thread (runBlocking), as Node's
// loops share one event loop.
package dev.novabilling.bench

import dev.novabilling.CustomerCreate
import dev.novabilling.NovaBillingClient
import java.io.File
import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

private val env: Map<String, String> = System.getenv()
private fun number(name: String, default: Int): Int = env[name]?.toInt() ?: default
private const val NAME = "novabilling-kotlin"

private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
private fun cpuSeconds(): Double = os.processCpuTime / 1e9

// After a collection, on a heap the harness sizes and pre-touches (-Xms = -Xmx,
// -XX:+AlwaysPreTouch), so RSS shows what is kept rather than heap being grown.
// A number of /proc/self/status: VmRSS (kB), Threads.
private fun statusField(name: String): Long =
    File("/proc/self/status").readLines().first { it.startsWith("$name:") }.split(Regex("\\s+"))[1].toLong()

private fun rssKb(): Long {
    System.gc()
    return statusField("VmRSS")
}

// The soak's view of this process after a System.gc(): RSS, open descriptors and threads from /proc/self, and the
// heap that collection left in use (each heap pool's usage after its last collection, which a full collection sets
// for them all; unlike Runtime's total minus free, nothing allocated after it counts), the figure that judges it.
private fun soakSample(calls: Int, seconds: Double): String {
    val rss = rssKb()
    val heapKb = ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }
        .sumOf { it.collectionUsage?.used ?: 0L } / 1024
    val fds = File("/proc/self/fd").list()!!.size
    return """{"calls":$calls,"seconds":$seconds,"rss_kb":$rss,"fds":$fds,"threads":${statusField("Threads")},"heap_kb":$heapKb}"""
}

private class Bench(url: String, private val id: String) {
    private val customers = NovaBillingClient(allowSecretKey = true, token = "sk_test_bench", baseUrl = url, maxRetries = 0).customers()

    suspend fun call(op: String, i: Int) {
        if (op == "get") {
            customers.get(id)
        } else {
            customers.create(CustomerCreate(externalId = "usr_$i", email = "user$i@example.com", name = "Bench User"))
        }
    }

    suspend fun run(op: String, concurrency: Int, calls: Int) = coroutineScope {
        for (w in 0 until concurrency) {
            val share = calls / concurrency + if (w < calls % concurrency) 1 else 0
            launch { repeat(share) { i -> call(op, w * calls + i) } }
        }
    }
}

fun main(args: Array<String>) = runBlocking {
    val mode = args.firstOrNull() ?: "calls"
    val bench = Bench(env["BENCH_URL"] ?: "http://127.0.0.1:3000", env["BENCH_ID"] ?: "cust_bench000000000000000000001")
    // The JIT needs more than the others' warm-up to reach its steady state.
    bench.run("get", 1, 4 * number("BENCH_WARMUP", 500))
    when (mode) {
        "calls" -> {
            val calls = number("BENCH_CALLS", 2000)
            val concCalls = number("BENCH_CONC_CALLS", 4000)
            val levels = (env["BENCH_CONCURRENCY"] ?: "50,200").split(",").map { it.trim().toInt() }
            repeat(number("BENCH_REPS", 5)) {
                for (op in listOf("get", "create")) {
                    for ((c, n) in listOf(1 to calls) + levels.map { it to concCalls }) {
                        val cpu = cpuSeconds()
                        val wall = System.nanoTime()
                        bench.run(op, c, n)
                        val seconds = (System.nanoTime() - wall) / 1e9
                        println("""{"client":"$NAME","op":"$op","concurrency":$c,"calls":$n,"wall":$seconds,"cpu":${cpuSeconds() - cpu}}""")
                    }
                }
            }
        }
        "rss" -> {
            val total = number("BENCH_RSS_CALLS", 100_000)
            val samples = mutableListOf(0 to rssKb())
            for (step in 1..10) {
                bench.run("get", 1, total / 10)
                samples.add(step * total / 10 to rssKb())
            }
            println("""{"client":"$NAME","rss":[${samples.joinToString(",") { "[${it.first},${it.second}]" }}]}""")
        }
        "soak" -> {
            // One line a sample, as it is taken: the harness shows the progress of a long run.
            val total = number("BENCH_SOAK_CALLS", 1_000_000)
            val every = number("BENCH_SOAK_EVERY", 100_000)
            var seconds = 0.0
            println("""{"client":"$NAME","soak":${soakSample(0, seconds)}}""")
            for (step in 1..total / every) {
                val wall = System.nanoTime()
                bench.run("get", 1, every)
                seconds += (System.nanoTime() - wall) / 1e9
                println("""{"client":"$NAME","soak":${soakSample(step * every, seconds)}}""")
            }
        }
        else -> error("unknown mode $mode: calls, rss or soak")
    }
}
