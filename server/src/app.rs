//! The whole router: the API's routes, the OpenAPI document, and the layers
//! every request passes (outermost first: request context, auth, rate limit,
//! idempotency, outbox wake-up).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use tokio::sync::Notify;

use crate::state::AppState;
use crate::{auth, context, idempotency, openapi, ratelimit, routes};

/// The router with every route and middleware, for a connected database.
pub fn app(state: AppState) -> Router {
    routes::router()
        .route("/api/openapi.json", get(openapi::serve))
        .layer(middleware::from_fn_with_state(state.outbox.clone(), wake_outbox))
        .layer(middleware::from_fn_with_state(state.db.clone(), idempotency::idempotency))
        .layer(middleware::from_fn_with_state(state.limiter.clone(), ratelimit::rate_limit))
        .layer(middleware::from_fn_with_state(state.db.clone(), auth::auth))
        .layer(middleware::from_fn(context::request_context))
        .with_state(state)
}

/// After a write that succeeded, the delivery worker may have events to send.
/// Inside idempotency, so a replayed answer (no new event) does not wake it.
async fn wake_outbox(State(outbox): State<Arc<Notify>>, req: Request, next: Next) -> Response {
    let write = req.method() != Method::GET && req.method() != Method::HEAD;
    let resp = next.run(req).await;
    if write && resp.status().is_success() {
        outbox.notify_one();
    }
    resp
}
