//! Calls through a proxy that resets connections, drops responses after the
//! server committed, answers 500 and 429, and delays past the timeout, in
//! front of the project's server (which honours idempotency keys): 1,000
//! creates against one server; and on PostgreSQL 5,000 creates, updates,
//! imports, binds and deletes spread over three replicas, one of them
//! SIGKILLed and restarted mid-run. Afterwards exactly what was asked for exists, none
//! twice, and every call ended in success.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use novabilling::{Client, Customer, CustomerCreate, CustomerUpdate, ErrorKind, ListParams, PageParams, Patch, StripeCustomer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CALLS: usize = 1000;
/// Each attempt's timeout: one server on a debug build answers well within it.
const TIMEOUT: Duration = Duration::from_millis(800);
/// Two debug-build replicas on one PostgreSQL, 50 calls in flight, on 2 shared cores: more.
const REPLICAS_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Counts {
    reset: AtomicU64,
    dropped_after_commit: AtomicU64,
    err_500: AtomicU64,
    err_429: AtomicU64,
    delayed: AtomicU64,
    passed: AtomicU64,
}

impl Counts {
    /// Prints what was injected and returns how many faults that was.
    fn report(&self, failed_calls: usize) -> u64 {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        eprintln!(
            "faults: reset {} dropped-after-commit {} 500 {} 429 {} delayed {} passed {}; failed calls {failed_calls}",
            get(&self.reset),
            get(&self.dropped_after_commit),
            get(&self.err_500),
            get(&self.err_429),
            get(&self.delayed),
            get(&self.passed),
        );
        get(&self.reset) + get(&self.dropped_after_commit) + get(&self.err_500) + get(&self.err_429) + get(&self.delayed)
    }
}

/// The proxy, whose delayed answers come after `client_timeout`.
async fn start_proxy(upstreams: Arc<Upstreams>, counts: Arc<Counts>, client_timeout: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(proxy(listener, upstreams, counts, client_timeout));
    url
}

fn flaky_client(key: &str, proxy_url: &str, timeout: Duration) -> Client {
    Client::builder()
        .token(key)
        .base_url(proxy_url)
        .timeout(timeout)
        .max_retries(20)
        .retry_backoff(Duration::from_millis(5), Duration::from_millis(50))
        .build()
        .unwrap()
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

/// The servers behind the proxy, taken in turn; a restarted one is swapped in.
#[derive(Default)]
struct Upstreams {
    list: Mutex<Vec<String>>,
    next: AtomicUsize,
}

impl Upstreams {
    fn new(urls: &[&str]) -> Arc<Upstreams> {
        let list = urls.iter().map(|u| u.trim_start_matches("http://").to_owned()).collect();
        Arc::new(Upstreams { list: Mutex::new(list), next: AtomicUsize::new(0) })
    }

    fn pick(&self) -> String {
        let list = self.list.lock().unwrap();
        list[self.next.fetch_add(1, Ordering::Relaxed) % list.len()].clone()
    }

    fn replace(&self, i: usize, url: &str) {
        url.trim_start_matches("http://").clone_into(&mut self.list.lock().unwrap()[i]);
    }
}

async fn proxy(listener: TcpListener, upstreams: Arc<Upstreams>, counts: Arc<Counts>, client_timeout: Duration) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else { return };
        let upstream = upstreams.pick();
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
                    tokio::time::sleep(client_timeout + Duration::from_millis(400)).await;
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
    let counts = Arc::new(Counts::default());
    let proxy_url = start_proxy(Upstreams::new(&[&server.url]), counts.clone(), TIMEOUT).await;
    let flaky = flaky_client(&server.key, &proxy_url, TIMEOUT);
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
    let injected = counts.report(failures.len());
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

/// Runs the calls 50 at a time (a slow one holds up no other), and gives
/// their results in the calls' order; every one must succeed.
async fn all_ok<T>(calls: impl Stream<Item = impl Future<Output = novabilling::Result<T>>>) -> Vec<T> {
    let mut results: Vec<_> = calls.enumerate().map(|(i, call)| async move { (i, call.await) }).buffer_unordered(50).collect().await;
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(i, r)| r.unwrap_or_else(|e| panic!("call {i} gave up: {:?}: {e}", e.kind()))).collect()
}

async fn every<T>(pages: impl Stream<Item = novabilling::Result<T>>) -> Vec<T> {
    pages.collect::<Vec<_>>().await.into_iter().collect::<Result<_, _>>().unwrap()
}

const SCALE: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_operations_across_three_replicas_with_one_killed_mid_run() {
    if std::env::var("NOVABILLING_TEST_DATABASE_URL").is_err() {
        eprintln!("replicas share a PostgreSQL: this test runs in the PostgreSQL pass");
        return;
    }
    let first = common::Server::start_with(&["--rate-limit", "0"]);
    let second = first.replica(&["--rate-limit", "0"]);
    let third = first.replica(&["--rate-limit", "0"]);
    let upstreams = Upstreams::new(&[&first.url, &second.url, &third.url]);
    let counts = Arc::new(Counts::default());
    let proxy_url = start_proxy(upstreams.clone(), counts.clone(), REPLICAS_TIMEOUT).await;
    let customers = flaky_client(&first.key, &proxy_url, REPLICAS_TIMEOUT).customers();
    let run = common::rand_suffix();

    // 2,000 creates.
    let created: Vec<Customer> = all_ok(futures_util::stream::iter(0..2 * SCALE).map(|i| {
        customers.create(CustomerCreate {
            external_id: format!("scale_{run}_{i}"),
            email: format!("scale_{run}_{i}@example.com"),
            ..Default::default()
        })
    }))
    .await;

    // 1,000 updates; meanwhile the second replica is SIGKILLed, and restarted half a second later.
    let renames = all_ok(futures_util::stream::iter(&created[..SCALE]).map(|c| {
        let name = format!("renamed {}", c.external_id.as_deref().unwrap_or_default());
        customers.update(&c.id, CustomerUpdate { name: Patch::Set(name), ..Default::default() })
    }));
    let chaos = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(second);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let restarted = tokio::task::block_in_place(|| first.replica(&["--rate-limit", "0"]));
        upstreams.replace(1, &restarted.url);
        restarted
    };
    let (updated, _restarted) = tokio::join!(renames, chaos);

    // 10 imports of 100 Stripe customers, then a bind for each of the 1,000.
    let imported = all_ok(futures_util::stream::iter(0..10).map(|b| {
        let batch = (0..100)
            .map(|j| StripeCustomer {
                id: format!("cus_{run}_{b}_{j}"),
                email: Some(format!("stripe_{run}_{b}_{j}@example.com")),
                ..Default::default()
            })
            .collect();
        customers.import_stripe(batch)
    }))
    .await;
    let direct = first.client();
    let unresolved = every(direct.customers().list_unresolved_auto(PageParams { limit: Some(100), ..Default::default() })).await;
    let bound = all_ok(futures_util::stream::iter(unresolved.iter().enumerate()).map(|(j, c)| {
        let (customers, external_id) = (&customers, format!("bound_{run}_{j}"));
        async move { customers.bind(&c.id, &external_id).await }
    }))
    .await;

    // 1,000 deletes.
    let deleted = all_ok(futures_util::stream::iter(&created[SCALE..]).map(|c| customers.delete(&c.id))).await;
    let operations = created.len() + updated.len() + imported.len() + bound.len() + deleted.len();

    let injected = counts.report(0);
    assert!(injected > 1000, "the proxy injected too few faults to prove anything: {injected}");
    assert!(counts.dropped_after_commit.load(Ordering::Relaxed) > 200);

    // Exactly what was asked for, read past the proxy.
    assert_eq!(imported.iter().map(|r| r.created).sum::<u64>(), 1000, "imports answered with their stored results");
    assert_eq!(unresolved.len(), 1000, "imported customers, none twice");
    let live = every(direct.customers().list_auto(ListParams { search: Some(format!("scale_{run}_")), limit: Some(100), ..Default::default() })).await;
    assert_eq!(live.len(), SCALE, "created and not deleted");
    let ids: HashSet<_> = live.iter().map(|c| c.id.clone()).collect();
    let kept: HashSet<_> = created[..SCALE].iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, kept, "the customers the creates returned, none twice");
    for c in &live {
        assert_eq!(c.name.as_deref(), Some(&*format!("renamed {}", c.external_id.as_deref().unwrap())), "{c:?}");
    }
    let binds = every(direct.customers().list_auto(ListParams { search: Some(format!("bound_{run}_")), limit: Some(100), ..Default::default() })).await;
    let bound_ids: HashSet<_> = binds.iter().filter_map(|c| c.external_id.clone()).collect();
    assert_eq!((binds.len(), bound_ids.len()), (1000, 1000), "every bind applied once");
    assert!(every(direct.customers().list_unresolved_auto(PageParams::default())).await.is_empty());
    for c in &created[SCALE..] {
        let e = direct.customers().get(&c.id).await.expect_err("deleted");
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }
    eprintln!("scale-out: {operations} operations over 3 replicas (one SIGKILLed and restarted), {injected} faults injected, every call succeeded, the stored state is exactly the one asked for");
}

