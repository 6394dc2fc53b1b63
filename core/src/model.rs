//! The wire models of spec/API.md.
//!
//! Serialization writes the project's canonical wire form (what the server
//! sends). Deserialization is lenient where the real NovaBilling server differs:
//! explicit nulls, `metadata: null`, missing `status`, money as strings.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::FieldError;

/// A JSON object: customer metadata, Stripe objects.
pub type Metadata = Map<String, Value>;

/// One field of a partial update: leave it alone, clear it (JSON `null`) or set it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(v),
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `None` clears, `Some` sets: the meaning of an explicit argument.
    fn from(v: Option<T>) -> Self {
        v.map_or(Patch::Clear, Patch::Set)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(s),
            // Keep is skipped by `skip_serializing_if`; if it ever gets here, null is the safe reading.
            Patch::Keep | Patch::Clear => s.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// Present and null clears; present with a value sets; absent is `Keep` via `#[serde(default)]`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.into())
    }
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? } $(default $default:ident)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this SDK version does not know; kept as sent.
            Unknown(String),
        }

        impl $name {
            pub const ALLOWED: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Reads a wire value; unknown values are kept, never an error.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Parses a caller's value against the allow-list.
            pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
                Self::from_wire(s).known(field)
            }

            /// Rejects a value outside the allow-list, naming what is allowed.
            pub fn known(self, field: &str) -> Result<Self, FieldError> {
                match self {
                    $name::Unknown(s) => Err(FieldError::new(
                        field,
                        "not_allowed",
                        format!("{field} must be one of {}, got {s:?}", Self::ALLOWED.join(", ")),
                    )),
                    known => Ok(known),
                }
            }
        }

        $(
            impl Default for $name {
                fn default() -> Self {
                    $name::$default
                }
            }
        )?

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::from_wire(&s))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALLOWED.iter().copied()))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

wire_enum!(
    /// `active` or `inactive`.
    CustomerStatus { Active = "active", Inactive = "inactive" } default Active
);
wire_enum!(SubscriptionStatus { Active = "active", Trialing = "trialing", Canceled = "canceled" } default Active);
wire_enum!(InvoiceStatus { Draft = "draft", Open = "open", Paid = "paid", Void = "void" } default Open);
wire_enum!(
    /// Sort keys of the list route.
    SortBy { CreatedAt = "createdAt", UpdatedAt = "updatedAt", Name = "name", Email = "email" }
);
wire_enum!(SortOrder { Asc = "asc", Desc = "desc" });

/// Timestamps on the wire: RFC 3339, UTC, milliseconds, `Z`.
pub mod timestamp {
    use super::*;

    pub fn format(t: &DateTime<Utc>) -> String {
        t.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| de::Error::custom(format!("invalid timestamp {s:?}: {e}")))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&format(t)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
                None => Ok(None),
                Some(s) => DateTime::parse_from_rfc3339(&s)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(|e| de::Error::custom(format!("invalid timestamp {s:?}: {e}"))),
            }
        }
    }
}

/// Money in major units, exact. Sent as a JSON number; read from a number or a decimal string.
pub mod money {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let n = v.normalize();
        if n.scale() == 0 {
            if let Ok(i) = i64::try_from(n.mantissa()) {
                return s.serialize_i64(i);
            }
        }
        // f64 prints the shortest form that reads back to the same value, so
        // amounts with up to 15 significant digits survive the trip exactly.
        s.serialize_f64(n.to_string().parse::<f64>().map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(Decimal::ZERO),
            Value::Number(n) => parse(&n.to_string()).map_err(de::Error::custom),
            Value::String(s) => parse(&s).map_err(de::Error::custom),
            other => Err(de::Error::custom(format!("expected an amount, got {other}"))),
        }
    }

    pub fn parse(s: &str) -> Result<Decimal, String> {
        Decimal::from_str(s)
            .or_else(|_| Decimal::from_scientific(s))
            .map(|d| d.normalize())
            .map_err(|_| format!("invalid amount {s:?}"))
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

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

/// What a response said beside its body.
#[derive(Debug, Clone, Default)]
pub struct ResponseMeta {
    pub request_id: Option<String>,
    pub etag: Option<String>,
}

/// Two results are equal when their objects are: which response carried
/// them (request id, ETag) is not part of the value.
impl PartialEq for ResponseMeta {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ResponseMeta {}

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

/// Paging of every list route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Query of `GET /api/customers`. Only the fields set are sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SortBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl ListParams {
    pub fn paging(&self) -> PageParams {
        PageParams { page: self.page, limit: self.limit }
    }

    /// The parameters of the page after `page`, or `None` after the last one.
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<ListParams> {
        page.has_more().then(|| ListParams { page: Some(page.page + 1), ..self.clone() })
    }
}

impl PageParams {
    /// The parameters of the page after `page`, or `None` after the last one.
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<PageParams> {
        page.has_more().then(|| PageParams { page: Some(page.page + 1), limit: self.limit })
    }
}

/// One page of a list route.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub limit: u32,
    pub total_pages: u32,
    pub response: ResponseMeta,
}

impl<T> Page<T> {
    pub fn has_more(&self) -> bool {
        !self.data.is_empty() && self.page < self.total_pages
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    pub total: u64,
    pub page: u32,
    pub limit: u32,
    pub total_pages: u32,
}

#[derive(Serialize, Deserialize)]
struct PageWire<T> {
    data: Vec<T>,
    meta: PageMeta,
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a, T> {
            data: &'a [T],
            meta: PageMeta,
        }
        Borrowed {
            data: &self.data,
            meta: PageMeta { total: self.total, page: self.page, limit: self.limit, total_pages: self.total_pages },
        }
        .serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = PageWire::<T>::deserialize(d)?;
        Ok(Page {
            data: w.data,
            total: w.meta.total,
            page: w.meta.page,
            limit: w.meta.limit,
            total_pages: w.meta.total_pages,
            response: ResponseMeta::default(),
        })
    }
}

/// A list that is not paged (a customer's subscriptions or invoices).
/// Reads `{ "data": [...] }` and a bare array alike.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub data: Vec<T>,
    pub response: ResponseMeta,
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a, T> {
            data: &'a [T],
        }
        Borrowed { data: &self.data }.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire<T> {
            Bare(Vec<T>),
            Wrapped { data: Vec<T> },
        }
        let data = match Wire::<T>::deserialize(d)? {
            Wire::Bare(v) | Wire::Wrapped { data: v } => v,
        };
        Ok(List { data, response: ResponseMeta::default() })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    #[serde(default)]
    pub customer_id: String,
    #[serde(default)]
    pub plan_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: SubscriptionStatus,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub canceled_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: String,
    #[serde(default)]
    pub customer_id: String,
    #[serde(default, with = "money")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Decimal,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: InvoiceStatus,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub paid_at: Option<DateTime<Utc>>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub voided_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
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
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none_map")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub metadata: Option<Metadata>,
}

fn null_as_none_map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Metadata>, D::Error> {
    Option::<Metadata>::deserialize(d)
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StripeAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Body of `POST /api/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionCreate {
    pub customer_id: String,
    pub plan_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SubscriptionStatus>,
}

/// Body of `POST /api/invoices`. `amount` in major units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceCreate {
    pub customer_id: String,
    #[serde(with = "money")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InvoiceStatus>,
}

/// The error body both servers send (the real NovaBilling one has no `code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

