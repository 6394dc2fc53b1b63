//! OpenAPI 3.1, generated from the same core types the routes serialize.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{
    BindRequest, Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, Invoice,
    InvoiceCreate, InvoiceStatus, PageMeta, SortBy, SortOrder, StripeAddress, StripeCustomer, Subscription,
    SubscriptionCreate, SubscriptionStatus,
};
use novabilling::{ErrorBody, FieldError};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::routes::webhooks::{RedeliverRequest, Redelivery, WebhookEndpointCreate, WebhookEndpointUpdate};
use crate::routes::{billing, customers, webhooks};
use crate::schema::{CustomerPage, DeliveryPage, Event, EventPage, InvoiceList, SubscriptionList, WebhookEndpointList};
use crate::store::webhooks::{DeliveryAttempt, WebhookEndpoint};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NovaBilling customers API",
        description = "Customers, with the subscriptions and invoices that their totals and deletion act on. \
            Every request under /api except /api/openapi.json needs `Authorization: Bearer sk_live_...`. \
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
    ),
    components(schemas(
        Customer, CustomerCreate, CustomerUpdate, CustomerStatus, CustomerPage, PageMeta, Deleted, BindRequest,
        ImportResult, StripeCustomer, StripeAddress, Subscription, SubscriptionCreate, SubscriptionStatus,
        SubscriptionList, Invoice, InvoiceCreate, InvoiceStatus, InvoiceList, ErrorBody, FieldError, SortBy, SortOrder,
        WebhookEndpoint, WebhookEndpointCreate, WebhookEndpointUpdate, WebhookEndpointList, DeliveryAttempt,
        DeliveryPage, Event, EventPage, RedeliverRequest, Redelivery,
    )),
    modifiers(&Additions),
    security(("bearer" = [])),
    tags(
        (name = "customers", description = "Customers"),
        (name = "subscriptions", description = "Subscriptions"),
        (name = "invoices", description = "Invoices"),
        (name = "webhooks", description = "Webhook endpoints, events and their deliveries (Standard Webhooks v1)"),
        (name = "meta", description = "Health"),
    )
)]
pub struct ApiDoc;

/// The bearer scheme, and the error responses every authenticated route can give.
struct Additions;

const COMMON_ERRORS: &[(&str, &str)] = &[
    ("400", "Bad input: `validation_failed` (with `errors`), `invalid_json`, `unknown_field`, `bad_request`"),
    ("401", "`unauthorized`: missing, malformed or unknown API key"),
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
                    .bearer_format("sk_live_ or sk_test_ + 64 hex")
                    .build(),
            ),
        );
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

static SPEC: LazyLock<String> = LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default());

/// The OpenAPI document as JSON.
pub fn spec_json() -> &'static str {
    &SPEC
}

pub async fn serve() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], spec_json()).into_response()
}
