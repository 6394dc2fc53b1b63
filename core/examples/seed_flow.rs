//! The two customer guides' flows in Rust: NovaBilling's create, update, list,
//! search, get and delete; BillingOS's create with external ids, lookup by
//! external id, and the Stripe import with the unresolved-list-and-bind loop.
//!
//! Run against a server: `NOVABILLING_API_KEY=sk_test_... cargo run --example seed_flow`
//! (`NOVABILLING_BASE_URL` defaults to http://localhost:3000).

use std::collections::HashMap;

use futures_util::TryStreamExt;
use novabilling::{Client, CustomerCreate, CustomerUpdate, Error, ErrorKind, ListParams, PageParams, Patch};
use serde_json::json;

fn metadata(v: serde_json::Value) -> novabilling::Metadata {
    if let serde_json::Value::Object(m) = v { m } else { novabilling::Metadata::default() }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let customers = client.customers();

    // A rerun after an interrupted one finds its customer still there: start clean.
    for external_id in ["usr_98765", "user_123"] {
        match customers.get_by_external_id(external_id).await {
            Ok(old) => drop(customers.delete(&old.id).await?),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }

    // NovaBilling: creating customers.
    let customer = customers
        .create(CustomerCreate {
            external_id: "usr_98765".into(),
            email: "sarah@kampaltech.ug".into(),
            name: Some("Nakato Sarah".into()),
            country: Some("UG".into()),
            currency: Some("UGX".into()),
            metadata: Some(metadata(json!({"userId": "usr_98765", "accountType": "business"}))),
            ..Default::default()
        })
        .await?;
    println!("Customer created: {}", customer.id);

    // Updating: only the fields given change; metadata is replaced whole.
    let updated = customers
        .update(
            &customer.id,
            CustomerUpdate {
                name: Patch::Set("Nakato Sarah Williams".into()),
                metadata: Patch::Set(metadata(json!({
                    "userId": "usr_98765", "accountType": "enterprise", "upgradeDate": "2025-03-01"
                }))),
                ..Default::default()
            },
        )
        .await?;
    println!("Updated: {}", updated.name.as_deref().unwrap_or(""));

    // Listing and searching.
    let page = customers.list(ListParams { page: Some(1), limit: Some(20), ..Default::default() }).await?;
    println!("Showing {} of {} customers", page.data.len(), page.total);
    let results = customers.list(ListParams { search: Some("sarah".into()), page: Some(1), limit: Some(20), ..Default::default() }).await?;
    for c in &results.data {
        println!("{} - {}", c.name.as_deref().unwrap_or(""), c.email.as_deref().unwrap_or(""));
    }

    // Details.
    let got = customers.get(&customer.id).await?;
    println!("{}", serde_json::to_string_pretty(&got).expect("a customer serializes"));

    // A duplicate email is a typed conflict.
    let dup = customers
        .create(CustomerCreate { external_id: "usr_other".into(), email: "SARAH@kampaltech.ug".into(), ..Default::default() })
        .await;
    match dup {
        Err(e) if e.kind() == ErrorKind::Conflict => println!("Duplicate refused: {} ({})", e.code().unwrap_or(""), e),
        other => panic!("expected a conflict, got {other:?}"),
    }

    // BillingOS: a B2B customer keyed by your own user and organization ids.
    let jane = customers
        .create(CustomerCreate {
            external_id: "user_123".into(),
            external_organization_id: Some("org_acme".into()),
            email: "jane@example.com".into(),
            name: Some("Jane Smith".into()),
            metadata: Some(metadata(json!({"company": "Acme Inc"}))),
            ..Default::default()
        })
        .await?;
    let same = customers.get_by_external_id("user_123").await?;
    assert_eq!(same.id, jane.id);
    println!("Found by external id: {} ({})", same.id, same.external_organization_id.as_deref().unwrap_or(""));

    // Migrating from Stripe: import, then bind each unresolved customer to a user of yours.
    let imported = customers
        .import_stripe_json(vec![
            json!({"id": "cus_demo_alice", "email": "alice@example.com", "name": "Alice", "currency": "usd"}),
            json!({"id": "cus_demo_bob", "email": "bob@example.com", "name": "Bob", "address": {"country": "us"}}),
        ])
        .await?;
    println!("Stripe import: {} created, {} skipped", imported.created, imported.skipped);
    let users_by_email: HashMap<&str, &str> = HashMap::from([("alice@example.com", "user_alice"), ("bob@example.com", "user_bob")]);
    // Binding shifts the list, so collect it first.
    let unresolved: Vec<_> = customers.list_unresolved_auto(PageParams::default()).try_collect().await?;
    for c in unresolved {
        let Some(user) = c.email.as_deref().and_then(|e| users_by_email.get(e)) else { continue };
        match customers.bind(&c.id, user).await {
            Ok(bound) => println!("Bound {} to {}", bound.id, user),
            // Bound by an earlier run: the external id is taken.
            Err(e) if e.kind() == ErrorKind::Conflict => println!("Already bound: {user}"),
            Err(e) => return Err(e),
        }
    }

    // Deleting.
    customers.delete(&customer.id).await?;
    println!("Customer deleted");
    customers.delete(&jane.id).await?;
    Ok(())
}
