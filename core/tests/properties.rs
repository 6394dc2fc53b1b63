//! Arbitrary input never panics: not in validation, not in decoding, not in
//! error parsing. Every rejection names a field and says what is allowed.

use std::time::Duration;

use novabilling::{ApiError, Customer, CustomerCreate, CustomerUpdate, ListParams, Page, Patch, validate};
use proptest::prelude::*;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn opt_string() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![".{0,12}", "[a-zA-Z]{2,3}", "\\PC{0,260}"])
}

fn patch_string() -> impl Strategy<Value = Patch<String>> {
    prop_oneof![Just(Patch::Keep), Just(Patch::Clear), ".{0,210}".prop_map(Patch::Set)]
}

/// A sort key the API knows, in a random mix of upper and lower case.
fn sort_key_in_any_case() -> impl Strategy<Value = String> {
    (proptest::sample::select(novabilling::SortBy::ALLOWED), proptest::collection::vec(any::<bool>(), 16)).prop_map(|(k, upper)| {
        k.chars().zip(upper).map(|(c, u)| if u { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn create_validation_never_panics(
        external_id in ".{0,300}", email in ".{0,60}", name in opt_string(), country in opt_string(),
        currency in opt_string(), meta in prop::option::of(prop::collection::btree_map(".{0,45}", json_value(), 0..60)),
    ) {
        let c = CustomerCreate {
            external_id, email, name, country, currency,
            metadata: meta.map(|m| m.into_iter().collect()),
            external_organization_id: None,
        };
        match validate::customer_create(c) {
            Ok(ok) => {
                // What passes is normalized and passes again unchanged.
                prop_assert_eq!(validate::customer_create(ok.clone()), Ok(ok.clone()));
                if let Some(cc) = &ok.country { prop_assert_eq!(cc.to_ascii_uppercase(), cc.clone()); }
            }
            Err(e) => {
                prop_assert!(!e.errors.is_empty());
                for f in &e.errors {
                    prop_assert!(!f.field.is_empty() && !f.message.is_empty() && f.code.is_some());
                }
            }
        }
    }

    #[test]
    fn update_validation_never_panics(name in patch_string(), email in patch_string(), country in patch_string(), currency in patch_string()) {
        let u = CustomerUpdate { name, email, country, currency, ..Default::default() };
        if let Ok(ok) = validate::customer_update(u) {
            prop_assert_eq!(validate::customer_update(ok.clone()), Ok(ok));
        }
    }

    #[test]
    fn list_validation_accepts_exactly_the_valid_queries(
        // Valid values on purpose, most of the time, so both outcomes are checked often.
        page in prop_oneof![3 => 1..=u32::MAX, 1 => Just(0u32)],
        limit in prop_oneof![4 => 1u32..=100, 1 => Just(0u32), 1 => 101..=u32::MAX],
        search in prop_oneof![3 => ".{0,200}", 1 => ".{201,250}"],
        sort in prop_oneof![3 => sort_key_in_any_case(), 1 => ".{0,12}"],
    ) {
        let p = ListParams {
            page: Some(page), limit: Some(limit), search: Some(search.clone()),
            sort_by: Some(novabilling::SortBy::from_wire(&sort)), ..Default::default()
        };
        let known = novabilling::SortBy::ALLOWED.iter().find(|a| a.eq_ignore_ascii_case(&sort));
        let valid = page >= 1 && (1..=100).contains(&limit) && known.is_some() && search.chars().count() <= 200;
        let r = validate::list_params(p);
        prop_assert_eq!(r.is_ok(), valid, "{:?}", r);
        if let Ok(ok) = r {
            // Accepted in any case, sent in the case the API uses.
            prop_assert_eq!(ok.sort_by.map(|s| s.as_str().to_owned()), known.map(|k| (*k).to_owned()));
        }
    }

    #[test]
    fn decoding_arbitrary_json_never_panics(v in json_value()) {
        let _ = serde_json::from_value::<Customer>(v.clone());
        let _ = serde_json::from_value::<Page<Customer>>(v.clone());
        let _ = serde_json::from_value::<CustomerUpdate>(v.clone());
        let _ = validate::stripe_customer_values(vec![v]);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = serde_json::from_slice::<Customer>(&bytes);
        let _ = serde_json::from_slice::<Page<Customer>>(&bytes);
    }

    #[test]
    fn a_customer_with_arbitrary_field_values_decodes_or_errs(
        id in json_value(), email in json_value(), meta in json_value(), total in json_value(), created in json_value(),
    ) {
        let body = json!({"id": id, "email": email, "metadata": meta, "totalSpent": total, "createdAt": created,
                          "updatedAt": "2026-03-01T12:00:00.000Z"});
        if let Ok(c) = serde_json::from_value::<Customer>(body) {
            // Whatever decodes writes back out and reads in again the same.
            let again: Customer = serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
            prop_assert_eq!(again, c);
        }
    }

    #[test]
    fn error_parsing_never_panics(status in 100u16..600, bytes in prop::collection::vec(any::<u8>(), 0..300), v in json_value()) {
        let e = ApiError::from_response(status, None, Some(Duration::from_secs(1)), &bytes);
        prop_assert!(!e.message.is_empty() && !e.code.is_empty());
        let e = ApiError::from_response(status, Some("req_x".into()), None, v.to_string().as_bytes());
        prop_assert_eq!(e.request_id.as_deref(), Some("req_x"));
    }

    #[test]
    fn money_round_trips_exactly(units in 0i64..1_000_000_000_000, scale in 0u32..3) {
        let amount = rust_decimal::Decimal::new(units, scale).normalize();
        let body = json!({"id": "inv_1", "amount": amount.to_string(), "createdAt": "2026-03-01T12:00:00.000Z"});
        let inv: novabilling::Invoice = serde_json::from_value(body).unwrap();
        prop_assert_eq!(inv.amount, amount);
        let wire = serde_json::to_value(&inv).unwrap();
        let back: novabilling::Invoice = serde_json::from_value(wire).unwrap();
        prop_assert_eq!(back.amount, amount);
    }
}
