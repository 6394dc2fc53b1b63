//! Events: written in the same transaction as the change they describe (the
//! transactional outbox), with one `webhook_messages` row per endpoint that
//! takes them; listed, read and queued again for redelivery.
//!
//! The body of an event is core's `event_payload`, serialized once here and
//! stored; every delivery sends those bytes, so a retry signs the same body.

use std::fmt::Write as _;

use novabilling::model::{Customer, Page, ResponseMeta};
use novabilling::webhooks::{customer_data, event_payload, imported_data};
use serde_json::Value;

use crate::clock::ms_to_time;
use crate::db::{Db, begin_write, with_db};
use crate::error::{ApiError, ApiResult};
use crate::ids;

pub const CUSTOMER_CREATED: &str = "customer.created";
pub const CUSTOMER_UPDATED: &str = "customer.updated";
pub const CUSTOMER_DELETED: &str = "customer.deleted";
pub const CUSTOMER_BOUND: &str = "customer.bound";
pub const CUSTOMERS_IMPORTED: &str = "customers.imported";

/// Every type an endpoint can subscribe to.
pub const EVENT_TYPES: &[&str] = &[CUSTOMER_CREATED, CUSTOMER_UPDATED, CUSTOMER_DELETED, CUSTOMER_BOUND, CUSTOMERS_IMPORTED];

pub(crate) const INSERT_EVENT: &str = "INSERT INTO events (id, tenant_id, type, customer_id, sequence, payload, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Queues an event again for every enabled endpoint that takes it (the
/// `event_endpoints` view; the `events_queue` trigger does the same for a new event).
const REQUEUE_EVENT: &str = "INSERT INTO webhook_messages \
     (event_id, endpoint_id, state, attempts, next_attempt_at, created_at) \
     SELECT event_id, endpoint_id, 'pending', 0, $2, $2 FROM event_endpoints WHERE event_id = $1";

/// An event about to be recorded.
pub struct NewEvent {
    pub id: String,
    pub tenant: String,
    pub event_type: &'static str,
    pub customer_id: Option<String>,
    pub sequence: Option<i64>,
    pub payload: String,
    pub created_at: i64,
}

impl NewEvent {
    fn new(tenant: &str, event_type: &'static str, at_ms: i64, data: &Value) -> Self {
        let id = ids::new_sortable_id("evt_");
        let payload = event_payload(&id, event_type, &ms_to_time(at_ms), data).to_string();
        NewEvent {
            id,
            tenant: tenant.to_owned(),
            event_type,
            customer_id: None,
            sequence: None,
            payload,
            created_at: at_ms,
        }
    }

    /// A customer event: the customer as the API returns it, its version after the change.
    pub fn customer(
        tenant: &str,
        event_type: &'static str,
        customer: &Customer,
        sequence: i64,
        changed_fields: Option<&[String]>,
        at_ms: i64,
    ) -> Self {
        let mut e = Self::new(tenant, event_type, at_ms, &customer_data(customer, sequence, changed_fields));
        e.customer_id = Some(customer.id.clone());
        e.sequence = Some(sequence);
        e
    }

    pub fn imported(tenant: &str, created: u64, skipped: u64, at_ms: i64) -> Self {
        Self::new(tenant, CUSTOMERS_IMPORTED, at_ms, &imported_data(created, skipped))
    }
}

/// Records `$event` (a [`NewEvent`]) in the open transaction `$tx`, which
/// queues it for its endpoints, so the change, its event and its deliveries
/// commit or roll back together.
macro_rules! record_event {
    ($tx:ident, $event:expr) => {{
        let ev: $crate::store::events::NewEvent = $event;
        sqlx::query($crate::store::events::INSERT_EVENT)
            .bind(&ev.id)
            .bind(&ev.tenant)
            .bind(ev.event_type)
            .bind(&ev.customer_id)
            .bind(ev.sequence)
            .bind(&ev.payload)
            .bind(ev.created_at)
            .execute(&mut *$tx)
            .await?;
        // The database queues it for its endpoints (the events_queue trigger).
    }};
}
pub(crate) use record_event;

#[derive(sqlx::FromRow)]
struct EventRow {
    payload: String,
    #[sqlx(default)]
    page_total: Option<i64>,
}

fn payload_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The filters of `GET /api/events`, checked.
pub struct EventFilter {
    pub event_type: Option<String>,
    pub customer_id: Option<String>,
    pub page: u32,
    pub limit: u32,
}

/// The tenant's events, newest first, each as its payload.
pub async fn list(db: &Db, tenant: &str, f: &EventFilter) -> Result<Page<Value>, sqlx::Error> {
    let mut conds = String::from("tenant_id = $1");
    let mut binds = vec![tenant.to_owned()];
    if let Some(t) = &f.event_type {
        binds.push(t.clone());
        let _ = write!(conds, " AND type = ${}", binds.len());
    }
    if let Some(c) = &f.customer_id {
        binds.push(c.clone());
        let _ = write!(conds, " AND customer_id = ${}", binds.len());
    }
    let sql = format!(
        "SELECT payload, COUNT(*) OVER () AS page_total FROM events WHERE {conds} \
         ORDER BY created_at DESC, id DESC LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    );
    let count_sql = format!("SELECT COUNT(*) FROM events WHERE {conds}");
    let offset = (i64::from(f.page) - 1) * i64::from(f.limit);
    let (rows, total) = with_db!(db, read, |p| {
        let q = binds.iter().fold(sqlx::query_as::<_, EventRow>(&sql), |q, b| q.bind(b.as_str()));
        let rows = q.bind(i64::from(f.limit)).bind(offset).fetch_all(p).await?;
        // No row carries the count past the last page: count alone.
        let total = match rows.first().and_then(|r| r.page_total) {
            Some(t) => t,
            None => binds.iter().fold(sqlx::query_scalar::<_, i64>(&count_sql), |q, b| q.bind(b.as_str())).fetch_one(p).await?,
        };
        (rows, total)
    });
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Page {
        data: rows.iter().map(|r| payload_value(&r.payload)).collect(),
        total,
        page: f.page,
        limit: f.limit,
        total_pages: u32::try_from(total.div_ceil(u64::from(f.limit))).unwrap_or(u32::MAX),
        next: None,
        next_starting_after: None,
        response: ResponseMeta::default(),
    })
}

/// One event of the tenant, as its payload.
pub async fn get(db: &Db, tenant: &str, id: &str) -> Result<Option<Value>, sqlx::Error> {
    let payload = with_db!(db, read, |p| {
        sqlx::query_scalar::<_, String>("SELECT payload FROM events WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant)
            .fetch_optional(p)
            .await
    })?;
    Ok(payload.as_deref().map(payload_value))
}

fn event_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No event with id {id:?}"))
}

/// Queues the event again: to every enabled endpoint that takes its type, or
/// to `endpoint` alone (404 if the tenant has no such endpoint, 409
/// `endpoint_disabled` if it is disabled). Returns how many messages were queued.
pub async fn redeliver(db: &Db, tenant: &str, id: &str, endpoint: Option<&str>, now: i64) -> ApiResult<u64> {
    with_db!(db, write, |p| {
        let mut tx = begin_write!(p)?;
        sqlx::query_scalar::<_, String>("SELECT id FROM events WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| event_not_found(id))?;
        let queued = match endpoint {
            None => sqlx::query(REQUEUE_EVENT)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            Some(ep) => {
                let enabled = sqlx::query_scalar::<_, bool>(
                    "SELECT enabled FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2",
                )
                .bind(ep)
                .bind(tenant)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("No webhook endpoint with id {ep:?}")))?;
                if !enabled {
                    return Err(ApiError::conflict(
                        "endpoint_disabled",
                        format!("Webhook endpoint {ep} is disabled; enable it with PATCH first"),
                    ));
                }
                sqlx::query(
                    "INSERT INTO webhook_messages (event_id, endpoint_id, state, attempts, next_attempt_at, created_at) \
                     VALUES ($1, $2, 'pending', 0, $3, $3)",
                )
                .bind(id)
                .bind(ep)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            }
        };
        tx.commit().await?;
        Ok(queued)
    })
}
