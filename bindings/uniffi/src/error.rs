//! The core's one error family as one uniffi error enum: a variant per class
//! (`NovaBillingException.NotFound` in Kotlin, `NovaBillingError.NotFound` in
//! Swift), each carrying the same fields.

use std::time::Duration;

use novabilling::{Error, ErrorKind};

/// What is wrong with one field (client-side validation or a server 400).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    pub field: String,
    /// Machine-readable; absent in the real NovaBilling server's errors.
    pub code: Option<String>,
    pub message: String,
}

impl From<&novabilling::FieldError> for FieldError {
    fn from(e: &novabilling::FieldError) -> Self {
        FieldError { field: e.field.clone(), code: e.code.clone(), message: e.message.clone() }
    }
}

/// Every way a call can fail. The variant is the class of the family
/// (`ErrorKind::class_name()` without the `Error` suffix).
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum NovaBillingError {
    /// Input rejected before any request was sent.
    #[error("{detail}")]
    Validation { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 400, 413, 422.
    #[error("{detail}")]
    BadRequest { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 401.
    #[error("{detail}")]
    Authentication { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 403.
    #[error("{detail}")]
    PermissionDenied { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 404.
    #[error("{detail}")]
    NotFound { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 409.
    #[error("{detail}")]
    Conflict { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 412.
    #[error("{detail}")]
    PreconditionFailed { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// 429, with the server's `Retry-After` when it sent one.
    #[error("{detail}")]
    RateLimit {
        detail: String,
        status: Option<i32>,
        code: Option<String>,
        field_errors: Vec<FieldError>,
        request_id: Option<String>,
        retry_after: Option<Duration>,
    },
    /// 5xx.
    #[error("{detail}")]
    InternalServer { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// Any other error status.
    #[error("{detail}")]
    Api { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// No answer (refused, reset, DNS, TLS), after retries.
    #[error("{detail}")]
    Connection { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// No answer in time, after retries.
    #[error("{detail}")]
    Timeout { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
    /// A success status whose body is not what the API sends.
    #[error("{detail}")]
    Decode { detail: String, status: Option<i32>, code: Option<String>, field_errors: Vec<FieldError>, request_id: Option<String> },
}

impl From<Error> for NovaBillingError {
    fn from(e: Error) -> Self {
        // The server's own words for API errors (what the vectors compare); the
        // whole description (code, status, request id) otherwise.
        let detail = match &e {
            Error::Api(api) => api.message.clone(),
            other => other.to_string(),
        };
        let status = e.status().map(i32::from);
        let code = e.code().map(str::to_owned);
        let field_errors = e.field_errors().iter().map(FieldError::from).collect();
        let request_id = e.request_id().map(str::to_owned);
        let retry_after = match &e {
            Error::Api(api) => api.retry_after,
            _ => None,
        };
        macro_rules! v {
            ($variant:ident) => {
                NovaBillingError::$variant { detail, status, code, field_errors, request_id }
            };
        }
        match e.kind() {
            ErrorKind::Validation => v!(Validation),
            ErrorKind::BadRequest => v!(BadRequest),
            ErrorKind::Authentication => v!(Authentication),
            ErrorKind::PermissionDenied => v!(PermissionDenied),
            ErrorKind::NotFound => v!(NotFound),
            ErrorKind::Conflict => v!(Conflict),
            ErrorKind::PreconditionFailed => v!(PreconditionFailed),
            ErrorKind::RateLimit => {
                NovaBillingError::RateLimit { detail, status, code, field_errors, request_id, retry_after }
            }
            ErrorKind::InternalServer => v!(InternalServer),
            ErrorKind::Api => v!(Api),
            ErrorKind::Connection => v!(Connection),
            ErrorKind::Timeout => v!(Timeout),
            ErrorKind::Decode => v!(Decode),
        }
    }
}

impl From<novabilling::FieldError> for NovaBillingError {
    fn from(e: novabilling::FieldError) -> Self {
        Error::from(e).into()
    }
}

impl From<novabilling::ValidationError> for NovaBillingError {
    fn from(e: novabilling::ValidationError) -> Self {
        Error::from(e).into()
    }
}

/// A ValidationError for a value the binding could not convert into the core's type.
pub(crate) fn invalid(field: &str, message: String) -> NovaBillingError {
    novabilling::FieldError::new(field, "invalid", message).into()
}

/// Everything an error carries, whatever its class: what Kotlin's and Swift's
/// extension properties (`e.status`, `e.requestId`, ...) read.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ErrorInfo {
    /// The class name of the family: `NotFoundError`, `ValidationError`, ...
    pub class_name: String,
    pub detail: String,
    pub status: Option<i32>,
    pub code: Option<String>,
    pub field_errors: Vec<FieldError>,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
}

#[uniffi::export]
impl NovaBillingError {
    /// The class name, message, status, code, field errors, request id and retry delay.
    pub fn info(&self) -> ErrorInfo {
        use NovaBillingError::*;
        let (kind, detail, status, code, field_errors, request_id) = match self {
            Validation { detail, status, code, field_errors, request_id } => (ErrorKind::Validation, detail, status, code, field_errors, request_id),
            BadRequest { detail, status, code, field_errors, request_id } => (ErrorKind::BadRequest, detail, status, code, field_errors, request_id),
            Authentication { detail, status, code, field_errors, request_id } => (ErrorKind::Authentication, detail, status, code, field_errors, request_id),
            PermissionDenied { detail, status, code, field_errors, request_id } => (ErrorKind::PermissionDenied, detail, status, code, field_errors, request_id),
            NotFound { detail, status, code, field_errors, request_id } => (ErrorKind::NotFound, detail, status, code, field_errors, request_id),
            Conflict { detail, status, code, field_errors, request_id } => (ErrorKind::Conflict, detail, status, code, field_errors, request_id),
            PreconditionFailed { detail, status, code, field_errors, request_id } => (ErrorKind::PreconditionFailed, detail, status, code, field_errors, request_id),
            RateLimit { detail, status, code, field_errors, request_id, .. } => (ErrorKind::RateLimit, detail, status, code, field_errors, request_id),
            InternalServer { detail, status, code, field_errors, request_id } => (ErrorKind::InternalServer, detail, status, code, field_errors, request_id),
            Api { detail, status, code, field_errors, request_id } => (ErrorKind::Api, detail, status, code, field_errors, request_id),
            Connection { detail, status, code, field_errors, request_id } => (ErrorKind::Connection, detail, status, code, field_errors, request_id),
            Timeout { detail, status, code, field_errors, request_id } => (ErrorKind::Timeout, detail, status, code, field_errors, request_id),
            Decode { detail, status, code, field_errors, request_id } => (ErrorKind::Decode, detail, status, code, field_errors, request_id),
        };
        ErrorInfo {
            class_name: kind.class_name().to_owned(),
            detail: detail.clone(),
            status: *status,
            code: code.clone(),
            field_errors: field_errors.clone(),
            request_id: request_id.clone(),
            retry_after: match self {
                RateLimit { retry_after, .. } => *retry_after,
                _ => None,
            },
        }
    }
}
