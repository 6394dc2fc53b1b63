//! Webhook endpoints: the tenant's receivers, their signing secrets (two while
//! one is rotated) and the log of their delivery attempts.

use chrono::{DateTime, Utc};
use novabilling::model::{Page, Patch, ResponseMeta, timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::ms_to_time;
use crate::db::{Db, begin_write, with_db};
use crate::error::{ApiError, ApiResult};
use crate::ids;

/// An endpoint as the API returns it. `secret` only in the answers to a create
/// and a rotation: it is the one thing a receiver needs, and shown once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    /// `we_...`
    pub id: String,
    pub url: String,
    /// The event types it receives; empty: all of them.
    pub event_types: Vec<String>,
    pub enabled: bool,
    pub description: Option<String>,
    /// Why the server disabled it: `gone` (it answered 410) or `failing` (every
    /// delivery failed for the disable period); null when enabled or disabled by PATCH.
    pub disabled_reason: Option<String>,
    /// Since when its deliveries have failed without a success in between.
    #[serde(with = "timestamp::option")]
    pub failing_since: Option<DateTime<Utc>>,
    #[serde(with = "timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "timestamp")]
    pub updated_at: DateTime<Utc>,
    /// `whsec_...`: returned by create and rotate-secret only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    pub event_id: String,
    /// 1 for the first attempt of a message, counting up over its retries.
    pub attempt: i64,
    /// The HTTP status the endpoint answered; null when there was no answer.
    pub status: Option<i64>,
    pub duration_ms: i64,
    /// Why it failed, when it did.
    pub error: Option<String>,
    #[serde(with = "timestamp")]
    pub created_at: DateTime<Utc>,
}

/// A checked create.
pub struct NewEndpoint {
    pub url: String,
    pub event_types: Vec<String>,
    pub enabled: bool,
    pub description: Option<String>,
}

/// A checked PATCH: `None` keeps a field.
pub struct EndpointChange {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
    pub description: Patch<String>,
}

const COLS: &str = "id, url, event_types, enabled, description, disabled_reason, failing_since, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: String,
    url: String,
    event_types: String,
    enabled: bool,
    description: Option<String>,
    disabled_reason: Option<String>,
    failing_since: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl EndpointRow {
    fn into_endpoint(self, secret: Option<String>) -> WebhookEndpoint {
        WebhookEndpoint {
            id: self.id,
            url: self.url,
            event_types: serde_json::from_str(&self.event_types).unwrap_or_default(),
            enabled: self.enabled,
            description: self.description,
            disabled_reason: self.disabled_reason,
            failing_since: self.failing_since.map(ms_to_time),
            created_at: ms_to_time(self.created_at),
            updated_at: ms_to_time(self.updated_at),
            secret,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    event_id: String,
    attempt: i64,
    status: Option<i64>,
    duration_ms: i64,
    error: Option<String>,
    created_at: i64,
    page_total: Option<i64>,
}

pub fn endpoint_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No webhook endpoint with id {id:?}"))
}

fn types_text(types: &[String]) -> String {
    serde_json::to_string(types).unwrap_or_else(|_| "[]".into())
}

/// Marks the endpoint's undelivered messages failed: a disabled endpoint gets nothing.
pub(crate) const FAIL_PENDING: &str =
    "UPDATE webhook_messages SET state = 'failed', lease_owner = NULL, lease_until = NULL \
     WHERE endpoint_id = $1 AND state = 'pending'";

pub async fn create(db: &Db, tenant: &str, e: NewEndpoint, secret: &str, now: i64) -> Result<WebhookEndpoint, sqlx::Error> {
    let id = ids::new_id("we_");
    with_db!(db, write, |p| {
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, enabled, description, secret, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&id)
        .bind(tenant)
        .bind(&e.url)
        .bind(types_text(&e.event_types))
        .bind(e.enabled)
        .bind(&e.description)
        .bind(secret)
        .bind(now)
        .execute(p)
        .await
        .map(|_| ())
    })?;
    Ok(WebhookEndpoint {
        id,
        url: e.url,
        event_types: e.event_types,
        enabled: e.enabled,
        description: e.description,
        disabled_reason: None,
        failing_since: None,
        created_at: ms_to_time(now),
        updated_at: ms_to_time(now),
        secret: Some(secret.to_owned()),
    })
}

/// The tenant's endpoints, oldest first, without secrets.
pub async fn list(db: &Db, tenant: &str) -> Result<Vec<WebhookEndpoint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id");
    let rows = with_db!(db, read, |p| sqlx::query_as::<_, EndpointRow>(&sql).bind(tenant).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|r| r.into_endpoint(None)).collect())
}

pub async fn get(db: &Db, tenant: &str, id: &str) -> Result<Option<WebhookEndpoint>, sqlx::Error> {
    let sql = format!("SELECT {COLS} FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2");
    let row =
        with_db!(db, read, |p| sqlx::query_as::<_, EndpointRow>(&sql).bind(id).bind(tenant).fetch_optional(p).await)?;
    Ok(row.map(|r| r.into_endpoint(None)))
}

/// Applies a checked PATCH. Enabling clears `disabledReason` and
/// `failingSince`; disabling fails the messages still waiting.
pub async fn update(db: &Db, tenant: &str, id: &str, c: EndpointChange, now: i64) -> ApiResult<WebhookEndpoint> {
    let select = format!("SELECT {COLS} FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2{}", db.for_update());
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let cur = sqlx::query_as::<_, EndpointRow>(&select)
            .bind(id)
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| endpoint_not_found(id))?;
        let enabled = c.enabled.unwrap_or(cur.enabled);
        let (disabled_reason, failing_since) = if enabled && !cur.enabled {
            (None, None)
        } else {
            (cur.disabled_reason, cur.failing_since)
        };
        let next = EndpointRow {
            id: cur.id,
            url: c.url.unwrap_or(cur.url),
            event_types: c.event_types.as_deref().map_or(cur.event_types, types_text),
            enabled,
            description: match c.description {
                Patch::Keep => cur.description,
                Patch::Clear => None,
                Patch::Set(d) => Some(d),
            },
            disabled_reason,
            failing_since,
            created_at: cur.created_at,
            updated_at: now.max(cur.updated_at + 1),
        };
        sqlx::query(
            "UPDATE webhook_endpoints SET url = $2, event_types = $3, enabled = $4, description = $5, \
             disabled_reason = $6, failing_since = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&next.url)
        .bind(&next.event_types)
        .bind(next.enabled)
        .bind(&next.description)
        .bind(&next.disabled_reason)
        .bind(next.failing_since)
        .bind(next.updated_at)
        .execute(&mut *tx)
        .await?;
        if !next.enabled && cur.enabled {
            sqlx::query(FAIL_PENDING).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(next.into_endpoint(None))
    })
}

/// Deletes the endpoint, its queued messages and its attempt log.
pub async fn delete(db: &Db, tenant: &str, id: &str) -> ApiResult<()> {
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let n = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(endpoint_not_found(id));
        }
        sqlx::query("DELETE FROM webhook_messages WHERE endpoint_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM webhook_attempts WHERE endpoint_id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}

/// Replaces the signing secret; the one replaced keeps signing until
/// `previous_expires_at`, so receivers can switch without missing a delivery.
pub async fn rotate(
    db: &Db,
    tenant: &str,
    id: &str,
    secret: &str,
    previous_expires_at: i64,
    now: i64,
) -> ApiResult<WebhookEndpoint> {
    let select = format!("SELECT {COLS} FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2{}", db.for_update());
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        let mut cur = sqlx::query_as::<_, EndpointRow>(&select)
            .bind(id)
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| endpoint_not_found(id))?;
        cur.updated_at = now.max(cur.updated_at + 1);
        sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $2, secret = $3, \
             updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(previous_expires_at)
        .bind(secret)
        .bind(cur.updated_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(cur.into_endpoint(Some(secret.to_owned())))
    })
}

/// The endpoint's delivery attempts, newest first.
pub async fn deliveries(db: &Db, tenant: &str, id: &str, page: u32, limit: u32) -> ApiResult<Page<DeliveryAttempt>> {
    let offset = (i64::from(page) - 1) * i64::from(limit);
    let (found, rows, total) = with_db!(db, read, |p| {
        let found = sqlx::query_scalar::<_, String>("SELECT id FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant)
            .fetch_optional(p)
            .await?;
        let rows = sqlx::query_as::<_, AttemptRow>(
            "SELECT event_id, attempt, status, duration_ms, error, created_at, COUNT(*) OVER () AS page_total \
             FROM webhook_attempts WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(i64::from(limit))
        .bind(offset)
        .fetch_all(p)
        .await?;
        let total = match rows.first().and_then(|r| r.page_total) {
            Some(t) => t,
            None => {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM webhook_attempts WHERE endpoint_id = $1")
                    .bind(id)
                    .fetch_one(p)
                    .await?
            }
        };
        Ok::<_, sqlx::Error>((found, rows, total))
    })?;
    if found.is_none() {
        return Err(endpoint_not_found(id));
    }
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Page {
        data: rows
            .into_iter()
            .map(|r| DeliveryAttempt {
                event_id: r.event_id,
                attempt: r.attempt,
                status: r.status,
                duration_ms: r.duration_ms,
                error: r.error,
                created_at: ms_to_time(r.created_at),
            })
            .collect(),
        total,
        page,
        limit,
        total_pages: u32::try_from(total.div_ceil(u64::from(limit))).unwrap_or(u32::MAX),
        next: None,
        next_starting_after: None,
        response: ResponseMeta::default(),
    })
}
