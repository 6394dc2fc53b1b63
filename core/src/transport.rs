//! HTTP: one request with retries, idempotency keys, timeouts and request ids.

use std::fmt;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, FieldError, Result};
use crate::model::{Customer, EphemeralKey, Key, Deleted, ImportResult, Invoice, List, Page, ResponseMeta, Subscription};
use crate::options::RequestOptions;
use crate::webhooks::WebhookEvent;

/// A `Retry-After` longer than this is not waited for: the error reaches the caller.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// An API key that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Result<ApiKey, FieldError> {
        let key = key.into();
        if key.is_empty() {
            return Err(missing_key());
        }
        if key.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
            return Err(FieldError::new(
                "token",
                "invalid",
                "the API key contains spaces or characters that cannot be sent in a header; copy it again",
            ));
        }
        if crate::keys::kind_of(&key).is_err() {
            return Err(FieldError::new(
                "token",
                "invalid",
                "the API key's checksum (its last 6 characters) does not match: it was mistyped or cut short; copy it again",
            ));
        }
        Ok(ApiKey(key))
    }

    /// `sk`, `rk` or `ek` when the key is one of ours.
    pub fn kind(&self) -> Option<crate::keys::KeyKind> {
        crate::keys::kind_of(&self.0).ok().flatten()
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The kind and mode, never a character of the secret part.
    fn redacted(&self) -> String {
        match self.0.get(..8) {
            Some(head) if self.kind().is_some() => format!("{head}…"),
            _ => "…".to_owned(),
        }
    }
}

fn missing_key() -> FieldError {
    FieldError::new("token", "required", "no API key: pass token=... to the client or set NOVABILLING_API_KEY")
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.redacted())
    }
}

/// Response metadata that every result carries.
pub(crate) trait WithMeta {
    fn meta_mut(&mut self) -> &mut ResponseMeta;
}

macro_rules! with_meta {
    ($($t:ty),*) => {$(
        impl WithMeta for $t {
            fn meta_mut(&mut self) -> &mut ResponseMeta { &mut self.response }
        }
    )*};
}
with_meta!(
    Customer, Subscription, Invoice, ImportResult, Deleted, Page<Customer>, List<Subscription>, List<Invoice>, Key, List<Key>, WebhookEvent, Page<WebhookEvent>,
    EphemeralKey
);

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    key: ApiKey,
    auth: HeaderValue,
    base_url: String,
    timeout: Duration,
    max_retries: u32,
    backoff: Backoff,
}

/// Exponential backoff with jitter: base * 2^attempt, capped, minus up to a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base: Duration::from_millis(500), max: Duration::from_secs(8) }
    }
}

impl Backoff {
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra;
        }
        let exp = self.base.saturating_mul(1u32 << attempt.min(16));
        let capped = exp.min(self.max);
        capped.mul_f64(1.0 - 0.25 * rand::random::<f64>())
    }
}

pub(crate) struct TransportConfig {
    pub key: ApiKey,
    pub base_url: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_retries: u32,
    pub backoff: Backoff,
    pub headers: HeaderMap,
    pub user_agent: String,
    pub ca_roots: Vec<rustls_pki_types::CertificateDer<'static>>,
}

/// Checks and normalizes a base URL: an http(s) origin, optionally with a path
/// prefix; a trailing `/` or `/api` is dropped since routes add `/api` themselves.
pub fn base_url(s: &str) -> Result<String, FieldError> {
    let bad = |why: &str| {
        FieldError::new("base_url", "invalid", format!("base URL {s:?} {why}; expected something like \"http://localhost:3000\""))
    };
    let url = url::Url::parse(s).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    let mut out = url.as_str().trim_end_matches('/').to_owned();
    if out.ends_with("/api") {
        out.truncate(out.len() - 4);
    }
    Ok(out)
}

impl Transport {
    pub(crate) fn new(c: TransportConfig) -> Result<Transport> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", c.key.expose())).map_err(|_| Error::from(missing_key()))?;
        auth.set_sensitive(true);
        let mut headers = c.headers;
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(c.user_agent)
            .default_headers(headers)
            .connect_timeout(c.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .tls_backend_preconfigured(crate::tls::config(c.ca_roots)?)
            .build()
            .map_err(|e| Error::Connection { message: format!("could not build the HTTP client: {e}") })?;
        Ok(Transport {
            http,
            key: c.key,
            auth,
            base_url: c.base_url,
            timeout: c.timeout,
            max_retries: c.max_retries,
            backoff: c.backoff,
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn key(&self) -> &ApiKey {
        &self.key
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Sends one logical call: retried on connection errors, timeouts, 408, 429
    /// and 5xx, with the same idempotency key on every attempt.
    pub(crate) async fn send<T, Q, B>(
        &self,
        method: Method,
        path: &str,
        query: Option<&Q>,
        body: Option<&B>,
        opts: &RequestOptions,
    ) -> Result<T>
    where
        T: DeserializeOwned + WithMeta,
        Q: Serialize + ?Sized,
        B: Serialize + ?Sized,
    {
        let url = format!("{}{}", self.base_url, path);
        let body = match body {
            Some(b) => Some(serde_json::to_vec(b).map_err(|e| Error::Decode {
                status: 0,
                message: format!("could not encode the request: {e}"),
                request_id: None,
            })?),
            None => None,
        };
        let opts = opts.check()?;
        let idempotency_key = if method == Method::GET {
            None
        } else {
            match opts.idempotency_key {
                Some(k) => Some(k),
                None => Some(HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()).map_err(|_| {
                    Error::from(FieldError::new("idempotency_key", "invalid", "could not make an idempotency key"))
                })?),
            }
        };
        let extra = opts.headers;
        let timeout = opts.timeout.unwrap_or(self.timeout);
        let max_retries = opts.max_retries.unwrap_or(self.max_retries);

        let mut attempt = 0u32;
        loop {
            let mut req = self
                .http
                .request(method.clone(), &url)
                .header(header::AUTHORIZATION, self.auth.clone())
                .headers(extra.clone())
                .timeout(timeout);
            if let Some(q) = query {
                req = req.query(q);
            }
            if let Some(k) = &idempotency_key {
                req = req.header("idempotency-key", k.clone());
            }
            if let Some(b) = &body {
                req = req.header(header::CONTENT_TYPE, "application/json").body(b.clone());
            }
            let retry_after;
            let failure = match self.attempt::<T>(req, timeout).await {
                Ok(v) => return Ok(v),
                Err(Attempt::Final(e)) => return Err(e),
                Err(Attempt::Retryable(e)) => {
                    retry_after = match &e {
                        Error::Api(a) => a.retry_after,
                        _ => None,
                    };
                    e
                }
            };
            let too_long = retry_after.is_some_and(|ra| ra > MAX_RETRY_AFTER);
            if attempt >= max_retries || too_long {
                return Err(failure);
            }
            tokio::time::sleep(self.backoff.delay(attempt, retry_after)).await;
            attempt += 1;
        }
    }

    async fn attempt<T: DeserializeOwned + WithMeta>(
        &self,
        req: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<T, Attempt> {
        let resp = req.send().await.map_err(|e| Attempt::Retryable(transport_error(e, timeout)))?;
        let status = resp.status();
        let headers = resp.headers();
        let request_id = header_str(headers, "x-request-id");
        let etag = header_str(headers, "etag");
        let retry_after = retry_after(headers);
        // A body cut off mid-way is a connection failure, worth a retry.
        let bytes = resp.bytes().await.map_err(|e| Attempt::Retryable(transport_error(e, timeout)))?;
        if status.is_success() {
            let mut value: T = serde_json::from_slice(&bytes).map_err(|e| {
                Attempt::Final(Error::Decode {
                    status: status.as_u16(),
                    message: format!("{e}; body starts {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)])),
                    request_id: request_id.clone(),
                })
            })?;
            *value.meta_mut() = ResponseMeta { request_id, etag };
            return Ok(value);
        }
        let err = ApiError::from_response(status.as_u16(), request_id, retry_after, &bytes);
        if is_retryable(status, &err.code) { Err(Attempt::Retryable(err.into())) } else { Err(Attempt::Final(err.into())) }
    }
}

enum Attempt {
    Retryable(Error),
    Final(Error),
}

/// 409 `idempotency_key_in_use` too: this call's own earlier attempt is still
/// running (its answer was lost, or it outlived the timeout), so a later attempt
/// replays its result; Stripe's SDKs retry it for the same reason.
fn is_retryable(s: StatusCode, code: &str) -> bool {
    matches!(s.as_u16(), 408 | 429)
        || (s.is_server_error() && s != StatusCode::NOT_IMPLEMENTED)
        || (s == StatusCode::CONFLICT && code == "idempotency_key_in_use")
}

fn transport_error(e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        return Error::Timeout { timeout };
    }
    // reqwest's Display hides the cause chain, which is where "connection refused" lives.
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Connection { message }
}

fn header_str(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date.
pub fn retry_after(h: &HeaderMap) -> Option<Duration> {
    if let Some(ms) = h.get("retry-after-ms").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    parse_retry_after(h.get(header::RETRY_AFTER)?.to_str().ok()?, chrono::Utc::now())
}

pub fn parse_retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    Some((at.with_timezone(&chrono::Utc) - now).to_std().unwrap_or(Duration::ZERO))
}
