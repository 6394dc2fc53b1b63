//! Restricted and ephemeral keys: create (the secret shown once, on the
//! answer's page only), list, revoke.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use novabilling::keys::Scope;
use novabilling::{EphemeralKey, Key};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::api::{Refused, seg};
use super::form::Fields;
use super::render::{Chrome, Equivalent, notice, page, problem};
use super::security::writer;
use super::session::Session;
use super::Admin;

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

/// A key just made: the only time its secret is shown.
pub struct Minted {
    pub what: String,
    pub id: String,
    pub secret: String,
}

#[derive(Template)]
#[template(path = "admin/keys.html")]
struct KeysPage {
    c: Chrome,
    keys: Vec<Key>,
    scopes: Vec<&'static str>,
    minted: Option<Minted>,
    notice: String,
    error: String,
    equiv_create: Equivalent,
    equiv_ephemeral: Equivalent,
    equiv_revoke: Equivalent,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    notice: String,
}

pub async fn list(State(admin): State<Admin>, s: Session, Query(q): Query<ListQuery>) -> Response {
    render(&admin, &s, StatusCode::OK, None, notice(Some(&q.notice)).unwrap_or(""), String::new()).await
}

async fn render(admin: &Admin, s: &Session, status: StatusCode, minted: Option<Minted>, notice: &str, error: String) -> Response {
    let keys = match admin.api.get::<Data<Key>>(&s.key, "/api/keys").await {
        Ok(a) => a.body.data,
        Err(r) => return problem(s, "keys", &r),
    };
    let t = KeysPage {
        c: Chrome::new(s, "keys"),
        keys,
        scopes: Scope::ALL.iter().map(|s| s.as_str()).collect(),
        minted,
        notice: notice.into(),
        error,
        equiv_create: Equivalent::new(
            s,
            None,
            &Method::POST,
            "/api/keys",
            Some(&json!({ "name": "support dashboard", "scopes": ["customers:read"] })),
            None,
        ).about("a new restricted key"),
        equiv_ephemeral: Equivalent::new(s, None, &Method::POST, "/api/ephemeral-keys", Some(&json!({ "customerId": "cust_..." })), None).about("a new ephemeral key"),
        equiv_revoke: Equivalent::new(s, None, &Method::DELETE, "/api/keys/key_...", None, None).about("revoking a key"),
    };
    page(status, &t)
}

/// A refusal the user can fix shows on the keys page; anything else is a problem page.
async fn refused(admin: &Admin, s: &Session, r: &Refused) -> Response {
    if r.status.is_client_error() && r.status != StatusCode::NOT_FOUND {
        return render(admin, s, r.status, None, "", r.text()).await;
    }
    problem(s, "keys", r)
}

/// The form's "expires in" as the body's `expiresIn`, when given.
fn expiry(f: &Fields, body: &mut Map<String, Value>) -> Result<(), String> {
    if let Some(v) = f.filled("expires_in") {
        let secs: u64 = v.parse().map_err(|_| format!("Expires in must be a whole number of seconds, not {v:?}."))?;
        body.insert("expiresIn".into(), json!(secs));
    }
    Ok(())
}

pub async fn create(State(admin): State<Admin>, s: Session, headers: HeaderMap, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let mut body = Map::new();
    body.insert("scopes".into(), json!(f.all("scope")));
    if let Some(name) = f.filled("name") {
        body.insert("name".into(), json!(name));
    }
    if let Err(e) = expiry(&f, &mut body) {
        return render(&admin, &s, StatusCode::BAD_REQUEST, None, "", e).await;
    }
    match admin.api.call::<Key>(&s.key, Method::POST, "/api/keys", Some(&Value::Object(body)), None).await {
        Ok(a) => {
            let k = a.body;
            let minted = Minted { what: "restricted key".into(), id: k.id, secret: k.secret.unwrap_or_default() };
            render(&admin, &s, StatusCode::CREATED, Some(minted), "", String::new()).await
        }
        Err(r) => refused(&admin, &s, &r).await,
    }
}

pub async fn revoke(State(admin): State<Admin>, s: Session, headers: HeaderMap, Path(id): Path<String>, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let path = format!("/api/keys/{}", seg(&id));
    match admin.api.call::<Key>(&s.key, Method::DELETE, &path, None, None).await {
        Ok(_) => Redirect::to(&format!("{}/keys?notice=revoked", s.base.0)).into_response(),
        Err(r) => refused(&admin, &s, &r).await,
    }
}

pub async fn create_ephemeral(State(admin): State<Admin>, s: Session, headers: HeaderMap, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let customer = f.text("customer");
    let mut body = Map::new();
    // A customer's id starts with cust_; anything else is the tenant's own user id.
    let field = if customer.starts_with("cust_") { "customerId" } else { "externalId" };
    body.insert(field.into(), json!(customer));
    if let Err(e) = expiry(&f, &mut body) {
        return render(&admin, &s, StatusCode::BAD_REQUEST, None, "", e).await;
    }
    match admin.api.call::<EphemeralKey>(&s.key, Method::POST, "/api/ephemeral-keys", Some(&Value::Object(body)), None).await {
        Ok(a) => {
            let k = a.body;
            let what = format!("ephemeral key for {}, until {}", k.customer_id, k.expires_at.format("%Y-%m-%d %H:%M UTC"));
            let minted = Minted { what, id: k.id, secret: k.secret.unwrap_or_default() };
            render(&admin, &s, StatusCode::CREATED, Some(minted), "", String::new()).await
        }
        Err(r) => refused(&admin, &s, &r).await,
    }
}

pub async fn revoke_ephemeral(State(admin): State<Admin>, s: Session, headers: HeaderMap, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let path = format!("/api/ephemeral-keys/{}", seg(f.text("id")));
    match admin.api.call::<EphemeralKey>(&s.key, Method::DELETE, &path, None, None).await {
        Ok(_) => Redirect::to(&format!("{}/keys?notice=revoked", s.base.0)).into_response(),
        Err(r) => refused(&admin, &s, &r).await,
    }
}
