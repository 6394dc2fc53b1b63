//! Subscriptions and invoices: enough API to create, cancel, pay and void them,
//! so that `totalSpent`, `activeSubscriptions` and delete act on real records.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{Invoice, InvoiceCreate, List, ResponseMeta, Subscription, SubscriptionCreate};
use novabilling::validate;

use super::BODY_ID;
use crate::auth::Tenant;
use crate::body::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::query::no_query;
use crate::state::AppState;
use crate::store::billing as store;
use crate::store::customers;

/// The customer's sub-lists are 404 for an unknown, foreign or deleted customer.
async fn live_customer(st: &AppState, tenant: &str, id: &str) -> ApiResult<()> {
    if customers::exists(&st.db, tenant, id).await? { Ok(()) } else { Err(ApiError::customer_not_found(id)) }
}

fn list<T: serde::Serialize>(data: Vec<T>) -> Response {
    Json(List { data, response: ResponseMeta::default() }).into_response()
}

fn created<T: serde::Serialize>(location: &str, body: &T) -> Response {
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = location.parse() {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// A customer's subscriptions, oldest first.
#[utoipa::path(get, path = "/api/customers/{id}/subscriptions", tag = "subscriptions",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "The customer's subscriptions", body = crate::schema::SubscriptionList)))]
pub async fn customer_subscriptions(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    live_customer(&st, &t.0, &id).await?;
    Ok(list(store::customer_subscriptions(&st.db, &t.0, &id).await?))
}

/// A customer's invoices, oldest first.
#[utoipa::path(get, path = "/api/customers/{id}/invoices", tag = "invoices",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "The customer's invoices", body = crate::schema::InvoiceList)))]
pub async fn customer_invoices(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    live_customer(&st, &t.0, &id).await?;
    Ok(list(store::customer_invoices(&st.db, &t.0, &id).await?))
}

/// Start a subscription for a customer.
#[utoipa::path(post, path = "/api/subscriptions", tag = "subscriptions", request_body = SubscriptionCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created", body = Subscription,
        links(
            ("GetSubscription" = (operation_id = "get_subscription", parameters(("id" = BODY_ID)))),
            ("CancelSubscription" = (operation_id = "cancel_subscription", parameters(("id" = BODY_ID)))),
        ))))]
pub async fn create_subscription(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<SubscriptionCreate>,
) -> ApiResult<Response> {
    let s = validate::subscription_create(body)?;
    let sub = store::create_subscription(&st.db, &t.0, s).await?;
    Ok(created(&format!("/api/subscriptions/{}", sub.id), &sub))
}

/// Get a subscription (also of a deleted customer).
#[utoipa::path(get, path = "/api/subscriptions/{id}", tag = "subscriptions",
    params(("id" = String, Path, description = "Subscription id (`sub_...`)")),
    responses((status = 200, description = "The subscription", body = Subscription)))]
pub async fn get_subscription(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    Ok(Json(store::subscription(&st.db, &t.0, &id).await?).into_response())
}

/// Cancel a subscription. Idempotent: canceling a canceled one returns it as it is.
#[utoipa::path(post, path = "/api/subscriptions/{id}/cancel", tag = "subscriptions",
    params(("id" = String, Path, description = "Subscription id (`sub_...`)"), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "The canceled subscription", body = Subscription)))]
pub async fn cancel_subscription(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(Json(store::cancel_subscription(&st.db, &t.0, &id).await?).into_response())
}

/// Create an invoice. The currency defaults to the customer's.
#[utoipa::path(post, path = "/api/invoices", tag = "invoices", request_body = InvoiceCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created", body = Invoice,
        links(
            ("GetInvoice" = (operation_id = "get_invoice", parameters(("id" = BODY_ID)))),
            ("PayInvoice" = (operation_id = "pay_invoice", parameters(("id" = BODY_ID)))),
            ("VoidInvoice" = (operation_id = "void_invoice", parameters(("id" = BODY_ID)))),
        ))))]
pub async fn create_invoice(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<InvoiceCreate>,
) -> ApiResult<Response> {
    let inv = validate::invoice_create(body)?;
    let inv = store::create_invoice(&st.db, &t.0, inv).await?;
    Ok(created(&format!("/api/invoices/{}", inv.id), &inv))
}

/// Get an invoice (also of a deleted customer).
#[utoipa::path(get, path = "/api/invoices/{id}", tag = "invoices",
    params(("id" = String, Path, description = "Invoice id (`inv_...`)")),
    responses((status = 200, description = "The invoice", body = Invoice)))]
pub async fn get_invoice(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    Ok(Json(store::invoice(&st.db, &t.0, &id).await?).into_response())
}

/// Mark an invoice paid. Paying a paid invoice returns it; a void one is 409 `invoice_void`.
#[utoipa::path(post, path = "/api/invoices/{id}/pay", tag = "invoices",
    params(("id" = String, Path, description = "Invoice id (`inv_...`)"), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The paid invoice", body = Invoice),
        (status = 409, description = "`invoice_void`", body = novabilling::ErrorBody),
    ))]
pub async fn pay_invoice(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(Json(store::pay_invoice(&st.db, &t.0, &id).await?).into_response())
}

/// Void an invoice. Voiding a void invoice returns it; a paid one is 409 `invoice_paid`.
#[utoipa::path(post, path = "/api/invoices/{id}/void", tag = "invoices",
    params(("id" = String, Path, description = "Invoice id (`inv_...`)"), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The void invoice", body = Invoice),
        (status = 409, description = "`invoice_paid`", body = novabilling::ErrorBody),
    ))]
pub async fn void_invoice(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(Json(store::void_invoice(&st.db, &t.0, &id).await?).into_response())
}
