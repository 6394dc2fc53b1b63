//! Error responses (core's `ErrorBody`) and the request extractors that turn
//! bad input into them: never a 500 for bad input.

use std::borrow::Cow;

use axum::extract::{FromRequest, Query, Request};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use novabilling::{ErrorBody, FieldError, ValidationError, model::timestamp};
use serde::de::DeserializeOwned;

/// The largest request body accepted (413 above it).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every error body says about the request it answers.
#[derive(Clone, Debug, Default)]
pub struct RequestCtx {
    pub id: String,
    pub path: String,
}

tokio::task_local! {
    /// Set by the outermost middleware for the duration of a request.
    pub static REQUEST: RequestCtx;
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub message: String,
    pub errors: Vec<FieldError>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ApiError { status, code: code.into(), message: message.into(), errors: Vec::new(), headers: Vec::new() }
    }

    pub fn with_header(mut self, name: HeaderName, value: impl TryInto<HeaderValue>) -> Self {
        if let Ok(v) = value.try_into() {
            self.headers.push((name, v));
        }
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code.into();
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn validation(e: ValidationError) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "validation_failed".into(),
            message: format!("Validation failed: {e}"),
            errors: e.errors,
            headers: Vec::new(),
        }
    }

    pub fn field(e: FieldError) -> Self {
        Self::validation(e.into())
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn customer_not_found(id: &str) -> Self {
        Self::not_found(format!("No customer with id {id:?}"))
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("Request body is larger than {BODY_LIMIT} bytes"),
        )
    }

    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "Internal server error")
    }

    /// The body, with the request's id and path.
    pub fn body(&self) -> ErrorBody {
        let ctx = REQUEST.try_with(Clone::clone).unwrap_or_default();
        ErrorBody {
            status_code: self.status.as_u16(),
            code: Some(self.code.to_string()),
            message: self.message.clone(),
            errors: self.errors.clone(),
            request_id: (!ctx.id.is_empty()).then_some(ctx.id),
            timestamp: Some(timestamp::format(&Utc::now())),
            path: (!ctx.path.is_empty()).then_some(ctx.path),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut resp = (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
            .into_response();
        for (k, v) in self.headers {
            resp.headers_mut().append(k, v);
        }
        resp
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        ApiError::internal()
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::validation(e)
    }
}

// ---- JSON bodies ------------------------------------------------------------

/// A JSON request body, read with the size limit, the content-type check and
/// errors that say what is wrong: 400 `invalid_json`, `unknown_field`,
/// `validation_failed`; 413; 415.
pub struct JsonBody<T>(pub T);

pub fn is_json_content_type(v: &HeaderValue) -> bool {
    let Ok(s) = v.to_str() else { return false };
    let essence = s.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a whole body, at most [`BODY_LIMIT`] bytes (413 above it).
pub async fn read_body(headers: &HeaderMap, body: Body) -> ApiResult<axum::body::Bytes> {
    if let Some(len) = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
        if len.parse::<u64>().is_ok_and(|n| n > BODY_LIMIT as u64) {
            return Err(ApiError::payload_too_large());
        }
    }
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = src {
            if s.to_string().contains("length limit exceeded") {
                return ApiError::payload_too_large();
            }
            src = s.source();
        }
        ApiError::bad_request(format!("Could not read the request body: {e}"))
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ct = parts.headers.get(header::CONTENT_TYPE).cloned();
        let bytes = read_body(&parts.headers, body).await?;
        check_content_type(ct.as_ref(), &bytes)?;
        expect_kind(&bytes, b'{', "a JSON object")?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A JSON array request body (the Stripe import), read like [`JsonBody`].
pub struct JsonList<T>(pub Vec<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonList<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let ct = parts.headers.get(header::CONTENT_TYPE).cloned();
        let bytes = read_body(&parts.headers, body).await?;
        check_content_type(ct.as_ref(), &bytes)?;
        let _ = state;
        expect_kind(&bytes, b'[', "a JSON array")?;
        parse_json(&bytes).map(JsonList)
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
fn expect_kind(bytes: &[u8], open: u8, what: &str) -> ApiResult<()> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b) if *b == open => Ok(()),
        None => parse_json::<serde::de::IgnoredAny>(bytes).map(|_| ()),
        Some(_) => {
            parse_json::<serde::de::IgnoredAny>(bytes)?;
            Err(ApiError::bad_request(format!("Request body must be {what}")))
        }
    }
}

/// Parses a JSON body into `T`, mapping serde's errors to the API's codes.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "Request body is empty; expected a JSON value",
        ));
    }
    if bytes.windows(6).any(|w| w == b"\\u0000") {
        reject_nul(bytes)?;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => v,
        Err(e) => return Err(json_error(e.path().to_string(), e.into_inner())),
    };
    de.end().map_err(|e| json_error(String::new(), e))?;
    Ok(value)
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
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return Err(json_error(String::new(), e)),
    };
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

fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn json_error(path: String, e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let path = if path == "." { String::new() } else { path };
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("Malformed JSON at line {} column {}: {}", e.line(), e.column(), strip_position(&e.to_string())),
        ),
        Category::Data => {
            let msg = e.to_string();
            let msg = strip_position(&msg);
            let join = |f: &str| if path.is_empty() { f.to_owned() } else { format!("{path}.{f}") };
            if msg.starts_with("unknown field") {
                // The path already ends with the unknown field's name.
                let f = if path.is_empty() { backticked(msg).unwrap_or("?").to_owned() } else { path.clone() };
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", format!("unknown field `{f}`"))
            } else if msg.starts_with("missing field") {
                let f = join(backticked(msg).unwrap_or("?"));
                ApiError::field(FieldError::new(f.clone(), "required", format!("{f} is required")))
            } else if path.is_empty() {
                ApiError::bad_request(format!("Request body has the wrong shape: {msg}"))
            } else {
                ApiError::field(FieldError::new(path.clone(), "invalid_type", format!("{path}: {msg}")))
            }
        }
    }
}

// ---- query strings ----------------------------------------------------------

/// Parses a query string into `T`, allowing only the named parameters.
pub fn parse_query<T: DeserializeOwned>(uri: &Uri, allowed: &[&str]) -> ApiResult<T> {
    let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| ApiError::bad_request(format!("Invalid query string: {}", e.body_text())))?;
    for (k, v) in &pairs.0 {
        if k.contains('\0') || v.contains('\0') {
            let f = k.trim_matches('\0');
            return Err(ApiError::field(FieldError::new(
                f,
                "invalid",
                format!("{f} must not contain the NUL character (%00)"),
            )));
        }
        if !allowed.contains(&k.as_str()) {
            let msg = if allowed.is_empty() {
                format!("unknown field `{k}`: this route takes no query parameters")
            } else {
                format!("unknown field `{k}`: allowed query parameters are {}", allowed.join(", "))
            };
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", msg));
        }
    }
    Query::<T>::try_from_uri(uri).map(|q| q.0).map_err(|e| {
        let text = e.body_text();
        let text = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_owned();
        ApiError::bad_request(format!("Invalid query string: {text}"))
    })
}
