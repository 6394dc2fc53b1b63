//! What every handler can reach.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::db::Db;
use crate::ratelimit::RateLimiter;
use crate::ssrf::Guard;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub limiter: Arc<RateLimiter>,
    /// Where webhook endpoints may point.
    pub ssrf: Arc<Guard>,
    /// How long a rotated-out webhook secret still signs.
    pub secret_grace: Duration,
    /// Poked after every successful write, so the delivery worker sends the
    /// events it committed at once instead of at its next poll.
    pub outbox: Arc<Notify>,
}
