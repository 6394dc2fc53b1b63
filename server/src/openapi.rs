//! OpenAPI 3.1, generated from the same core types the routes serialize.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use novabilling::model::{
    BindRequest, Customer, CustomerCreate, CustomerStatus, CustomerUpdate, Deleted, ImportResult, Invoice,
    InvoiceCreate, InvoiceStatus, PageMeta, SortBy, SortOrder, StripeAddress, StripeCustomer, Subscription,
    SubscriptionCreate, SubscriptionStatus, Key, KeyCreate, EphemeralKey, EphemeralKeyCreate,
};
use novabilling::keys::Scope;
use novabilling::{ErrorBody, FieldError, validate};
use serde_json::{Value, json};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, Schema};
use utoipa::{Modify, OpenApi};

use crate::auth::Access;
use crate::routes::webhooks::{RedeliverRequest, Redelivery, WebhookEndpointCreate, WebhookEndpointUpdate};
use crate::routes::{self, billing, customers, keys, webhooks};
use crate::schema::{CustomerPage, DeliveryPage, Event, EventPage, InvoiceList, KeyList, SubscriptionList, WebhookEndpointList};
use crate::store::events::EVENT_TYPES;
use crate::store::webhooks::{DeliveryAttempt, WebhookEndpoint};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "NovaBilling customers API",
        description = "Customers, with the subscriptions and invoices that their totals and deletion act on. \
            Every request under /api except /api/openapi.json needs `Authorization: Bearer` and a key: secret (`sk_`), \
            restricted (`rk_`, with scopes) or ephemeral (`ek_`, one customer). Each operation names the scope it \
            needs in `security` and in `x-required-scope`. \
            Errors share one body (ErrorBody) with a stable `code`. No string in a request body may hold the NUL \
            character (U+0000): 400 `validation_failed`."
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
        add_input_rules(openapi);
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
                for response in op.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        spell_links(response);
                    }
                }
            }
        }
    }
}

/// The routes declare their responses' links with utoipa's `links(...)`, but
/// utoipa 5.5 writes a link's fields as Rust names them (`operation_id`,
/// `request_body`), which no OpenAPI tool reads. So the links go out as the
/// specification spells them, through the response's extensions (flattened
/// into the response object, as `links` is).
fn spell_links(response: &mut utoipa::openapi::Response) {
    if response.links.is_empty() {
        return;
    }
    let mut links = serde_json::Map::new();
    for (name, link) in std::mem::take(&mut response.links) {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(link) else { continue };
        let fields = fields.into_iter().map(|(key, value)| {
            let key = match key.as_str() {
                "operation_id" => "operationId".to_owned(),
                "operation_ref" => "operationRef".to_owned(),
                "request_body" => "requestBody".to_owned(),
                _ => key,
            };
            (key, value)
        });
        links.insert(name, serde_json::Value::Object(fields.collect()));
    }
    response.extensions.get_or_insert_with(Default::default).insert("links".to_owned(), links.into());
}

/// An identifier the caller chooses (externalId, planId): not only white
/// space, no control characters (`validate::external_id`). White space is
/// Rust's (`char::is_whitespace`), spelled out, as regex engines differ on `\s`.
const CALLER_ID: &str = r"^[^\x00-\x1f\x7f-\x9f]*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\x00-\x1f\x7f-\x9f]*$";
/// A name: not only white space (`validate::name`).
const NOT_BLANK: &str = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
/// An id the server made (`validate::id`): no control characters, no `/`.
const SERVER_ID: &str = r"^[^\x00-\x1f\x7f-\x9f/]+$";
/// `Idempotency-Key`: 1 to 255 characters of visible ASCII (spaces and tabs
/// inside), once HTTP has taken the white space off either end.
const IDEMPOTENCY_KEY: &str = r"^[ \t]*[!-~]([ \t!-~]{0,253}[!-~])?[ \t]*$";

fn nullable(schema: &Value) -> Value {
    json!({ "oneOf": [{ "type": "null" }, schema] })
}

fn caller_id(max: usize) -> Value {
    json!({ "minLength": 1, "maxLength": max, "pattern": CALLER_ID })
}

fn name() -> Value {
    json!({ "minLength": 1, "maxLength": validate::NAME_MAX_CHARS, "pattern": NOT_BLANK })
}

fn server_id() -> Value {
    json!({ "minLength": 1, "maxLength": validate::ID_MAX_CHARS, "pattern": SERVER_ID })
}

fn email() -> Value {
    json!({ "type": "string", "format": "email", "maxLength": validate::EMAIL_MAX_CHARS })
}

fn metadata() -> Value {
    json!({
        "maxProperties": validate::METADATA_MAX_KEYS,
        "propertyNames": { "type": "string", "minLength": 1, "maxLength": validate::METADATA_KEY_MAX_CHARS },
    })
}

fn page() -> Value {
    // utoipa calls a u32 `int32`; the server takes any u32.
    json!({ "type": "integer", "format": "int64", "minimum": 1, "maximum": u32::MAX })
}

fn lifetime(max: u64) -> Value {
    json!({ "minimum": 1, "maximum": max })
}

fn code(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// How a field's rule meets the schema utoipa wrote for it.
enum Rule {
    /// Keywords added to (or replacing those of) the field's schema.
    Merge(Value),
    /// A schema in place of the field's; its description is kept.
    Replace(Value),
}

/// What the input checks (`novabilling::validate`, the routes) accept, for
/// the request bodies' fields that the types alone call a `string` or an
/// `integer`: so that a request the document calls valid is one the server
/// takes, and the other way round (schemathesis's `positive_data_acceptance`
/// and `negative_data_rejection`). What a schema cannot say (an amount's
/// decimals against the customer's currency, where a webhook URL points, the
/// metadata's 8 KiB) is in the descriptions.
fn body_rules() -> Vec<(&'static str, &'static str, Rule)> {
    use Rule::{Merge, Replace};
    let id_max = validate::EXTERNAL_ID_MAX_CHARS;
    let event_types = json!({ "type": "string", "enum": EVENT_TYPES });
    vec![
        ("CustomerCreate", "externalId", Merge(caller_id(id_max))),
        ("CustomerCreate", "email", Merge(email())),
        ("CustomerCreate", "name", Merge(name())),
        ("CustomerCreate", "country", Replace(nullable(&code("CountryCode")))),
        ("CustomerCreate", "currency", Replace(nullable(&code("CurrencyCode")))),
        ("CustomerCreate", "metadata", Merge(metadata())),
        ("CustomerCreate", "externalOrganizationId", Merge(caller_id(id_max))),
        // email and status can be changed, not cleared.
        ("CustomerUpdate", "email", Replace(email())),
        ("CustomerUpdate", "name", Merge(name())),
        ("CustomerUpdate", "country", Replace(nullable(&code("CountryCode")))),
        ("CustomerUpdate", "currency", Replace(nullable(&code("CurrencyCode")))),
        ("CustomerUpdate", "metadata", Merge(metadata())),
        ("CustomerUpdate", "status", Replace(code("CustomerStatus"))),
        ("CustomerUpdate", "externalOrganizationId", Merge(caller_id(id_max))),
        ("BindRequest", "externalId", Merge(caller_id(id_max))),
        ("SubscriptionCreate", "customerId", Merge(server_id())),
        ("SubscriptionCreate", "planId", Merge(caller_id(validate::PLAN_ID_MAX_CHARS))),
        ("SubscriptionCreate", "status", Replace(nullable(&json!({ "type": "string", "enum": ["active", "trialing"] })))),
        ("InvoiceCreate", "customerId", Merge(server_id())),
        (
            "InvoiceCreate",
            "amount",
            Merge(json!({
                "exclusiveMinimum": 0,
                "maximum": 1_000_000_000_000_i64,
                "description": "In major units, with no more decimals than the currency has (USD 2, UGX 0): \
                    the `currency` given, or the customer's.",
            })),
        ),
        ("InvoiceCreate", "currency", Replace(nullable(&code("CurrencyCode")))),
        ("InvoiceCreate", "status", Replace(nullable(&json!({ "type": "string", "enum": ["open", "draft"] })))),
        (
            "KeyCreate",
            "scopes",
            Merge(json!({
                "minItems": 1,
                "items": { "type": "string", "enum": Scope::ALL.map(Scope::as_str) },
            })),
        ),
        ("KeyCreate", "name", Merge(name())),
        ("KeyCreate", "expiresIn", Merge(lifetime(validate::KEY_MAX_SECONDS))),
        ("EphemeralKeyCreate", "customerId", Merge(server_id())),
        ("EphemeralKeyCreate", "externalId", Merge(caller_id(id_max))),
        ("EphemeralKeyCreate", "expiresIn", Merge(lifetime(validate::EPHEMERAL_MAX_SECONDS))),
        ("StripeCustomer", "id", Merge(json!({ "pattern": r"\S" }))),
        (
            "WebhookEndpointCreate",
            "url",
            Merge(json!({ "format": "uri", "maxLength": webhooks::MAX_URL, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]" })),
        ),
        ("WebhookEndpointCreate", "eventTypes", Merge(json!({ "items": event_types }))),
        ("WebhookEndpointCreate", "description", Merge(json!({ "maxLength": webhooks::MAX_DESCRIPTION }))),
        (
            "WebhookEndpointUpdate",
            "url",
            Merge(json!({ "format": "uri", "maxLength": webhooks::MAX_URL, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]" })),
        ),
        ("WebhookEndpointUpdate", "eventTypes", Merge(json!({ "items": event_types }))),
        ("WebhookEndpointUpdate", "description", Merge(json!({ "maxLength": webhooks::MAX_DESCRIPTION }))),
    ]
}

/// The same for parameters, by name, wherever they are.
fn parameter_rule(name: &str) -> Option<Rule> {
    use Rule::{Merge, Replace};
    Some(match name {
        "page" => Replace(page()),
        "country" => Replace(code("CountryCode")),
        "currency" => Replace(code("CurrencyCode")),
        "search" => Merge(json!({ "maxLength": validate::SEARCH_MAX_CHARS })),
        "type" => Replace(json!({ "type": "string", "enum": EVENT_TYPES })),
        "Idempotency-Key" => Replace(json!({ "type": "string", "pattern": IDEMPOTENCY_KEY })),
        _ => return None,
    })
}

/// Every code that `check` accepts among the `len`-letter upper-case words:
/// the list is the input check's own, so the two cannot drift apart.
fn codes(len: u32, check: fn(&str, &str) -> Result<String, FieldError>) -> Vec<String> {
    (0..26u32.pow(len))
        .map(|mut n| {
            let mut word = vec![b'A'; len as usize];
            for c in word.iter_mut().rev() {
                *c = b'A' + u8::try_from(n % 26).unwrap_or(0);
                n /= 26;
            }
            String::from_utf8(word).unwrap_or_default()
        })
        .filter(|code| check("code", code).is_ok())
        .collect()
}

fn apply(schema: &mut RefOr<Schema>, rule: &Rule) {
    let Ok(mut value) = serde_json::to_value(&*schema) else { return };
    match rule {
        Rule::Merge(Value::Object(add)) => {
            if let Value::Object(fields) = &mut value {
                fields.extend(add.clone());
            }
        }
        Rule::Merge(_) => return,
        Rule::Replace(new) => {
            let description = value.get("description").cloned();
            value = new.clone();
            if let (Some(d), Value::Object(fields)) = (description, &mut value) {
                fields.entry("description").or_insert(d);
            }
        }
    }
    if let Ok(new) = serde_json::from_value(value) {
        *schema = new;
    }
}

fn add_input_rules(openapi: &mut utoipa::openapi::OpenApi) {
    let components = openapi.components.get_or_insert_with(Default::default);
    let countries = codes(2, validate::country);
    let currencies = codes(3, validate::currency);
    for (name, description, codes) in [
        ("CountryCode", "ISO 3166-1 alpha-2. The server also takes lower case, and answers upper case.", countries),
        ("CurrencyCode", "ISO 4217. The server also takes lower case, and answers upper case.", currencies),
    ] {
        let schema = json!({ "type": "string", "description": description, "enum": codes });
        if let Ok(schema) = serde_json::from_value(schema) {
            components.schemas.insert(name.to_owned(), schema);
        }
    }
    for (schema, field, rule) in body_rules() {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else { continue };
        if let Some(property) = object.properties.get_mut(field) {
            apply(property, &rule);
        }
    }
    // An ephemeral key is for one customer, named by exactly one of the two.
    if let Some(schema) = components.schemas.get_mut("EphemeralKeyCreate") {
        let one = |name: &str, other: &str| json!({ "type": "object", "required": [name], "properties": { name: { "type": "string" }, other: { "type": "null" } } });
        let both = json!({ "allOf": [schema, { "oneOf": [one("customerId", "externalId"), one("externalId", "customerId")] }] });
        if let Ok(both) = serde_json::from_value(both) {
            *schema = both;
        }
    }
    for item in openapi.paths.paths.values_mut() {
        let ops: [&mut Option<Operation>; 4] = [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete];
        for op in ops.into_iter().flatten() {
            for parameter in op.parameters.iter_mut().flatten() {
                if let (Some(rule), Some(schema)) = (parameter_rule(&parameter.name), parameter.schema.as_mut()) {
                    apply(schema, &rule);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule whose schema utoipa could not read back would be dropped without a word.
    #[test]
    fn every_input_rule_is_in_the_document() {
        let doc: Value = serde_json::from_str(spec_json()).unwrap();
        for (schema, field, rule) in body_rules() {
            let schema_json = &doc["components"]["schemas"][schema];
            let object = if schema_json["allOf"].is_array() { &schema_json["allOf"][0] } else { schema_json };
            let got = &object["properties"][field];
            let want = match &rule {
                Rule::Merge(v) | Rule::Replace(v) => v,
            };
            for (key, value) in want.as_object().unwrap() {
                if key != "description" || matches!(rule, Rule::Merge(_)) {
                    assert_eq!(&got[key], value, "{schema}.{field}: {key}");
                }
            }
        }
    }
}
