//! JSON request bodies: the size limit, the content type, and errors that say
//! what is wrong (400 `invalid_json`, `unknown_field`, `validation_failed`,
//! `bad_request`; 413; 415). Never a 500 for bad input.
//!
//! Which field of a body is wrong, and how, is core's call
//! ([`validate::from_json_slice`], the same one the bindings use); this module
//! only adds what a server says about bytes: empty, not JSON, too big.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use novabilling::{FieldError, ValidationError, validate};
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::{ApiError, ApiResult};

/// The largest request body accepted (413 above it).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// How core names the body as a whole. Not a possible field name (it has a
/// space), so a field error on it is about the body's shape, not a field's.
const WHOLE_BODY: &str = "Request body";

/// A JSON object request body.
pub struct JsonBody<T>(pub T);

/// A JSON array request body (the Stripe import).
pub struct JsonList<T>(pub Vec<T>);

/// Why a body was refused.
#[derive(Debug)]
pub enum BodyRejection {
    /// Not JSON of the route's kind: answered as it is.
    Unreadable(ApiError),
    /// JSON that does not fit the route's type, as core classifies it.
    Shape(ValidationError),
}

impl BodyRejection {
    /// Whether the body named `field` and the route's type has no such field.
    pub fn is_unknown_field(&self, field: &str) -> bool {
        matches!(self, BodyRejection::Shape(e)
            if e.errors.iter().any(|f| f.field == field && f.code.as_deref() == Some("unknown_field")))
    }
}

impl From<BodyRejection> for ApiError {
    fn from(r: BodyRejection) -> Self {
        match r {
            BodyRejection::Unreadable(e) => e,
            BodyRejection::Shape(e) => match e.errors.iter().find(|f| f.code.as_deref() == Some("unknown_field")) {
                Some(f) => ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", format!("unknown field `{}`", f.field)),
                None => ApiError::validation(e),
            },
        }
    }
}

impl IntoResponse for BodyRejection {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

pub fn is_json_content_type(v: &HeaderValue) -> bool {
    let Ok(s) = v.to_str() else { return false };
    let essence = s.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("Request body is larger than {BODY_LIMIT} bytes"),
    )
}

/// Reads a whole body, at most [`BODY_LIMIT`] bytes (413 above it).
pub async fn read_body(headers: &HeaderMap, body: Body) -> ApiResult<Bytes> {
    if let Some(len) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
        if len.parse::<u64>().is_ok_and(|n| n > BODY_LIMIT as u64) {
            return Err(payload_too_large());
        }
    }
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = src {
            if s.to_string().contains("length limit exceeded") {
                return payload_too_large();
            }
            src = s.source();
        }
        ApiError::bad_request(format!("Could not read the request body: {e}"))
    })
}

/// The body's bytes, once its size and content type are acceptable.
async fn read_json(req: Request) -> Result<Bytes, BodyRejection> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body).await.map_err(BodyRejection::Unreadable)?;
    check_content_type(parts.headers.get(header::CONTENT_TYPE), &bytes).map_err(BodyRejection::Unreadable)?;
    Ok(bytes)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = BodyRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_json(req).await?;
        expect_kind(&bytes, b'{', "a JSON object")?;
        decode(&bytes).map(JsonBody)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonList<T> {
    type Rejection = BodyRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_json(req).await?;
        expect_kind(&bytes, b'[', "a JSON array")?;
        decode(&bytes).map(JsonList)
    }
}

fn check_content_type(ct: Option<&HeaderValue>, bytes: &[u8]) -> ApiResult<()> {
    match ct {
        Some(ct) if !bytes.is_empty() && !is_json_content_type(ct) => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Request bodies must be JSON (Content-Type: application/json), got {:?}",
                ct.to_str().unwrap_or("?")
            ),
        )),
        _ => Ok(()),
    }
}

/// A body whose first token is not `open` is either malformed JSON
/// (`invalid_json`) or JSON of the wrong kind (`bad_request`).
fn expect_kind(bytes: &[u8], open: u8, what: &str) -> Result<(), BodyRejection> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b) if *b == open => Ok(()),
        None => decode::<IgnoredAny>(bytes).map(|_| ()),
        Some(_) => {
            decode::<IgnoredAny>(bytes)?;
            Err(BodyRejection::Unreadable(ApiError::bad_request(format!("Request body must be {what}"))))
        }
    }
}

/// Parses a JSON body into `T`.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyRejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(BodyRejection::Unreadable(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "Request body is empty; expected a JSON value",
        )));
    }
    if bytes.windows(6).any(|w| w == b"\\u0000") {
        reject_nul(bytes).map_err(BodyRejection::Unreadable)?;
    }
    validate::from_json_slice(WHOLE_BODY, bytes).map_err(|e| {
        let whole = e.errors.iter().find(|f| f.field == WHOLE_BODY);
        match whole {
            // Core does not say where malformed JSON breaks; serde does, and
            // the line and column are what a caller needs to fix it.
            Some(f) => BodyRejection::Unreadable(match serde_json::from_slice::<IgnoredAny>(bytes) {
                Err(syntax) => malformed(&syntax),
                Ok(_) => ApiError::bad_request(f.message.clone()),
            }),
            None => BodyRejection::Shape(e),
        }
    })
}

/// PostgreSQL text cannot hold U+0000, so no string may contain it on either
/// database: a 400 naming the field.
fn reject_nul(bytes: &[u8]) -> ApiResult<()> {
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        let join = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(path.to_owned()),
            serde_json::Value::Array(a) => a.iter().enumerate().find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            serde_json::Value::Object(o) => o.iter().find_map(|(k, x)| {
                if k.contains('\0') { Some(join(k.trim_matches('\0'))) } else { walk(x, &join(k)) }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
    match walk(&value, "") {
        Some(field) => {
            let field = if field.is_empty() { "body".to_owned() } else { field };
            Err(ApiError::field(FieldError::new(
                field.clone(),
                "invalid",
                format!("{field} must not contain the NUL character (\\u0000)"),
            )))
        }
        None => Ok(()),
    }
}

fn malformed(e: &serde_json::Error) -> ApiError {
    let text = e.to_string();
    let text = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_json",
        format!("Malformed JSON at line {} column {}: {text}", e.line(), e.column()),
    )
}
