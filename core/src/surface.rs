//! The public surface of the SDK, described by core itself: every resource
//! method with its parameters and per-call options, every model with its
//! fields and types, every error class with its fields, and the client's
//! settings. `tests/surface.json` is this description as JSON; every
//! language's test suite loads it and checks its own public surface against
//! it by reflection, so a name missing in one language fails there.
//!
//! Names here are core's (snake_case). Each language spells them its own way
//! (camelCase in Node, Kotlin and Swift); the rules are in docs/SURFACE.md.
//! The model fields are checked against the models' serde forms by the tests
//! below, and the methods against the resources' Rust methods, so this
//! description cannot drift from the code.

use serde::Serialize;

use crate::error::ErrorKind;

/// The whole public surface.
#[derive(Debug, Serialize)]
pub struct Surface {
    pub client_options: Vec<Param>,
    pub request_options: Vec<Param>,
    pub resources: Vec<Resource>,
    pub models: Vec<Model>,
    pub errors: Vec<ErrorClass>,
    pub functions: Vec<Function>,
}

/// A function that needs no client, in a namespace (`webhooks.verify`).
#[derive(Debug, Serialize)]
pub struct Function {
    pub namespace: &'static str,
    pub name: &'static str,
    pub params: Vec<Param>,
    pub returns: &'static str,
}

/// A named, typed value: an argument, a setting, a field.
///
/// Types: `string`, `integer`, `number`, `decimal`, `boolean`, `timestamp`,
/// `duration`, `object` (any JSON object), `headers`, `bytes` (raw bytes, or
/// text taken as its UTF-8), a model's name,
/// `list<T>`; a trailing `?` means it may be absent or null.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub ty: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Resource {
    pub name: &'static str,
    pub methods: Vec<Method>,
}

#[derive(Debug, Serialize)]
pub struct Method {
    pub name: &'static str,
    /// `METHOD /path` of spec's route table.
    pub route: &'static str,
    pub params: Vec<Param>,
    /// The request options this method takes (names of `request_options`).
    pub options: Vec<&'static str>,
    pub returns: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Model {
    pub name: &'static str,
    /// `result` (what calls return) or `input` (what callers build).
    pub kind: &'static str,
    pub fields: Vec<Param>,
}

#[derive(Debug, Serialize)]
pub struct ErrorClass {
    pub name: &'static str,
    pub parent: Option<&'static str>,
    /// HTTP statuses that map to this class (API classes only).
    pub statuses: Vec<u16>,
    pub fields: Vec<Param>,
}

const fn p(name: &'static str, ty: &'static str) -> Param {
    Param { name, ty }
}

const READ: &[&str] = &["timeout", "max_retries", "headers"];
const WRITE: &[&str] = &["timeout", "max_retries", "headers", "idempotency_key"];
const GUARDED_WRITE: &[&str] = &["timeout", "max_retries", "headers", "idempotency_key", "if_match"];

/// Declares the methods of one resource, and a function that names each as
/// a Rust method, so a method listed here and missing in core fails to compile.
macro_rules! resource {
    ($fn_name:ident, $check:ident, $ty:ty, $name:literal {
        $( $method:ident [$route:literal] ( $( $param:literal : $pty:literal ),* ) $opts:ident -> $ret:literal ; )*
    }) => {
        fn $fn_name() -> Resource {
            Resource {
                name: $name,
                methods: vec![$(Method {
                    name: stringify!($method),
                    route: $route,
                    params: vec![$(p($param, $pty)),*],
                    options: $opts.to_vec(),
                    returns: $ret,
                }),*],
            }
        }

        #[cfg(all(test, feature = "client"))]
        #[allow(dead_code)]
        fn $check() {
            $( let _ = <$ty>::$method; )*
        }
    };
}

resource!(customers, customers_exist, crate::Customers, "customers" {
    create ["POST /api/customers"] ("params": "CustomerCreate") WRITE -> "Customer";
    get ["GET /api/customers/{id}"] ("id": "string") READ -> "Customer";
    get_by_external_id ["GET /api/customers/external/{externalId}"] ("external_id": "string") READ -> "Customer";
    update ["PATCH /api/customers/{id}"] ("id": "string", "params": "CustomerUpdate") GUARDED_WRITE -> "Customer";
    delete ["DELETE /api/customers/{id}"] ("id": "string") GUARDED_WRITE -> "Deleted";
    list ["GET /api/customers"] ("params": "ListParams") READ -> "CustomerPage";
    list_unresolved ["GET /api/customers/unresolved"] ("params": "PageParams") READ -> "CustomerPage";
    page ["GET /api/customers"] ("cursor": "string") READ -> "CustomerPage";
    bind ["POST /api/customers/{id}/bind"] ("id": "string", "external_id": "string") WRITE -> "Customer";
    import_stripe ["POST /api/customers/import/stripe"] ("customers": "list<StripeCustomer>") WRITE -> "ImportResult";
    merge_metadata ["PATCH /api/customers/{id}"] ("id": "string", "set": "object", "unset": "list<string>") READ -> "Customer";
    subscriptions ["GET /api/customers/{id}/subscriptions"] ("id": "string") READ -> "list<Subscription>";
    invoices ["GET /api/customers/{id}/invoices"] ("id": "string") READ -> "list<Invoice>";
});

resource!(subscriptions, subscriptions_exist, crate::Subscriptions, "subscriptions" {
    create ["POST /api/subscriptions"] ("params": "SubscriptionCreate") WRITE -> "Subscription";
    get ["GET /api/subscriptions/{id}"] ("id": "string") READ -> "Subscription";
    cancel ["POST /api/subscriptions/{id}/cancel"] ("id": "string") WRITE -> "Subscription";
});

resource!(invoices, invoices_exist, crate::Invoices, "invoices" {
    create ["POST /api/invoices"] ("params": "InvoiceCreate") WRITE -> "Invoice";
    get ["GET /api/invoices/{id}"] ("id": "string") READ -> "Invoice";
    pay ["POST /api/invoices/{id}/pay"] ("id": "string") WRITE -> "Invoice";
    void ["POST /api/invoices/{id}/void"] ("id": "string") WRITE -> "Invoice";
});

resource!(keys, keys_exist, crate::Keys, "keys" {
    create ["POST /api/keys"] ("params": "KeyCreate") WRITE -> "Key";
    list ["GET /api/keys"] () READ -> "list<Key>";
    revoke ["DELETE /api/keys/{id}"] ("id": "string") WRITE -> "Key";
    create_ephemeral ["POST /api/ephemeral-keys"] ("customer_id": "string", "ttl": "duration?") WRITE -> "EphemeralKey";
    create_ephemeral_for_external_id ["POST /api/ephemeral-keys"] ("external_id": "string", "ttl": "duration?") WRITE -> "EphemeralKey";
    revoke_ephemeral ["DELETE /api/ephemeral-keys/{id}"] ("id": "string") WRITE -> "EphemeralKey";
});

resource!(events, events_exist, crate::Events, "events" {
    list ["GET /api/events"] ("params": "EventListParams") READ -> "EventPage";
    get ["GET /api/events/{id}"] ("id": "string") READ -> "WebhookEvent";
});

fn model(name: &'static str, kind: &'static str, fields: &[Param]) -> Model {
    Model { name, kind, fields: fields.to_vec() }
}

fn models() -> Vec<Model> {
    let mut all = result_models();
    all.extend(input_models());
    all
}

/// What the API returns.
fn result_models() -> Vec<Model> {
    vec![
        model("Customer", "result", &[
            p("id", "string"),
            p("external_id", "string?"),
            p("external_organization_id", "string?"),
            p("email", "string?"),
            p("name", "string?"),
            p("country", "string?"),
            p("currency", "string?"),
            p("status", "CustomerStatus"),
            p("metadata", "object"),
            p("stripe_customer_id", "string?"),
            p("net_payment_terms", "integer?"),
            p("total_spent", "decimal"),
            p("active_subscriptions", "integer"),
            p("created_at", "timestamp"),
            p("updated_at", "timestamp"),
            p("subscriptions", "list<Subscription>?"),
            p("invoices", "list<Invoice>?"),
            p("request_id", "string?"),
            p("etag", "string?"),
        ]),
        model("Subscription", "result", &[
            p("id", "string"),
            p("customer_id", "string"),
            p("plan_id", "string?"),
            p("status", "SubscriptionStatus"),
            p("created_at", "timestamp"),
            p("canceled_at", "timestamp?"),
            p("request_id", "string?"),
        ]),
        model("Invoice", "result", &[
            p("id", "string"),
            p("customer_id", "string"),
            p("amount", "decimal"),
            p("currency", "string?"),
            p("status", "InvoiceStatus"),
            p("created_at", "timestamp"),
            p("paid_at", "timestamp?"),
            p("voided_at", "timestamp?"),
            p("request_id", "string?"),
        ]),
        model("Key", "result", &[
            p("id", "string"),
            p("kind", "string"),
            p("livemode", "boolean"),
            p("name", "string?"),
            p("scopes", "list<string>"),
            p("prefix", "string"),
            p("last4", "string?"),
            p("secret", "string?"),
            p("created_at", "timestamp"),
            p("expires_at", "timestamp?"),
            p("last_used_at", "timestamp?"),
            p("revoked_at", "timestamp?"),
            p("request_id", "string?"),
        ]),
        model("EphemeralKey", "result", &[
            p("id", "string"),
            p("customer_id", "string"),
            p("livemode", "boolean"),
            p("secret", "string?"),
            p("created_at", "timestamp"),
            p("expires_at", "timestamp"),
            p("revoked_at", "timestamp?"),
            p("request_id", "string?"),
        ]),
        model("WebhookEvent", "result", &[
            p("id", "string"),
            p("type", "string"),
            p("timestamp", "timestamp"),
            p("data", "object"),
            p("customer", "Customer?"),
            p("sequence", "integer?"),
            p("changed_fields", "list<string>?"),
            p("imported", "ImportResult?"),
        ]),
        model("Deleted", "result", &[p("id", "string"), p("deleted", "boolean"), p("request_id", "string?")]),
        model("ImportResult", "result", &[p("created", "integer"), p("skipped", "integer"), p("request_id", "string?")]),
        model("CustomerPage", "result", &[
            p("data", "list<Customer>"),
            p("total", "integer"),
            p("page", "integer"),
            p("limit", "integer"),
            p("total_pages", "integer"),
            p("has_more", "boolean"),
            p("next_cursor", "string?"),
            p("request_id", "string?"),
        ]),
        model("EventPage", "result", &[
            p("data", "list<WebhookEvent>"),
            p("total", "integer"),
            p("page", "integer"),
            p("limit", "integer"),
            p("total_pages", "integer"),
            p("has_more", "boolean"),
            p("request_id", "string?"),
        ]),
    ]
}

/// What callers send.
fn input_models() -> Vec<Model> {
    vec![
        model("KeyCreate", "input", &[
            p("scopes", "list<string>"),
            p("name", "string?"),
            p("expires_in", "integer?"),
        ]),
        model("CustomerCreate", "input", &[
            p("external_id", "string"),
            p("email", "string"),
            p("name", "string?"),
            p("country", "string?"),
            p("currency", "string?"),
            p("metadata", "object?"),
            p("external_organization_id", "string?"),
        ]),
        model("CustomerUpdate", "input", &[
            p("email", "string?"),
            p("name", "string?"),
            p("country", "string?"),
            p("currency", "string?"),
            p("metadata", "object?"),
            p("status", "CustomerStatus?"),
            p("external_organization_id", "string?"),
        ]),
        model("ListParams", "input", &[
            p("page", "integer?"),
            p("limit", "integer?"),
            p("search", "string?"),
            p("country", "string?"),
            p("currency", "string?"),
            p("status", "CustomerStatus?"),
            p("sort_by", "SortBy?"),
            p("sort_order", "SortOrder?"),
        ]),
        model("PageParams", "input", &[p("page", "integer?"), p("limit", "integer?")]),
        model("EventListParams", "input", &[
            p("page", "integer?"),
            p("limit", "integer?"),
            p("type", "string?"),
            p("customer_id", "string?"),
        ]),
        model("SubscriptionCreate", "input", &[
            p("customer_id", "string"),
            p("plan_id", "string"),
            p("status", "SubscriptionStatus?"),
        ]),
        model("InvoiceCreate", "input", &[
            p("customer_id", "string"),
            p("amount", "decimal"),
            p("currency", "string?"),
            p("status", "InvoiceStatus?"),
        ]),
        model("StripeCustomer", "input", &[
            p("id", "string"),
            p("email", "string?"),
            p("name", "string?"),
            p("address", "StripeAddress?"),
            p("currency", "string?"),
            p("metadata", "object?"),
        ]),
    ]
}

/// Fields every error class carries, whatever its class (absent ones are null).
const ERROR_FIELDS: &[Param] = &[
    p("message", "string"),
    p("status", "integer?"),
    p("code", "string?"),
    p("errors", "list<FieldError>"),
    p("request_id", "string?"),
    p("retry_after", "duration?"),
    p("required_scope", "string?"),
];

fn errors() -> Vec<ErrorClass> {
    let statuses = |k: ErrorKind| -> Vec<u16> {
        (100..600).filter(|s| k.is_api() && k != ErrorKind::Api && ErrorKind::for_status(*s) == k).collect()
    };
    let base = ErrorClass { name: "NovaBillingError", parent: None, statuses: vec![], fields: ERROR_FIELDS.to_vec() };
    let classes = ErrorKind::ALL.iter().map(|&k| ErrorClass {
        name: k.class_name(),
        parent: Some(k.parent_name()),
        statuses: statuses(k),
        fields: ERROR_FIELDS.to_vec(),
    });
    std::iter::once(base).chain(classes).collect()
}

fn functions() -> Vec<Function> {
    let f = |name, params: &[Param], returns| Function { namespace: "webhooks", name, params: params.to_vec(), returns };
    vec![
        // `secret`: one secret, or a list while a secret is rotated.
        f("verify", &[p("body", "bytes"), p("headers", "headers"), p("secret", "list<string>"), p("tolerance", "duration?")], "WebhookEvent"),
        f("sign", &[p("body", "bytes"), p("secret", "string"), p("id", "string?"), p("timestamp", "integer?")], "headers"),
    ]
}

/// The description of this SDK's public surface.
pub fn surface() -> Surface {
    Surface {
        client_options: vec![
            p("token", "string?"),
            p("api_key", "string?"),
            p("base_url", "string?"),
            p("timeout", "duration?"),
            p("connect_timeout", "duration?"),
            p("max_retries", "integer?"),
            p("default_headers", "headers?"),
            p("ca_certificates", "string?"),
            p("allow_secret_key", "boolean?"),
        ],
        request_options: vec![
            p("timeout", "duration?"),
            p("max_retries", "integer?"),
            p("headers", "headers?"),
            p("idempotency_key", "string?"),
            p("if_match", "string?"),
        ],
        resources: vec![customers(), subscriptions(), invoices(), keys(), events()],
        models: models(),
        errors: errors(),
        functions: functions(),
    }
}

/// The description as the JSON text of `tests/surface.json`.
pub fn surface_json() -> String {
    let mut text = serde_json::to_string_pretty(&surface()).unwrap_or_default();
    text.push('\n');
    text
}
