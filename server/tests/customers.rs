//! Customer routes over HTTP.

mod common;

use common::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn create_get_and_shape() {
    let s = TestServer::start().await;
    let r = s
        .post(
            "/api/customers",
            json!({
                "externalId": "user-1", "email": "Jane@Example.com", "name": "Jane Doe",
                "country": "ug", "currency": "ugx", "metadata": {"plan": "pro", "n": 1},
                "externalOrganizationId": "org-9"
            }),
        )
        .await;
    r.expect(201);
    let customer = &r.body;
    let id = r.id();
    assert!(id.starts_with("cust_") && id.len() == 29, "{id}");
    assert!(id[5..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    assert_eq!(customer["externalId"], "user-1");
    assert_eq!(customer["email"], "Jane@Example.com");
    assert_eq!(customer["country"], "UG");
    assert_eq!(customer["currency"], "UGX");
    assert_eq!(customer["status"], "active");
    assert_eq!(customer["metadata"], json!({"plan": "pro", "n": 1}));
    assert_eq!(customer["externalOrganizationId"], "org-9");
    assert_eq!(customer["stripeCustomerId"], Value::Null);
    assert_eq!(customer["totalSpent"], json!(0));
    assert_eq!(customer["activeSubscriptions"], json!(0));
    let created = customer["createdAt"].as_str().unwrap();
    assert_eq!(created.len(), 24, "RFC 3339 with ms and Z: {created}");
    assert!(created.ends_with('Z'));
    let etag = r.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    assert_eq!(r.header("location"), Some(format!("/api/customers/{id}").as_str()));

    let got = s.get(&format!("/api/customers/{id}")).await;
    got.expect(200);
    assert_eq!(got.body, r.body);
    assert_eq!(got.header("etag"), Some(etag.as_str()));

    // Defaults: metadata {}, nullable fields null.
    let defaults = s.customer(json!({})).await;
    assert_eq!(defaults["metadata"], json!({}));
    assert_eq!(defaults["name"], Value::Null);
    assert_eq!(defaults["currency"], Value::Null);
    s.stop().await;
}

#[tokio::test]
async fn create_validation_errors() {
    let s = TestServer::start().await;
    let r = s
        .post("/api/customers", json!({"externalId": "", "email": "nope", "country": "XX", "currency": "ABC"}))
        .await;
    r.expect_error(400, "validation_failed");
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["externalId", "email", "country", "currency"]);
    for e in r.body["errors"].as_array().unwrap() {
        assert!(e["code"].is_string() && e["message"].is_string());
    }
    // Missing required field.
    let r = s.post("/api/customers", json!({"externalId": "x"})).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "email");
    // Wrong type: core's classification, the same code the bindings give.
    let r = s.post("/api/customers", json!({"externalId": "x", "email": 5})).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "email");
    assert_eq!(r.body["errors"][0]["code"], "invalid");
    let r = s.post("/api/customers/import/stripe", json!([{"id": "cus_1", "address": {"country": 1}}])).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "[0].address.country");
    assert_eq!(r.body["errors"][0]["code"], "invalid");
    let r = s.post("/api/customers", json!({"externalId": "x"})).await;
    assert_eq!(r.body["errors"][0]["code"], "required");
    // A duplicate key is JSON of the wrong shape, not malformed JSON.
    let r = TestServer::send(
        s.request(reqwest::Method::POST, "/api/customers")
            .header("content-type", "application/json")
            .body(r#"{"externalId": "x", "email": "a@b.co", "email": "c@d.co"}"#),
    )
    .await;
    r.expect_error(400, "bad_request");
    assert!(r.body.get("errors").is_none_or(|e| e.as_array().is_some_and(Vec::is_empty)), "{}", r.text);
    // Name too long, metadata too many keys.
    let big: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!(i))).collect();
    let r = s
        .post("/api/customers", json!({"externalId": "x", "email": "a@b.co", "name": "n".repeat(201), "metadata": big}))
        .await;
    r.expect_error(400, "validation_failed");
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "metadata"]);
    // Unknown field.
    let r = s.post("/api/customers", json!({"externalId": "x", "email": "a@b.co", "foo": 1})).await;
    r.expect_error(400, "unknown_field");
    assert!(r.body["message"].as_str().unwrap().contains("`foo`"));
    // Not an object.
    s.post("/api/customers", json!([1, 2])).await.expect_error(400, "bad_request");
    s.stop().await;
}

#[tokio::test]
async fn duplicates_are_409_with_distinct_codes() {
    let s = TestServer::start().await;
    s.post("/api/customers", json!({"externalId": "dup-1", "email": "dup@example.com"})).await.expect(201);
    s.post("/api/customers", json!({"externalId": "dup-2", "email": "DUP@example.COM"}))
        .await
        .expect_error(409, "email_taken");
    s.post("/api/customers", json!({"externalId": "dup-1", "email": "other@example.com"}))
        .await
        .expect_error(409, "external_id_taken");
    s.stop().await;
}

#[tokio::test]
async fn get_unknown_is_404_and_external_lookup() {
    let s = TestServer::start().await;
    s.get("/api/customers/cust_doesnotexist0000000000").await.expect_error(404, "not_found");
    let c = s.customer(json!({"externalId": "team/alpha user?1"})).await;
    let r = s.get("/api/customers/external/team%2Falpha%20user%3F1").await;
    r.expect(200);
    assert_eq!(r.body["id"], c["id"]);
    assert!(r.header("etag").is_some());
    s.get("/api/customers/external/nobody").await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn patch_semantics() {
    let s = TestServer::start().await;
    let c = s.customer(json!({"name": "Old", "country": "US", "metadata": {"a": 1, "b": 2}})).await;
    let id = c["id"].as_str().unwrap();
    let path = format!("/api/customers/{id}");

    // Absent fields kept, metadata replaced whole, null clears.
    let r = s.patch(&path, json!({"metadata": {"c": 3}, "country": null, "status": "inactive"})).await;
    r.expect(200);
    assert_eq!(r.body["metadata"], json!({"c": 3}));
    assert_eq!(r.body["country"], Value::Null);
    assert_eq!(r.body["name"], "Old");
    assert_eq!(r.body["status"], "inactive");
    assert_ne!(r.body["updatedAt"], c["updatedAt"]);
    assert_eq!(r.body["createdAt"], c["createdAt"]);

    let r2 = s.patch(&path, json!({"metadata": null, "name": "New", "currency": "eur"})).await;
    r2.expect(200);
    assert_eq!(r2.body["metadata"], json!({}));
    assert_eq!(r2.body["name"], "New");
    assert_eq!(r2.body["currency"], "EUR");
    // updatedAt and the ETag change on every PATCH, even an empty one.
    let r3 = s.patch(&path, json!({})).await;
    r3.expect(200);
    assert_ne!(r3.header("etag"), r2.header("etag"));
    assert!(r3.body["updatedAt"].as_str() > r2.body["updatedAt"].as_str());

    // Email and status cannot be cleared; bad values are validation errors.
    let r = s.patch(&path, json!({"email": null, "status": "gone"})).await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
    // externalId cannot change here.
    let r = s.patch(&path, json!({"externalId": "new"})).await;
    r.expect_error(400, "external_id_immutable");
    assert!(r.body["message"].as_str().unwrap().contains("/bind"));
    s.patch(&path, json!({"nope": 1})).await.expect_error(400, "unknown_field");
    // Email taken by another customer.
    let other = s.customer(json!({})).await;
    s.patch(&path, json!({"email": other["email"].as_str().unwrap().to_uppercase()}))
        .await
        .expect_error(409, "email_taken");
    // Own email in another case is fine.
    let own = r3.body["email"].as_str().unwrap().to_uppercase();
    s.patch(&path, json!({"email": own})).await.expect(200);
    s.patch("/api/customers/cust_nope", json!({"name": "x"})).await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn if_match() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let path = format!("/api/customers/{}", c["id"].as_str().unwrap());
    let etag = s.get(&path).await.header("etag").unwrap().to_owned();

    let stale = TestServer::send(s.request(Method::PATCH, &path).header("If-Match", "\"v999\"").json(&json!({"name": "x"})))
        .await;
    stale.expect_error(412, "precondition_failed");
    let ok = TestServer::send(s.request(Method::PATCH, &path).header("If-Match", &etag).json(&json!({"name": "x"}))).await;
    ok.expect(200);
    let new_etag = ok.header("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The old ETag no longer matches.
    TestServer::send(s.request(Method::PATCH, &path).header("If-Match", &etag).json(&json!({"name": "y"})))
        .await
        .expect_error(412, "precondition_failed");
    // A list with the current tag, and *, match.
    TestServer::send(
        s.request(Method::PATCH, &path).header("If-Match", format!("\"nope\", {new_etag}")).json(&json!({"name": "z"})),
    )
    .await
    .expect(200);
    TestServer::send(s.request(Method::PATCH, &path).header("If-Match", "*").json(&json!({"name": "w"})))
        .await
        .expect(200);
    // DELETE honours it too.
    TestServer::send(s.request(Method::DELETE, &path).header("If-Match", &etag)).await.expect_error(412, "precondition_failed");
    TestServer::send(s.request(Method::DELETE, &path).header("If-Match", "*")).await.expect(200);
    // * does not match a customer that does not exist.
    TestServer::send(s.request(Method::DELETE, &path).header("If-Match", "*")).await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn delete_frees_email_and_external_id() {
    let s = TestServer::start().await;
    let c = s.customer(json!({})).await;
    let id = c["id"].as_str().unwrap();
    let r = s.delete(&format!("/api/customers/{id}")).await;
    r.expect(200);
    assert_eq!(r.body, json!({"id": id, "deleted": true}));
    s.get(&format!("/api/customers/{id}")).await.expect_error(404, "not_found");
    s.delete(&format!("/api/customers/{id}")).await.expect_error(404, "not_found");
    s.patch(&format!("/api/customers/{id}"), json!({"name": "x"})).await.expect_error(404, "not_found");
    s.get(&format!("/api/customers/external/{}", c["externalId"].as_str().unwrap())).await.expect_error(404, "not_found");
    let list = s.get("/api/customers").await;
    assert!(list.body["data"].as_array().unwrap().iter().all(|x| x["id"] != c["id"]));
    // The email and externalId can be used again.
    let again = s.post("/api/customers", json!({"externalId": c["externalId"], "email": c["email"]})).await;
    again.expect(201);
    assert_ne!(again.body["id"], c["id"]);
    s.stop().await;
}

#[tokio::test]
async fn stripe_import_unresolved_and_bind() {
    let s = TestServer::start().await;
    let export = json!([
        {"id": "cus_A", "object": "customer", "email": "a@example.com", "name": "A Co",
         "address": {"country": "us", "city": "NYC", "line1": "1 St"}, "currency": "usd",
         "metadata": {"k": "v"}, "livemode": false, "created": 1_700_000_000},
        {"id": "cus_B", "email": null, "name": null, "address": null, "currency": null, "metadata": null},
        {"id": "cus_C", "email": "A@EXAMPLE.COM"},
        {"id": "cus_A", "email": "again@example.com"},
        {"id": "cus_D", "email": "not an email", "address": {"country": "Narnia"}, "currency": "zzz"}
    ]);
    let r = s.post("/api/customers/import/stripe", export.clone()).await;
    r.expect(200);
    assert_eq!(r.body, json!({"created": 3, "skipped": 2}));
    // Idempotent by Stripe id.
    let r = s.post("/api/customers/import/stripe", export).await;
    assert_eq!(r.body, json!({"created": 0, "skipped": 5}));

    let un = s.get("/api/customers/unresolved").await;
    un.expect(200);
    assert_eq!(un.body["meta"]["total"], 3);
    let a = un.body["data"].as_array().unwrap().iter().find(|c| c["stripeCustomerId"] == "cus_A").unwrap().clone();
    assert_eq!(a["externalId"], Value::Null);
    assert_eq!(a["country"], "US");
    assert_eq!(a["currency"], "USD");
    assert_eq!(a["metadata"], json!({"k": "v"}));
    let d = un.body["data"].as_array().unwrap().iter().find(|c| c["stripeCustomerId"] == "cus_D").unwrap().clone();
    assert_eq!(d["email"], Value::Null);
    assert_eq!(d["country"], Value::Null);
    assert_eq!(d["currency"], Value::Null);
    s.get("/api/customers/unresolved?limit=1&page=2").await.expect(200);
    s.get("/api/customers/unresolved?search=x").await.expect_error(400, "unknown_field");
    s.get("/api/customers/unresolved?limit=0").await.expect_error(400, "validation_failed");

    // Import validation: an entry without id.
    s.post("/api/customers/import/stripe", json!([{"id": ""}])).await.expect_error(400, "validation_failed");
    s.post("/api/customers/import/stripe", json!({"id": "cus_X"})).await.expect_error(400, "bad_request");

    // Bind: one-way, unique, validated.
    let a_id = a["id"].as_str().unwrap();
    let bound_elsewhere = s.customer(json!({})).await;
    s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": bound_elsewhere["externalId"]}))
        .await
        .expect_error(409, "external_id_taken");
    s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": ""})).await.expect_error(400, "validation_failed");
    s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": "x", "extra": 1})).await.expect_error(400, "unknown_field");
    let r = s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": "user-a"})).await;
    r.expect(200);
    assert_eq!(r.body["externalId"], "user-a");
    assert!(r.header("etag").is_some());
    s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": "user-b"})).await.expect_error(409, "already_bound");
    s.post(&format!("/api/customers/{a_id}/bind"), json!({"externalId": "user-a"})).await.expect_error(409, "already_bound");
    s.post("/api/customers/cust_nope/bind", json!({"externalId": "user-z"})).await.expect_error(404, "not_found");
    assert_eq!(s.get("/api/customers/external/user-a").await.body["id"], a["id"]);
    assert_eq!(s.get("/api/customers/unresolved").await.body["meta"]["total"], 2);
    // Bound customers are searchable by their new externalId.
    assert_eq!(s.get("/api/customers?search=USER-A").await.body["meta"]["total"], 1);
    s.stop().await;
}

#[tokio::test]
async fn tenant_isolation() {
    let s = TestServer::start().await;
    let c = s.customer(json!({"currency": "USD"})).await;
    let id = c["id"].as_str().unwrap();
    let sub = s.post("/api/subscriptions", json!({"customerId": id, "planId": "p"})).await;
    sub.expect(201);
    let inv = s.post("/api/invoices", json!({"customerId": id, "amount": 5})).await;
    inv.expect(201);

    let other = s.other_tenant_key().await;
    let as_other = |m: Method, p: &str| s.client.request(m, format!("{}{}", s.url, p)).bearer_auth(&other);
    let sid = sub.id();
    let iid = inv.id();
    for (m, p, body) in [
        (Method::GET, format!("/api/customers/{id}"), None),
        (Method::PATCH, format!("/api/customers/{id}"), Some(json!({"name": "x"}))),
        (Method::DELETE, format!("/api/customers/{id}"), None),
        (Method::POST, format!("/api/customers/{id}/bind"), Some(json!({"externalId": "x"}))),
        (Method::GET, format!("/api/customers/{id}/subscriptions"), None),
        (Method::GET, format!("/api/customers/{id}/invoices"), None),
        (Method::GET, format!("/api/customers/external/{}", c["externalId"].as_str().unwrap()), None),
        (Method::GET, format!("/api/subscriptions/{sid}"), None),
        (Method::POST, format!("/api/subscriptions/{sid}/cancel"), None),
        (Method::GET, format!("/api/invoices/{iid}"), None),
        (Method::POST, format!("/api/invoices/{iid}/pay"), None),
        (Method::POST, format!("/api/invoices/{iid}/void"), None),
        (Method::POST, "/api/subscriptions".to_owned(), Some(json!({"customerId": id, "planId": "p"}))),
        (Method::POST, "/api/invoices".to_owned(), Some(json!({"customerId": id, "amount": 1}))),
    ] {
        let mut rb = as_other(m.clone(), &p);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        TestServer::send(rb).await.expect_error(404, "not_found");
    }
    let list = TestServer::send(as_other(Method::GET, "/api/customers")).await;
    assert_eq!(list.body["meta"]["total"], 0);
    // The other tenant may reuse the same email and externalId.
    TestServer::send(as_other(Method::POST, "/api/customers").json(&json!({"externalId": c["externalId"], "email": c["email"]})))
        .await
        .expect(201);
    // Nothing changed for the owner.
    let g = s.get(&format!("/api/customers/{id}")).await;
    g.expect(200);
    assert_eq!(g.body["name"], Value::Null);
    assert_eq!(g.body["activeSubscriptions"], 1);
    s.stop().await;
}
