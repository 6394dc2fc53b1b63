//! The API, called in process with the signed-in key: the admin page has no
//! way around the API's authentication, scopes and validation.

use std::fmt::Write;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use novabilling::ErrorBody;
use novabilling::keys::Scope;
use serde::de::DeserializeOwned;
use serde_json::Value;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tower::ServiceExt;

/// The largest answer read back: a page of 100 customers with full metadata.
const MAX_ANSWER: usize = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct Api(Router);

/// A call the API refused (or could not answer), as the page shows it.
#[derive(Debug, Clone)]
pub struct Refused {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl Refused {
    pub fn code(&self) -> &str {
        self.body.code.as_deref().unwrap_or("")
    }

    /// The message, and each field's, the way a person reads them.
    pub fn text(&self) -> String {
        let mut text = self.body.message.clone();
        for f in &self.body.errors {
            let _ = write!(text, " {}: {}", f.field, f.message);
        }
        text
    }

    /// What the API would answer a key without `scope`, for a page that
    /// only offers what needs it (the import form, a delete's confirmation).
    pub fn lacking(scope: Scope) -> Self {
        let mut body = plain(StatusCode::FORBIDDEN, format!("This key does not hold {}: sign in with a key that does.", scope.as_str()));
        body.code = Some("insufficient_scope".into());
        body.required_scope = Some(scope.as_str().into());
        Refused { status: StatusCode::FORBIDDEN, body }
    }

    fn internal(message: impl Into<String>) -> Self {
        Refused { status: StatusCode::INTERNAL_SERVER_ERROR, body: plain(StatusCode::INTERNAL_SERVER_ERROR, message.into()) }
    }
}

/// An answer: the parsed body and its `ETag`.
pub struct Answer<T> {
    pub body: T,
    pub etag: Option<String>,
}

impl Api {
    pub fn new(router: Router) -> Self {
        Api(router)
    }

    /// `method path` with `key`, a JSON body and an `If-Match` when given.
    pub async fn call<T: DeserializeOwned>(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<Answer<T>, Refused> {
        let mut req = Request::builder().method(method).uri(path);
        let auth = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| Refused::internal("The key cannot be sent"))?;
        req = req.header(header::AUTHORIZATION, auth);
        if let Some(tag) = if_match {
            let tag = HeaderValue::from_str(tag).map_err(|_| Refused {
                status: StatusCode::BAD_REQUEST,
                body: plain(StatusCode::BAD_REQUEST, "The form's version of this customer is garbled: reload the page.".into()),
            })?;
            req = req.header(header::IF_MATCH, tag);
        }
        let req = match body {
            Some(v) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
            None => req.body(Body::empty()),
        }
        .map_err(|e| Refused::internal(format!("Bad request to the API: {e}")))?;
        let resp = self.0.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
        let status = resp.status();
        let etag = resp.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = to_bytes(resp.into_body(), MAX_ANSWER)
            .await
            .map_err(|e| Refused::internal(format!("The API's answer could not be read: {e}")))?;
        if !status.is_success() {
            let body = serde_json::from_slice::<ErrorBody>(&bytes)
                .unwrap_or_else(|_| plain(status, String::from_utf8_lossy(&bytes).into_owned()));
            return Err(Refused { status, body });
        }
        let body = serde_json::from_slice(&bytes)
            .map_err(|e| Refused::internal(format!("The API's answer was not understood: {e}")))?;
        Ok(Answer { body, etag })
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &str, path: &str) -> Result<Answer<T>, Refused> {
        self.call(key, Method::GET, path, None, None).await
    }
}

/// An error body for an answer that did not carry one.
fn plain(status: StatusCode, message: String) -> ErrorBody {
    ErrorBody {
        status_code: status.as_u16(),
        code: None,
        message,
        errors: Vec::new(),
        request_id: None,
        timestamp: None,
        path: None,
        required_scope: None,
    }
}

/// One path segment, percent-encoded: an id from a URL can never step into
/// another route (`../keys`).
pub fn seg(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// What a path segment cannot hold as it is (RFC 3986's pchar, and `%`).
const SEGMENT: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'?').add(b'<').add(b'>').add(b'`').add(b'{').add(b'}')
        .add(b'\\').add(b'^').add(b'|').add(b'[').add(b']');
