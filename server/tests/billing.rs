//! Subscriptions, invoices, totals and delete over HTTP.

mod common;

use common::TestServer;
use serde_json::{Value, json};

#[tokio::test]
async fn subscriptions_lifecycle() {
    let s = TestServer::start().await;
    let customer = s.customer(json!({})).await;
    let id = customer["id"].as_str().unwrap();

    let active = s.post("/api/subscriptions", json!({"customerId": id, "planId": "pro"})).await;
    active.expect(201);
    let sid = active.id();
    assert!(sid.starts_with("sub_") && sid.len() == 28);
    assert_eq!(active.body["status"], "active");
    assert_eq!(active.body["customerId"], id);
    assert_eq!(active.body["planId"], "pro");
    assert_eq!(active.body["canceledAt"], Value::Null);
    assert!(active.body["createdAt"].as_str().unwrap().ends_with('Z'));
    let trialing = s.post("/api/subscriptions", json!({"customerId": id, "planId": "basic", "status": "trialing"})).await;
    trialing.expect(201);
    assert_eq!(trialing.body["status"], "trialing");

    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["activeSubscriptions"], 2);
    let got = s.get(&format!("/api/subscriptions/{sid}")).await;
    got.expect(200);
    assert_eq!(got.body, active.body);

    let canceled = s.post_empty(&format!("/api/subscriptions/{sid}/cancel")).await;
    canceled.expect(200);
    assert_eq!(canceled.body["status"], "canceled");
    assert!(canceled.body["canceledAt"].is_string());
    // Idempotent.
    let again = s.post_empty(&format!("/api/subscriptions/{sid}/cancel")).await;
    again.expect(200);
    assert_eq!(again.body, canceled.body);
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["activeSubscriptions"], 1);

    let list = s.get(&format!("/api/customers/{id}/subscriptions")).await;
    list.expect(200);
    let data = list.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    let keys: Vec<(String, String)> =
        data.iter().map(|x| (x["createdAt"].as_str().unwrap().into(), x["id"].as_str().unwrap().into())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "oldest first, ties by id");
    assert!(keys.iter().any(|k| k.1 == sid));

    // Errors.
    s.post("/api/subscriptions", json!({"customerId": "cust_nope", "planId": "p"})).await.expect_error(404, "not_found");
    let invalid = s.post("/api/subscriptions", json!({"customerId": id, "planId": "", "status": "canceled"})).await;
    invalid.expect_error(400, "validation_failed");
    assert_eq!(invalid.body["errors"].as_array().unwrap().len(), 2);
    s.post("/api/subscriptions", json!({"customerId": id})).await.expect_error(400, "validation_failed");
    s.post("/api/subscriptions", json!({"customerId": id, "planId": "p", "x": 1})).await.expect_error(400, "unknown_field");
    s.get("/api/subscriptions/sub_nope").await.expect_error(404, "not_found");
    s.post_empty("/api/subscriptions/sub_nope/cancel").await.expect_error(404, "not_found");
    s.get("/api/customers/cust_nope/subscriptions").await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn invoices_lifecycle_and_total_spent() {
    let s = TestServer::start().await;
    let customer = s.customer(json!({"currency": "USD"})).await;
    let id = customer["id"].as_str().unwrap();

    let i1 = s.post("/api/invoices", json!({"customerId": id, "amount": 0.1})).await;
    i1.expect(201);
    assert!(i1.id().starts_with("inv_"));
    assert_eq!(i1.body["currency"], "USD");
    assert_eq!(i1.body["status"], "open");
    assert_eq!(i1.body["amount"], json!(0.1));
    assert_eq!(i1.body["paidAt"], Value::Null);
    let i2 = s.post("/api/invoices", json!({"customerId": id, "amount": "0.2", "status": "draft"})).await;
    i2.expect(201);
    assert_eq!(i2.body["status"], "draft");
    let i3 = s.post("/api/invoices", json!({"customerId": id, "amount": 1500.5, "currency": "eur"})).await;
    i3.expect(201);
    assert_eq!(i3.body["currency"], "EUR");
    let i4 = s.post("/api/invoices", json!({"customerId": id, "amount": 7})).await;

    for invoice in [&i1, &i2, &i3] {
        let paid = s.post_empty(&format!("/api/invoices/{}/pay", invoice.id())).await;
        paid.expect(200);
        assert_eq!(paid.body["status"], "paid");
        assert!(paid.body["paidAt"].is_string());
    }
    // 0.1 + 0.2 is exactly 0.3; the EUR invoice is not in the USD total.
    let got = s.get(&format!("/api/customers/{id}")).await;
    assert_eq!(got.body["totalSpent"], json!(0.3));
    assert!(got.text.contains("\"totalSpent\":0.3,"), "{}", got.text);

    // Pay twice: returns it; void a paid one: 409.
    s.post_empty(&format!("/api/invoices/{}/pay", i1.id())).await.expect(200);
    s.post_empty(&format!("/api/invoices/{}/void", i1.id())).await.expect_error(409, "invoice_paid");
    let voided = s.post_empty(&format!("/api/invoices/{}/void", i4.id())).await;
    voided.expect(200);
    assert_eq!(voided.body["status"], "void");
    assert!(voided.body["voidedAt"].is_string());
    s.post_empty(&format!("/api/invoices/{}/void", i4.id())).await.expect(200);
    s.post_empty(&format!("/api/invoices/{}/pay", i4.id())).await.expect_error(409, "invoice_void");
    let gi = s.get(&format!("/api/invoices/{}", i4.id())).await;
    assert_eq!(gi.body["status"], "void");

    let list = s.get(&format!("/api/customers/{id}/invoices")).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 4);

    // Changing the customer's currency changes which invoices count.
    let patched = s.patch(&format!("/api/customers/{id}"), json!({"currency": "EUR"})).await;
    assert_eq!(patched.body["totalSpent"], json!(1500.5));

    // Validation: precision against the effective currency, positive amounts, currency required.
    let ugx = s.customer(json!({"currency": "UGX"})).await;
    let too_precise = s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 10.5})).await;
    too_precise.expect_error(400, "validation_failed");
    assert_eq!(too_precise.body["errors"][0]["field"], "amount");
    s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 0})).await.expect_error(400, "validation_failed");
    s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": -3})).await.expect_error(400, "validation_failed");
    s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 1.001, "currency": "USD"}))
        .await
        .expect_error(400, "validation_failed");
    s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 5, "status": "paid"}))
        .await
        .expect_error(400, "validation_failed");
    s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 5, "currency": "XXX1"}))
        .await
        .expect_error(400, "validation_failed");
    let ok = s.post("/api/invoices", json!({"customerId": ugx["id"], "amount": 3_700_000})).await;
    ok.expect(201);
    assert_eq!(ok.body["amount"], json!(3_700_000));
    let none = s.customer(json!({})).await;
    let no_currency = s.post("/api/invoices", json!({"customerId": none["id"], "amount": 5})).await;
    no_currency.expect_error(400, "currency_required");
    s.post("/api/invoices", json!({"customerId": none["id"], "amount": 5, "currency": "KWD"})).await.expect(201);
    s.post("/api/invoices", json!({"customerId": "cust_nope", "amount": 5, "currency": "USD"}))
        .await
        .expect_error(404, "not_found");
    s.get("/api/invoices/inv_nope").await.expect_error(404, "not_found");
    s.post_empty("/api/invoices/inv_nope/pay").await.expect_error(404, "not_found");
    s.post_empty("/api/invoices/inv_nope/void").await.expect_error(404, "not_found");
    s.get("/api/customers/cust_nope/invoices").await.expect_error(404, "not_found");
    s.stop().await;
}

#[tokio::test]
async fn total_spent_sums_exactly() {
    let s = TestServer::start().await;
    let c = s.customer(json!({"currency": "KWD"})).await;
    let id = c["id"].as_str().unwrap();
    for amount in ["0.001", "0.002", "1234567.891", "0.1", "0.2"] {
        let i = s.post("/api/invoices", json!({"customerId": id, "amount": amount})).await;
        i.expect(201);
        s.post_empty(&format!("/api/invoices/{}/pay", i.id())).await.expect(200);
    }
    let g = s.get(&format!("/api/customers/{id}")).await;
    assert_eq!(g.body["totalSpent"], json!(1_234_568.194));
    let list = s.get("/api/customers").await;
    assert_eq!(list.body["data"][0]["totalSpent"], json!(1_234_568.194));
    s.stop().await;
}

#[tokio::test]
async fn delete_cancels_and_voids_in_one_transaction() {
    let s = TestServer::start().await;
    let c = s.customer(json!({"currency": "USD"})).await;
    let id = c["id"].as_str().unwrap();
    let active = s.post("/api/subscriptions", json!({"customerId": id, "planId": "a"})).await.id();
    let trialing = s.post("/api/subscriptions", json!({"customerId": id, "planId": "b", "status": "trialing"})).await.id();
    let canceled = s.post("/api/subscriptions", json!({"customerId": id, "planId": "c"})).await.id();
    let canceled_at = s.post_empty(&format!("/api/subscriptions/{canceled}/cancel")).await.body["canceledAt"].clone();
    let open = s.post("/api/invoices", json!({"customerId": id, "amount": 1})).await.id();
    let draft = s.post("/api/invoices", json!({"customerId": id, "amount": 2, "status": "draft"})).await.id();
    let paid = s.post("/api/invoices", json!({"customerId": id, "amount": 3})).await.id();
    s.post_empty(&format!("/api/invoices/{paid}/pay")).await.expect(200);

    // A customer of the same tenant is untouched.
    let other = s.customer(json!({"currency": "USD"})).await;
    let other_sub = s.post("/api/subscriptions", json!({"customerId": other["id"], "planId": "a"})).await.id();
    let other_inv = s.post("/api/invoices", json!({"customerId": other["id"], "amount": 1})).await.id();

    s.delete(&format!("/api/customers/{id}")).await.expect(200);

    for sid in [&active, &trialing] {
        let r = s.get(&format!("/api/subscriptions/{sid}")).await;
        r.expect(200);
        assert_eq!(r.body["status"], "canceled");
        assert!(r.body["canceledAt"].is_string());
    }
    assert_eq!(s.get(&format!("/api/subscriptions/{canceled}")).await.body["canceledAt"], canceled_at);
    for iid in [&open, &draft] {
        let r = s.get(&format!("/api/invoices/{iid}")).await;
        assert_eq!(r.body["status"], "void");
        assert!(r.body["voidedAt"].is_string());
    }
    assert_eq!(s.get(&format!("/api/invoices/{paid}")).await.body["status"], "paid");
    assert_eq!(s.get(&format!("/api/subscriptions/{other_sub}")).await.body["status"], "active");
    assert_eq!(s.get(&format!("/api/invoices/{other_inv}")).await.body["status"], "open");

    // The deleted customer's lists are gone, and nothing new can be attached.
    s.get(&format!("/api/customers/{id}/subscriptions")).await.expect_error(404, "not_found");
    s.get(&format!("/api/customers/{id}/invoices")).await.expect_error(404, "not_found");
    s.post("/api/subscriptions", json!({"customerId": id, "planId": "a"})).await.expect_error(404, "not_found");
    s.post("/api/invoices", json!({"customerId": id, "amount": 1})).await.expect_error(404, "not_found");
    s.stop().await;
}
