//! The shared vectors of tests/vectors, which every language runs.

mod common;

use common::{Canned, Reply};
use novabilling::{
    BindRequest, Customer, CustomerCreate, CustomerUpdate, Deleted, Error, ImportResult, Invoice, InvoiceCreate,
    List, ListParams, Page, PageParams, Subscription, SubscriptionCreate, ValidationError, validate,
};
use serde::Serialize;
use serde_json::{Value, json};

fn load(name: &str) -> Vec<Value> {
    let path = common::workspace_root().join("tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

fn field_codes(e: &ValidationError) -> Value {
    Value::Array(e.errors.iter().map(|f| json!({"field": f.field, "code": f.code})).collect())
}

fn run_validation(op: &str, input: &Value) -> Result<Value, ValidationError> {
    match op {
        "customer_create" => {
            let c: CustomerCreate = serde_json::from_value(input.clone()).unwrap();
            validate::customer_create(c).map(|v| to_json(&v))
        }
        "customer_update" => {
            let u: CustomerUpdate = serde_json::from_value(input.clone()).unwrap();
            validate::customer_update(u).map(|v| to_json(&v))
        }
        "list_params" => {
            let p: ListParams = serde_json::from_value(input.clone()).unwrap();
            validate::list_params(p).map(|v| to_json(&v))
        }
        "page_params" => {
            let p: PageParams = serde_json::from_value(input.clone()).unwrap();
            validate::page_params(p).map(|v| to_json(&v))
        }
        "bind" => {
            let b: BindRequest = serde_json::from_value(input.clone()).unwrap();
            validate::external_id("externalId", &b.external_id)
                .map(|external_id| to_json(&BindRequest { external_id }))
                .map_err(Into::into)
        }
        "customer_id" => {
            let id = input.as_str().unwrap();
            validate::id("id", id).map(|()| json!(id)).map_err(Into::into)
        }
        "stripe_import" => {
            let list: Vec<Value> = serde_json::from_value(input.clone()).unwrap();
            validate::stripe_customer_values(list).map(|v| to_json(&v))
        }
        "invoice_create" => {
            let c: InvoiceCreate = serde_json::from_value(input.clone()).unwrap();
            validate::invoice_create(c).map(|v| to_json(&v))
        }
        "subscription_create" => {
            let c: SubscriptionCreate = serde_json::from_value(input.clone()).unwrap();
            validate::subscription_create(c).map(|v| to_json(&v))
        }
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn validation_vectors() {
    let cases = load("validation.json");
    assert!(cases.len() > 50);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let got = run_validation(case["op"].as_str().unwrap(), &case["input"]);
        match (got, case.get("ok"), case.get("error")) {
            (Ok(v), Some(want), None) if &v == want => {}
            (Err(e), None, Some(want)) if &field_codes(&e) == want => {
                // Every message says what to fix: it names the field it is about.
                for f in &e.errors {
                    let field = f.field.trim_start_matches(|c: char| c == '[' || c.is_ascii_digit() || c == ']' || c == '.');
                    assert!(f.message.contains(field) || f.message.contains("customer"), "{name}: {f:?}");
                }
            }
            (got, ok, err) => failures.push(format!("{name}: got {got:?}, want ok={ok:?} error={err:?}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} validation vectors failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The client rejects bad input before sending anything: pointed at a server
/// that would answer 500, each error case still comes back as a ValidationError.
#[tokio::test]
async fn validation_vectors_through_the_client() {
    let canned = Canned::start(vec![Reply::json(500, &json!({}))]).await;
    let client = canned.client().max_retries(0).build().unwrap();
    let customers = client.customers();
    let mut checked = 0;
    for case in load("validation.json") {
        let Some(want) = case.get("error") else { continue };
        let input = case["input"].clone();
        let got = match case["op"].as_str().unwrap() {
            "customer_create" => customers.create(serde_json::from_value(input).unwrap()).await.map(drop),
            "customer_update" => customers.update("cust_1", serde_json::from_value(input).unwrap()).await.map(drop),
            "list_params" => customers.list(serde_json::from_value(input).unwrap()).await.map(drop),
            "page_params" => customers.list_unresolved(serde_json::from_value(input).unwrap()).await.map(drop),
            "bind" => customers.bind("cust_1", input["externalId"].as_str().unwrap()).await.map(drop),
            "customer_id" => customers.get(input.as_str().unwrap()).await.map(drop),
            "stripe_import" => customers.import_stripe_json(serde_json::from_value(input).unwrap()).await.map(drop),
            "invoice_create" => client.invoices().create(serde_json::from_value(input).unwrap()).await.map(drop),
            "subscription_create" => client.subscriptions().create(serde_json::from_value(input).unwrap()).await.map(drop),
            other => panic!("unknown op {other}"),
        };
        match got {
            Err(Error::Validation(e)) => assert_eq!(&field_codes(&e), want, "{}", case["name"]),
            other => panic!("{}: expected a validation error, got {other:?}", case["name"]),
        }
        checked += 1;
    }
    assert!(checked > 30);
    assert!(canned.requests().is_empty(), "a request was sent for invalid input");
}

#[tokio::test]
async fn decoding_vectors() {
    for case in load("decoding.json") {
        let name = case["name"].as_str().unwrap();
        let canned = Canned::start(vec![Reply::json(200, &case["body"]).header("x-request-id", "req_vec")]).await;
        let client = canned.client().max_retries(0).build().unwrap();
        let c = client.customers();
        let id = case.get("pathId").and_then(Value::as_str).unwrap_or("cust_1");
        let got = match case["type"].as_str().unwrap() {
            "customer" => {
                let v: Customer = c.get(id).await.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(v.response.request_id.as_deref(), Some("req_vec"));
                to_json(&v)
            }
            "customer_page" => to_json::<Page<Customer>>(&c.list(ListParams::default()).await.unwrap()),
            "subscription" => to_json::<Subscription>(&client.subscriptions().get(id).await.unwrap()),
            "subscription_list" => to_json::<List<Subscription>>(&c.subscriptions(id).await.unwrap()),
            "invoice" => to_json::<Invoice>(&client.invoices().get(id).await.unwrap()),
            "invoice_list" => to_json::<List<Invoice>>(&c.invoices(id).await.unwrap()),
            "deleted" => to_json::<Deleted>(&c.delete(id).await.unwrap()),
            "import_result" => to_json::<ImportResult>(&c.import_stripe(vec![]).await.unwrap()),
            other => panic!("unknown type {other}"),
        };
        assert_eq!(got, case["expected"], "{name}");
    }
}

#[tokio::test]
async fn error_vectors() {
    for case in load("errors.json") {
        let name = case["name"].as_str().unwrap();
        let status = u16::try_from(case["status"].as_u64().unwrap()).expect("an HTTP status");
        let headers = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let body = case["body"].as_str().unwrap().as_bytes().to_vec();
        let canned = Canned::start(vec![Reply::raw(status, headers, body)]).await;
        let client = canned.client().max_retries(0).build().unwrap();
        let err = client.customers().get("cust_1").await.expect_err(name);
        let want = &case["expected"];
        let Error::Api(api) = &err else { panic!("{name}: {err:?}") };
        let got = json!({
            "kind": err.kind().class_name(),
            "status": api.status,
            "code": api.code,
            "message": err.message(),
            "errors": api.errors,
            "requestId": api.request_id,
            "retryAfterMs": err.retry_after().map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        });
        assert_eq!(&got, want, "{name}");
        assert_eq!(canned.requests().len(), 1, "{name}: retries were off");
    }
}

#[test]
fn the_vectors_cover_every_error_class() {
    let kinds: std::collections::BTreeSet<String> =
        load("errors.json").iter().map(|c| c["expected"]["kind"].as_str().unwrap().to_owned()).collect();
    for k in [
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "PreconditionFailedError",
        "RateLimitError",
        "InternalServerError",
        "ApiError",
    ] {
        assert!(kinds.contains(k), "no vector for {k}");
    }
}
