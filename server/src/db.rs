//! Storage: SQLite (default, one file) or PostgreSQL, behind one small enum.
//!
//! The SQL is written once, in the dialect both accept (`$1` parameters,
//! `ON CONFLICT`, partial indexes, `NULLS LAST`); [`with_db!`] runs the same
//! code against whichever pool is configured. On SQLite, writes go through a
//! single connection (SQLite has one writer anyway; queueing in process avoids
//! busy-waiting on the file lock) and reads through a small pool.

use std::str::FromStr;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::BoxError;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the pool for reads or writes.
macro_rules! with_db {
    ($db:expr, read, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read, .. } => {
                let $p = read;
                $body
            }
            $crate::db::Db::Postgres(pg) => {
                let $p = pg;
                $body
            }
        }
    };
    ($db:expr, write, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { write, .. } => {
                let $p = write;
                $body
            }
            $crate::db::Db::Postgres(pg) => {
                let $p = pg;
                $body
            }
        }
    };
}
pub(crate) use with_db;

/// Starts a write transaction: `BEGIN IMMEDIATE` on SQLite, so a transaction
/// that reads before it writes never fails to upgrade its lock.
macro_rules! begin_write {
    ($p:expr) => {
        $crate::db::Begin::begin_write($p).await
    };
}
pub(crate) use begin_write;

pub trait Begin {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl Begin for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl Begin for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// `sqlite://file.db`, `postgres://...`, or a bare path (read as an SQLite file).
pub fn normalize_url(url: &str) -> String {
    let u = url.trim();
    if u.starts_with("postgres://") || u.starts_with("postgresql://") || u.starts_with("sqlite:") {
        u.to_owned()
    } else {
        format!("sqlite://{u}")
    }
}

impl Db {
    /// Connects and applies the migrations (once, at start).
    pub async fn connect(url: &str) -> Result<Db, BoxError> {
        let url = normalize_url(url);
        if url.starts_with("postgres") {
            let opts = PgConnectOptions::from_str(&url)?;
            let max = std::env::var("NOVABILLING_PG_POOL").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
            let pool = PgPoolOptions::new()
                .max_connections(max)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Ok(Db::Postgres(pool))
        } else {
            let opts = SqliteConnectOptions::from_str(&url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "268435456");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone())
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&write).await?;
            let readers = std::env::var("NOVABILLING_SQLITE_READERS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
            let read = SqlitePoolOptions::new()
                .max_connections(readers)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite { read, write })
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// ` FOR UPDATE` on PostgreSQL; SQLite's write transactions already hold the lock.
    pub fn for_update(&self) -> &'static str {
        if self.is_postgres() { " FOR UPDATE" } else { "" }
    }

    /// ` FOR SHARE` on PostgreSQL (a row that a concurrent delete must wait for).
    pub fn for_share(&self) -> &'static str {
        if self.is_postgres() { " FOR SHARE" } else { "" }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    // ---- tenants and keys -------------------------------------------------

    /// The tenant's id, creating the tenant when it does not exist.
    pub async fn ensure_tenant(&self, name: &str) -> Result<String, sqlx::Error> {
        let id = crate::ids::new_id("ten_");
        let now = crate::now_ms();
        with_db!(self, write, |p| {
            sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
                .bind(&id)
                .bind(name)
                .bind(now)
                .execute(p)
                .await?;
            sqlx::query_scalar::<_, String>("SELECT id FROM tenants WHERE name = $1").bind(name).fetch_one(p).await
        })
    }

    pub async fn find_tenant(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        with_db!(self, write, |p| {
            sqlx::query_scalar::<_, String>("SELECT id FROM tenants WHERE name = $1").bind(name).fetch_optional(p).await
        })
    }

    pub async fn tenant_count(&self) -> Result<i64, sqlx::Error> {
        with_db!(self, write, |p| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tenants").fetch_one(p).await
        })
    }

    /// Makes a new key for the tenant and returns it; only its hash is stored.
    pub async fn create_key(&self, tenant_id: &str, live: bool) -> Result<String, sqlx::Error> {
        let key = crate::ids::new_key(live);
        let hash = hash_key(&key);
        let prefix = key[..12].to_owned();
        let now = crate::now_ms();
        with_db!(self, write, |p| {
            sqlx::query("INSERT INTO api_keys (key_hash, tenant_id, prefix, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&hash)
                .bind(tenant_id)
                .bind(&prefix)
                .bind(now)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(key)
    }

    /// Creates (or reuses) the tenant `name` and makes it a key.
    pub async fn create_tenant_with_key(&self, name: &str, live: bool) -> Result<(String, String), sqlx::Error> {
        let tenant = self.ensure_tenant(name).await?;
        let key = self.create_key(&tenant, live).await?;
        Ok((tenant, key))
    }

    /// The tenant a key belongs to. The lookup is by the key's hash (an index),
    /// and the stored hash is then compared in constant time.
    pub async fn key_tenant(&self, key: &str) -> Result<Option<String>, sqlx::Error> {
        let hash = hash_key(key);
        let row = with_db!(self, read, |p| {
            sqlx::query_as::<_, (String, String)>(
                "SELECT tenant_id, key_hash FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(p)
            .await
        })?;
        Ok(row.and_then(|(tenant, stored)| {
            use subtle::ConstantTimeEq;
            bool::from(stored.as_bytes().ct_eq(hash.as_bytes())).then_some(tenant)
        }))
    }

    /// Deletes expired idempotency records and old rate-limit windows.
    pub async fn purge(&self, now: i64) -> Result<(), sqlx::Error> {
        let idem_cutoff = now - crate::idempotency::TTL_MS;
        let rl_cutoff = now - 10 * 60_000;
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(idem_cutoff).execute(p).await?;
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(rl_cutoff).execute(p).await?;
            Ok(())
        })
    }
}

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Which unique index a failed insert or update hit, if that is what happened.
pub fn unique_violation(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Some(d.constraint().map(str::to_owned).unwrap_or_else(|| d.message().to_owned()))
        }
        _ => None,
    }
}
