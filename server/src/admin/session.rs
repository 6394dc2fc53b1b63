//! Who is signed in: the API key in the `nb_admin` cookie (HttpOnly,
//! SameSite=Strict, scoped to the admin's path), what it may do, and where the
//! page lives behind a proxy.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use novabilling::keys::{KeyKind, Scope};
use sha2::{Digest, Sha256};

use super::Admin;
use crate::clock::now_ms;
use crate::store::keys::{self, KeyRow};

pub const COOKIE: &str = "nb_admin";

/// The admin's own path, behind the proxy's prefix (`X-Forwarded-Prefix`):
/// `/admin`, or `/billing/admin`.
#[derive(Clone, Debug)]
pub struct Base(pub String);

impl Base {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let prefix = headers
            .get("x-forwarded-prefix")
            .and_then(|v| v.to_str().ok())
            .map(|p| p.trim_end_matches('/'))
            // `//host` would make every redirect leave for another site.
            .filter(|p| p.starts_with('/') && !p.starts_with("//") && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~".contains(&b)))
            .unwrap_or("");
        Base(format!("{prefix}/admin"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Base {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Base::from_headers(&parts.headers))
    }
}

/// What the signed-in key may do; the page shows only the controls it can use
/// (the API refuses the rest anyway).
#[derive(Clone, Copy, Debug, Default)]
#[allow(clippy::struct_excessive_bools, reason = "one per scope, as the templates read them")]
pub struct Caps {
    pub read: bool,
    pub write: bool,
    pub delete: bool,
    pub bind: bool,
    pub import: bool,
    pub billing: bool,
    pub webhooks: bool,
    pub keys: bool,
}

impl Caps {
    fn of(scopes: &[Scope]) -> Self {
        let has = |s| scopes.contains(&s);
        Caps {
            read: has(Scope::CustomersRead),
            write: has(Scope::CustomersWrite),
            delete: has(Scope::CustomersDelete),
            bind: has(Scope::CustomersBind),
            import: has(Scope::CustomersImport),
            billing: has(Scope::BillingRead),
            webhooks: has(Scope::WebhooksManage),
            keys: has(Scope::KeysManage),
        }
    }
}

/// A signed-in request.
#[derive(Clone, Debug)]
pub struct Session {
    pub key: String,
    pub caps: Caps,
    /// The form token every write carries (see `security::writer`).
    pub csrf: String,
    pub base: Base,
    /// The key as its list shows it: name, prefix and last four.
    pub label: String,
    /// Where the API is, for the curl equivalents.
    pub origin: String,
}

/// The CSRF token of a key: a hash of it, so it changes with the key and no
/// server-side store is needed. A page from another site cannot read it.
pub fn csrf_token(key: &str) -> String {
    hex::encode(Sha256::digest(format!("novabilling-admin-csrf\0{key}")))
}

/// Why a key cannot sign in, or `None` when it can.
pub fn unusable(row: Option<&KeyRow>) -> Option<&'static str> {
    let Some(row) = row else { return Some("No such API key: check that it was copied whole") };
    if row.revoked_at.is_some() {
        return Some("This API key was revoked: sign in with another key");
    }
    if row.expires_at.is_some_and(|e| e <= now_ms()) {
        return Some("This API key has expired: sign in with another key");
    }
    if row.kind() == KeyKind::Ephemeral {
        return Some("An ephemeral key belongs to one customer's app: sign in with a secret or restricted key");
    }
    None
}

pub fn cookie_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that signs `key` in (or out, when `None`).
pub fn set_cookie(headers: &HeaderMap, base: &Base, key: Option<&str>) -> String {
    let secure = if is_https(headers) { "; Secure" } else { "" };
    match key {
        Some(k) => format!("{COOKIE}={k}; Path={}; HttpOnly; SameSite=Strict{secure}", base.0),
        None => format!("{COOKIE}=; Path={}; HttpOnly; SameSite=Strict; Max-Age=0{secure}", base.0),
    }
}

fn is_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// `http://host:port` and the prefix: where a curl call reaches this server.
fn origin(headers: &HeaderMap, base: &Base) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost:3000");
    let proto = if is_https(headers) { "https" } else { "http" };
    format!("{proto}://{host}{}", base.0.strip_suffix("/admin").unwrap_or(""))
}

impl FromRequestParts<Admin> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, admin: &Admin) -> Result<Self, Self::Rejection> {
        let base = Base::from_headers(&parts.headers);
        let to_signin = |why: &str| {
            let to = format!("{}/signin?why={why}", base.0);
            ([(header::SET_COOKIE, set_cookie(&parts.headers, &base, None))], Redirect::to(&to)).into_response()
        };
        let Some(key) = cookie_key(&parts.headers) else { return Err(Redirect::to(&format!("{}/signin", base.0)).into_response()) };
        let row = match keys::find(&admin.db, &key).await {
            Ok(row) => row,
            Err(e) => return Err(crate::error::ApiError::from(e).into_response()),
        };
        if unusable(row.as_ref()).is_some() {
            return Err(to_signin("ended"));
        }
        let Some(row) = row else { return Err(to_signin("ended")) };
        let label = format!("{}{}…{}", row.name.as_deref().map(|n| format!("{n} · ")).unwrap_or_default(), row.prefix, row.last4.as_deref().unwrap_or(""));
        Ok(Session {
            caps: Caps::of(&row.scopes()),
            csrf: csrf_token(&key),
            origin: origin(&parts.headers, &base),
            label,
            base,
            key,
        })
    }
}
