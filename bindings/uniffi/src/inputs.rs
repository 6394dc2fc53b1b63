//! What callers build: per-call options, request bodies and list queries,
//! and their conversions into the core's types. Nothing here checks a value:
//! the core validates what it receives.

use std::collections::HashMap;

use novabilling::model::money;
use novabilling::{CustomerStatus, InvoiceStatus, Patch, SortBy, SortOrder, SubscriptionStatus};

use crate::error::{NovaBillingError, invalid};
use crate::json::Metadata;
use crate::seconds::Seconds;

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// Options of one call; what is unset takes the client's settings.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RequestOptions {
    /// Total time of one attempt.
    #[uniffi(default)]
    pub timeout: Option<Seconds>,
    /// Retries after the first attempt (0: none; at most 20).
    #[uniffi(default)]
    pub max_retries: Option<i64>,
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
            timeout: o.timeout.map(Seconds::span),
            max_retries: o.max_retries,
            idempotency_key: o.idempotency_key,
            if_match: o.if_match,
            headers,
        }
    }
}

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
    pub metadata: Option<Metadata>,
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
            metadata: self.metadata.map(|m| m.parse("metadata")).transpose()?,
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
    Set { value: Metadata },
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
                Some(MetadataPatch::Set { value }) => Patch::Set(value.parse("metadata")?),
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
    pub metadata: Option<Metadata>,
}

impl StripeCustomer {
    pub(crate) fn into_core(self) -> Result<novabilling::StripeCustomer> {
        Ok(novabilling::StripeCustomer {
            id: self.id,
            email: self.email,
            name: self.name,
            address: self.address.map(|a| novabilling::StripeAddress { country: a.country }),
            currency: self.currency,
            metadata: self.metadata.map(|m| m.parse("metadata")).transpose()?,
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
