//! The Rust SDK against the project's server over loopback: every route, the
//! error classes, pagination, concurrency. Runs on SQLite, or on PostgreSQL
//! when NOVABILLING_TEST_DATABASE_URL is set.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::StreamExt;
use novabilling::{
    Client, CustomerCreate, CustomerStatus, CustomerUpdate, Error, ErrorKind, EventListParams, InvoiceCreate, InvoiceStatus, ListParams,
    Metadata, PageParams, Patch, RequestOptions, SortBy, SortOrder, StripeCustomer, SubscriptionCreate,
    SubscriptionStatus,
};
use rust_decimal::Decimal;
use serde_json::json;

fn unique(tag: &str) -> String {
    format!("{tag}_{}", common::rand_suffix())
}

fn new_customer(tag: &str) -> CustomerCreate {
    let id = unique(tag);
    CustomerCreate { email: format!("{id}@example.com"), external_id: id, ..Default::default() }
}

fn meta(v: serde_json::Value) -> Metadata {
    let serde_json::Value::Object(m) = v else { panic!("metadata must be a JSON object: {v}") };
    m
}

fn api(e: &Error) -> (u16, &str) {
    (e.status().unwrap_or(0), e.code().unwrap_or(""))
}

/// The NovaBilling guide's flow, as a Rust user writes it.
#[tokio::test]
async fn the_seed_flow() {
    let server = common::Server::start();
    let client = server.client();
    let customers = client.customers();
    let customer = customers
        .create(CustomerCreate {
            external_id: "usr_98765".into(),
            email: "sarah@kampaltech.ug".into(),
            name: Some("Nakato Sarah".into()),
            country: Some("UG".into()),
            currency: Some("UGX".into()),
            metadata: Some(meta(json!({"userId": "usr_98765", "accountType": "business"}))),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(customer.id.starts_with("cust_"));
    assert_eq!(customer.status, CustomerStatus::Active);
    assert_eq!(customer.total_spent, Decimal::ZERO);
    assert!(customer.response.request_id.is_some());

    let updated = customers
        .update(
            &customer.id,
            CustomerUpdate {
                name: Patch::Set("Nakato Sarah Williams".into()),
                metadata: Patch::Set(meta(json!({"userId": "usr_98765", "accountType": "enterprise", "upgradeDate": "2025-03-01"}))),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Nakato Sarah Williams"));
    assert_eq!(updated.metadata.len(), 3);
    assert_eq!(updated.country.as_deref(), Some("UG"), "an absent field is untouched");

    let page = customers.list(ListParams { page: Some(1), limit: Some(20), ..Default::default() }).await.unwrap();
    assert!(page.total >= 1 && page.data.iter().any(|c| c.id == customer.id));
    let found = customers.list(ListParams { search: Some("sarah".into()), ..Default::default() }).await.unwrap();
    assert!(found.data.iter().any(|c| c.id == customer.id));

    let got = customers.get(&customer.id).await.unwrap();
    assert_eq!(got.email.as_deref(), Some("sarah@kampaltech.ug"));
    let deleted = customers.delete(&customer.id).await.unwrap();
    assert!(deleted.deleted);
    assert_eq!(deleted.id, customer.id);
    let err = customers.get(&customer.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn routes_and_error_classes() {
    let server = common::Server::start();
    let client = server.client();
    let customers = client.customers();
    let a = customers.create(new_customer("a")).await.unwrap();

    // Lookup by the caller's id.
    let by_ext = customers.get_by_external_id(a.external_id.as_deref().unwrap()).await.unwrap();
    assert_eq!(by_ext.id, a.id);
    let err = customers.get_by_external_id("nobody/here").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);

    // Conflicts carry distinct codes.
    let mut dup = new_customer("b");
    dup.email = a.email.clone().unwrap().to_uppercase();
    let err = customers.create(dup).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(api(&err), (409, "email_taken"));
    assert!(err.request_id().is_some());
    let mut dup = new_customer("c");
    dup.external_id = a.external_id.clone().unwrap();
    assert_eq!(api(&customers.create(dup).await.unwrap_err()), (409, "external_id_taken"));

    // Null clears; email cannot be cleared (caught before sending).
    let u = customers
        .update(&a.id, CustomerUpdate { name: Patch::Set("N".into()), country: Patch::Set("us".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(u.country.as_deref(), Some("US"));
    let u = customers.update(&a.id, CustomerUpdate { country: Patch::Clear, ..Default::default() }).await.unwrap();
    assert_eq!(u.country, None);
    assert_eq!(u.name.as_deref(), Some("N"));
    let err = customers.update(&a.id, CustomerUpdate { email: Patch::Clear, ..Default::default() }).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);

    // If-Match: a stale ETag is refused.
    let fresh = customers.get(&a.id).await.unwrap();
    let etag = fresh.response.etag.clone().expect("customers carry an ETag");
    customers.update(&a.id, CustomerUpdate { name: Patch::Set("M".into()), ..Default::default() }).await.unwrap();
    let stale = customers.with_options(RequestOptions { if_match: Some(etag), ..Default::default() });
    let err = stale.update(&a.id, CustomerUpdate { name: Patch::Set("X".into()), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
    assert_eq!(customers.get(&a.id).await.unwrap().name.as_deref(), Some("M"));

    // Status.
    let u = customers.update(&a.id, CustomerUpdate { status: Patch::Set(CustomerStatus::Inactive), ..Default::default() }).await.unwrap();
    assert_eq!(u.status, CustomerStatus::Inactive);

    // A wrong key.
    let bad = Client::builder()
        .token("sk_test_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")
        .base_url(&server.url)
        .build()
        .unwrap();
    let err = bad.customers().get(&a.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));

    // Another tenant sees nothing.
    let other = Client::builder().token(server.new_tenant_key()).base_url(&server.url).build().unwrap();
    assert_eq!(other.customers().get(&a.id).await.unwrap_err().kind(), ErrorKind::NotFound);
    let other_page = other.customers().list(ListParams::default()).await.unwrap();
    assert!(other_page.data.iter().all(|c| c.id != a.id));

    // Unknown id.
    assert_eq!(customers.get("cust_doesnotexist").await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(customers.delete("cust_doesnotexist").await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn stripe_import_then_bind() {
    let server = common::Server::start();
    let customers = server.client().customers();
    let stripe_ids: Vec<String> = (0..3).map(|_| unique("cus")).collect();
    let export: Vec<serde_json::Value> = stripe_ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"id": id, "object": "customer", "email": format!("{id}@stripe.example"),
                             "name": format!("Imported {i}"), "address": {"country": "ug", "city": "Kampala"},
                             "currency": "ugx", "metadata": {"plan": "legacy"}, "livemode": false}))
        .collect();
    let r = customers.import_stripe_json(export.clone()).await.unwrap();
    assert_eq!((r.created, r.skipped), (3, 0));
    let r = customers.import_stripe_json(export).await.unwrap();
    assert_eq!((r.created, r.skipped), (0, 3), "import is idempotent by Stripe id");
    let r = customers.import_stripe(vec![StripeCustomer { id: stripe_ids[0].clone(), ..Default::default() }]).await.unwrap();
    assert_eq!(r.skipped, 1);

    // The BillingOS loop: list the unresolved, bind those we know.
    let unresolved: Vec<_> = customers
        .list_unresolved_auto(PageParams { limit: Some(2), ..Default::default() })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let ours: Vec<_> = unresolved.iter().filter(|c| stripe_ids.contains(c.stripe_customer_id.as_ref().unwrap())).collect();
    assert_eq!(ours.len(), 3);
    assert!(ours.iter().all(|c| c.external_id.is_none() && c.country.as_deref() == Some("UG")));
    let user_id = unique("user");
    let bound = customers.bind(&ours[0].id, &user_id).await.unwrap();
    assert_eq!(bound.external_id.as_deref(), Some(user_id.as_str()));
    assert_eq!(customers.get_by_external_id(&user_id).await.unwrap().id, ours[0].id);
    // One-way, and an external id binds once.
    assert_eq!(api(&customers.bind(&ours[0].id, "someone_else").await.unwrap_err()), (409, "already_bound"));
    assert_eq!(api(&customers.bind(&ours[1].id, &user_id).await.unwrap_err()).0, 409);
    let left = customers.list_unresolved(PageParams::default()).await.unwrap();
    assert!(left.data.iter().all(|c| c.id != ours[0].id));
}

#[tokio::test]
async fn totals_and_delete_act_on_billing_records() {
    let server = common::Server::start();
    let client = server.client();
    let customers = client.customers();
    let mut params = new_customer("bill");
    params.currency = Some("USD".into());
    let c = customers.create(params).await.unwrap();
    let subs = client.subscriptions();
    let invoices = client.invoices();
    let s1 = subs.create(SubscriptionCreate { customer_id: c.id.clone(), plan_id: "pro".into(), status: None }).await.unwrap();
    let s2 = subs
        .create(SubscriptionCreate { customer_id: c.id.clone(), plan_id: "team".into(), status: Some(SubscriptionStatus::Trialing) })
        .await
        .unwrap();
    let s3 = subs.create(SubscriptionCreate { customer_id: c.id.clone(), plan_id: "old".into(), status: None }).await.unwrap();
    assert_eq!(subs.cancel(&s3.id).await.unwrap().status, SubscriptionStatus::Canceled);
    assert_eq!(subs.cancel(&s3.id).await.unwrap().status, SubscriptionStatus::Canceled, "cancel is idempotent");

    let inv = |amount: &str| InvoiceCreate {
        customer_id: c.id.clone(),
        amount: amount.parse().unwrap(),
        currency: None,
        status: None,
    };
    let i1 = invoices.create(inv("0.1")).await.unwrap();
    let i2 = invoices.create(inv("0.2")).await.unwrap();
    let open = invoices.create(inv("5")).await.unwrap();
    let draft = invoices.create(InvoiceCreate { status: Some(InvoiceStatus::Draft), ..inv("7") }).await.unwrap();
    assert_eq!(i1.currency.as_deref(), Some("USD"), "an invoice takes the customer's currency");
    invoices.pay(&i1.id).await.unwrap();
    invoices.pay(&i2.id).await.unwrap();
    assert_eq!(api(&invoices.void(&i1.id).await.unwrap_err()), (409, "invoice_paid"));

    let c2 = customers.get(&c.id).await.unwrap();
    assert_eq!(c2.total_spent, "0.3".parse::<Decimal>().unwrap(), "summed exactly");
    assert_eq!(c2.active_subscriptions, 2);
    assert_eq!(customers.subscriptions(&c.id).await.unwrap().data.len(), 3);
    assert_eq!(customers.invoices(&c.id).await.unwrap().data.len(), 4);

    customers.delete(&c.id).await.unwrap();
    assert_eq!(subs.get(&s1.id).await.unwrap().status, SubscriptionStatus::Canceled);
    assert!(subs.get(&s2.id).await.unwrap().canceled_at.is_some());
    assert_eq!(invoices.get(&open.id).await.unwrap().status, InvoiceStatus::Void);
    assert_eq!(invoices.get(&draft.id).await.unwrap().status, InvoiceStatus::Void);
    assert_eq!(invoices.get(&i1.id).await.unwrap().status, InvoiceStatus::Paid, "paid invoices stay paid");
    assert_eq!(customers.subscriptions(&c.id).await.unwrap_err().kind(), ErrorKind::NotFound);
    // The email and external id are free again.
    let again = CustomerCreate { external_id: c.external_id.clone().unwrap(), email: c.email.clone().unwrap(), ..Default::default() };
    customers.create(again).await.unwrap();
}

#[tokio::test]
async fn auto_pagination_walks_every_page_once() {
    let server = common::Server::start();
    let customers = server.client().customers();
    let tag = unique("walk");
    for i in 0..45 {
        let mut p = new_customer(&tag);
        p.name = Some(format!("{tag} {:02}", i % 7));
        customers.create(p).await.unwrap();
    }
    for sort_by in [SortBy::CreatedAt, SortBy::Name, SortBy::Email] {
        let params = ListParams {
            search: Some(tag.clone()),
            limit: Some(10),
            sort_by: Some(sort_by.clone()),
            sort_order: Some(SortOrder::Asc),
            ..Default::default()
        };
        let all: Vec<_> = customers.list_auto(params).collect::<Vec<_>>().await.into_iter().collect::<Result<_, _>>().unwrap();
        let ids: HashSet<_> = all.iter().map(|c| c.id.clone()).collect();
        assert_eq!((all.len(), ids.len()), (45, 45), "{sort_by}");
    }
    let page = customers.list(ListParams { search: Some(tag), limit: Some(10), page: Some(5), ..Default::default() }).await.unwrap();
    assert_eq!((page.total, page.total_pages, page.data.len()), (45, 5, 5));
}

#[tokio::test]
async fn concurrent_metadata_merges_lose_no_key() {
    let server = common::Server::start();
    let customers = server.client().customers();
    let mut p = new_customer("merge");
    p.metadata = Some(meta(json!({"keep": 1, "drop": 2})));
    let c = customers.create(p).await.unwrap();
    let id = Arc::new(c.id.clone());
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let customers = customers.clone();
            let id = id.clone();
            tokio::spawn(async move {
                let unset = if i == 0 { vec!["drop".to_owned()] } else { vec![] };
                customers.merge_metadata(&id, meta(json!({ format!("k{i}"): i })), &unset).await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let m = customers.get(&c.id).await.unwrap().metadata;
    assert_eq!(m.len(), 13, "{m:?}");
    assert!(m.contains_key("keep") && !m.contains_key("drop"));
}

#[tokio::test]
async fn rate_limits_reach_the_caller_as_rate_limit_errors() {
    let server = common::Server::start_with(&["--rate-limit", "5"]);
    let client = Client::builder().token(&server.key).base_url(&server.url).max_retries(0).build().unwrap();
    let mut limited = None;
    // Windows are fixed minutes: 12 calls that straddle a boundary still put 6 in one of them.
    for _ in 0..12 {
        if let Err(e) = client.customers().list(ListParams::default()).await {
            limited = Some(e);
            break;
        }
    }
    let Some(Error::Api(e)) = limited else { panic!("no 429 after 12 calls with a limit of 5") };
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert!(e.retry_after.is_some());
}

/// A page's cursor keeps its listing's route and filters: the next page of
/// the unresolved list is a page of the unresolved list, and a kept cursor
/// resumes where it pointed.
#[tokio::test]
async fn a_cursor_continues_on_its_route() {
    let server = common::Server::start();
    let client = Client::builder().token(server.new_tenant_key()).base_url(&server.url).build().unwrap();
    let customers = client.customers();
    let stripe: Vec<_> = (0..5).map(|i| json!({"id": format!("cus_cursor_{i}"), "email": format!("cursor_{i}@example.com")})).collect();
    customers.import_stripe_json(stripe).await.unwrap();
    for _ in 0..3 {
        customers.create(new_customer("bound")).await.unwrap();
    }
    let first = customers.list_unresolved(PageParams { page: None, limit: Some(2) }).await.unwrap();
    assert_eq!(first.total, 5);
    let cursor = first.next.clone().expect("a cursor to page 2");
    let mut seen: Vec<String> = first.data.iter().map(|c| c.id.clone()).collect();
    let mut next = first.next;
    while let Some(c) = next {
        let page = customers.page(&c).await.unwrap();
        assert!(page.data.iter().all(|c| c.external_id.is_none()), "the next page stayed on /unresolved");
        seen.extend(page.data.iter().map(|c| c.id.clone()));
        next = page.next;
    }
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 5);
    let resumed = novabilling::Cursor::decode(&cursor.encode()).unwrap();
    let again = customers.page(&resumed).await.unwrap();
    assert_eq!(again.data.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), seen[2..4].to_vec());
    assert_eq!(novabilling::Cursor::decode("not a cursor").unwrap_err().field, "cursor");
}

/// Against our server, auto-paging follows `startingAfter`: binding each
/// customer as the walk reaches it (which takes it out of the listing) and a
/// customer created meanwhile (at the listing's head) neither skip nor repeat
/// anyone, as page numbers would.
#[tokio::test]
async fn auto_paging_follows_starting_after_while_the_listing_changes() {
    let server = common::Server::start();
    let client = Client::builder().token(server.new_tenant_key()).base_url(&server.url).build().unwrap();
    let customers = client.customers();
    let stripe: Vec<_> = (0..9).map(|i| json!({"id": format!("cus_walk_{i}"), "email": format!("walk_{i}@example.com")})).collect();
    customers.import_stripe_json(stripe).await.unwrap();
    let mut walk = std::pin::pin!(customers.list_unresolved_auto(PageParams { page: None, limit: Some(2) }));
    let mut seen = Vec::new();
    while let Some(c) = walk.next().await {
        let c = c.unwrap();
        customers.bind(&c.id, &format!("user_{}", c.id)).await.unwrap();
        if seen.len() == 3 {
            customers.import_stripe_json(vec![json!({"id": "cus_walk_late", "email": "late@example.com"})]).await.unwrap();
        }
        seen.push(c.id);
    }
    assert_eq!(seen.len(), 9, "each imported customer once: {seen:?}");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 9);
    let page = customers.list(ListParams { limit: Some(3), ..ListParams::default() }).await.unwrap();
    assert!(page.next_starting_after.is_some(), "our server says where the next page starts");
    assert_eq!(page.next.unwrap().starting_after(), page.next_starting_after.as_deref());
}

#[tokio::test]
async fn events_read_back_as_their_deliveries_send_them() {
    let server = common::Server::start();
    let client = server.client();
    let c = client.customers().create(new_customer("events")).await.unwrap();
    let update = CustomerUpdate { name: Patch::Set("Renamed".into()), ..Default::default() };
    client.customers().update(&c.id, update).await.unwrap();
    let events = client.events();
    let mine = EventListParams { customer_id: Some(c.id.clone()), ..Default::default() };
    let page = events.list(mine.clone()).await.unwrap();
    let types: Vec<_> = page.data.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["customer.updated", "customer.created"], "newest first");
    assert_eq!((page.total, page.page, page.has_more()), (2, 1, false));
    let updated = &page.data[0];
    assert_eq!(updated.customer.as_ref().map(|c| c.name.clone()), Some(Some("Renamed".to_owned())));
    assert_eq!(updated.changed_fields.as_deref(), Some(&["name".to_owned()][..]));
    assert!(updated.sequence > page.data[1].sequence);
    let again = events.get(&updated.id).await.unwrap();
    assert_eq!(&again, updated);
    assert!(again.response.request_id.is_some());

    let created = EventListParams { event_type: Some("customer.created".into()), limit: Some(1), ..mine };
    let walked: Vec<_> = events.list_auto(created).collect::<Vec<_>>().await;
    assert_eq!(walked.len(), 1);
    assert_eq!(walked[0].as_ref().unwrap().event_type, "customer.created");

    let e = events.get("evt_missing").await.unwrap_err();
    assert_eq!(api(&e), (404, "not_found"));
    let bad = EventListParams { event_type: Some("Customer Created".into()), limit: Some(0), ..Default::default() };
    let Error::Validation(v) = events.list(bad).await.unwrap_err() else { panic!("not a validation error") };
    let fields: Vec<_> = v.errors.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["limit", "type"]);
}
