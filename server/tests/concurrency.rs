//! Races that must resolve without a 500.

mod common;

use common::TestServer;
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_email_creates() {
    let s = TestServer::start().await;
    let futs = (0..20).map(|i| s.post("/api/customers", json!({"externalId": format!("race-{i}"), "email": "Race@Example.com"})));
    let results = futures_util::future::join_all(futs).await;
    let created = results.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(created, 1, "exactly one create wins");
    for r in results.iter().filter(|r| r.status.as_u16() != 201) {
        r.expect_error(409, "email_taken");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicate_external_id_creates() {
    let s = TestServer::start().await;
    let futs = (0..20).map(|i| s.post("/api/customers", json!({"externalId": "same-user", "email": format!("u{i}@example.com")})));
    let results = futures_util::future::join_all(futs).await;
    assert_eq!(results.iter().filter(|r| r.status.as_u16() == 201).count(), 1);
    for r in results.iter().filter(|r| r.status.as_u16() != 201) {
        r.expect_error(409, "external_id_taken");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_if_match_patches() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let path = format!("/api/customers/{}", c["id"].as_str().unwrap());
    let etag = s.get(&path).await.header("etag").unwrap().to_owned();
    let futs = (0..10).map(|i| {
        TestServer::send(s.request(Method::PATCH, &path).header("If-Match", &etag).json(&json!({"name": format!("n{i}")})))
    });
    let results = futures_util::future::join_all(futs).await;
    assert_eq!(results.iter().filter(|r| r.status.as_u16() == 200).count(), 1, "exactly one PATCH wins");
    for r in results.iter().filter(|r| r.status.as_u16() != 200) {
        r.expect_error(412, "precondition_failed");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_are_idempotent() {
    let s = TestServer::start().await;
    let export = json!((0..30).map(|i| json!({"id": format!("cus_{i}"), "email": format!("s{i}@example.com")})).collect::<Vec<_>>());
    let futs = (0..5).map(|_| s.post("/api/customers/import/stripe", export.clone()));
    let results = futures_util::future::join_all(futs).await;
    let mut created = 0;
    for r in &results {
        r.expect(200);
        created += r.body["created"].as_u64().unwrap();
        assert_eq!(r.body["created"].as_u64().unwrap() + r.body["skipped"].as_u64().unwrap(), 30);
    }
    assert_eq!(created, 30);
    assert_eq!(s.get("/api/customers/unresolved").await.body["meta"]["total"], 30);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_delete_and_subscribe() {
    // Whatever the interleaving, a deleted customer never keeps an active subscription.
    let s = TestServer::start().await;
    for _ in 0..5 {
        let c = s.customer(json!({})).await;
        let id = c["id"].as_str().unwrap().to_owned();
        let del_path = format!("/api/customers/{id}");
        let del = s.delete(&del_path);
        let subs = futures_util::future::join_all(
            (0..5).map(|_| s.post("/api/subscriptions", json!({"customerId": id, "planId": "p"}))),
        );
        let (d, subs) = tokio::join!(del, subs);
        d.expect(200);
        for r in subs {
            if r.status.as_u16() == 201 {
                let g = s.get(&format!("/api/subscriptions/{}", r.id())).await;
                assert_eq!(g.body["status"], "canceled", "{}", g.text);
            } else {
                r.expect_error(404, "not_found");
            }
        }
    }
    s.stop().await;
}

/// Idempotent writes that outlast the 2 s heartbeat, queued for SQLite's one
/// writer: the heartbeat was awaited beside the handler, so a beat that came
/// while the handler held the writer waited for it for 30 s (the pool's
/// timeout), and every other write with it. Imports of 1,000 timed out (408).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn long_idempotent_writes_in_parallel_never_stall() {
    let s = TestServer::start().await;
    let started = std::time::Instant::now();
    let futs = (0..6).map(|b| {
        let export: Vec<_> = (0..2000).map(|i| json!({"id": format!("cus_{b}_{i}"), "email": format!("c{b}x{i}@example.com")})).collect();
        let rb = s.request(Method::POST, "/api/customers/import/stripe").header("idempotency-key", common::unique("import")).json(&export);
        TestServer::send(rb)
    });
    for r in futures_util::future::join_all(futs).await {
        r.expect(200);
    }
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(25), "six imports took {took:?}");
    assert_eq!(s.get("/api/customers/unresolved?limit=1").await.body["meta"]["total"], 12_000);
    s.stop().await;
}
