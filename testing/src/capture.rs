//! The webhook receiver a test server subscribes for every event: it keeps
//! each delivery, checked against the endpoint's signing secret, for tests to
//! wait for.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One delivery as the receiver got it.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// `evt_...`, from the body.
    pub event_id: String,
    /// `customer.created`, ...
    pub event_type: String,
    /// The body as sent (JSON).
    pub body: String,
    /// The request's headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// Whether the signature checked out with the endpoint's secret.
    pub verified: bool,
}

#[derive(Default)]
struct Inbox {
    /// Not yet returned by [`Captured::wait_for`].
    unread: VecDeque<Delivery>,
    /// Everything received since the last clear.
    all: Vec<Delivery>,
}

/// What the receiver got, shared with the test server's handle.
#[derive(Default)]
pub struct Captured {
    inbox: Mutex<Inbox>,
    arrived: Condvar,
    secret: Mutex<String>,
}

impl Captured {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_secret(&self, secret: String) {
        *self.secret.lock().unwrap_or_else(PoisonError::into_inner) = secret;
    }

    /// The first delivery of `event_type` (`*`: any) not returned before,
    /// waiting up to `timeout` for it; `None` when none came.
    pub fn wait_for(&self, event_type: &str, timeout: Duration) -> Option<Delivery> {
        let deadline = Instant::now() + timeout;
        let mut inbox = self.lock();
        loop {
            if let Some(i) = inbox
                .unread
                .iter()
                .position(|d| event_type == "*" || d.event_type == event_type)
            {
                return inbox.unread.remove(i);
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())?;
            inbox = self
                .arrived
                .wait_timeout(inbox, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Every delivery received since the last reset, oldest first.
    pub fn all(&self) -> Vec<Delivery> {
        self.lock().all.clone()
    }

    pub fn clear(&self) {
        *self.lock() = Inbox::default();
    }

    fn receive(&self, headers: &HeaderMap, body: &Bytes) {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let secret = self
            .secret
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        // Any age: a deterministic server signs with its stepping clock's time.
        let verified = novabilling::webhooks::verify(
            body,
            &headers,
            &[secret],
            Duration::from_secs(u64::MAX / 4),
        )
        .is_ok();
        let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let field = |k: &str| {
            parsed
                .get(k)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let delivery = Delivery {
            event_id: field("id"),
            event_type: field("type"),
            body: String::from_utf8_lossy(body).into_owned(),
            headers,
            verified,
        };
        let mut inbox = self.lock();
        inbox.all.push(delivery.clone());
        inbox.unread.push_back(delivery);
        self.arrived.notify_all();
    }
}

pub(crate) fn router(captured: Arc<Captured>) -> Router {
    Router::new().route("/", post(receive)).with_state(captured)
}

async fn receive(State(c): State<Arc<Captured>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    c.receive(&headers, &body);
    StatusCode::NO_CONTENT
}
