//! API keys as the key-management routes show them (`/api/keys`,
//! `/api/ephemeral-keys`). The secret itself is in `secret` once, in the
//! answer that made the key; never again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::wire::{ResponseMeta, timestamp, whole};

/// A secret or restricted key, without its secret after creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Key {
    pub id: String,
    /// `secret` or `restricted`.
    pub kind: String,
    pub livemode: bool,
    #[serde(default)]
    pub name: Option<String>,
    /// What a restricted key may do; every scope for a secret key.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The key's first characters: `rk_live_`, `sk_test_` (with four more for a key made before checksums).
    pub prefix: String,
    /// The key's last four characters (part of its checksum), to tell keys apart.
    #[serde(default)]
    pub last4: Option<String>,
    /// The key itself: only in the answer that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<DateTime<Utc>>,
    /// When a request last used it, to the minute.
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

/// A short-lived key for one customer, for that customer's app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EphemeralKey {
    pub id: String,
    pub customer_id: String,
    pub livemode: bool,
    /// The key itself: only in the answer that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    #[serde(with = "timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: DateTime<Utc>,
    #[serde(default, with = "timestamp::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub response: ResponseMeta,
}

/// Body of `POST /api/keys`: a restricted key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyCreate {
    /// At least one of `customers:read`, `customers:write`, `customers:delete`, `customers:bind`,
    /// `customers:import`, `billing:read`, `billing:write`, `webhooks:manage`, `keys:manage`.
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seconds until it stops working; without it, it works until revoked.
    #[serde(default, deserialize_with = "whole::deserialize", skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
}

/// Body of `POST /api/ephemeral-keys`: one of `customerId` and `externalId`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EphemeralKeyCreate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Seconds it works: 1 to 86400, 3600 when absent.
    #[serde(default, deserialize_with = "whole::deserialize", skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
}
