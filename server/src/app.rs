//! The whole router: the API's routes, the OpenAPI document, and the layers
//! every request passes (outermost first: request context, authentication,
//! rate limit); each route then adds its own (`routes::router`: its scope,
//! idempotency, outbox wake-up).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware;
use axum::routing::get;

use crate::state::AppState;
use crate::{auth, context, openapi, ratelimit, routes};

/// The router with every route and middleware, for a connected database.
/// `request_timeout` bounds each request from its headers to its response.
pub fn app(state: AppState, request_timeout: Duration) -> Router {
    app_with(state, request_timeout, None)
}

/// Middleware put between the request context and authentication: a test
/// server's injected faults and delays, and its determinism (novabilling-testing).
#[derive(Clone)]
pub struct Wrap(pub Arc<dyn Fn(Router<AppState>) -> Router<AppState> + Send + Sync>);

impl std::fmt::Debug for Wrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Wrap(..)")
    }
}

/// [`app`], with `wrap`'s middleware inside the request context.
pub fn app_with(state: AppState, request_timeout: Duration, wrap: Option<&Wrap>) -> Router {
    let router = routes::router(&state)
        .route("/api/openapi.json", get(openapi::serve))
        .layer(middleware::from_fn_with_state(state.limiter.clone(), ratelimit::rate_limit))
        .layer(middleware::from_fn_with_state(state.db.clone(), auth::authenticate));
    let router = match wrap {
        Some(w) => (w.0)(router),
        None => router,
    };
    router.layer(middleware::from_fn_with_state(request_timeout, context::request_context)).with_state(state)
}
