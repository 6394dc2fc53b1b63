//! Subscriptions and invoices in the database, as core's models. Amounts are
//! stored in integer minor units of their currency, so sums are exact.

use novabilling::model::{
    Invoice, InvoiceCreate, InvoiceStatus, Subscription, SubscriptionCreate, SubscriptionStatus, ResponseMeta,
};
use novabilling::{FieldError, validate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::clock::{ms_to_time, now_ms};
use crate::db::{Db, begin_write, with_db};
use crate::error::{ApiError, ApiResult};
use crate::ids;

const SUB_COLS: &str = "id, customer_id, plan_id, status, created_at, canceled_at";
const INV_COLS: &str = "id, customer_id, amount_minor, currency, status, created_at, paid_at, voided_at";

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

fn sub_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No subscription with id {id:?}"))
}

fn inv_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No invoice with id {id:?}"))
}

/// A customer's subscriptions, oldest first (also canceled ones).
pub async fn customer_subscriptions(db: &Db, tenant: &str, customer: &str) -> Result<Vec<Subscription>, sqlx::Error> {
    let sql = format!(
        "SELECT {SUB_COLS} FROM subscriptions WHERE customer_id = $1 AND tenant_id = $2 ORDER BY created_at, id"
    );
    let rows = with_db!(db, read, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(customer).bind(tenant).fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(SubscriptionRow::model).collect())
}

/// A customer's invoices, oldest first.
pub async fn customer_invoices(db: &Db, tenant: &str, customer: &str) -> Result<Vec<Invoice>, sqlx::Error> {
    let sql =
        format!("SELECT {INV_COLS} FROM invoices WHERE customer_id = $1 AND tenant_id = $2 ORDER BY created_at, id");
    let rows =
        with_db!(db, read, |p| sqlx::query_as::<_, InvoiceRow>(&sql).bind(customer).bind(tenant).fetch_all(p).await)?;
    Ok(rows.into_iter().map(InvoiceRow::model).collect())
}

/// Starts a validated subscription; 404 if the customer is unknown or deleted.
pub async fn create_subscription(db: &Db, tenant: &str, s: SubscriptionCreate) -> ApiResult<Subscription> {
    let id = ids::new_id("sub_");
    let now = now_ms();
    let status = s.status.unwrap_or(SubscriptionStatus::Active);
    // One statement, reading the customer FOR SHARE on PostgreSQL: a concurrent
    // delete either sees this subscription (and cancels it) or this sees the delete.
    let sql = format!(
        "INSERT INTO subscriptions (id, tenant_id, customer_id, plan_id, status, created_at) \
         SELECT $1, c.tenant_id, c.id, $2, $3, $4 FROM customers c \
         WHERE c.id = $5 AND c.tenant_id = $6 AND c.deleted_at IS NULL{}",
        db.for_share()
    );
    let n = with_db!(db, write, |p| {
        sqlx::query(&sql)
            .bind(&id)
            .bind(&s.plan_id)
            .bind(status.as_str())
            .bind(now)
            .bind(&s.customer_id)
            .bind(tenant)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(ApiError::customer_not_found(&s.customer_id));
    }
    let row = SubscriptionRow {
        id,
        customer_id: s.customer_id,
        plan_id: s.plan_id,
        status: status.as_str().to_owned(),
        created_at: now,
        canceled_at: None,
    };
    Ok(row.model())
}

async fn subscription_row(db: &Db, tenant: &str, id: &str) -> ApiResult<SubscriptionRow> {
    let sql = format!("SELECT {SUB_COLS} FROM subscriptions WHERE id = $1 AND tenant_id = $2");
    let row = with_db!(db, read, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await
    })?;
    row.ok_or_else(|| sub_not_found(id))
}

pub async fn subscription(db: &Db, tenant: &str, id: &str) -> ApiResult<Subscription> {
    subscription_row(db, tenant, id).await.map(SubscriptionRow::model)
}

/// Cancels a subscription; one already canceled is returned as it is.
pub async fn cancel_subscription(db: &Db, tenant: &str, id: &str) -> ApiResult<Subscription> {
    let now = now_ms();
    let sql = format!(
        "UPDATE subscriptions SET status = 'canceled', canceled_at = $3 \
         WHERE id = $1 AND tenant_id = $2 AND status <> 'canceled' RETURNING {SUB_COLS}"
    );
    let row = with_db!(db, write, |p| {
        sqlx::query_as::<_, SubscriptionRow>(&sql).bind(id).bind(tenant).bind(now).fetch_optional(p).await
    })?;
    let row = match row {
        Some(r) => r,
        None => subscription_row(db, tenant, id).await?,
    };
    Ok(row.model())
}

/// Creates a validated invoice; its currency defaults to the customer's
/// (400 `currency_required` when neither has one).
pub async fn create_invoice(db: &Db, tenant: &str, inv: InvoiceCreate) -> ApiResult<Invoice> {
    let id = ids::new_id("inv_");
    let now = now_ms();
    let status = inv.status.clone().unwrap_or(InvoiceStatus::Open);
    let select = format!(
        "SELECT currency FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL{}",
        db.for_share()
    );
    let row = with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let customer_currency: Option<String> = sqlx::query_scalar::<_, Option<String>>(&select)
            .bind(&inv.customer_id)
            .bind(tenant)
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
        .bind(tenant)
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
    Ok(row.model())
}

async fn invoice_row(db: &Db, tenant: &str, id: &str) -> ApiResult<InvoiceRow> {
    let sql = format!("SELECT {INV_COLS} FROM invoices WHERE id = $1 AND tenant_id = $2");
    let row =
        with_db!(db, read, |p| sqlx::query_as::<_, InvoiceRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await)?;
    row.ok_or_else(|| inv_not_found(id))
}

pub async fn invoice(db: &Db, tenant: &str, id: &str) -> ApiResult<Invoice> {
    invoice_row(db, tenant, id).await.map(InvoiceRow::model)
}

/// Pays a draft or open invoice; a paid one is returned as it is, a void one is 409 `invoice_void`.
pub async fn pay_invoice(db: &Db, tenant: &str, id: &str) -> ApiResult<Invoice> {
    let blocked = ("void", "invoice_void", "A void invoice cannot be paid");
    transition(db, tenant, id, "paid", "paid_at", blocked).await
}

/// Voids a draft or open invoice; a void one is returned as it is, a paid one is 409 `invoice_paid`.
pub async fn void_invoice(db: &Db, tenant: &str, id: &str) -> ApiResult<Invoice> {
    let blocked = ("paid", "invoice_paid", "A paid invoice cannot be voided");
    transition(db, tenant, id, "void", "voided_at", blocked).await
}

/// Moves a draft or open invoice to `to`, stamping `stamp_col`. An invoice
/// already elsewhere is returned as it is, unless it is in `blocked.0`: then
/// 409 with code `blocked.1` and message `blocked.2`.
async fn transition(
    db: &Db,
    tenant: &str,
    id: &str,
    to: &str,
    stamp_col: &str,
    blocked: (&str, &'static str, &str),
) -> ApiResult<Invoice> {
    let now = now_ms();
    let sql = format!(
        "UPDATE invoices SET status = $3, {stamp_col} = $4 \
         WHERE id = $1 AND tenant_id = $2 AND status IN ('draft', 'open') RETURNING {INV_COLS}"
    );
    let row = with_db!(db, write, |p| {
        sqlx::query_as::<_, InvoiceRow>(&sql).bind(id).bind(tenant).bind(to).bind(now).fetch_optional(p).await
    })?;
    let row = if let Some(r) = row {
        r
    } else {
        let r = invoice_row(db, tenant, id).await?;
        if r.status == blocked.0 {
            return Err(ApiError::conflict(blocked.1, blocked.2.to_owned()));
        }
        r
    };
    Ok(row.model())
}
