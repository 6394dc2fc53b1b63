//! A server's error answer: both servers' bodies, and what is read from
//! anything else (a proxy's HTML page, an empty body).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use super::field::FieldError;
use super::kind::ErrorKind;

/// The error body both servers send (the real NovaBilling one has no `code`,
/// and sends `errors: null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// With 403 `insufficient_scope`: the scope the key lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_scope: Option<String>,
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FieldError>, D::Error> {
    Ok(Option::<Vec<FieldError>>::deserialize(d)?.unwrap_or_default())
}

/// A non-2xx answer from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// Stable and machine-readable. Derived from the status when the server sent none.
    pub code: String,
    pub message: String,
    pub errors: Vec<FieldError>,
    pub request_id: Option<String>,
    /// From `Retry-After` (or `retry-after-ms`), when the server sent one.
    pub retry_after: Option<Duration>,
    /// The scope the key lacks (403 `insufficient_scope`).
    pub required_scope: Option<String>,
}

impl ApiError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::for_status(self.status)
    }

    /// Reads an error response: the project's body, the real NovaBilling body
    /// (no `code`), or anything else (non-JSON, empty, a proxy's HTML page).
    pub fn from_response(status: u16, request_id: Option<String>, retry_after: Option<Duration>, body: &[u8]) -> ApiError {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let (code, message, errors, body_request_id, required_scope) = if let Some(b) = parsed {
            let message = if b.message.is_empty() { default_message(status) } else { b.message };
            let code = b.code.filter(|c| !c.is_empty()).unwrap_or_else(|| default_code(status, &b.errors));
            (code, message, b.errors, b.request_id, b.required_scope.filter(|s| !s.is_empty()))
        } else {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            let message = if text.is_empty() {
                default_message(status)
            } else {
                truncate(text, 500)
            };
            (default_code(status, &[]), message, Vec::new(), None, None)
        };
        ApiError { status, code, message, errors, request_id: request_id.or(body_request_id), retry_after, required_scope }
    }
}

fn default_code(status: u16, errors: &[FieldError]) -> String {
    match status {
        400 if !errors.is_empty() => "validation_failed",
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        412 => "precondition_failed",
        413 => "payload_too_large",
        422 => "unprocessable_entity",
        429 => "rate_limited",
        500..=599 => "server_error",
        _ => return format!("http_{status}"),
    }
    .to_owned()
}

fn default_message(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "HTTP error",
    };
    format!("{reason} (HTTP {status})")
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, HTTP {})", self.message, self.code, self.status)?;
        for e in &self.errors {
            write!(f, "; {}: {}", e.field, e.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
