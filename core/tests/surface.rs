//! `tests/surface.json` is core's description of the surface, current, and
//! the description matches the models as serde writes them.

mod common;

use novabilling::surface::{surface, surface_json};
use novabilling::{
    Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, Invoice, InvoiceCreate,
    EventListParams, InvoiceStatus, ListParams, Metadata, PageParams, Patch, SortBy, SortOrder, StripeAddress, StripeCustomer,
    Subscription, SubscriptionCreate, SubscriptionStatus,
};
use serde::Serialize;
use serde_json::{Value, json};

#[test]
fn the_committed_surface_is_current() {
    let path = common::workspace_root().join("tests/surface.json");
    let fresh = surface_json();
    if std::env::var_os("UPDATE_SURFACE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "tests/surface.json is stale: run `UPDATE_SURFACE=1 cargo test -p novabilling --test surface` and commit it"
    );
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The snake_case names of the fields serde writes for `v`, plus response metadata.
fn serde_fields<T: Serialize>(v: &T, meta: &[&str]) -> Vec<String> {
    let Value::Object(m) = serde_json::to_value(v).unwrap() else { panic!("not an object") };
    let mut names: Vec<String> = m.keys().map(|k| snake(k)).collect();
    names.extend(meta.iter().map(|s| (*s).to_owned()));
    names.sort();
    names
}

fn described(model: &str) -> Vec<String> {
    let s = surface();
    let m = s.models.iter().find(|m| m.name == model).unwrap_or_else(|| panic!("{model} is not described"));
    let mut names: Vec<String> = m.fields.iter().map(|f| f.name.to_owned()).collect();
    names.sort();
    names
}

fn full_customer() -> Customer {
    serde_json::from_value(json!({
        "id": "cust_1", "externalId": "u", "externalOrganizationId": "o", "email": "a@b.co", "name": "n",
        "country": "UG", "currency": "UGX", "status": "active", "metadata": {}, "stripeCustomerId": "cus_1",
        "netPaymentTerms": 30, "totalSpent": 1, "activeSubscriptions": 0,
        "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z",
        "subscriptions": [], "invoices": []
    }))
    .unwrap()
}

#[test]
fn result_models_are_described_field_for_field() {
    assert_eq!(described("Customer"), serde_fields(&full_customer(), &["request_id", "etag"]));
    let sub: Subscription = serde_json::from_value(json!({
        "id": "sub_1", "customerId": "c", "planId": "p", "status": "active",
        "createdAt": "2026-01-01T00:00:00.000Z", "canceledAt": null
    }))
    .unwrap();
    assert_eq!(described("Subscription"), serde_fields(&sub, &["request_id"]));
    let inv: Invoice = serde_json::from_value(json!({
        "id": "inv_1", "customerId": "c", "amount": 1, "currency": "UGX", "status": "open",
        "createdAt": "2026-01-01T00:00:00.000Z", "paidAt": null, "voidedAt": null
    }))
    .unwrap();
    assert_eq!(described("Invoice"), serde_fields(&inv, &["request_id"]));
    let deleted: Deleted = serde_json::from_value(json!({"id": "cust_1", "deleted": true})).unwrap();
    assert_eq!(described("Deleted"), serde_fields(&deleted, &["request_id"]));
    let import: ImportResult = serde_json::from_value(json!({"created": 1, "skipped": 0})).unwrap();
    assert_eq!(described("ImportResult"), serde_fields(&import, &["request_id"]));
    let event = novabilling::WebhookEvent {
        id: "evt_1".into(),
        event_type: "customer.updated".into(),
        timestamp: full_customer().created_at,
        data: Metadata::default(),
        customer: Some(full_customer()),
        sequence: Some(1),
        changed_fields: Some(vec![]),
        imported: Some(import),
        response: novabilling::ResponseMeta::default(),
    };
    assert_eq!(described("WebhookEvent"), serde_fields(&event, &[]));
}

#[test]
fn input_models_are_described_field_for_field() {
    let s = || Some("x".to_owned());
    let create = CustomerCreate {
        external_id: "u".into(),
        email: "e".into(),
        name: s(),
        country: s(),
        currency: s(),
        metadata: Some(Metadata::default()),
        external_organization_id: s(),
    };
    assert_eq!(described("CustomerCreate"), serde_fields(&create, &[]));
    let set = || Patch::Set("x".to_owned());
    let update = CustomerUpdate {
        email: set(),
        name: set(),
        country: set(),
        currency: set(),
        metadata: Patch::Set(Metadata::default()),
        status: Patch::Set(CustomerStatus::Active),
        external_organization_id: set(),
    };
    assert_eq!(described("CustomerUpdate"), serde_fields(&update, &[]));
    let list = ListParams {
        page: Some(1),
        limit: Some(1),
        search: s(),
        country: s(),
        currency: s(),
        status: Some(CustomerStatus::Active),
        sort_by: Some(SortBy::Name),
        sort_order: Some(SortOrder::Asc),
    };
    assert_eq!(described("ListParams"), serde_fields(&list, &[]));
    assert_eq!(described("PageParams"), serde_fields(&PageParams { page: Some(1), limit: Some(1) }, &[]));
    let events = EventListParams { page: Some(1), limit: Some(1), event_type: s(), customer_id: s() };
    assert_eq!(described("EventListParams"), serde_fields(&events, &[]));
    let sub =
        SubscriptionCreate { customer_id: "c".into(), plan_id: "p".into(), status: Some(SubscriptionStatus::default()) };
    assert_eq!(described("SubscriptionCreate"), serde_fields(&sub, &[]));
    let inv =
        InvoiceCreate { customer_id: "c".into(), amount: 1.into(), currency: s(), status: Some(InvoiceStatus::default()) };
    assert_eq!(described("InvoiceCreate"), serde_fields(&inv, &[]));
    let stripe = StripeCustomer {
        id: "cus_1".into(),
        email: s(),
        name: s(),
        address: Some(StripeAddress { country: s() }),
        currency: s(),
        metadata: Some(Metadata::default()),
    };
    assert_eq!(described("StripeCustomer"), serde_fields(&stripe, &[]));
}

#[test]
fn every_error_class_is_described_with_its_parent() {
    let s = surface();
    let names: Vec<&str> = s.errors.iter().map(|e| e.name).collect();
    assert_eq!(names.len(), 15);
    for e in &s.errors {
        match e.parent {
            None => assert_eq!(e.name, "NovaBillingError"),
            Some(parent) => assert!(names.contains(&parent), "{} derives from unknown {parent}", e.name),
        }
    }
    let not_found = s.errors.iter().find(|e| e.name == "NotFoundError").unwrap();
    assert_eq!((not_found.parent, not_found.statuses.as_slice()), (Some("ApiError"), &[404][..]));
}
