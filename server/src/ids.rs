//! Identifiers and API keys.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;

use crate::determinism;

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Digits before letters, as in ASCII, so base-36 numerals of one width sort as numbers.
const SORTED_ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const REQ_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_from(charset: &[u8], n: usize) -> String {
    let pick = |rng: &mut dyn rand::RngCore| (0..n).map(|_| charset[rng.random_range(0..charset.len())] as char).collect();
    determinism::with(|s| pick(&mut s.rng)).unwrap_or_else(|| pick(&mut rand::rng()))
}

/// `prefix` + 24 random lowercase alphanumerics (`cust_`, `sub_`, `inv_`, `ten_`).
pub fn new_id(prefix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 24);
    s.push_str(prefix);
    s.push_str(&random_from(ALNUM, 24));
    s
}

/// `prefix` + 24 lowercase alphanumerics that sort (bytewise) in the order
/// they were made: 10 of microseconds since the epoch in base 36, strictly
/// increasing within the process, then 14 random. Events listed newest first
/// keep their order when several share a millisecond.
pub fn new_sortable_id(prefix: &str) -> String {
    let mut t = determinism::next_micros().map_or_else(next_micros, |t| u64::try_from(t).unwrap_or(0));
    let mut stamp = [b'0'; 10];
    for d in stamp.iter_mut().rev() {
        *d = SORTED_ALNUM[usize::try_from(t % 36).unwrap_or(0)];
        t /= 36;
    }
    let mut s = String::with_capacity(prefix.len() + 24);
    s.push_str(prefix);
    s.extend(stamp.iter().map(|&b| b as char));
    s.push_str(&random_from(ALNUM, 14));
    s
}

/// Microseconds since the epoch, strictly increasing within the process.
fn next_micros() -> u64 {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = u64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_micros()).unwrap_or(u64::MAX);
    let next = |last: u64| now.max(last + 1);
    next(LAST.fetch_update(Ordering::AcqRel, Ordering::Acquire, |last| Some(next(last))).unwrap_or(0))
}

/// `req_` + 24 random alphanumerics.
pub fn request_id() -> String {
    format!("req_{}", random_from(REQ_ALNUM, 24))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortable_ids_sort_in_the_order_made() {
        let ids: Vec<String> = (0..10_000).map(|_| new_sortable_id("evt_")).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "not strictly increasing");
        assert!(ids.iter().all(|id| id.len() == 28 && id[4..].bytes().all(|b| SORTED_ALNUM.contains(&b))));
    }
}
