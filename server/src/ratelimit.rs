//! Per-tenant rate limit: fixed one-minute windows.
//!
//! On SQLite, which one process serves, the counters are kept in memory. On
//! PostgreSQL replicas share them through the database without a write per
//! request ([`SharedCounter`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::Tenant;
use crate::clock::now_ms;
use crate::db::{Db, with_db};
use crate::error::ApiError;
use crate::ratelimit_shared::{FLUSH_EVERY, SharedCounter};

const WINDOW_MS: i64 = 60_000;
/// Windows older than this are over; the purge drops them.
const KEEP_MS: i64 = 10 * WINDOW_MS;

/// Per tenant: the start of its current window and the requests counted in it.
type Windows = HashMap<Arc<str>, (i64, u64)>;

pub struct RateLimiter {
    /// Requests per minute per tenant; 0 disables the limit.
    pub limit: u64,
    counter: Counter,
}

enum Counter {
    Memory(Mutex<Windows>),
    Database(Db, SharedCounter),
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
            if db.is_postgres() { Counter::Database(db.clone(), SharedCounter::default()) } else { Counter::Memory(Mutex::default()) };
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
            Counter::Database(db, shared) => shared.count(db, tenant, window, self.limit).await?,
        };
        let reset_ms = window + WINDOW_MS - now;
        Ok(Verdict {
            limit: self.limit,
            remaining: self.limit.saturating_sub(count),
            reset_secs: u64::try_from(((reset_ms + 999) / 1000).max(1)).unwrap_or(1),
            allowed: count <= self.limit,
        })
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
            if let Counter::Database(db, shared) = &self.counter {
                let now = now_ms();
                shared.send_all(db, now - now.rem_euclid(WINDOW_MS)).await;
            }
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
