//! PostgreSQL restarted (fast mode: every session ended) under a load of
//! creates on two replicas. Requests meanwhile are answered, never hung: a
//! success, or 503 `database_unavailable` with `Retry-After`, never a 500.
//! The servers reconnect by themselves, the SDK's retries carry its calls
//! through, and no acknowledged write is lost. Its own test binary, as it
//! restarts the cluster every PostgreSQL test shares.

mod common;

use std::collections::HashSet;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use novabilling::{Client, CustomerCreate, ListParams};

const WORKERS: usize = 8;

/// What one call came to, as an observer with no retries saw it.
enum Seen {
    Created(String),
    Unavailable,
    Other(String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_under_load_answers_503_meanwhile_and_loses_nothing() {
    if std::env::var("NOVABILLING_TEST_DATABASE_URL").is_err() {
        eprintln!("this test restarts the PostgreSQL cluster: it runs in the PostgreSQL pass");
        return;
    }
    let first = common::Server::start_with(&["--rate-limit", "0"]);
    let second = first.replica(&["--rate-limit", "0"]);
    let run = common::rand_suffix();
    let stop = Arc::new(AtomicBool::new(false));
    let client = |url: &str, retries: u32| {
        Client::builder().token(&first.key).base_url(url).max_retries(retries).timeout(Duration::from_secs(30)).build().unwrap()
    };

    // Half the workers see every answer (no retries); half use the SDK as users do.
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let observer = w % 2 == 0;
            let c = client(if w < WORKERS / 2 { &first.url } else { &second.url }, if observer { 0 } else { 10 });
            let (run, stop) = (run.clone(), stop.clone());
            tokio::spawn(async move {
                let (mut seen, mut slowest) = (Vec::new(), Duration::ZERO);
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let external_id = format!("restart_{run}_{w}_{i}");
                    let t = Instant::now();
                    let r = c.customers().create(CustomerCreate { email: format!("{external_id}@example.com"), external_id, ..Default::default() }).await;
                    slowest = slowest.max(t.elapsed());
                    seen.push(match r {
                        Ok(customer) => Seen::Created(customer.id),
                        Err(e) if e.status() == Some(503) && e.code() == Some("database_unavailable") && e.retry_after().is_some() => Seen::Unavailable,
                        Err(e) => Seen::Other(format!("{:?} {:?} {:?}: {e}", e.kind(), e.status(), e.code())),
                    });
                }
                (observer, seen, slowest)
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(1)).await;
    let restart = Instant::now();
    let pg_sh = common::workspace_root().join("scripts/pg.sh");
    let status = tokio::task::spawn_blocking(move || Command::new(pg_sh).arg("restart").status()).await.unwrap().expect("pg.sh restart");
    assert!(status.success(), "pg.sh restart failed");
    let restarted_in = restart.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);

    let (mut acknowledged, mut unavailable, mut others, mut slowest, mut sdk_calls) = (HashSet::new(), 0, Vec::new(), Duration::ZERO, 0);
    for w in workers {
        let (observer, seen, slow) = w.await.unwrap();
        slowest = slowest.max(slow);
        for s in seen {
            match s {
                Seen::Created(id) => {
                    sdk_calls += usize::from(!observer);
                    acknowledged.insert(id);
                }
                Seen::Unavailable => unavailable += 1,
                Seen::Other(e) => others.push(format!("{} worker: {e}", if observer { "observer" } else { "SDK" })),
            }
        }
    }
    assert!(others.is_empty(), "answers other than success or 503 database_unavailable: {others:?}");

    // The servers reconnected: a call now succeeds on each without a retry.
    for url in [&first.url, &second.url] {
        client(url, 0).customers().list(ListParams::default()).await.expect("the server reconnected");
    }
    // Every acknowledged create is stored, none twice.
    let stored: Vec<_> = client(&first.url, 2)
        .customers()
        .list_auto(ListParams { search: Some(format!("restart_{run}_")), limit: Some(100), ..Default::default() })
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let stored_ids: HashSet<_> = stored.iter().map(|c| c.id.clone()).collect();
    assert_eq!(stored_ids.len(), stored.len(), "none twice");
    let lost: Vec<_> = acknowledged.difference(&stored_ids).collect();
    assert!(lost.is_empty(), "acknowledged creates not stored: {lost:?}");
    assert!(slowest < Duration::from_secs(15), "a call took {slowest:?}: the server hung on the outage");
    eprintln!(
        "PostgreSQL restart: took {restarted_in:?}; {} creates acknowledged ({sdk_calls} through the SDK's retries) and all stored; \
         {unavailable} answered 503 database_unavailable to the observers; no other answer; slowest call {slowest:?}",
        acknowledged.len()
    );
}
