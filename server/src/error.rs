//! Error responses: core's `ErrorBody`, with the request's id and path.

use std::borrow::Cow;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crate::clock::{ms_to_time, now_ms};
use novabilling::keys::Scope;
use novabilling::{ErrorBody, FieldError, ValidationError, model::timestamp};

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
    /// With 403 `insufficient_scope`: the scope the key lacks.
    pub required_scope: Option<Scope>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ApiError { status, code: code.into(), message: message.into(), errors: Vec::new(), headers: Vec::new(), required_scope: None }
    }

    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: impl TryInto<HeaderValue>) -> Self {
        if let Ok(v) = value.try_into() {
            self.headers.push((name, v));
        }
        self
    }

    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code.into();
        self
    }

    #[must_use]
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
            required_scope: None,
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

    /// 403 `insufficient_scope`, naming the scope in the body and in
    /// `WWW-Authenticate` (RFC 6750, section 3.1).
    pub fn insufficient_scope(scope: Scope, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::FORBIDDEN, "insufficient_scope", format!("{}: it needs {scope}", message.into()))
            .with_header(header::WWW_AUTHENTICATE, format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\""));
        e.required_scope = Some(scope);
        e
    }

    /// 403 for what only a secret key may do.
    pub fn secret_key_required(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "secret_key_required", message)
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
            timestamp: Some(timestamp::format(&ms_to_time(now_ms()))),
            path: (!ctx.path.is_empty()).then_some(ctx.path),
            required_scope: self.required_scope.map(|s| s.as_str().to_owned()),
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
        if database_unavailable(&e) {
            tracing::warn!(error = %e, "database unavailable");
            return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "The database cannot be reached; retry shortly")
                .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        tracing::error!(error = %e, "database error");
        ApiError::internal()
    }
}

/// Errors that say the database is out of reach (restarting, failing over, its
/// pool exhausted), not that the request went wrong: a retry may well succeed,
/// so they are a 503 with `Retry-After`, which the SDKs retry.
fn database_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL's class 08 (connection exception) and 57P01-57P03 (shutting down, cannot connect now).
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_a_retryable_503_and_anything_else_a_500() {
        for e in [sqlx::Error::PoolTimedOut, sqlx::Error::Io(std::io::ErrorKind::ConnectionReset.into()), sqlx::Error::PoolClosed] {
            let api = ApiError::from(e);
            assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(api.code, "database_unavailable");
            assert!(api.headers.iter().any(|(k, v)| k == header::RETRY_AFTER && v == "1"));
        }
        assert_eq!(ApiError::from(sqlx::Error::RowNotFound).status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(ApiError::from(sqlx::Error::Protocol("bad".into())).status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
