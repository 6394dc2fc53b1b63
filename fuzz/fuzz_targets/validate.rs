//! Validation: the first byte picks the check, the rest is its JSON input (as
//! tests/vectors/validation.json gives it). Any input gives a value or a
//! ValidationError; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novabilling::model::{BindRequest, CustomerCreate, CustomerUpdate, InvoiceCreate, ListParams, PageParams, SubscriptionCreate};
use novabilling::validate;

fuzz_target!(|data: &[u8]| {
    let Some((&op, json)) = data.split_first() else { return };
    match op % 9 {
        0 => drop(serde_json::from_slice::<CustomerCreate>(json).map(validate::customer_create)),
        1 => drop(serde_json::from_slice::<CustomerUpdate>(json).map(validate::customer_update)),
        2 => drop(serde_json::from_slice::<ListParams>(json).map(validate::list_params)),
        3 => drop(serde_json::from_slice::<PageParams>(json).map(validate::page_params)),
        4 => drop(serde_json::from_slice::<BindRequest>(json).map(|b| validate::external_id("externalId", &b.external_id))),
        5 => drop(serde_json::from_slice::<Vec<serde_json::Value>>(json).map(validate::stripe_customer_values)),
        6 => drop(serde_json::from_slice::<InvoiceCreate>(json).map(validate::invoice_create)),
        7 => drop(serde_json::from_slice::<SubscriptionCreate>(json).map(validate::subscription_create)),
        _ => {
            // The string checks and the key format, on the raw text.
            let s = String::from_utf8_lossy(json);
            let _ = validate::id("id", &s);
            let _ = validate::email("email", &s);
            let _ = validate::country("country", &s);
            let _ = validate::currency("currency", &s);
            let _ = validate::name("name", &s);
            let _ = validate::search(&s);
            let _ = novabilling::keys::inspect(&s);
        }
    }
});
