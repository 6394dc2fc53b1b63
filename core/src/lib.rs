//! NovaBilling customers API SDK.
//!
//! `model`, `validate` and `error` are always built (the server uses them);
//! the async HTTP client is behind the default `client` feature.

pub mod error;
pub mod model;
pub mod validate;

pub use error::{ApiError, Error, ErrorKind, FieldError, Result, ValidationError};
pub use model::*;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod resources;
#[cfg(feature = "client")]
pub mod transport;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, ENV_API_KEY, ENV_BASE_URL};
#[cfg(feature = "client")]
pub use resources::{Customers, Invoices, MERGE_ATTEMPTS, Subscriptions};
#[cfg(feature = "client")]
pub use transport::{ApiKey, Backoff, RequestOptions};
