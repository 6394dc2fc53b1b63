//! A whole tenant's data at once: a test server's reset.

use crate::db::{Db, begin_write, with_db};
use crate::store::keys::hash_key;

/// Deletes everything the tenant has, every key but `keep_key` included, and
/// leaves the tenant with that key as if it were new.
pub async fn empty(db: &Db, tenant: &str, keep_key: &str) -> Result<(), sqlx::Error> {
    let endpoints = "SELECT id FROM webhook_endpoints WHERE tenant_id = $1";
    let statements = [
        format!("DELETE FROM webhook_attempts WHERE endpoint_id IN ({endpoints})"),
        format!("DELETE FROM webhook_messages WHERE endpoint_id IN ({endpoints})"),
        "DELETE FROM events WHERE tenant_id = $1".to_owned(),
        "DELETE FROM webhook_endpoints WHERE tenant_id = $1".to_owned(),
        "DELETE FROM invoices WHERE tenant_id = $1".to_owned(),
        "DELETE FROM subscriptions WHERE tenant_id = $1".to_owned(),
        "DELETE FROM customers WHERE tenant_id = $1".to_owned(),
        "DELETE FROM idempotency_keys WHERE tenant_id = $1".to_owned(),
        "DELETE FROM rate_limits WHERE tenant_id = $1".to_owned(),
    ];
    let keep = hash_key(keep_key);
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        for sql in &statements {
            sqlx::query(sql).bind(tenant).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM api_keys WHERE tenant_id = $1 AND key_hash <> $2").bind(tenant).bind(&keep).execute(&mut *tx).await?;
        tx.commit().await
    })?;
    db.key_cache().forget(|k| k.tenant_id == tenant);
    Ok(())
}
