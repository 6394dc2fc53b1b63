//! OpenAPI 3.1, generated from the same core types the routes serialize.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{
    BindRequest, Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, Invoice,
    InvoiceCreate, InvoiceStatus, PageMeta, SortBy, SortOrder, StripeAddress, StripeCustomer, Subscription,
    SubscriptionCreate, SubscriptionStatus, Key, KeyCreate, EphemeralKey, EphemeralKeyCreate,
};
use novabilling::{ErrorBody, FieldError};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::auth::Access;
use crate::routes::webhooks::{RedeliverRequest, Redelivery, WebhookEndpointCreate, WebhookEndpointUpdate};
use crate::routes::{self, billing, customers, keys, webhooks};
use crate::schema::{CustomerPage, DeliveryPage, Event, EventPage, InvoiceList, KeyList, SubscriptionList, WebhookEndpointList};
use crate::store::webhooks::{DeliveryAttempt, WebhookEndpoint};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NovaBilling customers API",
        description = "Customers, with the subscriptions and invoices that their totals and deletion act on. \
            Every request under /api except /api/openapi.json needs `Authorization: Bearer` and a key: secret (`sk_`), \
            restricted (`rk_`, with scopes) or ephemeral (`ek_`, one customer). Each operation names the scope it \
            needs in `security` and in `x-required-scope`. \
            Errors share one body (ErrorBody) with a stable `code`."
    ),
    paths(
        crate::routes::health,
        customers::create,
        customers::list,
        customers::unresolved,
        customers::get,
        customers::get_by_external_id,
        customers::update,
        customers::delete,
        customers::bind,
        customers::import_stripe,
        billing::customer_subscriptions,
        billing::customer_invoices,
        billing::create_subscription,
        billing::get_subscription,
        billing::cancel_subscription,
        billing::create_invoice,
        billing::get_invoice,
        billing::pay_invoice,
        billing::void_invoice,
        webhooks::create_endpoint,
        webhooks::list_endpoints,
        webhooks::get_endpoint,
        webhooks::update_endpoint,
        webhooks::delete_endpoint,
        webhooks::rotate_secret,
        webhooks::deliveries,
        webhooks::list_events,
        webhooks::get_event,
        webhooks::redeliver,
        keys::create,
        keys::list,
        keys::revoke,
        keys::create_ephemeral,
        keys::revoke_ephemeral,
    ),
    components(schemas(
        Customer, CustomerCreate, CustomerUpdate, CustomerStatus, CustomerPage, PageMeta, Deleted, BindRequest,
        ImportResult, StripeCustomer, StripeAddress, Subscription, SubscriptionCreate, SubscriptionStatus,
        SubscriptionList, Invoice, InvoiceCreate, InvoiceStatus, InvoiceList, ErrorBody, FieldError, SortBy, SortOrder,
        WebhookEndpoint, WebhookEndpointCreate, WebhookEndpointUpdate, WebhookEndpointList, DeliveryAttempt,
        DeliveryPage, Event, EventPage, RedeliverRequest, Redelivery, Key, KeyCreate, KeyList, EphemeralKey,
        EphemeralKeyCreate,
    )),
    modifiers(&Additions),
    security(("bearer" = [])),
    tags(
        (name = "customers", description = "Customers"),
        (name = "subscriptions", description = "Subscriptions"),
        (name = "invoices", description = "Invoices"),
        (name = "webhooks", description = "Webhook endpoints, events and their deliveries (Standard Webhooks v1)"),
        (name = "keys", description = "Restricted keys (scopes) and ephemeral keys (one customer's app)"),
        (name = "meta", description = "Health"),
    )
)]
pub struct ApiDoc;

/// The bearer scheme, and the error responses every authenticated route can give.
struct Additions;

const COMMON_ERRORS: &[(&str, &str)] = &[
    ("400", "Bad input: `validation_failed` (with `errors`), `invalid_json`, `unknown_field`, `bad_request`"),
    ("401", "`unauthorized`: missing, malformed or unknown API key; `invalid_api_key`: its checksum does not match; \
             `expired_api_key`, `revoked_api_key`"),
    ("403", "`insufficient_scope`: the key lacks the scope in `requiredScope` (also in `WWW-Authenticate`)"),
    ("404", "`not_found`"),
    ("413", "`payload_too_large`: body over 1 MiB"),
    ("415", "`unsupported_media_type`: a body that is not JSON"),
    ("422", "`idempotency_key_reused`: the Idempotency-Key was used for another request"),
    ("429", "`rate_limited`; see Retry-After"),
    ("500", "`internal_error`"),
];

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
        .build()
        .into()
}

impl Modify for Additions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sk_, rk_ or ek_, live_ or test_, 32 random base-62 characters and a 6-character CRC-32")
                    .build(),
            ),
        );
        for route in routes::table() {
            // The document spells path parameters as the API does (`{externalId}`), the router as Rust does.
            let shape = path_shape(route.path);
            let Some((_, item)) = openapi.paths.paths.iter_mut().find(|(p, _)| path_shape(p) == shape) else { continue };
            let op = match route.method.as_str() {
                "GET" => &mut item.get,
                "POST" => &mut item.post,
                "PATCH" => &mut item.patch,
                "DELETE" => &mut item.delete,
                _ => continue,
            };
            if let Some(op) = op {
                let scope = route.access.scope().as_str();
                op.security = Some(vec![SecurityRequirement::new("bearer", [scope])]);
                let mut ext = utoipa::openapi::extensions::Extensions::default();
                ext.insert("x-required-scope".to_owned(), serde_json::json!(scope));
                if matches!(route.access, Access::OwnCustomer(_)) {
                    ext.insert("x-ephemeral-key".to_owned(), serde_json::json!("allowed for the key's own customer"));
                }
                op.extensions.get_or_insert_with(Default::default).merge(ext);
            }
        }
        for (path, item) in &mut openapi.paths.paths {
            if !path.starts_with("/api/") {
                continue;
            }
            let ops: [&mut Option<Operation>; 4] = [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                for (status, description) in COMMON_ERRORS {
                    op.responses.responses.entry((*status).to_owned()).or_insert_with(|| error_response(description));
                }
            }
        }
    }
}

/// A path with its parameters' names left out: `/api/customers/{}`.
fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

static SPEC: LazyLock<String> = LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default());

/// The OpenAPI document as JSON.
pub fn spec_json() -> &'static str {
    &SPEC
}

pub async fn serve() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], spec_json()).into_response()
}
