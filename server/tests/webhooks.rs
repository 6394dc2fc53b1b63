//! Webhooks over real HTTP: a receiver on 127.0.0.1 gets the server's signed
//! deliveries; endpoints, events, retries, disabling, rotation, redelivery.
//! Runs on SQLite, or PostgreSQL with NOVABILLING_TEST_DATABASE_URL.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::TestServer;
use novabilling_server::ServeOptions;
use novabilling_server::db::Db;
use novabilling::webhooks::verify;
use novabilling_server::ssrf::Allow;
use reqwest::Method;
use serde_json::{Value, json};

/// A delivery as the receiver saw it.
#[derive(Clone, Debug)]
struct Delivery {
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl Delivery {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    got: Vec<Delivery>,
    /// Statuses to answer, in order; 200 once empty.
    answers: VecDeque<u16>,
    /// How long each answer takes.
    delay: Duration,
}

#[derive(Clone)]
struct Receiver {
    url: String,
    inbox: Arc<Mutex<Inbox>>,
}

async fn receive(State(inbox): State<Arc<Mutex<Inbox>>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let delay = inbox.lock().unwrap().delay;
    tokio::time::sleep(delay).await;
    let mut inbox = inbox.lock().unwrap();
    inbox.got.push(Delivery { headers, body });
    StatusCode::from_u16(inbox.answers.pop_front().unwrap_or(200)).unwrap()
}

impl Receiver {
    async fn start() -> Receiver {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let app = axum::Router::new().route("/hook", post(receive)).with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, inbox }
    }

    fn answer(&self, statuses: &[u16]) {
        self.inbox.lock().unwrap().answers.extend(statuses);
    }

    fn got(&self) -> Vec<Delivery> {
        self.inbox.lock().unwrap().got.clone()
    }

    /// Waits until `n` deliveries have arrived (5 s at most).
    async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        let start = Instant::now();
        loop {
            let got = self.got();
            if got.len() >= n {
                return got;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "waited for {n} deliveries, got {}: {got:?}", got.len());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Lets the server deliver to the receiver on 127.0.0.1.
fn allow_loopback(o: &mut ServeOptions) {
    o.webhooks.guard.allow = vec!["127.0.0.1".parse::<Allow>().unwrap()];
}

/// A server with a compressed retry schedule that may call 127.0.0.1.
async fn server() -> TestServer {
    TestServer::start_alone_with(|o| {
        o.webhooks.retry_schedule = vec![Duration::ZERO, Duration::from_millis(100), Duration::from_millis(200)];
        o.webhooks.poll_interval = Duration::from_millis(100);
        allow_loopback(o);
    })
    .await
}

async fn endpoint(s: &TestServer, r: &Receiver, extra: Value) -> (String, String) {
    let mut body = json!({ "url": r.url });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let resp = s.post("/api/webhook-endpoints", body).await;
    resp.expect(201);
    let secret = resp.body["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (resp.id(), secret)
}

/// The endpoint's delivery log once it holds `n` attempts (written after the
/// delivery is answered), or as it is after 3 s.
async fn delivery_log(s: &TestServer, ep: &str, n: usize) -> Value {
    let start = Instant::now();
    loop {
        let d = s.get(&format!("/api/webhook-endpoints/{ep}/deliveries?limit=100")).await;
        d.expect(200);
        if d.body["data"].as_array().unwrap().len() >= n || start.elapsed() > Duration::from_secs(3) {
            return d.body.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the endpoint is disabled (3 s at most) and checks why.
async fn await_disabled(s: &TestServer, ep: &str, reason: &str) {
    let start = Instant::now();
    loop {
        let e = s.get(&format!("/api/webhook-endpoints/{ep}")).await;
        if e.body["enabled"] == json!(false) {
            assert_eq!(e.body["disabledReason"], json!(reason), "{}", e.text);
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(3), "not disabled: {}", e.text);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn verified(d: &Delivery, secrets: &[&str]) -> novabilling::WebhookEvent {
    verify(&d.body, &d.headers, secrets, Duration::from_secs(300)).expect("signature verifies")
}

/// A backlog drains at delivery speed: with every slot busy, the first
/// delivery to finish claims the next, rather than the rest waiting for the poll.
#[tokio::test]
async fn a_backlog_drains_without_waiting_for_the_poll() {
    let s = TestServer::start_alone_with(|o| {
        o.webhooks.poll_interval = Duration::from_secs(60);
        o.webhooks.concurrency = 2;
        allow_loopback(o);
    })
    .await;
    let r = Receiver::start().await;
    r.inbox.lock().unwrap().delay = Duration::from_millis(20);
    endpoint(&s, &r, json!({})).await;
    // Written faster than two slots of 20 ms deliveries take them: a backlog
    // is left when the writes (and their wake-ups) stop.
    for _ in 0..60 {
        s.customer(json!({})).await;
    }
    r.wait_for(60).await;
    s.stop().await;
}

/// Every write that queues a delivery wakes the worker at once (the poll here
/// is a minute): create, update, import, redeliver.
#[tokio::test]
async fn each_write_that_queues_wakes_the_worker() {
    let s = TestServer::start_alone_with(|o| {
        o.webhooks.poll_interval = Duration::from_secs(60);
        allow_loopback(o);
    })
    .await;
    let r = Receiver::start().await;
    endpoint(&s, &r, json!({})).await;
    let c = s.customer(json!({})).await;
    r.wait_for(1).await;
    let id = c["id"].as_str().unwrap();
    s.patch(&format!("/api/customers/{id}"), json!({ "name": "Woken" })).await.expect(200);
    r.wait_for(2).await;
    s.post("/api/customers/import/stripe", json!([{ "id": "cus_wake", "email": "wake@example.com" }])).await.expect(200);
    let got = r.wait_for(3).await;
    let event = got[2].header("webhook-id").to_owned();
    s.post_empty(&format!("/api/events/{event}/redeliver")).await.expect(202);
    r.wait_for(4).await;
    s.stop().await;
}

#[tokio::test]
async fn a_customer_flow_is_delivered_signed_in_sequence() {
    let s = server().await;
    let r = Receiver::start().await;
    let (_, secret) = endpoint(&s, &r, json!({})).await;

    // An imported customer is unresolved, so it can be bound later.
    let imported = s.post("/api/customers/import/stripe", json!([{ "id": "cus_flow1", "email": "flow1@example.com" }])).await;
    imported.expect(200);
    let got = r.wait_for(2).await;
    let types: Vec<String> = got.iter().map(|d| verified(d, &[&secret]).event_type).collect();
    assert!(types.contains(&"customer.created".to_owned()) && types.contains(&"customers.imported".to_owned()), "{types:?}");
    let created = got.iter().map(|d| verified(d, &[&secret])).find(|e| e.event_type == "customer.created").unwrap();
    let id = created.customer.as_ref().unwrap().id.clone();
    let counts = got.iter().map(|d| verified(d, &[&secret])).find(|e| e.event_type == "customers.imported").unwrap();
    assert_eq!(counts.data["created"], json!(1));
    assert_eq!(counts.data["skipped"], json!(0));

    s.patch(&format!("/api/customers/{id}"), json!({ "name": "Flow One", "metadata": { "k": "v" } })).await.expect(200);
    // The same values again: the version moves, no event.
    s.patch(&format!("/api/customers/{id}"), json!({ "name": "Flow One" })).await.expect(200);
    s.post(&format!("/api/customers/{id}/bind"), json!({ "externalId": "user-flow-1" })).await.expect(200);
    s.delete(&format!("/api/customers/{id}")).await.expect(200);
    let got = r.wait_for(5).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(r.got().len(), 5, "no event for the no-op PATCH");

    let mut events: Vec<_> = got.iter().map(|d| (d.clone(), verified(d, &[&secret]))).collect();
    for (d, e) in &events {
        assert_eq!(d.header("webhook-id"), e.id);
        assert_eq!(d.header("content-type"), "application/json");
        assert!(d.header("user-agent").starts_with("novabilling-server/"));
    }
    events.retain(|(_, e)| e.event_type.starts_with("customer."));
    events.sort_by_key(|(_, e)| e.sequence);
    let seq: Vec<(String, i64)> = events.iter().map(|(_, e)| (e.event_type.clone(), e.sequence.unwrap())).collect();
    assert_eq!(
        seq,
        [("customer.created", 1), ("customer.updated", 2), ("customer.bound", 4), ("customer.deleted", 5)]
            .map(|(t, n)| (t.to_owned(), n))
    );
    let updated = &events[1].1;
    assert_eq!(updated.changed_fields.as_deref(), Some(&["name".to_owned(), "metadata".to_owned()][..]));
    assert_eq!(updated.customer.as_ref().unwrap().name.as_deref(), Some("Flow One"));
    let bound = &events[2].1;
    assert_eq!(bound.customer.as_ref().unwrap().external_id.as_deref(), Some("user-flow-1"));
    // The deleted customer as it was.
    let deleted = &events[3].1;
    assert_eq!(deleted.customer.as_ref().unwrap().external_id.as_deref(), Some("user-flow-1"));
    // The body is exactly the stored event.
    let stored = s.get(&format!("/api/events/{}", deleted.id)).await;
    stored.expect(200);
    assert_eq!(stored.body, events[3].0.json());
    s.stop().await;
}

#[tokio::test]
async fn failed_and_replayed_writes_emit_nothing() {
    let s = server().await;
    let r = Receiver::start().await;
    endpoint(&s, &r, json!({ "eventTypes": ["customer.created"] })).await;

    s.post("/api/customers", json!({ "externalId": "u1", "email": "not-an-email" })).await.expect(400);
    let key = format!("idem-{}", common::unique("k"));
    let first = TestServer::send(
        s.request(Method::POST, "/api/customers").header("Idempotency-Key", &key).json(&json!({ "externalId": "u1", "email": "u1@example.com" })),
    )
    .await;
    first.expect(201);
    let replay = TestServer::send(
        s.request(Method::POST, "/api/customers").header("Idempotency-Key", &key).json(&json!({ "externalId": "u1", "email": "u1@example.com" })),
    )
    .await;
    replay.expect(201);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    s.post("/api/customers", json!({ "externalId": "u1", "email": "other@example.com" })).await.expect_error(409, "external_id_taken");
    s.post("/api/customers", json!({ "externalId": "u2", "email": "u1@example.com" })).await.expect_error(409, "email_taken");

    r.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(r.got().len(), 1);
    let events = s.get("/api/events").await;
    events.expect(200);
    assert_eq!(events.body["meta"]["total"], json!(1), "{}", events.text);
    s.stop().await;
}

#[tokio::test]
async fn failures_are_retried_with_the_same_id_and_logged() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, secret) = endpoint(&s, &r, json!({})).await;
    r.answer(&[500, 500]);
    s.customer(json!({})).await;
    let got = r.wait_for(3).await;
    let ids: Vec<&str> = got.iter().map(|d| d.header("webhook-id")).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    for d in &got {
        verified(d, &[&secret]);
    }
    let attempts = delivery_log(&s, &ep, 3).await;
    let mut rows: Vec<(i64, i64)> = attempts["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["attempt"].as_i64().unwrap(), a["status"].as_i64().unwrap()))
        .collect();
    rows.sort_unstable();
    assert_eq!(rows, [(1, 500), (2, 500), (3, 200)]);
    assert_eq!(attempts["data"][0]["eventId"], json!(ids[0]));
    assert!(attempts["data"][1]["error"].as_str().is_some_and(|e| e.contains("500")), "{attempts}");
    assert!(attempts["data"][0]["durationMs"].is_i64());
    // A success ends the failing streak.
    let e = s.get(&format!("/api/webhook-endpoints/{ep}")).await;
    assert_eq!(e.body["failingSince"], Value::Null);
    s.stop().await;
}

/// Deliveries that finish together are written in one batch: every attempt
/// logged, every message delivered and no longer leased, the endpoint's
/// failing streak ended.
#[tokio::test]
async fn deliveries_that_finish_together_are_all_recorded() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, _) = endpoint(&s, &r, json!({})).await;
    r.answer(&[500]);
    s.customer(json!({})).await;
    r.wait_for(1).await;
    // Twelve deliveries in flight at once, answered together.
    r.inbox.lock().unwrap().delay = Duration::from_millis(300);
    for _ in 0..12 {
        s.customer(json!({})).await;
    }
    r.wait_for(14).await;
    let logged = delivery_log(&s, &ep, 14).await;
    assert_eq!(logged["data"].as_array().unwrap().len(), 14);
    let sql = "SELECT COUNT(*) FROM webhook_messages WHERE state = 'delivered' AND lease_owner IS NULL \
               AND lease_until IS NULL AND delivered_at IS NOT NULL AND last_status = 200";
    let delivered: i64 = match &s.server.as_ref().unwrap().state.db {
        Db::Sqlite { read, .. } => sqlx::query_scalar(sql).fetch_one(read).await.unwrap(),
        Db::Postgres { pool, .. } => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    };
    assert_eq!(delivered, 13);
    let e = s.get(&format!("/api/webhook-endpoints/{ep}")).await;
    assert_eq!(e.body["failingSince"], Value::Null);
    s.stop().await;
}

#[tokio::test]
async fn gone_disables_the_endpoint_and_exhausted_retries_fail() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, _) = endpoint(&s, &r, json!({})).await;
    r.answer(&[410]);
    s.customer(json!({})).await;
    r.wait_for(1).await;
    await_disabled(&s, &ep, "gone").await;
    s.customer(json!({})).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(r.got().len(), 1, "a disabled endpoint receives nothing");

    let e = s.patch(&format!("/api/webhook-endpoints/{ep}"), json!({ "enabled": true })).await;
    e.expect(200);
    assert_eq!(e.body["disabledReason"], Value::Null);
    // Three attempts, all failing: the message fails, the endpoint stays enabled (not 5 days yet).
    r.answer(&[500, 503, 500]);
    s.customer(json!({})).await;
    r.wait_for(4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(r.got().len(), 4);
    let e = s.get(&format!("/api/webhook-endpoints/{ep}")).await;
    assert_eq!(e.body["enabled"], json!(true));
    assert!(e.body["failingSince"].is_string(), "{}", e.text);
    s.stop().await;
}

/// An endpoint whose deliveries have all failed for `disable_after` (5 days;
/// 250 ms here) is disabled as `failing`, and then receives nothing.
#[tokio::test]
async fn an_endpoint_failing_for_too_long_is_disabled() {
    let s = TestServer::start_alone_with(|o| {
        o.webhooks.retry_schedule = vec![Duration::ZERO, Duration::from_millis(200), Duration::from_millis(400)];
        o.webhooks.poll_interval = Duration::from_millis(50);
        o.webhooks.disable_after = Duration::from_millis(250);
        allow_loopback(o);
    })
    .await;
    let r = Receiver::start().await;
    let (ep, _) = endpoint(&s, &r, json!({})).await;
    // Every attempt fails; the first after the streak is 250 ms old (the
    // second or, with jitter, the third) disables the endpoint.
    r.answer(&[500, 500, 500]);
    s.customer(json!({})).await;
    await_disabled(&s, &ep, "failing").await;
    let tried = r.got().len();
    assert!(tried >= 2, "disabled after {tried} attempt(s)");
    s.customer(json!({})).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(r.got().len(), tried, "a disabled endpoint receives nothing");
    s.stop().await;
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_during_the_grace_period() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, old) = endpoint(&s, &r, json!({})).await;
    let rotated = s.post_empty(&format!("/api/webhook-endpoints/{ep}/rotate-secret")).await;
    rotated.expect(200);
    let new = rotated.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    s.customer(json!({})).await;
    let d = &r.wait_for(1).await[0];
    assert_eq!(d.header("webhook-signature").split(' ').count(), 2);
    verified(d, &[&old]);
    verified(d, &[&new]);
    s.stop().await;
}

#[tokio::test]
async fn events_are_listed_filtered_and_redelivered() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, _) = endpoint(&s, &r, json!({ "eventTypes": ["customer.updated"] })).await;
    let a = s.customer(json!({})).await;
    let b = s.customer(json!({})).await;
    let a_id = a["id"].as_str().unwrap();
    s.patch(&format!("/api/customers/{a_id}"), json!({ "name": "A" })).await.expect(200);

    let all = s.get("/api/events?limit=2").await;
    all.expect(200);
    assert_eq!(all.body["meta"], json!({ "total": 3, "page": 1, "limit": 2, "totalPages": 2 }));
    assert_eq!(all.body["data"][0]["type"], json!("customer.updated"), "newest first");
    let p2 = s.get("/api/events?limit=2&page=2").await;
    assert_eq!(p2.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(p2.body["data"][0]["data"]["customer"]["id"], a["id"]);
    let created = s.get("/api/events?type=customer.created").await;
    assert_eq!(created.body["meta"]["total"], json!(2));
    let of_b = s.get(&format!("/api/events?customerId={}", b["id"].as_str().unwrap())).await;
    assert_eq!(of_b.body["meta"]["total"], json!(1));
    s.get("/api/events?type=customer.nope").await.expect_error(400, "validation_failed");
    s.get("/api/events?limit=0").await.expect_error(400, "validation_failed");
    s.get("/api/events?color=red").await.expect_error(400, "unknown_field");
    // Another tenant sees none of them.
    let other = s.other_tenant_key().await;
    let foreign = TestServer::send(s.client.get(format!("{}/api/events", s.url)).bearer_auth(&other)).await;
    assert_eq!(foreign.body["meta"]["total"], json!(0));

    // Only the update went to this endpoint; redeliver sends it again with the same id.
    let first = r.wait_for(1).await;
    let update_id = all.body["data"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(first[0].header("webhook-id"), update_id);
    let again = s.post_empty(&format!("/api/events/{update_id}/redeliver")).await;
    again.expect(202);
    assert_eq!(again.body["queued"], json!(1));
    let one = s.post(&format!("/api/events/{update_id}/redeliver"), json!({ "endpointId": ep })).await;
    one.expect(202);
    let got = r.wait_for(3).await;
    assert!(got.iter().all(|d| d.header("webhook-id") == update_id));
    // A JSON null body means what no body means: every endpoint that takes the event.
    let null = s.post(&format!("/api/events/{update_id}/redeliver"), Value::Null).await;
    null.expect(202);
    assert_eq!(null.body["queued"], json!(1));
    assert_eq!(r.wait_for(4).await[3].header("webhook-id"), update_id);
    s.post(&format!("/api/events/{update_id}/redeliver"), json!({ "endpointId": "we_missing" })).await.expect_error(404, "not_found");
    s.post_empty("/api/events/evt_missing/redeliver").await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn endpoint_crud_and_validation() {
    let s = server().await;
    let r = Receiver::start().await;
    let (ep, _) = endpoint(&s, &r, json!({ "description": "main", "eventTypes": ["customer.created", "customer.created"] })).await;

    let got = s.get(&format!("/api/webhook-endpoints/{ep}")).await;
    got.expect(200);
    assert!(got.body.get("secret").is_none(), "{}", got.text);
    assert_eq!(got.body["eventTypes"], json!(["customer.created"]));
    assert_eq!(got.body["enabled"], json!(true));
    assert_eq!(got.body["description"], json!("main"));
    let list = s.get("/api/webhook-endpoints").await;
    list.expect(200);
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
    assert!(list.body["data"][0].get("secret").is_none());

    let bad = s.post("/api/webhook-endpoints", json!({ "url": "ftp://example.com/x" })).await;
    bad.expect_error(400, "validation_failed");
    assert_eq!(bad.body["errors"][0]["field"], json!("url"));
    s.post("/api/webhook-endpoints", json!({ "url": "not a url" })).await.expect_error(400, "validation_failed");
    let ty = s.post("/api/webhook-endpoints", json!({ "url": r.url, "eventTypes": ["customer.created", "invoice.paid"] })).await;
    ty.expect_error(400, "validation_failed");
    assert_eq!(ty.body["errors"][0]["field"], json!("eventTypes[1]"));
    for private in ["http://10.0.0.1/hook", "http://169.254.169.254/latest", "http://[::1]:8080/", "http://127.0.0.2/"] {
        let p = s.post("/api/webhook-endpoints", json!({ "url": private })).await;
        p.expect_error(400, "validation_failed");
        assert_eq!(p.body["errors"][0]["code"], json!("not_allowed"), "{private}: {}", p.text);
        assert!(p.body["errors"][0]["message"].as_str().unwrap().contains("--webhook-allow"), "{}", p.text);
    }
    s.post("/api/webhook-endpoints", json!({ "url": r.url, "color": "red" })).await.expect_error(400, "unknown_field");

    let patched = s
        .patch(&format!("/api/webhook-endpoints/{ep}"), json!({ "eventTypes": [], "description": null, "enabled": false }))
        .await;
    patched.expect(200);
    assert_eq!(patched.body["eventTypes"], json!([]));
    assert_eq!(patched.body["description"], Value::Null);
    assert_eq!(patched.body["enabled"], json!(false));
    s.patch(&format!("/api/webhook-endpoints/{ep}"), json!({ "url": "http://10.1.1.1/" })).await.expect_error(400, "validation_failed");
    let other = s.other_tenant_key().await;
    let foreign =
        TestServer::send(s.client.get(format!("{}/api/webhook-endpoints/{ep}", s.url)).bearer_auth(&other)).await;
    foreign.expect_error(404, "not_found");
    s.delete(&format!("/api/webhook-endpoints/{ep}")).await.expect(200);
    s.get(&format!("/api/webhook-endpoints/{ep}")).await.expect_error(404, "not_found");
    s.get(&format!("/api/webhook-endpoints/{ep}/deliveries")).await.expect_error(404, "not_found");
    s.stop().await;
}
