//! Input checks of the API (docs/API-REFERENCE.md, "Validation"), as pure functions: the client runs them before
//! any request and the server runs the same ones, so both say the same words.
//!
//! Each check returns the normalized value (country and currency upper case)
//! or a [`FieldError`] naming the field, the problem and what is allowed.

use rust_decimal::Decimal;

use crate::error::{FieldError, Problems, ValidationError};
use crate::model::{
    CustomerCreate, CustomerUpdate, EphemeralKeyCreate, EventListParams, KeyCreate, ListParams, Metadata, PageParams, Patch, StripeCustomer, InvoiceCreate,
    SubscriptionCreate, SubscriptionStatus, InvoiceStatus,
};

pub const NAME_MAX_CHARS: usize = 200;
pub const EXTERNAL_ID_MAX_CHARS: usize = 255;
pub const ID_MAX_CHARS: usize = 255;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const SEARCH_MAX_CHARS: usize = 200;
pub const METADATA_MAX_KEYS: usize = 50;
pub const METADATA_KEY_MAX_CHARS: usize = 40;
pub const METADATA_MAX_BYTES: usize = 8 * 1024;
pub const LIMIT_MAX: u32 = 100;
pub const PLAN_ID_MAX_CHARS: usize = 255;
/// An ephemeral key's lifetime when none is asked for, and the longest: seconds.
pub const EPHEMERAL_DEFAULT_SECONDS: u64 = 3600;
pub const EPHEMERAL_MAX_SECONDS: u64 = 24 * 3600;
/// The longest lifetime a restricted key can be given (ten years): seconds.
pub const KEY_MAX_SECONDS: u64 = 10 * 366 * 24 * 3600;

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// ISO 3166-1 alpha-2, any case in, upper case out.
pub fn country(field: &str, s: &str) -> Result<String, FieldError> {
    let upper = s.to_ascii_uppercase();
    if upper.len() == 2 && isocountry::CountryCode::for_alpha2(&upper).is_ok() {
        Ok(upper)
    } else {
        Err(FieldError::new(
            field,
            "invalid_country",
            format!("{field} must be an ISO 3166-1 alpha-2 country code such as \"UG\" or \"US\", got {s:?}"),
        ))
    }
}

/// ISO 4217 active currency code, any case in, upper case out.
pub fn currency(field: &str, s: &str) -> Result<String, FieldError> {
    let upper = s.to_ascii_uppercase();
    if upper.len() == 3 && iso_currency::Currency::from_code(&upper).is_some() {
        Ok(upper)
    } else {
        Err(FieldError::new(
            field,
            "invalid_currency",
            format!("{field} must be an ISO 4217 currency code such as \"UGX\" or \"USD\", got {s:?}"),
        ))
    }
}

/// Digits after the decimal point of a currency's minor unit (UGX 0, USD 2, KWD 3).
pub fn currency_exponent(code: &str) -> u32 {
    iso_currency::Currency::from_code(code)
        .and_then(iso_currency::Currency::exponent)
        .map_or(2, u32::from)
}

pub fn email(field: &str, s: &str) -> Result<String, FieldError> {
    let opts = email_address::Options::default()
        .with_required_tld()
        .without_display_text()
        .without_domain_literal();
    if chars(s) > EMAIL_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("{field} must be at most {EMAIL_MAX_CHARS} characters")));
    }
    if email_address::EmailAddress::parse_with_options(s, opts).is_ok() {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "invalid_email",
            format!("{field} must be an email address such as \"jane@example.com\", got {s:?}"),
        ))
    }
}

/// An identifier chosen by the caller (externalId, externalOrganizationId).
pub fn external_id(field: &str, s: &str) -> Result<String, FieldError> {
    if s.trim().is_empty() {
        return Err(FieldError::new(field, "required", format!("{field} must not be empty")));
    }
    if chars(s) > EXTERNAL_ID_MAX_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{field} must be at most {EXTERNAL_ID_MAX_CHARS} characters, got {}", chars(s)),
        ));
    }
    if has_control(s) {
        return Err(FieldError::new(field, "invalid", format!("{field} must not contain control characters")));
    }
    Ok(s.to_owned())
}

/// An identifier the server made (`cust_...`, or the real server's cuid).
pub fn id(field: &str, s: &str) -> Result<(), FieldError> {
    if s.is_empty() {
        return Err(FieldError::new(field, "required", format!("{field} must not be empty")));
    }
    if chars(s) > ID_MAX_CHARS || has_control(s) || s.contains('/') {
        return Err(FieldError::new(field, "invalid", format!("{field} is not an id: {s:?}")));
    }
    Ok(())
}

pub fn name(field: &str, s: &str) -> Result<String, FieldError> {
    if s.trim().is_empty() {
        return Err(FieldError::new(field, "required", format!("{field} must not be empty; pass null to clear it")));
    }
    let n = chars(s);
    if n > NAME_MAX_CHARS {
        return Err(FieldError::new(field, "too_long", format!("{field} must be at most {NAME_MAX_CHARS} characters, got {n}")));
    }
    Ok(s.to_owned())
}

/// At most 50 keys of 1 to 40 characters, at most 8 KiB serialized.
pub fn metadata(field: &str, m: &Metadata) -> Result<(), FieldError> {
    if m.len() > METADATA_MAX_KEYS {
        return Err(FieldError::new(
            field,
            "too_many_keys",
            format!("{field} must have at most {METADATA_MAX_KEYS} keys, got {}", m.len()),
        ));
    }
    for k in m.keys() {
        let n = chars(k);
        if n == 0 || n > METADATA_KEY_MAX_CHARS {
            return Err(FieldError::new(
                field,
                "invalid_key",
                format!("{field} keys must be 1 to {METADATA_KEY_MAX_CHARS} characters, got {k:?}"),
            ));
        }
    }
    let size = serde_json::to_vec(m).map_or(usize::MAX, |v| v.len());
    if size > METADATA_MAX_BYTES {
        return Err(FieldError::new(
            field,
            "too_large",
            format!("{field} must be at most {METADATA_MAX_BYTES} bytes as JSON, got {size}"),
        ));
    }
    Ok(())
}

pub fn page(p: u32) -> Result<u32, FieldError> {
    if p >= 1 { Ok(p) } else { Err(FieldError::new("page", "out_of_range", format!("page must be 1 or more, got {p}"))) }
}

pub fn limit(l: u32) -> Result<u32, FieldError> {
    if (1..=LIMIT_MAX).contains(&l) {
        Ok(l)
    } else {
        Err(FieldError::new("limit", "out_of_range", format!("limit must be between 1 and {LIMIT_MAX}, got {l}")))
    }
}

pub fn search(s: &str) -> Result<String, FieldError> {
    let n = chars(s);
    if n > SEARCH_MAX_CHARS {
        return Err(FieldError::new("search", "too_long", format!("search must be at most {SEARCH_MAX_CHARS} characters, got {n}")));
    }
    Ok(s.to_owned())
}

/// Checks and normalizes a create body; every problem is reported at once.
pub fn customer_create(c: CustomerCreate) -> Result<CustomerCreate, ValidationError> {
    let mut p = Problems::default();
    let out = CustomerCreate {
        external_id: p.check(external_id("externalId", &c.external_id)).unwrap_or_default(),
        email: p.check(email("email", &c.email)).unwrap_or_default(),
        name: c.name.as_deref().and_then(|s| p.check(name("name", s))),
        country: c.country.as_deref().and_then(|s| p.check(country("country", s))),
        currency: c.currency.as_deref().and_then(|s| p.check(currency("currency", s))),
        metadata: c.metadata.and_then(|m| p.check(metadata("metadata", &m)).map(|()| m)),
        external_organization_id: c
            .external_organization_id
            .as_deref()
            .and_then(|s| p.check(external_id("externalOrganizationId", s))),
    };
    p.finish(out)
}

fn patch<T>(
    p: &mut Problems,
    field: &str,
    v: Patch<T>,
    clearable: bool,
    check: impl FnOnce(&str, T) -> Result<T, FieldError>,
) -> Patch<T> {
    match v {
        Patch::Keep => Patch::Keep,
        Patch::Clear if clearable => Patch::Clear,
        Patch::Clear => {
            p.push(FieldError::new(field, "not_nullable", format!("{field} cannot be cleared; leave it out to keep it")));
            Patch::Keep
        }
        Patch::Set(v) => p.check(check(field, v)).map_or(Patch::Keep, Patch::Set),
    }
}

/// Checks and normalizes an update body. Email and status cannot be cleared.
pub fn customer_update(u: CustomerUpdate) -> Result<CustomerUpdate, ValidationError> {
    let mut p = Problems::default();
    let out = CustomerUpdate {
        email: patch(&mut p, "email", u.email, false, |f, s| email(f, &s)),
        name: patch(&mut p, "name", u.name, true, |f, s| name(f, &s)),
        country: patch(&mut p, "country", u.country, true, |f, s| country(f, &s)),
        currency: patch(&mut p, "currency", u.currency, true, |f, s| currency(f, &s)),
        metadata: patch(&mut p, "metadata", u.metadata, true, |f, m| metadata(f, &m).map(|()| m)),
        status: patch(&mut p, "status", u.status, false, |f, s| s.known(f)),
        external_organization_id: patch(&mut p, "externalOrganizationId", u.external_organization_id, true, |f, s| {
            external_id(f, &s)
        }),
    };
    p.finish(out)
}

pub fn page_params(pp: PageParams) -> Result<PageParams, ValidationError> {
    let mut p = Problems::default();
    let out = PageParams {
        page: pp.page.and_then(|v| p.check(page(v))),
        limit: pp.limit.and_then(|v| p.check(limit(v))),
    };
    p.finish(out)
}

pub fn event_list_params(l: EventListParams) -> Result<EventListParams, ValidationError> {
    let mut p = Problems::default();
    let out = EventListParams {
        page: l.page.and_then(|v| p.check(page(v))),
        limit: l.limit.and_then(|v| p.check(limit(v))),
        event_type: l.event_type.and_then(|t| p.check(event_type(&t).map(|()| t))),
        customer_id: l.customer_id.and_then(|c| p.check(id("customerId", &c).map(|()| c))),
    };
    p.finish(out)
}

/// An event type names a kind of change (`customer.created`): newer types
/// than this SDK knows pass, text that cannot be one does not.
fn event_type(t: &str) -> Result<(), FieldError> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_') {
        return Err(FieldError::new("type", "invalid", format!("{t:?} is not an event type (e.g. \"customer.created\")")));
    }
    Ok(())
}

pub fn list_params(l: ListParams) -> Result<ListParams, ValidationError> {
    let mut p = Problems::default();
    let paging = match page_params(l.paging()) {
        Ok(pp) => pp,
        Err(e) => {
            e.errors.into_iter().for_each(|e| p.push(e));
            PageParams::default()
        }
    };
    let out = ListParams {
        page: paging.page,
        limit: paging.limit,
        search: l.search.as_deref().and_then(|s| p.check(search(s))),
        country: l.country.as_deref().and_then(|s| p.check(country("country", s))),
        currency: l.currency.as_deref().and_then(|s| p.check(currency("currency", s))),
        status: l.status.and_then(|s| p.check(s.known("status"))),
        sort_by: l.sort_by.and_then(|s| p.check(s.known("sortBy"))),
        sort_order: l.sort_order.and_then(|s| p.check(s.known("sortOrder"))),
    };
    p.finish(out)
}

/// Each Stripe customer needs an id; its country and currency are normalized
/// when valid and dropped when not, since Stripe data is imported as it is.
pub fn stripe_customers(list: Vec<StripeCustomer>) -> Result<Vec<StripeCustomer>, ValidationError> {
    let mut p = Problems::default();
    let out = list
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            if c.id.trim().is_empty() {
                p.push(FieldError::new(format!("[{i}].id"), "required", format!("customer {i} has no Stripe id")));
            }
            c.currency = c.currency.and_then(|s| currency("currency", &s).ok());
            if let Some(a) = c.address.as_mut() {
                a.country = a.country.take().and_then(|s| country("country", &s).ok());
            }
            c
        })
        .collect();
    p.finish(out)
}

/// Reads Stripe customer objects as exported (Stripe's other fields are ignored).
pub fn stripe_customer_values(list: Vec<serde_json::Value>) -> Result<Vec<StripeCustomer>, ValidationError> {
    let mut p = Problems::default();
    let parsed: Vec<StripeCustomer> = list
        .into_iter()
        .enumerate()
        .filter_map(|(i, v)| {
            p.check(serde_json::from_value(v).map_err(|e| {
                FieldError::new(format!("[{i}]"), "invalid", format!("customer {i} is not a Stripe customer object: {e}"))
            }))
        })
        .collect();
    p.finish(())?;
    stripe_customers(parsed)
}

pub fn subscription_create(s: SubscriptionCreate) -> Result<SubscriptionCreate, ValidationError> {
    let mut p = Problems::default();
    p.check(id("customerId", &s.customer_id));
    let plan_id = p.check(external_id("planId", &s.plan_id)).unwrap_or_default();
    let status = s.status.and_then(|st| match st {
        SubscriptionStatus::Active | SubscriptionStatus::Trialing => Some(st),
        other => {
            p.push(FieldError::new("status", "not_allowed", format!("status must be active or trialing, got {:?}", other.as_str())));
            None
        }
    });
    p.finish(SubscriptionCreate { customer_id: s.customer_id, plan_id, status })
}

/// Amount positive, with no more decimals than the currency has (checked
/// against the currency when the caller names one; the server checks again
/// against the customer's).
pub fn invoice_create(inv: InvoiceCreate) -> Result<InvoiceCreate, ValidationError> {
    let mut p = Problems::default();
    p.check(id("customerId", &inv.customer_id));
    let currency = inv.currency.as_deref().and_then(|c| p.check(currency("currency", c)));
    p.check(amount("amount", inv.amount, currency.as_deref()));
    let status = inv.status.and_then(|st| match st {
        InvoiceStatus::Open | InvoiceStatus::Draft => Some(st),
        other => {
            p.push(FieldError::new("status", "not_allowed", format!("status must be open or draft, got {:?}", other.as_str())));
            None
        }
    });
    p.finish(InvoiceCreate { customer_id: inv.customer_id, amount: inv.amount.normalize(), currency, status })
}

/// A positive amount in major units that fits the currency's minor unit.
pub fn amount(field: &str, a: Decimal, currency: Option<&str>) -> Result<Decimal, FieldError> {
    if a <= Decimal::ZERO {
        return Err(FieldError::new(field, "out_of_range", format!("{field} must be greater than 0, got {a}")));
    }
    if a > Decimal::from(1_000_000_000_000i64) {
        return Err(FieldError::new(field, "out_of_range", format!("{field} must be at most 1000000000000, got {a}")));
    }
    let exp = currency.map_or(4, currency_exponent);
    if a.normalize().scale() > exp {
        return Err(FieldError::new(
            field,
            "too_precise",
            format!("{field} has more than {exp} decimal places for {}: {a}", currency.unwrap_or("this currency")),
        ));
    }
    Ok(a.normalize())
}

/// Reads a caller's input given as JSON in the wire form (how a binding hands
/// over a JavaScript object, say) into `T`. A value of the wrong shape is a
/// [`ValidationError`] naming the field: `unknown_field`, `required` (missing)
/// or `invalid` (wrong type); JSON that does not parse is `invalid` on `what`.
pub fn from_json<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, ValidationError> {
    from_json_slice(what, json.as_bytes())
}

/// [`from_json`] over bytes, as a request body arrives: the one place that
/// tells which field of the input is wrong, and how, for bindings and the server.
pub fn from_json_slice<T: serde::de::DeserializeOwned>(what: &str, json: &[u8]) -> Result<T, ValidationError> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let (path, inner) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => match de.end() {
            Ok(()) => return Ok(v),
            Err(e) => (String::new(), e),
        },
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let path = if path == "." { String::new() } else { path };
    let text = inner.to_string();
    let text = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    let join = |f: &str| if path.is_empty() { f.to_owned() } else { format!("{path}.{f}") };
    let backticked = || text.split('`').nth(1).unwrap_or("?");
    let err = if !matches!(inner.classify(), serde_json::error::Category::Data) {
        FieldError::new(what, "invalid", format!("{what} is not valid JSON: {text}"))
    } else if text.starts_with("unknown field") {
        // The path already ends with the unknown field's name.
        let field = if path.is_empty() { backticked().to_owned() } else { path.clone() };
        FieldError::new(field, "unknown_field", format!("{what}: {text}"))
    } else if text.starts_with("missing field") {
        let field = join(backticked());
        FieldError::new(field.clone(), "required", format!("{field} is required"))
    } else if path.is_empty() {
        FieldError::new(what, "invalid", format!("{what}: {text}"))
    } else {
        FieldError::new(path.clone(), "invalid", format!("{path}: {text}"))
    };
    Err(err.into())
}

fn lifetime(field: &str, secs: u64, max: u64) -> Result<u64, FieldError> {
    if (1..=max).contains(&secs) {
        Ok(secs)
    } else {
        Err(FieldError::new(field, "out_of_range", format!("{field} must be between 1 and {max} seconds, got {secs}")))
    }
}

/// A restricted key: known scopes (at least one, sorted, each once), a name, a lifetime.
pub fn key_create(k: KeyCreate) -> Result<KeyCreate, ValidationError> {
    let mut p = Problems::default();
    let scopes = match crate::keys::Scope::parse_all(k.scopes.iter().map(String::as_str)) {
        Ok(s) if s.is_empty() => {
            p.push(FieldError::new("scopes", "required", "scopes must name at least one scope, such as customers:read"));
            Vec::new()
        }
        Ok(s) => s.iter().map(|s| s.as_str().to_owned()).collect(),
        Err(msg) => {
            p.push(FieldError::new("scopes", "invalid", msg));
            Vec::new()
        }
    };
    let name = k.name.and_then(|n| p.check(name("name", &n)));
    let expires_in = k.expires_in.and_then(|s| p.check(lifetime("expiresIn", s, KEY_MAX_SECONDS)));
    p.finish(KeyCreate { scopes, name, expires_in })
}

/// An ephemeral key: exactly one of `customerId` and `externalId`, and a lifetime of at most 24 h.
pub fn ephemeral_key_create(k: EphemeralKeyCreate) -> Result<EphemeralKeyCreate, ValidationError> {
    let mut p = Problems::default();
    match (&k.customer_id, &k.external_id) {
        (Some(c), None) => {
            p.check(id("customerId", c));
        }
        (None, Some(e)) => {
            p.check(external_id("externalId", e));
        }
        (Some(_), Some(_)) => p.push(FieldError::new("customerId", "conflict", "give customerId or externalId, not both")),
        (None, None) => p.push(FieldError::new("customerId", "required", "give the customer: customerId or externalId")),
    }
    let expires_in = p.check(lifetime("expiresIn", k.expires_in.unwrap_or(EPHEMERAL_DEFAULT_SECONDS), EPHEMERAL_MAX_SECONDS));
    p.finish(EphemeralKeyCreate { expires_in, ..k })
}
