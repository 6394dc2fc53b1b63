//! One customer: every field, its subscriptions, invoices and totals; edit
//! (with `If-Match`, so a concurrent change is a conflict, never a silent
//! overwrite), the metadata editor, delete, and binding a user id.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use novabilling::keys::Scope;
use novabilling::{Customer, Deleted, Invoice, InvoiceStatus, Subscription, SubscriptionStatus};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::api::{Refused, seg};
use super::form::Fields;
use super::render::{Chrome, Equivalent, notice, page, problem};
use super::security::writer;
use super::session::Session;
use super::Admin;

/// The fields the edit form changes, as the API names them.
pub const EDITABLE: [&str; 5] = ["name", "email", "country", "currency", "status"];

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

/// The edit form's values: the customer's, or what the user typed.
pub struct Draft {
    pub name: String,
    pub email: String,
    pub country: String,
    pub currency: String,
    pub status: String,
}

impl Draft {
    fn of(c: &Customer) -> Self {
        Draft {
            name: c.name.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            country: c.country.clone().unwrap_or_default(),
            currency: c.currency.clone().unwrap_or_default(),
            status: c.status.as_str().to_owned(),
        }
    }

    fn from_form(f: &Fields) -> Self {
        Draft {
            name: f.text("name").into(),
            email: f.text("email").into(),
            country: f.text("country").into(),
            currency: f.text("currency").into(),
            status: f.text("status").into(),
        }
    }

    fn get(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "email" => &self.email,
            "country" => &self.country,
            "currency" => &self.currency,
            _ => &self.status,
        }
    }

    /// The PATCH body: only the fields that differ from `was` (empty clears one).
    fn changes(&self, was: &Draft) -> Map<String, Value> {
        EDITABLE
            .iter()
            .filter(|f| self.get(f) != was.get(f))
            .map(|f| {
                let v = self.get(f);
                ((*f).to_owned(), if v.is_empty() { Value::Null } else { Value::String(v.to_owned()) })
            })
            .collect()
    }
}

/// The values the posted form was loaded with.
fn was_of(f: &Fields) -> Draft {
    Draft {
        name: f.text("was_name").into(),
        email: f.text("was_email").into(),
        country: f.text("was_country").into(),
        currency: f.text("was_currency").into(),
        status: f.text("was_status").into(),
    }
}

/// A field where the user's edit met someone else's change.
pub struct Clash {
    pub field: &'static str,
    pub yours: String,
    pub theirs: String,
}

/// A sum per currency, for the totals.
pub struct Sum {
    pub currency: String,
    pub paid: Decimal,
    pub open: Decimal,
}

#[derive(Template)]
#[template(path = "admin/customer.html")]
struct ShowPage {
    c: Chrome,
    cust: Customer,
    created: String,
    updated: String,
    metadata_json: String,
    etag: String,
    /// The customer's values as loaded: an edit sends only what differs from them.
    was: Draft,
    draft: Draft,
    metadata_draft: String,
    notice: String,
    error: String,
    metadata_error: String,
    clashes: Vec<Clash>,
    subs: Option<Vec<Subscription>>,
    invoices: Option<Vec<Invoice>>,
    sums: Vec<Sum>,
    equiv_get: Equivalent,
    equiv_update: Equivalent,
    equiv_metadata: Equivalent,
    equiv_bind: Equivalent,
}

/// What the page shows besides the customer: user input kept across a refusal.
#[derive(Default)]
struct Extra {
    /// The version and values the refused form was based on: kept, so the
    /// next save still meets a change someone made since (412), rather than
    /// being based on the version loaded now and overwriting that change.
    kept_etag: Option<String>,
    kept_was: Option<Draft>,
    draft: Option<Draft>,
    metadata_draft: Option<String>,
    notice: String,
    error: String,
    metadata_error: String,
    clashes: Vec<Clash>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    notice: String,
}

fn customer_path(id: &str) -> String {
    format!("/api/customers/{}", seg(id))
}

pub async fn show(State(admin): State<Admin>, s: Session, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> Response {
    let extra = Extra { notice: notice(Some(&q.notice)).unwrap_or("").into(), ..Extra::default() };
    render_show(&admin, &s, &id, StatusCode::OK, extra).await
}

async fn render_show(admin: &Admin, s: &Session, id: &str, status: StatusCode, extra: Extra) -> Response {
    let got = match admin.api.get::<Customer>(&s.key, &customer_path(id)).await {
        Ok(a) => a,
        Err(r) => return problem(s, "customers", &r),
    };
    let cust = got.body;
    let etag = extra.kept_etag.unwrap_or_else(|| got.etag.unwrap_or_default());
    let was = extra.kept_was.unwrap_or_else(|| Draft::of(&cust));
    let (subs, invoices) = if s.caps.billing {
        let subs = admin.api.get::<Data<Subscription>>(&s.key, &format!("{}/subscriptions", customer_path(id))).await;
        let invs = admin.api.get::<Data<Invoice>>(&s.key, &format!("{}/invoices", customer_path(id))).await;
        (subs.ok().map(|a| a.body.data), invs.ok().map(|a| a.body.data))
    } else {
        (None, None)
    };
    let totals = sums(invoices.as_deref().unwrap_or_default());
    let metadata_json = serde_json::to_string_pretty(&cust.metadata).unwrap_or_default();
    let path = customer_path(&cust.id);
    let sample = json!({"name": cust.name});
    let t = ShowPage {
        c: Chrome::new(s, "customers"),
        created: cust.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        updated: cust.updated_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        was,
        draft: extra.draft.unwrap_or_else(|| Draft::of(&cust)),
        metadata_draft: extra.metadata_draft.unwrap_or_else(|| metadata_json.clone()),
        metadata_json,
        notice: extra.notice,
        error: extra.error,
        metadata_error: extra.metadata_error,
        clashes: extra.clashes,
        equiv_get: Equivalent::new(s, Some(&["customers", "get", &cust.id]), &Method::GET, &path, None, None).about("reading this customer"),
        equiv_update: Equivalent::new(
            s,
            Some(&["customers", "update", &cust.id, "--name", cust.name.as_deref().unwrap_or(""), "--if-match", &etag]),
            &Method::PATCH,
            &path,
            Some(&sample),
            Some(&etag),
        ).about("an edit"),
        equiv_metadata: Equivalent::new(
            s,
            Some(&["customers", "update", &cust.id, "--metadata", "plan=pro", "--if-match", &etag]),
            &Method::PATCH,
            &path,
            Some(&json!({"metadata": cust.metadata})),
            Some(&etag),
        ).about("replacing the metadata"),
        equiv_bind: Equivalent::new(
            s,
            Some(&["customers", "bind", &cust.id, "--external-id", "usr_123"]),
            &Method::POST,
            &format!("{path}/bind"),
            Some(&json!({"externalId": "usr_123"})),
            None,
        ).about("binding"),
        etag,
        subs,
        invoices,
        sums: totals,
        cust,
    };
    page(status, &t)
}

fn sums(invoices: &[Invoice]) -> Vec<Sum> {
    let mut by: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for i in invoices {
        let e = by.entry(i.currency.clone().unwrap_or_default()).or_default();
        match i.status {
            InvoiceStatus::Paid => e.0 += i.amount,
            InvoiceStatus::Open => e.1 += i.amount,
            _ => {}
        }
    }
    by.into_iter().map(|(currency, (paid, open))| Sum { currency, paid, open }).collect()
}

/// Saves the edit form with `If-Match`: on 412 the page shows both versions
/// side by side, with the user's values kept; nothing is overwritten.
pub async fn update(State(admin): State<Admin>, s: Session, headers: HeaderMap, Path(id): Path<String>, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let mine = Draft::from_form(&f);
    let was = was_of(&f);
    let changes = mine.changes(&was);
    if changes.is_empty() {
        return Redirect::to(&format!("{}/customers/{}", s.base.0, seg(&id))).into_response();
    }
    let body = Value::Object(changes);
    let sent = admin.api.call::<Customer>(&s.key, Method::PATCH, &customer_path(&id), Some(&body), Some(f.text("etag"))).await;
    match sent {
        Ok(_) => Redirect::to(&format!("{}/customers/{}?notice=saved", s.base.0, seg(&id))).into_response(),
        Err(r) if r.status == StatusCode::PRECONDITION_FAILED => conflict(&admin, &s, &id, mine).await,
        Err(r) if r.status.is_client_error() && r.status != StatusCode::NOT_FOUND => {
            let extra = Extra {
                kept_etag: Some(f.text("etag").into()),
                kept_was: Some(was),
                draft: Some(mine),
                error: r.text(),
                ..Extra::default()
            };
            render_show(&admin, &s, &id, r.status, extra).await
        }
        Err(r) => problem(&s, "customers", &r),
    }
}

async fn conflict(admin: &Admin, s: &Session, id: &str, mine: Draft) -> Response {
    let now = match admin.api.get::<Customer>(&s.key, &customer_path(id)).await {
        Ok(a) => Draft::of(&a.body),
        Err(r) => return problem(s, "customers", &r),
    };
    let clashes = EDITABLE
        .iter()
        .filter(|f| mine.get(f) != now.get(f))
        .map(|f| Clash { field: f, yours: mine.get(f).into(), theirs: now.get(f).into() })
        .collect();
    let extra = Extra {
        error: "Someone changed this customer after you opened it. Nothing was saved. The form now shows the current \
                values; your values are listed beside them: copy what you need and save again."
            .into(),
        clashes,
        ..Extra::default()
    };
    render_show(admin, s, id, StatusCode::CONFLICT, extra).await
}

/// Replaces the whole metadata object (keys left out are removed), with `If-Match`.
pub async fn update_metadata(
    State(admin): State<Admin>,
    s: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    f: Fields,
) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let text = f.get("metadata").unwrap_or("").to_owned();
    // The metadata form carries the version, not the fields' values.
    let keep = |error: String| Extra {
        kept_etag: Some(f.text("etag").into()),
        metadata_draft: Some(text.clone()),
        metadata_error: error,
        ..Extra::default()
    };
    let metadata = match serde_json::from_str::<Value>(if text.trim().is_empty() { "{}" } else { &text }) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return render_show(&admin, &s, &id, StatusCode::BAD_REQUEST, keep("Metadata must be a JSON object, like {\"plan\": \"pro\"}.".into())).await,
        Err(e) => return render_show(&admin, &s, &id, StatusCode::BAD_REQUEST, keep(format!("That is not valid JSON: {e}."))).await,
    };
    let body = json!({ "metadata": metadata });
    match admin.api.call::<Customer>(&s.key, Method::PATCH, &customer_path(&id), Some(&body), Some(f.text("etag"))).await {
        Ok(_) => Redirect::to(&format!("{}/customers/{}?notice=saved", s.base.0, seg(&id))).into_response(),
        Err(r) if r.status == StatusCode::PRECONDITION_FAILED => {
            let e = "Someone changed this customer after you opened it. Nothing was saved. The current metadata is shown \
                     above; your text is kept below: merge and save again.";
            // Now seen, the current version is the one the next save is based on.
            let extra = Extra { metadata_draft: Some(text.clone()), metadata_error: e.into(), ..Extra::default() };
            render_show(&admin, &s, &id, StatusCode::CONFLICT, extra).await
        }
        Err(r) if r.status.is_client_error() && r.status != StatusCode::NOT_FOUND => {
            render_show(&admin, &s, &id, r.status, keep(r.text())).await
        }
        Err(r) => problem(&s, "customers", &r),
    }
}

#[derive(Template)]
#[template(path = "admin/delete.html")]
struct DeletePage {
    c: Chrome,
    cust: Customer,
    active_subscriptions: usize,
    open_invoices: Option<usize>,
    equiv: Equivalent,
}

/// Says what a delete cancels and voids before it happens.
pub async fn confirm_delete(State(admin): State<Admin>, s: Session, Path(id): Path<String>) -> Response {
    if !s.caps.delete {
        return problem(&s, "customers", &Refused::lacking(Scope::CustomersDelete));
    }
    let cust = match admin.api.get::<Customer>(&s.key, &customer_path(&id)).await {
        Ok(a) => a.body,
        Err(r) => return problem(&s, "customers", &r),
    };
    let (active, open) = if s.caps.billing {
        let subs = admin.api.get::<Data<Subscription>>(&s.key, &format!("{}/subscriptions", customer_path(&id))).await;
        let invs = admin.api.get::<Data<Invoice>>(&s.key, &format!("{}/invoices", customer_path(&id))).await;
        let active = subs.map(|a| a.body.data.iter().filter(|x| x.status == SubscriptionStatus::Active).count());
        let open = invs.map(|a| a.body.data.iter().filter(|x| x.status == InvoiceStatus::Open).count());
        (active.unwrap_or(usize::try_from(cust.active_subscriptions).unwrap_or(0)), open.ok())
    } else {
        (usize::try_from(cust.active_subscriptions).unwrap_or(0), None)
    };
    let t = DeletePage {
        c: Chrome::new(&s, "customers"),
        equiv: Equivalent::new(&s, Some(&["customers", "delete", &cust.id, "--yes"]), &Method::DELETE, &customer_path(&cust.id), None, None).about("this delete"),
        cust,
        active_subscriptions: active,
        open_invoices: open,
    };
    page(StatusCode::OK, &t)
}

pub async fn delete(State(admin): State<Admin>, s: Session, headers: HeaderMap, Path(id): Path<String>, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    match admin.api.call::<Deleted>(&s.key, Method::DELETE, &customer_path(&id), None, None).await {
        Ok(_) => Redirect::to(&format!("{}/customers?notice=deleted", s.base.0)).into_response(),
        Err(r) => problem(&s, "customers", &r),
    }
}

/// Binds an unresolved customer to the user id given: once, for good.
pub async fn bind(State(admin): State<Admin>, s: Session, headers: HeaderMap, Path(id): Path<String>, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let body = json!({ "externalId": f.text("external_id") });
    let path = format!("{}/bind", customer_path(&id));
    match admin.api.call::<Customer>(&s.key, Method::POST, &path, Some(&body), None).await {
        Ok(_) if f.text("from") == "unresolved" => {
            Redirect::to(&format!("{}/customers?unresolved=1&notice=bound", s.base.0)).into_response()
        }
        Ok(_) => Redirect::to(&format!("{}/customers/{}?notice=bound", s.base.0, seg(&id))).into_response(),
        Err(r) if r.status.is_client_error() && r.status != StatusCode::NOT_FOUND && f.text("from") != "unresolved" => {
            render_show(&admin, &s, &id, r.status, Extra { error: r.text(), ..Extra::default() }).await
        }
        Err(r) => problem(&s, "unresolved", &r),
    }
}
