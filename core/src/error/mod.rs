//! One error family for every language (docs/API-REFERENCE.md, "Errors"):
//! the classes, what each carries, and the accessors every binding exposes
//! as they are, so no binding decides which fields an error has.

mod api;
mod field;
mod kind;
mod webhook;

use std::time::Duration;

pub use api::{ApiError, ErrorBody};
pub use field::{FieldError, Problems, ValidationError};
pub use kind::ErrorKind;
pub use webhook::WebhookFailure;

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
    /// A received webhook is not authentic, not fresh, or not readable
    /// (core/src/webhooks); `message` says what to fix.
    #[error("{message}")]
    WebhookVerification { reason: WebhookFailure, message: String },
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl Error {
    pub fn webhook(reason: WebhookFailure, message: impl Into<String>) -> Error {
        Error::WebhookVerification { reason, message: message.into() }
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
            Error::WebhookVerification { .. } => ErrorKind::WebhookVerification,
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
            Error::WebhookVerification { reason, .. } => Some(reason.code()),
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

    /// The scope the key lacks, on a 403 `insufficient_scope`.
    pub fn required_scope(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.required_scope.as_deref(),
            _ => None,
        }
    }

    /// Whether the server answered (any `ApiError` subclass).
    pub fn is_api(&self) -> bool {
        self.kind().is_api()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
