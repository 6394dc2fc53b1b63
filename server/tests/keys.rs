//! Keys over real HTTP, on SQLite or PostgreSQL: every route of the route
//! table with every kind of key, allowed and denied; expiry; revocation seen
//! by a second server on the same database; what a restricted key may hand
//! out; keys made before checksums.

mod common;

use common::{TestServer, unique};
use novabilling::keys::{KeyKind, Scope};
use novabilling_server::auth::Access;
use novabilling_server::{Db, routes};
use novabilling_server::store::keys;
use novabilling_server::store::key_cache::FRESH_FOR;
use std::time::Duration;
use reqwest::Method;
use serde_json::{Value, json};

fn scopes_json(scopes: &[Scope]) -> Value {
    json!(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>())
}

async fn restricted(s: &TestServer, scopes: &[Scope]) -> String {
    let r = s.post("/api/keys", json!({ "scopes": scopes_json(scopes), "name": unique("k") })).await;
    r.expect(201);
    r.body["secret"].as_str().unwrap().to_owned()
}

async fn ephemeral(s: &TestServer, body: Value) -> Value {
    let r = s.post("/api/ephemeral-keys", body).await;
    r.expect(201);
    r.body
}

async fn call(s: &TestServer, key: &str, method: Method, path: &str, body: Option<Value>) -> common::Resp {
    let rb = s.client.request(method, format!("{}{path}", s.url)).bearer_auth(key);
    TestServer::send(match body {
        Some(b) => rb.json(&b),
        None => rb,
    })
    .await
}

/// The route's path with its parameters filled: `{id}` and `{external_id}`
/// name `own` (a customer) on customer routes that an ephemeral key may use,
/// and an id that does not exist everywhere else, so no call of the matrix
/// deletes or changes anything that a later one needs.
fn fill(path: &str, access: Access, id: &str, external_id: &str) -> String {
    match access {
        Access::OwnCustomer(_) => path.replace("{id}", id).replace("{external_id}", external_id),
        Access::Scope(_) => path.replace("{id}", "missing_0123456789").replace("{external_id}", "missing"),
    }
}

fn body_for(method: &Method) -> Option<Value> {
    match *method {
        Method::POST => Some(json!({})),
        Method::PATCH => Some(json!({ "name": "From the matrix" })),
        _ => None,
    }
}

fn allowed(r: &common::Resp) -> bool {
    !matches!(r.status.as_u16(), 401 | 403)
}

fn is_scope_denial(r: &common::Resp, scope: Scope) -> bool {
    r.status == 403
        && r.code() == "insufficient_scope"
        && r.body["requiredScope"] == scope.as_str()
        && r.header("www-authenticate") == Some(&*format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\""))
}

#[tokio::test]
async fn every_route_with_every_kind_of_key() {
    let s = TestServer::start().await;
    let own = s.customer(json!({})).await;
    let other = s.customer(json!({})).await;
    let (own_id, own_ext) = (own["id"].as_str().unwrap(), own["externalId"].as_str().unwrap());
    let (other_id, other_ext) = (other["id"].as_str().unwrap(), other["externalId"].as_str().unwrap());
    let eph = ephemeral(&s, json!({ "customerId": own_id })).await;
    let eph = eph["secret"].as_str().unwrap().to_owned();
    let (mut allowed_calls, mut denied_calls) = (0, 0);
    let mut failures = Vec::new();
    let table = routes::table();
    for route in &table {
        let scope = route.access.scope();
        let path = fill(route.path, route.access, own_id, own_ext);
        let body = body_for(&route.method);
        let holder = restricted(&s, &[scope]).await;
        let lacking: Vec<Scope> = Scope::ALL.into_iter().filter(|x| *x != scope).collect();
        let lacker = restricted(&s, &lacking).await;
        let own_customer = matches!(route.access, Access::OwnCustomer(Scope::CustomersRead | Scope::CustomersWrite));
        let cases: [(&str, &str, bool); 4] =
            [("secret", &s.key, true), ("restricted with", &holder, true), ("restricted without", &lacker, false), ("ephemeral", &eph, own_customer)];
        for (kind, key, expect_allowed) in cases {
            let r = call(&s, key, route.method.clone(), &path, body.clone()).await;
            let ok = if expect_allowed { allowed(&r) } else { is_scope_denial(&r, scope) };
            if !ok {
                failures.push(format!("{} {path} with {kind}: {} {}", route.method, r.status, r.text));
            }
            if expect_allowed { allowed_calls += 1 } else { denied_calls += 1 }
        }
        if own_customer {
            // The customer routes an ephemeral key may use, naming another customer: 404.
            let path = route.path.replace("{id}", other_id).replace("{external_id}", other_ext);
            let r = call(&s, &eph, route.method.clone(), &path, body.clone()).await;
            if r.status != 404 || r.code() != "not_found" {
                failures.push(format!("{} {path} with another customer's ephemeral key: {} {}", route.method, r.status, r.text));
            }
            denied_calls += 1;
        }
    }
    assert!(failures.is_empty(), "{} of the matrix failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("key matrix: {} routes, {allowed_calls} allowed and {denied_calls} denied calls", table.len());
    assert_eq!(table.len(), 33);
    s.stop().await;
}

#[tokio::test]
async fn an_ephemeral_key_changes_only_what_an_app_may() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let id = c["id"].as_str().unwrap();
    let e = ephemeral(&s, json!({ "externalId": c["externalId"], "expiresIn": 600 })).await;
    assert_eq!(e["customerId"], c["id"]);
    assert!(e["id"].as_str().unwrap().starts_with("ephkey_"));
    let key = e["secret"].as_str().unwrap();
    assert!(key.starts_with("ek_live_"), "{key}");
    let path = format!("/api/customers/{id}");
    let r = call(&s, key, Method::PATCH, &path, Some(json!({ "name": "Nakato", "email": "n@example.com", "country": "ug", "currency": "UGX" }))).await;
    r.expect(200);
    assert_eq!(r.body["country"], "UG");
    for field in ["metadata", "externalId", "netPaymentTerms"] {
        let r = call(&s, key, Method::PATCH, &path, Some(json!({ field: null }))).await;
        assert!(is_scope_denial(&r, Scope::CustomersWrite), "{field}: {}", r.text);
        assert!(r.body["message"].as_str().unwrap().contains(field), "{}", r.text);
    }
    // The refused change changed nothing.
    let after = s.get(&path).await;
    assert_eq!(after.body["name"], "Nakato");
    assert_eq!(after.body["metadata"], c["metadata"]);
    // Deleting, binding, listing: refused.
    assert!(is_scope_denial(&call(&s, key, Method::DELETE, &path, None).await, Scope::CustomersDelete));
    assert!(is_scope_denial(&call(&s, key, Method::GET, "/api/customers", None).await, Scope::CustomersRead));
    assert!(is_scope_denial(&call(&s, key, Method::POST, "/api/ephemeral-keys", Some(json!({ "customerId": id }))).await, Scope::KeysManage));
    s.stop().await;
}

#[tokio::test]
async fn ephemeral_lifetimes_and_validation() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let e = ephemeral(&s, json!({ "customerId": c["id"] })).await;
    let made = chrono::DateTime::parse_from_rfc3339(e["createdAt"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(e["expiresAt"].as_str().unwrap()).unwrap();
    assert_eq!((expires - made).num_seconds(), 3600, "default lifetime");
    s.post("/api/ephemeral-keys", json!({ "customerId": c["id"], "expiresIn": 86_401 })).await.expect_error(400, "validation_failed");
    s.post("/api/ephemeral-keys", json!({ "customerId": c["id"], "externalId": c["externalId"] })).await.expect_error(400, "validation_failed");
    s.post("/api/ephemeral-keys", json!({})).await.expect_error(400, "validation_failed");
    s.post("/api/ephemeral-keys", json!({ "customerId": "cust_missing" })).await.expect_error(404, "not_found");
    s.post("/api/keys", json!({ "scopes": ["customers:fly"] })).await.expect_error(400, "validation_failed");
    s.post("/api/keys", json!({ "scopes": [] })).await.expect_error(400, "validation_failed");
    s.stop().await;
}

#[tokio::test]
async fn expired_and_revoked_keys_get_their_own_401() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let path = format!("/api/customers/{}", c["id"].as_str().unwrap());
    let e = ephemeral(&s, json!({ "customerId": c["id"], "expiresIn": 1 })).await;
    let ek = e["secret"].as_str().unwrap();
    let rk = s.post("/api/keys", json!({ "scopes": ["customers:read"], "expiresIn": 1 })).await;
    rk.expect(201);
    let rk = rk.body["secret"].as_str().unwrap();
    call(&s, ek, Method::GET, &path, None).await.expect(200);
    call(&s, rk, Method::GET, &path, None).await.expect(200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    call(&s, ek, Method::GET, &path, None).await.expect_error(401, "expired_api_key");
    call(&s, rk, Method::GET, &path, None).await.expect_error(401, "expired_api_key");

    let e = ephemeral(&s, json!({ "customerId": c["id"] })).await;
    let ek = e["secret"].as_str().unwrap();
    let r = s.delete(&format!("/api/ephemeral-keys/{}", e["id"].as_str().unwrap())).await;
    r.expect(200);
    assert!(r.body["revokedAt"].is_string());
    call(&s, ek, Method::GET, &path, None).await.expect_error(401, "revoked_api_key");
    // A key of a kind the route does not take is not found there.
    s.delete(&format!("/api/keys/{}", e["id"].as_str().unwrap())).await.expect_error(404, "not_found");
    s.stop().await;
}

/// The server that revokes a key refuses it at once; another replica, which
/// keeps the keys it read for `FRESH_FOR`, within that time.
#[tokio::test]
async fn a_revocation_is_seen_by_a_second_server_on_the_same_database() {
    let first = TestServer::start().await;
    let db_url = database_url(&first);
    let second = TestServer::start_with(|o| o.database = db_url.clone()).await;
    let rk = restricted(&first, &[Scope::CustomersRead]).await;
    let on_second = |key: String| {
        let url = format!("{}/api/customers", second.url);
        let client = second.client.clone();
        async move { client.get(url).bearer_auth(key).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(on_second(rk.clone()).await, 200);
    let id = first.get("/api/keys").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["last4"].as_str() == Some(&rk[rk.len() - 4..]))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let on_first = |key: String| {
        let url = format!("{}/api/customers", first.url);
        let client = first.client.clone();
        async move { client.get(url).bearer_auth(key).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(on_first(rk.clone()).await, 200, "the first server has the key in its cache too");
    first.delete(&format!("/api/keys/{id}")).await.expect(200);
    let revoked = std::time::Instant::now();
    assert_eq!(on_first(rk.clone()).await, 401, "the server that revoked the key still took it");
    while on_second(rk.clone()).await != 401 {
        assert!(revoked.elapsed() <= FRESH_FOR + Duration::from_millis(500), "the second server took a revoked key past FRESH_FOR");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    second.stop().await;
    first.stop().await;
}

/// The first test server's database, so a second one can share it.
fn database_url(s: &TestServer) -> String {
    match &s.db_file {
        Some(path) => format!("sqlite://{}", path.display()),
        None => std::env::var("NOVABILLING_TEST_DATABASE_URL").unwrap(),
    }
}

#[tokio::test]
async fn a_restricted_key_hands_out_no_more_than_it_holds() {
    let s = TestServer::start().await;
    let manager = restricted(&s, &[Scope::KeysManage, Scope::CustomersRead]).await;
    let r = call(&s, &manager, Method::POST, "/api/keys", Some(json!({ "scopes": ["customers:read", "customers:write"] }))).await;
    assert!(is_scope_denial(&r, Scope::CustomersWrite), "{}", r.text);
    let r = call(&s, &manager, Method::POST, "/api/keys", Some(json!({ "scopes": ["customers:read"], "name": "reader" }))).await;
    r.expect(201);
    assert_eq!(r.body["scopes"], json!(["customers:read"]));
    assert!(r.body["secret"].as_str().unwrap().starts_with("rk_live_"));
    // It lists keys without secrets, and cannot revoke a secret key.
    let list = call(&s, &manager, Method::GET, "/api/keys", None).await;
    list.expect(200);
    let data = list.body["data"].as_array().unwrap();
    assert!(data.iter().all(|k| k.get("secret").is_none()));
    let secret = data.iter().find(|k| k["kind"] == "secret").unwrap();
    assert_eq!(secret["scopes"].as_array().unwrap().len(), Scope::ALL.len());
    assert!(secret["lastUsedAt"].is_string(), "the secret key was used: {secret}");
    let r = call(&s, &manager, Method::DELETE, &format!("/api/keys/{}", secret["id"].as_str().unwrap()), None).await;
    r.expect_error(403, "secret_key_required");
    // A secret key can revoke a restricted one, and revoking twice answers the same.
    let reader = data.iter().find(|k| k["name"] == "reader").unwrap()["id"].as_str().unwrap().to_owned();
    let first = s.delete(&format!("/api/keys/{reader}")).await;
    first.expect(200);
    let again = s.delete(&format!("/api/keys/{reader}")).await;
    again.expect(200);
    assert_eq!(first.body["revokedAt"], again.body["revokedAt"]);
    assert!(s.get("/api/keys").await.body["data"].as_array().unwrap().iter().all(|k| k["id"] != reader));
    s.stop().await;
}

#[tokio::test]
async fn keys_made_before_checksums_keep_working_and_mistyped_keys_are_refused() {
    let s = TestServer::start().await;
    let db = &s.server.as_ref().unwrap().state.db;
    let tenant = keys::ensure_tenant(db, &unique("legacy")).await.unwrap();
    // Of the old form (64 lowercase hex), and new each run: a kept PostgreSQL cluster holds the last run's.
    let legacy = format!("sk_live_{}", hex::encode(<sha2::Sha256 as sha2::Digest>::digest(unique("legacy").as_bytes())));
    // A key as 0001_init.sql stored it, with the id 0003_keys.sql gave such keys.
    let sql = "INSERT INTO api_keys (key_hash, tenant_id, prefix, created_at, id) VALUES ($1, $2, $3, 0, 'key_' || substr($1, 1, 24))";
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(legacy.as_bytes()));
    match db {
        Db::Sqlite { write, .. } => sqlx::query(sql).bind(&hash).bind(&tenant).bind(&legacy[..12]).execute(write).await.map(drop),
        Db::Postgres { pool: pg, .. } => sqlx::query(sql).bind(&hash).bind(&tenant).bind(&legacy[..12]).execute(pg).await.map(drop),
    }
    .unwrap();
    call(&s, &legacy, Method::GET, "/api/customers", None).await.expect(200);
    let mut typo = s.key.clone().into_bytes();
    let i = typo.len() - 10;
    typo[i] = if typo[i] == b'a' { b'b' } else { b'a' };
    let typo = String::from_utf8(typo).unwrap();
    call(&s, &typo, Method::GET, "/api/customers", None).await.expect_error(401, "invalid_api_key");
    let unknown = keys::new_key_text(KeyKind::Secret, true);
    call(&s, &unknown, Method::GET, "/api/customers", None).await.expect_error(401, "unauthorized");
    s.stop().await;
}

#[tokio::test]
async fn the_openapi_document_names_every_routes_scope() {
    let s = TestServer::start().await;
    let doc = s.get("/api/openapi.json").await.body;
    for route in routes::table() {
        let path = route.path.replace("{external_id}", "{externalId}");
        let op = &doc["paths"][path.as_str()][route.method.as_str().to_ascii_lowercase()];
        let scope = route.access.scope().as_str();
        assert_eq!(op["x-required-scope"], scope, "{} {}", route.method, route.path);
        assert_eq!(op["security"], json!([{ "bearer": [scope] }]), "{} {}", route.method, route.path);
    }
    s.stop().await;
}
