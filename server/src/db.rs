//! Storage: SQLite (default, one file) or PostgreSQL, behind one small enum.
//!
//! The SQL is written once, in the dialect both accept (`$1` parameters,
//! `ON CONFLICT`, partial indexes, `NULLS LAST`); [`with_db!`] runs the same
//! code against whichever pool is configured. On SQLite, writes go through a
//! single connection (SQLite has one writer anyway; queueing in process avoids
//! busy-waiting on the file lock) and reads through a small pool.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::store::key_cache::KeyCache;
use crate::store::trigrams::TrigramCounts;

/// The pools, and the keys lately read through them (shared by every clone);
/// on SQLite also how common each trigram searched lately is.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool, keys: Arc<KeyCache>, trigrams: Arc<TrigramCounts> },
    Postgres { pool: PgPool, keys: Arc<KeyCache> },
}

/// Runs `$body` with `$p` bound to the pool for reads or writes.
macro_rules! with_db {
    ($db:expr, read, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read, .. } => {
                let $p = read;
                $body
            }
            $crate::db::Db::Postgres { pool: pg, .. } => {
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
            $crate::db::Db::Postgres { pool: pg, .. } => {
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

/// Begins write transactions. `BEGIN` runs on its own task, because sqlx 0.8
/// is not cancel-safe there on either database: a request dropped while its
/// transaction began (a client that hangs up) returned the connection to the
/// pool inside an open transaction (on PostgreSQL, launchbadge/sqlx#4393: a
/// benchmark seed that took 743 s instead of 2 s; on SQLite, the one writer
/// stuck in `BEGIN IMMEDIATE`, every later write refused and other processes
/// locked out). On its own task the begin completes, and a transaction nobody
/// takes is dropped, which rolls back.
pub trait Begin {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

async fn detached<D: sqlx::Database>(
    begin: impl std::future::Future<Output = Result<sqlx::Transaction<'static, D>, sqlx::Error>> + Send + 'static,
) -> Result<sqlx::Transaction<'static, D>, sqlx::Error> {
    tokio::spawn(begin).await.map_err(|e| sqlx::Error::Io(std::io::Error::other(format!("BEGIN's task ended: {e}"))))?
}

impl Begin for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        let pool = self.clone();
        detached(async move { pool.begin_with("BEGIN IMMEDIATE").await }).await
    }
}

impl Begin for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        let pool = self.clone();
        detached(async move { pool.begin().await }).await
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

/// What connecting does with the schema.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Migrations {
    /// Apply what is pending. On PostgreSQL sqlx holds an advisory lock while
    /// it does, so replicas starting together take turns.
    #[default]
    Apply,
    /// Apply nothing, and fail unless the schema is current: for replicas
    /// started after one `novabilling-server migrate`.
    Require,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Ok when `applied` (the newest migration applied; None before any) is the newest
/// this server has, else an error that names the command to run.
fn require_current(migrator: &sqlx::migrate::Migrator, applied: Option<i64>) -> Result<(), sqlx::Error> {
    let needed = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    if applied.unwrap_or(0) >= needed {
        return Ok(());
    }
    let at = applied.map_or_else(|| "no schema".to_owned(), |v| format!("schema version {v}"));
    Err(sqlx::Error::Configuration(
        format!("the database has {at} and this server needs version {needed}: run `novabilling-server migrate` first").into(),
    ))
}

const NEWEST_APPLIED: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";

impl Db {
    /// Connects and applies the migrations (once, at start).
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Self::connect_with(url, Migrations::Apply).await
    }

    /// Connects, applying the migrations or requiring that they were.
    pub async fn connect_with(url: &str, migrations: Migrations) -> Result<Db, sqlx::Error> {
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
            match migrations {
                Migrations::Apply => POSTGRES_MIGRATIONS.run(&pool).await?,
                Migrations::Require => {
                    let applied = sqlx::query_scalar(NEWEST_APPLIED).fetch_one(&pool).await.unwrap_or(None);
                    require_current(&POSTGRES_MIGRATIONS, applied)?;
                }
            }
            Ok(Db::Postgres { pool, keys: Arc::default() })
        } else {
            let opts = SqliteConnectOptions::from_str(&url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-65536")
                // Reads map the file (up to SQLite's own ceiling, 2 GiB): every
                // connection then shares the OS's cached pages instead of
                // copying each into its own cache. A search at a million
                // customers (2 GB) reads 2,000 scattered rows: 15.5 ms with
                // 256 MiB mapped, 11.7 ms with the whole file.
                .pragma("mmap_size", "2147418112");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts.clone())
                .await?;
            match migrations {
                Migrations::Apply => SQLITE_MIGRATIONS.run(&write).await?,
                Migrations::Require => {
                    let applied = sqlx::query_scalar(NEWEST_APPLIED).fetch_one(&write).await.unwrap_or(None);
                    require_current(&SQLITE_MIGRATIONS, applied)?;
                }
            }
            let readers = std::env::var("NOVABILLING_SQLITE_READERS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
            let read = SqlitePoolOptions::new()
                .max_connections(readers)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite { read, write, keys: Arc::default(), trigrams: Arc::default() })
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres { .. })
    }

    /// The keys lately read (`store::keys` keeps it current).
    pub fn key_cache(&self) -> &KeyCache {
        match self {
            Db::Sqlite { keys, .. } | Db::Postgres { keys, .. } => keys,
        }
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
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres { pool, .. } => pool.close().await,
        }
    }
}

/// Which unique index a failed insert or update hit, if that is what happened.
pub fn unique_violation(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Some(d.constraint().map_or_else(|| d.message().to_owned(), str::to_owned))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::time::Duration;

    use super::{Begin, Db};

    /// A write transaction whose caller goes away while it begins (a client
    /// that hangs up) must not leave the one writer inside an open
    /// transaction: later writes would fail and other processes would find
    /// the database locked (the benchmark smoke's `keys create` once waited
    /// 10 s for it and failed).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_begin_dropped_midway_leaves_no_open_transaction() {
        let dir = std::env::temp_dir().join(format!("nb-begin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(dir.join("t.db").to_str().unwrap()).await.unwrap();
        let Db::Sqlite { write, .. } = &db else { unreachable!("an SQLite URL") };
        for i in 0..3000u32 {
            // Dropped after a few polls, a little later each time: at every
            // point of the handshake with SQLite's worker thread.
            let mut begin = std::pin::pin!(write.begin_write());
            for _ in 0..i % 6 {
                let polled = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
                if polled.is_ready() {
                    break;
                }
                (0..i * 7 % 5000).for_each(|_| std::hint::spin_loop());
                tokio::task::yield_now().await;
            }
        }
        let tx = tokio::time::timeout(Duration::from_secs(5), write.begin_write()).await;
        let tx = tx.expect("the writer is free").expect("BEGIN IMMEDIATE on a connection outside any transaction");
        tx.rollback().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
