//! Running the server: connect, migrate, bind, serve, purge, stop.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::app::{Wrap, app_with};
use crate::clock::now_ms;
use crate::db::{Db, Migrations};
use crate::delivery::{self, WebhookOptions};
use crate::listen::{self, ConnectionLimits};
use crate::ratelimit::RateLimiter;
use crate::state::AppState;
use crate::store::{counts, keys};
use crate::{admin, idempotency, ratelimit};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub bind: String,
    pub database: String,
    pub dev: bool,
    pub dev_key_file: Option<PathBuf>,
    /// Requests per minute per tenant; 0 disables the limit.
    pub rate_limit: u64,
    pub webhooks: WebhookOptions,
    pub connections: ConnectionLimits,
    pub migrations: Migrations,
    /// Extra middleware (a test server's); none in production.
    pub wrap: Option<Wrap>,
    /// Drop expired idempotency records, rate-limit windows and ephemeral keys
    /// every 10 minutes (a test server with a fixed clock turns it off).
    pub purge: bool,
    /// Serve the admin page at /admin (`--no-admin` turns it off).
    pub admin: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: "127.0.0.1:3000".into(),
            database: "sqlite://novabilling.db".into(),
            dev: false,
            dev_key_file: None,
            rate_limit: 6000,
            webhooks: WebhookOptions::default(),
            connections: ConnectionLimits::default(),
            migrations: Migrations::Apply,
            wrap: None,
            purge: true,
            admin: true,
        }
    }
}

/// A server running in this process.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The key printed by `--dev`.
    pub dev_key: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    /// The purge (unless off), the folding of customer counts, the rate limiter's flushes.
    housekeeping: JoinHandle<()>,
    delivery: JoinHandle<()>,
    stop_delivery: watch::Sender<bool>,
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
        self.housekeeping.abort();
        let r = (&mut self.task).await.map_err(std::io::Error::other);
        self.stop_delivery().await;
        self.state.db.close().await;
        r
    }

    /// Lets the delivery worker record what it has in flight before the pool closes.
    async fn stop_delivery(&mut self) {
        let _ = self.stop_delivery.send(true);
        let _ = (&mut self.delivery).await;
    }

    /// Waits for the server to end (after a shutdown signal).
    pub async fn wait(mut self) -> std::io::Result<()> {
        let r = (&mut self.task).await.map_err(std::io::Error::other);
        self.housekeeping.abort();
        self.stop_delivery().await;
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
    let db = Db::connect_with(&opts.database, opts.migrations).await?;
    let dev_key = if opts.dev { Some(dev_key(&db, opts.dev_key_file.as_deref()).await?) } else { None };
    let limiter = Arc::new(RateLimiter::new(opts.rate_limit, &db));
    let state = AppState {
        db,
        limiter,
        ssrf: Arc::new(opts.webhooks.guard.clone()),
        secret_grace: opts.webhooks.secret_grace,
        outbox: Arc::new(tokio::sync::Notify::new()),
    };
    let listener = tokio::net::TcpListener::bind(&opts.bind).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let mut limits = opts.connections;
    limits.max_connections = listen::fit_to_open_file_limit(limits.max_connections);
    let router = app_with(state.clone(), limits.request_timeout, opts.wrap.as_ref());
    let router = if opts.admin { admin::mount(router, state.db.clone(), limits.request_timeout) } else { router };
    let task = tokio::spawn(listen::serve(listener, router, limits, rx));
    let purge = if opts.purge { purge_every_10_minutes(state.db.clone()).left_future() } else { std::future::pending().right_future() };
    let housekeeping = tokio::spawn(
        futures_util::future::join3(
            purge,
            counts::fold_every_second(state.db.clone()),
            state.limiter.clone().flush_every_interval(),
        )
        .map(|_| ()),
    );
    let (stop_delivery, stopping) = watch::channel(false);
    let delivery = tokio::spawn(delivery::run(state.db.clone(), opts.webhooks, state.outbox.clone(), stopping));
    tracing::info!(%addr, "listening");
    Ok(RunningServer { addr, state, dev_key, shutdown: Some(tx), task, housekeeping, delivery, stop_delivery })
}

/// Drops what no request will read again: expired idempotency records and
/// rate-limit windows that are over, ephemeral keys long expired.
async fn purge_every_10_minutes(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = now_ms();
        if let Err(e) = idempotency::purge(&db, now).await {
            tracing::warn!(error = %e, "purge of expired idempotency records failed");
        }
        if let Err(e) = ratelimit::purge(&db, now).await {
            tracing::warn!(error = %e, "purge of old rate-limit windows failed");
        }
        if let Err(e) = keys::purge(&db, now).await {
            tracing::warn!(error = %e, "purge of expired ephemeral keys failed");
        }
    }
}

/// `--dev`: makes sure tenant `dev` exists and returns a key for it, reusing
/// the key in `key_file` when that file holds a key of the dev tenant.
pub async fn dev_key(db: &Db, key_file: Option<&Path>) -> Result<String, BoxError> {
    let tenant = keys::ensure_tenant(db, "dev").await?;
    if let Some(path) = key_file {
        if let Ok(text) = std::fs::read_to_string(path) {
            let key = text.trim();
            if novabilling::keys::inspect(key).is_ok() && keys::tenant_of(db, key).await?.as_deref() == Some(tenant.as_str()) {
                return Ok(key.to_owned());
            }
        }
    }
    let key = keys::create_key(db, &tenant, false).await?;
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
                () = wait(term) => {},
                () = wait(int) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
