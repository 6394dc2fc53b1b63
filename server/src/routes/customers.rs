//! `/api/customers...`

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use novabilling::model::{
    BindRequest, Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, ListParams, Metadata,
    Page, PageParams, Patch, ResponseMeta, SortBy, SortOrder, StripeCustomer,
};
use novabilling::validate;
use rust_decimal::Decimal;

use super::{check_if_match, etag, ms_to_time};
use crate::AppState;
use crate::auth::Tenant;
use crate::db::{begin_write, unique_violation, with_db};
use crate::error::{ApiError, ApiResult, JsonBody, JsonList, parse_query};

/// The columns of a customer, with its totals computed from its billing records.
macro_rules! customer_cols {
    () => {
        "c.id, c.external_id, c.external_organization_id, c.email, c.name, c.country, c.currency, c.status, \
         c.metadata, c.stripe_customer_id, c.version, c.created_at, c.updated_at, \
         (SELECT CAST(COALESCE(SUM(i.amount_minor), 0) AS BIGINT) FROM invoices i \
            WHERE i.customer_id = c.id AND i.status = 'paid' AND i.currency = c.currency) AS total_spent_minor, \
         (SELECT COUNT(*) FROM subscriptions s \
            WHERE s.customer_id = c.id AND s.status IN ('active', 'trialing')) AS active_subscriptions"
    };
}

const SELECT_BY_ID: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM customers c WHERE c.id = $1 AND c.tenant_id = $2 AND c.deleted_at IS NULL"
);
const SELECT_BY_EXTERNAL_ID: &str = concat!(
    "SELECT ",
    customer_cols!(),
    " FROM customers c WHERE c.tenant_id = $1 AND c.external_id = $2 AND c.deleted_at IS NULL"
);
const INSERT: &str = "INSERT INTO customers (id, tenant_id, external_id, external_organization_id, email, email_lc, \
     name, country, currency, status, metadata, stripe_customer_id, search_lc, version, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)";
const IMPORT: &str = "INSERT INTO customers (id, tenant_id, external_id, external_organization_id, email, email_lc, \
     name, country, currency, status, metadata, stripe_customer_id, search_lc, version, created_at, updated_at) \
     VALUES ($1, $2, NULL, NULL, $3, $4, $5, $6, $7, 'active', $8, $9, $10, 1, $11, $11) ON CONFLICT DO NOTHING";

#[derive(sqlx::FromRow)]
pub struct CustomerRow {
    id: String,
    external_id: Option<String>,
    external_organization_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    status: String,
    metadata: String,
    stripe_customer_id: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
    total_spent_minor: i64,
    active_subscriptions: i64,
    /// The listing's total, when the page query counted it too.
    #[sqlx(default)]
    page_total: Option<i64>,
}

impl CustomerRow {
    fn into_customer(self) -> (Customer, i64) {
        let total_spent = match &self.currency {
            Some(cur) => Decimal::new(self.total_spent_minor, validate::currency_exponent(cur)),
            None => Decimal::ZERO,
        };
        let c = Customer {
            id: self.id,
            external_id: self.external_id,
            external_organization_id: self.external_organization_id,
            email: self.email,
            name: self.name,
            country: self.country,
            currency: self.currency,
            status: CustomerStatus::from_wire(&self.status),
            metadata: serde_json::from_str(&self.metadata).unwrap_or_default(),
            stripe_customer_id: self.stripe_customer_id,
            net_payment_terms: None,
            total_spent,
            active_subscriptions: self.active_subscriptions,
            created_at: ms_to_time(self.created_at),
            updated_at: ms_to_time(self.updated_at),
            subscriptions: None,
            invoices: None,
            response: ResponseMeta::default(),
        };
        (c, self.version)
    }

    fn respond(self, status: StatusCode) -> Response {
        let (c, version) = self.into_customer();
        let mut resp = (status, [(header::ETAG, etag(version))], Json(&c)).into_response();
        if status == StatusCode::CREATED {
            if let Ok(v) = format!("/api/customers/{}", c.id).parse() {
                resp.headers_mut().insert(header::LOCATION, v);
            }
        }
        resp
    }
}

/// The fields that a PATCH or bind reads before it writes.
#[derive(sqlx::FromRow)]
struct Current {
    external_id: Option<String>,
    external_organization_id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    status: String,
    metadata: String,
    version: i64,
    updated_at: i64,
}

/// Reads a customer's row inside a write transaction (locked on PostgreSQL)
/// and checks `If-Match` against it, so check and write cannot race.
macro_rules! lock_current {
    ($tx:ident, $sql:expr, $id:expr, $tenant:expr, $headers:expr) => {{
        let cur = sqlx::query_as::<_, Current>($sql)
            .bind($id)
            .bind($tenant)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or_else(|| ApiError::customer_not_found($id))?;
        check_if_match($headers, cur.version)?;
        cur
    }};
}

const SELECT_CURRENT: &str = "SELECT external_id, external_organization_id, email, name, country, currency, status, \
     metadata, version, updated_at FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL";

/// The lower-cased text that search matches: name, email and externalId.
const SEARCH_SEP: char = '\u{1f}';
fn search_text(name: Option<&str>, email: Option<&str>, external_id: Option<&str>) -> String {
    let mut s = String::new();
    for (i, part) in [name, email, external_id].into_iter().enumerate() {
        if i > 0 {
            s.push(SEARCH_SEP);
        }
        if let Some(p) = part {
            s.push_str(&p.to_lowercase());
        }
    }
    s
}

/// Escapes `\`, `%` and `_` for `LIKE ... ESCAPE '\'`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for ch in s.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn conflict(e: sqlx::Error) -> ApiError {
    match unique_violation(&e) {
        Some(c) if c.contains("email") => ApiError::conflict("email_taken", "A customer with this email already exists"),
        Some(c) if c.contains("external_id") => {
            ApiError::conflict("external_id_taken", "A customer with this externalId already exists")
        }
        Some(c) if c.contains("stripe") => {
            ApiError::conflict("stripe_customer_taken", "A customer with this stripeCustomerId already exists")
        }
        _ => e.into(),
    }
}

fn metadata_text(m: &Metadata) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
}

const PATH_ID: &str = "Customer id (`cust_...`)";

/// Create a customer.
#[utoipa::path(post, path = "/api/customers", tag = "customers", request_body = CustomerCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    responses(
        (status = 201, description = "Created", body = Customer,
            headers(("ETag" = String, description = "Version of the customer"), ("Location" = String))),
        (status = 409, description = "`email_taken` or `external_id_taken`", body = ErrorBody),
    ))]
pub async fn create(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    JsonBody(body): JsonBody<CustomerCreate>,
) -> ApiResult<Response> {
    let c = validate::customer_create(body)?;
    let id = crate::ids::new_id("cust_");
    let now = crate::now_ms();
    let metadata = c.metadata.clone().unwrap_or_default();
    let search = search_text(c.name.as_deref(), Some(&c.email), Some(&c.external_id));
    let email_lc = c.email.to_lowercase();
    let meta_text = metadata_text(&metadata);
    let inserted = with_db!(&st.db, write, |p| {
        sqlx::query(INSERT)
            .bind(&id)
            .bind(&*t.0)
            .bind(&c.external_id)
            .bind(&c.external_organization_id)
            .bind(&c.email)
            .bind(&email_lc)
            .bind(&c.name)
            .bind(&c.country)
            .bind(&c.currency)
            .bind("active")
            .bind(&meta_text)
            .bind(None::<String>)
            .bind(&search)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    });
    if let Err(e) = inserted {
        // Both may be taken: say externalId first, whichever index the database checked first.
        let mut err = conflict(e);
        if err.code == "email_taken" {
            let ext_taken = with_db!(&st.db, write, |p| {
                sqlx::query_scalar::<_, String>(
                    "SELECT id FROM customers WHERE tenant_id = $1 AND external_id = $2 AND deleted_at IS NULL",
                )
                .bind(&*t.0)
                .bind(&c.external_id)
                .fetch_optional(p)
                .await
            })?;
            if ext_taken.is_some() {
                err = ApiError::conflict("external_id_taken", "A customer with this externalId already exists");
            }
        }
        return Err(err);
    }
    let row = CustomerRow {
        id,
        external_id: Some(c.external_id),
        external_organization_id: c.external_organization_id,
        email: Some(c.email),
        name: c.name,
        country: c.country,
        currency: c.currency,
        status: "active".into(),
        metadata: meta_text,
        stripe_customer_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
        total_spent_minor: 0,
        active_subscriptions: 0,
        page_total: None,
    };
    Ok(row.respond(StatusCode::CREATED))
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
    parse_query::<serde_json::Value>(&uri, &[])?;
    let row = with_db!(&st.db, read, |p| {
        sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(&id).bind(&*t.0).fetch_optional(p).await
    })?;
    row.map(|r| r.respond(StatusCode::OK)).ok_or_else(|| ApiError::customer_not_found(&id))
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
    parse_query::<serde_json::Value>(&uri, &[])?;
    let row = with_db!(&st.db, read, |p| {
        sqlx::query_as::<_, CustomerRow>(SELECT_BY_EXTERNAL_ID).bind(&*t.0).bind(&external_id).fetch_optional(p).await
    })?;
    row.map(|r| r.respond(StatusCode::OK))
        .ok_or_else(|| ApiError::not_found(format!("No customer with externalId {external_id:?}")))
}

enum Bind {
    Text(String),
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(s.as_str()),
            };
        }
        q
    }};
}

struct Listing {
    /// The tables: `customers c`, or on SQLite a search driven by its trigram index.
    from: &'static str,
    conds: String,
    binds: Vec<Bind>,
    order: String,
    page: u32,
    limit: u32,
}

async fn run_listing(st: &AppState, l: Listing) -> ApiResult<Response> {
    let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}", l.from, l.conds);
    let n = l.binds.len();
    let offset = (i64::from(l.page) - 1) * i64::from(l.limit);
    let (total, rows) = if l.from == CUSTOMERS {
        let data_sql = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ${} OFFSET ${}",
            customer_cols!(),
            l.from,
            l.conds,
            l.order,
            n + 1,
            n + 2
        );
        with_db!(&st.db, read, |p| {
            let total: i64 = bind_all!(sqlx::query_scalar::<_, i64>(&count_sql), &l.binds).fetch_one(p).await?;
            let rows = if total > offset {
                bind_all!(sqlx::query_as::<_, CustomerRow>(&data_sql), &l.binds)
                    .bind(i64::from(l.limit))
                    .bind(offset)
                    .fetch_all(p)
                    .await?
            } else {
                Vec::new()
            };
            (total, rows)
        })
    } else {
        // An index-driven search: one pass over the matches yields the page's ids
        // and the total (a window count), instead of a count and a page query
        // that would each read the index again. A third of the time at 1M customers.
        let page_sql = format!(
            "SELECT {}, m.total AS page_total FROM (SELECT c.id AS mid, COUNT(*) OVER () AS total FROM {} WHERE {} \
             ORDER BY {} LIMIT ${} OFFSET ${}) m JOIN customers c ON c.id = m.mid ORDER BY {}",
            customer_cols!(),
            l.from,
            l.conds,
            l.order,
            n + 1,
            n + 2,
            l.order
        );
        with_db!(&st.db, read, |p| {
            let rows = bind_all!(sqlx::query_as::<_, CustomerRow>(&page_sql), &l.binds)
                .bind(i64::from(l.limit))
                .bind(offset)
                .fetch_all(p)
                .await?;
            // No row, so no total on one: past the last page, or nothing matched.
            let total = match rows.first().and_then(|r| r.page_total) {
                Some(t) => t,
                None => bind_all!(sqlx::query_scalar::<_, i64>(&count_sql), &l.binds).fetch_one(p).await?,
            };
            (total, rows)
        })
    };
    let total = total.max(0) as u64;
    let page = Page {
        data: rows.into_iter().map(|r| r.into_customer().0).collect::<Vec<_>>(),
        total,
        page: l.page,
        limit: l.limit,
        total_pages: total.div_ceil(u64::from(l.limit)).min(u64::from(u32::MAX)) as u32,
        next: None,
        response: ResponseMeta::default(),
    };
    Ok(Json(page).into_response())
}

const CUSTOMERS: &str = "customers c";

const LIST_PARAMS: &[&str] = &["page", "limit", "search", "country", "currency", "status", "sortBy", "sortOrder"];

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
    ),
    responses((status = 200, description = "A page of customers", body = crate::openapi::CustomerPage)))]
pub async fn list(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    let params: ListParams = parse_query(&uri, LIST_PARAMS)?;
    let params = validate::list_params(params)?;
    let page = params.page.unwrap_or(1);
    let limit = params.limit.unwrap_or(20);
    let mut from = CUSTOMERS;
    let mut conds = String::from("c.tenant_id = $1 AND c.deleted_at IS NULL");
    let mut binds = vec![Bind::Text(t.0.to_string())];
    let mut push = |conds: &mut String, sql: &str, b: Bind| {
        binds.push(b);
        conds.push_str(&sql.replace("$?", &format!("${}", binds.len())));
    };
    if let Some(term) = params.search.as_deref().filter(|s| !s.is_empty()) {
        let term = term.to_lowercase();
        if term.contains(SEARCH_SEP) {
            conds.push_str(" AND 1 = 0");
        } else {
            if !st.db.is_postgres() && term.chars().count() >= 3 {
                // The matches drive the query (CROSS JOIN fixes the order): otherwise
                // SQLite walks every customer of the tenant and tests each against
                // the index, 140 ms instead of a few at a million customers.
                from = "customers_fts f CROSS JOIN customers c ON c.seq = f.rowid";
                let phrase = format!("\"{}\"", term.replace('"', "\"\""));
                push(&mut conds, " AND f.customers_fts MATCH $?", Bind::Text(phrase));
            }
            push(&mut conds, " AND c.search_lc LIKE $? ESCAPE '\\'", Bind::Text(format!("%{}%", escape_like(&term))));
        }
    }
    if let Some(country) = params.country {
        push(&mut conds, " AND c.country = $?", Bind::Text(country));
    }
    if let Some(currency) = params.currency {
        push(&mut conds, " AND c.currency = $?", Bind::Text(currency));
    }
    if let Some(status) = params.status {
        push(&mut conds, " AND c.status = $?", Bind::Text(status.as_str().to_owned()));
    }
    let dir = match params.sort_order {
        Some(SortOrder::Asc) => "ASC",
        _ => "DESC",
    };
    let (col, nulls) = match params.sort_by {
        Some(SortBy::UpdatedAt) => ("c.updated_at", ""),
        Some(SortBy::Name) => ("c.name", " NULLS LAST"),
        Some(SortBy::Email) => ("c.email", " NULLS LAST"),
        _ => ("c.created_at", ""),
    };
    let order = format!("{col} {dir}{nulls}, c.id {dir}");
    run_listing(&st, Listing { from, conds, binds, order, page, limit }).await
}

/// Customers with no externalId yet (imported from Stripe, not bound).
#[utoipa::path(get, path = "/api/customers/unresolved", tag = "customers",
    params(
        ("page" = Option<u32>, Query, description = "Page number, 1 or more (default 1)", minimum = 1),
        ("limit" = Option<u32>, Query, description = "Page size, 1..100 (default 20)", minimum = 1, maximum = 100),
    ),
    responses((status = 200, description = "A page of unresolved customers, newest first", body = crate::openapi::CustomerPage)))]
pub async fn unresolved(State(st): State<AppState>, Extension(t): Extension<Tenant>, uri: Uri) -> ApiResult<Response> {
    let params: PageParams = parse_query(&uri, &["page", "limit"])?;
    let params = validate::page_params(params)?;
    let listing = Listing {
        from: CUSTOMERS,
        conds: "c.tenant_id = $1 AND c.deleted_at IS NULL AND c.external_id IS NULL".into(),
        binds: vec![Bind::Text(t.0.to_string())],
        order: "c.created_at DESC, c.id DESC".into(),
        page: params.page.unwrap_or(1),
        limit: params.limit.unwrap_or(20),
    };
    run_listing(&st, listing).await
}

fn patch_opt(current: Option<String>, p: Patch<String>) -> Option<String> {
    match p {
        Patch::Keep => current,
        Patch::Clear => None,
        Patch::Set(v) => Some(v),
    }
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
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 412, description = "`precondition_failed`: If-Match does not match", body = ErrorBody),
    ))]
pub async fn update(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<JsonBody<CustomerUpdate>, ApiError>,
) -> ApiResult<Response> {
    let body = match body {
        Ok(JsonBody(b)) => b,
        Err(e) if e.code == "unknown_field" && e.message == "unknown field `externalId`" => {
            return Err(ApiError::bad_request(
                "externalId cannot be changed with PATCH; bind an unresolved customer with POST /api/customers/{id}/bind",
            )
            .with_code("external_id_immutable"));
        }
        Err(e) => return Err(e),
    };
    let u = validate::customer_update(body)?;
    let now = crate::now_ms();
    let select_current = format!("{SELECT_CURRENT}{}", st.db.for_update());
    let row = with_db!(&st.db, write, |p| {
        let mut tx = begin_write!(p)?;
        let cur = lock_current!(tx, &select_current, &id, &*t.0, &headers);
        let email = patch_opt(cur.email, u.email.clone());
        let name = patch_opt(cur.name, u.name.clone());
        let country = patch_opt(cur.country, u.country.clone());
        let currency = patch_opt(cur.currency, u.currency.clone());
        let org = patch_opt(cur.external_organization_id, u.external_organization_id.clone());
        let status = match &u.status {
            Patch::Set(s) => s.as_str().to_owned(),
            _ => cur.status,
        };
        let metadata = match &u.metadata {
            Patch::Keep => cur.metadata,
            Patch::Clear => "{}".to_owned(),
            Patch::Set(m) => metadata_text(m),
        };
        let search = search_text(name.as_deref(), email.as_deref(), cur.external_id.as_deref());
        let email_lc = email.as_deref().map(str::to_lowercase);
        sqlx::query(
            "UPDATE customers SET email = $3, email_lc = $4, name = $5, country = $6, currency = $7, metadata = $8, \
             status = $9, external_organization_id = $10, search_lc = $11, version = version + 1, updated_at = $12 \
             WHERE id = $1 AND tenant_id = $2",
        )
        .bind(&id)
        .bind(&*t.0)
        .bind(&email)
        .bind(&email_lc)
        .bind(&name)
        .bind(&country)
        .bind(&currency)
        .bind(&metadata)
        .bind(&status)
        .bind(&org)
        .bind(&search)
        .bind(now.max(cur.updated_at + 1))
        .execute(&mut *tx)
        .await
        .map_err(conflict)?;
        let row = sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(&id).bind(&*t.0).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        row
    });
    Ok(row.respond(StatusCode::OK))
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
        (status = 412, description = "`precondition_failed`", body = ErrorBody),
    ))]
pub async fn delete(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let now = crate::now_ms();
    let select = format!(
        "SELECT version FROM customers WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL{}",
        st.db.for_update()
    );
    with_db!(&st.db, write, |p| {
        let mut tx = begin_write!(p)?;
        let version = sqlx::query_scalar::<_, i64>(&select)
            .bind(&id)
            .bind(&*t.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ApiError::customer_not_found(&id))?;
        check_if_match(&headers, version)?;
        sqlx::query(
            "UPDATE customers SET deleted_at = $3, updated_at = $3, version = version + 1 WHERE id = $1 AND tenant_id = $2",
        )
        .bind(&id)
        .bind(&*t.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE subscriptions SET status = 'canceled', canceled_at = $2 \
             WHERE customer_id = $1 AND status IN ('active', 'trialing')",
        )
        .bind(&id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE invoices SET status = 'void', voided_at = $2 WHERE customer_id = $1 AND status IN ('draft', 'open')",
        )
        .bind(&id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(Json(Deleted { id, deleted: true, response: ResponseMeta::default() }).into_response())
}

/// Give an unresolved customer its externalId. One-way.
#[utoipa::path(post, path = "/api/customers/{id}/bind", tag = "customers", request_body = BindRequest,
    params(("id" = String, Path, description = PATH_ID), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The bound customer", body = Customer, headers(("ETag" = String))),
        (status = 409, description = "`already_bound` or `external_id_taken`", body = ErrorBody),
        (status = 412, description = "`precondition_failed`", body = ErrorBody),
    ))]
pub async fn bind(
    State(st): State<AppState>,
    Extension(t): Extension<Tenant>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<BindRequest>,
) -> ApiResult<Response> {
    let external_id = validate::external_id("externalId", &body.external_id).map_err(ApiError::field)?;
    let now = crate::now_ms();
    let select_current = format!("{SELECT_CURRENT}{}", st.db.for_update());
    let row = with_db!(&st.db, write, |p| {
        let mut tx = begin_write!(p)?;
        let cur = lock_current!(tx, &select_current, &id, &*t.0, &headers);
        if let Some(existing) = &cur.external_id {
            return Err(ApiError::conflict(
                "already_bound",
                format!("Customer {id} is already bound to externalId {existing:?}; binding is one-way"),
            ));
        }
        let search = search_text(cur.name.as_deref(), cur.email.as_deref(), Some(&external_id));
        sqlx::query(
            "UPDATE customers SET external_id = $3, search_lc = $4, version = version + 1, updated_at = $5 \
             WHERE id = $1 AND tenant_id = $2",
        )
        .bind(&id)
        .bind(&*t.0)
        .bind(&external_id)
        .bind(&search)
        .bind(now.max(cur.updated_at + 1))
        .execute(&mut *tx)
        .await
        .map_err(conflict)?;
        let row = sqlx::query_as::<_, CustomerRow>(SELECT_BY_ID).bind(&id).bind(&*t.0).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        row
    });
    Ok(row.respond(StatusCode::OK))
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
    let now = crate::now_ms();
    let mut created = 0u64;
    let mut skipped = 0u64;
    with_db!(&st.db, write, |p| {
        let mut tx = begin_write!(p)?;
        for c in &list {
            let email = c.email.as_deref().and_then(|e| validate::email("email", e).ok());
            let name = c.name.as_deref().and_then(|n| validate::name("name", n).ok());
            let country = c.address.as_ref().and_then(|a| a.country.clone());
            let metadata = c.metadata.as_ref().filter(|m| validate::metadata("metadata", m).is_ok());
            let meta_text = metadata.map_or_else(|| "{}".to_owned(), metadata_text);
            let search = search_text(name.as_deref(), email.as_deref(), None);
            let n = sqlx::query(IMPORT)
                .bind(crate::ids::new_id("cust_"))
                .bind(&*t.0)
                .bind(&email)
                .bind(email.as_deref().map(str::to_lowercase))
                .bind(&name)
                .bind(&country)
                .bind(&c.currency)
                .bind(&meta_text)
                .bind(&c.id)
                .bind(&search)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                created += 1;
            } else {
                skipped += 1;
            }
        }
        tx.commit().await?;
    });
    Ok(Json(ImportResult { created, skipped, response: ResponseMeta::default() }).into_response())
}

// Types named by the OpenAPI annotations above.
#[allow(unused_imports)]
use novabilling::ErrorBody;
