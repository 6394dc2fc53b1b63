//! [`TestServer`]: start, the handle's controls, stop.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::middleware;
use novabilling::Span;
use novabilling::keys::Scope;
use novabilling_server::db::Db;
use novabilling_server::determinism::Determinism;
use novabilling_server::routes::webhooks::new_secret;
use novabilling_server::ssrf::{Allow, Guard};
use novabilling_server::store::{customers, keys, tenant, webhooks};
use novabilling_server::{RunningServer, ServeOptions, WebhookOptions, Wrap};
use tokio::runtime::Runtime;

use crate::capture::{self, Captured, Delivery};
use crate::faults::{self, Fault, Faults};

/// Why a call to the test server failed: what to change is in the message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument the server cannot take.
    #[error("{0}")]
    Invalid(String),
    /// The server could not start or do what was asked.
    #[error("novabilling test server: {0}")]
    Server(String),
    /// The server was closed.
    #[error("the test server is closed; start a new one")]
    Closed,
}

fn server_error(e: impl std::fmt::Display) -> Error {
    Error::Server(e.to_string())
}

/// How to start a test server.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Seeded ids and a clock that starts at 2026-01-01T00:00:00Z and steps
    /// one second per request, so the same test gives the same answers.
    pub seed: Option<u64>,
    /// Subscribe a receiver to every event and keep what it gets.
    pub capture_webhooks: bool,
    /// Requests per minute; 0 (the default) for no limit.
    pub rate_limit: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: None,
            capture_webhooks: true,
            rate_limit: 0,
        }
    }
}

/// 2026-01-01T00:00:00Z: a deterministic server's first request time.
const DETERMINISTIC_START_MS: i64 = 1_767_225_600_000;

/// Retries come quickly in a test: a receiver's tests should not wait minutes.
const RETRY_SCHEDULE_MS: [u64; 4] = [0, 100, 500, 2000];

/// The NovaBilling server in this process: its own runtime, an in-memory
/// database, one tenant and its secret key. Dropping it stops it.
pub struct TestServer {
    /// `None` only while dropped.
    runtime: Option<Runtime>,
    running: Mutex<Option<Running>>,
    base_url: String,
    api_key: String,
    tenant: String,
    faults: Arc<Faults>,
    captured: Arc<Captured>,
    capture_url: Option<String>,
}

struct Running {
    server: RunningServer,
    capture: Option<tokio::task::JoinHandle<()>>,
    /// Holds the in-memory database open whatever the pools do with theirs.
    keep_open: sqlx::pool::PoolConnection<sqlx::Sqlite>,
}

impl TestServer {
    /// Starts a server on `127.0.0.1:0` with an empty in-memory database.
    pub fn start(opts: Options) -> Result<TestServer, Error> {
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let n = STARTED.fetch_add(1, Ordering::Relaxed);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(format!("novabilling-test-server-{n}"))
            .enable_all()
            .build()
            .map_err(server_error)?;
        let determinism = opts
            .seed
            .map(|seed| Arc::new(Determinism::new(seed, DETERMINISTIC_START_MS)));
        let faults = Arc::new(Faults::new(determinism));
        let captured = Arc::new(Captured::default());
        let (running, tenant, api_key, capture_url) =
            on(&runtime, start(&opts, faults.clone(), captured.clone()))?;
        let base_url = running.server.url();
        Ok(TestServer {
            runtime: Some(runtime),
            running: Mutex::new(Some(running)),
            base_url,
            api_key,
            tenant,
            faults,
            captured,
            capture_url,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The tenant's secret key (`sk_test_...`): every scope.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Where the capturing receiver listens, when it does.
    pub fn webhook_url(&self) -> Option<&str> {
        self.capture_url.as_deref()
    }

    fn rt(&self) -> &Runtime {
        self.runtime.as_ref().expect("the runtime lives until drop")
    }

    fn db(&self) -> Result<Db, Error> {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        running
            .as_ref()
            .map(|r| r.server.state.db.clone())
            .ok_or(Error::Closed)
    }

    /// Empties the server: every customer, event, endpoint and key but
    /// [`api_key`](Self::api_key) goes, injected faults and captured
    /// deliveries too, and a deterministic server starts its ids and clock over.
    pub fn reset(&self) -> Result<(), Error> {
        let db = self.db()?;
        self.faults.clear();
        if let Some(d) = &self.faults.determinism {
            d.reset();
        }
        on(self.rt(), async {
            tenant::empty(&db, &self.tenant, &self.api_key)
                .await
                .map_err(server_error)?;
            if let Some(url) = &self.capture_url {
                subscribe(&db, &self.tenant, url, &self.captured).await?;
            }
            Ok(())
        })?;
        self.captured.clear();
        Ok(())
    }

    /// The next `times` requests matching `method` (`*`: any) and `path`
    /// (`/api/customers/{id}`; `*` is one segment, a last `**` any rest) are
    /// answered `status` in the API's error shape, without reaching the API.
    pub fn fail_next(
        &self,
        method: &str,
        path: &str,
        status: u16,
        times: u32,
        retry_after: Option<u32>,
    ) -> Result<(), Error> {
        self.db()?;
        self.faults
            .add(
                method,
                path,
                Fault::Fail {
                    status,
                    retry_after,
                },
                times,
            )
            .map_err(Error::Invalid)
    }

    /// The next `times` matching requests wait `delay` before they are handled.
    pub fn delay_next(
        &self,
        method: &str,
        path: &str,
        delay: Span,
        times: u32,
    ) -> Result<(), Error> {
        let delay = checked(delay, "delay")?;
        self.db()?;
        self.faults
            .add(method, path, Fault::Delay(delay), times)
            .map_err(Error::Invalid)
    }

    /// A new restricted key (`rk_test_...`) with these scopes
    /// (`customers:read`, `customers:write`, ...).
    pub fn restricted_key(&self, scopes: &[&str]) -> Result<String, Error> {
        let scopes = Scope::parse_all(scopes.iter().copied()).map_err(Error::Invalid)?;
        let db = self.db()?;
        let r = keys::Restricted {
            live: false,
            name: Some("novabilling.testing"),
            scopes: &scopes,
            now: now_ms(),
            expires_at: None,
        };
        let key =
            on(self.rt(), keys::create_restricted(&db, &self.tenant, r)).map_err(server_error)?;
        key.secret
            .ok_or_else(|| server_error("the new key came without its secret"))
    }

    /// A new ephemeral key (`ek_test_...`) for one customer, valid for `ttl`.
    pub fn ephemeral_key(&self, customer_id: &str, ttl: Span) -> Result<String, Error> {
        let ttl = checked(ttl, "ttl")?;
        let db = self.db()?;
        on(self.rt(), async {
            if !customers::exists(&db, &self.tenant, customer_id)
                .await
                .map_err(server_error)?
            {
                return Err(Error::Invalid(format!(
                    "no customer {customer_id:?} on this test server; create it first"
                )));
            }
            let now = now_ms();
            let until = now.saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX));
            let key = keys::create_ephemeral(&db, &self.tenant, false, customer_id, now, until)
                .await
                .map_err(server_error)?;
            key.secret
                .ok_or_else(|| server_error("the new key came without its secret"))
        })
    }

    /// The first captured delivery of `event_type` (`*`: any) not returned
    /// before, waiting up to `timeout`; `None` when none came.
    pub fn wait_for_webhook(
        &self,
        event_type: &str,
        timeout: Span,
    ) -> Result<Option<Delivery>, Error> {
        let timeout = checked(timeout, "timeout")?;
        if self.capture_url.is_none() {
            return Err(Error::Invalid(
                "this test server captures no webhooks: start it with capture_webhooks on".into(),
            ));
        }
        Ok(self.captured.wait_for(event_type, timeout))
    }

    /// Every delivery captured since the start or the last reset, oldest first.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.captured.all()
    }

    /// Stops the server: in-flight requests finish, then the port closes.
    /// Closing again does nothing.
    pub fn close(&self) -> Result<(), Error> {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(r) = running else { return Ok(()) };
        on(self.rt(), async move {
            if let Some(c) = r.capture {
                c.abort();
            }
            drop(r.keep_open);
            r.server.shutdown().await.map_err(server_error)
        })
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.close();
        // Inside another runtime (a Rust async test) a runtime may not be
        // dropped where it would block; the server has stopped already.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// A span of time as a binding hands it over (seconds or milliseconds),
/// checked by core as every setting of time is.
fn checked(span: Span, field: &str) -> Result<Duration, Error> {
    span.check(field).map_err(|e| Error::Invalid(e.message))
}

fn now_ms() -> i64 {
    novabilling_server::clock::now_ms()
}

/// Runs `f` on the server's runtime and waits for it, also from a thread that
/// is itself inside a runtime (a Rust `#[tokio::test]`), where blocking on
/// another runtime directly would panic.
fn on<F: Future + Send>(rt: &Runtime, f: F) -> F::Output
where
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(|| rt.block_on(f))
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    } else {
        rt.block_on(f)
    }
}

async fn start(
    opts: &Options,
    faults: Arc<Faults>,
    captured: Arc<Captured>,
) -> Result<(Running, String, String, Option<String>), Error> {
    let wrap = Wrap(Arc::new(move |r| {
        r.layer(middleware::from_fn_with_state(
            faults.clone(),
            faults::inject,
        ))
    }));
    let loopback: Allow = "127.0.0.1/32".parse().map_err(Error::Server)?;
    let webhooks = WebhookOptions {
        retry_schedule: RETRY_SCHEDULE_MS
            .into_iter()
            .map(Duration::from_millis)
            .collect(),
        timeout: Duration::from_secs(5),
        // A fixed clock's events are old by the wall clock: keep everything.
        retention: Duration::from_secs(100 * 365 * 86400),
        event_retention: Duration::from_secs(100 * 365 * 86400),
        guard: Guard {
            allow_private: false,
            allow: vec![loopback],
        },
        ..WebhookOptions::default()
    };
    let serve = ServeOptions {
        bind: "127.0.0.1:0".into(),
        // sqlx names each `:memory:` database apart and shares it among the
        // pools' connections: one database per test server.
        database: "sqlite::memory:".into(),
        rate_limit: opts.rate_limit,
        webhooks,
        wrap: Some(wrap),
        purge: false,
        ..ServeOptions::default()
    };
    let server = novabilling_server::start(serve)
        .await
        .map_err(server_error)?;
    let db = server.state.db.clone();
    let Db::Sqlite { read, .. } = &db else {
        return Err(server_error("the test server runs on SQLite"));
    };
    let keep_open = read.acquire().await.map_err(server_error)?;
    let (tenant_id, key) = keys::create_tenant_with_key(&db, "test", false)
        .await
        .map_err(server_error)?;
    let (capture, capture_url) = if opts.capture_webhooks {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(server_error)?;
        let url = format!("http://{}/", listener.local_addr().map_err(server_error)?);
        let app = capture::router(captured.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        subscribe(&db, &tenant_id, &url, &captured).await?;
        (Some(task), Some(url))
    } else {
        (None, None)
    };
    Ok((
        Running {
            server,
            capture,
            keep_open,
        },
        tenant_id,
        key,
        capture_url,
    ))
}

/// Subscribes the capturing receiver to every event.
async fn subscribe(db: &Db, tenant: &str, url: &str, captured: &Captured) -> Result<(), Error> {
    let secret = new_secret();
    let e = webhooks::NewEndpoint {
        url: url.to_owned(),
        event_types: Vec::new(),
        enabled: true,
        description: Some("novabilling.testing: captures every delivery".into()),
    };
    webhooks::create(db, tenant, e, &secret, now_ms())
        .await
        .map_err(server_error)?;
    captured.set_secret(secret);
    Ok(())
}
