//! `ETag` and `If-Match` for customers: a strong tag per version.

use axum::http::{HeaderMap, StatusCode, header};

use crate::error::ApiError;

pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// `If-Match`: `*` matches any existing customer; otherwise one of the listed
/// strong tags must be the customer's current one (412 if not).
pub fn check_if_match(headers: &HeaderMap, version: i64) -> Result<(), ApiError> {
    let values: Vec<&str> = headers.get_all(header::IF_MATCH).iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return Ok(());
    }
    let current = etag(version);
    let ok = values.iter().flat_map(|v| v.split(',')).map(str::trim).any(|t| {
        t == "*" || t == current || (!t.starts_with('"') && !t.starts_with("W/") && format!("\"{t}\"") == current)
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!("If-Match does not match the customer's current ETag {current}"),
        ))
    }
}
