//! After a write that succeeded, the delivery worker may have events to send.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Notify;

/// Inside idempotency, so a replayed answer (no new event) does not wake it.
pub async fn wake_outbox(State(outbox): State<Arc<Notify>>, req: Request, next: Next) -> Response {
    let write = req.method() != Method::GET && req.method() != Method::HEAD;
    let resp = next.run(req).await;
    if write && resp.status().is_success() {
        outbox.notify_one();
    }
    resp
}
