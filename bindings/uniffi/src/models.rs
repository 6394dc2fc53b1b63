//! Records of the API and their conversions to and from the core's types.
//! Nothing here checks a value: the core validates what it receives.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use novabilling::model::money;
use novabilling::{CustomerStatus, InvoiceStatus, Patch, SortBy, SortOrder, SubscriptionStatus};
use serde_json::{Map, Value};

use crate::error::{NovaBillingError, invalid};

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

// ---------------------------------------------------------------- JSON values

/// Any JSON value: customer metadata and Stripe objects. A number is its JSON
/// text (`"12"`, `"10.25"`): integers are exact, other numbers are what the
/// core holds, the nearest double.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum JsonValue {
    Null,
    Bool { value: bool },
    Number { value: String },
    String { value: String },
    Array { values: Vec<JsonValue> },
    Object { fields: HashMap<String, JsonValue> },
}

impl From<&Value> for JsonValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => JsonValue::Null,
            Value::Bool(b) => JsonValue::Bool { value: *b },
            Value::Number(n) => JsonValue::Number { value: n.to_string() },
            Value::String(s) => JsonValue::String { value: s.clone() },
            Value::Array(a) => JsonValue::Array { values: a.iter().map(JsonValue::from).collect() },
            Value::Object(m) => JsonValue::Object { fields: object_out(m) },
        }
    }
}

pub(crate) fn object_out(m: &Map<String, Value>) -> HashMap<String, JsonValue> {
    m.iter().map(|(k, v)| (k.clone(), JsonValue::from(v))).collect()
}

pub(crate) fn json_in(field: &str, v: JsonValue) -> Result<Value> {
    Ok(match v {
        JsonValue::Null => Value::Null,
        JsonValue::Bool { value } => Value::Bool(value),
        JsonValue::Number { value } => Value::Number(
            serde_json::Number::from_str(value.trim())
                .map_err(|_| invalid(field, format!("{field} holds {value:?}, which is not a JSON number")))?,
        ),
        JsonValue::String { value } => Value::String(value),
        JsonValue::Array { values } => Value::Array(values.into_iter().map(|x| json_in(field, x)).collect::<Result<_>>()?),
        JsonValue::Object { fields } => Value::Object(object_in(field, fields)?),
    })
}

pub(crate) fn object_in(field: &str, m: HashMap<String, JsonValue>) -> Result<Map<String, Value>> {
    m.into_iter().map(|(k, v)| Ok((k, json_in(field, v)?))).collect()
}

/// Parses JSON text into a [`JsonValue`].
/// Text that is not JSON is a Validation error on field `json`.
#[uniffi::export]
pub fn json_value_from_string(json: String) -> Result<JsonValue> {
    serde_json::from_str::<Value>(&json)
        .map(|v| JsonValue::from(&v))
        .map_err(|e| invalid("json", format!("not valid JSON: {e}")))
}

/// Writes a [`JsonValue`] as compact JSON text.
#[uniffi::export]
pub fn json_value_to_string(value: JsonValue) -> Result<String> {
    Ok(json_in("json", value)?.to_string())
}

// ---------------------------------------------------------------- options

/// Options of one call; what is unset takes the client's settings.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RequestOptions {
    /// Total time of one attempt.
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// Retries after the first attempt (0: none).
    #[uniffi(default)]
    pub max_retries: Option<u32>,
    /// Sent on POST, PATCH and DELETE; one is generated per call when unset.
    #[uniffi(default)]
    pub idempotency_key: Option<String>,
    /// An ETag (`customer.etag`): the write fails with PreconditionFailed if the customer changed since.
    #[uniffi(default)]
    pub if_match: Option<String>,
    /// Extra headers.
    #[uniffi(default)]
    pub headers: HashMap<String, String>,
}

impl From<RequestOptions> for novabilling::RequestOptions {
    fn from(o: RequestOptions) -> Self {
        let mut headers: Vec<(String, String)> = o.headers.into_iter().collect();
        headers.sort();
        novabilling::RequestOptions {
            timeout: o.timeout,
            max_retries: o.max_retries,
            idempotency_key: o.idempotency_key,
            if_match: o.if_match,
            headers,
        }
    }
}

// ---------------------------------------------------------------- inputs

/// The body of `customers.create`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CustomerCreate {
    /// Your user's id.
    pub external_id: String,
    pub email: String,
    #[uniffi(default)]
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2, any case.
    #[uniffi(default)]
    pub country: Option<String>,
    /// ISO 4217, any case.
    #[uniffi(default)]
    pub currency: Option<String>,
    #[uniffi(default)]
    pub metadata: Option<HashMap<String, JsonValue>>,
    /// For B2B (BillingOS).
    #[uniffi(default)]
    pub external_organization_id: Option<String>,
}

impl CustomerCreate {
    pub(crate) fn into_core(self) -> Result<novabilling::CustomerCreate> {
        Ok(novabilling::CustomerCreate {
            external_id: self.external_id,
            email: self.email,
            name: self.name,
            country: self.country,
            currency: self.currency,
            metadata: self.metadata.map(|m| object_in("metadata", m)).transpose()?,
            external_organization_id: self.external_organization_id,
        })
    }
}

/// One field of an update that is sent: `Clear` sends `null`, `Set` a value,
/// `Keep` nothing (the same as leaving the field `null`/`nil`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum StringPatch {
    Keep,
    Clear,
    Set { value: String },
}

/// `metadata` of an update: replaced whole by `Set`, emptied by `Clear`.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum MetadataPatch {
    Keep,
    Clear,
    Set { value: HashMap<String, JsonValue> },
}

fn string_patch(p: Option<StringPatch>) -> Patch<String> {
    match p {
        None | Some(StringPatch::Keep) => Patch::Keep,
        Some(StringPatch::Clear) => Patch::Clear,
        Some(StringPatch::Set { value }) => Patch::Set(value),
    }
}

/// The body of `customers.update`: a field left `null` (Kotlin) / `nil` (Swift)
/// is not sent and stays as it is.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct CustomerUpdate {
    #[uniffi(default)]
    pub email: Option<StringPatch>,
    #[uniffi(default)]
    pub name: Option<StringPatch>,
    #[uniffi(default)]
    pub country: Option<StringPatch>,
    #[uniffi(default)]
    pub currency: Option<StringPatch>,
    #[uniffi(default)]
    pub metadata: Option<MetadataPatch>,
    /// `active` or `inactive`.
    #[uniffi(default)]
    pub status: Option<StringPatch>,
    #[uniffi(default)]
    pub external_organization_id: Option<StringPatch>,
}

impl CustomerUpdate {
    pub(crate) fn into_core(self) -> Result<novabilling::CustomerUpdate> {
        Ok(novabilling::CustomerUpdate {
            email: string_patch(self.email),
            name: string_patch(self.name),
            country: string_patch(self.country),
            currency: string_patch(self.currency),
            metadata: match self.metadata {
                None | Some(MetadataPatch::Keep) => Patch::Keep,
                Some(MetadataPatch::Clear) => Patch::Clear,
                Some(MetadataPatch::Set { value }) => Patch::Set(object_in("metadata", value)?),
            },
            status: string_patch(self.status).map(|s| CustomerStatus::from_wire(&s)),
            external_organization_id: string_patch(self.external_organization_id),
        })
    }
}

/// Query of `customers.list`; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ListParams {
    /// From 1.
    #[uniffi(default)]
    pub page: Option<u32>,
    /// 1..100, default 20.
    #[uniffi(default)]
    pub limit: Option<u32>,
    /// Case-insensitive substring of name, email or externalId.
    #[uniffi(default)]
    pub search: Option<String>,
    #[uniffi(default)]
    pub country: Option<String>,
    #[uniffi(default)]
    pub currency: Option<String>,
    /// `active` or `inactive`.
    #[uniffi(default)]
    pub status: Option<String>,
    /// `createdAt`, `updatedAt`, `name` or `email`.
    #[uniffi(default)]
    pub sort_by: Option<String>,
    /// `asc` or `desc`.
    #[uniffi(default)]
    pub sort_order: Option<String>,
}

impl From<ListParams> for novabilling::ListParams {
    fn from(p: ListParams) -> Self {
        novabilling::ListParams {
            page: p.page,
            limit: p.limit,
            search: p.search,
            country: p.country,
            currency: p.currency,
            status: p.status.as_deref().map(CustomerStatus::from_wire),
            sort_by: p.sort_by.as_deref().map(SortBy::from_wire),
            sort_order: p.sort_order.as_deref().map(SortOrder::from_wire),
        }
    }
}

/// Paging of `customers.listUnresolved`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct PageParams {
    #[uniffi(default)]
    pub page: Option<u32>,
    #[uniffi(default)]
    pub limit: Option<u32>,
}

impl From<PageParams> for novabilling::PageParams {
    fn from(p: PageParams) -> Self {
        novabilling::PageParams { page: p.page, limit: p.limit }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct StripeAddress {
    #[uniffi(default)]
    pub country: Option<String>,
}

/// The fields of a Stripe customer object that an import reads.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StripeCustomer {
    /// Stripe's `cus_...` id.
    pub id: String,
    #[uniffi(default)]
    pub email: Option<String>,
    #[uniffi(default)]
    pub name: Option<String>,
    #[uniffi(default)]
    pub address: Option<StripeAddress>,
    #[uniffi(default)]
    pub currency: Option<String>,
    #[uniffi(default)]
    pub metadata: Option<HashMap<String, JsonValue>>,
}

impl StripeCustomer {
    pub(crate) fn into_core(self) -> Result<novabilling::StripeCustomer> {
        Ok(novabilling::StripeCustomer {
            id: self.id,
            email: self.email,
            name: self.name,
            address: self.address.map(|a| novabilling::StripeAddress { country: a.country }),
            currency: self.currency,
            metadata: self.metadata.map(|m| object_in("metadata", m)).transpose()?,
        })
    }
}

/// The body of `subscriptions.create`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SubscriptionCreate {
    pub customer_id: String,
    pub plan_id: String,
    /// `active` (default) or `trialing`.
    #[uniffi(default)]
    pub status: Option<String>,
}

impl From<SubscriptionCreate> for novabilling::SubscriptionCreate {
    fn from(s: SubscriptionCreate) -> Self {
        novabilling::SubscriptionCreate {
            customer_id: s.customer_id,
            plan_id: s.plan_id,
            status: s.status.as_deref().map(SubscriptionStatus::from_wire),
        }
    }
}

/// The body of `invoices.create`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct InvoiceCreate {
    pub customer_id: String,
    /// Major units as a decimal string: `"1500.50"`.
    pub amount: String,
    /// Defaults to the customer's.
    #[uniffi(default)]
    pub currency: Option<String>,
    /// `open` (default) or `draft`.
    #[uniffi(default)]
    pub status: Option<String>,
}

impl InvoiceCreate {
    pub(crate) fn into_core(self) -> Result<novabilling::InvoiceCreate> {
        Ok(novabilling::InvoiceCreate {
            customer_id: self.customer_id,
            amount: money::parse(&self.amount).map_err(|e| invalid("amount", format!("amount: {e}")))?,
            currency: self.currency,
            status: self.status.as_deref().map(InvoiceStatus::from_wire),
        })
    }
}

// ---------------------------------------------------------------- results

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
    pub metadata: HashMap<String, JsonValue>,
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
            metadata: object_out(&c.metadata),
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
            metadata: object_in("metadata", self.metadata.clone())?,
            stripe_customer_id: self.stripe_customer_id.clone(),
            net_payment_terms: self.net_payment_terms,
            total_spent: money_in("totalSpent", &self.total_spent)?,
            active_subscriptions: self.active_subscriptions,
            created_at: time_in(self.created_at),
            updated_at: time_in(self.updated_at),
            subscriptions: self.subscriptions.as_ref().map(|v| v.iter().map(Subscription::to_core).collect()).transpose()?,
            invoices: self.invoices.as_ref().map(|v| v.iter().map(Invoice::to_core).collect()).transpose()?,
            response: Default::default(),
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
    fn to_core(&self) -> Result<novabilling::Subscription> {
        Ok(novabilling::Subscription {
            id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            plan_id: self.plan_id.clone(),
            status: SubscriptionStatus::from_wire(&self.status),
            created_at: time_in(self.created_at),
            canceled_at: self.canceled_at.map(time_in),
            response: Default::default(),
        })
    }
}

#[uniffi::export]
impl Subscription {
    /// The subscription as the API sends it.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.to_core()?).unwrap_or_default())
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
            response: Default::default(),
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
    /// The page number to ask for next, or null after the last page.
    pub next_page: Option<u32>,
    pub request_id: Option<String>,
}

impl CustomerPage {
    /// `next` is what the core's `next_page` says follows this page.
    pub(crate) fn new(p: novabilling::Page<novabilling::Customer>, next: Option<u32>) -> Self {
        CustomerPage {
            total: i64::try_from(p.total).unwrap_or(i64::MAX),
            page: i64::from(p.page),
            limit: i64::from(p.limit),
            total_pages: i64::from(p.total_pages),
            next_page: next,
            request_id: p.response.request_id,
            data: p.data.into_iter().map(Customer::from).collect(),
        }
    }
}
