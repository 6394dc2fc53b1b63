//! Query strings: only the parameters a route names, and 400s that say which.

use axum::extract::Query;
use axum::http::{StatusCode, Uri};
use novabilling::FieldError;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// Parses a query string into `T`, allowing only the named parameters.
pub fn parse_query<T: DeserializeOwned>(uri: &Uri, allowed: &[&str]) -> ApiResult<T> {
    let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| ApiError::bad_request(format!("Invalid query string: {}", e.body_text())))?;
    for (k, v) in &pairs.0 {
        if k.contains('\0') || v.contains('\0') {
            let f = k.trim_matches('\0');
            return Err(ApiError::field(FieldError::new(
                f,
                "invalid",
                format!("{f} must not contain the NUL character (%00)"),
            )));
        }
        if !allowed.contains(&k.as_str()) {
            let msg = if allowed.is_empty() {
                format!("unknown field `{k}`: this route takes no query parameters")
            } else {
                format!("unknown field `{k}`: allowed query parameters are {}", allowed.join(", "))
            };
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "unknown_field", msg));
        }
    }
    Query::<T>::try_from_uri(uri).map(|q| q.0).map_err(|e| {
        let text = e.body_text();
        let text = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_owned();
        ApiError::bad_request(format!("Invalid query string: {text}"))
    })
}

/// Takes the id parameter `name` out of the query: its value, and the URI
/// without it for [`parse_query`] to read the rest (whose types refuse
/// parameters they do not name).
pub fn take_param(uri: &Uri, name: &str) -> ApiResult<(Option<String>, Uri)> {
    let Some(query) = uri.query() else { return Ok((None, uri.clone())) };
    let mut value = None;
    let mut rest = Vec::new();
    for part in query.split('&') {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(part)
            .map_err(|e| ApiError::bad_request(format!("Invalid query string: {e}")))?;
        match pairs.first() {
            Some((k, v)) if k == name => {
                novabilling::validate::id(name, v).map_err(ApiError::field)?;
                if value.replace(v.clone()).is_some() {
                    return Err(ApiError::field(FieldError::new(name, "invalid", format!("{name} must be given once"))));
                }
            }
            _ => rest.push(part),
        }
    }
    let rest = if rest.is_empty() { String::new() } else { format!("?{}", rest.join("&")) };
    let uri = Uri::builder()
        .path_and_query(format!("{}{rest}", uri.path()))
        .build()
        .map_err(|e| ApiError::bad_request(format!("Invalid query string: {e}")))?;
    Ok((value, uri))
}

/// For routes that take no query parameters: any is a 400 `unknown_field`.
pub fn no_query(uri: &Uri) -> ApiResult<()> {
    parse_query::<serde_json::Value>(uri, &[]).map(drop)
}
