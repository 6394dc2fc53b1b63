//! The delivery worker's side of the outbox: claiming due messages under a
//! lease, recording each attempt and its consequences, and purging.
//!
//! A claim is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING`; on
//! PostgreSQL the inner select is `FOR UPDATE SKIP LOCKED`, so workers of
//! several replicas take disjoint rows. A lease that runs out (its worker died)
//! makes the row claimable again.

use crate::db::{Db, begin_write, with_db};
use crate::store::webhooks::FAIL_PENDING;

/// A claimed message with what its delivery needs.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub event_id: String,
    pub endpoint_id: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub payload: String,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<i64>,
    #[sqlx(skip)]
    pub lease_owner: String,
}

/// What an attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again at this time (ms).
    RetryAt(i64),
    /// No attempt left.
    Failed,
    /// The endpoint answered 410: it is disabled.
    Gone,
}

/// One attempt, for the log.
#[derive(Debug)]
pub struct Attempt {
    pub status: Option<i64>,
    pub duration_ms: i64,
    pub error: Option<String>,
}

/// A finished attempt of a claimed message, and what it leads to.
#[derive(Debug)]
pub struct Finished {
    pub message: Claimed,
    pub attempt: Attempt,
    pub outcome: Outcome,
    /// When it finished (ms).
    pub now: i64,
    /// A failing streak that began before this (ms) disables the endpoint.
    pub disable_before: i64,
}

/// Takes up to `limit` due messages of enabled endpoints until `lease_until`.
pub async fn claim(db: &Db, owner: &str, now: i64, lease_until: i64, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    let lock = if db.is_postgres() { " FOR UPDATE OF m SKIP LOCKED" } else { "" };
    let claim = format!(
        "UPDATE webhook_messages SET lease_owner = $1, lease_until = $2 WHERE id IN (\
         SELECT m.id FROM webhook_messages m JOIN webhook_endpoints w ON w.id = m.endpoint_id \
         WHERE m.state = 'pending' AND m.next_attempt_at <= $3 AND (m.lease_until IS NULL OR m.lease_until < $3) \
         AND w.enabled ORDER BY m.next_attempt_at, m.id LIMIT $4{lock}) RETURNING id"
    );
    let ids = with_db!(db, write, |p| {
        sqlx::query_scalar::<_, i64>(&claim).bind(owner).bind(lease_until).bind(now).bind(limit).fetch_all(p).await
    })?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The owner is unique to this claim, so it names exactly these rows. The
    // claim has committed, so a reader sees it: SQLite's one writer is left to
    // the API's writes.
    let read = "SELECT m.id, m.event_id, m.endpoint_id, m.attempts, e.payload, w.url, w.secret, w.previous_secret, \
         w.previous_secret_expires_at FROM webhook_messages m JOIN events e ON e.id = m.event_id \
         JOIN webhook_endpoints w ON w.id = m.endpoint_id WHERE m.lease_owner = $1 AND m.state = 'pending' \
         ORDER BY m.next_attempt_at, m.id";
    let mut rows = with_db!(db, read, |p| sqlx::query_as::<_, Claimed>(read).bind(owner).fetch_all(p).await)?;
    for r in &mut rows {
        owner.clone_into(&mut r.lease_owner);
    }
    Ok(rows)
}

/// Logs each attempt and applies its outcome to the message and the
/// endpoint, all in one transaction (the delivery worker batches what finished
/// together, so deliveries do not take the writer once each). A failure starts
/// (or continues) the endpoint's failing streak; a streak older than
/// `disable_before` disables it (`failing`).
pub async fn record(db: &Db, finished: &[Finished]) -> Result<(), sqlx::Error> {
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        for f in finished {
            let (m, a, outcome, now) = (&f.message, &f.attempt, f.outcome, f.now);
            sqlx::query(
                "INSERT INTO webhook_attempts (message_id, event_id, endpoint_id, attempt, status, duration_ms, error, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(m.id)
            .bind(&m.event_id)
            .bind(&m.endpoint_id)
            .bind(m.attempts + 1)
            .bind(a.status)
            .bind(a.duration_ms)
            .bind(a.error.as_deref())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let (state, next, delivered_at) = match outcome {
                Outcome::Delivered => ("delivered", now, Some(now)),
                Outcome::RetryAt(at) => ("pending", at, None),
                Outcome::Failed | Outcome::Gone => ("failed", now, None),
            };
            sqlx::query(
                "UPDATE webhook_messages SET state = $2, attempts = attempts + 1, next_attempt_at = $3, \
                 delivered_at = $4, last_status = $5, lease_owner = NULL, lease_until = NULL \
                 WHERE id = $1 AND lease_owner = $6",
            )
            .bind(m.id)
            .bind(state)
            .bind(next)
            .bind(delivered_at)
            .bind(a.status)
            .bind(&m.lease_owner)
            .execute(&mut *tx)
            .await?;
            let disabled = match outcome {
                Outcome::Delivered => {
                    sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL")
                        .bind(&m.endpoint_id)
                        .execute(&mut *tx)
                        .await?;
                    0
                }
                Outcome::Gone => sqlx::query(
                    "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = 'gone', updated_at = $2 \
                     WHERE id = $1 AND enabled",
                )
                .bind(&m.endpoint_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                Outcome::RetryAt(_) | Outcome::Failed => {
                    sqlx::query("UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1 AND failing_since IS NULL")
                        .bind(&m.endpoint_id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = 'failing', updated_at = $3 \
                         WHERE id = $1 AND enabled AND failing_since <= $2",
                    )
                    .bind(&m.endpoint_id)
                    .bind(f.disable_before)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                }
            };
            if disabled > 0 {
                sqlx::query(FAIL_PENDING).bind(&m.endpoint_id).execute(&mut *tx).await?;
            }
        }
        tx.commit().await
    })
}

/// Drops finished messages and attempts older than `log_before`, and events
/// (with any message left of them) older than `events_before`.
pub async fn purge(db: &Db, log_before: i64, events_before: i64) -> Result<u64, sqlx::Error> {
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let mut n = sqlx::query(
            "DELETE FROM webhook_messages WHERE state <> 'pending' AND COALESCE(delivered_at, created_at) < $1",
        )
        .bind(log_before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        n += sqlx::query("DELETE FROM webhook_attempts WHERE created_at < $1")
            .bind(log_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        n += sqlx::query("DELETE FROM webhook_messages WHERE event_id IN (SELECT id FROM events WHERE created_at < $1)")
            .bind(events_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        n += sqlx::query("DELETE FROM events WHERE created_at < $1")
            .bind(events_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    })
}
