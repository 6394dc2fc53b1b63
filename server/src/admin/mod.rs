//! The admin page at `/admin`: server-rendered HTML for the people who run the
//! server, signed in with an API key and acting only through the API with it.
//!
//! Modules import one way: the pages (`signin`, `customers`, `customer`,
//! `import`, `webhooks`, `keys`) use `session` (who is signed in, what their
//! key may do), `security` (headers, CSRF), `api` (the API router, called in
//! process with the session's key) and `render` (templates, notices, the CLI and
//! curl equivalents); `mod` mounts them.

mod api;
mod customer;
mod customers;
mod form;
mod import;
mod keys;
mod render;
mod security;
mod session;
mod signin;
mod webhooks;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::db::Db;

pub use api::Api;

/// What every admin handler can reach.
#[derive(Clone)]
pub struct Admin {
    pub api: Api,
    pub db: Db,
}

/// A pasted Stripe export can be large; everything else is a small form.
const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// `api` with the admin page mounted beside it at `/admin`. The page calls
/// `api` in process, so each action passes the same authentication, scope
/// checks, rate limit and validation as any other client's request.
/// `request_timeout` bounds each page as it bounds an API request, so a form
/// whose body stops arriving cannot hold its connection.
pub fn mount(api: Router, db: Db, request_timeout: Duration) -> Router {
    let admin = Admin { api: Api::new(api.clone()), db };
    let pages = Router::new()
        .route("/admin", get(home))
        .route("/admin/", get(home))
        .route("/admin/static/admin.css", get(css))
        .route("/admin/static/admin.js", get(js))
        .route("/admin/static/favicon.svg", get(icon))
        .route("/admin/signin", get(signin::form).post(signin::submit))
        .route("/admin/signout", post(signin::signout))
        .route("/admin/customers", get(customers::list))
        .route("/admin/customers/{id}", get(customer::show).post(customer::update))
        .route("/admin/customers/{id}/metadata", post(customer::update_metadata))
        .route("/admin/customers/{id}/delete", get(customer::confirm_delete).post(customer::delete))
        .route("/admin/customers/{id}/bind", post(customer::bind))
        .route("/admin/import", get(import::form).post(import::submit).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
        .route("/admin/import/batch", post(import::batch).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
        .route("/admin/webhooks", get(webhooks::list))
        .route("/admin/webhooks/{id}", get(webhooks::show))
        .route("/admin/webhooks/{id}/redeliver", post(webhooks::redeliver))
        .route("/admin/keys", get(keys::list).post(keys::create))
        .route("/admin/keys/{id}/revoke", post(keys::revoke))
        .route("/admin/ephemeral-keys", post(keys::create_ephemeral))
        .route("/admin/ephemeral-keys/revoke", post(keys::revoke_ephemeral))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, request_timeout))
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(security::headers))
        .with_state(admin);
    api.merge(pages)
}

/// The first section the signed-in key can use.
async fn home(s: session::Session) -> Redirect {
    let c = s.caps;
    let section = if c.read { "customers" } else if c.webhooks { "webhooks" } else if c.keys { "keys" } else { "import" };
    Redirect::to(&format!("{}/{section}", s.base.0))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        body,
    )
        .into_response()
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", include_str!("../../admin-static/admin.css"))
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../admin-static/admin.js"))
}

async fn icon() -> Response {
    asset("image/svg+xml", include_str!("../../admin-static/favicon.svg"))
}
