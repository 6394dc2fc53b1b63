//! `client.keys()`: restricted keys, and the ephemeral keys a backend hands
//! one customer's app. Records here, behaviour in core.

use std::time::SystemTime;

use crate::error::NovaBillingError;
use crate::inputs::RequestOptions;
use crate::seconds::Seconds;

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// A secret or restricted key. `secret` (the key itself) only in the answer to `keys.create`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Key {
    pub id: String,
    /// `secret` or `restricted`.
    pub kind: String,
    pub livemode: bool,
    pub name: Option<String>,
    /// Such as `customers:read`; every scope for a secret key.
    pub scopes: Vec<String>,
    pub prefix: String,
    pub last4: Option<String>,
    pub secret: Option<String>,
    pub created_at: SystemTime,
    pub expires_at: Option<SystemTime>,
    /// To the minute.
    pub last_used_at: Option<SystemTime>,
    pub revoked_at: Option<SystemTime>,
    pub request_id: Option<String>,
}

impl From<novabilling::Key> for Key {
    fn from(k: novabilling::Key) -> Self {
        Key {
            id: k.id,
            kind: k.kind,
            livemode: k.livemode,
            name: k.name,
            scopes: k.scopes,
            prefix: k.prefix,
            last4: k.last4,
            secret: k.secret,
            created_at: k.created_at.into(),
            expires_at: k.expires_at.map(Into::into),
            last_used_at: k.last_used_at.map(Into::into),
            revoked_at: k.revoked_at.map(Into::into),
            request_id: k.response.request_id,
        }
    }
}

/// A key for one customer's app: it reads that customer and changes its name,
/// email, country and currency, nothing else. `secret` only in the answer that made it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EphemeralKey {
    pub id: String,
    pub customer_id: String,
    pub livemode: bool,
    pub secret: Option<String>,
    pub created_at: SystemTime,
    pub expires_at: SystemTime,
    pub revoked_at: Option<SystemTime>,
    pub request_id: Option<String>,
}

impl From<novabilling::EphemeralKey> for EphemeralKey {
    fn from(k: novabilling::EphemeralKey) -> Self {
        EphemeralKey {
            id: k.id,
            customer_id: k.customer_id,
            livemode: k.livemode,
            secret: k.secret,
            created_at: k.created_at.into(),
            expires_at: k.expires_at.into(),
            revoked_at: k.revoked_at.map(Into::into),
            request_id: k.response.request_id,
        }
    }
}

/// The body of `keys.create`: a restricted key.
#[derive(Debug, Clone, uniffi::Record)]
pub struct KeyCreate {
    /// `customers:read`, `customers:write`, ..., `keys:manage`.
    pub scopes: Vec<String>,
    #[uniffi(default)]
    pub name: Option<String>,
    /// Seconds until it stops working; without it, until revoked.
    #[uniffi(default)]
    pub expires_in: Option<u64>,
}

/// Restricted keys, and ephemeral keys for one customer's app.
#[derive(uniffi::Object)]
pub struct Keys {
    pub(crate) client: novabilling::Client,
}

fn ttl(t: Option<Seconds>) -> Result<Option<std::time::Duration>> {
    Ok(t.map(|s| s.span().check("ttl")).transpose()?)
}

impl Keys {
    fn core(&self, o: Option<RequestOptions>) -> novabilling::Keys {
        self.client.keys().with_options(o.map(Into::into).unwrap_or_default())
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Keys {
    /// `POST /api/keys`: a restricted `rk_` key; its `secret` is in this answer only.
    #[uniffi::method(default(options = None))]
    pub async fn create(&self, params: KeyCreate, options: Option<RequestOptions>) -> Result<Key> {
        let params = novabilling::KeyCreate { scopes: params.scopes, name: params.name, expires_in: params.expires_in };
        Ok(self.core(options).create(params).await?.into())
    }

    /// `GET /api/keys`: secret and restricted keys that are not revoked, without secrets.
    #[uniffi::method(default(options = None))]
    pub async fn list(&self, options: Option<RequestOptions>) -> Result<Vec<Key>> {
        Ok(self.core(options).list().await?.data.into_iter().map(Into::into).collect())
    }

    /// `DELETE /api/keys/{id}`: the key stops working at once.
    #[uniffi::method(default(options = None))]
    pub async fn revoke(&self, id: String, options: Option<RequestOptions>) -> Result<Key> {
        Ok(self.core(options).revoke(&id).await?.into())
    }

    /// `POST /api/ephemeral-keys`: an `ek_` key for this customer's app, for
    /// `ttl` (one hour by default, at most 24 hours).
    #[uniffi::method(default(ttl = None, options = None))]
    pub async fn create_ephemeral(&self, customer_id: String, ttl: Option<Seconds>, options: Option<RequestOptions>) -> Result<EphemeralKey> {
        let ttl = self::ttl(ttl)?;
        Ok(self.core(options).create_ephemeral(&customer_id, ttl).await?.into())
    }

    /// `createEphemeral` for the customer bound to your user id.
    #[uniffi::method(default(ttl = None, options = None))]
    pub async fn create_ephemeral_for_external_id(&self, external_id: String, ttl: Option<Seconds>, options: Option<RequestOptions>) -> Result<EphemeralKey> {
        let ttl = self::ttl(ttl)?;
        Ok(self.core(options).create_ephemeral_for_external_id(&external_id, ttl).await?.into())
    }

    /// `DELETE /api/ephemeral-keys/{id}`: the app's key stops working at once.
    #[uniffi::method(default(options = None))]
    pub async fn revoke_ephemeral(&self, id: String, options: Option<RequestOptions>) -> Result<EphemeralKey> {
        Ok(self.core(options).revoke_ephemeral(&id).await?.into())
    }
}
