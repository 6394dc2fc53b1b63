//! Error responses: two bytes of status, then the body (JSON of either
//! server, a proxy's HTML, anything). Every one becomes an ApiError with a
//! message; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novabilling::ApiError;

fuzz_target!(|data: &[u8]| {
    let [hi, lo, body @ ..] = data else { return };
    let status = 100 + u16::from_be_bytes([*hi, *lo]) % 500;
    let e = ApiError::from_response(status, None, None, body);
    assert!(!e.message.is_empty(), "an error without a message for {status}");
    let _ = e.kind();
});
