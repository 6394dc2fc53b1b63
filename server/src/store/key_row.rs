//! A stored key as the routes and the authentication read it, apart from the
//! queries so that the key cache (`store::key_cache`, held by `Db`) can hold it.

use novabilling::keys::{KeyKind, Scope};
use novabilling::model::{EphemeralKey, Key, ResponseMeta};

use crate::clock::ms_to_time;

/// A stored key, as the routes and the authentication read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub id: String,
    pub tenant_id: String,
    pub kind: String,
    pub livemode: bool,
    pub name: Option<String>,
    pub scopes: Option<String>,
    pub customer_id: Option<String>,
    pub prefix: String,
    pub last4: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub(crate) const COLUMNS: &str = "id, tenant_id, kind, livemode, name, scopes, customer_id, prefix, last4, created_at, expires_at, \
                       last_used_at, revoked_at";

impl KeyRow {
    pub fn kind(&self) -> KeyKind {
        KeyKind::from_name(&self.kind).unwrap_or(KeyKind::Restricted)
    }

    /// Its scopes: all of them for a secret key; none for an ephemeral key
    /// (what it may do is decided by the route, for its customer only).
    pub fn scopes(&self) -> Vec<Scope> {
        match self.kind() {
            KeyKind::Secret => Scope::ALL.to_vec(),
            KeyKind::Restricted => self.scopes.as_deref().unwrap_or("").split_whitespace().filter_map(Scope::parse).collect(),
            KeyKind::Ephemeral => Vec::new(),
        }
    }

    pub fn into_key(self) -> Key {
        Key {
            scopes: self.scopes().iter().map(|s| s.as_str().to_owned()).collect(),
            kind: self.kind,
            id: self.id,
            livemode: self.livemode,
            name: self.name,
            prefix: self.prefix,
            last4: self.last4,
            secret: None,
            created_at: ms_to_time(self.created_at),
            expires_at: self.expires_at.map(ms_to_time),
            last_used_at: self.last_used_at.map(ms_to_time),
            revoked_at: self.revoked_at.map(ms_to_time),
            response: ResponseMeta::default(),
        }
    }

    pub fn into_ephemeral(self) -> EphemeralKey {
        EphemeralKey {
            id: self.id,
            customer_id: self.customer_id.unwrap_or_default(),
            livemode: self.livemode,
            secret: None,
            created_at: ms_to_time(self.created_at),
            expires_at: ms_to_time(self.expires_at.unwrap_or(self.created_at)),
            revoked_at: self.revoked_at.map(ms_to_time),
            response: ResponseMeta::default(),
        }
    }
}
