//! `Webhooks.verify` and `Webhooks.sign` for Kotlin and Swift: core's
//! functions, with the event converted to a record.

// uniffi hands arguments over owned, and lifts a map into the default
// hasher's HashMap: exported functions can neither borrow nor be generic.
#![allow(clippy::needless_pass_by_value, clippy::implicit_hasher)]

use std::collections::HashMap;
use std::time::SystemTime;

use novabilling::webhooks::{self, DEFAULT_TOLERANCE};

use crate::error::NovaBillingError;
use crate::json::Metadata;
use crate::results::{Customer, ImportResult};
use crate::seconds::Seconds;

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// A webhook event, verified from a delivery or read from `client.events()`. `customer`, `sequence` and `changed_fields` are
/// set on `customer.*` events, `imported` on `customers.imported`; an event
/// of a type this SDK does not know keeps its `data` whole.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WebhookEvent {
    /// `evt_...`: the same on every delivery of this event (deduplicate on it).
    pub id: String,
    /// `customer.created`, `customer.updated`, `customer.deleted`,
    /// `customer.bound`, `customers.imported`, or a newer type.
    pub r#type: String,
    /// When the change was committed.
    pub timestamp: SystemTime,
    /// The event's `data` as sent.
    pub data: Metadata,
    pub customer: Option<Customer>,
    /// Per customer, higher is newer: drop an event older than one already applied.
    pub sequence: Option<i64>,
    /// The fields a `customer.updated` changed (wire names).
    pub changed_fields: Option<Vec<String>>,
    pub imported: Option<ImportResult>,
}

impl From<novabilling::WebhookEvent> for WebhookEvent {
    fn from(e: novabilling::WebhookEvent) -> Self {
        WebhookEvent {
            data: Metadata::from(&e.data),
            id: e.id,
            r#type: e.event_type,
            timestamp: e.timestamp.into(),
            customer: e.customer.map(Customer::from),
            sequence: e.sequence,
            changed_fields: e.changed_fields,
            imported: e.imported.map(ImportResult::from),
        }
    }
}

/// Checks that a delivery came from the holder of one of `secrets`, within
/// `tolerance` (default five minutes) either way, and reads its event.
#[uniffi::export]
pub fn webhooks_verify(
    body: Vec<u8>,
    headers: HashMap<String, String>,
    secrets: Vec<String>,
    tolerance: Option<Seconds>,
) -> Result<WebhookEvent> {
    let tolerance = match tolerance {
        None => DEFAULT_TOLERANCE,
        Some(t) => t.span().check("tolerance")?,
    };
    let pairs: Vec<(&String, &String)> = headers.iter().collect();
    Ok(webhooks::verify(&body, &pairs, &secrets, tolerance)?.into())
}

/// The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of a
/// delivery of `body`: for testing a receiver.
#[uniffi::export]
pub fn webhooks_sign(
    body: Vec<u8>,
    secret: String,
    id: Option<String>,
    timestamp: Option<i64>,
) -> Result<HashMap<String, String>> {
    Ok(webhooks::sign(&body, &secret, id.as_deref(), timestamp)?.into_iter().collect())
}
