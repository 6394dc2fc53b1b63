//! The Rust SDK's side of the client benchmarks; the same protocol as
//! bench/clients/*.py|mjs|kt (see bench/run.py):
//!
//!   bench-client calls   # JSON lines {client, op, concurrency, calls, wall, cpu}
//!   bench-client rss      # one JSON line {client, rss: [[calls, kB], ...]}
//!   bench-client soak     # a JSON line a sample {client, soak: {calls, seconds, rss_kb, fds, threads}}
//!
//! Settings come from BENCH_URL, BENCH_ID, BENCH_CALLS, BENCH_CONC_CALLS,
//! BENCH_CONCURRENCY, BENCH_REPS, BENCH_WARMUP, BENCH_RSS_CALLS,
//! BENCH_SOAK_CALLS and BENCH_SOAK_EVERY.

use std::sync::Arc;
use std::time::{Duration, Instant};

use novabilling::Client;
use novabilling::model::CustomerCreate;

const NAME: &str = "novabilling-rust";

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn number(name: &str, default: usize) -> usize {
    setting(name, &default.to_string()).parse().unwrap_or_else(|_| panic!("{name} must be a number"))
}

/// CPU seconds of the whole process, every thread.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &raw mut ts) };
    // The clock gives non-negative seconds and nanoseconds below 10^9.
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(ts.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos).as_secs_f64()
}

/// A number of /proc/self/status: `VmRSS` (kB), `Threads`.
fn status_field(name: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn rss_kb() -> u64 {
    status_field("VmRSS")
}

/// The soak's view of this process: RSS, open descriptors and threads, all from /proc/self.
fn soak_sample(calls: usize, seconds: f64) -> serde_json::Value {
    let fds = std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count);
    serde_json::json!({
        "calls": calls, "seconds": seconds, "rss_kb": rss_kb(), "fds": fds, "threads": status_field("Threads"),
    })
}

struct Bench {
    client: Client,
    id: String,
}

impl Bench {
    async fn call(&self, op: &str, i: usize) {
        let customers = self.client.customers();
        let result = match op {
            "get" => customers.get(&self.id).await.map(drop),
            _ => customers
                .create(CustomerCreate {
                    external_id: format!("usr_{i}"),
                    email: format!("user{i}@example.com"),
                    name: Some("Bench User".into()),
                    ..Default::default()
                })
                .await
                .map(drop),
        };
        result.expect("a benchmark call failed");
    }

    async fn run(self: &Arc<Self>, op: &'static str, concurrency: usize, calls: usize) {
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..concurrency {
            let me = Arc::clone(self);
            let share = calls / concurrency + usize::from(w < calls % concurrency);
            tasks.spawn(async move {
                for i in 0..share {
                    me.call(op, w * calls + i).await;
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a benchmark task panicked");
        }
    }
}

async fn measure(bench: &Arc<Bench>, op: &'static str, concurrency: usize, calls: usize) {
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    bench.run(op, concurrency, calls).await;
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    println!(
        "{}",
        serde_json::json!({"client": NAME, "op": op, "concurrency": concurrency, "calls": calls, "wall": wall, "cpu": cpu})
    );
}

#[tokio::main]
async fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "calls".into());
    let client = Client::builder()
        .token("sk_test_bench")
        .base_url(setting("BENCH_URL", "http://127.0.0.1:3000"))
        .max_retries(0)
        .build()
        .expect("client");
    let bench = Arc::new(Bench { client, id: setting("BENCH_ID", "cust_bench000000000000000000001") });
    bench.run("get", 1, number("BENCH_WARMUP", 500)).await;
    match mode.as_str() {
        "calls" => {
            let (calls, conc_calls) = (number("BENCH_CALLS", 2000), number("BENCH_CONC_CALLS", 4000));
            let levels: Vec<usize> =
                setting("BENCH_CONCURRENCY", "50,200").split(',').map(|c| c.trim().parse().expect("BENCH_CONCURRENCY")).collect();
            for _ in 0..number("BENCH_REPS", 5) {
                for op in ["get", "create"] {
                    measure(&bench, op, 1, calls).await;
                    for &c in &levels {
                        measure(&bench, op, c, conc_calls).await;
                    }
                }
            }
        }
        "rss" => {
            let total = number("BENCH_RSS_CALLS", 100_000);
            let mut samples = vec![(0, rss_kb())];
            for step in 1..=10 {
                bench.run("get", 1, total / 10).await;
                samples.push((step * total / 10, rss_kb()));
            }
            println!("{}", serde_json::json!({"client": NAME, "rss": samples}));
        }
        "soak" => {
            // One line a sample, as it is taken: the harness shows the progress of a long run.
            let (total, every) = (number("BENCH_SOAK_CALLS", 1_000_000), number("BENCH_SOAK_EVERY", 100_000));
            let mut seconds = 0.0;
            println!("{}", serde_json::json!({"client": NAME, "soak": soak_sample(0, seconds)}));
            for step in 1..=total / every {
                let wall = Instant::now();
                bench.run("get", 1, every).await;
                seconds += wall.elapsed().as_secs_f64();
                println!("{}", serde_json::json!({"client": NAME, "soak": soak_sample(step * every, seconds)}));
            }
        }
        other => panic!("unknown mode {other:?}: calls, rss or soak"),
    }
}
