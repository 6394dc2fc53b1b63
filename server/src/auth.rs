//! Who is asking, and whether they may: `authenticate` (every request under
//! /api) reads `Authorization: Bearer` and finds the key; `authorize` (on
//! each route, from the route table) checks what the route asks of it.

use std::sync::Arc;

use axum::extract::{RawPathParams, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use novabilling::keys::{KeyKind, KeyProblem, Scope};

use crate::body::read_body;
use crate::clock::now_ms;
use crate::db::Db;
use crate::error::ApiError;
use crate::store::{customers, keys};

/// How stale `lastUsedAt` may get: one write per key per minute at most.
const TOUCH_EVERY_MS: i64 = 60_000;

/// What an ephemeral key may change of its customer.
pub const EPHEMERAL_UPDATE_FIELDS: [&str; 4] = ["name", "email", "country", "currency"];

/// The tenant of the request's key (a request extension once authenticated).
#[derive(Clone, Debug)]
pub struct Tenant(pub Arc<str>);

/// The request's key (a request extension once authenticated).
#[derive(Clone, Debug)]
pub struct Principal {
    pub key_id: Arc<str>,
    pub kind: KeyKind,
    pub livemode: bool,
    pub scopes: Arc<[Scope]>,
    /// An ephemeral key's customer: its id and, when it has one, its external id.
    pub customer: Option<(Arc<str>, Option<Arc<str>>)>,
}

impl Principal {
    pub fn holds(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// What a route asks of the request's key. Declared once per route, in the
/// route table (`routes::table`); the OpenAPI document shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A key that holds the scope.
    Scope(Scope),
    /// That, or an ephemeral key of the customer the path names (`{id}` or
    /// `{external_id}`): reading it (`customers:read`), or changing the fields
    /// in [`EPHEMERAL_UPDATE_FIELDS`] (`customers:write`).
    OwnCustomer(Scope),
}

impl Access {
    pub fn scope(self) -> Scope {
        match self {
            Access::Scope(s) | Access::OwnCustomer(s) => s,
        }
    }
}

/// Routes that need no key.
pub fn is_public(path: &str) -> bool {
    path == "/api/openapi.json" || !(path == "/api" || path.starts_with("/api/"))
}

fn unauthorized(code: &'static str, message: impl Into<String>) -> Response {
    ApiError::unauthorized(message).with_code(code).into_response()
}

pub async fn authenticate(State(db): State<Db>, mut req: Request, next: Next) -> Response {
    if is_public(req.uri().path()) {
        return next.run(req).await;
    }
    let key = match req.headers().get(header::AUTHORIZATION) {
        None => {
            return unauthorized("unauthorized", "Missing API key: send the header Authorization: Bearer sk_live_...");
        }
        Some(v) => v.to_str().ok().and_then(|s| s.strip_prefix("Bearer ")).map(str::trim),
    };
    let Some(key) = key else {
        return unauthorized("unauthorized", "Malformed Authorization header: expected `Bearer ` and a key");
    };
    match novabilling::keys::inspect(key) {
        Ok(_) => {}
        Err(KeyProblem::Checksum) => {
            return unauthorized("invalid_api_key", "The API key's checksum does not match: it was mistyped or cut short");
        }
        Err(KeyProblem::Shape) => {
            return unauthorized(
                "unauthorized",
                "Malformed API key: expected sk_, rk_ or ek_, then live_ or test_, then 38 letters and digits",
            );
        }
    }
    let row = match keys::find(&db, key).await {
        Ok(Some(row)) => row,
        Ok(None) => return unauthorized("unauthorized", "Invalid API key"),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let now = now_ms();
    if row.revoked_at.is_some() {
        return unauthorized("revoked_api_key", format!("API key {} was revoked; use another key", row.id));
    }
    if row.expires_at.is_some_and(|e| e <= now) {
        return unauthorized("expired_api_key", format!("API key {} has expired; mint a new one", row.id));
    }
    if row.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY_MS) {
        if let Err(e) = keys::touch(&db, &row.id, now).await {
            // Not worth failing the request over.
            tracing::warn!(error = %e, "could not record the key's last use");
        }
    }
    let customer = match (row.kind(), row.customer_id.as_deref()) {
        (KeyKind::Ephemeral, Some(id)) => match customers::get(&db, &row.tenant_id, id).await {
            Ok(Some(c)) => Some((Arc::from(id), c.external_id.as_deref().map(Arc::from))),
            Ok(None) => return unauthorized("revoked_api_key", format!("The customer of ephemeral key {} is gone", row.id)),
            Err(e) => return ApiError::from(e).into_response(),
        },
        _ => None,
    };
    // No id or path segment can hold U+0000 (PostgreSQL text cannot).
    if req.uri().path().contains("%00") {
        return ApiError::not_found("No such route or resource").into_response();
    }
    let principal = Principal {
        key_id: row.id.as_str().into(),
        kind: row.kind(),
        livemode: row.livemode,
        scopes: row.scopes().into(),
        customer,
    };
    req.extensions_mut().insert(Tenant(row.tenant_id.into()));
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// The route's [`Access`] against the request's key: 403 `insufficient_scope`
/// naming the scope it lacks; an ephemeral key asking for another customer
/// gets 404, as if there were none.
pub async fn authorize(State(access): State<Access>, params: RawPathParams, req: Request, next: Next) -> Response {
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return ApiError::internal().into_response();
    };
    if principal.kind != KeyKind::Ephemeral {
        return if principal.holds(access.scope()) {
            next.run(req).await
        } else {
            ApiError::insufficient_scope(access.scope(), "This key does not hold the scope this route needs").into_response()
        };
    }
    let scope = access.scope();
    let (Access::OwnCustomer(_), Some((id, external_id))) = (access, &principal.customer) else {
        return ApiError::insufficient_scope(scope, "An ephemeral key can only read and update its own customer")
            .into_response();
    };
    if !matches!(scope, Scope::CustomersRead | Scope::CustomersWrite) {
        return ApiError::insufficient_scope(scope, "An ephemeral key can only read and update its own customer")
            .into_response();
    }
    let names_own = params.iter().all(|(name, value)| match name {
        "id" => value == &**id,
        "external_id" => external_id.as_deref() == Some(value),
        _ => false,
    });
    if !names_own {
        return ApiError::not_found("No such customer").into_response();
    }
    if req.method() == Method::PATCH {
        return match only_fields_an_app_may_change(req).await {
            Ok(req) => next.run(req).await,
            Err(e) => e.into_response(),
        };
    }
    next.run(req).await
}

/// The PATCH body, put back, when it changes nothing but
/// [`EPHEMERAL_UPDATE_FIELDS`]; a body that is not a JSON object is left for
/// the route to reject.
async fn only_fields_an_app_may_change(req: Request) -> Result<Request, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body).await?;
    if let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        if let Some(field) = fields.keys().find(|k| !EPHEMERAL_UPDATE_FIELDS.contains(&k.as_str())) {
            return Err(ApiError::insufficient_scope(
                Scope::CustomersWrite,
                format!("An ephemeral key cannot change {field:?}; it may change {}", EPHEMERAL_UPDATE_FIELDS.join(", ")),
            ));
        }
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}
