//! The classes of the family, their names in every language and their parents.

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
    /// A received webhook failed verification (not a call's failure).
    WebhookVerification,
}

impl ErrorKind {
    /// Every class, in the order the reference lists them.
    pub const ALL: [ErrorKind; 14] = [
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
        ErrorKind::WebhookVerification,
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
            ErrorKind::WebhookVerification => "WebhookVerificationError",
        }
    }
}
