//! `/api/webhook-endpoints...` and `/api/events...`: the tenant's receivers,
//! its events, and redelivery. Input checks here, storage in
//! [`crate::store::webhooks`] and [`crate::store::events`].

use axum::Extension;
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{Deleted, PageParams, Patch, ResponseMeta};
use novabilling::webhooks::WebhookSecret;
use novabilling::{FieldError, ValidationError, validate};
use serde::Deserialize;
use utoipa::ToSchema;

use super::BODY_ID;
use crate::auth::Tenant;
use crate::body::{JsonBody, read_body};
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::query::{no_query, parse_query};
use crate::state::AppState;
use crate::store::events::{self, EVENT_TYPES, EventFilter};
use crate::store::webhooks::{self as store, EndpointChange, NewEndpoint, WebhookEndpoint, endpoint_not_found};

const PATH_ID: &str = "Webhook endpoint id (`we_...`)";
pub(crate) const MAX_URL: usize = 2048;
pub(crate) const MAX_DESCRIPTION: usize = 1000;

/// The body of `POST /api/webhook-endpoints`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookEndpointCreate {
    /// Absolute http(s) URL that receives the POSTs.
    pub url: String,
    /// Event types to receive; omitted or empty: all.
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
    /// Default true.
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
}

/// The body of `PATCH /api/webhook-endpoints/{id}`: absent fields are kept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookEndpointUpdate {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
    /// `true` re-enables an endpoint the server disabled, and clears `disabledReason`.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
}

/// The optional body of `POST /api/events/{id}/redeliver`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedeliverRequest {
    /// Only to this endpoint; otherwise to every enabled endpoint that takes the event's type.
    #[serde(default)]
    pub endpoint_id: Option<String>,
}

/// The answer to a redelivery.
#[derive(Debug, serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Redelivery {
    pub event_id: String,
    /// How many deliveries were queued (one per endpoint).
    pub queued: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventQuery {
    #[serde(rename = "type")]
    event_type: Option<String>,
    customer_id: Option<String>,
    page: Option<u32>,
    limit: Option<u32>,
}

/// A new signing secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    WebhookSecret::generate().to_text()
}

fn field(name: &str, code: &str, message: String) -> FieldError {
    FieldError::new(name, code, message)
}

/// Checks a receiver URL's form, then where it points (the SSRF guard).
async fn check_url(st: &AppState, url: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let url = url.trim();
    if url.chars().count() > MAX_URL {
        errors.push(field("url", "too_long", format!("url must be at most {MAX_URL} characters")));
        return None;
    }
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()) => u,
        _ => {
            errors.push(field("url", "invalid", format!("url must be an absolute http:// or https:// URL, got {url:?}")));
            return None;
        }
    };
    let host = parsed.host_str().unwrap_or_default();
    if let Err(why) = st.ssrf.check_host(host).await {
        errors.push(field("url", "not_allowed", format!("url {why}")));
        return None;
    }
    Some(parsed.to_string())
}

fn check_types(types: Vec<String>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, t) in types.into_iter().enumerate() {
        if !EVENT_TYPES.contains(&t.as_str()) {
            errors.push(field(
                &format!("eventTypes[{i}]"),
                "not_allowed",
                format!("unknown event type {t:?}; the types are {}", EVENT_TYPES.join(", ")),
            ));
        } else if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn check_description(d: String, errors: &mut Vec<FieldError>) -> String {
    if d.chars().count() > MAX_DESCRIPTION {
        errors.push(field("description", "too_long", format!("description must be at most {MAX_DESCRIPTION} characters")));
    }
    d
}

fn finish(errors: Vec<FieldError>) -> ApiResult<()> {
    if errors.is_empty() { Ok(()) } else { Err(ApiError::validation(ValidationError { errors })) }
}

fn created(e: &WebhookEndpoint) -> Response {
    let mut resp = (StatusCode::CREATED, Json(e)).into_response();
    if let Ok(v) = format!("/api/webhook-endpoints/{}", e.id).parse() {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Create a webhook endpoint. The answer holds its signing `secret`, shown only here.
#[utoipa::path(post, path = "/api/webhook-endpoints", tag = "webhooks", request_body = WebhookEndpointCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created, with its secret", body = WebhookEndpoint, headers(("Location" = String)),
        links(
            ("GetEndpoint" = (operation_id = "get_endpoint", parameters(("id" = BODY_ID)))),
            ("UpdateEndpoint" = (operation_id = "update_endpoint", parameters(("id" = BODY_ID)))),
            ("DeleteEndpoint" = (operation_id = "delete_endpoint", parameters(("id" = BODY_ID)))),
            ("RotateSecret" = (operation_id = "rotate_secret", parameters(("id" = BODY_ID)))),
            ("ListDeliveries" = (operation_id = "deliveries", parameters(("id" = BODY_ID)))),
        ))))]
pub async fn create_endpoint(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<WebhookEndpointCreate>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let url = check_url(&st, &body.url, &mut errors).await;
    let event_types = check_types(body.event_types.unwrap_or_default(), &mut errors);
    let description = body.description.map(|d| check_description(d, &mut errors));
    finish(errors)?;
    let e = NewEndpoint { url: url.unwrap_or_default(), event_types, enabled: body.enabled.unwrap_or(true), description };
    let endpoint = store::create(&st.db, &t.0, e, &new_secret(), now_ms()).await?;
    Ok(created(&endpoint))
}

/// The tenant's webhook endpoints, oldest first (no secrets).
#[utoipa::path(get, path = "/api/webhook-endpoints", tag = "webhooks",
    responses((status = 200, description = "`{ \"data\": [...] }`", body = crate::schema::WebhookEndpointList)))]
pub async fn list_endpoints(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    no_query(&uri)?;
    let data = store::list(&st.db, &t.0).await?;
    Ok(Json(serde_json::json!({ "data": data })).into_response())
}

/// Get a webhook endpoint (no secret).
#[utoipa::path(get, path = "/api/webhook-endpoints/{id}", tag = "webhooks",
    params(("id" = String, Path, description = PATH_ID)),
    responses((status = 200, description = "The endpoint", body = WebhookEndpoint)))]
pub async fn get_endpoint(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    let e = store::get(&st.db, &t.0, &id).await?.ok_or_else(|| endpoint_not_found(&id))?;
    Ok(Json(e).into_response())
}

/// Update a webhook endpoint: absent fields are kept.
#[utoipa::path(patch, path = "/api/webhook-endpoints/{id}", tag = "webhooks", request_body = WebhookEndpointUpdate,
    params(("id" = String, Path, description = PATH_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "The updated endpoint", body = WebhookEndpoint)))]
pub async fn update_endpoint(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<WebhookEndpointUpdate>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let url = match &body.url {
        Some(u) => check_url(&st, u, &mut errors).await,
        None => None,
    };
    let event_types = body.event_types.map(|t| check_types(t, &mut errors));
    let description = body.description.map(|d| check_description(d, &mut errors));
    finish(errors)?;
    let change = EndpointChange { url, event_types, enabled: body.enabled, description };
    Ok(Json(store::update(&st.db, &t.0, &id, change, now_ms()).await?).into_response())
}

/// Delete a webhook endpoint, with its queued deliveries and its delivery log.
#[utoipa::path(delete, path = "/api/webhook-endpoints/{id}", tag = "webhooks",
    params(("id" = String, Path, description = PATH_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "Deleted", body = Deleted)))]
pub async fn delete_endpoint(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    store::delete(&st.db, &t.0, &id).await?;
    Ok(Json(Deleted { id, deleted: true, response: ResponseMeta::default() }).into_response())
}

/// Replace the signing secret. The new one is in the answer, once; the old one
/// keeps signing (a second signature on every delivery) for the grace period.
#[utoipa::path(post, path = "/api/webhook-endpoints/{id}/rotate-secret", tag = "webhooks",
    params(("id" = String, Path, description = PATH_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "The endpoint with its new secret", body = WebhookEndpoint)))]
pub async fn rotate_secret(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let now = now_ms();
    let grace = i64::try_from(st.secret_grace.as_millis()).unwrap_or(i64::MAX);
    let e = store::rotate(&st.db, &t.0, &id, &new_secret(), now.saturating_add(grace), now).await?;
    Ok(Json(e).into_response())
}

fn paging(page: Option<u32>, limit: Option<u32>) -> ApiResult<(u32, u32)> {
    let p = validate::page_params(PageParams { page, limit })?;
    Ok((p.page.unwrap_or(1), p.limit.unwrap_or(20)))
}

/// The endpoint's delivery attempts, newest first.
#[utoipa::path(get, path = "/api/webhook-endpoints/{id}/deliveries", tag = "webhooks",
    params(
        ("id" = String, Path, description = PATH_ID),
        ("page" = Option<u32>, Query, description = "Page number, 1 or more (default 1)", minimum = 1),
        ("limit" = Option<u32>, Query, description = "Page size, 1..100 (default 20)", minimum = 1, maximum = 100),
    ),
    responses((status = 200, description = "A page of attempts", body = crate::schema::DeliveryPage)))]
pub async fn deliveries(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    let q = parse_query::<PageParams>(&uri, &["page", "limit"])?;
    let (page, limit) = paging(q.page, q.limit)?;
    Ok(Json(store::deliveries(&st.db, &t.0, &id, page, limit).await?).into_response())
}

/// The tenant's events, newest first, each as delivered.
#[utoipa::path(get, path = "/api/events", tag = "webhooks",
    params(
        ("type" = Option<String>, Query, description = "Only events of this type"),
        ("customerId" = Option<String>, Query, description = "Only events about this customer"),
        ("page" = Option<u32>, Query, description = "Page number, 1 or more (default 1)", minimum = 1),
        ("limit" = Option<u32>, Query, description = "Page size, 1..100 (default 20)", minimum = 1, maximum = 100),
    ),
    responses((status = 200, description = "A page of events", body = crate::schema::EventPage)))]
pub async fn list_events(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    let q = parse_query::<EventQuery>(&uri, &["type", "customerId", "page", "limit"])?;
    let paged = paging(q.page, q.limit);
    let mut errors = match &paged {
        Err(e) => e.errors.clone(),
        Ok(_) => Vec::new(),
    };
    if let Some(ty) = q.event_type.as_deref().filter(|t| !EVENT_TYPES.contains(t)) {
        errors.push(field("type", "not_allowed", format!("unknown event type {ty:?}; the types are {}", EVENT_TYPES.join(", "))));
    }
    finish(errors)?;
    let (page, limit) = paged?;
    let filter = EventFilter { event_type: q.event_type, customer_id: q.customer_id, page, limit };
    Ok(Json(events::list(&st.db, &t.0, &filter).await?).into_response())
}

/// One event, as delivered.
#[utoipa::path(get, path = "/api/events/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Event id (`evt_...`)")),
    responses((status = 200, description = "The event", body = crate::schema::Event)))]
pub async fn get_event(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    let e = events::get(&st.db, &t.0, &id).await?.ok_or_else(|| ApiError::not_found(format!("No event with id {id:?}")))?;
    Ok(Json(e).into_response())
}

/// Queue an event again, to its endpoints or to one (same `webhook-id`).
#[utoipa::path(post, path = "/api/events/{id}/redeliver", tag = "webhooks", request_body(content = Option<RedeliverRequest>),
    params(("id" = String, Path, description = "Event id (`evt_...`)"), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 202, description = "Queued", body = Redelivery),
        (status = 409, description = "`endpoint_disabled`", body = novabilling::ErrorBody),
    ))]
pub async fn redeliver(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<Response> {
    // The body is optional: none (or only whitespace), or JSON `null` as the
    // document allows, means every endpoint.
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body).await?;
    let body = if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
        RedeliverRequest::default()
    } else {
        let req = Request::from_parts(parts, Body::from(bytes));
        JsonBody::<RedeliverRequest>::from_request(req, &()).await.map_err(ApiError::from)?.0
    };
    let queued = events::redeliver(&st.db, &t.0, &id, body.endpoint_id.as_deref(), now_ms()).await?;
    Ok((StatusCode::ACCEPTED, Json(Redelivery { event_id: id, queued })).into_response())
}
