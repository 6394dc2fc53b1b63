//! Subscriptions and invoices: enough API to create, cancel, pay and void them,
//! so that `totalSpent`, `activeSubscriptions` and delete act on real records.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{
    Invoice, InvoiceCreate, InvoiceStatus, List, ResponseMeta, Subscription, SubscriptionCreate, SubscriptionStatus,
};
use novabilling::{FieldError, validate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::ms_to_time;
use crate::AppState;
use crate::auth::Tenant;
use crate::db::{begin_write, with_db};
use crate::error::{ApiError, ApiResult, JsonBody, parse_query};

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: String,
    customer_id: String,
    plan_id: String,
    status: String,
    created_at: i64,
    canceled_at: Option<i64>,
}

impl SubscriptionRow {
    fn model(self) -> Subscription {
        Subscription {
            id: self.id,
            customer_id: self.customer_id,
            plan_id: Some(self.plan_id),
            status: SubscriptionStatus::from_wire(&self.status),
            created_at: ms_to_time(self.created_at),
            canceled_at: self.canceled_at.map(ms_to_time),
            response: ResponseMeta::default(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    id: String,
    customer_id: String,
    amount_minor: i64,
    currency: String,
    status: String,
    created_at: i64,
    paid_at: Option<i64>,
    voided_at: Option<i64>,
}

impl InvoiceRow {
    fn model(self) -> Invoice {
        let exp = validate::currency_exponent(&self.currency);
        Invoice {
            id: self.id,
            customer_id: self.customer_id,
            amount: Decimal::new(self.amount_minor, exp),
            currency: Some(self.currency),
            status: InvoiceStatus::from_wire(&self.status),
            created_at: ms_to_time(self.created_at),
            paid_at: self.paid_at.map(ms_to_time),
            voided_at: self.voided_at.map(ms_to_time),
            response: ResponseMeta::default(),
        }
    }
}

const SUB_COLS: &str = "id, customer_id, plan_id, status, created_at, canceled_at";
const INV_COLS: &str = "id, customer_id, amount_minor, currency, status, created_at, paid_at, voided_at";

fn sub_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No subscription with id {id:?}"))
}

fn inv_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No invoice with id {id:?}"))
}

async fn live_customer_exists(st: &AppState, tenant: &str, id: &str) -> ApiResult<()> {
    let found = with_db!(&st.db, read, |p| {
        sqlx::query_scalar::<_, String>("SELECT id FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL")
            .bind(id)
            .bind(tenant)
            .fetch_optional(p)
            .await
    })?;
    found.map(|_| ()).ok_or_else(|| ApiError::customer_not_found(id))
}

/// A customer's subscriptions, oldest first.
#[utoipa::path(get, path = "/api/customers/{id}/subscriptions", tag = "subscriptions",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "The customer's subscriptions", body = crate::openapi::SubscriptionList)))]
pub async fn customer_subscriptions(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    parse_query::<serde_json::Value>(&uri, &[])?;
    live_customer_exists(&st, &t.0, &id).await?;
    let sql = format!(
        "SELECT {SUB_COLS} FROM subscriptions WHERE customer_id = $1 AND tenant_id = $2 ORDER BY created_at, id"
    );
    let rows = with_db!(&st.db, read, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(&id).bind(&*t.0).fetch_all(p).await
    })?;
    let list = List { data: rows.into_iter().map(SubscriptionRow::model).collect(), response: ResponseMeta::default() };
    Ok(Json(list).into_response())
}

/// A customer's invoices, oldest first.
#[utoipa::path(get, path = "/api/customers/{id}/invoices", tag = "invoices",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, description = "The customer's invoices", body = crate::openapi::InvoiceList)))]
pub async fn customer_invoices(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    parse_query::<serde_json::Value>(&uri, &[])?;
    live_customer_exists(&st, &t.0, &id).await?;
    let sql =
        format!("SELECT {INV_COLS} FROM invoices WHERE customer_id = $1 AND tenant_id = $2 ORDER BY created_at, id");
    let rows =
        with_db!(&st.db, read, |p| sqlx::query_as::<_, InvoiceRow>(&sql).bind(&id).bind(&*t.0).fetch_all(p).await)?;
    let list = List { data: rows.into_iter().map(InvoiceRow::model).collect(), response: ResponseMeta::default() };
    Ok(Json(list).into_response())
}

fn created<T: serde::Serialize>(location: String, body: &T) -> Response {
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = location.parse() {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Start a subscription for a customer.
#[utoipa::path(post, path = "/api/subscriptions", tag = "subscriptions", request_body = SubscriptionCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created", body = Subscription)))]
pub async fn create_subscription(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<SubscriptionCreate>,
) -> ApiResult<Response> {
    let s = validate::subscription_create(body)?;
    let id = crate::ids::new_id("sub_");
    let now = crate::now_ms();
    let status = s.status.unwrap_or(SubscriptionStatus::Active);
    // One statement, reading the customer FOR SHARE on PostgreSQL: a concurrent
    // delete either sees this subscription (and cancels it) or this sees the delete.
    let sql = format!(
        "INSERT INTO subscriptions (id, tenant_id, customer_id, plan_id, status, created_at) \
         SELECT $1, c.tenant_id, c.id, $2, $3, $4 FROM customers c \
         WHERE c.id = $5 AND c.tenant_id = $6 AND c.deleted_at IS NULL{}",
        st.db.for_share()
    );
    let n = with_db!(&st.db, write, |p| {
        sqlx::query(&sql)
            .bind(&id)
            .bind(&s.plan_id)
            .bind(status.as_str())
            .bind(now)
            .bind(&s.customer_id)
            .bind(&*t.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(ApiError::customer_not_found(&s.customer_id));
    }
    let sub = SubscriptionRow {
        id: id.clone(),
        customer_id: s.customer_id,
        plan_id: s.plan_id,
        status: status.as_str().to_owned(),
        created_at: now,
        canceled_at: None,
    };
    Ok(created(format!("/api/subscriptions/{id}"), &sub.model()))
}

async fn fetch_subscription(st: &AppState, tenant: &str, id: &str) -> ApiResult<SubscriptionRow> {
    let sql = format!("SELECT {SUB_COLS} FROM subscriptions WHERE id = $1 AND tenant_id = $2");
    let row = with_db!(&st.db, read, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await
    })?;
    row.ok_or_else(|| sub_not_found(id))
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
    parse_query::<serde_json::Value>(&uri, &[])?;
    Ok(Json(fetch_subscription(&st, &t.0, &id).await?.model()).into_response())
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
    let now = crate::now_ms();
    let sql = format!(
        "UPDATE subscriptions SET status = 'canceled', canceled_at = $3 \
         WHERE id = $1 AND tenant_id = $2 AND status <> 'canceled' RETURNING {SUB_COLS}"
    );
    let row = with_db!(&st.db, write, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(&id).bind(&*t.0).bind(now).fetch_optional(p).await
    })?;
    let row = match row {
        Some(r) => r,
        None => fetch_subscription(&st, &t.0, &id).await?,
    };
    Ok(Json(row.model()).into_response())
}

/// Create an invoice. The currency defaults to the customer's.
#[utoipa::path(post, path = "/api/invoices", tag = "invoices", request_body = InvoiceCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created", body = Invoice)))]
pub async fn create_invoice(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<InvoiceCreate>,
) -> ApiResult<Response> {
    let inv = validate::invoice_create(body)?;
    let id = crate::ids::new_id("inv_");
    let now = crate::now_ms();
    let status = inv.status.clone().unwrap_or(InvoiceStatus::Open);
    let select = format!(
        "SELECT currency FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL{}",
        st.db.for_share()
    );
    let row = with_db!(&st.db, write, |p| {
        let mut tx = begin_write!(p)?;
        let customer_currency: Option<String> = sqlx::query_scalar::<_, Option<String>>(&select)
            .bind(&inv.customer_id)
            .bind(&*t.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::customer_not_found(&inv.customer_id))?;
        let Some(currency) = inv.currency.clone().or(customer_currency) else {
            return Err(ApiError::bad_request(
                "The invoice needs a currency: the customer has none, so name one in `currency`",
            )
            .with_code("currency_required")
            .with_errors(vec![FieldError::new(
                "currency",
                "required",
                "currency is required when the customer has no currency",
            )]));
        };
        let amount = validate::amount("amount", inv.amount, Some(&currency)).map_err(ApiError::field)?;
        let exp = validate::currency_exponent(&currency);
        let minor = (amount * Decimal::from(10i64.pow(exp))).trunc().to_i64().ok_or_else(|| {
            ApiError::field(FieldError::new("amount", "out_of_range", "amount is too large"))
        })?;
        sqlx::query(
            "INSERT INTO invoices (id, tenant_id, customer_id, amount_minor, currency, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&*t.0)
        .bind(&inv.customer_id)
        .bind(minor)
        .bind(&currency)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        InvoiceRow {
            id: id.clone(),
            customer_id: inv.customer_id.clone(),
            amount_minor: minor,
            currency,
            status: status.as_str().to_owned(),
            created_at: now,
            paid_at: None,
            voided_at: None,
        }
    });
    Ok(created(format!("/api/invoices/{id}"), &row.model()))
}

async fn fetch_invoice(st: &AppState, tenant: &str, id: &str) -> ApiResult<InvoiceRow> {
    let sql = format!("SELECT {INV_COLS} FROM invoices WHERE id = $1 AND tenant_id = $2");
    let row =
        with_db!(&st.db, read, |p| sqlx::query_as::<_, InvoiceRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await)?;
    row.ok_or_else(|| inv_not_found(id))
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
    parse_query::<serde_json::Value>(&uri, &[])?;
    Ok(Json(fetch_invoice(&st, &t.0, &id).await?.model()).into_response())
}

/// Moves an invoice from one of `from` to `to`; an invoice already in `to` is
/// returned as it is; one in `blocked` is a 409.
async fn transition(
    st: &AppState,
    tenant: &str,
    id: &str,
    to: &str,
    stamp_col: &str,
    blocked: (&str, &'static str, &str),
) -> ApiResult<Response> {
    let now = crate::now_ms();
    let sql = format!(
        "UPDATE invoices SET status = $3, {stamp_col} = $4 \
         WHERE id = $1 AND tenant_id = $2 AND status IN ('draft', 'open') RETURNING {INV_COLS}"
    );
    let row = with_db!(&st.db, write, |p| {
        sqlx::query_as::<_, InvoiceRow>(&sql).bind(id).bind(tenant).bind(to).bind(now).fetch_optional(p).await
    })?;
    let row = match row {
        Some(r) => r,
        None => {
            let r = fetch_invoice(st, tenant, id).await?;
            if r.status == blocked.0 {
                return Err(ApiError::conflict(blocked.1, blocked.2.to_owned()));
            }
            r
        }
    };
    Ok(Json(row.model()).into_response())
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
    transition(&st, &t.0, &id, "paid", "paid_at", ("void", "invoice_void", "A void invoice cannot be paid")).await
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
    transition(&st, &t.0, &id, "void", "voided_at", ("paid", "invoice_paid", "A paid invoice cannot be voided")).await
}
