//! Accepting connections with the limits a server on an open network needs:
//! a deadline for each request's headers (which also ends idle keep-alive
//! connections), a deadline for a response the client stops reading, a cap on
//! open connections with a 503 beyond it, and a drain with a deadline on
//! shutdown. `axum::serve` sets none of these: it gives hyper no timer, so a
//! client that sends half a request line held its connection for ever.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};

use crate::error::ApiError;
use crate::send_deadline::SendDeadline;

/// How long connections may take, and how many may be open.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// From a connection's start, or the end of its last response, to the end of
    /// the next request's headers.
    pub header_timeout: Duration,
    /// How long a response may wait for the client to read any of it.
    pub send_timeout: Duration,
    /// How long a request may take from its headers to its response (its body
    /// included); then 408.
    pub request_timeout: Duration,
    /// Connections open at once; a connection beyond it is answered 503.
    pub max_connections: usize,
    /// On shutdown, how long requests in flight may take to finish.
    pub drain_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(30),
            send_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            max_connections: 16_384,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// File descriptors kept for the database, log files and the listener.
const RESERVED_FDS: u64 = 256;

/// Connections at once that are only told 503: beyond them a connection is closed unanswered.
const REFUSALS: usize = 256;

/// How long a refused connection may take to send the request it is told 503 for.
const REFUSAL_HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// `max` lowered to what the process's open-file limit allows, so the cap, not
/// `accept` failing with EMFILE, is what a flood meets.
pub fn fit_to_open_file_limit(max: usize) -> usize {
    let Ok((soft, _)) = rlimit::getrlimit(rlimit::Resource::NOFILE) else { return max };
    let fits = usize::try_from(soft.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX).max(1);
    if max > fits {
        tracing::warn!(max_connections = max, open_file_limit = soft, "lowering --max-connections to {fits} to fit the open-file limit");
    }
    max.min(fits)
}

/// Serves `router` on `listener` until `shutdown` fires, then stops accepting
/// (new connections are refused), lets requests in flight finish within the
/// drain timeout, and returns.
pub async fn serve(listener: TcpListener, router: Router, limits: ConnectionLimits, shutdown: oneshot::Receiver<()>) {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let mut refuse = http1::Builder::new();
    refuse.timer(TokioTimer::new()).header_read_timeout(REFUSAL_HEADER_TIMEOUT).keep_alive(false);
    tokio::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = tcp.set_nodelay(true);
        if let Ok(slot) = open.clone().try_acquire_owned() {
            let io = TokioIo::new(SendDeadline::new(tcp, limits.send_timeout));
            let conn = graceful.watch(http.serve_connection(io, TowerToHyperService::new(router.clone())));
            tokio::spawn(async move {
                let _ = conn.await;
                drop(slot);
            });
        } else if let Ok(slot) = refusals.clone().try_acquire_owned() {
            tokio::spawn(answer_busy(refuse.clone(), tcp, slot));
        }
        // Else the connection is dropped, which closes it.
    }
    drop(listener);
    let in_flight = graceful.count();
    if tokio::time::timeout(limits.drain_timeout, graceful.shutdown()).await.is_err() {
        tracing::warn!(connections = in_flight, "drain timeout reached: closing the connections still open");
    }
}

/// Errors of one connection (it reset before we took it) are nothing to wait
/// for; others (EMFILE, ENOBUFS) pass with time, so wait a little, as axum does.
async fn accept_failed(e: &io::Error) {
    if matches!(e.kind(), io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset) {
        return;
    }
    tracing::error!(error = %e, "accept failed");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

async fn answer_busy(http: http1::Builder, tcp: TcpStream, slot: tokio::sync::OwnedSemaphorePermit) {
    let service = hyper::service::service_fn(|_| async { Ok::<_, Infallible>(busy()) });
    let _ = http.serve_connection(TokioIo::new(tcp), service).await;
    drop(slot);
}

fn busy() -> Response {
    let mut resp = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "server_busy",
        "The server has as many connections open as it allows; retry shortly",
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    .into_response();
    resp.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}
