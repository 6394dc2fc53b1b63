//! A tenant's rate limit holds across three replicas on one PostgreSQL. Each
//! replica counts in memory and adds its count to the shared row every 250 ms,
//! and at once whenever its unflushed requests reach a tenth of the allowance
//! left (server/src/ratelimit.rs): the stated tolerance is a tenth of the
//! limit. Of calls spread over the replicas, at least the limit and at most a
//! tenth more pass in a window, and every other one is a typed 429
//! `rate_limited` with `Retry-After`.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use novabilling::{Client, ListParams};

const LIMIT: usize = 120;
const CALLS: usize = 300;
/// Calls in flight at once, spread round-robin over the replicas.
const IN_FLIGHT: usize = 24;

/// The server's window: the minute, counted from the epoch, that `t` falls in.
fn window_of(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_secs() / 60
}

/// Waits until at least `room` of the current minute is left, so a burst
/// started now ends in the window it started in.
async fn wait_for_room(room: Duration) {
    let into = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() % 60_000;
    let left = Duration::from_millis(u64::try_from(60_000 - into).unwrap());
    if left < room {
        tokio::time::sleep(left + Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_holds_across_three_replicas_within_a_tenth() {
    if std::env::var("NOVABILLING_TEST_DATABASE_URL").is_err() {
        eprintln!("replicas share a PostgreSQL: this test runs in the PostgreSQL pass");
        return;
    }
    let limit = LIMIT.to_string();
    let first = common::Server::start_with(&["--rate-limit", &limit]);
    let replicas = [first.replica(&["--rate-limit", &limit]), first.replica(&["--rate-limit", &limit])];
    let urls = [&first.url, &replicas[0].url, &replicas[1].url];

    // A burst that straddles a minute boundary is counted in two windows; one
    // that did is run again, on a tenant of its own.
    for attempt in 1..=3 {
        let key = first.new_tenant_key();
        let clients: Vec<Client> = urls
            .iter()
            .map(|url| Client::builder().token(&key).base_url(*url).max_retries(0).build().unwrap())
            .collect();
        wait_for_room(Duration::from_secs(20)).await;
        let started = SystemTime::now();
        let results: Vec<_> = futures_util::stream::iter(0..CALLS)
            .map(|i| {
                let customers = clients[i % clients.len()].customers();
                async move { customers.list(ListParams { limit: Some(1), ..Default::default() }).await }
            })
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        if window_of(started) != window_of(SystemTime::now()) {
            eprintln!("attempt {attempt}: the burst crossed a minute boundary; again on a new tenant");
            continue;
        }
        let passed = results.iter().filter(|r| r.is_ok()).count();
        let mut limited = 0;
        for r in results.iter().filter_map(|r| r.as_ref().err()) {
            assert_eq!((r.status(), r.code()), (Some(429), Some("rate_limited")), "{r}");
            let wait = r.retry_after().expect("a 429 says when to retry");
            assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60), "Retry-After {wait:?}");
            limited += 1;
        }
        eprintln!("{CALLS} calls over 3 replicas, limit {LIMIT}/min: {passed} passed, {limited} limited");
        assert!((LIMIT..=LIMIT + LIMIT / 10).contains(&passed), "the tenant's limit across the replicas: {passed} passed");
        assert_eq!(limited, CALLS - passed);

        // Another tenant on the same replicas is not limited by this one.
        let other = Client::builder().token(first.new_tenant_key()).base_url(urls[1]).max_retries(0).build().unwrap();
        other.customers().list(ListParams::default()).await.expect("another tenant's own window");
        return;
    }
    panic!("three bursts in a row crossed a minute boundary");
}
