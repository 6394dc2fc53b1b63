//! Slow and hostile clients against the real binary: unfinished headers by the
//! ten thousand, a connection cap, a client that stops reading, a body that
//! never ends, and SIGTERM under load.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::process::ServerProcess;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Lets this process hold the connections a test opens, and says how many it may.
fn raise_open_file_limit() -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    usize::try_from(limit).unwrap_or(usize::MAX)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Reads until the peer closes (EOF or reset), returning the bytes read, or None if still open at `limit`.
async fn read_until_closed(s: &mut TcpStream, limit: Duration) -> Option<usize> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    let until = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(until, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(total),
            Ok(Ok(n)) => total += n,
        }
    }
}

#[tokio::test]
async fn ten_thousand_unfinished_requests_leave_the_server_answering_and_are_closed_in_time() {
    const HEADER_TIMEOUT: Duration = Duration::from_secs(8);
    // 10,000, unless this machine's hard limit on open files (the server's too) is lower.
    let held_wanted = 10_000.min(raise_open_file_limit().saturating_sub(512));
    if held_wanted < 10_000 {
        eprintln!("the open-file limit allows {held_wanted} held connections, not 10,000");
    }
    let test_db = common::TestDb::new();
    let db = test_db.url.as_str();
    let server = ServerProcess::start(&["--dev", "--database", db, "--rate-limit", "0", "--header-timeout", "8s"]);
    let (addr, key) = (server.addr(), server.dev_key());

    let opening = Instant::now();
    let mut held = Vec::with_capacity(held_wanted);
    for _ in 0..held_wanted {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /health HT").await.expect("half a request line");
        held.push(s);
    }
    let opened_in = opening.elapsed();

    let client = common::http_client().build().unwrap();
    let (mut health, mut list) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let t = Instant::now();
        let r = client.get(format!("{}/health", server.url)).send().await.expect("health");
        assert_eq!(r.status(), 200);
        health.push(t.elapsed());
        let t = Instant::now();
        let r = client.get(format!("{}/api/customers", server.url)).bearer_auth(&key).send().await.expect("list");
        assert_eq!(r.status(), 200);
        list.push(t.elapsed());
    }
    let (health, list) = (median(health), median(list));
    assert!(health < Duration::from_millis(100), "GET /health took {health:?} (median) with {held_wanted} connections held");
    assert!(list < Duration::from_millis(100), "GET /api/customers took {list:?} (median) with {held_wanted} connections held");

    // Every held connection is closed by the server, none later than its header
    // timeout after the last was opened (plus scheduling slack).
    let closing = held.into_iter().map(|mut s| {
        tokio::spawn(async move { read_until_closed(&mut s, HEADER_TIMEOUT + Duration::from_secs(10)).await.map(|_| Instant::now()) })
    });
    let mut last_closed = opening;
    let mut still_open = 0;
    for c in closing {
        match c.await.expect("join") {
            Some(at) => last_closed = last_closed.max(at),
            None => still_open += 1,
        }
    }
    assert_eq!(still_open, 0, "connections left open past the header timeout");
    let all_closed_after = last_closed - opening;
    assert!(
        all_closed_after < opened_in + HEADER_TIMEOUT + Duration::from_secs(3),
        "the last connection closed {all_closed_after:?} after the first opened (opening took {opened_in:?})"
    );
    eprintln!(
        "{held_wanted} unfinished requests opened in {opened_in:?}; meanwhile GET /health p50 {health:?}, GET /api/customers p50 {list:?}; all closed {all_closed_after:?} after the first opened"
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_are_told_503_and_a_freed_slot_is_used_again() {
    let test_db = common::TestDb::new();
    let db = test_db.url.as_str();
    let server = ServerProcess::start(&["--database", db, "--max-connections", "8"]);
    let mut held = Vec::new();
    for _ in 0..8 {
        // A whole request answered, so the server has surely taken the connection.
        let mut s = TcpStream::connect(server.addr()).await.unwrap();
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
        held.push(s);
    }
    let client = common::http_client().pool_max_idle_per_host(0).build().unwrap();
    let r = client.get(format!("{}/health", server.url)).send().await.expect("a 503, not a reset");
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(r.headers()["connection"], "close");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "server_busy");
    assert_eq!(body["statusCode"], 503);

    drop(held.pop());
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let r = client.get(format!("{}/health", server.url)).send().await.unwrap();
        if r.status() == 200 {
            break;
        }
        assert!(Instant::now() < until, "the freed slot was not used again: {}", r.status());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off_after_the_send_timeout() {
    const PIPELINED: usize = 400;
    let test_db = common::TestDb::new();
    let db = test_db.url.as_str();
    let server = ServerProcess::start(&["--database", db, "--send-timeout", "2s"]);
    let url = format!("{}/api/openapi.json", server.url);
    let client = common::http_client().build().unwrap();
    let one_response = client.get(&url).send().await.unwrap().bytes().await.unwrap().len();

    // A small receive window, many responses asked for at once, then a byte a second.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut s = socket.connect(server.addr()).await.unwrap();
    let request = "GET /api/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n".repeat(PIPELINED);
    s.write_all(request.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut byte = [0u8; 1];
    for _ in 0..4 {
        let _ = s.read(&mut byte).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // Meanwhile another client is served as usual.
    let r = client.get(format!("{}/health", server.url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let got = read_until_closed(&mut s, Duration::from_secs(20)).await.expect("the server kept the connection open");
    let asked = PIPELINED * one_response;
    assert!(got < asked / 2, "the server sent {got} of {asked} bytes: it waited for the slow reader");
    eprintln!("slow reader: cut off after {:?}, having been sent {got} of {asked} bytes", started.elapsed());
}

#[tokio::test]
async fn a_request_body_that_stops_arriving_gets_408() {
    let test_db = common::TestDb::new();
    let db = test_db.url.as_str();
    let server = ServerProcess::start(&["--dev", "--database", db, "--request-timeout", "1s"]);
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let head = format!(
        "POST /api/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"email\":",
        server.dev_key()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await.expect("an answer").unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn sigterm_under_load_finishes_what_is_in_flight_and_fails_nothing() {
    const CONNECTIONS: usize = 32;
    let dir = tempdir();
    let key_file = dir.join("dev-key");
    let test_db = common::TestDb::new();
    let db = test_db.url.as_str();
    let key_file_arg = key_file.to_str().unwrap();
    let mut server = ServerProcess::start(&[
        "--dev",
        "--dev-key-file",
        key_file_arg,
        "--database",
        db,
        "--rate-limit",
        "0",
        "--drain-timeout",
        "10s",
    ]);
    let (url, key) = (server.url.clone(), server.dev_key());
    let run = common::unique("drain");
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|w| {
            let (url, key, run, stop) = (url.clone(), key.clone(), run.clone(), stop.clone());
            tokio::spawn(async move {
                let client = common::http_client().build().unwrap();
                let (mut created, mut statuses_5xx, mut refused) = (0u32, Vec::new(), 0u32);
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // The dev tenant outlives a run on PostgreSQL: the run keeps emails unique.
                    let body = json!({ "externalId": format!("{run}-{w}-{i}"), "email": format!("{run}-w{w}i{i}@drain.example") });
                    match client.post(format!("{url}/api/customers")).bearer_auth(&key).json(&body).send().await {
                        Ok(r) if r.status() == 201 => created += 1,
                        Ok(r) if r.status().is_server_error() => statuses_5xx.push(r.status().as_u16()),
                        Ok(r) => panic!("unexpected {}", r.status()),
                        Err(_) => {
                            refused += 1;
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                    }
                }
                (created, statuses_5xx, refused)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let signalled = Instant::now();
    server.terminate();
    // New connections are refused once the signal is taken.
    let refused_after = loop {
        if TcpStream::connect(server.addr()).await.is_err() {
            break signalled.elapsed();
        }
        assert!(signalled.elapsed() < Duration::from_secs(5), "still accepting 5 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let status = tokio::task::spawn_blocking(move || {
        let st = server.wait_exit(Duration::from_secs(15));
        (st, server)
    })
    .await
    .unwrap();
    let exited_after = signalled.elapsed();
    let (status, _server) = status;
    let status = status.expect("the server exited within its drain timeout");
    assert!(status.success(), "{status:?}");
    stop.store(true, Ordering::Relaxed);
    let (mut created, mut failed_5xx, mut refused) = (0, Vec::new(), 0);
    for w in workers {
        let (c, f, r) = w.await.unwrap();
        created += c;
        failed_5xx.extend(f);
        refused += r;
    }
    assert!(failed_5xx.is_empty(), "5xx during shutdown: {failed_5xx:?}");

    // Every create the server committed was answered: none was cut off mid-flight.
    let again = ServerProcess::start(&["--dev", "--dev-key-file", key_file_arg, "--database", db]);
    let page: Value = common::http_client().build().unwrap()
        .get(format!("{}/api/customers?search={run}&limit=1", again.url))
        .bearer_auth(again.dev_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["meta"]["total"], json!(created), "customers stored vs creates answered 201");
    eprintln!(
        "SIGTERM under {CONNECTIONS} connections: {created} creates answered and stored, no 5xx, {refused} refused after; \
         new connections refused {refused_after:?} and the process exited {exited_after:?} after the signal"
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(common::unique("novabilling-drain"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// Two workers, so the flood's tasks on the client side cannot starve the tenant's loop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_unauthenticated_requests_leaves_a_tenant_its_rate() {
    const PACE: Duration = Duration::from_millis(10); // the tenant's 100 requests a second
    const RUN: Duration = Duration::from_secs(3);
    const FLOODERS: usize = 16;
    let test_db = common::TestDb::new();
    let server = ServerProcess::start(&["--dev", "--database", &test_db.url, "--rate-limit", "0"]);
    let (url, key) = (server.url.clone(), server.dev_key());
    let stop = Arc::new(AtomicBool::new(false));
    // Keys of every unauthenticated sort: well-formed and unknown (one indexed
    // lookup), a wrong checksum, the old unchecksummed form, garbage.
    let flood: Vec<_> = (0..FLOODERS)
        .map(|f| {
            let (url, stop) = (url.clone(), stop.clone());
            tokio::spawn(async move {
                let client = common::http_client().build().unwrap();
                let (mut answered_401, mut other) = (0u64, Vec::new());
                for i in 0u64.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let random = format!("{:032}", u128::from(i) * 7919 + f as u128);
                    let bad = match i % 4 {
                        0 => novabilling::keys::compose(novabilling::keys::KeyKind::Secret, false, &random),
                        1 => format!("sk_test_{random}zzzzzz"),
                        2 => format!("sk_live_{:064x}", u128::from(i)),
                        _ => "not a key".to_owned(),
                    };
                    let r = client.get(format!("{url}/api/customers")).bearer_auth(&bad).send().await.expect("flood request");
                    if r.status() == 401 { answered_401 += 1 } else { other.push(r.status().as_u16()) }
                }
                (answered_401, other)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let client = common::http_client().build().unwrap();
    let started = Instant::now();
    let (mut answered, mut latencies) = (0u32, Vec::new());
    let mut tick = tokio::time::interval(PACE);
    // A late tick is skipped, not made up in a burst: falling behind shows in the count.
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    while started.elapsed() < RUN {
        tick.tick().await;
        let t = Instant::now();
        let r = client.get(format!("{url}/api/customers")).bearer_auth(&key).send().await.unwrap();
        assert_eq!(r.status(), 200);
        latencies.push(t.elapsed());
        answered += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let (mut flood_401, mut flood_other) = (0, Vec::new());
    for f in flood {
        let (n, other) = f.await.unwrap();
        flood_401 += n;
        flood_other.extend(other);
    }
    assert!(flood_other.is_empty(), "unauthenticated requests answered other than 401: {flood_other:?}");
    let wanted = u32::try_from(RUN.as_millis() / PACE.as_millis()).unwrap();
    let p50 = median(latencies);
    assert!(answered * 2 >= wanted, "the tenant got {answered} of its {wanted} requests through the flood");
    eprintln!(
        "flood: {flood_401} unauthenticated requests answered 401 in {RUN:?} ({}/s) while the tenant got {answered} of {wanted} paced requests, p50 {p50:?}",
        flood_401 / RUN.as_secs()
    );
}
