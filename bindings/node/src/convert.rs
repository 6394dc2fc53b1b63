//! JavaScript values <-> core types. Inputs arrive as JSON text in the wire
//! form (what `JSON.stringify` makes of the caller's object: `undefined` is
//! dropped, `null` kept), and every result leaves as one JSON string, which
//! the JS layer parses once. Nothing here validates, retries or builds URLs.

use std::collections::BTreeMap;
use std::time::Duration;

use novabilling::{
    ClientBuilder, Customer, Deleted, Error, FieldError, ImportResult, Invoice, List, Page, RequestOptions,
    ResponseMeta, Subscription, validate,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Reads a caller's object; a wrong shape is a ValidationError naming the field.
pub fn input<T: DeserializeOwned>(what: &str, json: &str) -> novabilling::Result<T> {
    Ok(validate::from_json(what, json)?)
}

fn millis(field: &str, ms: f64) -> novabilling::Result<Duration> {
    if !(ms.is_finite() && ms > 0.0) {
        return Err(FieldError::new(field, "invalid", format!("{field} must be a positive number of milliseconds, got {ms}")).into());
    }
    Duration::try_from_secs_f64(ms / 1000.0)
        .map_err(|e| FieldError::new(field, "invalid", format!("{field}: {e}")).into())
}

/// `new NovaBillingClient({...})`: what is unset comes from the environment, then defaults (in core).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    token: Option<String>,
    api_key: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<f64>,
    connect_timeout_ms: Option<f64>,
    max_retries: Option<u32>,
}

impl Config {
    pub fn builder(self, user_agent: &str) -> novabilling::Result<ClientBuilder> {
        let mut b = novabilling::Client::builder().user_agent(user_agent);
        if let Some(t) = self.token.or(self.api_key) {
            b = b.token(t);
        }
        if let Some(u) = self.base_url {
            b = b.base_url(u);
        }
        if let Some(ms) = self.timeout_ms {
            b = b.timeout(millis("timeoutMs", ms)?);
        }
        if let Some(ms) = self.connect_timeout_ms {
            b = b.connect_timeout(millis("connectTimeoutMs", ms)?);
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        Ok(b)
    }
}

/// Per-call options (`signal` stays in JS; it arrives as a [`crate::CancelToken`]).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallOptions {
    timeout_ms: Option<f64>,
    max_retries: Option<u32>,
    idempotency_key: Option<String>,
    if_match: Option<String>,
    headers: Option<BTreeMap<String, String>>,
}

pub fn options(json: Option<&str>) -> novabilling::Result<RequestOptions> {
    let Some(json) = json else { return Ok(RequestOptions::default()) };
    let o: CallOptions = input("options", json)?;
    Ok(RequestOptions {
        timeout: o.timeout_ms.map(|ms| millis("timeoutMs", ms)).transpose()?,
        max_retries: o.max_retries,
        idempotency_key: o.idempotency_key,
        if_match: o.if_match,
        headers: o.headers.unwrap_or_default().into_iter().collect(),
    })
}

/// A result on its way to JavaScript: the object in the API's wire form plus
/// what the response said beside it.
pub trait Output {
    fn encode(&self) -> serde_json::Result<String>;
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a, T: Serialize> {
    value: T,
    request_id: Option<&'a str>,
    etag: Option<&'a str>,
}

fn envelope<T: Serialize>(value: T, meta: &ResponseMeta) -> serde_json::Result<String> {
    serde_json::to_string(&Envelope { value, request_id: meta.request_id.as_deref(), etag: meta.etag.as_deref() })
}

macro_rules! output {
    ($($t:ty),*) => {$(
        impl Output for $t {
            fn encode(&self) -> serde_json::Result<String> {
                envelope(self, &self.response)
            }
        }
    )*};
}
output!(Customer, Subscription, Invoice, Deleted, ImportResult);

/// A customer's subscriptions or invoices: a plain array.
impl<T: Serialize> Output for List<T> {
    fn encode(&self) -> serde_json::Result<String> {
        envelope(&self.data, &self.response)
    }
}

/// One page, flattened as the JS page object exposes it, with the parameters
/// of the next page as core computes them (`null` after the last).
pub struct PageOut<P: Serialize> {
    pub page: Page<Customer>,
    pub next: Option<P>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageWire<'a, P: Serialize> {
    data: &'a [Customer],
    total: u64,
    page: u32,
    limit: u32,
    total_pages: u32,
    has_more: bool,
    next: &'a Option<P>,
}

impl<P: Serialize> Output for PageOut<P> {
    fn encode(&self) -> serde_json::Result<String> {
        let p = &self.page;
        let wire = PageWire {
            data: &p.data,
            total: p.total,
            page: p.page,
            limit: p.limit,
            total_pages: p.total_pages,
            has_more: self.next.is_some(),
            next: &self.next,
        };
        envelope(wire, &p.response)
    }
}

/// A core error as the payload the JS layer turns into its Error subclass:
/// `kind` is core's class name; `retryAfter` is in seconds.
pub fn error_payload(e: &Error) -> serde_json::Value {
    let (message, retry_after) = match e {
        Error::Api(api) => (api.message.clone(), api.retry_after.map(|d| d.as_secs_f64())),
        other => (other.to_string(), None),
    };
    json!({
        "error": {
            "kind": e.kind().class_name(),
            "message": message,
            "status": e.status(),
            "code": e.code(),
            "errors": e.field_errors(),
            "requestId": e.request_id(),
            "retryAfter": retry_after,
        }
    })
}

pub fn encode_result<T: Output>(r: novabilling::Result<T>) -> String {
    let encoded = match &r {
        Ok(v) => v.encode(),
        Err(e) => Ok(error_payload(e).to_string()),
    };
    encoded.unwrap_or_else(|e| {
        let err = Error::Decode { status: 0, message: format!("could not encode the result: {e}"), request_id: None };
        error_payload(&err).to_string()
    })
}
