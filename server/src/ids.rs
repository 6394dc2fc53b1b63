//! Identifiers and API keys.

use rand::Rng;

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const REQ_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_from(charset: &[u8], n: usize) -> String {
    let mut rng = rand::rng();
    (0..n).map(|_| charset[rng.random_range(0..charset.len())] as char).collect()
}

/// `prefix` + 24 random lowercase alphanumerics (`cust_`, `sub_`, `inv_`, `ten_`).
pub fn new_id(prefix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 24);
    s.push_str(prefix);
    s.push_str(&random_from(ALNUM, 24));
    s
}

/// `req_` + 24 random alphanumerics.
pub fn request_id() -> String {
    format!("req_{}", random_from(REQ_ALNUM, 24))
}

/// `sk_live_` or `sk_test_` + 64 lowercase hex characters (32 random bytes).
pub fn new_key(live: bool) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    format!("{}{}", if live { "sk_live_" } else { "sk_test_" }, hex::encode(bytes))
}

/// Whether `key` has the shape of an API key.
pub fn is_key_shaped(key: &str) -> bool {
    let rest = key.strip_prefix("sk_live_").or_else(|| key.strip_prefix("sk_test_"));
    matches!(rest, Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}
