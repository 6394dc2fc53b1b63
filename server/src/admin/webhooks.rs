//! Webhook endpoints, each with its delivery log (status, duration, error) and
//! a redeliver button per event.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::api::seg;
use super::customers::thousands;
use super::form::Fields;
use super::render::{Chrome, Equivalent, notice, page, problem};
use super::security::writer;
use super::session::Session;
use super::Admin;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    #[serde(default)]
    pub event_types: Vec<String>,
    pub enabled: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub disabled_reason: Option<String>,
    #[serde(default)]
    pub failing_since: Option<String>,
    pub created_at: String,
}

impl Endpoint {
    pub fn types(&self) -> String {
        if self.event_types.is_empty() { "every event".into() } else { self.event_types.join(", ") }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub event_id: String,
    pub attempt: u32,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub error: Option<String>,
    pub created_at: String,
}

impl Delivery {
    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

#[derive(Deserialize)]
struct Attempts {
    data: Vec<Delivery>,
    meta: novabilling::PageMeta,
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage {
    c: Chrome,
    endpoints: Vec<Endpoint>,
    equiv: Equivalent,
}

pub async fn list(State(admin): State<Admin>, s: Session) -> Response {
    let path = "/api/webhook-endpoints";
    match admin.api.get::<Data<Endpoint>>(&s.key, path).await {
        Ok(a) => {
            let t = ListPage { c: Chrome::new(&s, "webhooks"), endpoints: a.body.data, equiv: Equivalent::new(&s, None, &Method::GET, path, None, None).about("this list") };
            page(StatusCode::OK, &t)
        }
        Err(r) => problem(&s, "webhooks", &r),
    }
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct ShowPage {
    c: Chrome,
    ep: Endpoint,
    attempts: Vec<Delivery>,
    total: String,
    page: u32,
    pages: u32,
    notice: String,
    equiv_log: Equivalent,
    equiv_redeliver: Equivalent,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    page: Option<u32>,
    notice: String,
}

pub async fn show(State(admin): State<Admin>, s: Session, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> Response {
    let path = format!("/api/webhook-endpoints/{}", seg(&id));
    let ep = match admin.api.get::<Endpoint>(&s.key, &path).await {
        Ok(a) => a.body,
        Err(r) => return problem(&s, "webhooks", &r),
    };
    let log = format!("{path}/deliveries?page={}&limit=25", q.page.unwrap_or(1));
    let attempts = match admin.api.get::<Attempts>(&s.key, &log).await {
        Ok(a) => a.body,
        Err(r) => return problem(&s, "webhooks", &r),
    };
    let redeliver = format!("/api/events/{}/redeliver", "evt_...");
    let t = ShowPage {
        c: Chrome::new(&s, "webhooks"),
        total: format!("{} {}", thousands(attempts.meta.total), if attempts.meta.total == 1 { "attempt" } else { "attempts" }),
        page: attempts.meta.page,
        pages: attempts.meta.total_pages,
        attempts: attempts.data,
        notice: notice(Some(&q.notice)).unwrap_or("").into(),
        equiv_log: Equivalent::new(&s, None, &Method::GET, &log, None, None).about("this delivery log"),
        equiv_redeliver: Equivalent::new(&s, None, &Method::POST, &redeliver, Some(&json!({ "endpointId": ep.id })), None).about("a redelivery"),
        ep,
    };
    page(StatusCode::OK, &t)
}

/// Queues the event for this endpoint again: same `webhook-id`, a new signature.
pub async fn redeliver(State(admin): State<Admin>, s: Session, headers: HeaderMap, Path(id): Path<String>, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let path = format!("/api/events/{}/redeliver", seg(f.text("event_id")));
    match admin.api.call::<serde_json::Value>(&s.key, Method::POST, &path, Some(&json!({ "endpointId": id })), None).await {
        Ok(_) => Redirect::to(&format!("{}/webhooks/{}?notice=redelivered", s.base.0, seg(&id))).into_response(),
        Err(r) => problem(&s, "webhooks", &r),
    }
}
