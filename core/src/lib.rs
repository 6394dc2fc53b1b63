//! NovaBilling customers API SDK.
//!
//! `model`, `validate` and `error` are always built (the server uses them);
//! the async HTTP client is behind the default `client` feature.

pub mod error;
pub mod model;
pub mod validate;

pub use error::{ApiError, Error, ErrorKind, FieldError, Result, ValidationError};
pub use model::*;
