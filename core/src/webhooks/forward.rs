//! Forwarding events to a local receiver as deliveries, signed with a secret
//! of the caller's (what `novabilling listen --forward-to` does): the body is
//! the event's wire form and the headers are the ones the server sends, so the
//! receiver's own verification runs unchanged.

use std::time::{Duration, Instant};

use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use super::{WebhookEvent, WebhookSecret};
use crate::error::{Error, FieldError};

/// How much of a receiver's answer a forward keeps, to show why it failed.
const BODY_EXCERPT_CHARS: usize = 500;

/// Posts events to one URL.
#[derive(Debug, Clone)]
pub struct Forwarder {
    http: reqwest::Client,
    url: reqwest::Url,
    secret: WebhookSecret,
}

/// What one forward came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forwarded {
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// Whether it answered 2xx, which a delivery counts as received.
    pub ok: bool,
    pub duration_ms: u64,
    /// The start of the receiver's answer, or why there was none.
    pub detail: String,
}

impl Forwarder {
    /// A forwarder to `url` (http or https), signing with `secret`
    /// (`whsec_...`); each forward gives up after `timeout`.
    pub fn new(url: &str, secret: &str, timeout: Duration) -> Result<Forwarder, Error> {
        // A bad secret is a bad argument here, not a delivery that failed to verify.
        let secret = WebhookSecret::parse(secret).map_err(|e| Error::from(FieldError::new("secret", "invalid", e.message())))?;
        let bad = |why: &str| Error::from(FieldError::new("forward_to", "invalid", format!("{url:?} {why}")));
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(&format!("is not a URL ({e}); give one such as http://localhost:3000/webhooks")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("is not an http or https URL"));
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(crate::tls::config(Vec::new())?)
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Connection { message: format!("could not set up HTTP: {e}") })?;
        Ok(Forwarder { http, url: parsed, secret })
    }

    /// Sends `event` as a delivery of it: its id as `webhook-id`, now as its
    /// timestamp. A receiver that fails or cannot be reached is reported, not an error.
    pub async fn forward(&self, event: &WebhookEvent) -> Forwarded {
        let body = event.to_wire().to_string().into_bytes();
        let started = Instant::now();
        let mut request = self.http.post(self.url.clone()).header(CONTENT_TYPE, "application/json");
        for (k, v) in self.secret.headers(&body, Some(&event.id), None) {
            request = request.header(k, v);
        }
        let answer = request.body(body).send().await;
        let (status, detail) = match answer {
            Ok(r) => {
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                (Some(status), text.chars().take(BODY_EXCERPT_CHARS).collect())
            }
            Err(e) => (None, format!("{} could not be reached: {e}", self.url)),
        };
        Forwarded {
            status: status.map(|s| s.as_u16()),
            ok: status.is_some_and(|s| s.is_success()),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            detail,
        }
    }
}
