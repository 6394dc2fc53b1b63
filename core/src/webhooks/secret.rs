//! Endpoint signing secrets: `whsec_` and the base64 of the key's bytes.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, WebhookFailure};

pub const SECRET_PREFIX: &str = "whsec_";

/// A parsed signing secret. Its `Debug` form never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSecret({} bytes)", self.key.len())
    }
}

fn invalid(message: String) -> Error {
    Error::webhook(WebhookFailure::InvalidSecret, message)
}

impl WebhookSecret {
    /// Reads `whsec_<base64>`, saying what is wrong with anything else.
    pub fn parse(text: &str) -> Result<WebhookSecret, Error> {
        if let Some(at) = text.find(char::is_whitespace) {
            return Err(invalid(format!(
                "the webhook secret has whitespace at character {}: copy it without spaces or line breaks \
                 (a secret read from a file or environment often ends with a newline; trim it)",
                at + 1
            )));
        }
        let Some(b64) = text.strip_prefix(SECRET_PREFIX) else {
            let what = if ["sk_", "rk_", "ek_", "pk_"].iter().any(|p| text.starts_with(p)) {
                "an API key was given"
            } else if text.is_empty() {
                "it is empty"
            } else {
                "it does not start with whsec_"
            };
            return Err(invalid(format!(
                "not a webhook signing secret ({what}): pass the endpoint's signing secret, `whsec_...`, \
                 returned once when the endpoint was created or its secret rotated"
            )));
        };
        let key = STANDARD.decode(b64).map_err(|e| {
            invalid(format!("the webhook secret after `whsec_` is not valid base64 ({e}): copy the whole secret"))
        })?;
        if key.is_empty() {
            return Err(invalid("the webhook secret has no key after `whsec_`: copy the whole secret".into()));
        }
        Ok(WebhookSecret { key })
    }

    /// A secret over `key`'s bytes.
    pub fn from_bytes(key: Vec<u8>) -> WebhookSecret {
        WebhookSecret { key }
    }

    /// A new secret of 32 random bytes (an endpoint's, or `listen`'s own).
    pub fn generate() -> WebhookSecret {
        WebhookSecret { key: rand::random::<[u8; 32]>().to_vec() }
    }

    /// The secret's text form, `whsec_<base64>`.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    pub(super) fn key(&self) -> &[u8] {
        &self.key
    }
}

pub(super) fn parse_all(secrets: &[impl AsRef<str>]) -> Result<Vec<WebhookSecret>, Error> {
    if secrets.is_empty() {
        return Err(invalid("no webhook secret was given: pass the endpoint's signing secret, `whsec_...`".into()));
    }
    secrets.iter().map(|s| WebhookSecret::parse(s.as_ref())).collect()
}
