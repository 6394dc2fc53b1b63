//! The wire forms every model shares: partial-update fields, enums that keep
//! unknown values, timestamps, money, and what a response said beside its body.

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

            /// Reads a wire value in any case (the real NovaBilling server sends
            /// `TRIALING`); unknown values are kept as sent, never an error.
            pub fn from_wire(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($wire) {
                    return $name::$variant;
                })+
                $name::Unknown(s.to_owned())
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
    use super::{DateTime, Deserialize, Deserializer, SecondsFormat, Serializer, Utc, de};

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
        use super::{DateTime, Deserialize, Deserializer, Serializer, Utc, de, format};

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
    use super::{Decimal, Deserialize, Deserializer, FromStr, Serializer, Value, de};

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

/// An optional whole number (a count of seconds). JSON, and JSON Schema's
/// `integer`, may also write one as `3600.0` or `3.6e3`, as a client's float
/// does; a fraction, a sign or a number past `u64` is still refused.
pub(crate) mod whole {
    use super::{Deserialize, Deserializer, Value, de, money};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let n = match Option::<Value>::deserialize(d)? {
            None => return Ok(None),
            Some(Value::Number(n)) => n,
            Some(other) => return Err(de::Error::custom(format!("expected a whole number, got {other}"))),
        };
        if let Some(v) = n.as_u64() {
            return Ok(Some(v));
        }
        money::parse(&n.to_string())
            .ok()
            .filter(|v| v.scale() == 0)
            .and_then(|v| u64::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected a whole number, got {n}")))
    }
}

pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
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
