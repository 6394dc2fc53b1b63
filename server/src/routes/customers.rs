//! `/api/customers...`: input checks by core, storage by [`crate::store`].

use axum::Extension;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{
    BindRequest, Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, ListParams,
    PageParams, ResponseMeta, SortBy, SortOrder, StripeCustomer,
};
use novabilling::validate;

use super::{BODY_EXTERNAL_ID, BODY_ID, ETAG};
use crate::auth::Tenant;
use crate::body::{BodyRejection, JsonBody, JsonList};
use crate::error::{ApiError, ApiResult};
use crate::etag::{check_if_match, etag};
use crate::query::{no_query, parse_query, take_param};
use crate::state::AppState;
use crate::store::customers::{self as store, CustomerRow};
use crate::store::{listing, stripe_import};

const PATH_ID: &str = "Customer id (`cust_...`)";
const LIST_PARAMS: &[&str] = &["page", "limit", "search", "country", "currency", "status", "sortBy", "sortOrder"];

const STARTING_AFTER: &str = "A customer's id: the page starts after it, in the listing's order, read from the index \
    wherever it is (the SDKs page this way, from `meta.nextStartingAfter`). `page` then only numbers the page in `meta` \
    (0 when absent). A customer that is not there: 404";

/// The customer with its `ETag`, and for a create its `Location`.
fn respond(row: CustomerRow, status: StatusCode) -> Response {
    let (c, version) = row.into_customer();
    let mut resp = (status, [(header::ETAG, etag(version))], Json(&c)).into_response();
    if status == StatusCode::CREATED {
        if let Ok(v) = format!("/api/customers/{}", c.id).parse() {
            resp.headers_mut().insert(header::LOCATION, v);
        }
    }
    resp
}

/// Create a customer.
#[utoipa::path(post, path = "/api/customers", tag = "customers", request_body = CustomerCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    responses(
        (status = 201, description = "Created", body = Customer,
            headers(("ETag" = String, description = "Version of the customer"), ("Location" = String)),
            links(
                ("GetCustomer" = (operation_id = "get", parameters(("id" = BODY_ID)))),
                ("GetCustomerByExternalId" = (operation_id = "get_by_external_id", parameters(("externalId" = BODY_EXTERNAL_ID)))),
                ("UpdateCustomer" = (operation_id = "update", parameters(("id" = BODY_ID), ("header.If-Match" = ETAG)))),
                ("DeleteCustomer" = (operation_id = "delete", parameters(("id" = BODY_ID)))),
                ("BindCustomer" = (operation_id = "bind", parameters(("id" = BODY_ID)))),
                ("ListSubscriptions" = (operation_id = "customer_subscriptions", parameters(("id" = BODY_ID)))),
                ("ListInvoices" = (operation_id = "customer_invoices", parameters(("id" = BODY_ID)))),
                ("ListEvents" = (operation_id = "list_events", parameters(("customerId" = BODY_ID)))),
                ("CreateSubscription" = (operation_id = "create_subscription", request_body = json!({ "customerId": BODY_ID }))),
                // A valid amount and currency whatever the customer's currency (or none); fuzzing tries the others.
                ("CreateInvoice" = (operation_id = "create_invoice",
                    request_body = json!({ "customerId": BODY_ID, "amount": 10, "currency": "USD" }))),
                ("CreateEphemeralKey" = (operation_id = "create_ephemeral", request_body = json!({ "customerId": BODY_ID }))),
            )),
        (status = 409, description = "`email_taken` or `external_id_taken`", body = novabilling::ErrorBody),
    ))]
pub async fn create(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<CustomerCreate>,
) -> ApiResult<Response> {
    let c = validate::customer_create(body)?;
    Ok(respond(store::create(&st.db, &t.0, c).await?, StatusCode::CREATED))
}

/// Get a customer.
#[utoipa::path(get, path = "/api/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = PATH_ID)),
    responses((status = 200, description = "The customer", body = Customer, headers(("ETag" = String)))))]
pub async fn get(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    let row = store::get(&st.db, &t.0, &id).await?;
    row.map(|r| respond(r, StatusCode::OK)).ok_or_else(|| ApiError::customer_not_found(&id))
}

/// Get a customer by the caller's id.
#[utoipa::path(get, path = "/api/customers/external/{externalId}", tag = "customers",
    params(("externalId" = String, Path, description = "The caller's user id (percent-encoded)")),
    responses((status = 200, description = "The customer", body = Customer, headers(("ETag" = String)))))]
pub async fn get_by_external_id(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(external_id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    no_query(&uri)?;
    let row = store::get_by_external_id(&st.db, &t.0, &external_id).await?;
    row.map(|r| respond(r, StatusCode::OK))
        .ok_or_else(|| ApiError::not_found(format!("No customer with externalId {external_id:?}")))
}

/// List customers: paged, filtered, searched and sorted (ties broken by id).
#[utoipa::path(get, path = "/api/customers", tag = "customers",
    params(
        ("page" = Option<u32>, Query, description = "Page number, 1 or more (default 1)", minimum = 1),
        ("limit" = Option<u32>, Query, description = "Page size, 1..100 (default 20)", minimum = 1, maximum = 100),
        ("search" = Option<String>, Query, description = "Case-insensitive substring of name, email or externalId; % and _ match literally"),
        ("country" = Option<String>, Query, description = "ISO 3166-1 alpha-2"),
        ("currency" = Option<String>, Query, description = "ISO 4217"),
        ("status" = Option<CustomerStatus>, Query),
        ("sortBy" = Option<SortBy>, Query, description = "Default createdAt"),
        ("sortOrder" = Option<SortOrder>, Query, description = "Default desc"),
        ("startingAfter" = Option<String>, Query, description = STARTING_AFTER, min_length = 1, max_length = 255, pattern = r"^[^/\u0000-\u001f\u007f-\u009f]+$"),
    ),
    responses((status = 200, description = "A page of customers", body = crate::schema::CustomerPage)))]
pub async fn list(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    let (starting_after, uri) = take_param(&uri, "startingAfter")?;
    let params = validate::list_params(parse_query::<ListParams>(&uri, LIST_PARAMS)?)?;
    Ok(Json(listing::list(&st.db, &t.0, params, starting_after.as_deref()).await?).into_response())
}

/// Customers with no externalId yet (imported from Stripe, not bound).
#[utoipa::path(get, path = "/api/customers/unresolved", tag = "customers",
    params(
        ("page" = Option<u32>, Query, description = "Page number, 1 or more (default 1)", minimum = 1),
        ("limit" = Option<u32>, Query, description = "Page size, 1..100 (default 20)", minimum = 1, maximum = 100),
        ("startingAfter" = Option<String>, Query, description = STARTING_AFTER, min_length = 1, max_length = 255, pattern = r"^[^/\u0000-\u001f\u007f-\u009f]+$"),
    ),
    responses((status = 200, description = "A page of unresolved customers, newest first", body = crate::schema::CustomerPage)))]
pub async fn unresolved(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    let (starting_after, uri) = take_param(&uri, "startingAfter")?;
    let params = validate::page_params(parse_query::<PageParams>(&uri, &["page", "limit"])?)?;
    Ok(Json(listing::unresolved(&st.db, &t.0, params, starting_after.as_deref()).await?).into_response())
}

/// Update a customer: absent fields are kept, `null` clears, `metadata` is replaced whole.
#[utoipa::path(patch, path = "/api/customers/{id}", tag = "customers", request_body = CustomerUpdate,
    params(
        ("id" = String, Path, description = PATH_ID),
        ("If-Match" = Option<String>, Header, description = "The customer's ETag, or *"),
        ("Idempotency-Key" = Option<String>, Header),
    ),
    responses(
        (status = 200, description = "The updated customer", body = Customer, headers(("ETag" = String))),
        (status = 409, description = "`email_taken`", body = novabilling::ErrorBody),
        (status = 412, description = "`precondition_failed`: If-Match does not match", body = novabilling::ErrorBody),
    ))]
pub async fn update(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<JsonBody<CustomerUpdate>, BodyRejection>,
) -> ApiResult<Response> {
    // CustomerUpdate has no externalId, so core calls it an unknown field; here
    // it is a known one that this route may not change.
    let JsonBody(body) = body.map_err(|e| {
        if e.is_unknown_field("externalId") {
            ApiError::bad_request(
                "externalId cannot be changed with PATCH; bind an unresolved customer with POST /api/customers/{id}/bind",
            )
            .with_code("external_id_immutable")
        } else {
            e.into()
        }
    })?;
    let u = validate::customer_update(body)?;
    let row = store::update(&st.db, &t.0, &id, u, |version| check_if_match(&headers, version)).await?;
    Ok(respond(row, StatusCode::OK))
}

/// Delete a customer: cancels its active and trialing subscriptions and voids
/// its draft and open invoices, in one transaction.
#[utoipa::path(delete, path = "/api/customers/{id}", tag = "customers",
    params(
        ("id" = String, Path, description = PATH_ID),
        ("If-Match" = Option<String>, Header, description = "The customer's ETag, or *"),
        ("Idempotency-Key" = Option<String>, Header),
    ),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 412, description = "`precondition_failed`", body = novabilling::ErrorBody),
    ))]
pub async fn delete(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    store::delete(&st.db, &t.0, &id, |version| check_if_match(&headers, version)).await?;
    Ok(Json(Deleted { id, deleted: true, response: ResponseMeta::default() }).into_response())
}

/// Give an unresolved customer its externalId. One-way.
#[utoipa::path(post, path = "/api/customers/{id}/bind", tag = "customers", request_body = BindRequest,
    params(
        ("id" = String, Path, description = PATH_ID),
        ("If-Match" = Option<String>, Header, description = "The customer's ETag, or *"),
        ("Idempotency-Key" = Option<String>, Header),
    ),
    responses(
        (status = 200, description = "The bound customer", body = Customer, headers(("ETag" = String))),
        (status = 409, description = "`already_bound` or `external_id_taken`", body = novabilling::ErrorBody),
        (status = 412, description = "`precondition_failed`", body = novabilling::ErrorBody),
    ))]
pub async fn bind(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<BindRequest>,
) -> ApiResult<Response> {
    let external_id = validate::external_id("externalId", &body.external_id).map_err(ApiError::field)?;
    let row = store::bind(&st.db, &t.0, &id, &external_id, |version| check_if_match(&headers, version)).await?;
    Ok(respond(row, StatusCode::OK))
}

/// Import Stripe customers as unresolved customers. Idempotent by Stripe id:
/// a Stripe id already imported (and not deleted) is skipped, and so is a
/// customer whose email another customer of the tenant already has.
#[utoipa::path(post, path = "/api/customers/import/stripe", tag = "customers", request_body = Vec<StripeCustomer>,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, description = "How many were created and skipped", body = ImportResult)))]
pub async fn import_stripe(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonList(list): JsonList<StripeCustomer>,
) -> ApiResult<Response> {
    let list = validate::stripe_customers(list)?;
    let (created, skipped) = stripe_import::import(&st.db, &t.0, &list).await?;
    Ok(Json(ImportResult { created, skipped, response: ResponseMeta::default() }).into_response())
}
