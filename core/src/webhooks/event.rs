//! The events the server sends, in one wire form both ends use:
//! `{"id", "type", "timestamp", "data"}`. A customer event's `data` holds the
//! whole `customer`, its `sequence` (higher is newer, per customer) and, on
//! `customer.updated`, the `changedFields`; `customers.imported` holds the
//! import's counts.

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{Error, WebhookFailure};
use crate::model::{Customer, ImportResult, Metadata, ResponseMeta, timestamp as wire_time};

/// Every customer event's type starts with this.
pub const CUSTOMER_EVENT_PREFIX: &str = "customer.";
pub const IMPORTED_EVENT: &str = "customers.imported";

/// An event, verified from a delivery or read from `GET /api/events`. Types
/// this SDK does not know are kept whole in `data`, so a receiver older than
/// its server still reads them. It reads from the wire form (what a delivery
/// sends); it writes the SDK's form, with the fields read out of `data`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// `evt_...`, the same on every delivery and redelivery of this event.
    pub id: String,
    /// `customer.created`, `customer.updated`, `customer.deleted`,
    /// `customer.bound`, `customers.imported`, or a newer type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the change was committed.
    #[serde(with = "wire_time")]
    pub timestamp: DateTime<Utc>,
    /// The event's `data` as sent.
    pub data: Metadata,
    /// The customer as the change left it (as it was, for `customer.deleted`).
    pub customer: Option<Customer>,
    /// Per customer, increasing with every change: a receiver keeps the
    /// highest it has seen and drops an event with a lower one.
    pub sequence: Option<i64>,
    /// The fields a `customer.updated` changed (wire names, e.g. `externalId`).
    pub changed_fields: Option<Vec<String>>,
    /// A `customers.imported` event's counts.
    pub imported: Option<ImportResult>,
    /// Response metadata when read from the API, not part of the event.
    #[serde(skip)]
    pub response: ResponseMeta,
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WebhookEvent::from_wire(Value::deserialize(d)?).map_err(D::Error::custom)
    }
}

fn bad(message: String) -> Error {
    Error::webhook(WebhookFailure::InvalidPayload, message)
}

fn field<T: serde::de::DeserializeOwned>(data: &Metadata, name: &str, ty: &str) -> Result<Option<T>, String> {
    match data.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| format!("the event's data.{name} is not {ty}: {e}")),
    }
}

impl WebhookEvent {
    /// Reads a verified body as an event.
    pub fn parse(body: &[u8]) -> Result<WebhookEvent, Error> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| bad(format!("the signature matched, but the body is not JSON: {e}")))?;
        WebhookEvent::from_wire(value).map_err(|why| bad(format!("the signature matched, but {why}")))
    }

    /// Reads an event in its wire form; the error says what is wrong with it.
    fn from_wire(value: Value) -> Result<WebhookEvent, String> {
        let Value::Object(mut top) = value else {
            return Err("the body is not a JSON object".into());
        };
        let text = |top: &Metadata, name: &str| -> Result<String, String> {
            top.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("the body has no string `{name}`: not a webhook event"))
        };
        let id = text(&top, "id")?;
        let event_type = text(&top, "type")?;
        let when = text(&top, "timestamp")?;
        let timestamp = DateTime::parse_from_rfc3339(&when)
            .map_err(|e| format!("the event's timestamp {when:?} is not an RFC 3339 time: {e}"))?
            .with_timezone(&Utc);
        let data = match top.remove("data") {
            Some(Value::Object(m)) => m,
            None | Some(Value::Null) => Metadata::new(),
            Some(_) => return Err("the event's data is not a JSON object".into()),
        };
        let mut event = WebhookEvent {
            id,
            event_type,
            timestamp,
            data,
            customer: None,
            sequence: None,
            changed_fields: None,
            imported: None,
            response: ResponseMeta::default(),
        };
        if event.event_type.starts_with(CUSTOMER_EVENT_PREFIX) {
            event.customer = field(&event.data, "customer", "a customer")?;
            event.sequence = field(&event.data, "sequence", "an integer")?;
            event.changed_fields = field(&event.data, "changedFields", "a list of field names")?;
        } else if event.event_type == IMPORTED_EVENT {
            event.imported = Some(
                serde_json::from_value(Value::Object(event.data.clone()))
                    .map_err(|e| format!("the customers.imported event's data is not its counts: {e}"))?,
            );
        }
        Ok(event)
    }

    /// The event in its wire form, as a delivery sends it.
    pub fn to_wire(&self) -> Value {
        event_payload(&self.id, &self.event_type, &self.timestamp, &Value::Object(self.data.clone()))
    }
}

/// A customer event's `data`.
pub fn customer_data(customer: &Customer, sequence: i64, changed_fields: Option<&[String]>) -> Value {
    let mut data = json!({ "customer": customer, "sequence": sequence });
    if let (Some(fields), Value::Object(m)) = (changed_fields, &mut data) {
        m.insert("changedFields".into(), json!(fields));
    }
    data
}

/// A `customers.imported` event's `data`.
pub fn imported_data(created: u64, skipped: u64) -> Value {
    json!({ "created": created, "skipped": skipped })
}

/// The body of a delivery.
pub fn event_payload(id: &str, event_type: &str, timestamp: &DateTime<Utc>, data: &Value) -> Value {
    json!({ "id": id, "type": event_type, "timestamp": wire_time::format(timestamp), "data": data })
}
