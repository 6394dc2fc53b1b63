//! `novabilling-testing.node`: the in-process test server for Node.js.
//! Conversions only; behaviour lives in the `novabilling-testing` crate, and
//! the JS layer (node-testing/src) builds `startTestServer` over these calls.
//!
//! What may block (start, reset, keys, waiting for a webhook, close) runs on
//! a blocking thread of napi-rs's runtime and returns a Promise, so the
//! JavaScript thread never waits.

// napi hands exports owned values (a JS string arrives as a String).
#![allow(clippy::needless_pass_by_value)]

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use novabilling_testing::{Delivery, Error as TestError, Options, Span};

fn to_napi(e: TestError) -> Error {
    let status = if matches!(e, TestError::Invalid(_)) {
        Status::InvalidArg
    } else {
        Status::GenericFailure
    };
    Error::new(status, e.to_string())
}

/// Runs `f` on a blocking thread and settles a Promise with its result.
fn blocking<T, F>(env: &Env, f: F) -> Result<PromiseRaw<'_, T>>
where
    T: ToNapiValue + Send + 'static,
    F: FnOnce() -> std::result::Result<T, TestError> + Send + 'static,
{
    env.spawn_future(async move {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| Error::from_reason(e.to_string()))?
            .map_err(to_napi)
    })
}

/// How to start: see `TestServerOptions` in the JS layer.
#[napi(object)]
pub struct NativeOptions {
    pub seed: Option<i64>,
    pub capture_webhooks: Option<bool>,
    pub rate_limit: Option<u32>,
}

/// One webhook delivery the test server's receiver got.
#[napi(object)]
pub struct NativeDelivery {
    pub event_id: String,
    #[napi(js_name = "type")]
    pub event_type: String,
    pub body: String,
    /// `[name, value]` pairs, names lowercase.
    pub headers: Vec<Vec<String>>,
    pub verified: bool,
}

impl From<Delivery> for NativeDelivery {
    fn from(d: Delivery) -> Self {
        NativeDelivery {
            event_id: d.event_id,
            event_type: d.event_type,
            body: d.body,
            headers: d.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
            verified: d.verified,
        }
    }
}

/// A running test server.
#[napi]
pub struct NativeTestServer {
    inner: Arc<novabilling_testing::TestServer>,
}

/// Starts a test server; resolves once it listens.
#[napi]
pub fn start(
    env: &Env,
    options: Option<NativeOptions>,
) -> Result<PromiseRaw<'_, NativeTestServer>> {
    let o = options.unwrap_or(NativeOptions {
        seed: None,
        capture_webhooks: None,
        rate_limit: None,
    });
    let seed = o
        .seed
        .map(|s| {
            u64::try_from(s).map_err(|_| {
                Error::new(
                    Status::InvalidArg,
                    format!("seed: {s} is negative; give 0 or more"),
                )
            })
        })
        .transpose()?;
    let opts = Options {
        seed,
        capture_webhooks: o.capture_webhooks.unwrap_or(true),
        rate_limit: u64::from(o.rate_limit.unwrap_or(0)),
    };
    blocking(env, move || {
        novabilling_testing::TestServer::start(opts)
            .map(|s| NativeTestServer { inner: Arc::new(s) })
    })
}

#[napi]
impl NativeTestServer {
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.inner.api_key().to_owned()
    }

    #[napi(getter)]
    pub fn webhook_url(&self) -> Option<String> {
        self.inner.webhook_url().map(str::to_owned)
    }

    #[napi]
    pub fn reset<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let s = self.inner.clone();
        blocking(env, move || s.reset())
    }

    #[napi]
    pub fn fail_next(
        &self,
        method: String,
        path: String,
        status: u32,
        times: Option<u32>,
        retry_after: Option<u32>,
    ) -> Result<()> {
        let status = u16::try_from(status).map_err(|_| {
            Error::new(
                Status::InvalidArg,
                format!("status {status} is not an HTTP status"),
            )
        })?;
        self.inner
            .fail_next(&method, &path, status, times.unwrap_or(1), retry_after)
            .map_err(to_napi)
    }

    #[napi]
    pub fn delay_next(
        &self,
        method: String,
        path: String,
        delay_ms: f64,
        times: Option<u32>,
    ) -> Result<()> {
        self.inner
            .delay_next(&method, &path, Span::Millis(delay_ms), times.unwrap_or(1))
            .map_err(to_napi)
    }

    #[napi]
    pub fn restricted_key<'env>(
        &self,
        env: &'env Env,
        scopes: Vec<String>,
    ) -> Result<PromiseRaw<'env, String>> {
        let s = self.inner.clone();
        blocking(env, move || {
            s.restricted_key(&scopes.iter().map(String::as_str).collect::<Vec<_>>())
        })
    }

    #[napi]
    pub fn ephemeral_key<'env>(
        &self,
        env: &'env Env,
        customer_id: String,
        ttl_ms: f64,
    ) -> Result<PromiseRaw<'env, String>> {
        let s = self.inner.clone();
        blocking(env, move || s.ephemeral_key(&customer_id, Span::Millis(ttl_ms)))
    }

    #[napi]
    pub fn wait_for_webhook<'env>(
        &self,
        env: &'env Env,
        event_type: String,
        timeout_ms: f64,
    ) -> Result<PromiseRaw<'env, Option<NativeDelivery>>> {
        let s = self.inner.clone();
        blocking(env, move || {
            Ok(s.wait_for_webhook(&event_type, Span::Millis(timeout_ms))?
                .map(NativeDelivery::from))
        })
    }

    #[napi]
    pub fn webhook_deliveries(&self) -> Vec<NativeDelivery> {
        self.inner
            .webhook_deliveries()
            .into_iter()
            .map(NativeDelivery::from)
            .collect()
    }

    #[napi]
    pub fn close<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let s = self.inner.clone();
        blocking(env, move || s.close())
    }
}
