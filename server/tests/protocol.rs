//! Auth, request ids, error bodies, limits, idempotency, rate limits, OpenAPI.

mod common;

use common::TestServer;
use reqwest::Method;
use std::time::Duration;

use serde_json::{Value, json};

#[tokio::test]
async fn health_and_openapi_need_no_key() {
    let s = TestServer::start().await;
    let h = TestServer::send(s.client.get(format!("{}/health", s.url))).await;
    h.expect(200);
    assert_eq!(h.body, json!({"status": "ok"}));
    assert!(h.header("x-request-id").unwrap().starts_with("req_"));
    let o = TestServer::send(s.client.get(format!("{}/api/openapi.json", s.url))).await;
    o.expect(200);
    assert!(o.header("content-type").unwrap().starts_with("application/json"));
    assert!(o.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = o.body["paths"].as_object().unwrap();
    for p in [
        "/api/customers",
        "/api/customers/{id}",
        "/api/customers/external/{externalId}",
        "/api/customers/unresolved",
        "/api/customers/{id}/bind",
        "/api/customers/import/stripe",
        "/api/customers/{id}/subscriptions",
        "/api/customers/{id}/invoices",
        "/api/subscriptions",
        "/api/subscriptions/{id}",
        "/api/subscriptions/{id}/cancel",
        "/api/invoices",
        "/api/invoices/{id}",
        "/api/invoices/{id}/pay",
        "/api/invoices/{id}/void",
        "/health",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    assert_eq!(o.body["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(o.body["components"]["schemas"]["ErrorBody"].is_object());
    assert!(o.body["paths"]["/api/customers"]["post"]["responses"]["409"].is_object());
    assert!(o.body["paths"]["/api/customers"]["post"]["responses"]["429"].is_object());
    s.stop().await;
}

/// The schema of a request body's JSON, with `allOf` parts merged and `$ref` followed.
fn properties<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a str> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut out: Vec<&str> = schema["properties"].as_object().map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        out.extend(properties(doc, part));
    }
    out
}

#[tokio::test]
async fn the_openapi_documents_links_lead_to_real_operations() {
    let s = TestServer::start().await;
    let doc = s.get("/api/openapi.json").await.body;
    let mut operations = std::collections::HashMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(operations.insert(id.to_owned(), op).is_none(), "operationId {id} is used twice");
        }
    }
    let mut links = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                for (name, link) in response["links"].as_object().into_iter().flatten() {
                    let at = format!("{method} {path} {status} {name}");
                    assert!(link.get("operation_id").is_none() && link.get("request_body").is_none(), "{at}: {link}");
                    let target = link["operationId"].as_str().and_then(|id| operations.get(id)).unwrap_or_else(|| panic!("{at}"));
                    let params: Vec<&str> = target["parameters"].as_array().into_iter().flatten().map(|p| p["name"].as_str().unwrap()).collect();
                    for param in link["parameters"].as_object().into_iter().flatten().map(|(k, _)| k) {
                        let param = param.split_once('.').map_or(param.as_str(), |(_, n)| n);
                        assert!(params.contains(&param), "{at}: {param} is not a parameter of the target");
                    }
                    let fields = properties(&doc, &target["requestBody"]["content"]["application/json"]["schema"]);
                    for field in link["requestBody"].as_object().into_iter().flatten().map(|(k, _)| k) {
                        assert!(fields.contains(&field.as_str()), "{at}: {field} is not in the target's body");
                    }
                    links += 1;
                }
            }
        }
    }
    assert!(links >= 20, "{links} links");
    let created = &doc["paths"]["/api/customers"]["post"]["responses"]["201"]["links"];
    for name in ["GetCustomer", "UpdateCustomer", "DeleteCustomer", "BindCustomer", "GetCustomerByExternalId"] {
        assert!(created[name].is_object(), "{name}");
    }
    assert_eq!(created["GetCustomer"]["parameters"]["id"], "$response.body#/id");
    s.stop().await;
}

#[tokio::test]
async fn the_openapi_document_states_the_input_checks() {
    let s = TestServer::start().await;
    let doc = s.get("/api/openapi.json").await.body;
    let schemas = &doc["components"]["schemas"];
    let countries = schemas["CountryCode"]["enum"].as_array().unwrap();
    assert!(countries.contains(&json!("UG")) && !countries.contains(&json!("ZZ")), "{}", countries.len());
    let currencies = schemas["CurrencyCode"]["enum"].as_array().unwrap();
    assert!(currencies.contains(&json!("UGX")) && !currencies.contains(&json!("ABC")), "{}", currencies.len());
    let create = &schemas["CustomerCreate"]["properties"];
    assert_eq!(create["email"]["format"], "email");
    assert_eq!(create["externalId"]["maxLength"], 255);
    assert_eq!(create["metadata"]["maxProperties"], 50);
    assert_eq!(schemas["CustomerUpdate"]["properties"]["email"]["type"], "string", "email cannot be cleared");
    assert_eq!(schemas["KeyCreate"]["properties"]["scopes"]["minItems"], 1);
    assert_eq!(schemas["KeyCreate"]["properties"]["expiresIn"]["minimum"], 1);
    assert!(schemas["EphemeralKeyCreate"]["allOf"][1]["oneOf"].is_array());
    let post = &doc["paths"]["/api/customers"]["post"];
    let key = post["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "Idempotency-Key").unwrap();
    assert!(key["schema"]["pattern"].is_string());
    let page = &doc["paths"]["/api/customers"]["get"]["parameters"][0];
    assert_eq!((page["name"].as_str(), page["schema"]["maximum"].as_u64()), (Some("page"), Some(u64::from(u32::MAX))));
    s.stop().await;
}

#[tokio::test]
async fn authentication() {
    let s = TestServer::start().await;
    let url = format!("{}/api/customers", s.url);
    let no_key = TestServer::send(s.client.get(&url)).await;
    no_key.expect_error(401, "unauthorized");
    assert_eq!(no_key.header("www-authenticate"), Some("Bearer"));
    TestServer::send(s.client.get(&url).header("Authorization", format!("bearer {}", s.key)))
        .await
        .expect_error(401, "unauthorized");
    TestServer::send(s.client.get(&url).header("Authorization", format!("Basic {}", s.key)))
        .await
        .expect_error(401, "unauthorized");
    TestServer::send(s.client.get(&url).bearer_auth("sk_live_123")).await.expect_error(401, "unauthorized");
    let unknown = format!("sk_live_{}", "0".repeat(64));
    TestServer::send(s.client.get(&url).bearer_auth(&unknown)).await.expect_error(401, "unauthorized");
    let upper = s.key.to_uppercase();
    TestServer::send(s.client.get(&url).bearer_auth(&upper)).await.expect_error(401, "unauthorized");
    TestServer::send(s.client.get(&url).bearer_auth(&s.key)).await.expect(200);
    // Unknown routes under /api need a key before they say 404.
    TestServer::send(s.client.get(format!("{}/api/nothing", s.url))).await.expect_error(401, "unauthorized");
    s.stop().await;
}

#[tokio::test]
async fn request_ids() {
    let s = TestServer::start().await;
    let r = TestServer::send(s.request(Method::GET, "/api/customers").header("X-Request-Id", "my-trace-123")).await;
    assert_eq!(r.header("x-request-id"), Some("my-trace-123"));
    let r = TestServer::send(s.request(Method::GET, "/api/customers/cust_x").header("X-Request-Id", "abc")).await;
    r.expect_error(404, "not_found");
    assert_eq!(r.body["requestId"], "abc");
    // Too long or with spaces: replaced by a generated one.
    let r = TestServer::send(s.request(Method::GET, "/api/customers").header("X-Request-Id", "x".repeat(201))).await;
    let id = r.header("x-request-id").unwrap();
    assert!(id.starts_with("req_") && id.len() == 28, "{id}");
    let r = TestServer::send(s.request(Method::GET, "/api/customers").header("X-Request-Id", "a b")).await;
    assert!(r.header("x-request-id").unwrap().starts_with("req_"));
    // Generated ids differ.
    let a = s.get("/api/customers").await.header("x-request-id").unwrap().to_owned();
    let b = s.get("/api/customers").await.header("x-request-id").unwrap().to_owned();
    assert_ne!(a, b);
    s.stop().await;
}

#[tokio::test]
async fn routing_errors() {
    let s = TestServer::start().await;
    s.get("/api/nothing/here").await.expect_error(404, "not_found");
    TestServer::send(s.client.get(format!("{}/nothing", s.url))).await.expect_error(404, "not_found");
    TestServer::send(s.request(Method::PUT, "/api/customers")).await.expect_error(405, "method_not_allowed");
    TestServer::send(s.request(Method::DELETE, "/api/invoices/inv_x/pay")).await.expect_error(405, "method_not_allowed");
    s.get("/api/customers/cust_x?unexpected=1").await.expect_error(400, "unknown_field");
    s.stop().await;
}

#[tokio::test]
async fn bad_bodies() {
    let s = TestServer::start().await;
    let post_raw = |body: &'static str, ct: &'static str| {
        TestServer::send(s.request(Method::POST, "/api/customers").header("content-type", ct).body(body))
    };
    let r = post_raw("{\"externalId\": ", "application/json").await;
    r.expect_error(400, "invalid_json");
    assert!(r.body["message"].as_str().unwrap().contains("line 1"), "{}", r.text);
    post_raw("{\"externalId\":\"t\",\"email\":\"t@y.co\"} trailing", "application/json").await.expect_error(400, "invalid_json");
    post_raw("", "application/json").await.expect_error(400, "invalid_json");
    post_raw("not json", "application/json; charset=utf-8").await.expect_error(400, "invalid_json");
    post_raw("externalId=x", "application/x-www-form-urlencoded").await.expect_error(415, "unsupported_media_type");
    post_raw("{\"externalId\":\"x\",\"email\":\"x@y.co\"}", "text/plain").await.expect_error(415, "unsupported_media_type");
    // application/*+json is JSON.
    post_raw("{\"externalId\":\"ct-1\",\"email\":\"ct1@y.co\"}", "application/merge-patch+json").await.expect(201);
    // No content type: read as JSON.
    TestServer::send(s.request(Method::POST, "/api/customers").body("{\"externalId\":\"ct-2\",\"email\":\"ct2@y.co\"}"))
        .await
        .expect(201);

    // 413 over 1 MiB, with and without Content-Length.
    let big = format!("{{\"externalId\":\"x\",\"email\":\"x@y.co\",\"name\":\"{}\"}}", "a".repeat(1024 * 1024 + 10));
    let r = TestServer::send(s.request(Method::POST, "/api/customers").header("content-type", "application/json").body(big.clone()))
        .await;
    r.expect_error(413, "payload_too_large");
    // Chunked, no Content-Length: the limit applies while reading.
    let status = chunked_post(&s, "/api/customers", big.as_bytes()).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    // Just under the limit is read (and then validated).
    let near = format!("{{\"externalId\":\"x\",\"email\":\"x@y.co\",\"name\":\"{}\"}}", "a".repeat(1000 * 1000));
    let r = TestServer::send(s.request(Method::POST, "/api/customers").header("content-type", "application/json").body(near))
        .await;
    r.expect_error(400, "validation_failed");
    // Deeply nested JSON is a 400, not a crash.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = TestServer::send(s.request(Method::POST, "/api/customers/import/stripe").header("content-type", "application/json").body(deep))
        .await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.text);
    s.stop().await;
}

#[tokio::test]
async fn idempotency_replay_and_reuse() {
    let s = TestServer::start().await;
    let body = json!({"externalId": "idem-1", "email": "idem1@example.com"});
    let send = |key: &str, body: &Value| {
        TestServer::send(s.request(Method::POST, "/api/customers").header("Idempotency-Key", key).json(body))
    };
    let a = send("key-1", &body).await;
    a.expect(201);
    assert_eq!(a.header("idempotent-replayed"), None);
    let b = send("key-1", &body).await;
    b.expect(201);
    assert_eq!(b.header("idempotent-replayed"), Some("true"));
    assert_eq!(b.text, a.text);
    assert_eq!(b.header("etag"), a.header("etag"));
    assert_eq!(b.header("location"), a.header("location"));
    assert_eq!(s.get("/api/customers").await.body["meta"]["total"], 1, "one customer, not two");
    // Same key, other body: 422.
    send("key-1", &json!({"externalId": "idem-2", "email": "idem2@example.com"}))
        .await
        .expect_error(422, "idempotency_key_reused");
    // Same key, other route: 422.
    TestServer::send(s.request(Method::POST, "/api/subscriptions").header("Idempotency-Key", "key-1").json(&body))
        .await
        .expect_error(422, "idempotency_key_reused");
    // Without a key, a repeat is a conflict.
    s.post("/api/customers", body.clone()).await.expect_error(409, "external_id_taken");
    // 4xx responses are kept too.
    let bad = json!({"externalId": "", "email": "x"});
    let e1 = send("key-2", &bad).await;
    e1.expect_error(400, "validation_failed");
    let e2 = send("key-2", &bad).await;
    assert_eq!(e2.header("idempotent-replayed"), Some("true"));
    assert_eq!(e2.text, e1.text);
    // Keys are per tenant.
    let other = s.other_tenant_key().await;
    TestServer::send(
        s.client
            .post(format!("{}/api/customers", s.url))
            .bearer_auth(&other)
            .header("Idempotency-Key", "key-1")
            .json(&body),
    )
    .await
    .expect(201);
    // PATCH and DELETE honour keys as well.
    let id = a.id();
    let p1 = TestServer::send(
        s.request(Method::PATCH, &format!("/api/customers/{id}")).header("Idempotency-Key", "key-3").json(&json!({"name": "N"})),
    )
    .await;
    p1.expect(200);
    let p2 = TestServer::send(
        s.request(Method::PATCH, &format!("/api/customers/{id}")).header("Idempotency-Key", "key-3").json(&json!({"name": "N"})),
    )
    .await;
    assert_eq!(p2.text, p1.text);
    assert_eq!(p2.header("idempotent-replayed"), Some("true"));
    let d1 = TestServer::send(s.request(Method::DELETE, &format!("/api/customers/{id}")).header("Idempotency-Key", "key-4")).await;
    d1.expect(200);
    let d2 = TestServer::send(s.request(Method::DELETE, &format!("/api/customers/{id}")).header("Idempotency-Key", "key-4")).await;
    d2.expect(200);
    assert_eq!(d2.header("idempotent-replayed"), Some("true"));
    // GET ignores the header.
    let g = TestServer::send(s.request(Method::GET, "/api/customers").header("Idempotency-Key", "key-1")).await;
    g.expect(200);
    // Bad keys.
    send(&"k".repeat(256), &body).await.expect_error(400, "bad_request");
    s.stop().await;
}

#[tokio::test]
async fn idempotency_under_concurrency() {
    let s = TestServer::start().await;
    let body = json!({"externalId": "conc-idem", "email": "conc-idem@example.com"});
    let futs = (0..10).map(|_| {
        TestServer::send(s.request(Method::POST, "/api/customers").header("Idempotency-Key", "same-key").json(&body))
    });
    let results = futures_util::future::join_all(futs).await;
    let first = results.iter().find(|r| r.header("idempotent-replayed").is_none()).expect("one ran").text.clone();
    let mut executed = 0;
    for r in &results {
        r.expect(201);
        assert_eq!(r.text, first);
        if r.header("idempotent-replayed").is_none() {
            executed += 1;
        }
    }
    assert_eq!(executed, 1, "exactly one request executed");
    assert_eq!(s.get("/api/customers").await.body["meta"]["total"], 1);
    s.stop().await;
}

#[tokio::test]
async fn rate_limit() {
    let s = TestServer::start_with(|o| o.rate_limit = 5).await;
    let mut last = None;
    for i in 0..5 {
        let r = s.get("/api/customers").await;
        r.expect(200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some((4 - i).to_string().as_str()));
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=60).contains(&reset));
        last = Some(r);
    }
    drop(last);
    let r = s.get("/api/customers").await;
    // The window may have rolled over in between; then the sixth request is allowed.
    if r.status.as_u16() == 429 {
        r.expect_error(429, "rate_limited");
        let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
        assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
        // Errors count and carry the headers too.
        let r = s.get("/api/customers/cust_x").await;
        r.expect_error(429, "rate_limited");
        // Another tenant has its own budget.
        let other = s.other_tenant_key().await;
        TestServer::send(s.client.get(format!("{}/api/customers", s.url)).bearer_auth(other)).await.expect(200);
        // Unauthenticated routes are not limited.
        TestServer::send(s.client.get(format!("{}/health", s.url))).await.expect(200);
    }
    s.stop().await;
}

#[tokio::test]
async fn no_rate_limit_headers_when_disabled() {
    let s = TestServer::start().await;
    let r = s.get("/api/customers").await;
    assert!(r.header("x-ratelimit-limit").is_none());
    s.stop().await;
}

/// Sends a chunked POST by hand and returns the status line.
async fn chunked_post(s: &TestServer, path: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s.url.strip_prefix("http://").unwrap();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.key
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(64 * 1024) {
        if tcp.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err() {
            break;
        }
        if tcp.write_all(chunk).await.is_err() || tcp.write_all(b"\r\n").await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut buf = vec![0u8; 4096];
    let n = tcp.read(&mut buf).await.unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_owned()
}

#[tokio::test]
async fn nul_characters_are_rejected_on_every_database() {
    let s = TestServer::start().await;
    let r = s.post("/api/customers", json!({"externalId": "n1", "email": "n1@example.com", "name": "a\u{0}b"})).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "name");
    let r = s.post("/api/customers/import/stripe", json!([{"id": "cus_\u{0}"}])).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "[0].id");
    let r = s.post("/api/customers", json!({"externalId": "n2", "email": "n2@example.com", "metadata": {"k": "\u{0}"}})).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "metadata.k");
    // A literal backslash-u in a string is fine.
    let c = s.post("/api/customers", json!({"externalId": "n3", "email": "n3@example.com", "name": "\\u0000"})).await;
    c.expect(201);
    assert_eq!(c.body["name"], "\\u0000");
    s.get("/api/customers?search=a%00b").await.expect_error(400, "validation_failed");
    s.get("/api/customers/cust_%00").await.expect_error(404, "not_found");
    s.get("/api/customers/external/a%00").await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn purge_forgets_expired_idempotency_keys() {
    let s = TestServer::start().await;
    let post = |email: &str| {
        let body = json!({"externalId": format!("purge-{email}"), "email": format!("{email}@y.co")});
        TestServer::send(s.request(Method::POST, "/api/customers").header("Idempotency-Key", "purge-key").json(&body))
    };
    post("p1").await.expect(201);
    post("p2").await.expect_error(422, "idempotency_key_reused");
    let db = &s.server.as_ref().unwrap().state.db;
    // The purge is database-wide, and on PostgreSQL the tests running beside
    // this one share the database: there, only check that its SQL runs.
    let now = novabilling_server::clock::now_ms();
    let when = if common::is_postgres() { now } else { now + 25 * 60 * 60 * 1000 };
    novabilling_server::idempotency::purge(db, when).await.expect("idempotency purge");
    novabilling_server::ratelimit::purge(db, when).await.expect("rate-limit purge");
    if !common::is_postgres() {
        // A day later the key is free again: a new request with it runs.
        post("p2").await.expect(201);
    }
    s.stop().await;
}

/// A pending key as a request left it: silent for `silent_ms`.
async fn leave_pending(s: &TestServer, key: &str, body: &Value, silent_ms: i64) {
    use sha2::Digest;
    let db = &s.server.as_ref().unwrap().state.db;
    let tenant = novabilling_server::store::keys::tenant_of(db, &s.key).await.unwrap().unwrap();
    let hash = hex::encode(sha2::Sha256::digest(serde_json::to_vec(body).unwrap()));
    let now = novabilling_server::clock::now_ms();
    let sql = "INSERT INTO idempotency_keys (tenant_id, idem_key, method, path, body_hash, state, created_at, alive_at) \
               VALUES ($1, $2, 'POST', '/api/customers', $3, 'pending', $4, $5)";
    let (created, alive) = (now - 60_000, now - silent_ms);
    match db {
        novabilling_server::Db::Sqlite { write, .. } => {
            sqlx::query(sql).bind(tenant).bind(key).bind(hash).bind(created).bind(alive).execute(write).await.unwrap();
        }
        novabilling_server::Db::Postgres { pool: p, .. } => {
            sqlx::query(sql).bind(tenant).bind(key).bind(hash).bind(created).bind(alive).execute(p).await.unwrap();
        }
    }
}

/// A server SIGKILLed mid-request leaves its key pending: the key is taken
/// over once its owner has been silent for 10 s, so the client's retry runs;
/// a key whose owner is alive is waited for, then answered 409 (retried by the
/// SDKs). Before the heartbeat a dead owner's key blocked retries for 5 minutes.
#[tokio::test]
async fn a_key_a_dead_server_left_pending_is_taken_over_and_a_live_ones_waited_for() {
    let s = TestServer::start().await;
    let orphan = json!({"externalId": "orphan", "email": "orphan@y.co"});
    leave_pending(&s, "orphaned-key", &orphan, 11_000).await;
    let started = std::time::Instant::now();
    TestServer::send(s.request(Method::POST, "/api/customers").header("Idempotency-Key", "orphaned-key").json(&orphan)).await.expect(201);
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    let busy = json!({"externalId": "busy", "email": "busy@y.co"});
    leave_pending(&s, "busy-key", &busy, 0).await;
    let r = TestServer::send(s.request(Method::POST, "/api/customers").header("Idempotency-Key", "busy-key").json(&busy)).await;
    r.expect_error(409, "idempotency_key_in_use");
    assert_eq!(r.header("retry-after"), Some("1"));
    s.stop().await;
}

/// Two replicas on one PostgreSQL database share a tenant's limit: each counts
/// in memory and flushes, so together they pass at most a tenth over it.
#[tokio::test]
async fn rate_limit_is_shared_by_replicas() {
    if !common::is_postgres() {
        return;
    }
    let a = TestServer::start_with(|o| o.rate_limit = 40).await;
    let b = TestServer::start_with(|o| o.rate_limit = 40).await;
    let (mut allowed, mut resets) = (0, Vec::new());
    for i in 0..100 {
        let s = if i % 2 == 0 { &a } else { &b };
        let r = TestServer::send(s.client.get(format!("{}/api/customers", s.url)).bearer_auth(&a.key)).await;
        if r.status.as_u16() == 200 {
            allowed += 1;
        } else {
            r.expect_error(429, "rate_limited");
        }
        resets.push(r.header("x-ratelimit-reset").unwrap().parse::<u64>().unwrap());
    }
    // A window that ended midway admits a second allowance; nothing to judge then.
    if resets.windows(2).all(|w| w[1] <= w[0]) {
        assert!((40..=44).contains(&allowed), "{allowed} of 100 allowed by two replicas at 40 a minute");
    }
    a.stop().await;
    b.stop().await;
}
