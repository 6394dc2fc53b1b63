//! Response decoding: the first byte picks the type, the rest is a response
//! body (this server's shapes and the real NovaBilling server's, as in
//! tests/vectors/decoding.json). Any body decodes or fails with an error; a
//! panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novabilling::model::{Customer, Deleted, ImportResult, Invoice, List, Page, Subscription};
use novabilling::webhooks::WebhookEvent;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else { return };
    match kind % 9 {
        0 => drop(serde_json::from_slice::<Customer>(body)),
        1 => drop(serde_json::from_slice::<Page<Customer>>(body)),
        2 => drop(serde_json::from_slice::<Deleted>(body)),
        3 => drop(serde_json::from_slice::<ImportResult>(body)),
        4 => drop(serde_json::from_slice::<Invoice>(body)),
        5 => drop(serde_json::from_slice::<List<Invoice>>(body)),
        6 => drop(serde_json::from_slice::<Subscription>(body)),
        7 => drop(serde_json::from_slice::<List<Subscription>>(body)),
        _ => drop(serde_json::from_slice::<WebhookEvent>(body)),
    }
});
