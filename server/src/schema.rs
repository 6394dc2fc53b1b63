//! Wire shapes that only the OpenAPI document names: the handlers serialize
//! core's generic `Page<T>` and `List<T>`, which utoipa cannot describe per `T`.

use novabilling::model::{Customer, Invoice, PageMeta, Subscription};
use utoipa::ToSchema;

/// A page of customers (the wire form of core's `Page<Customer>`).
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct CustomerPage {
    pub data: Vec<Customer>,
    pub meta: PageMeta,
}

/// A customer's subscriptions (core's `List<Subscription>`).
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct SubscriptionList {
    pub data: Vec<Subscription>,
}

/// A customer's invoices (core's `List<Invoice>`).
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct InvoiceList {
    pub data: Vec<Invoice>,
}

/// The endpoints of a tenant.
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct WebhookEndpointList {
    pub data: Vec<crate::store::webhooks::WebhookEndpoint>,
}

/// A page of delivery attempts.
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct DeliveryPage {
    pub data: Vec<crate::store::webhooks::DeliveryAttempt>,
    pub meta: PageMeta,
}

/// An event, exactly as its deliveries send it (core's `event_payload`).
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct Event {
    /// `evt_...`; the `webhook-id` of its deliveries.
    pub id: String,
    /// `customer.created`, `customer.updated`, `customer.deleted`, `customer.bound` or `customers.imported`.
    #[schema(rename = "type")]
    pub event_type: String,
    /// When the change was committed (RFC 3339, milliseconds).
    pub timestamp: String,
    /// Customer events: `customer`, `sequence` and (on `customer.updated`)
    /// `changedFields`; `customers.imported`: `created` and `skipped`.
    pub data: serde_json::Value,
}

/// A page of events, newest first.
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct EventPage {
    pub data: Vec<Event>,
    pub meta: PageMeta,
}

/// The tenant's keys (core's `List<Key>`).
#[derive(ToSchema)]
#[allow(dead_code, reason = "described, never built")]
pub struct KeyList {
    pub data: Vec<novabilling::model::Key>,
}
