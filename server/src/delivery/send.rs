//! One delivery attempt over HTTP: the signed POST and what came back.

use std::sync::Arc;
use std::time::Duration;

use novabilling::webhooks::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature};
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER, USER_AGENT};

use crate::ssrf::Guard;
use crate::store::outbox::Claimed;

const UA: &str = concat!("novabilling-server/", env!("CARGO_PKG_VERSION"), " (webhooks)");

/// The endpoint's answer.
pub struct Answer {
    pub status: u16,
    /// `Retry-After` in seconds, when sent as such.
    pub retry_after: Option<Duration>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The client every attempt uses: no redirects (a 3xx is a failure, and could
/// lead anywhere), no proxy from the environment (it would resolve names past
/// the guard), names resolved through the guard.
pub fn client(guard: &Arc<Guard>, timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    // reqwest is built without a TLS provider of its own; ring is the workspace's.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .dns_resolver(guard.resolver())
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
}

/// The `webhook-signature` value: the current secret's, and while a rotated-out
/// secret is still in its grace period, that one's too.
fn signatures(m: &Claimed, id: &str, ts: i64, body: &[u8], now_ms: i64) -> Result<String, String> {
    let mut sig = signature(&m.secret, id, ts, body).map_err(|e| format!("signing failed: {e}"))?;
    if let (Some(old), Some(until)) = (&m.previous_secret, m.previous_secret_expires_at) {
        if until > now_ms {
            let old = signature(old, id, ts, body).map_err(|e| format!("signing failed: {e}"))?;
            sig.push(' ');
            sig.push_str(&old);
        }
    }
    Ok(sig)
}

/// Every cause in an error's chain, so a refused or failed connection says why.
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !text.contains(&t) {
            text.push_str(": ");
            text.push_str(&t);
        }
        src = s.source();
    }
    text
}

/// POSTs the message's event, signed now (the timestamp is each attempt's own).
pub async fn attempt(client: &reqwest::Client, guard: &Guard, m: &Claimed, now_ms: i64) -> Result<Answer, String> {
    let url = reqwest::Url::parse(&m.url).map_err(|e| format!("invalid URL: {e}"))?;
    // reqwest resolves names through the guard, but connects to IP literals directly.
    let host = url.host_str().ok_or("the URL has no host")?;
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        guard.check_ip(&ip.to_string(), ip)?;
    }
    let ts = now_ms.div_euclid(1000);
    let body = m.payload.as_bytes();
    let sig = signatures(m, &m.event_id, ts, body, now_ms)?;
    let resp = client
        .post(url)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, UA)
        .header(ID_HEADER, &m.event_id)
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, sig)
        .body(m.payload.clone())
        .send()
        .await
        .map_err(|e| describe(&e))?;
    let retry_after = resp
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Ok(Answer { status: resp.status().as_u16(), retry_after })
}
