//! The Stripe import: Stripe's customer objects become unresolved customers
//! (no externalId yet), once each.

use novabilling::model::StripeCustomer;
use novabilling::validate;

use super::customers::{CustomerRow, customer_cols, metadata_text, search_text};
use super::events::{CUSTOMER_CREATED, NewEvent, record_event};
use crate::clock::now_ms;
use crate::db::{Db, begin_write, with_db};
use crate::error::{ApiError, ApiResult};
use crate::ids;

/// `ON CONFLICT DO NOTHING`: the unique indexes on a live customer's Stripe id
/// and email make a second import of the same object a skip, also when two
/// imports run at once.
const IMPORT: &str = "INSERT INTO customers (id, tenant_id, external_id, external_organization_id, email, email_lc, \
     name, country, currency, status, metadata, stripe_customer_id, search_lc, version, created_at, updated_at) \
     VALUES ($1, $2, NULL, NULL, $3, $4, $5, $6, $7, 'active', $8, $9, $10, 1, $11, $11) ON CONFLICT DO NOTHING";

const SELECT_NEW: &str = concat!("SELECT ", customer_cols!(), " FROM customers c WHERE c.id = $1");

/// Imports validated Stripe customers as unresolved customers: `(created, skipped)`.
/// A field that core would refuse is dropped, not the customer; one that
/// collides with a live customer (Stripe id or email) is skipped.
pub async fn import(db: &Db, tenant: &str, list: &[StripeCustomer]) -> ApiResult<(u64, u64)> {
    let now = now_ms();
    let mut created = 0u64;
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        for c in list {
            let id = ids::new_id("cust_");
            let email = c.email.as_deref().and_then(|e| validate::email("email", e).ok());
            let name = c.name.as_deref().and_then(|n| validate::name("name", n).ok());
            let country = c.address.as_ref().and_then(|a| a.country.clone());
            let metadata = c.metadata.as_ref().filter(|m| validate::metadata("metadata", m).is_ok());
            let n = sqlx::query(IMPORT)
                .bind(&id)
                .bind(tenant)
                .bind(&email)
                .bind(email.as_deref().map(str::to_lowercase))
                .bind(&name)
                .bind(&country)
                .bind(&c.currency)
                .bind(metadata.map_or_else(|| "{}".to_owned(), metadata_text))
                .bind(&c.id)
                .bind(search_text(name.as_deref(), email.as_deref(), None))
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                let row = sqlx::query_as::<_, CustomerRow>(SELECT_NEW).bind(&id).fetch_one(&mut *tx).await?;
                let customer = row.into_customer().0;
                record_event!(tx, NewEvent::customer(tenant, CUSTOMER_CREATED, &customer, 1, None, now));
            }
            created += n;
        }
        let skipped = list.len() as u64 - created;
        record_event!(tx, NewEvent::imported(tenant, created, skipped, now));
        tx.commit().await?;
        Ok::<_, ApiError>(())
    })?;
    Ok((created, list.len() as u64 - created))
}
