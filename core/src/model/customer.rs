//! Customers: the object both servers send, the bodies of create, update
//! and bind, and the Stripe import.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::billing::{Invoice, Subscription};
use super::wire::{CustomerStatus, Metadata, Patch, ResponseMeta, money, null_as_default, timestamp};

/// A customer, as both servers send it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    /// The caller's user id; null only for imported customers not yet bound.
    #[serde(default, alias = "externalUserId")]
    pub external_id: Option<String>,
    #[serde(default)]
    pub external_organization_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    /// The real NovaBilling server has no status; its customers read as active.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: CustomerStatus,
    #[serde(default, deserialize_with = "null_as_default")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub metadata: Metadata,
    #[serde(default)]
    pub stripe_customer_id: Option<String>,
    /// Sent by the real NovaBilling server only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_payment_terms: Option<i64>,
    #[serde(default, with = "money")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_spent: Decimal,
    #[serde(default, deserialize_with = "null_as_default")]
    pub active_subscriptions: i64,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: DateTime<Utc>,
    /// Embedded by the real NovaBilling server on a single GET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub subscriptions: Option<Vec<Subscription>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub invoices: Option<Vec<Invoice>>,
    /// Response metadata, not part of the wire object.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

/// The body of a create.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerCreate {
    pub external_id: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_organization_id: Option<String>,
}

/// The body of a partial update. `Keep` fields are not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerUpdate {
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub country: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub metadata: Patch<Metadata>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<CustomerStatus>))]
    pub status: Patch<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub external_organization_id: Patch<String>,
}

impl CustomerUpdate {
    pub fn is_empty(&self) -> bool {
        self == &CustomerUpdate::default()
    }
}

/// Result of a delete. The real NovaBilling server answers `{ "message": ... }`,
/// so both fields have defaults and the client fills in the id it asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    #[serde(default)]
    pub id: String,
    #[serde(default = "yes")]
    pub deleted: bool,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

fn yes() -> bool {
    true
}

/// Body of `POST /api/customers/{id}/bind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BindRequest {
    pub external_id: String,
}

/// Result of a Stripe import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub created: u64,
    pub skipped: u64,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

/// The fields of a Stripe customer object that an import reads; Stripe's other
/// fields are accepted and ignored, so an export can be passed as it is.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StripeCustomer {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<StripeAddress>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub metadata: Option<Metadata>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StripeAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}
