//! NovaBilling customers API SDK.
//!
//! `model`, `validate` and `error` are always built (the server uses them);
//! the async HTTP client is behind the default `client` feature. The wire
//! contract and the choices made where it is silent: docs/API-REFERENCE.md.

pub mod error;
pub mod keys;
pub mod model;
pub mod surface;
pub mod validate;
pub mod webhooks;

pub use error::{ApiError, Error, ErrorBody, ErrorKind, FieldError, Result, ValidationError, WebhookFailure};
pub use webhooks::WebhookEvent;
pub use model::*;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod config;
#[cfg(feature = "client")]
mod options;
#[cfg(feature = "client")]
mod resources;
#[cfg(feature = "client")]
mod tls;
#[cfg(feature = "client")]
pub mod transport;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
#[cfg(feature = "client")]
pub use config::{
    ClientConfig, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_BASE_URL,
    VERSION,
};
#[cfg(feature = "client")]
pub use options::{MAX_RETRIES_LIMIT, RequestOptions, Span};
#[cfg(feature = "client")]
pub use resources::{Customers, Events, Invoices, Keys, MERGE_ATTEMPTS, Subscriptions};
#[cfg(feature = "client")]
pub use transport::{ApiKey, Backoff};
