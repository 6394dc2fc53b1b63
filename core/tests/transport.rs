//! Retries, timeouts, idempotency keys, headers and configuration, against
//! a responder that answers exactly what each test needs.

mod common;

use std::time::{Duration, Instant};

use common::{Canned, Reply};
use novabilling::{Client, CustomerCreate, CustomerUpdate, Error, ErrorKind, ListParams, Patch, RequestOptions};
use serde_json::json;

fn customer(id: &str) -> serde_json::Value {
    json!({"id": id, "externalId": "u1", "email": "a@b.co", "status": "active", "metadata": {},
           "totalSpent": 0, "activeSubscriptions": 0,
           "createdAt": "2026-03-01T12:00:00.000Z", "updatedAt": "2026-03-01T12:00:00.000Z"})
}

fn create_params() -> CustomerCreate {
    CustomerCreate { external_id: "u1".into(), email: "a@b.co".into(), ..Default::default() }
}

fn server_error() -> Reply {
    Reply::json(500, &json!({"statusCode": 500, "code": "internal_error", "message": "boom"}))
}

#[tokio::test]
async fn a_retried_post_keeps_its_idempotency_key() {
    let canned = Canned::start(vec![server_error(), Reply::hang_up(), Reply::json(201, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    let c = client.customers().create(create_params()).await.unwrap();
    assert_eq!(c.id, "cust_1");
    let seen = canned.requests();
    assert_eq!(seen.len(), 3);
    let key = seen[0].header("idempotency-key").expect("a POST carries an idempotency key").to_owned();
    assert!(key.len() >= 16);
    assert!(seen.iter().all(|s| s.header("idempotency-key") == Some(key.as_str())));
    // A second logical call gets a new key.
    canned.client().build().unwrap().customers().create(create_params()).await.unwrap();
    let again = canned.requests();
    assert_ne!(again[3].header("idempotency-key"), Some(key.as_str()));
}

#[tokio::test]
async fn the_caller_may_name_the_idempotency_key() {
    let canned = Canned::start(vec![Reply::json(201, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    let opts = RequestOptions { idempotency_key: Some("order-42".into()), ..Default::default() };
    client.customers().with_options(opts).create(create_params()).await.unwrap();
    assert_eq!(canned.requests()[0].header("idempotency-key"), Some("order-42"));
}

#[tokio::test]
async fn gets_carry_no_idempotency_key_and_mutations_do() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    client.customers().get("cust_1").await.unwrap();
    let update = CustomerUpdate { name: Patch::Set("N".into()), ..Default::default() };
    client.customers().update("cust_1", update).await.unwrap();
    let seen = canned.requests();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].header("idempotency-key"), None);
    assert_eq!(seen[1].method, "PATCH");
    assert!(seen[1].header("idempotency-key").is_some());
    assert_eq!(String::from_utf8_lossy(&seen[1].body), r#"{"name":"N"}"#);
}

#[tokio::test]
async fn zero_retries_means_one_attempt() {
    let canned = Canned::start(vec![server_error()]).await;
    let client = canned.client().max_retries(0).build().unwrap();
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InternalServer);
    assert_eq!(canned.requests().len(), 1);
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let canned = Canned::start(vec![server_error()]).await;
    let client = canned.client().max_retries(3).build().unwrap();
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(canned.requests().len(), 4);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 404, 409, 412, 422] {
        let canned = Canned::start(vec![Reply::json(status, &json!({"statusCode": status, "message": "no"}))]).await;
        let client = canned.client().max_retries(5).build().unwrap();
        client.customers().get("cust_1").await.unwrap_err();
        assert_eq!(canned.requests().len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn request_timeout_and_rate_limit_are_retried() {
    for status in [408, 429, 502, 503, 504] {
        let canned = Canned::start(vec![
            Reply::json(status, &json!({"statusCode": status, "message": "later"})).header("retry-after", "0"),
            Reply::json(200, &customer("cust_1")),
        ])
        .await;
        let client = canned.client().build().unwrap();
        client.customers().get("cust_1").await.unwrap();
        assert_eq!(canned.requests().len(), 2, "status {status}");
    }
}

#[tokio::test]
async fn an_idempotency_key_still_in_use_is_retried_and_other_conflicts_are_not() {
    let in_use = || {
        Reply::json(409, &json!({"statusCode": 409, "code": "idempotency_key_in_use", "message": "still in progress"})).header("retry-after", "0")
    };
    let canned = Canned::start(vec![in_use(), in_use(), Reply::json(201, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    client.customers().create(create_params()).await.unwrap();
    let keys: Vec<_> = canned.requests().iter().map(|r| r.header("idempotency-key").unwrap().to_owned()).collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| *k == keys[0]), "one key for the call's attempts: {keys:?}");

    let taken = Reply::json(409, &json!({"statusCode": 409, "code": "email_taken", "message": "taken"}));
    let canned = Canned::start(vec![taken]).await;
    let e = canned.client().build().unwrap().customers().create(create_params()).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Conflict, Some("email_taken")));
    assert_eq!(canned.requests().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let canned = Canned::start(vec![
        Reply::json(429, &json!({"statusCode": 429, "message": "slow"})).header("retry-after-ms", "300"),
        Reply::json(200, &customer("cust_1")),
    ])
    .await;
    let client = canned.client().build().unwrap();
    let t = Instant::now();
    client.customers().get("cust_1").await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300), "{:?}", t.elapsed());
}

#[tokio::test]
async fn a_retry_after_past_the_cap_reaches_the_caller_at_once() {
    let canned = Canned::start(vec![Reply::json(429, &json!({"statusCode": 429, "message": "slow"})).header("retry-after", "3600")]).await;
    let client = canned.client().max_retries(5).build().unwrap();
    let t = Instant::now();
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5));
    let Error::Api(api) = err else { panic!() };
    assert_eq!(api.kind(), ErrorKind::RateLimit);
    assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(canned.requests().len(), 1);
}

#[tokio::test]
async fn a_slow_server_times_out_and_is_retried() {
    let canned = Canned::start(vec![
        Reply::json(200, &customer("slow")).delayed(Duration::from_secs(3)),
        Reply::json(200, &customer("cust_1")),
    ])
    .await;
    let client = canned.client().timeout(Duration::from_millis(200)).build().unwrap();
    let c = client.customers().get("cust_1").await.unwrap();
    assert_eq!(c.id, "cust_1");
    assert_eq!(canned.requests().len(), 2);
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_client() {
    let canned = Canned::start(vec![Reply::json(200, &customer("slow")).delayed(Duration::from_secs(3))]).await;
    let client = canned.client().build().unwrap();
    let opts = RequestOptions { timeout: Some(Duration::from_millis(150).into()), max_retries: Some(0), ..Default::default() };
    let t = Instant::now();
    let err = client.customers().with_options(opts).get("cust_1").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .token("sk_test_x")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn a_body_cut_short_is_retried() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1")).cut_short(), Reply::json(200, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    assert_eq!(client.customers().get("cust_1").await.unwrap().id, "cust_1");
    assert_eq!(canned.requests().len(), 2);
}

#[tokio::test]
async fn a_success_that_is_not_json_is_a_decode_error_and_not_retried() {
    let canned = Canned::start(vec![Reply::raw(200, vec![], b"<html>hello</html>".to_vec()).header("x-request-id", "req_d")]).await;
    let client = canned.client().build().unwrap();
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    assert_eq!(err.request_id(), Some("req_d"));
    assert!(err.to_string().contains("<html>"), "{err}");
    assert_eq!(canned.requests().len(), 1);
}

#[tokio::test]
async fn headers_auth_and_user_agent() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1"))]).await;
    let client = canned.client().user_agent("novabilling-python/0.1.0").build().unwrap();
    let opts = RequestOptions {
        headers: vec![("x-trace".into(), "abc".into())],
        if_match: Some("\"v1\"".into()),
        ..Default::default()
    };
    client.customers().with_options(opts).get("cust_1").await.unwrap();
    let s = &canned.requests()[0];
    assert_eq!(s.header("authorization"), Some("Bearer sk_test_0000000000000000000000000000000000000000000000000000000000000000"));
    let ua = s.header("user-agent").unwrap();
    assert!(ua.starts_with("novabilling-python/0.1.0 (novabilling-rust/"), "{ua}");
    assert_eq!(s.header("x-trace"), Some("abc"));
    assert_eq!(s.header("if-match"), Some("\"v1\""));
    assert_eq!(s.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn only_the_parameters_set_are_sent() {
    let canned = Canned::start(vec![Reply::json(200, &json!({"data": [], "meta": {"total": 0, "page": 1, "limit": 20, "totalPages": 0}}))]).await;
    let client = canned.client().build().unwrap();
    client.customers().list(ListParams { search: Some("50% off&x".into()), ..Default::default() }).await.unwrap();
    client.customers().list(ListParams::default()).await.unwrap();
    let seen = canned.requests();
    assert_eq!(seen[0].target, "/api/customers?search=50%25+off%26x");
    assert_eq!(seen[1].target, "/api/customers");
}

#[tokio::test]
async fn path_segments_are_escaped() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1"))]).await;
    let client = canned.client().build().unwrap();
    client.customers().get_by_external_id("team/ü 1?x#").await.unwrap();
    assert_eq!(canned.requests()[0].target, "/api/customers/external/team%2F%C3%BC%201%3Fx%23");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefixes_every_route() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1")), Reply::json(200, &customer("cust_1"))]).await;
    for base in [format!("{}/billing/", canned.url), format!("{}/billing/api", canned.url)] {
        let client = canned.client().base_url(base).build().unwrap();
        client.customers().get("cust_1").await.unwrap();
    }
    let seen = canned.requests();
    assert_eq!(seen[0].target, "/billing/api/customers/cust_1");
    assert_eq!(seen[1].target, "/billing/api/customers/cust_1");
}

#[tokio::test]
async fn responses_expose_request_id_and_etag() {
    let canned = Canned::start(vec![Reply::json(200, &customer("cust_1")).header("x-request-id", "req_9").header("etag", "\"v3\"")]).await;
    let c = canned.client().build().unwrap().customers().get("cust_1").await.unwrap();
    assert_eq!(c.response.request_id.as_deref(), Some("req_9"));
    assert_eq!(c.response.etag.as_deref(), Some("\"v3\""));
}

#[tokio::test]
async fn the_key_never_prints() {
    let key = "sk_live_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let canned = Canned::start(vec![Reply::json(401, &json!({"statusCode": 401, "message": "bad key"}))]).await;
    let client = Client::builder().token(key).base_url(&canned.url).build().unwrap();
    let debug = format!("{client:?} {:?}", Client::builder().token(key));
    assert!(!debug.contains("0123456789abcdef"), "{debug}");
    let err = client.customers().get("cust_1").await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("0123456789abcdef"));
}

#[test]
fn configuration_errors_say_what_to_fix() {
    if std::env::var_os("NOVABILLING_API_KEY").is_none() {
        let err = Client::builder().build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert!(err.to_string().contains("NOVABILLING_API_KEY"), "{err}");
    }
    let err = Client::builder().token("sk_test_a b").build().unwrap_err();
    assert_eq!(err.field_errors()[0].field, "token");
    let err = Client::builder().token("k").base_url("localhost:3000").build().unwrap_err();
    assert_eq!(err.field_errors()[0].field, "base_url");
    let err = Client::builder().token("k").base_url("ftp://x").build().unwrap_err();
    assert!(err.to_string().contains("http://"), "{err}");
    let err = Client::builder().token("k").timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(err.field_errors()[0].field, "timeout");
}

#[test]
fn base_urls_are_normalized() {
    for (given, want) in [
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://localhost:3000/", "http://localhost:3000"),
        ("http://localhost:3000/api", "http://localhost:3000"),
        ("https://billing.example.com/prefix/api/", "https://billing.example.com/prefix"),
    ] {
        let c = Client::builder().token("k").base_url(given).build().unwrap();
        assert_eq!(c.base_url(), want);
    }
    let c = Client::builder().token("k").build().unwrap();
    if std::env::var_os("NOVABILLING_BASE_URL").is_none() {
        assert_eq!(c.base_url(), "http://localhost:3000");
    }
    assert_eq!(c.max_retries(), 2);
}

#[test]
fn retry_after_parsing() {
    use novabilling::transport::parse_retry_after;
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z").unwrap().to_utc();
    assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
    assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
    assert_eq!(parse_retry_after("Sun, 01 Mar 2026 12:00:10 GMT", now), Some(Duration::from_secs(10)));
    assert_eq!(parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("-1", now), None);
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn backoff_grows_is_capped_and_jittered() {
    let b = novabilling::Backoff { base: Duration::from_millis(100), max: Duration::from_secs(1) };
    for attempt in 0..10 {
        let d = b.delay(attempt, None);
        let full = Duration::from_millis(100 * (1 << attempt)).min(Duration::from_secs(1));
        assert!(d <= full && d >= full.mul_f64(0.75), "attempt {attempt}: {d:?}");
    }
    assert_eq!(b.delay(0, Some(Duration::from_secs(2))), Duration::from_secs(2));
}
