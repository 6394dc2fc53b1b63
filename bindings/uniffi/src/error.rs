//! The core's one error family as one uniffi error enum: a variant per class
//! (`NovaBillingException.NotFound` in Kotlin, `NovaBillingError.NotFound` in
//! Swift), every variant with the same fields, filled from core's accessors.

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

/// Declares the enum with one variant per core class, and the conversion
/// from core's error that fills every field the same way.
macro_rules! family {
    ($( $(#[$doc:meta])* $variant:ident => $kind:ident, )*) => {
        /// Every way a call can fail. The variant is the class of the family
        /// (`ErrorKind::class_name()` without the `Error` suffix). `detail` is
        /// core's message: the server's words for API errors.
        #[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
        pub enum NovaBillingError {
            $(
                $(#[$doc])*
                #[error("{detail}")]
                $variant {
                    detail: String,
                    status: Option<i32>,
                    code: Option<String>,
                    field_errors: Vec<FieldError>,
                    request_id: Option<String>,
                    /// Set on a 429 or 503 that sent Retry-After.
                    retry_after: Option<Duration>,
                    /// The scope the key lacks, on a 403 `insufficient_scope`.
                    required_scope: Option<String>,
                },
            )*
        }

        impl From<Error> for NovaBillingError {
            fn from(e: Error) -> Self {
                let detail = e.message();
                let status = e.status().map(i32::from);
                let code = e.code().map(str::to_owned);
                let field_errors = e.field_errors().iter().map(FieldError::from).collect();
                let request_id = e.request_id().map(str::to_owned);
                let retry_after = e.retry_after();
                let required_scope = e.required_scope().map(str::to_owned);
                match e.kind() {
                    $( ErrorKind::$kind => NovaBillingError::$variant { detail, status, code, field_errors, request_id, retry_after, required_scope }, )*
                }
            }
        }

        impl NovaBillingError {
            fn kind(&self) -> ErrorKind {
                match self {
                    $( NovaBillingError::$variant { .. } => ErrorKind::$kind, )*
                }
            }

            #[allow(clippy::type_complexity)]
            fn fields(&self) -> (&String, &Option<i32>, &Option<String>, &Vec<FieldError>, &Option<String>, &Option<Duration>, &Option<String>) {
                match self {
                    $( NovaBillingError::$variant { detail, status, code, field_errors, request_id, retry_after, required_scope } =>
                        (detail, status, code, field_errors, request_id, retry_after, required_scope), )*
                }
            }
        }
    };
}

family! {
    /// Input rejected before any request was sent.
    Validation => Validation,
    /// 400, 413, 422.
    BadRequest => BadRequest,
    /// 401.
    Authentication => Authentication,
    /// 403.
    PermissionDenied => PermissionDenied,
    /// 404.
    NotFound => NotFound,
    /// 409.
    Conflict => Conflict,
    /// 412.
    PreconditionFailed => PreconditionFailed,
    /// 429, with the server's `Retry-After` when it sent one.
    RateLimit => RateLimit,
    /// 5xx.
    InternalServer => InternalServer,
    /// Any other error status.
    Api => Api,
    /// No answer: refused, reset, DNS, TLS (after retries).
    Connection => Connection,
    /// No answer in time (after retries).
    Timeout => Timeout,
    /// A success status whose body is not what the API sends.
    Decode => Decode,
    /// A received webhook failed verification; `code` says why.
    WebhookVerification => WebhookVerification,
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
    /// The class it derives from: `ApiError` or `NovaBillingError`.
    pub parent_class_name: String,
    /// Whether the server answered (an `ApiError` subclass).
    pub is_api: bool,
    pub detail: String,
    pub status: Option<i32>,
    pub code: Option<String>,
    pub field_errors: Vec<FieldError>,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub required_scope: Option<String>,
}

#[uniffi::export]
impl NovaBillingError {
    /// The class names, message, status, code, field errors, request id and retry delay.
    pub fn info(&self) -> ErrorInfo {
        let kind = self.kind();
        let (detail, status, code, field_errors, request_id, retry_after, required_scope) = self.fields();
        ErrorInfo {
            class_name: kind.class_name().to_owned(),
            parent_class_name: kind.parent_name().to_owned(),
            is_api: kind.is_api(),
            detail: detail.clone(),
            status: *status,
            code: code.clone(),
            field_errors: field_errors.clone(),
            request_id: request_id.clone(),
            retry_after: *retry_after,
            required_scope: required_scope.clone(),
        }
    }
}
