//! One error family for every language (docs/API-REFERENCE.md, "Errors"):
//! the classes, what each carries, and the accessors every binding exposes
//! as they are, so no binding decides which fields an error has.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

/// What is wrong with one field, and what is allowed instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    /// Machine-readable; absent in the real NovaBilling server's errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: Some(code.to_owned()), message: message.into() }
    }
}

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
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FieldError>, D::Error> {
    Ok(Option::<Vec<FieldError>>::deserialize(d)?.unwrap_or_default())
}

/// Input rejected before any request was sent (and by the server, with the same words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Never empty.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    pub fn field(&self) -> &str {
        &self.errors[0].field
    }
    pub fn code(&self) -> &str {
        self.errors[0].code.as_deref().unwrap_or("invalid")
    }
}

impl From<FieldError> for ValidationError {
    fn from(e: FieldError) -> Self {
        ValidationError { errors: vec![e] }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects every field's problem, so a caller fixes them in one go.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn finish<T>(self, value: T) -> Result<T, ValidationError> {
        if self.0.is_empty() { Ok(value) } else { Err(ValidationError { errors: self.0 }) }
    }
}

/// Which class of the family an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Validation,
    BadRequest,
    Authentication,
    PermissionDenied,
    NotFound,
    Conflict,
    PreconditionFailed,
    RateLimit,
    InternalServer,
    /// An API error whose status has no class of its own.
    Api,
    Connection,
    Timeout,
    Decode,
}

impl ErrorKind {
    /// Every class, in the order the reference lists them.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::Validation,
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::PreconditionFailed,
        ErrorKind::RateLimit,
        ErrorKind::InternalServer,
        ErrorKind::Api,
        ErrorKind::Connection,
        ErrorKind::Timeout,
        ErrorKind::Decode,
    ];

    /// Whether this class is a server's answer (a subclass of `ApiError`).
    pub fn is_api(self) -> bool {
        matches!(
            self,
            ErrorKind::BadRequest
                | ErrorKind::Authentication
                | ErrorKind::PermissionDenied
                | ErrorKind::NotFound
                | ErrorKind::Conflict
                | ErrorKind::PreconditionFailed
                | ErrorKind::RateLimit
                | ErrorKind::InternalServer
                | ErrorKind::Api
        )
    }

    /// The class this one derives from: `ApiError` for the API classes,
    /// `NovaBillingError` for `ApiError` and the others.
    pub fn parent_name(self) -> &'static str {
        match self {
            ErrorKind::Api => "NovaBillingError",
            k if k.is_api() => "ApiError",
            _ => "NovaBillingError",
        }
    }

    pub fn for_status(status: u16) -> ErrorKind {
        match status {
            400 | 413 | 422 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            412 => ErrorKind::PreconditionFailed,
            429 => ErrorKind::RateLimit,
            500..=599 => ErrorKind::InternalServer,
            _ => ErrorKind::Api,
        }
    }

    /// The name every binding gives this class.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationError",
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Conflict => "ConflictError",
            ErrorKind::PreconditionFailed => "PreconditionFailedError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::InternalServer => "InternalServerError",
            ErrorKind::Api => "ApiError",
            ErrorKind::Connection => "ConnectionError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Decode => "DecodeError",
        }
    }
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
}

impl ApiError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::for_status(self.status)
    }

    /// Reads an error response: the project's body, the real NovaBilling body
    /// (no `code`), or anything else (non-JSON, empty, a proxy's HTML page).
    pub fn from_response(status: u16, request_id: Option<String>, retry_after: Option<Duration>, body: &[u8]) -> ApiError {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let (code, message, errors, body_request_id) = match parsed {
            Some(b) => {
                let message = if b.message.is_empty() { default_message(status) } else { b.message };
                let code = b.code.filter(|c| !c.is_empty()).unwrap_or_else(|| default_code(status, &b.errors));
                (code, message, b.errors, b.request_id)
            }
            None => {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                let message = if text.is_empty() {
                    default_message(status)
                } else {
                    truncate(text, 500)
                };
                (default_code(status, &[]), message, Vec::new(), None)
            }
        };
        ApiError { status, code, message, errors, request_id: request_id.or(body_request_id), retry_after }
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

/// Every way a call can fail.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Bad input, caught before any request.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The server answered with an error status.
    #[error(transparent)]
    Api(#[from] Box<ApiError>),
    /// No answer: refused, reset, DNS, TLS. Retried before it reaches you.
    #[error("connection failed: {message}")]
    Connection { message: String },
    /// No answer in time. Retried before it reaches you.
    #[error("request timed out after {timeout:?}")]
    Timeout { timeout: Duration },
    /// A success status whose body is not what the API sends.
    #[error("could not read the server's response (HTTP {status}): {message}")]
    Decode { status: u16, message: String, request_id: Option<String> },
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Validation(e.into())
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::Api(e) => e.kind(),
            Error::Connection { .. } => ErrorKind::Connection,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Decode { .. } => ErrorKind::Decode,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.code),
            Error::Validation(e) => Some(e.code()),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Field errors of a validation failure, client or server side.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation(e) => &e.errors,
            Error::Api(e) => &e.errors,
            _ => &[],
        }
    }

    /// What a binding shows as the error's message: the server's own words
    /// for an API error, the whole description otherwise.
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.message.clone(),
            other => other.to_string(),
        }
    }

    /// How long the server asked to wait: on a 429 or a 503 that sent
    /// `Retry-After` (or `retry-after-ms`), else `None`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) if matches!(e.status, 429 | 503) => e.retry_after,
            _ => None,
        }
    }

    /// Whether the server answered (any `ApiError` subclass).
    pub fn is_api(&self) -> bool {
        self.kind().is_api()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
