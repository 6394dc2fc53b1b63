//! The NovaBilling server: the customers API (docs/API-REFERENCE.md) over axum, on
//! SQLite (default) or PostgreSQL, using the core crate's models and validation.
//!
//! The binary (`novabilling-server`) is a thin CLI over [`start`]; tests start
//! the same server in process on `127.0.0.1:0`.
//!
//! Modules import one way, no two of them each other: `cli` runs `serve`,
//! which builds the `app` from the middlewares and the `routes`; handlers do
//! HTTP and leave SQL to `store`, over `db`. `serve` also runs the webhook
//! `delivery` worker, which reads the outbox that `store` writes; `ssrf` says
//! where webhooks may go, to the routes and to the worker. `listen` accepts the
//! connections, with their limits. `admin` is the admin page at /admin, which
//! `serve` mounts beside the API and which calls the API in process.

pub mod admin;
pub mod app;
pub mod auth;
pub mod body;
pub mod cli;
pub mod clock;
pub mod context;
pub mod db;
pub mod determinism;
pub mod delivery;
pub mod error;
pub mod etag;
pub mod idempotency;
pub mod ids;
pub mod listen;
pub mod openapi;
pub mod outbox_wake;
pub mod query;
pub mod ratelimit;
pub mod ratelimit_shared;
pub mod routes;
pub mod schema;
pub mod send_deadline;
pub mod serve;
pub mod ssrf;
pub mod state;
pub mod store;

pub use app::{Wrap, app, app_with};
pub use db::Db;
pub use delivery::WebhookOptions;
pub use listen::ConnectionLimits;
pub use serve::{BoxError, RunningServer, ServeOptions, dev_key, shutdown_signal, start};
pub use state::AppState;
