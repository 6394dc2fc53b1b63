//! Per-call options and the checks every setting of time, retries and
//! headers passes, per client and per call alike: one code per mistake,
//! whichever language the value came from.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{FieldError, Result};

/// The most retries a client or a call may ask for.
pub const MAX_RETRIES_LIMIT: i64 = 20;

/// A span of time as the caller wrote it, in the unit of their language.
/// Bindings hand it over unchecked, so a zero, negative or non-finite value
/// gets the same error everywhere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    Seconds(f64),
    Millis(f64),
}

impl From<Duration> for Span {
    fn from(d: Duration) -> Self {
        Span::Seconds(d.as_secs_f64())
    }
}

impl Span {
    /// The span as a positive `Duration`, or `out_of_range` naming `field`.
    pub fn check(self, field: &str) -> Result<Duration, FieldError> {
        let (value, secs, unit) = match self {
            Span::Seconds(s) => (s, s, "seconds"),
            Span::Millis(ms) => (ms, ms / 1000.0, "milliseconds"),
        };
        let out_of_range =
            || FieldError::new(field, "out_of_range", format!("{field} must be a positive number of {unit}, got {value}"));
        if !(secs.is_finite() && secs > 0.0) {
            return Err(out_of_range());
        }
        match Duration::try_from_secs_f64(secs) {
            Ok(d) if !d.is_zero() => Ok(d),
            _ => Err(out_of_range()),
        }
    }
}

/// Retries after the first attempt: 0 (none) up to [`MAX_RETRIES_LIMIT`].
pub fn check_max_retries(field: &str, n: i64) -> Result<u32, FieldError> {
    if (0..=MAX_RETRIES_LIMIT).contains(&n) {
        Ok(u32::try_from(n).unwrap_or(0))
    } else {
        Err(FieldError::new(field, "out_of_range", format!("{field} must be between 0 and {MAX_RETRIES_LIMIT}, got {n}")))
    }
}

/// Header names and values as HTTP allows them.
pub fn check_headers(field: &str, headers: &[(String, String)]) -> Result<HeaderMap, FieldError> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| FieldError::new(field, "invalid", format!("{k:?} is not a valid header name")))?;
        let value = HeaderValue::from_str(v)
            .map_err(|_| FieldError::new(field, "invalid", format!("the value of header {k} must be visible ASCII")))?;
        map.append(name, value);
    }
    Ok(map)
}

fn check_token(field: &str, v: &str, what: &str) -> Result<HeaderValue, FieldError> {
    if v.is_empty() {
        return Err(FieldError::new(field, "invalid", format!("{field} must not be empty")));
    }
    HeaderValue::from_str(v).map_err(|_| FieldError::new(field, "invalid", format!("{what} must be visible ASCII")))
}

/// Options of one call; unset fields take the client's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// Total time for one attempt, from sending to the last byte of the body.
    pub timeout: Option<Span>,
    pub max_retries: Option<i64>,
    /// Sent on POST, PATCH and DELETE; generated once per call when unset.
    pub idempotency_key: Option<String>,
    pub if_match: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// [`RequestOptions`] after their checks, ready for the transport.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckedOptions {
    pub timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub idempotency_key: Option<HeaderValue>,
    pub headers: HeaderMap,
}

impl RequestOptions {
    /// Every problem of these options at once, as a `ValidationError`.
    pub(crate) fn check(&self) -> Result<CheckedOptions> {
        let mut problems = crate::error::Problems::default();
        let timeout = self.timeout.and_then(|t| problems.check(t.check("timeout")));
        let max_retries = self.max_retries.and_then(|n| problems.check(check_max_retries("max_retries", n)));
        let idempotency_key = self
            .idempotency_key
            .as_deref()
            .and_then(|k| problems.check(check_token("idempotency_key", k, "the idempotency key")));
        let mut headers = problems.check(check_headers("headers", &self.headers)).unwrap_or_default();
        if let Some(tag) = self.if_match.as_deref().and_then(|t| problems.check(check_token("if_match", t, "the ETag"))) {
            headers.insert(reqwest::header::IF_MATCH, tag);
        }
        Ok(problems.finish(CheckedOptions { timeout, max_retries, idempotency_key, headers })?)
    }
}
