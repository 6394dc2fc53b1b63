//! The NovaBilling server: the customers API of spec/API.md over axum, on
//! SQLite (default) or PostgreSQL, using the core crate's models and validation.
//!
//! The binary (`novabilling-server`) is a thin CLI over [`start`]; tests start
//! the same server in process on `127.0.0.1:0`.

pub mod auth;
pub mod cli;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod openapi;
pub mod ratelimit;
pub mod routes;

use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use futures_util::FutureExt;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use db::Db;
use error::{ApiError, REQUEST, RequestCtx};
use ratelimit::RateLimiter;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Milliseconds since the Unix epoch: the unit of every stored timestamp.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub limiter: Arc<RateLimiter>,
}

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub bind: String,
    pub database: String,
    pub dev: bool,
    pub dev_key_file: Option<PathBuf>,
    /// Requests per minute per tenant; 0 disables the limit.
    pub rate_limit: u64,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: "127.0.0.1:3000".into(),
            database: "sqlite://novabilling.db".into(),
            dev: false,
            dev_key_file: None,
            rate_limit: 6000,
        }
    }
}

/// The router with every route and middleware, for a connected database.
pub fn app(state: AppState) -> Router {
    routes::router()
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::idempotency))
        .layer(middleware::from_fn_with_state(state.clone(), ratelimit::rate_limit))
        .layer(middleware::from_fn_with_state(state.clone(), auth::auth))
        .layer(middleware::from_fn(request_context))
        .with_state(state)
}

fn request_id_from(req: &Request) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    (!v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic())).then(|| v.to_owned())
}

/// Outermost layer: request id, error bodies for anything that is not one yet,
/// panics as 500, and the access log.
async fn request_context(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = request_id_from(&req).unwrap_or_else(ids::request_id);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let ctx = RequestCtx { id: id.clone(), path: path.clone() };
    let mut resp = REQUEST
        .scope(ctx.clone(), async move {
            let resp = match AssertUnwindSafe(next.run(req)).catch_unwind().await {
                Ok(r) => r,
                Err(_) => {
                    tracing::error!("handler panicked");
                    ApiError::internal().into_response()
                }
            };
            normalize_error(resp)
        })
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let status = resp.status().as_u16();
    let micros = start.elapsed().as_micros() as u64;
    if status >= 500 {
        tracing::error!(target: "novabilling_server::access", request_id = %id, %method, %path, status, micros, "request");
    } else {
        tracing::debug!(target: "novabilling_server::access", request_id = %id, %method, %path, status, micros, "request");
    }
    resp
}

/// Gives an error response that some layer made without our body (axum's own
/// rejections) the API's error body, keeping its status.
fn normalize_error(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp.headers().get(header::CONTENT_TYPE).is_some_and(error::is_json_content_type);
    if is_json {
        return resp;
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNAUTHORIZED => "unauthorized",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    };
    let message = status.canonical_reason().unwrap_or("Error").to_owned();
    let mut out = ApiError::new(status, code, message).into_response();
    for (k, v) in resp.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// A server running in this process.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The key printed by `--dev`.
    pub dev_key: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    purge: JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, then returns.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.purge.abort();
        let r = match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        };
        self.state.db.close().await;
        r
    }

    /// Waits for the server to end (after a shutdown signal).
    pub async fn wait(mut self) -> std::io::Result<()> {
        let r = match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        };
        self.purge.abort();
        self.state.db.close().await;
        r
    }

    /// A sender that starts a graceful shutdown.
    pub fn take_shutdown(&mut self) -> Option<oneshot::Sender<()>> {
        self.shutdown.take()
    }
}

/// Connects, migrates, prepares `--dev`, binds and starts serving.
pub async fn start(opts: ServeOptions) -> Result<RunningServer, BoxError> {
    let db = Db::connect(&opts.database).await?;
    let dev_key = if opts.dev { Some(dev_key(&db, opts.dev_key_file.as_deref()).await?) } else { None };
    let limiter = Arc::new(RateLimiter::new(opts.rate_limit, &db));
    let state = AppState { db, limiter };
    let listener = tokio::net::TcpListener::bind(&opts.bind).await?;
    let addr = listener.local_addr()?;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let (tx, rx) = oneshot::channel::<()>();
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    let purge_db = state.db.clone();
    let purge = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = purge_db.purge(now_ms()).await {
                tracing::warn!(error = %e, "purge of expired records failed");
            }
        }
    });
    tracing::info!(%addr, "listening");
    Ok(RunningServer { addr, state, dev_key, shutdown: Some(tx), task, purge })
}

/// `--dev`: makes sure tenant `dev` exists and returns a key for it, reusing
/// the key in `key_file` when that file holds a key of the dev tenant.
pub async fn dev_key(db: &Db, key_file: Option<&std::path::Path>) -> Result<String, BoxError> {
    let tenant = db.ensure_tenant("dev").await?;
    if let Some(path) = key_file {
        if let Ok(text) = std::fs::read_to_string(path) {
            let key = text.trim();
            if ids::is_key_shaped(key) && db.key_tenant(key).await?.as_deref() == Some(tenant.as_str()) {
                return Ok(key.to_owned());
            }
        }
    }
    let key = db.create_key(&tenant, false).await?;
    if let Some(path) = key_file {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, format!("{key}\n"))?;
    }
    Ok(key)
}

/// Installs the SIGINT and SIGTERM handlers at once, so a signal sent the
/// moment the server has said it listens is not missed, and resolves on either.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(term) => {},
                _ = wait(int) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
