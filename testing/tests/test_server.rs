//! The test server through the SDK's core client, as the bindings use it.

use std::time::{Duration, Instant};

use novabilling::model::{CustomerCreate, ListParams};
use novabilling_testing::{Error, Options, Span, TestServer};

fn client(srv: &TestServer, key: &str) -> novabilling::Client {
    novabilling::Client::builder()
        .api_key(key)
        .base_url(srv.base_url())
        .max_retries(2)
        .build()
        .expect("client")
}

fn new_customer(n: u32) -> CustomerCreate {
    CustomerCreate {
        external_id: format!("user_{n}"),
        email: format!("u{n}@example.com"),
        ..CustomerCreate::default()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn starts_quickly_serves_the_api_and_resets() {
    let t = Instant::now();
    let srv = TestServer::start(Options::default()).expect("starts");
    let started = t.elapsed();
    assert!(srv.base_url().starts_with("http://127.0.0.1:"));
    assert!(srv.api_key().starts_with("sk_test_"));
    let c = client(&srv, srv.api_key());
    rt().block_on(async {
        let made = c.customers().create(new_customer(1)).await.expect("create");
        assert_eq!(
            c.customers()
                .get(&made.id)
                .await
                .expect("get")
                .email
                .as_deref(),
            Some("u1@example.com")
        );
    });
    srv.reset().expect("reset");
    let page = rt()
        .block_on(c.customers().list(ListParams::default()))
        .expect("list after reset");
    assert_eq!(page.total, 0, "reset leaves no customer");
    let t = Instant::now();
    srv.close().expect("close");
    eprintln!("start {started:?}, close {:?}", t.elapsed());
    srv.close().expect("closing twice is fine");
    assert!(matches!(
        srv.reset(),
        Err(novabilling_testing::Error::Closed)
    ));
}

#[test]
fn servers_are_isolated() {
    let a = TestServer::start(Options::default()).expect("a");
    let b = TestServer::start(Options::default()).expect("b");
    assert_ne!(a.base_url(), b.base_url());
    rt().block_on(async {
        client(&a, a.api_key())
            .customers()
            .create(new_customer(1))
            .await
            .expect("create on a");
        let on_b = client(&b, b.api_key())
            .customers()
            .list(ListParams::default())
            .await
            .expect("list on b");
        assert_eq!(on_b.total, 0);
        let err = client(&b, a.api_key())
            .customers()
            .list(ListParams::default())
            .await
            .expect_err("a's key on b");
        assert_eq!(err.status(), Some(401));
    });
}

#[test]
fn fail_next_is_retried_then_used_up() {
    let srv = TestServer::start(Options::default()).expect("starts");
    let c = client(&srv, srv.api_key());
    rt().block_on(async {
        // Two failures, two retries: the third try succeeds.
        srv.fail_next("POST", "/api/customers", 503, 2, Some(0))
            .expect("rule");
        c.customers()
            .create(new_customer(1))
            .await
            .expect("retried past two 503s");
        // Three failures exhaust two retries; the error is the injected one.
        srv.fail_next("GET", "/api/customers/{id}", 500, 3, None)
            .expect("rule");
        let err = c.customers().get("cust_x").await.expect_err("three 500s");
        assert_eq!(
            (err.status(), err.code()),
            (Some(500), Some("internal_error"))
        );
        assert!(err.to_string().contains("fail_next"), "{err}");
        // Used up: the next request reaches the API (a 404 for a missing id).
        assert_eq!(
            c.customers().get("cust_x").await.expect_err("404").status(),
            Some(404)
        );
        // A 429 carries its Retry-After and is retried.
        srv.fail_next("*", "/api/**", 429, 1, Some(0))
            .expect("rule");
        c.customers()
            .list(ListParams::default())
            .await
            .expect("retried past a 429");
    });
    assert!(
        srv.fail_next("GET", "customers", 500, 1, None).is_err(),
        "a pattern without /"
    );
    assert!(
        srv.fail_next("GET", "/x", 200, 1, None).is_err(),
        "not an error status"
    );
}

#[test]
fn delay_next_delays() {
    let srv = TestServer::start(Options::default()).expect("starts");
    let c = client(&srv, srv.api_key());
    srv.delay_next("GET", "/api/customers", Span::Millis(300.0), 1)
        .expect("rule");
    let t = Instant::now();
    rt().block_on(c.customers().list(ListParams::default()))
        .expect("list");
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    rt().block_on(c.customers().list(ListParams::default()))
        .expect("list");
    assert!(t.elapsed() < Duration::from_millis(300), "used up");
    let refused = srv.delay_next("GET", "/api/customers", Span::Seconds(-1.0), 1);
    assert!(matches!(refused, Err(Error::Invalid(m)) if m.contains("positive number of seconds")), "core's check");
}

#[test]
fn a_seed_gives_the_same_ids_and_times() {
    let run = |seed| {
        let srv = TestServer::start(Options {
            seed: Some(seed),
            ..Options::default()
        })
        .expect("starts");
        let c = client(&srv, srv.api_key());
        rt().block_on(async {
            let a = c.customers().create(new_customer(1)).await.expect("a");
            let b = c.customers().create(new_customer(2)).await.expect("b");
            (
                a.id,
                a.created_at.to_rfc3339(),
                b.id,
                b.created_at.to_rfc3339(),
            )
        })
    };
    let first = run(7);
    assert_eq!(first, run(7));
    assert_ne!(first.0, run(8).0);
    assert_eq!(first.1, "2026-01-01T00:00:00+00:00");
    assert_eq!(first.3, "2026-01-01T00:00:01+00:00");
}

#[test]
fn reset_starts_a_seeded_server_over() {
    let srv = TestServer::start(Options {
        seed: Some(1),
        ..Options::default()
    })
    .expect("starts");
    let c = client(&srv, srv.api_key());
    let first = rt()
        .block_on(c.customers().create(new_customer(1)))
        .expect("create")
        .id;
    srv.reset().expect("reset");
    assert_eq!(
        rt().block_on(c.customers().create(new_customer(1)))
            .expect("create again")
            .id,
        first
    );
}

#[test]
fn webhooks_are_captured_and_verified() {
    let srv = TestServer::start(Options::default()).expect("starts");
    let c = client(&srv, srv.api_key());
    let made = rt()
        .block_on(c.customers().create(new_customer(1)))
        .expect("create");
    let d = srv
        .wait_for_webhook("customer.created", Span::Seconds(10.0))
        .expect("capturing")
        .expect("delivered");
    assert!(d.verified, "signed with the endpoint's secret");
    assert!(d.body.contains(&made.id));
    assert!(d.headers.iter().any(|(k, _)| k == "webhook-signature"));
    assert!(
        srv.wait_for_webhook("customer.created", Span::Millis(200.0))
            .expect("capturing")
            .is_none(),
        "returned once"
    );
    assert_eq!(srv.webhook_deliveries().len(), 1);
    srv.reset().expect("reset");
    assert!(srv.webhook_deliveries().is_empty());
    rt().block_on(c.customers().create(new_customer(2)))
        .expect("create after reset");
    assert!(
        srv.wait_for_webhook("*", Span::Seconds(10.0))
            .expect("capturing")
            .is_some(),
        "subscribed again after reset"
    );
    let quiet = TestServer::start(Options {
        capture_webhooks: false,
        ..Options::default()
    })
    .expect("starts");
    assert!(matches!(quiet.wait_for_webhook("*", Span::Seconds(1.0)), Err(Error::Invalid(m)) if m.contains("captures no webhooks")));
}

#[test]
fn keys_of_every_kind() {
    let srv = TestServer::start(Options::default()).expect("starts");
    let owner = client(&srv, srv.api_key());
    let made = rt()
        .block_on(owner.customers().create(new_customer(1)))
        .expect("create");
    let read_only = srv.restricted_key(&["customers:read"]).expect("restricted");
    assert!(read_only.starts_with("rk_test_"));
    let ro = client(&srv, &read_only);
    rt().block_on(async {
        ro.customers().get(&made.id).await.expect("reads");
        let err = ro
            .customers()
            .create(new_customer(2))
            .await
            .expect_err("cannot write");
        assert_eq!(err.status(), Some(403));
    });
    assert!(srv.restricted_key(&["customers:fly"]).is_err());
    let eph = srv
        .ephemeral_key(&made.id, Span::Seconds(60.0))
        .expect("ephemeral");
    assert!(eph.starts_with("ek_test_"));
    assert!(
        srv.ephemeral_key("cust_missing", Span::Seconds(60.0))
            .is_err()
    );
}

#[tokio::test]
async fn usable_from_inside_a_runtime() {
    let srv = TestServer::start(Options::default()).expect("starts in a tokio test");
    let c = client(&srv, srv.api_key());
    c.customers().create(new_customer(1)).await.expect("create");
    srv.reset().expect("reset");
}
