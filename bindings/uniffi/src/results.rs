//! What calls return: customers, billing records, pages, and their
//! conversions from the core's types (and back to the wire JSON).

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use novabilling::model::money;
use novabilling::{CustomerStatus, InvoiceStatus, ResponseMeta, SubscriptionStatus};

use crate::error::{NovaBillingError, invalid};
use crate::json::Metadata;

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

fn time_out(t: DateTime<Utc>) -> SystemTime {
    t.into()
}

fn time_in(t: SystemTime) -> DateTime<Utc> {
    t.into()
}

fn money_in(field: &str, s: &str) -> Result<rust_decimal::Decimal> {
    money::parse(s).map_err(|e| invalid(field, format!("{field}: {e}")))
}

/// A customer. Money is a decimal string (`"1500.5"`), exact.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Customer {
    pub id: String,
    /// Your user's id; null only for imported customers not yet bound.
    pub external_id: Option<String>,
    pub external_organization_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub currency: Option<String>,
    /// `active` or `inactive` (a value this SDK does not know is kept as sent).
    pub status: String,
    pub metadata: Metadata,
    pub stripe_customer_id: Option<String>,
    /// Sent by the real NovaBilling server only.
    pub net_payment_terms: Option<i64>,
    /// Lifetime total of paid invoices in the customer's currency, major units.
    pub total_spent: String,
    pub active_subscriptions: i64,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    /// Embedded by the real NovaBilling server on a single GET.
    pub subscriptions: Option<Vec<Subscription>>,
    pub invoices: Option<Vec<Invoice>>,
    /// The X-Request-Id of the response.
    pub request_id: Option<String>,
    /// The ETag of the response, for `RequestOptions(ifMatch = ...)`.
    pub etag: Option<String>,
}

impl From<novabilling::Customer> for Customer {
    fn from(c: novabilling::Customer) -> Self {
        Customer {
            metadata: Metadata::from(&c.metadata),
            total_spent: c.total_spent.to_string(),
            status: c.status.as_str().to_owned(),
            created_at: time_out(c.created_at),
            updated_at: time_out(c.updated_at),
            subscriptions: c.subscriptions.map(|v| v.into_iter().map(Subscription::from).collect()),
            invoices: c.invoices.map(|v| v.into_iter().map(Invoice::from).collect()),
            request_id: c.response.request_id,
            etag: c.response.etag,
            id: c.id,
            external_id: c.external_id,
            external_organization_id: c.external_organization_id,
            email: c.email,
            name: c.name,
            country: c.country,
            currency: c.currency,
            stripe_customer_id: c.stripe_customer_id,
            net_payment_terms: c.net_payment_terms,
            active_subscriptions: c.active_subscriptions,
        }
    }
}

impl Customer {
    fn to_core(&self) -> Result<novabilling::Customer> {
        Ok(novabilling::Customer {
            id: self.id.clone(),
            external_id: self.external_id.clone(),
            external_organization_id: self.external_organization_id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            country: self.country.clone(),
            currency: self.currency.clone(),
            status: CustomerStatus::from_wire(&self.status),
            metadata: self.metadata.clone().parse("metadata")?,
            stripe_customer_id: self.stripe_customer_id.clone(),
            net_payment_terms: self.net_payment_terms,
            total_spent: money_in("totalSpent", &self.total_spent)?,
            active_subscriptions: self.active_subscriptions,
            created_at: time_in(self.created_at),
            updated_at: time_in(self.updated_at),
            subscriptions: self.subscriptions.as_ref().map(|v| v.iter().map(Subscription::to_core).collect()),
            invoices: self.invoices.as_ref().map(|v| v.iter().map(Invoice::to_core).collect()).transpose()?,
            response: ResponseMeta::default(),
        })
    }
}

#[uniffi::export]
impl Customer {
    /// The customer as the API sends it (camelCase JSON).
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.to_core()?).unwrap_or_default())
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Subscription {
    pub id: String,
    pub customer_id: String,
    pub plan_id: Option<String>,
    /// `active`, `trialing` or `canceled`.
    pub status: String,
    pub created_at: SystemTime,
    pub canceled_at: Option<SystemTime>,
    pub request_id: Option<String>,
}

impl From<novabilling::Subscription> for Subscription {
    fn from(s: novabilling::Subscription) -> Self {
        Subscription {
            status: s.status.as_str().to_owned(),
            created_at: time_out(s.created_at),
            canceled_at: s.canceled_at.map(time_out),
            request_id: s.response.request_id,
            id: s.id,
            customer_id: s.customer_id,
            plan_id: s.plan_id,
        }
    }
}

impl Subscription {
    fn to_core(&self) -> novabilling::Subscription {
        novabilling::Subscription {
            id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            plan_id: self.plan_id.clone(),
            status: SubscriptionStatus::from_wire(&self.status),
            created_at: time_in(self.created_at),
            canceled_at: self.canceled_at.map(time_in),
            response: ResponseMeta::default(),
        }
    }
}

#[uniffi::export]
impl Subscription {
    /// The subscription as the API sends it.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.to_core()).unwrap_or_default())
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Invoice {
    pub id: String,
    pub customer_id: String,
    /// Major units as a decimal string, exact.
    pub amount: String,
    pub currency: Option<String>,
    /// `draft`, `open`, `paid` or `void`.
    pub status: String,
    pub created_at: SystemTime,
    pub paid_at: Option<SystemTime>,
    pub voided_at: Option<SystemTime>,
    pub request_id: Option<String>,
}

impl From<novabilling::Invoice> for Invoice {
    fn from(i: novabilling::Invoice) -> Self {
        Invoice {
            amount: i.amount.to_string(),
            status: i.status.as_str().to_owned(),
            created_at: time_out(i.created_at),
            paid_at: i.paid_at.map(time_out),
            voided_at: i.voided_at.map(time_out),
            request_id: i.response.request_id,
            id: i.id,
            customer_id: i.customer_id,
            currency: i.currency,
        }
    }
}

impl Invoice {
    fn to_core(&self) -> Result<novabilling::Invoice> {
        Ok(novabilling::Invoice {
            id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            amount: money_in("amount", &self.amount)?,
            currency: self.currency.clone(),
            status: InvoiceStatus::from_wire(&self.status),
            created_at: time_in(self.created_at),
            paid_at: self.paid_at.map(time_in),
            voided_at: self.voided_at.map(time_in),
            response: ResponseMeta::default(),
        })
    }
}

#[uniffi::export]
impl Invoice {
    /// The invoice as the API sends it.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.to_core()?).unwrap_or_default())
    }
}

/// Result of `customers.delete`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
    pub request_id: Option<String>,
}

impl From<novabilling::Deleted> for Deleted {
    fn from(d: novabilling::Deleted) -> Self {
        Deleted { id: d.id, deleted: d.deleted, request_id: d.response.request_id }
    }
}

/// Result of `customers.importStripe`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportResult {
    pub created: i64,
    pub skipped: i64,
    pub request_id: Option<String>,
}

impl From<novabilling::ImportResult> for ImportResult {
    fn from(r: novabilling::ImportResult) -> Self {
        ImportResult {
            created: i64::try_from(r.created).unwrap_or(i64::MAX),
            skipped: i64::try_from(r.skipped).unwrap_or(i64::MAX),
            request_id: r.response.request_id,
        }
    }
}

/// One page of customers.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CustomerPage {
    pub data: Vec<Customer>,
    /// Customers matching the query, over all pages.
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub total_pages: i64,
    /// Whether a page follows this one.
    pub has_more: bool,
    /// Where the listing continues (for `customers.page(cursor)`): its
    /// route and filters, opaque; null after the last page.
    pub next_cursor: Option<String>,
    pub request_id: Option<String>,
}

impl From<novabilling::Page<novabilling::Customer>> for CustomerPage {
    fn from(p: novabilling::Page<novabilling::Customer>) -> Self {
        CustomerPage {
            total: i64::try_from(p.total).unwrap_or(i64::MAX),
            page: i64::from(p.page),
            limit: i64::from(p.limit),
            total_pages: i64::from(p.total_pages),
            has_more: p.next.is_some(),
            next_cursor: p.next.as_ref().map(novabilling::Cursor::encode),
            request_id: p.response.request_id,
            data: p.data.into_iter().map(Customer::from).collect(),
        }
    }
}
