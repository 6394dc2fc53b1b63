//! The in-process test server for Kotlin (`dev.novabilling.testing`), through
//! uniffi. Conversions only; behaviour lives in the `novabilling-testing`
//! crate, and kotlin-testing/ adds the idiomatic `client()`.

use std::sync::Arc;

use novabilling_testing::Span;

uniffi::setup_scaffolding!();

/// A span of time, crossing as seconds (java.time.Duration in Kotlin).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub f64);

uniffi::custom_type!(Seconds, f64, {
    lower: |s| s.0,
    try_lift: |v| Ok(Seconds(v)),
});

impl From<Seconds> for Span {
    fn from(s: Seconds) -> Self {
        Span::Seconds(s.0)
    }
}

/// Why a call to the test server failed; the message says what to change.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TestServerError {
    /// An argument it cannot take.
    #[error("{detail}")]
    Invalid { detail: String },
    /// It could not start or do what was asked, or it was closed.
    #[error("{detail}")]
    Server { detail: String },
}

impl From<novabilling_testing::Error> for TestServerError {
    fn from(e: novabilling_testing::Error) -> Self {
        match e {
            novabilling_testing::Error::Invalid(message) => {
                TestServerError::Invalid { detail: message }
            }
            e => TestServerError::Server {
                detail: e.to_string(),
            },
        }
    }
}

fn non_negative<T: TryFrom<i64>>(name: &str, v: i64) -> Result<T, TestServerError> {
    T::try_from(v).map_err(|_| TestServerError::Invalid {
        detail: format!("{name}: {v} is out of range"),
    })
}

/// One webhook delivery the test server's receiver got.
#[derive(uniffi::Record)]
pub struct CapturedWebhook {
    pub event_id: String,
    pub r#type: String,
    /// The body as sent (JSON text).
    pub body: String,
    /// The request's headers, names lowercase.
    pub headers: Vec<Header>,
    /// Whether the signature checked out with the endpoint's secret.
    pub verified: bool,
}

/// One header of a captured delivery.
#[derive(uniffi::Record)]
pub struct Header {
    pub name: String,
    pub value: String,
}

impl From<novabilling_testing::Delivery> for CapturedWebhook {
    fn from(d: novabilling_testing::Delivery) -> Self {
        CapturedWebhook {
            event_id: d.event_id,
            r#type: d.event_type,
            body: d.body,
            headers: d
                .headers
                .into_iter()
                .map(|(name, value)| Header { name, value })
                .collect(),
            verified: d.verified,
        }
    }
}

/// The NovaBilling server in this process: in memory, on 127.0.0.1 and a
/// free port, isolated from every other instance. `close()` (or `use {}`) stops it.
#[derive(uniffi::Object)]
pub struct TestServer(novabilling_testing::TestServer);

#[uniffi::export]
impl TestServer {
    /// Starts a server. `seed`: seeded ids and a clock that starts at
    /// 2026-01-01T00:00:00Z and steps one second per request.
    /// `captureWebhooks`: subscribe a receiver to every event. `rateLimit`:
    /// requests per minute, 0 for none.
    #[uniffi::constructor(default(seed = None, capture_webhooks = true, rate_limit = 0))]
    pub fn start(
        seed: Option<i64>,
        capture_webhooks: bool,
        rate_limit: i64,
    ) -> Result<Arc<Self>, TestServerError> {
        let opts = novabilling_testing::Options {
            seed: seed.map(|s| non_negative("seed", s)).transpose()?,
            capture_webhooks,
            rate_limit: non_negative("rateLimit", rate_limit)?,
        };
        Ok(Arc::new(TestServer(
            novabilling_testing::TestServer::start(opts)?,
        )))
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// The tenant's secret key (`sk_test_...`), with every scope.
    pub fn api_key(&self) -> String {
        self.0.api_key().to_owned()
    }

    /// Where the capturing receiver listens; null when it captures nothing.
    pub fn webhook_url(&self) -> Option<String> {
        self.0.webhook_url().map(str::to_owned)
    }

    /// Empties the server: customers, events, endpoints, every key but
    /// `apiKey`, the injected failures and the captured webhooks.
    pub fn reset(&self) -> Result<(), TestServerError> {
        Ok(self.0.reset()?)
    }

    /// The next `times` requests matching `method` (`*`: any) and
    /// `pathPattern` (`/api/customers/{id}`; `*` one segment, a last `**` any
    /// rest) are answered `status` in the API's error shape, with
    /// `Retry-After: retryAfter` seconds when given.
    #[uniffi::method(default(times = 1, retry_after = None))]
    pub fn fail_next(
        &self,
        method: &str,
        path_pattern: &str,
        status: i32,
        times: i32,
        retry_after: Option<i32>,
    ) -> Result<(), TestServerError> {
        let retry_after = retry_after
            .map(|s| non_negative("retryAfter", i64::from(s)))
            .transpose()?;
        Ok(self.0.fail_next(
            method,
            path_pattern,
            non_negative("status", i64::from(status))?,
            non_negative("times", i64::from(times))?,
            retry_after,
        )?)
    }

    /// The next `times` matching requests wait `delay` before they are handled.
    #[uniffi::method(default(times = 1))]
    pub fn delay_next(
        &self,
        method: &str,
        path_pattern: &str,
        delay: Seconds,
        times: i32,
    ) -> Result<(), TestServerError> {
        Ok(self.0.delay_next(
            method,
            path_pattern,
            delay.into(),
            non_negative("times", i64::from(times))?,
        )?)
    }

    /// A new restricted key (`rk_test_...`) with these scopes (`customers:read`, ...).
    #[allow(clippy::needless_pass_by_value)] // uniffi hands a list over as an owned Vec
    pub fn restricted_key(&self, scopes: Vec<String>) -> Result<String, TestServerError> {
        Ok(self
            .0
            .restricted_key(&scopes.iter().map(String::as_str).collect::<Vec<_>>())?)
    }

    /// A new ephemeral key (`ek_test_...`) for one customer, valid for `ttl` (one hour).
    #[uniffi::method(default(ttl = None))]
    pub fn ephemeral_key(
        &self,
        customer_id: &str,
        ttl: Option<Seconds>,
    ) -> Result<String, TestServerError> {
        Ok(self.0.ephemeral_key(customer_id, ttl.unwrap_or(Seconds(3600.0)).into())?)
    }

    /// The first captured delivery of `type` (`*`: any) not returned before,
    /// waiting up to `timeout`; null when none came. Blocks: call it off the main thread.
    pub fn wait_for_webhook(
        &self,
        r#type: &str,
        timeout: Seconds,
    ) -> Result<Option<CapturedWebhook>, TestServerError> {
        Ok(self
            .0
            .wait_for_webhook(r#type, timeout.into())?
            .map(CapturedWebhook::from))
    }

    /// Every delivery captured since the start or the last reset, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<CapturedWebhook> {
        self.0
            .webhook_deliveries()
            .into_iter()
            .map(CapturedWebhook::from)
            .collect()
    }

    /// Stops the server; requests in flight finish first. Closing twice is fine.
    pub fn stop(&self) -> Result<(), TestServerError> {
        Ok(self.0.close()?)
    }
}
