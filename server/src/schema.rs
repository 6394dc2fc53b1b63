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
