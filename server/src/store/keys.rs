//! Tenants and their API keys: secret, restricted (with scopes) and
//! ephemeral (one customer, a short while). A key is shown once, when it is
//! made; the database keeps only its SHA-256, its first characters and its
//! last four (which are checksum, so they tell nothing of the rest).

use novabilling::keys::{self as key_format, KeyKind, Scope};
use novabilling::model::{EphemeralKey, Key, ResponseMeta};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::clock::{ms_to_time, now_ms};
use crate::db::{Db, with_db};
use crate::ids;
pub use crate::store::key_row::KeyRow;
use crate::store::key_row::COLUMNS;

/// Expired ephemeral keys are kept this long (so a late request still hears
/// `expired_api_key`, not `unauthorized`), then deleted.
const EXPIRED_EPHEMERAL_KEPT_MS: i64 = 24 * 60 * 60 * 1000;

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

/// The text of a new key of `kind`.
pub fn new_key_text(kind: KeyKind, live: bool) -> String {
    let mut bytes = [0u8; key_format::RANDOM_LEN];
    rand::rng().fill(&mut bytes);
    key_format::compose(kind, live, &key_format::random_part(&bytes))
}

/// A key about to be stored.
struct NewKey<'a> {
    tenant: &'a str,
    kind: KeyKind,
    live: bool,
    name: Option<&'a str>,
    scopes: Option<String>,
    customer_id: Option<&'a str>,
    /// When it is made: the same instant its expiry is counted from.
    now: i64,
    expires_at: Option<i64>,
}

/// Stores a new key and returns `(id, text, created_at)`.
async fn insert(db: &Db, k: NewKey<'_>) -> Result<(String, String, i64), sqlx::Error> {
    let text = new_key_text(k.kind, k.live);
    let id = ids::new_id(if k.kind == KeyKind::Ephemeral { "ephkey_" } else { "key_" });
    let now = k.now;
    with_db!(db, write, |p| {
        sqlx::query(
            "INSERT INTO api_keys (key_hash, tenant_id, prefix, created_at, id, kind, livemode, name, scopes, customer_id, \
             last4, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(hash_key(&text))
        .bind(k.tenant)
        .bind(&text[..8])
        .bind(now)
        .bind(&id)
        .bind(k.kind.as_str())
        .bind(k.live)
        .bind(k.name)
        .bind(&k.scopes)
        .bind(k.customer_id)
        .bind(&text[text.len() - 4..])
        .bind(k.expires_at)
        .execute(p)
        .await
        .map(|_| ())
    })?;
    Ok((id, text, now))
}

/// Makes a new secret key for the tenant and returns it.
pub async fn create_key(db: &Db, tenant_id: &str, live: bool) -> Result<String, sqlx::Error> {
    let new = NewKey {
        tenant: tenant_id,
        kind: KeyKind::Secret,
        live,
        name: None,
        scopes: None,
        customer_id: None,
        now: now_ms(),
        expires_at: None,
    };
    Ok(insert(db, new).await?.1)
}

/// Creates (or reuses) the tenant `name` and makes it a key: `(tenant id, key)`.
pub async fn create_tenant_with_key(db: &Db, name: &str, live: bool) -> Result<(String, String), sqlx::Error> {
    let tenant = ensure_tenant(db, name).await?;
    let key = create_key(db, &tenant, live).await?;
    Ok((tenant, key))
}

/// What a restricted key is made with (checked by `novabilling::validate::key_create`).
pub struct Restricted<'a> {
    pub live: bool,
    pub name: Option<&'a str>,
    pub scopes: &'a [Scope],
    pub now: i64,
    pub expires_at: Option<i64>,
}

/// Makes a restricted key; the answer carries its secret.
pub async fn create_restricted(db: &Db, tenant: &str, r: Restricted<'_>) -> Result<Key, sqlx::Error> {
    let scopes = r.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    let new = NewKey {
        tenant,
        kind: KeyKind::Restricted,
        live: r.live,
        name: r.name,
        scopes: Some(scopes),
        customer_id: None,
        now: r.now,
        expires_at: r.expires_at,
    };
    let (id, text, _) = insert(db, new).await?;
    // Read from the writer: SQLite's readers may not see the new row yet.
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1");
    let row = with_db!(db, write, |p| sqlx::query_as::<_, KeyRow>(&sql).bind(&id).fetch_one(p).await)?;
    let mut key = row.into_key();
    key.secret = Some(text);
    Ok(key)
}

/// Makes an ephemeral key for `customer_id`; the answer carries its secret.
pub async fn create_ephemeral(
    db: &Db,
    tenant: &str,
    live: bool,
    customer_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<EphemeralKey, sqlx::Error> {
    let new = NewKey {
        tenant,
        kind: KeyKind::Ephemeral,
        live,
        name: None,
        scopes: None,
        customer_id: Some(customer_id),
        now,
        expires_at: Some(expires_at),
    };
    let (id, text, now) = insert(db, new).await?;
    Ok(EphemeralKey {
        id,
        customer_id: customer_id.to_owned(),
        livemode: live,
        secret: Some(text),
        created_at: ms_to_time(now),
        expires_at: ms_to_time(expires_at),
        revoked_at: None,
        response: ResponseMeta::default(),
    })
}

/// The key whose text is `key`, revoked and expired ones included (their
/// answers say so).
///
/// The lookup is by the key's SHA-256 (the primary key of `api_keys`), never
/// by the key itself: how long the index search takes depends on the hash of
/// what was sent, which says nothing useful about any stored key, so timing
/// cannot be used to guess a key character by character.
///
/// A key read within `key_cache::FRESH_FOR` comes from `Db`'s key cache.
pub async fn find(db: &Db, key: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let hash = hash_key(key);
    let cache = db.key_cache();
    if let Some(row) = cache.get(&hash) {
        return Ok(Some(row));
    }
    let generation = cache.generation();
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE key_hash = $1");
    let row = with_db!(db, read, |p| sqlx::query_as::<_, KeyRow>(&sql).bind(&hash).fetch_optional(p).await)?;
    if let Some(row) = &row {
        cache.put(generation, hash, row.clone());
    }
    Ok(row)
}

/// The tenant a key belongs to, if the key works now.
pub async fn tenant_of(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    let now = now_ms();
    Ok(find(db, key).await?.filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|e| e > now)).map(|k| k.tenant_id))
}

/// One key of the tenant by id.
pub async fn get(db: &Db, tenant: &str, id: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1 AND tenant_id = $2");
    with_db!(db, read, |p| sqlx::query_as::<_, KeyRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await)
}

/// The tenant's secret and restricted keys that are not revoked, newest first.
pub async fn list(db: &Db, tenant: &str) -> Result<Vec<Key>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_keys WHERE tenant_id = $1 AND kind <> 'ephemeral' AND revoked_at IS NULL \
         ORDER BY created_at DESC, id DESC"
    );
    let rows = with_db!(db, read, |p| sqlx::query_as::<_, KeyRow>(&sql).bind(tenant).fetch_all(p).await)?;
    Ok(rows.into_iter().map(KeyRow::into_key).collect())
}

/// Revokes the key (once: a second revoke keeps the first time) and returns it.
pub async fn revoke(db: &Db, tenant: &str, id: &str) -> Result<Option<KeyRow>, sqlx::Error> {
    let now = now_ms();
    with_db!(db, write, |p| {
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND tenant_id = $3 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .bind(tenant)
            .execute(p)
            .await
            .map(|_| ())
    })?;
    db.key_cache().forget(|k| k.id == id && k.tenant_id == tenant);
    // Read from the writer: SQLite's readers may not see the revocation yet.
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE id = $1 AND tenant_id = $2");
    with_db!(db, write, |p| sqlx::query_as::<_, KeyRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await)
}

/// Records that the key was used now.
pub async fn touch(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(p).await.map(|_| ())
    })?;
    db.key_cache().touched(id, now);
    Ok(())
}

/// Deletes ephemeral keys that expired over a day ago: apps mint one per
/// session, and nothing lists them after.
pub async fn purge(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let before = now - EXPIRED_EPHEMERAL_KEPT_MS;
    with_db!(db, write, |p| {
        sqlx::query("DELETE FROM api_keys WHERE kind = 'ephemeral' AND expires_at < $1")
            .bind(before)
            .execute(p)
            .await
            .map(|_| ())
    })?;
    db.key_cache().forget(|k| k.kind == "ephemeral" && k.expires_at.is_some_and(|e| e < before));
    Ok(())
}

pub(crate) fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
