//! What every handler can reach.

use std::sync::Arc;

use crate::db::Db;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub limiter: Arc<RateLimiter>,
}
