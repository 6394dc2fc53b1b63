//! The outermost layer: the request id, error bodies for anything that is not
//! one yet, panics as 500, the request timeout as 408, and the access log.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;

use crate::body::is_json_content_type;
use crate::error::{ApiError, REQUEST, RequestCtx};
use crate::ids;

fn request_id_from(req: &Request) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    (!v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic())).then(|| v.to_owned())
}

pub async fn request_context(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = request_id_from(&req).unwrap_or_else(ids::request_id);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let ctx = RequestCtx { id: id.clone(), path: path.clone() };
    let mut resp = REQUEST
        .scope(ctx, async move {
            let resp = match tokio::time::timeout(timeout, AssertUnwindSafe(next.run(req)).catch_unwind()).await {
                Ok(Ok(r)) => r,
                Ok(Err(_)) => {
                    tracing::error!("handler panicked");
                    ApiError::internal().into_response()
                }
                // Most often a body that stopped arriving. The work is dropped, as when a client hangs up,
                // except an idempotent write, which runs to the end on its own task (idempotency.rs).
                Err(_) => ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!("The request did not complete within {timeout:?}; send its body without pauses and retry"),
                )
                .into_response(),
            };
            normalize_error(resp)
        })
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let status = resp.status().as_u16();
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    if status >= 500 {
        tracing::error!(target: "novabilling_server::access", request_id = %id, %method, %path, status, micros, "request");
    } else {
        tracing::debug!(target: "novabilling_server::access", request_id = %id, %method, %path, status, micros, "request");
    }
    resp
}

/// Gives an error response that some layer made without our body (axum's own
/// rejections) the API's error body, keeping its status.
fn normalize_error(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    if resp.headers().get(header::CONTENT_TYPE).is_some_and(is_json_content_type) {
        return resp;
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNAUTHORIZED => "unauthorized",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    };
    let message = status.canonical_reason().unwrap_or("Error").to_owned();
    let mut out = ApiError::new(status, code, message).into_response();
    for (k, v) in resp.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}
