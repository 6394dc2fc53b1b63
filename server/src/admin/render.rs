//! Pages as HTML: the frame every page shares, notices, error pages, and the
//! CLI and curl calls that do what an action does.

use std::borrow::Cow;
use std::fmt::Write;

use askama::Template;
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::api::Refused;
use super::session::{Caps, Session};

/// What the frame around every page needs.
pub struct Chrome {
    pub base: String,
    pub csrf: String,
    pub caps: Caps,
    pub label: String,
    /// The navigation entry to mark as current.
    pub nav: &'static str,
}

impl Chrome {
    pub fn new(s: &Session, nav: &'static str) -> Self {
        Chrome { base: s.base.0.clone(), csrf: s.csrf.clone(), caps: s.caps, label: s.label.clone(), nav }
    }
}

/// A page as a response; a template that fails to render is a 500 with a log line.
pub fn page(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "admin template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/plain")], "The page could not be drawn")
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "admin/problem.html")]
struct ProblemPage {
    c: Chrome,
    title: String,
    message: String,
    code: String,
    request_id: String,
}

/// The API refused a read the page needed: say what it said.
pub fn problem(s: &Session, nav: &'static str, r: &Refused) -> Response {
    let title = match r.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "This key may not do that",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        s if s.is_server_error() => "The server failed",
        _ => "Refused",
    };
    let t = ProblemPage {
        c: Chrome::new(s, nav),
        title: title.into(),
        message: r.text(),
        code: r.code().into(),
        request_id: r.body.request_id.clone().unwrap_or_default(),
    };
    page(r.status, &t)
}

/// The notices a redirect can ask for (`?notice=`): fixed texts, so a link
/// cannot make the page say anything else.
pub fn notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "saved" => "Saved.",
        "deleted" => "The customer was deleted: its subscriptions are canceled and its open invoices voided.",
        "bound" => "Bound. The customer now answers to that user id, for good.",
        "revoked" => "The key was revoked. Requests with it are refused from now on.",
        "redelivered" => "Queued for delivery again.",
        "signedout" => "Signed out.",
        _ => return None,
    })
}

/// The same action from a terminal: the CLI's command (when it has one) and curl.
pub struct Equivalent {
    pub cli: Option<String>,
    pub curl: String,
    /// What it does, so each disclosure on a page has its own name.
    pub about: &'static str,
}

/// `s` quoted for a POSIX shell. A NUL cannot be passed in an argument, so
/// it is dropped first; after that quoting cannot fail.
fn quote(s: &str) -> String {
    let s = s.replace('\0', "");
    shlex::try_quote(&s).map_or_else(|_| "''".to_owned(), Cow::into_owned)
}

impl Equivalent {
    /// `args` after `novabilling`, each quoted as a shell needs.
    pub fn new(s: &Session, cli: Option<&[&str]>, method: &Method, path: &str, body: Option<&Value>, if_match: Option<&str>) -> Self {
        let cli = cli.map(|args| {
            let mut line = String::from("novabilling");
            for a in args {
                line.push(' ');
                line.push_str(&quote(a));
            }
            line
        });
        let mut curl = String::from("curl");
        if method != Method::GET {
            let _ = write!(curl, " -X {method}");
        }
        let _ = write!(curl, " {}", quote(&format!("{}{path}", s.origin)));
        curl.push_str(" \\\n  -H \"Authorization: Bearer $NOVABILLING_API_KEY\"");
        if let Some(tag) = if_match {
            let _ = write!(curl, " \\\n  -H {}", quote(&format!("If-Match: {tag}")));
        }
        if let Some(b) = body {
            curl.push_str(" \\\n  -H 'Content-Type: application/json'");
            let _ = write!(curl, " \\\n  -d {}", quote(&b.to_string()));
        }
        Equivalent { cli, curl, about: "" }
    }

    pub fn about(mut self, about: &'static str) -> Self {
        self.about = about;
        self
    }
}
