//! Tenants and their API keys. A key is shown once, when it is made; the
//! database keeps only its SHA-256.

use sha2::{Digest, Sha256};

use crate::clock::now_ms;
use crate::db::{Db, with_db};
use crate::ids;

/// The tenant's id, creating the tenant when it does not exist.
pub async fn ensure_tenant(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let id = ids::new_id("ten_");
    let now = now_ms();
    with_db!(db, write, |p| {
        sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(&id)
            .bind(name)
            .bind(now)
            .execute(p)
            .await?;
        sqlx::query_scalar::<_, String>("SELECT id FROM tenants WHERE name = $1").bind(name).fetch_one(p).await
    })
}

/// Makes a new key for the tenant and returns it.
pub async fn create_key(db: &Db, tenant_id: &str, live: bool) -> Result<String, sqlx::Error> {
    let key = ids::new_key(live);
    let hash = hash_key(&key);
    let prefix = key[..12].to_owned();
    let now = now_ms();
    with_db!(db, write, |p| {
        sqlx::query("INSERT INTO api_keys (key_hash, tenant_id, prefix, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&hash)
            .bind(tenant_id)
            .bind(&prefix)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
    })?;
    Ok(key)
}

/// Creates (or reuses) the tenant `name` and makes it a key: `(tenant id, key)`.
pub async fn create_tenant_with_key(db: &Db, name: &str, live: bool) -> Result<(String, String), sqlx::Error> {
    let tenant = ensure_tenant(db, name).await?;
    let key = create_key(db, &tenant, live).await?;
    Ok((tenant, key))
}

/// The tenant a key belongs to, if the key is known and not revoked.
///
/// The lookup is by the key's SHA-256 (the primary key of `api_keys`), never
/// by the key itself: how long the index search takes depends on the hash of
/// what was sent, which says nothing useful about any stored key, so timing
/// cannot be used to guess a key character by character.
pub async fn tenant_of(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    let hash = hash_key(key);
    with_db!(db, read, |p| {
        sqlx::query_scalar::<_, String>("SELECT tenant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL")
            .bind(&hash)
            .fetch_optional(p)
            .await
    })
}

fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
