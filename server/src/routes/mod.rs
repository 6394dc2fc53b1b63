//! The routes of the customers API (docs/API-REFERENCE.md, server/README.md),
//! each declared once in [`table`] with the scope it asks of the key.

pub mod billing;
pub mod customers;
pub mod keys;
pub mod webhooks;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post};
use novabilling::keys::Scope::{
    BillingRead, BillingWrite, CustomersBind, CustomersDelete, CustomersImport, CustomersRead, CustomersWrite, KeysManage,
    WebhooksManage,
};

use self::webhooks as wh;

use crate::auth::{self, Access, Access::OwnCustomer as Own, Access::Scope as Needs};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{idempotency, outbox_wake};

// Runtime expressions for the OpenAPI links in the routes' responses, which
// tie a create to the operations on what it created (schemathesis's stateful
// phase follows them).
const BODY_ID: &str = "$response.body#/id";
const BODY_EXTERNAL_ID: &str = "$response.body#/externalId";
const ETAG: &str = "$response.header.ETag";

/// One route: its method and path, what it asks of the key, its handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route { method, path, access, handler }
}

/// Every route under /api that needs a key. The OpenAPI document shows each
/// one's scope from here, and a test sends every key kind to every row.
pub fn table() -> Vec<Route> {
    use Method as M;
    vec![
        r(M::POST, "/api/customers", Needs(CustomersWrite), post(customers::create)),
        r(M::GET, "/api/customers", Needs(CustomersRead), get(customers::list)),
        r(M::GET, "/api/customers/unresolved", Needs(CustomersRead), get(customers::unresolved)),
        r(M::POST, "/api/customers/import/stripe", Needs(CustomersImport), post(customers::import_stripe)),
        r(M::GET, "/api/customers/external/{external_id}", Own(CustomersRead), get(customers::get_by_external_id)),
        r(M::GET, "/api/customers/{id}", Own(CustomersRead), get(customers::get)),
        r(M::PATCH, "/api/customers/{id}", Own(CustomersWrite), patch(customers::update)),
        r(M::DELETE, "/api/customers/{id}", Needs(CustomersDelete), delete(customers::delete)),
        r(M::POST, "/api/customers/{id}/bind", Needs(CustomersBind), post(customers::bind)),
        r(M::GET, "/api/customers/{id}/subscriptions", Needs(BillingRead), get(billing::customer_subscriptions)),
        r(M::GET, "/api/customers/{id}/invoices", Needs(BillingRead), get(billing::customer_invoices)),
        r(M::POST, "/api/subscriptions", Needs(BillingWrite), post(billing::create_subscription)),
        r(M::GET, "/api/subscriptions/{id}", Needs(BillingRead), get(billing::get_subscription)),
        r(M::POST, "/api/subscriptions/{id}/cancel", Needs(BillingWrite), post(billing::cancel_subscription)),
        r(M::POST, "/api/invoices", Needs(BillingWrite), post(billing::create_invoice)),
        r(M::GET, "/api/invoices/{id}", Needs(BillingRead), get(billing::get_invoice)),
        r(M::POST, "/api/invoices/{id}/pay", Needs(BillingWrite), post(billing::pay_invoice)),
        r(M::POST, "/api/invoices/{id}/void", Needs(BillingWrite), post(billing::void_invoice)),
        r(M::POST, "/api/webhook-endpoints", Needs(WebhooksManage), post(wh::create_endpoint)),
        r(M::GET, "/api/webhook-endpoints", Needs(WebhooksManage), get(wh::list_endpoints)),
        r(M::GET, "/api/webhook-endpoints/{id}", Needs(WebhooksManage), get(wh::get_endpoint)),
        r(M::PATCH, "/api/webhook-endpoints/{id}", Needs(WebhooksManage), patch(wh::update_endpoint)),
        r(M::DELETE, "/api/webhook-endpoints/{id}", Needs(WebhooksManage), delete(wh::delete_endpoint)),
        r(M::POST, "/api/webhook-endpoints/{id}/rotate-secret", Needs(WebhooksManage), post(wh::rotate_secret)),
        r(M::GET, "/api/webhook-endpoints/{id}/deliveries", Needs(WebhooksManage), get(wh::deliveries)),
        r(M::GET, "/api/events", Needs(WebhooksManage), get(wh::list_events)),
        r(M::GET, "/api/events/{id}", Needs(WebhooksManage), get(wh::get_event)),
        r(M::POST, "/api/events/{id}/redeliver", Needs(WebhooksManage), post(wh::redeliver)),
        r(M::POST, "/api/keys", Needs(KeysManage), post(keys::create)),
        r(M::GET, "/api/keys", Needs(KeysManage), get(keys::list)),
        r(M::DELETE, "/api/keys/{id}", Needs(KeysManage), delete(keys::revoke)),
        r(M::POST, "/api/ephemeral-keys", Needs(KeysManage), post(keys::create_ephemeral)),
        r(M::DELETE, "/api/ephemeral-keys/{id}", Needs(KeysManage), delete(keys::revoke_ephemeral)),
    ]
}

/// The API's routes, without the OpenAPI document (which describes them).
/// Each route checks its key's scope first, so a refused request never
/// reaches idempotency (whose stored answer another key could replay).
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new().route("/health", get(health));
    for route in table() {
        let handler = route
            .handler
            .route_layer(from_fn_with_state(state.outbox.clone(), outbox_wake::wake_outbox))
            .route_layer(from_fn_with_state(state.db.clone(), idempotency::idempotency))
            .route_layer(from_fn_with_state(route.access, auth::authorize));
        router = router.route(route.path, handler);
    }
    router.fallback(not_found).method_not_allowed_fallback(method_not_allowed)
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
