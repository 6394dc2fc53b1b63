//! Customers in the database: the row and its mapping to core's `Customer`,
//! the reads of one customer, and every write.
//!
//! Writes that depend on the current row (PATCH, bind, delete) read it inside
//! their write transaction (locked on PostgreSQL) and run the caller's
//! `If-Match` check there, so the check and the write cannot race.

use novabilling::model::{
    Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Metadata, Patch, ResponseMeta,
};
use novabilling::validate;
use rust_decimal::Decimal;

use super::events::{CUSTOMER_BOUND, CUSTOMER_CREATED, CUSTOMER_DELETED, CUSTOMER_UPDATED, NewEvent, record_event};
use crate::clock::{ms_to_time, now_ms};
use crate::db::{Db, begin_write, unique_violation, with_db};
use crate::error::{ApiError, ApiResult};
use crate::ids;

/// The columns of a customer, with its totals computed from its billing records.
macro_rules! customer_cols {
    () => {
        "c.id, c.external_id, c.external_organization_id, c.email, c.name, c.country, c.currency, c.status, \
         c.metadata, c.stripe_customer_id, c.version, c.created_at, c.updated_at, \
         (SELECT CAST(COALESCE(SUM(i.amount_minor), 0) AS BIGINT) FROM invoices i \
            WHERE i.customer_id = c.id AND i.status = 'paid' AND i.currency = c.currency) AS total_spent_minor, \
         (SELECT COUNT(*) FROM subscriptions s \
            WHERE s.customer_id = c.id AND s.status IN ('active', 'trialing')) AS active_subscriptions"
    };
}
pub(crate) use customer_cols;

const SELECT_BY_ID: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM customers c WHERE c.id = $1 AND c.tenant_id = $2 AND c.deleted_at IS NULL"
);
const SELECT_BY_EXTERNAL_ID: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM customers c WHERE c.tenant_id = $1 AND c.external_id = $2 AND c.deleted_at IS NULL"
);
const INSERT: &str = "INSERT INTO customers (id, tenant_id, external_id, external_organization_id, email, email_lc, \
     name, country, currency, status, metadata, stripe_customer_id, search_lc, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, NULL, $11, 1, $12, $12)";
const SELECT_CURRENT: &str = "SELECT external_id, external_organization_id, email, name, country, currency, status, \
     metadata, version, updated_at FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL";

#[derive(Clone, sqlx::FromRow)]
pub struct CustomerRow {
    pub id: String,
    pub external_id: Option<String>,
    external_organization_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    status: String,
    metadata: String,
    stripe_customer_id: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
    total_spent_minor: i64,
    active_subscriptions: i64,
    /// The listing's total, when the page query counted it too.
    #[sqlx(default)]
    pub(crate) page_total: Option<i64>,
}

impl CustomerRow {
    /// The customer and its version (its ETag).
    pub fn into_customer(self) -> (Customer, i64) {
        let total_spent = match &self.currency {
            Some(cur) => Decimal::new(self.total_spent_minor, validate::currency_exponent(cur)),
            None => Decimal::ZERO,
        };
        let c = Customer {
            id: self.id,
            external_id: self.external_id,
            external_organization_id: self.external_organization_id,
            email: self.email,
            name: self.name,
            country: self.country,
            currency: self.currency,
            status: CustomerStatus::from_wire(&self.status),
            metadata: serde_json::from_str(&self.metadata).unwrap_or_default(),
            stripe_customer_id: self.stripe_customer_id,
            net_payment_terms: None,
            total_spent,
            active_subscriptions: self.active_subscriptions,
            created_at: ms_to_time(self.created_at),
            updated_at: ms_to_time(self.updated_at),
            subscriptions: None,
            invoices: None,
            response: ResponseMeta::default(),
        };
        (c, self.version)
    }
}

/// The fields that a PATCH or bind reads before it writes.
#[derive(Clone, sqlx::FromRow)]
struct Current {
    external_id: Option<String>,
    external_organization_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    status: String,
    metadata: String,
    version: i64,
    updated_at: i64,
}

/// Reads the customer's [`Current`] row in the transaction `$tx` and runs
/// `$check` on its version: 404 if there is no such customer.
macro_rules! lock_current {
    ($db:expr, $tx:ident, $id:expr, $tenant:expr, $check:expr) => {{
        let sql = format!("{SELECT_CURRENT}{}", $db.for_update());
        let cur = sqlx::query_as::<_, Current>(&sql)
            .bind($id)
            .bind($tenant)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or_else(|| ApiError::customer_not_found($id))?;
        $check(cur.version)?;
        cur
    }};
}

/// The separator between the parts of the search text; a search term that
/// holds it can match nothing.
pub const SEARCH_SEP: char = '\u{1f}';

/// The lower-cased text that search matches: name, email and externalId.
pub(super) fn search_text(name: Option<&str>, email: Option<&str>, external_id: Option<&str>) -> String {
    let mut s = String::new();
    for (i, part) in [name, email, external_id].into_iter().enumerate() {
        if i > 0 {
            s.push(SEARCH_SEP);
        }
        if let Some(p) = part {
            s.push_str(&p.to_lowercase());
        }
    }
    s
}

pub(super) fn metadata_text(m: &Metadata) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
}

fn conflict(e: sqlx::Error) -> ApiError {
    match unique_violation(&e) {
        Some(c) if c.contains("email") => ApiError::conflict("email_taken", "A customer with this email already exists"),
        Some(c) if c.contains("external_id") => external_id_taken(),
        Some(c) if c.contains("stripe") => {
            ApiError::conflict("stripe_customer_taken", "A customer with this stripeCustomerId already exists")
        }
        _ => e.into(),
    }
}

fn external_id_taken() -> ApiError {
    ApiError::conflict("external_id_taken", "A customer with this externalId already exists")
}

/// The wire names of the fields a PATCH changed, in the order a customer lists them.
fn changed_fields(before: &Current, after: &Current) -> Vec<String> {
    let json = |m: &str| serde_json::from_str::<serde_json::Value>(m).ok();
    [
        ("externalOrganizationId", before.external_organization_id != after.external_organization_id),
        ("email", before.email != after.email),
        ("name", before.name != after.name),
        ("country", before.country != after.country),
        ("currency", before.currency != after.currency),
        ("status", before.status != after.status),
        ("metadata", json(&before.metadata) != json(&after.metadata)),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(name, _)| name.to_owned())
    .collect()
}

fn patch_opt(current: Option<String>, p: Patch<String>) -> Option<String> {
    match p {
        Patch::Keep => current,
        Patch::Clear => None,
        Patch::Set(v) => Some(v),
    }
}

pub async fn get(db: &Db, tenant: &str, id: &str) -> Result<Option<CustomerRow>, sqlx::Error> {
    with_db!(db, read, |p| {
        sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(id).bind(tenant).fetch_optional(p).await
    })
}

pub async fn get_by_external_id(db: &Db, tenant: &str, external_id: &str) -> Result<Option<CustomerRow>, sqlx::Error> {
    with_db!(db, read, |p| {
        sqlx::query_as::<_, CustomerRow>(SELECT_BY_EXTERNAL_ID).bind(tenant).bind(external_id).fetch_optional(p).await
    })
}

/// Whether the tenant has this customer, not deleted.
pub async fn exists(db: &Db, tenant: &str, id: &str) -> Result<bool, sqlx::Error> {
    let found = with_db!(db, read, |p| {
        sqlx::query_scalar::<_, String>("SELECT id FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL")
            .bind(id)
            .bind(tenant)
            .fetch_optional(p)
            .await
    })?;
    Ok(found.is_some())
}

/// Inserts a validated create; 409 `email_taken` or `external_id_taken`.
pub async fn create(db: &Db, tenant: &str, c: CustomerCreate) -> ApiResult<CustomerRow> {
    let id = ids::new_id("cust_");
    let now = now_ms();
    let metadata = metadata_text(&c.metadata.clone().unwrap_or_default());
    let search = search_text(c.name.as_deref(), Some(&c.email), Some(&c.external_id));
    let row = CustomerRow {
        id: id.clone(),
        external_id: Some(c.external_id.clone()),
        external_organization_id: c.external_organization_id.clone(),
        email: Some(c.email.clone()),
        name: c.name.clone(),
        country: c.country.clone(),
        currency: c.currency.clone(),
        status: "active".into(),
        metadata: metadata.clone(),
        stripe_customer_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
        total_spent_minor: 0,
        active_subscriptions: 0,
        page_total: None,
    };
    let event = NewEvent::customer(tenant, CUSTOMER_CREATED, &row.clone().into_customer().0, 1, None, now);
    let inserted = with_db!(db, write, |p| async {
        let mut tx = begin_write!(p)?;
        sqlx::query(INSERT)
            .bind(&id)
            .bind(tenant)
            .bind(&c.external_id)
            .bind(&c.external_organization_id)
            .bind(&c.email)
            .bind(c.email.to_lowercase())
            .bind(&c.name)
            .bind(&c.country)
            .bind(&c.currency)
            .bind(&metadata)
            .bind(&search)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        record_event!(tx, event);
        tx.commit().await
    }
    .await);
    if let Err(e) = inserted {
        // Both may be taken: say externalId first, whichever index the database checked first.
        let err = conflict(e);
        if err.code == "email_taken" {
            let ext_taken = with_db!(db, write, |p| {
                sqlx::query_scalar::<_, String>(
                    "SELECT id FROM customers WHERE tenant_id = $1 AND external_id = $2 AND deleted_at IS NULL",
                )
                .bind(tenant)
                .bind(&c.external_id)
                .fetch_optional(p)
                .await
            })?;
            if ext_taken.is_some() {
                return Err(external_id_taken());
            }
        }
        return Err(err);
    }
    Ok(row)
}

/// Applies a validated PATCH: absent fields kept, `null` cleared, metadata replaced whole.
pub async fn update(
    db: &Db,
    tenant: &str,
    id: &str,
    u: CustomerUpdate,
    check: impl FnOnce(i64) -> ApiResult<()>,
) -> ApiResult<CustomerRow> {
    let now = now_ms();
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let cur = lock_current!(db, tx, id, tenant, check);
        let before = cur.clone();
        let email = patch_opt(cur.email, u.email);
        let name = patch_opt(cur.name, u.name);
        let country = patch_opt(cur.country, u.country);
        let currency = patch_opt(cur.currency, u.currency);
        let org = patch_opt(cur.external_organization_id, u.external_organization_id);
        let status = match &u.status {
            Patch::Set(s) => s.as_str().to_owned(),
            _ => cur.status,
        };
        let metadata = match &u.metadata {
            Patch::Keep => cur.metadata,
            Patch::Clear => "{}".to_owned(),
            Patch::Set(m) => metadata_text(m),
        };
        let search = search_text(name.as_deref(), email.as_deref(), cur.external_id.as_deref());
        sqlx::query(
            "UPDATE customers SET email = $3, email_lc = $4, name = $5, country = $6, currency = $7, metadata = $8, \
             status = $9, external_organization_id = $10, search_lc = $11, version = version + 1, updated_at = $12 \
             WHERE id = $1 AND tenant_id = $2",
        )
        .bind(id)
        .bind(tenant)
        .bind(&email)
        .bind(email.as_deref().map(str::to_lowercase))
        .bind(&name)
        .bind(&country)
        .bind(&currency)
        .bind(&metadata)
        .bind(&status)
        .bind(&org)
        .bind(&search)
        .bind(now.max(cur.updated_at + 1))
        .execute(&mut *tx)
        .await
        .map_err(conflict)?;
        let row = sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(id).bind(tenant).fetch_one(&mut *tx).await?;
        let after = Current {
            external_id: cur.external_id,
            external_organization_id: org,
            email,
            name,
            country,
            currency,
            status,
            metadata,
            version: row.version,
            updated_at: row.updated_at,
        };
        let changed = changed_fields(&before, &after);
        // A PATCH that changes nothing still moves the version (its ETag), but tells no one.
        if !changed.is_empty() {
            let customer = row.clone().into_customer().0;
            record_event!(tx, NewEvent::customer(tenant, CUSTOMER_UPDATED, &customer, row.version, Some(&changed), now));
        }
        tx.commit().await?;
        Ok(row)
    })
}

/// Gives an unresolved customer its externalId: 409 `already_bound` first,
/// then `external_id_taken`.
pub async fn bind(
    db: &Db,
    tenant: &str,
    id: &str,
    external_id: &str,
    check: impl FnOnce(i64) -> ApiResult<()>,
) -> ApiResult<CustomerRow> {
    let now = now_ms();
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let cur = lock_current!(db, tx, id, tenant, check);
        if let Some(existing) = &cur.external_id {
            return Err(ApiError::conflict(
                "already_bound",
                format!("Customer {id} is already bound to externalId {existing:?}; binding is one-way"),
            ));
        }
        let search = search_text(cur.name.as_deref(), cur.email.as_deref(), Some(external_id));
        sqlx::query(
            "UPDATE customers SET external_id = $3, search_lc = $4, version = version + 1, updated_at = $5 \
             WHERE id = $1 AND tenant_id = $2",
        )
        .bind(id)
        .bind(tenant)
        .bind(external_id)
        .bind(&search)
        .bind(now.max(cur.updated_at + 1))
        .execute(&mut *tx)
        .await
        .map_err(conflict)?;
        let row = sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(id).bind(tenant).fetch_one(&mut *tx).await?;
        let customer = row.clone().into_customer().0;
        record_event!(tx, NewEvent::customer(tenant, CUSTOMER_BOUND, &customer, row.version, None, now));
        tx.commit().await?;
        Ok(row)
    })
}

/// Soft-deletes the customer, cancels its active and trialing subscriptions
/// and voids its draft and open invoices, in one transaction.
pub async fn delete(db: &Db, tenant: &str, id: &str, check: impl FnOnce(i64) -> ApiResult<()>) -> ApiResult<()> {
    let now = now_ms();
    let select = format!(
        "SELECT version FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL{}",
        db.for_update()
    );
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let version = sqlx::query_scalar::<_, i64>(&select)
            .bind(id)
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::customer_not_found(id))?;
        check(version)?;
        // The event carries the customer as it was, totals included.
        let was = sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(id).bind(tenant).fetch_one(&mut *tx).await?;
        sqlx::query(
            "UPDATE customers SET deleted_at = $3, updated_at = $3, version = version + 1 WHERE id = $1 AND tenant_id = $2",
        )
        .bind(id)
        .bind(tenant)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE subscriptions SET status = 'canceled', canceled_at = $2 \
             WHERE customer_id = $1 AND status IN ('active', 'trialing')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE invoices SET status = 'void', voided_at = $2 WHERE customer_id = $1 AND status IN ('draft', 'open')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let customer = was.into_customer().0;
        record_event!(tx, NewEvent::customer(tenant, CUSTOMER_DELETED, &customer, version + 1, None, now));
        tx.commit().await?;
        Ok(())
    })
}
