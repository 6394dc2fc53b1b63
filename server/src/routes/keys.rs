//! `/api/keys` and `/api/ephemeral-keys`: restricted keys for the tenant's
//! own services, and short-lived keys for one customer's app. Storage in
//! [`crate::store::keys`]; who may call these is the route table's
//! `keys:manage`, plus the rules here on what a restricted key may hand out.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use novabilling::keys::{KeyKind, Scope};
use novabilling::model::{EphemeralKeyCreate, KeyCreate};
use novabilling::validate;

use super::BODY_ID;
use crate::auth::{Principal, Tenant};
use crate::body::JsonBody;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::query::no_query;
use crate::state::AppState;
use crate::store::customers;
use crate::store::keys::{self as store, KeyRow, Restricted};

const PATH_ID: &str = "Key id (`key_...`)";
const PATH_EPHEMERAL_ID: &str = "Ephemeral key id (`ephkey_...`)";

fn expiry(now: i64, seconds: u64) -> i64 {
    now.saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX).saturating_mul(1000))
}

/// Create a restricted key. A restricted key (with `keys:manage`) can only
/// grant scopes it holds itself. The answer holds the key's `secret`, shown only here.
#[utoipa::path(post, path = "/api/keys", tag = "keys", operation_id = "create_key", request_body = KeyCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created, with its secret", body = novabilling::model::Key,
        links(("RevokeKey" = (operation_id = "revoke_key", parameters(("id" = BODY_ID))))))))]
pub async fn create(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Extension(who): Extension<Principal>,
    JsonBody(body): JsonBody<KeyCreate>,
) -> ApiResult<Response> {
    let body = validate::key_create(body)?;
    let scopes = Scope::parse_all(body.scopes.iter().map(String::as_str)).map_err(ApiError::bad_request)?;
    if let Some(&missing) = scopes.iter().find(|s| !who.holds(**s)) {
        return Err(ApiError::insufficient_scope(missing, "A key can only grant scopes it holds"));
    }
    let now = now_ms();
    let r = Restricted {
        live: who.livemode,
        name: body.name.as_deref(),
        scopes: &scopes,
        now,
        expires_at: body.expires_in.map(|s| expiry(now, s)),
    };
    let key = store::create_restricted(&st.db, &t.0, r).await?;
    Ok((StatusCode::CREATED, Json(key)).into_response())
}

/// The tenant's secret and restricted keys that are not revoked, newest first (no secrets).
#[utoipa::path(get, path = "/api/keys", tag = "keys", operation_id = "list_keys",
    responses((status = 200, description = "`{ \"data\": [...] }`", body = crate::schema::KeyList)))]
pub async fn list(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    no_query(&uri)?;
    let data = store::list(&st.db, &t.0).await?;
    Ok(Json(serde_json::json!({ "data": data })).into_response())
}

fn key_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No key with id {id:?}"))
}

/// The key `id` of the tenant when it is of one of `kinds`.
async fn find(st: &AppState, tenant: &str, id: &str, kinds: &[KeyKind]) -> ApiResult<KeyRow> {
    store::get(&st.db, tenant, id).await?.filter(|k| kinds.contains(&k.kind())).ok_or_else(|| key_not_found(id))
}

/// Revoke a secret or restricted key: every replica refuses it from now on.
/// Revoking a secret key takes a secret key. Revoking again answers the same.
#[utoipa::path(delete, path = "/api/keys/{id}", tag = "keys", operation_id = "revoke_key",
    params(("id" = String, Path, description = PATH_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "The key, with `revokedAt`", body = novabilling::model::Key)))]
pub async fn revoke(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let key = find(&st, &t.0, &id, &[KeyKind::Secret, KeyKind::Restricted]).await?;
    if key.kind() == KeyKind::Secret && who.kind != KeyKind::Secret {
        return Err(ApiError::secret_key_required("Only a secret key can revoke a secret key"));
    }
    let row = store::revoke(&st.db, &t.0, &id).await?.ok_or_else(|| key_not_found(&id))?;
    Ok(Json(row.into_key()).into_response())
}

/// Mint an ephemeral key for one customer (by `customerId` or `externalId`),
/// for `expiresIn` seconds (default 3600, at most 86400). It reads that
/// customer and changes its name, email, country and currency; nothing else.
/// Hand its `secret` (shown only here) to that customer's app.
#[utoipa::path(post, path = "/api/ephemeral-keys", tag = "keys", request_body = EphemeralKeyCreate,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Created, with its secret", body = novabilling::model::EphemeralKey,
        links(("RevokeEphemeralKey" = (operation_id = "revoke_ephemeral", parameters(("id" = BODY_ID))))))))]
pub async fn create_ephemeral(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Extension(who): Extension<Principal>,
    JsonBody(body): JsonBody<EphemeralKeyCreate>,
) -> ApiResult<Response> {
    let body = validate::ephemeral_key_create(body)?;
    let customer = match (&body.customer_id, &body.external_id) {
        (Some(id), _) => customers::get(&st.db, &t.0, id).await?.ok_or_else(|| ApiError::customer_not_found(id))?,
        (None, Some(ext)) => customers::get_by_external_id(&st.db, &t.0, ext)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("No customer with externalId {ext:?}")))?,
        (None, None) => return Err(ApiError::bad_request("customerId or externalId is required")),
    };
    let now = now_ms();
    let seconds = body.expires_in.unwrap_or(validate::EPHEMERAL_DEFAULT_SECONDS);
    let key = store::create_ephemeral(&st.db, &t.0, who.livemode, &customer.id, now, expiry(now, seconds)).await?;
    Ok((StatusCode::CREATED, Json(key)).into_response())
}

/// Revoke an ephemeral key: the app's key stops working at once, on every replica.
#[utoipa::path(delete, path = "/api/ephemeral-keys/{id}", tag = "keys",
    params(("id" = String, Path, description = PATH_EPHEMERAL_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "The key, with `revokedAt`", body = novabilling::model::EphemeralKey)))]
pub async fn revoke_ephemeral(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    find(&st, &t.0, &id, &[KeyKind::Ephemeral]).await?;
    let row = store::revoke(&st.db, &t.0, &id).await?.ok_or_else(|| key_not_found(&id))?;
    Ok(Json(row.into_ephemeral()).into_response())
}
