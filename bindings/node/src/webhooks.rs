//! `webhooks.verify` and `webhooks.sign` for the JS layer (node/src/webhooks.ts):
//! core's functions, with each outcome returned as one JSON string
//! (`{"value": ...}` or the error payload every call uses).

// napi hands every argument over owned; borrowing is not an option here.
#![allow(clippy::needless_pass_by_value)]

use napi::bindgen_prelude::*;
use napi_derive::napi;
use novabilling::webhooks::{self, DEFAULT_TOLERANCE};
use novabilling::{Error, Span};
use serde_json::json;

use crate::convert::error_payload;

fn bytes(body: &Either<Buffer, String>) -> &[u8] {
    match body {
        Either::A(b) => b,
        Either::B(s) => s.as_bytes(),
    }
}

fn outcome(r: std::result::Result<serde_json::Value, Error>) -> String {
    match r {
        Ok(v) => json!({ "value": v }).to_string(),
        Err(e) => error_payload(&e).to_string(),
    }
}

/// `headers`: `[name, value]` pairs; `tolerance_ms`: milliseconds, else 5 minutes.
#[napi]
pub fn webhooks_verify(
    body: Either<Buffer, String>,
    headers: Vec<Vec<String>>,
    secrets: Vec<String>,
    tolerance_ms: Option<f64>,
) -> String {
    outcome((|| {
        let pairs: Vec<(&str, &str)> =
            headers.iter().filter_map(|p| Some((p.first()?.as_str(), p.get(1)?.as_str()))).collect();
        let tolerance = match tolerance_ms {
            None => DEFAULT_TOLERANCE,
            Some(ms) => Span::Millis(ms).check("toleranceMs")?,
        };
        let event = webhooks::verify(bytes(&body), &pairs, &secrets, tolerance)?;
        serde_json::to_value(&event).map_err(|e| Error::Decode { status: 0, message: e.to_string(), request_id: None })
    })())
}

/// The three headers of a delivery of `body`, as an object.
#[napi]
pub fn webhooks_sign(body: Either<Buffer, String>, secret: String, id: Option<String>, timestamp: Option<i64>) -> String {
    outcome(webhooks::sign(bytes(&body), &secret, id.as_deref(), timestamp).map(|headers| {
        serde_json::Value::Object(headers.into_iter().map(|(k, v)| (k, v.into())).collect())
    }))
}

/// The error for a body handed over parsed (`what`: its JavaScript type).
#[napi]
pub fn webhooks_body_not_raw(what: String) -> String {
    error_payload(&webhooks::body_not_raw(&what)).to_string()
}
