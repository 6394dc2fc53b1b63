//! Stored time: milliseconds since the Unix epoch, one integer column on both databases.

use chrono::{DateTime, Utc};

use crate::determinism;

/// The time now; a test server's request time when it asked for determinism.
pub fn now_ms() -> i64 {
    determinism::with(|s| s.now_ms).unwrap_or_else(|| Utc::now().timestamp_millis())
}

pub fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
