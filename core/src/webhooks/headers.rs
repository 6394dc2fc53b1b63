//! The three headers of a delivery, found in any casing, under the Standard
//! Webhooks names or the `svix-` names that Svix and its users send.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, WebhookFailure};

pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The delivery's headers, borrowed from the caller's list.
pub(super) struct Received<'a> {
    pub id: &'a str,
    pub timestamp_text: &'a str,
    pub timestamp_name: &'static str,
    pub signature: &'a str,
    pub signature_name: &'static str,
}

fn find<'a, K: AsRef<str>, V: AsRef<str>>(headers: &'a [(K, V)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.as_ref().trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref().trim())
}

fn one<'a, K: AsRef<str>, V: AsRef<str>>(headers: &'a [(K, V)], name: &'static str) -> Result<(&'a str, &'static str), Error> {
    let svix = match name {
        ID_HEADER => "svix-id",
        TIMESTAMP_HEADER => "svix-timestamp",
        _ => "svix-signature",
    };
    if let Some(v) = find(headers, name) {
        return Ok((v, name));
    }
    if let Some(v) = find(headers, svix) {
        return Ok((v, svix));
    }
    let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_ref()).take(12).collect();
    Err(Error::webhook(
        WebhookFailure::MissingHeader,
        format!(
            "the {name} header is missing (headers given: {}): pass every header of the request as received, \
             e.g. request.headers",
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        ),
    ))
}

impl<'a> Received<'a> {
    pub fn find<K: AsRef<str>, V: AsRef<str>>(headers: &'a [(K, V)]) -> Result<Received<'a>, Error> {
        let (id, _) = one(headers, ID_HEADER)?;
        let (timestamp_text, timestamp_name) = one(headers, TIMESTAMP_HEADER)?;
        let (signature, signature_name) = one(headers, SIGNATURE_HEADER)?;
        Ok(Received { id, timestamp_text, timestamp_name, signature, signature_name })
    }

    /// Seconds since the Unix epoch.
    pub fn timestamp(&self) -> Result<i64, Error> {
        self.timestamp_text.parse::<i64>().map_err(|_| {
            Error::webhook(
                WebhookFailure::InvalidHeader,
                format!(
                    "the {} header is {:?}, not a whole number of seconds since the Unix epoch",
                    self.timestamp_name, self.timestamp_text
                ),
            )
        })
    }

    /// The decoded `v1` signatures; entries of other versions are skipped, as
    /// the specification asks.
    pub fn signatures(&self) -> Result<Vec<Vec<u8>>, Error> {
        let sigs: Vec<Vec<u8>> = self
            .signature
            .split(' ')
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|b64| STANDARD.decode(b64).ok())
            .collect();
        if sigs.is_empty() {
            return Err(Error::webhook(
                WebhookFailure::InvalidHeader,
                format!(
                    "the {} header holds no `v1,<base64>` signature (it is {:?})",
                    self.signature_name,
                    self.signature.chars().take(80).collect::<String>()
                ),
            ));
        }
        Ok(sigs)
    }
}
