//! Per-tenant rate limit: fixed one-minute windows.
//!
//! On SQLite, which one process serves, the counters are kept in memory. On
//! PostgreSQL replicas share them through the database, but not with a write
//! per request (that commit was most of a GET's cost): each replica counts in
//! memory and adds its count to the database's (one UPSERT ... RETURNING, which
//! also tells it the other replicas' requests) every [`FLUSH_EVERY`], and at
//! once whenever its unflushed requests reach a tenth of the allowance left.
//! Far from the limit that is rare; near it, every request is flushed, so the
//! replicas agree when it matters. What a burst can pass over the limit is
//! bounded by what the replicas admit between flushes: at most a tenth of the
//! allowance left at each one's last flush (tested with two replicas).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::Tenant;
use crate::clock::now_ms;
use crate::db::{Db, with_db};
use crate::error::ApiError;

const WINDOW_MS: i64 = 60_000;
/// Windows older than this are over; the purge drops them.
const KEEP_MS: i64 = 10 * WINDOW_MS;

/// Per tenant: the start of its current window and the requests counted in it.
type Windows = HashMap<Arc<str>, (i64, u64)>;

/// How often a replica adds its requests to the shared counters.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// One tenant's window as a replica on PostgreSQL sees it.
#[derive(Default)]
struct Shared {
    window: i64,
    /// The database's count at this replica's last flush (every replica's).
    known: u64,
    /// Requests being added to the database right now.
    flushing: u64,
    /// Requests counted here and not yet sent.
    unflushed: u64,
}

impl Shared {
    fn estimate(&self) -> u64 {
        self.known + self.flushing + self.unflushed
    }
}

pub struct RateLimiter {
    /// Requests per minute per tenant; 0 disables the limit.
    pub limit: u64,
    counter: Counter,
}

enum Counter {
    Memory(Mutex<Windows>),
    Database(Db, Mutex<HashMap<Arc<str>, Shared>>),
}

pub struct Verdict {
    pub limit: u64,
    pub remaining: u64,
    pub reset_secs: u64,
    pub allowed: bool,
}

impl RateLimiter {
    pub fn new(limit: u64, db: &Db) -> Self {
        let counter =
            if db.is_postgres() { Counter::Database(db.clone(), Mutex::default()) } else { Counter::Memory(Mutex::default()) };
        RateLimiter { limit, counter }
    }

    pub async fn check(&self, tenant: &Arc<str>) -> Result<Verdict, sqlx::Error> {
        let now = now_ms();
        let window = now - now.rem_euclid(WINDOW_MS);
        let count = match &self.counter {
            Counter::Memory(m) => {
                let mut m = m.lock().unwrap_or_else(PoisonError::into_inner);
                let e = m.entry(tenant.clone()).or_insert((window, 0));
                if e.0 != window {
                    *e = (window, 0);
                }
                e.1 += 1;
                e.1
            }
            Counter::Database(db, shared) => {
                let flush = {
                    let mut m = shared.lock().unwrap_or_else(PoisonError::into_inner);
                    let e = m.entry(tenant.clone()).or_default();
                    if e.window != window {
                        *e = Shared { window, ..Shared::default() };
                    }
                    e.unflushed += 1;
                    // Over already by this replica's count alone: refused without
                    // a write, so a tenant past its limit costs the database nothing.
                    let left = self.limit.saturating_sub(e.known + e.flushing);
                    (e.estimate() <= self.limit && e.unflushed >= (left / 10).max(1)).then(|| take(e))
                };
                match flush {
                    Some(n) => self.flush(db, shared, tenant, window, n).await?,
                    None => {
                        let m = shared.lock().unwrap_or_else(PoisonError::into_inner);
                        m.get(tenant).map_or(1, Shared::estimate)
                    }
                }
            }
        };
        let reset_ms = window + WINDOW_MS - now;
        Ok(Verdict {
            limit: self.limit,
            remaining: self.limit.saturating_sub(count),
            reset_secs: u64::try_from(((reset_ms + 999) / 1000).max(1)).unwrap_or(1),
            allowed: count <= self.limit,
        })
    }
}

/// Moves a window's unflushed requests to `flushing`, and returns them.
fn take(e: &mut Shared) -> u64 {
    let n = e.unflushed;
    e.flushing += n;
    e.unflushed = 0;
    n
}

impl RateLimiter {
    /// Adds `n` of this replica's requests to the tenant's shared counter and
    /// returns this replica's estimate of the window's requests after it.
    async fn flush(
        &self,
        db: &Db,
        shared: &Mutex<HashMap<Arc<str>, Shared>>,
        tenant: &Arc<str>,
        window: i64,
        n: u64,
    ) -> Result<u64, sqlx::Error> {
        let sent = with_db!(db, write, |p| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO rate_limits (tenant_id, window_start, count) VALUES ($1, $2, $3) \
                 ON CONFLICT (tenant_id, window_start) DO UPDATE SET count = rate_limits.count + EXCLUDED.count \
                 RETURNING count",
            )
            .bind(&**tenant)
            .bind(window)
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .fetch_one(p)
            .await
        });
        let mut m = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(e) = m.get_mut(tenant).filter(|e| e.window == window) else {
            // The window ended meanwhile; its count no longer matters.
            return Ok(n);
        };
        e.flushing -= n;
        match sent {
            // A count is never negative; read one as no requests.
            Ok(count) => e.known = e.known.max(u64::try_from(count).unwrap_or(0)),
            // Kept for the next flush, so no request goes uncounted.
            Err(err) => {
                e.unflushed += n;
                return Err(err);
            }
        }
        Ok(e.estimate())
    }

    /// Sends every tenant's unflushed requests, and forgets windows that are over.
    pub async fn flush_all(&self) {
        let Counter::Database(db, shared) = &self.counter else { return };
        let now = now_ms();
        let window = now - now.rem_euclid(WINDOW_MS);
        let due: Vec<(Arc<str>, u64)> = {
            let mut m = shared.lock().unwrap_or_else(PoisonError::into_inner);
            m.retain(|_, e| e.window == window);
            m.iter_mut().filter(|(_, e)| e.unflushed > 0).map(|(t, e)| (t.clone(), take(e))).collect()
        };
        for (tenant, n) in due {
            if let Err(e) = self.flush(db, shared, &tenant, window, n).await {
                tracing::warn!(error = %e, "adding to the shared rate-limit counter failed");
            }
        }
    }

    /// Flushes every [`FLUSH_EVERY`], for as long as the server runs.
    pub async fn flush_every_interval(self: Arc<Self>) {
        if !matches!(self.counter, Counter::Database(..)) || self.limit == 0 {
            return;
        }
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.flush_all().await;
        }
    }
}

fn put_headers(h: &mut HeaderMap, v: &Verdict) {
    h.insert("x-ratelimit-limit", HeaderValue::from(v.limit));
    h.insert("x-ratelimit-remaining", HeaderValue::from(v.remaining));
    h.insert("x-ratelimit-reset", HeaderValue::from(v.reset_secs));
}

/// Deletes the database's counters of windows long over.
pub async fn purge(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(now - KEEP_MS).execute(p).await.map(|_| ())
    })
}

pub async fn rate_limit(State(limiter): State<Arc<RateLimiter>>, req: Request, next: Next) -> Response {
    if limiter.limit == 0 {
        return next.run(req).await;
    }
    let Some(tenant) = req.extensions().get::<Tenant>().map(|t| t.0.clone()) else {
        return next.run(req).await;
    };
    let verdict = match limiter.check(&tenant).await {
        Ok(v) => v,
        Err(e) => {
            // Fail open: a counter that cannot be written must not take the API down.
            tracing::warn!(error = %e, "rate limit counter unavailable");
            return next.run(req).await;
        }
    };
    let mut resp = if verdict.allowed {
        next.run(req).await
    } else {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Rate limit of {} requests per minute exceeded; retry in {} s", verdict.limit, verdict.reset_secs),
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from(verdict.reset_secs))
        .into_response()
    };
    put_headers(resp.headers_mut(), &verdict);
    resp
}
