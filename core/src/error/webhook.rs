//! Why a webhook did not verify, in words that say what to fix.

/// The reason a webhook failed verification; its `code` is the error's `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookFailure {
    /// A `webhook-id`, `webhook-timestamp` or `webhook-signature` header is absent.
    MissingHeader,
    /// A header is there but cannot be read (a timestamp that is not a number,
    /// a signature list with no `v1,` entry).
    InvalidHeader,
    /// Signatures were sent, but none was made with the given secret(s) over this body.
    NoMatchingSignature,
    /// The timestamp is older than the tolerance allows (a replay, or a clock behind).
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    TimestampTooNew,
    /// The body came as a parsed object, not the raw bytes that were signed.
    BodyNotRaw,
    /// The secret is not an endpoint signing secret (`whsec_...`).
    InvalidSecret,
    /// The signature is good but the body is not a webhook event.
    InvalidPayload,
}

impl WebhookFailure {
    pub const ALL: [WebhookFailure; 8] = [
        WebhookFailure::MissingHeader,
        WebhookFailure::InvalidHeader,
        WebhookFailure::NoMatchingSignature,
        WebhookFailure::TimestampTooOld,
        WebhookFailure::TimestampTooNew,
        WebhookFailure::BodyNotRaw,
        WebhookFailure::InvalidSecret,
        WebhookFailure::InvalidPayload,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WebhookFailure::MissingHeader => "missing_header",
            WebhookFailure::InvalidHeader => "invalid_header",
            WebhookFailure::NoMatchingSignature => "no_matching_signature",
            WebhookFailure::TimestampTooOld => "timestamp_too_old",
            WebhookFailure::TimestampTooNew => "timestamp_too_new",
            WebhookFailure::BodyNotRaw => "body_not_raw",
            WebhookFailure::InvalidSecret => "invalid_secret",
            WebhookFailure::InvalidPayload => "invalid_payload",
        }
    }

    pub fn from_code(code: &str) -> Option<WebhookFailure> {
        WebhookFailure::ALL.into_iter().find(|f| f.code() == code)
    }
}
