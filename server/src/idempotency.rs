//! `Idempotency-Key` on POST, PATCH and DELETE.
//!
//! The first request with a key inserts a `pending` row (the primary key on
//! (tenant, key) makes exactly one request the owner, across replicas), runs,
//! and stores its response. A later request with the same key and the same
//! method, path and body gets the stored response back, with
//! `Idempotent-Replayed: true`; with anything else, 422. A request that finds
//! the row still pending waits up to 5 s for it, then answers 409
//! `idempotency_key_in_use` (which the SDKs retry). 5xx responses are not kept,
//! so a retry can succeed. Records expire after 24 h.
//!
//! The owner's work runs on a task of its own, to the end: a client that hangs
//! up, or a request timeout, neither stops a write half-way nor leaves its key
//! pending; its retry replays the stored answer. While it runs, the owner
//! marks the row alive every 2 s; a pending row silent for 10 s belongs to a
//! server that died, and the next request with the key takes it over.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::auth::Tenant;
use crate::body::read_body;
use crate::clock::now_ms;
use crate::db::{Db, with_db};
use crate::determinism;
use crate::error::{ApiError, REQUEST};

const TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// How often the owner of a pending key says it is still running.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// A pending key not marked alive for this long (five heartbeats) belongs to a
/// request that died with its server.
const PRESUMED_DEAD_MS: i64 = 10_000;
const WAIT: Duration = Duration::from_secs(5);
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::ETAG, header::LOCATION];

#[derive(sqlx::FromRow)]
struct Record {
    method: String,
    path: String,
    body_hash: String,
    state: String,
    status: Option<i64>,
    headers: Option<String>,
    body: Option<String>,
    created_at: i64,
    alive_at: Option<i64>,
}

enum Claim {
    Owned,
    Existing(Record),
    Gone,
}

/// Deletes the records that have expired.
pub async fn purge(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(now - TTL_MS).execute(p).await.map(|_| ())
    })
}

async fn claim(db: &Db, tenant: &str, key: &str, method: &str, path: &str, hash: &str) -> Result<Claim, sqlx::Error> {
    let now = now_ms();
    let inserted = with_db!(db, write, |p| {
        sqlx::query(
            "INSERT INTO idempotency_keys (tenant_id, idem_key, method, path, body_hash, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (tenant_id, idem_key) DO NOTHING",
        )
        .bind(tenant)
        .bind(key)
        .bind(method)
        .bind(path)
        .bind(hash)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if inserted == 1 {
        return Ok(Claim::Owned);
    }
    let rec = with_db!(db, write, |p| {
        sqlx::query_as::<_, Record>(
            "SELECT method, path, body_hash, state, status, headers, body, created_at, alive_at \
             FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2",
        )
        .bind(tenant)
        .bind(key)
        .fetch_optional(p)
        .await
    })?;
    Ok(rec.map_or(Claim::Gone, Claim::Existing))
}

async fn forget(db: &Db, tenant: &str, key: &str, created_at: i64) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2 AND created_at = $3")
            .bind(tenant)
            .bind(key)
            .bind(created_at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn idempotency(State(db): State<Db>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::POST | Method::PATCH | Method::DELETE) {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get("idempotency-key") else {
        return next.run(req).await;
    };
    let Some(tenant) = req.extensions().get::<Tenant>().map(|t| t.0.clone()) else {
        return next.run(req).await;
    };
    let key = match raw.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k.to_owned(),
        _ => {
            return ApiError::bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters").into_response();
        }
    };
    let (parts, body) = req.into_parts();
    let bytes = match read_body(&parts.headers, body).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let hash = hex::encode(Sha256::digest(&bytes));
    let deadline = Instant::now() + WAIT;
    loop {
        let claimed = match claim(&db, &tenant, &key, &method, &path, &hash).await {
            Ok(c) => c,
            Err(e) => return ApiError::from(e).into_response(),
        };
        let rec = match claimed {
            Claim::Owned => return run_to_the_end(db, tenant, key, next, Request::from_parts(parts, Body::from(bytes))).await,
            Claim::Gone => continue,
            Claim::Existing(rec) => rec,
        };
        let now = now_ms();
        let silent_for = now - rec.alive_at.unwrap_or(rec.created_at);
        let stale = now - rec.created_at > TTL_MS || (rec.state == "pending" && silent_for > PRESUMED_DEAD_MS);
        if stale {
            if let Err(e) = forget(&db, &tenant, &key, rec.created_at).await {
                return ApiError::from(e).into_response();
            }
            continue;
        }
        if rec.method != method || rec.path != path || rec.body_hash != hash {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                format!(
                    "Idempotency-Key {key:?} was already used for another request ({} {}); use a new key for a new request",
                    rec.method, rec.path
                ),
            )
            .into_response();
        }
        if rec.state == "done" {
            return replay(rec);
        }
        if Instant::now() >= deadline {
            return ApiError::conflict(
                "idempotency_key_in_use",
                format!("A request with Idempotency-Key {key:?} is still in progress; retry later"),
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
            .into_response();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The owner's work, on a task of its own (with the request's context for its
/// error bodies), marked alive while it runs; its answer is stored, then given.
async fn run_to_the_end(db: Db, tenant: Arc<str>, key: String, next: Next, req: Request) -> Response {
    let ctx = REQUEST.try_with(Clone::clone).unwrap_or_default();
    let work = {
        let (db, tenant, key) = (db.clone(), tenant.clone(), key.clone());
        async move {
            // The heartbeat on a task of its own: awaited beside the handler,
            // its write waited for the one SQLite writer while the handler held
            // it in a transaction and was not polled, 30 s each beat (the
            // pool's timeout); concurrent imports stalled every write.
            let beat = Heartbeat(tokio::spawn(heartbeat(db.clone(), tenant.clone(), key.clone())));
            let resp = next.run(req).await;
            drop(beat);
            finish(&db, &tenant, &key, resp).await
        }
    };
    match tokio::spawn(determinism::carry(REQUEST.scope(ctx, work))).await {
        Ok(resp) => resp,
        Err(e) => {
            // The handler panicked: nothing was answered, so a retry may run.
            tracing::error!(error = %e, "handler panicked");
            if let Err(e) = release(&db, &tenant, &key).await {
                tracing::error!(error = %e, "could not release an idempotency key");
            }
            ApiError::internal().into_response()
        }
    }
}

/// Marks the key alive every [`HEARTBEAT`], until aborted.
async fn heartbeat(db: Db, tenant: Arc<str>, key: String) {
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    loop {
        beat.tick().await;
        if let Err(e) = mark_alive(&db, &tenant, &key).await {
            tracing::warn!(error = %e, "could not mark an idempotency key alive");
        }
    }
}

/// Ends the heartbeat when the work ends, panics included.
struct Heartbeat(tokio::task::JoinHandle<()>);

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn mark_alive(db: &Db, tenant: &str, key: &str) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("UPDATE idempotency_keys SET alive_at = $3 WHERE tenant_id = $1 AND idem_key = $2 AND state = 'pending'")
            .bind(tenant)
            .bind(key)
            .bind(now_ms())
            .execute(p)
            .await
            .map(|_| ())
    })
}

async fn finish(db: &Db, tenant: &str, key: &str, resp: Response) -> Response {
    let (parts, body) = resp.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "could not buffer a response");
            if let Err(e) = release(db, tenant, key).await {
                tracing::error!(error = %e, "could not release an idempotency key");
            }
            return ApiError::internal().into_response();
        }
    };
    let result = if parts.status.is_server_error() {
        release(db, tenant, key).await
    } else {
        let headers: Vec<(&str, &str)> = KEPT_HEADERS
            .iter()
            .filter_map(|h| parts.headers.get(h).and_then(|v| v.to_str().ok()).map(|v| (h.as_str(), v)))
            .collect();
        let headers = serde_json::to_string(&headers).unwrap_or_else(|_| "[]".into());
        let body = String::from_utf8_lossy(&bytes).into_owned();
        with_db!(db, write, |p| {
            sqlx::query(
                "UPDATE idempotency_keys SET state = 'done', status = $3, headers = $4, body = $5 \
                 WHERE tenant_id = $1 AND idem_key = $2",
            )
            .bind(tenant)
            .bind(key)
            .bind(i64::from(parts.status.as_u16()))
            .bind(&headers)
            .bind(&body)
            .execute(p)
            .await
            .map(|_| ())
        })
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "could not store an idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Frees the key for a retry: the request it was claimed for kept no answer.
async fn release(db: &Db, tenant: &str, key: &str) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        sqlx::query("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2")
            .bind(tenant)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
    })
}

fn replay(rec: Record) -> Response {
    let status = rec.status.and_then(|s| StatusCode::from_u16(u16::try_from(s).ok()?).ok()).unwrap_or(StatusCode::OK);
    let mut resp = Response::new(Body::from(rec.body.unwrap_or_default()));
    *resp.status_mut() = status;
    let headers: Vec<(String, String)> = rec.headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default();
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            resp.headers_mut().insert(k, v);
        }
    }
    resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    resp
}
