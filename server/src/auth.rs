//! `Authorization: Bearer sk_...`: the key's tenant, or 401.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::db::Db;
use crate::error::ApiError;
use crate::ids;
use crate::store::keys;

/// The tenant of the request's key (a request extension once authenticated).
#[derive(Clone, Debug)]
pub struct Tenant(pub Arc<str>);

/// Routes that need no key.
pub fn is_public(path: &str) -> bool {
    path == "/api/openapi.json" || !(path == "/api" || path.starts_with("/api/"))
}

pub async fn auth(State(db): State<Db>, mut req: Request, next: Next) -> Response {
    if is_public(req.uri().path()) {
        return next.run(req).await;
    }
    let key = match req.headers().get(header::AUTHORIZATION) {
        None => {
            return ApiError::unauthorized("Missing API key: send the header Authorization: Bearer sk_live_...")
                .into_response();
        }
        Some(v) => v.to_str().ok().and_then(|s| s.strip_prefix("Bearer ")).map(str::trim),
    };
    let Some(key) = key.filter(|k| ids::is_key_shaped(k)) else {
        return ApiError::unauthorized(
            "Malformed Authorization header: expected `Bearer ` and a key of sk_live_ or sk_test_ and 64 hex characters",
        )
        .into_response();
    };
    match keys::tenant_of(&db, key).await {
        Ok(Some(tenant)) => {
            // No id or path segment can hold U+0000 (PostgreSQL text cannot).
            if req.uri().path().contains("%00") {
                return ApiError::not_found("No such route or resource").into_response();
            }
            req.extensions_mut().insert(Tenant(tenant.into()));
            next.run(req).await
        }
        Ok(None) => ApiError::unauthorized("Invalid API key").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
