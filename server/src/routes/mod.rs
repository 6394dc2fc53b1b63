//! The routes of spec/API.md.

pub mod billing;
pub mod customers;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/api/openapi.json", get(crate::openapi::serve))
        .route("/api/customers", post(customers::create).get(customers::list))
        .route("/api/customers/unresolved", get(customers::unresolved))
        .route("/api/customers/import/stripe", post(customers::import_stripe))
        .route("/api/customers/external/{external_id}", get(customers::get_by_external_id))
        .route(
            "/api/customers/{id}",
            get(customers::get).patch(customers::update).delete(customers::delete),
        )
        .route("/api/customers/{id}/bind", post(customers::bind))
        .route("/api/customers/{id}/subscriptions", get(billing::customer_subscriptions))
        .route("/api/customers/{id}/invoices", get(billing::customer_invoices))
        .route("/api/subscriptions", post(billing::create_subscription))
        .route("/api/subscriptions/{id}", get(billing::get_subscription))
        .route("/api/subscriptions/{id}/cancel", post(billing::cancel_subscription))
        .route("/api/invoices", post(billing::create_invoice))
        .route("/api/invoices/{id}", get(billing::get_invoice))
        .route("/api/invoices/{id}/pay", post(billing::pay_invoice))
        .route("/api/invoices/{id}/void", post(billing::void_invoice))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Liveness: 200 `{"status":"ok"}`, no auth.
#[utoipa::path(get, path = "/health", tag = "meta", security(()),
    responses((status = 200, description = "The server is up", body = Object)))]
pub async fn health() -> Response {
    axum::Json(serde_json::json!({ "status": "ok" })).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("No such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed on this route")
}

pub fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// `If-Match`: `*` matches any existing customer; otherwise one of the listed
/// strong tags must be the customer's current one (412 if not).
pub fn check_if_match(headers: &HeaderMap, version: i64) -> Result<(), ApiError> {
    let values: Vec<&str> = headers.get_all(header::IF_MATCH).iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return Ok(());
    }
    let current = etag(version);
    let ok = values.iter().flat_map(|v| v.split(',')).map(str::trim).any(|t| {
        t == "*" || t == current || (!t.starts_with('"') && !t.starts_with("W/") && format!("\"{t}\"") == current)
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!("If-Match does not match the customer's current ETag {current}"),
        ))
    }
}
