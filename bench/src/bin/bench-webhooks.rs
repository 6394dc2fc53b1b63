//! Webhook delivery, end to end: a receiver on loopback, an endpoint for
//! `customer.created` on the server at BENCH_URL (started with
//! `--webhook-allow-host 127.0.0.1`), and customers created through its API.
//!
//!   bench-webhooks   # two JSON lines, {"run": "latency", ...} and {"run": "throughput", ...}
//!
//! latency: BENCH_LATENCY_EVENTS creates paced at BENCH_RATE a second (open
//! loop: each is sent when due, whether or not the last has answered); per
//! event, the time from sending the create (which commits the event) to the
//! receiver holding its delivery, and the create call's own time beside it.
//!
//! throughput: BENCH_THROUGHPUT_EVENTS creates with BENCH_CONCURRENCY in
//! flight; events delivered per second from the first create sent to the last
//! delivery received, and the create rate it kept up with, beside the rate of
//! the same creates before the endpoint was subscribed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use futures_util::StreamExt;
use serde_json::{Value, json};

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name} must be a number")))
}

/// When each delivery arrived, by the customer's externalId.
type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receive(State(arrivals): State<Arrivals>, body: Bytes) -> StatusCode {
    let now = Instant::now();
    let event: Value = serde_json::from_slice(&body).unwrap_or_default();
    if let Some(external_id) = event["data"]["customer"]["externalId"].as_str() {
        arrivals.lock().unwrap().insert(external_id.to_owned(), now);
    }
    StatusCode::NO_CONTENT
}

async fn receiver() -> (String, Arrivals) {
    let arrivals = Arrivals::default();
    let app = axum::Router::new().route("/hook", post(receive)).with_state(Arc::clone(&arrivals));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the receiver");
    let url = format!("http://{}/hook", listener.local_addr().expect("its address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, arrivals)
}

struct Api {
    http: reqwest::Client,
    url: String,
    key: String,
}

impl Api {
    async fn post(&self, path: &str, body: &Value) -> Value {
        let resp = self.http.post(format!("{}{path}", self.url)).bearer_auth(&self.key).json(body).send().await;
        let resp = resp.expect("the server answers");
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status} {body}");
        body
    }

    /// Creates a customer; when it was sent and when it answered.
    async fn create(&self, external_id: &str) -> (Instant, Instant) {
        let sent = Instant::now();
        self.post("/api/customers", &json!({ "externalId": external_id, "email": format!("{external_id}@hooks.example") }))
            .await;
        (sent, Instant::now())
    }
}

/// Waits until every one of `ids` has arrived; at most a minute.
async fn await_arrivals(arrivals: &Arrivals, ids: &[String]) -> HashMap<String, Instant> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        {
            let got = arrivals.lock().unwrap();
            if ids.iter().all(|id| got.contains_key(id)) {
                return got.clone();
            }
            let missing = ids.iter().filter(|id| !got.contains_key(*id)).count();
            assert!(Instant::now() < deadline, "{missing} of {} deliveries never arrived", ids.len());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// The p-th percentile (0-100) of sorted values.
fn percentile(sorted: &[u64], p: usize) -> u64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

async fn latency(api: Arc<Api>, arrivals: &Arrivals, events: u64, rate: u64) -> Value {
    let gap = Duration::from_secs(1) / u32::try_from(rate.max(1)).unwrap_or(u32::MAX);
    let start = tokio::time::Instant::now();
    let mut calls = Vec::new();
    for i in 0..events {
        tokio::time::sleep_until(start + gap * u32::try_from(i).unwrap_or(u32::MAX)).await;
        let api = Arc::clone(&api);
        let id = format!("lat_{i}");
        calls.push(tokio::spawn(async move { (api.create(&id).await, id) }));
    }
    let mut sent = Vec::new();
    for c in calls {
        sent.push(c.await.expect("a create task"));
    }
    let ids: Vec<String> = sent.iter().map(|(_, id)| id.clone()).collect();
    let got = await_arrivals(arrivals, &ids).await;
    let mut delivery: Vec<u64> = sent.iter().map(|((s, _), id)| micros(got[id].saturating_duration_since(*s))).collect();
    let mut create: Vec<u64> = sent.iter().map(|((s, a), _)| micros(a.duration_since(*s))).collect();
    delivery.sort_unstable();
    create.sort_unstable();
    json!({
        "run": "latency", "events": events, "rate": rate,
        "p50_us": percentile(&delivery, 50), "p99_us": percentile(&delivery, 99), "max_us": delivery[delivery.len() - 1],
        "create_p50_us": percentile(&create, 50), "create_p99_us": percentile(&create, 99),
    })
}

/// Creates `events` customers named `{prefix}_{i}`, `concurrency` in flight;
/// the ids, when the first was sent and when the last answered.
async fn create_all(api: &Arc<Api>, prefix: &str, events: u64, concurrency: u64) -> (Vec<String>, Instant, Instant) {
    let first = Instant::now();
    let ids: Vec<String> = (0..events).map(|i| format!("{prefix}_{i}")).collect();
    let answered = futures_util::stream::iter(ids.clone())
        .map(|id| {
            let api = Arc::clone(api);
            async move { api.create(&id).await.1 }
        })
        .buffer_unordered(usize::try_from(concurrency.max(1)).unwrap_or(1))
        .fold(first, |last, at| async move { last.max(at) })
        .await;
    (ids, first, answered)
}

#[allow(clippy::cast_precision_loss)] // event counts are far below 2^52
fn per_s(events: u64, first: Instant, until: Instant) -> f64 {
    events as f64 / until.duration_since(first).as_secs_f64()
}

async fn throughput(api: Arc<Api>, arrivals: &Arrivals, events: u64, concurrency: u64, unsubscribed: f64) -> Value {
    let (ids, first, answered) = create_all(&api, "thr", events, concurrency).await;
    let got = await_arrivals(arrivals, &ids).await;
    let delivered = ids.iter().map(|id| got[id]).max().unwrap_or(first);
    json!({
        "run": "throughput", "events": events, "concurrency": concurrency,
        "delivered_per_s": per_s(events, first, delivered), "created_per_s": per_s(events, first, answered),
        "created_per_s_unsubscribed": unsubscribed,
        "lag_after_last_create_ms": delivered.saturating_duration_since(answered).as_secs_f64() * 1e3,
    })
}

#[tokio::main]
async fn main() {
    // reqwest is built without a TLS provider; this run speaks plain HTTP, but the builder wants one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let api = Arc::new(Api {
        http: reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("an HTTP client"),
        url: std::env::var("BENCH_URL").expect("BENCH_URL"),
        key: std::env::var("BENCH_KEY").expect("BENCH_KEY"),
    });
    let (hook, arrivals) = receiver().await;
    let (events, concurrency) = (number("BENCH_THROUGHPUT_EVENTS", 5000), number("BENCH_CONCURRENCY", 32));
    // The same creates before any endpoint is subscribed: what delivery costs the API.
    let (_, first, answered) = create_all(&api, "base", events, concurrency).await;
    let unsubscribed = per_s(events, first, answered);
    api.post("/api/webhook-endpoints", &json!({ "url": hook, "eventTypes": ["customer.created"] })).await;
    let lat = latency(Arc::clone(&api), &arrivals, number("BENCH_LATENCY_EVENTS", 1000), number("BENCH_RATE", 100)).await;
    println!("{lat}");
    let thr = throughput(api, &arrivals, events, concurrency, unsubscribed).await;
    println!("{thr}");
}
