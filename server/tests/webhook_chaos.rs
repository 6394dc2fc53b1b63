//! At-least-once delivery, exactly-once effects: 500 customer changes while
//! the receiver fails 30 % of attempts at random and a server process is
//! SIGKILLed and restarted twice mid-run (on PostgreSQL, one of two replicas
//! that share the outbox). Every event arrives, a repeat carries the same
//! `webhook-id` and body, and keeping the highest `sequence` per customer gives
//! each customer's final state. Then the delivered rows are purged.
//!
//! The server runs as the real binary, so SIGKILL is a real crash.

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use novabilling::webhooks::verify;
use novabilling_server::Db;
use rand::Rng;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_novabilling-server");
const CREATES: usize = 60;
const UPDATES: usize = 420;
const DELETES: usize = 20;
const KILL_AT: [usize; 2] = [170, 340];
/// Long enough that 30 % failures never exhaust it (0.3^16 per event).
const SCHEDULE: &str = "0,20ms,50ms,100ms,200ms,300ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms";

/// One server process.
struct Replica {
    child: Child,
    url: String,
}

impl Replica {
    fn start(db: &str) -> Replica {
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", "127.0.0.1:0", "--database", db, "--rate-limit", "0"])
            .args(["--webhook-allow-host", "127.0.0.1", "--webhook-retry-schedule", SCHEDULE])
            .args(["--webhook-poll-interval", "50ms", "--webhook-timeout", "1s", "--webhook-retention", "2s"])
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the server");
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let url = out.lines().map_while(Result::ok).find_map(|l| l.strip_prefix("listening on ").map(str::to_owned));
        let mut replica = Replica { child, url: url.unwrap_or_default() };
        if replica.url.is_empty() {
            replica.crash();
            panic!("the server exited before listening");
        }
        replica
    }

    /// SIGKILL: no drain, no lease given back.
    fn crash(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the receiver got: every 2xx-answered delivery, and how many it failed.
#[derive(Default)]
struct Inbox {
    delivered: Vec<(Vec<(String, String)>, Bytes)>,
    failed: u64,
}

async fn receive(State(inbox): State<Arc<Mutex<Inbox>>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    // Slow enough that a crash always finds attempts in flight, leased to the dying process.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let mut inbox = inbox.lock().unwrap();
    if rand::rng().random_bool(0.3) {
        inbox.failed += 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let headers = headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    inbox.delivered.push((headers, body));
    StatusCode::NO_CONTENT
}

async fn receiver() -> (String, Arc<Mutex<Inbox>>) {
    let inbox = Arc::new(Mutex::new(Inbox::default()));
    let app = axum::Router::new().route("/hook", post(receive)).with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, inbox)
}

fn webhook_id(headers: &[(String, String)]) -> &str {
    headers.iter().find(|(k, _)| k == "webhook-id").map_or("", |(_, v)| v.as_str())
}

fn new_key(db: &str) -> String {
    let out = Command::new(BIN)
        .args(["keys", "create", "--tenant", &common::unique("chaos"), "--test", "--database", db])
        .output()
        .expect("keys create");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

struct Api {
    http: reqwest::Client,
    key: String,
}

impl Api {
    async fn call(&self, replica: &Replica, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = self.http.request(method, format!("{}{path}", replica.url)).bearer_auth(&self.key);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("the API answers");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// Every event of the tenant, from `GET /api/events`, by id.
async fn all_events(api: &Api, replica: &Replica) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for page in 1.. {
        let (status, body) = api.call(replica, reqwest::Method::GET, &format!("/api/events?limit=100&page={page}"), None).await;
        assert_eq!(status, 200, "{body}");
        let data = body["data"].as_array().unwrap();
        for e in data {
            out.insert(e["id"].as_str().unwrap().to_owned(), e.clone());
        }
        if data.len() < 100 {
            break;
        }
    }
    out
}

async fn outbox_rows(db: &Db, endpoint: &str) -> (i64, i64) {
    let messages = "SELECT COUNT(*) FROM webhook_messages WHERE endpoint_id = $1";
    let attempts = "SELECT COUNT(*) FROM webhook_attempts WHERE endpoint_id = $1";
    match db {
        Db::Sqlite { read, .. } => (
            sqlx::query_scalar(messages).bind(endpoint).fetch_one(read).await.unwrap(),
            sqlx::query_scalar(attempts).bind(endpoint).fetch_one(read).await.unwrap(),
        ),
        Db::Postgres { pool: pg, .. } => (
            sqlx::query_scalar(messages).bind(endpoint).fetch_one(pg).await.unwrap(),
            sqlx::query_scalar(attempts).bind(endpoint).fetch_one(pg).await.unwrap(),
        ),
    }
}

/// Finished deliveries and their log go after the retention (2 s).
async fn await_purge(db_url: &str, endpoint: &str) {
    let db = Db::connect(db_url).await.expect("connect");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = outbox_rows(&db, endpoint).await;
        if rows == (0, 0) {
            break;
        }
        assert!(Instant::now() < deadline, "outbox rows (messages, attempts) for the endpoint still there: {rows:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    db.close().await;
}

/// The creates, updates and deletes, spread over the replicas, crashing replica 0 at `KILL_AT`.
async fn make_changes(api: &Api, replicas: &mut [Replica], db_url: &str) {
    let mut live: Vec<String> = Vec::new();
    let mut rng = rand::rng();
    for i in 0..CREATES + UPDATES + DELETES {
        if KILL_AT.contains(&i) {
            // Deliveries are in flight and retries pending: the crash leaves rows leased to nobody.
            replicas[0].crash();
            replicas[0] = Replica::start(db_url);
        }
        let at = &replicas[i % replicas.len()];
        if i < CREATES {
            let body = json!({ "externalId": format!("user-{i}"), "email": format!("chaos{i}@example.com"), "name": "n" });
            let (status, c) = api.call(at, reqwest::Method::POST, "/api/customers", Some(body)).await;
            assert_eq!(status, 201, "{c}");
            live.push(c["id"].as_str().unwrap().to_owned());
        } else if i < CREATES + UPDATES {
            let id = &live[rng.random_range(0..live.len())];
            let (status, c) = api.call(at, reqwest::Method::PATCH, &format!("/api/customers/{id}"), Some(json!({ "name": format!("name {i}") }))).await;
            assert_eq!(status, 200, "{c}");
        } else {
            let id = live.swap_remove(rng.random_range(0..live.len()));
            let (status, c) = api.call(at, reqwest::Method::DELETE, &format!("/api/customers/{id}"), None).await;
            assert_eq!(status, 200, "{c}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_arrives_through_crashes_and_failures() {
    let (db_url, sqlite_file) = common::database();
    // Two replicas on one PostgreSQL; SQLite has one writer, so one process.
    let mut replicas = vec![Replica::start(&db_url)];
    if common::is_postgres() {
        replicas.push(Replica::start(&db_url));
    }
    let api = Api { http: common::http_client().build().unwrap(), key: new_key(&db_url) };
    let (hook_url, inbox) = receiver().await;
    let (status, ep) = api.call(&replicas[0], reqwest::Method::POST, "/api/webhook-endpoints", Some(json!({ "url": hook_url }))).await;
    assert_eq!(status, 201, "{ep}");
    let (endpoint, secret) = (ep["id"].as_str().unwrap().to_owned(), ep["secret"].as_str().unwrap().to_owned());

    let started = Instant::now();
    make_changes(&api, &mut replicas, &db_url).await;
    let changes_took = started.elapsed();

    let events = all_events(&api, &replicas[0]).await;
    assert_eq!(events.len(), CREATES + UPDATES + DELETES, "one event per committed change");
    // Rows the crashed processes held come back when their lease (2 x timeout + 10 s) runs out.
    let deadline = Instant::now() + Duration::from_secs(90);
    let delivered = loop {
        let got: HashSet<String> = inbox
            .lock()
            .unwrap()
            .delivered
            .iter()
            .map(|(h, _)| webhook_id(h).to_owned())
            .collect();
        if events.keys().all(|id| got.contains(id)) {
            break got;
        }
        let missing = events.keys().filter(|id| !got.contains(*id)).count();
        assert!(Instant::now() < deadline, "{missing} events never arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let all_delivered = started.elapsed();
    assert_eq!(delivered.len(), events.len());

    // Every delivery verifies, and a repeat is the same event: same id, same body.
    let (delivered, failed) = {
        let mut inbox = inbox.lock().unwrap();
        (std::mem::take(&mut inbox.delivered), inbox.failed)
    };
    let mut bodies: HashMap<String, Bytes> = HashMap::new();
    let mut newest: HashMap<String, (i64, String, Value)> = HashMap::new();
    for (headers, body) in &delivered {
        let event = verify(body, headers, &[secret.as_str()], Duration::from_secs(300)).expect("verifies");
        assert_eq!(webhook_id(headers), event.id);
        let stored = serde_json::to_vec(&events[&event.id]).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(body).unwrap(), serde_json::from_slice::<Value>(&stored).unwrap());
        if let Some(first) = bodies.insert(event.id.clone(), body.clone()) {
            assert_eq!(first, *body, "a repeat of {} differs", event.id);
        }
        // A receiver's exactly-once effect: apply an event only if it is newer than what it has.
        let customer = event.customer.expect("a customer event");
        let sequence = event.sequence.expect("a sequence");
        let entry = newest.entry(customer.id.clone()).or_insert((0, String::new(), Value::Null));
        if sequence > entry.0 {
            *entry = (sequence, event.event_type.clone(), json!(customer.name));
        }
    }
    let repeats = delivered.len() - bodies.len();

    for (id, (_, last_type, name)) in &newest {
        let (status, c) = api.call(&replicas[0], reqwest::Method::GET, &format!("/api/customers/{id}"), None).await;
        if last_type == "customer.deleted" {
            assert_eq!(status, 404, "{id} was deleted last");
        } else {
            assert_eq!(status, 200, "{c}");
            assert_eq!(c["name"], *name, "{id}: the newest event's state is the customer's");
        }
    }
    assert_eq!(newest.len(), CREATES);
    assert_eq!(newest.values().filter(|(_, t, _)| t == "customer.deleted").count(), DELETES);

    await_purge(&db_url, &endpoint).await;

    eprintln!(
        "chaos on {}: {} changes in {changes_took:.1?}, all {} events delivered after {all_delivered:.1?}; \
         receiver failed {failed} attempts, saw {repeats} repeats, {} replicas, 2 crashes",
        if common::is_postgres() { "PostgreSQL" } else { "SQLite" },
        CREATES + UPDATES + DELETES,
        events.len(),
        replicas.len(),
    );
    drop(replicas);
    if let Some(f) = sqlite_file {
        let _ = std::fs::remove_file(f);
    }
}
