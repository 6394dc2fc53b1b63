//! Stored time: milliseconds since the Unix epoch, one integer column on both databases.

use chrono::{DateTime, Utc};

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn ms_to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
