//! Signing in with an API key, and out.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use novabilling::keys::KeyProblem;
use serde::Deserialize;

use super::form::Fields;
use super::render::{notice, page};
use super::security::{from_another_site, writer};
use super::session::{Base, Session, set_cookie, unusable};
use super::Admin;
use crate::store::keys;

#[derive(Template)]
#[template(path = "admin/signin.html")]
struct SigninPage {
    base: String,
    error: String,
    notice: String,
}

#[derive(Deserialize)]
pub struct SigninQuery {
    why: Option<String>,
    notice: Option<String>,
}

pub async fn form(base: Base, Query(q): Query<SigninQuery>) -> Response {
    let error = match q.why.as_deref() {
        Some("ended") => "Your key no longer works (revoked or expired): sign in with another key.",
        _ => "",
    };
    let t = SigninPage { base: base.0, error: error.into(), notice: notice(q.notice.as_deref()).unwrap_or("").into() };
    page(StatusCode::OK, &t)
}

/// Checks the key as the API's authentication would, then keeps it in the
/// session cookie. The key never appears in a page or a URL.
pub async fn submit(State(admin): State<Admin>, base: Base, headers: HeaderMap, form: Fields) -> Response {
    let key = form.text("key");
    let refuse = |error: &str| {
        let t = SigninPage { base: base.0.clone(), error: error.into(), notice: String::new() };
        page(StatusCode::UNAUTHORIZED, &t)
    };
    // Another site must not sign a visitor in with a key of its choosing.
    if from_another_site(&headers) {
        return refuse("Sign in from this page, not from another site.");
    }
    if key.is_empty() {
        return refuse("Paste an API key (sk_… or rk_…).");
    }
    match novabilling::keys::inspect(key) {
        Ok(_) => {}
        Err(KeyProblem::Checksum) => return refuse("That key's checksum does not match: it was mistyped or cut short."),
        Err(KeyProblem::Shape) => return refuse("That is not an API key: expected sk_ or rk_, then live_ or test_, then 38 letters and digits."),
    }
    let row = match keys::find(&admin.db, key).await {
        Ok(row) => row,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    if let Some(why) = unusable(row.as_ref()) {
        return refuse(why);
    }
    let to = format!("{}/", base.0);
    ([(header::SET_COOKIE, set_cookie(&headers, &base, Some(key)))], Redirect::to(&to)).into_response()
}

pub async fn signout(session: Session, headers: HeaderMap, form: Fields) -> Response {
    if let Err(r) = writer(&session, &headers, form.csrf()) {
        return r.into_response();
    }
    let to = format!("{}/signin?notice=signedout", session.base.0);
    ([(header::SET_COOKIE, set_cookie(&headers, &session.base, None))], Redirect::to(&to)).into_response()
}
