//! 1,000 creates through a proxy that resets connections, drops responses after
//! the server committed, answers 500 and 429, and delays past the timeout, in
//! front of the project's server (which honours idempotency keys). Afterwards
//! exactly 1,000 customers exist, none twice, and every call ended in success
//! or a typed error.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use novabilling::{Client, CustomerCreate, ListParams};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CALLS: usize = 1000;
const TIMEOUT: Duration = Duration::from_millis(800);

#[derive(Default)]
struct Counts {
    reset: AtomicU64,
    dropped_after_commit: AtomicU64,
    err_500: AtomicU64,
    err_429: AtomicU64,
    delayed: AtomicU64,
    passed: AtomicU64,
}

/// Reads one HTTP/1.1 message (head plus Content-Length body).
async fn read_message(sock: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                buf.truncate(end + 4 + len);
                return Some(buf);
            }
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Makes the proxy's answer close the connection, so each request is one connection.
fn closing(mut response: Vec<u8>) -> Vec<u8> {
    let first_line_end = response.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    response.splice(first_line_end..first_line_end, b"connection: close\r\n".iter().copied());
    response
}

fn canned(status: &str, extra: &str) -> Vec<u8> {
    let body = format!(r#"{{"statusCode":{},"message":"injected"}}"#, &status[..3]);
    format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n{body}", body.len()).into_bytes()
}

async fn forward(upstream: &str, request: &[u8]) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await.ok()?;
    up.write_all(request).await.ok()?;
    read_message(&mut up).await
}

async fn proxy(listener: TcpListener, upstream: String, counts: Arc<Counts>) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { return };
        let upstream = upstream.clone();
        let counts = counts.clone();
        tokio::spawn(async move {
            let Some(request) = read_message(&mut sock).await else { return };
            match rand::random::<u32>() % 100 {
                0..=9 => {
                    // A reset before the server saw anything.
                    counts.reset.fetch_add(1, Ordering::Relaxed);
                    reset(sock);
                }
                10..=19 => {
                    // The server commits; the answer is lost.
                    counts.dropped_after_commit.fetch_add(1, Ordering::Relaxed);
                    let _ = forward(&upstream, &request).await;
                    reset(sock);
                }
                20..=24 => {
                    counts.err_500.fetch_add(1, Ordering::Relaxed);
                    let _ = sock.write_all(&canned("500 Internal Server Error", "connection: close\r\n")).await;
                }
                25..=29 => {
                    counts.err_429.fetch_add(1, Ordering::Relaxed);
                    let _ = sock.write_all(&canned("429 Too Many Requests", "retry-after: 0\r\nconnection: close\r\n")).await;
                }
                30..=34 => {
                    // The server commits; the answer comes after the client gave up.
                    counts.delayed.fetch_add(1, Ordering::Relaxed);
                    let response = forward(&upstream, &request).await;
                    tokio::time::sleep(TIMEOUT + Duration::from_millis(400)).await;
                    if let Some(r) = response {
                        let _ = sock.write_all(&closing(r)).await;
                    }
                }
                _ => {
                    counts.passed.fetch_add(1, Ordering::Relaxed);
                    if let Some(r) = forward(&upstream, &request).await {
                        let _ = sock.write_all(&closing(r)).await;
                    }
                }
            }
        });
    }
}

// Linger 0 makes the close an RST, which does not block.
#[allow(deprecated)]
fn reset(sock: TcpStream) {
    let _ = sock.set_linger(Some(Duration::ZERO));
    drop(sock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_creates_through_a_faulty_network() {
    let server = common::Server::start_with(&["--rate-limit", "0"]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = server.url.trim_start_matches("http://").to_owned();
    let counts = Arc::new(Counts::default());
    tokio::spawn(proxy(listener, upstream, counts.clone()));

    let flaky = Client::builder()
        .token(&server.key)
        .base_url(&proxy_url)
        .timeout(TIMEOUT)
        .max_retries(20)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(50))
        .build()
        .unwrap();
    let run = common::rand_suffix();
    let results: Vec<_> = futures_util::stream::iter(0..CALLS)
        .map(|i| {
            let customers = flaky.customers();
            let run = run.clone();
            async move {
                customers
                    .create(CustomerCreate {
                        external_id: format!("fault_{run}_{i}"),
                        email: format!("fault_{run}_{i}@example.com"),
                        ..Default::default()
                    })
                    .await
            }
        })
        .buffer_unordered(50)
        .collect()
        .await;

    let mut failures = Vec::new();
    for r in &results {
        if let Err(e) = r {
            // A typed error is an allowed ending; a panic or a hang is not.
            failures.push(format!("{:?}: {e}", e.kind()));
        }
    }
    let injected = counts.reset.load(Ordering::Relaxed)
        + counts.dropped_after_commit.load(Ordering::Relaxed)
        + counts.err_500.load(Ordering::Relaxed)
        + counts.err_429.load(Ordering::Relaxed)
        + counts.delayed.load(Ordering::Relaxed);
    eprintln!(
        "faults: reset {} dropped-after-commit {} 500 {} 429 {} delayed {} passed {}; failed calls {}",
        counts.reset.load(Ordering::Relaxed),
        counts.dropped_after_commit.load(Ordering::Relaxed),
        counts.err_500.load(Ordering::Relaxed),
        counts.err_429.load(Ordering::Relaxed),
        counts.delayed.load(Ordering::Relaxed),
        counts.passed.load(Ordering::Relaxed),
        failures.len(),
    );
    assert!(injected > 200, "the proxy injected too few faults to prove anything: {injected}");
    assert!(counts.dropped_after_commit.load(Ordering::Relaxed) > 20);
    assert!(failures.is_empty(), "calls that gave up: {failures:?}");

    // Counted directly, not through the proxy.
    let direct = server.client();
    let all: Vec<_> = direct
        .customers()
        .list_auto(ListParams { search: Some(format!("fault_{run}_")), limit: Some(100), ..Default::default() })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let external: HashSet<_> = all.iter().map(|c| c.external_id.clone().unwrap()).collect();
    assert_eq!(all.len(), CALLS, "customers that exist");
    assert_eq!(external.len(), CALLS, "none twice");
    let returned: HashSet<_> = results.iter().map(|r| r.as_ref().unwrap().id.clone()).collect();
    let stored: HashSet<_> = all.iter().map(|c| c.id.clone()).collect();
    assert_eq!(returned, stored, "every call returned the customer that was stored");
}
