//! The admin's defences: a strict Content-Security-Policy and friends on every
//! answer, and the CSRF check every write passes.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::Session;

/// Scripts and styles from /admin/static only: no inline script, no eval, no
/// other origin; forms post only here; no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages hold customers' data: no cache keeps them (the static files say otherwise).
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// A write that failed the CSRF check.
pub struct Refusal;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html lang=\"en\"><title>Refused</title><main><h1>Refused</h1>\
             <p>This form came from another site, or from a page signed in with another key. \
             Nothing was changed. Go back, reload the page and try again.</p></main></html>",
        )
            .into_response()
    }
}

/// The browser says the request came from another site (or a sibling one):
/// by `Sec-Fetch-Site`, or for browsers without it by an `Origin` whose host
/// is not this request's `Host`.
pub fn from_another_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site != "same-origin" && site != "none";
    }
    match (text("origin"), text("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        _ => false,
    }
}

/// A write may go ahead when its token is the session's and the browser does
/// not say it came from another site. The cookie's SameSite=Strict already
/// keeps it off cross-site requests; this holds even where that is not honoured.
pub fn writer(session: &Session, headers: &HeaderMap, token: Option<&str>) -> Result<(), Refusal> {
    let cross_site = from_another_site(headers);
    let token = token.or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
    if cross_site || token != Some(session.csrf.as_str()) {
        return Err(Refusal);
    }
    Ok(())
}
