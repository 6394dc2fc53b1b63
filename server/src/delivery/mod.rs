//! The webhook delivery worker: takes due messages from the outbox, POSTs
//! each event signed (Standard Webhooks, core's `signature`), and records the
//! attempt; retries on the schedule, disables endpoints that are gone or keep
//! failing, and purges what is past its retention.
//!
//! It wakes when a write commits (a [`Notify`] poked after every successful
//! write request) and otherwise every `poll_interval`, which is how it sees
//! rows written by other replicas sharing one PostgreSQL.

mod recorder;
pub mod schedule;
mod send;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore, watch};

use crate::clock::now_ms;
use crate::db::Db;
use crate::ids;
use crate::ssrf::Guard;
use crate::store::outbox::{self, Attempt, Claimed, Finished, Outcome};

use recorder::Recorder;

/// How webhooks are delivered.
#[derive(Clone, Debug)]
pub struct WebhookOptions {
    /// The delay before each attempt: the first from the event, each next
    /// from the attempt before. Its length is the number of attempts.
    pub retry_schedule: Vec<Duration>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// How long a rotated-out secret still signs.
    pub secret_grace: Duration,
    /// How long delivered and failed messages and the attempt log are kept.
    pub retention: Duration,
    /// How long events are kept (listed, redeliverable).
    pub event_retention: Duration,
    /// An endpoint whose deliveries all fail for this long is disabled.
    pub disable_after: Duration,
    /// How often the outbox is read when nothing wakes the worker.
    pub poll_interval: Duration,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    pub guard: Guard,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            retry_schedule: schedule::default_schedule(),
            timeout: Duration::from_secs(15),
            secret_grace: Duration::from_secs(24 * 3600),
            retention: Duration::from_secs(7 * 86400),
            event_retention: Duration::from_secs(30 * 86400),
            disable_after: Duration::from_secs(5 * 86400),
            poll_interval: Duration::from_millis(500),
            concurrency: 16,
            guard: Guard::default(),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

struct Worker {
    db: Db,
    recorder: Recorder,
    opts: WebhookOptions,
    client: reqwest::Client,
    guard: Arc<Guard>,
    /// Unique per process, so a claim's owner names one claim of one worker.
    name: String,
    claims: AtomicU64,
    /// Set when every slot was busy with rows perhaps still due: the first
    /// delivery to finish wakes the claimer instead of leaving them to the poll.
    backlog: AtomicBool,
}

/// Runs the worker until `stop` turns true; then it claims nothing more and
/// returns once the deliveries in flight are recorded (at most one attempt's
/// timeout later), so a stopping replica leaves no row leased to nobody.
pub async fn run(db: Db, opts: WebhookOptions, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    let guard = Arc::new(opts.guard.clone());
    let client = match send::client(&guard, opts.timeout) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook delivery disabled: the HTTP client could not be built");
            return;
        }
    };
    let worker = Arc::new(Worker { recorder: Recorder::start(db.clone()), db, client, guard, name: ids::new_id("wkr_"), claims: AtomicU64::new(0), backlog: AtomicBool::new(false), opts });
    let slots = Arc::new(Semaphore::new(worker.opts.concurrency.max(1)));
    // A short retention (tests) is honoured about as promptly as it is set.
    let purge_every = purge_period(&worker.opts);
    let mut last_purge: Option<Instant> = None;
    while !*stop.borrow() {
        if last_purge.is_none_or(|t| t.elapsed() >= purge_every) {
            worker.purge().await;
            last_purge = Some(Instant::now());
        }
        // Claim while there are due rows and free slots; each row is delivered on its own task.
        loop {
            let free = slots.available_permits();
            if free == 0 {
                worker.backlog.store(true, Ordering::Release);
                // A delivery that finished before the flag was up did not see it.
                if slots.available_permits() == 0 {
                    break;
                }
                continue;
            }
            let claimed = worker.claim(free).await;
            let n = claimed.len();
            for m in claimed {
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else { return };
                let w = Arc::clone(&worker);
                let wake = Arc::clone(&wake);
                tokio::spawn(async move {
                    let outcome = w.deliver(m).await;
                    drop(permit);
                    if w.backlog.swap(false, Ordering::AcqRel) {
                        wake.notify_one();
                    }
                    // A retry due before the next poll: look again when it is due.
                    if let Outcome::RetryAt(at) = outcome {
                        let wait = Duration::from_millis(u64::try_from(at.saturating_sub(now_ms())).unwrap_or(0));
                        if wait < w.opts.poll_interval {
                            tokio::time::sleep(wait).await;
                            wake.notify_one();
                        }
                    }
                });
            }
            if n < free {
                break;
            }
        }
        tokio::select! {
            () = wake.notified() => {},
            () = tokio::time::sleep(worker.opts.poll_interval) => {},
            _ = stop.changed() => {},
        }
    }
    let all = u32::try_from(worker.opts.concurrency.max(1)).unwrap_or(u32::MAX);
    let drain = worker.opts.timeout + Duration::from_secs(5);
    if tokio::time::timeout(drain, slots.acquire_many(all)).await.is_err() {
        tracing::warn!("stopping with webhook deliveries in flight; their leases expire and another worker retries them");
    }
}

/// Once a minute, or as often as the shortest retention, but not below a second.
fn purge_period(opts: &WebhookOptions) -> Duration {
    Duration::from_secs(60).min(opts.retention.min(opts.event_retention)).max(Duration::from_secs(1))
}

impl Worker {
    async fn claim(&self, limit: usize) -> Vec<Claimed> {
        let now = now_ms();
        // Long enough for the attempt (bounded by the timeout) and its
        // bookkeeping; a worker that dies holding rows gives them up when it
        // runs out, so it is also how long a crash delays them.
        let lease = ms(self.opts.timeout * 2 + Duration::from_secs(10));
        let owner = format!("{}-{}", self.name, self.claims.fetch_add(1, Ordering::Relaxed));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        match outbox::claim(&self.db, &owner, now, now.saturating_add(lease), limit).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "claiming webhook messages failed");
                Vec::new()
            }
        }
    }

    /// One attempt of one message, recorded.
    async fn deliver(&self, m: Claimed) -> Outcome {
        let started = Instant::now();
        let now = now_ms();
        let result = send::attempt(&self.client, &self.guard, &m, now).await;
        let duration_ms = ms(started.elapsed());
        let done = now_ms();
        let attempts_made = usize::try_from(m.attempts).unwrap_or(usize::MAX).saturating_add(1);
        let (status, error) = match &result {
            Ok(r) => (Some(i64::from(r.status)), (!r.is_success()).then(|| format!("HTTP {}", r.status))),
            Err(e) => (None, Some(e.clone())),
        };
        let outcome = match &result {
            Ok(r) if r.is_success() => Outcome::Delivered,
            Ok(r) if r.status == 410 => Outcome::Gone,
            _ => match self.opts.retry_schedule.get(attempts_made) {
                None => Outcome::Failed,
                Some(delay) => {
                    let mut at = done.saturating_add(ms(schedule::jitter(*delay)));
                    if let Ok(r) = &result {
                        if let Some(after) = r.retry_after.filter(|_| matches!(r.status, 429 | 503)) {
                            at = at.max(done.saturating_add(ms(after)));
                        }
                    }
                    Outcome::RetryAt(at)
                }
            },
        };
        tracing::debug!(event = %m.event_id, endpoint = %m.endpoint_id, attempt = attempts_made, ?status,
            error = error.as_deref().unwrap_or(""), ?outcome, "webhook attempt");
        let disable_before = done.saturating_sub(ms(self.opts.disable_after));
        let attempt = Attempt { status, duration_ms, error };
        self.recorder.record(Finished { message: m, attempt, outcome, now: done, disable_before }).await;
        outcome
    }

    async fn purge(&self) {
        let now = now_ms();
        let log_before = now.saturating_sub(ms(self.opts.retention));
        let events_before = now.saturating_sub(ms(self.opts.event_retention));
        match outbox::purge(&self.db, log_before, events_before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(rows = n, "purged old webhook events, messages and attempts"),
            Err(e) => tracing::warn!(error = %e, "purging webhook history failed"),
        }
    }
}
