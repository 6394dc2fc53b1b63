//! Webhook verification: the input is the raw body, the headers ("name: value"
//! lines) and the secrets (one a line), separated by NUL bytes. Every input is
//! an event or a WebhookVerificationError; a panic is a bug. The time is fixed
//! at the vectors' (tests/vectors/webhooks.json), so their valid signatures
//! stay valid and the fuzzer explores from them.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use novabilling::webhooks;

const NOW: i64 = 1_649_367_553;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let (Some(body), Some(headers), Some(secrets)) = (parts.next(), parts.next(), parts.next()) else { return };
    let headers = String::from_utf8_lossy(headers);
    let headers: Vec<(&str, &str)> = headers.lines().filter_map(|l| l.split_once(": ")).collect();
    let secrets = String::from_utf8_lossy(secrets);
    let secrets: Vec<&str> = secrets.lines().collect();
    let _ = webhooks::verify_at(body, &headers, &secrets, Duration::from_secs(300), NOW);
});
