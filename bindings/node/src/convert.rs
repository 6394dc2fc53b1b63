//! JavaScript values <-> core types. Inputs arrive as JSON text in the wire
//! form (what `JSON.stringify` makes of the caller's object: `undefined` is
//! dropped, `null` kept), and every result leaves as one JSON string, which
//! the JS layer parses once. Nothing here validates, retries or builds URLs.

use std::collections::BTreeMap;

use novabilling::{
    ClientConfig, Cursor, Customer, Deleted, EphemeralKey, Error, Key, ImportResult, Invoice, List, Page, RequestOptions, ResponseMeta,
    Span, Subscription, WebhookEvent, validate,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Reads a caller's object; a wrong shape is a ValidationError naming the field.
pub fn input<T: DeserializeOwned>(what: &str, json: &str) -> novabilling::Result<T> {
    Ok(validate::from_json(what, json)?)
}

/// `new NovaBillingClient({...})`, in JavaScript's names and units (milliseconds).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    token: Option<String>,
    api_key: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<f64>,
    connect_timeout_ms: Option<f64>,
    max_retries: Option<i64>,
    default_headers: Option<BTreeMap<String, String>>,
    ca_certificates: Option<String>,
    allow_secret_key: Option<bool>,
    /// Set by the JS layer when `window` and `document` exist (a browser).
    app_environment: Option<bool>,
}

impl Config {
    /// Core's configuration; core checks every value.
    pub fn into_core(self, user_agent: String) -> ClientConfig {
        ClientConfig {
            token: self.token,
            api_key: self.api_key,
            base_url: self.base_url,
            timeout: self.timeout_ms.map(Span::Millis),
            connect_timeout: self.connect_timeout_ms.map(Span::Millis),
            max_retries: self.max_retries,
            default_headers: self.default_headers.unwrap_or_default().into_iter().collect(),
            backoff: None,
            user_agent: Some(user_agent),
            ca_certificates: self.ca_certificates,
            allow_secret_key: self.allow_secret_key,
            app_environment: self.app_environment.unwrap_or(false),
        }
    }
}

/// Per-call options (`signal` stays in JS; it arrives as a [`crate::CancelToken`]).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallOptions {
    timeout_ms: Option<f64>,
    max_retries: Option<i64>,
    idempotency_key: Option<String>,
    if_match: Option<String>,
    headers: Option<BTreeMap<String, String>>,
}

pub fn options(json: Option<&str>) -> novabilling::Result<RequestOptions> {
    let Some(json) = json else { return Ok(RequestOptions::default()) };
    let o: CallOptions = input("options", json)?;
    Ok(RequestOptions {
        timeout: o.timeout_ms.map(Span::Millis),
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
output!(Customer, Subscription, Invoice, Deleted, ImportResult, Key, EphemeralKey, WebhookEvent);

/// A customer's subscriptions or invoices: a plain array.
impl<T: Serialize> Output for List<T> {
    fn encode(&self) -> serde_json::Result<String> {
        envelope(&self.data, &self.response)
    }
}

/// One page, flattened as the JS page object exposes it, with core's cursor
/// to the next page (`null` after the last).
pub struct PageOut(pub Page<Customer>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageWire<'a> {
    data: &'a [Customer],
    total: u64,
    page: u32,
    limit: u32,
    total_pages: u32,
    has_more: bool,
    next_cursor: Option<String>,
}

impl Output for PageOut {
    fn encode(&self) -> serde_json::Result<String> {
        let p = &self.0;
        let wire = PageWire {
            data: &p.data,
            total: p.total,
            page: p.page,
            limit: p.limit,
            total_pages: p.total_pages,
            has_more: p.next.is_some(),
            next_cursor: p.next.as_ref().map(Cursor::encode),
        };
        envelope(wire, &p.response)
    }
}

/// A page of events, flattened as the JS page object exposes it; events are
/// paged by number, so it carries no cursor.
pub struct EventPageOut(pub Page<WebhookEvent>);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventPageWire<'a> {
    data: &'a [WebhookEvent],
    total: u64,
    page: u32,
    limit: u32,
    total_pages: u32,
    has_more: bool,
}

impl Output for EventPageOut {
    fn encode(&self) -> serde_json::Result<String> {
        let p = &self.0;
        let wire = EventPageWire {
            data: &p.data,
            total: p.total,
            page: p.page,
            limit: p.limit,
            total_pages: p.total_pages,
            has_more: p.has_more(),
        };
        envelope(wire, &p.response)
    }
}

/// A core error as the payload the JS layer turns into its Error subclass,
/// with every field core gives every error; `retryAfter` is in seconds.
pub fn error_payload(e: &Error) -> serde_json::Value {
    json!({
        "error": {
            "kind": e.kind().class_name(),
            "message": e.message(),
            "status": e.status(),
            "code": e.code(),
            "errors": e.field_errors(),
            "requestId": e.request_id(),
            "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
            "requiredScope": e.required_scope(),
        }
    })
}
pub fn encode_result<T: Output>(r: &novabilling::Result<T>) -> String {
    let encoded = match r {
        Ok(v) => v.encode(),
        Err(e) => Ok(error_payload(e).to_string()),
    };
    encoded.unwrap_or_else(|e| {
        let err = Error::Decode { status: 0, message: format!("could not encode the result: {e}"), request_id: None };
        error_payload(&err).to_string()
    })
}
