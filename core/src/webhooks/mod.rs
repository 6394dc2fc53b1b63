//! Webhooks as the Standard Webhooks specification (v1) signs them: verify a
//! delivery a server sent, and sign one for a receiver's own tests. The
//! server signs its deliveries with [`signature`] too, so sender and receivers
//! share one implementation.
//!
//! A signature is `v1,` and the base64 HMAC-SHA256, keyed with the secret's
//! bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. The
//! `webhook-signature` header holds one or more, separated by spaces (two
//! while a secret is being rotated).

mod event;
#[cfg(feature = "client")]
mod forward;
mod headers;
mod secret;

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub use event::{CUSTOMER_EVENT_PREFIX, IMPORTED_EVENT, WebhookEvent, customer_data, event_payload, imported_data};
#[cfg(feature = "client")]
pub use forward::{Forwarded, Forwarder};
pub use headers::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
pub use secret::{SECRET_PREFIX, WebhookSecret};

use crate::error::{Error, WebhookFailure};

/// How far a timestamp may be from now, either way, unless told otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// Checks that `body` was sent by the holder of one of `secrets`, recently,
/// and reads it as an event.
///
/// `headers` are the request's, in any casing (`svix-*` names are read too);
/// `body` must be the raw bytes as received: a body parsed and serialized
/// again differs from what was signed. More than one secret is accepted so a
/// receiver can hold both while a secret is rotated.
pub fn verify<K: AsRef<str>, V: AsRef<str>>(
    body: &[u8],
    headers: &[(K, V)],
    secrets: &[impl AsRef<str>],
    tolerance: Duration,
) -> Result<WebhookEvent, Error> {
    verify_at(body, headers, secrets, tolerance, unix_now())
}

/// [`verify`] with the current time given, in seconds since the Unix epoch.
pub fn verify_at<K: AsRef<str>, V: AsRef<str>>(
    body: &[u8],
    headers: &[(K, V)],
    secrets: &[impl AsRef<str>],
    tolerance: Duration,
    now: i64,
) -> Result<WebhookEvent, Error> {
    let keys = secret::parse_all(secrets)?;
    let h = headers::Received::find(headers)?;
    let timestamp = h.timestamp()?;
    let tol = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(timestamp) > tol {
        return Err(Error::webhook(
            WebhookFailure::TimestampTooOld,
            format!(
                "the {} {timestamp} is {} s old, more than the tolerance of {tol} s: a replayed delivery, \
                 or this machine's clock is ahead (check NTP)",
                h.timestamp_name,
                now - timestamp
            ),
        ));
    }
    if timestamp.saturating_sub(now) > tol {
        return Err(Error::webhook(
            WebhookFailure::TimestampTooNew,
            format!(
                "the {} {timestamp} is {} s in the future, more than the tolerance of {tol} s: \
                 this machine's clock is behind (check NTP)",
                h.timestamp_name,
                timestamp - now
            ),
        ));
    }
    let candidates = h.signatures()?;
    let matched = keys.iter().any(|key| {
        let mac = key.mac(h.id, h.timestamp_text, body);
        candidates.iter().any(|sig| mac.clone().verify_slice(sig).is_ok())
    });
    if !matched {
        return Err(Error::webhook(
            WebhookFailure::NoMatchingSignature,
            format!(
                "no signature in {} matches this body with the {} given: check that the secret is this \
                 endpoint's signing secret, and that the body is the raw request body as received \
                 (not parsed and serialized again, not decoded and re-encoded)",
                h.signature_name,
                if keys.len() == 1 { "secret".to_owned() } else { format!("{} secrets", keys.len()) }
            ),
        ));
    }
    WebhookEvent::parse(body)
}

/// The `webhook-signature` value for `body` sent as message `id` at `timestamp`
/// (seconds since the Unix epoch): `v1,` and the base64 HMAC-SHA256.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, Error> {
    let key = WebhookSecret::parse(secret)?;
    Ok(key.signature(id, &timestamp.to_string(), body))
}

/// The three headers a delivery of `body` carries, signed with `secret`, for a
/// receiver's own tests (as Stripe's `generateTestHeaderString`). `id`
/// defaults to one derived from the body and time, `timestamp` to now.
pub fn sign(body: &[u8], secret: &str, id: Option<&str>, timestamp: Option<i64>) -> Result<Vec<(String, String)>, Error> {
    Ok(WebhookSecret::parse(secret)?.headers(body, id, timestamp))
}

/// The error a binding raises when it is handed a parsed body (`what`: "dict",
/// "object") instead of the bytes that were signed.
pub fn body_not_raw(what: &str) -> Error {
    Error::webhook(
        WebhookFailure::BodyNotRaw,
        format!(
            "the body was passed as a parsed {what}: pass the raw body as received (bytes, or the exact text), \
             before any JSON parsing; a parsed body cannot be checked, since serializing it again changes its bytes"
        ),
    )
}

fn derived_id(body: &[u8], timestamp: i64) -> String {
    let mut h = Sha256::new();
    h.update(timestamp.to_be_bytes());
    h.update(body);
    let digest = h.finalize();
    let mut id = String::from("msg_");
    for b in digest.iter().take(12) {
        let _ = write!(id, "{b:02x}");
    }
    id
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

type HmacSha256 = Hmac<Sha256>;

impl WebhookSecret {
    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
        // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
        let mut mac = HmacSha256::new_from_slice(self.key()).unwrap_or_else(|_| unreachable!());
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// `v1,` and the base64 signature of one delivery.
    pub fn signature(&self, id: &str, timestamp: &str, body: &[u8]) -> String {
        let tag = self.mac(id, timestamp, body).finalize().into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// The three headers of a delivery of `body` (see [`sign`]).
    pub fn headers(&self, body: &[u8], id: Option<&str>, timestamp: Option<i64>) -> Vec<(String, String)> {
        let timestamp = timestamp.unwrap_or_else(unix_now);
        let id = id.map_or_else(|| derived_id(body, timestamp), str::to_owned);
        let signature = self.signature(&id, &timestamp.to_string(), body);
        vec![
            (ID_HEADER.to_owned(), id),
            (TIMESTAMP_HEADER.to_owned(), timestamp.to_string()),
            (SIGNATURE_HEADER.to_owned(), signature),
        ]
    }
}
