//! The routes of the customers API (docs/API-REFERENCE.md, server/README.md).

pub mod billing;
pub mod customers;
pub mod webhooks;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use self::webhooks as wh;

use crate::error::ApiError;
use crate::state::AppState;

/// The API's routes, without the OpenAPI document (which describes them).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
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
        .route("/api/webhook-endpoints", post(wh::create_endpoint).get(wh::list_endpoints))
        .route(
            "/api/webhook-endpoints/{id}",
            get(wh::get_endpoint).patch(wh::update_endpoint).delete(wh::delete_endpoint),
        )
        .route("/api/webhook-endpoints/{id}/rotate-secret", post(wh::rotate_secret))
        .route("/api/webhook-endpoints/{id}/deliveries", get(wh::deliveries))
        .route("/api/events", get(wh::list_events))
        .route("/api/events/{id}", get(wh::get_event))
        .route("/api/events/{id}/redeliver", post(wh::redeliver))
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
