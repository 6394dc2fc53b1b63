//! The rate limit's counters on PostgreSQL, shared by replicas without a write
//! per request (that commit was most of a GET's cost). Each replica numbers a
//! tenant's requests as they arrive (1, 2, ...) and adds them to the tenant's
//! row for the minute in batches: every [`FLUSH_EVERY`], and at once whenever
//! its unsent requests reach a tenth of the allowance left, so near the limit
//! every request is sent. A batch's `UPSERT ... RETURNING` tells the count
//! after it, and so the place of each of its requests among every replica's.
//! A request is refused only when its place is past the limit, which it never
//! is wrongly; what replicas admit between flushes can pass the limit by at
//! most about a tenth.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::db::{Db, with_db};

/// How often a replica adds its requests to the shared counters.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// Batches remembered for requests that wait for theirs.
const BATCHES_KEPT: usize = 1024;

/// One tenant's minute as this replica sees it.
#[derive(Default)]
struct Window {
    start: i64,
    /// The database's count after this replica's last batch (every replica's).
    known: u64,
    /// This replica's requests in the window so far.
    arrived: u64,
    /// Of them, those a batch has taken.
    sent: u64,
    /// Of them, those in `known`.
    landed: u64,
    /// Recent batches: the first and last request each took, and the count after it.
    batches: VecDeque<(u64, u64, u64)>,
    /// Held while a batch is sent, so batches land in order.
    gate: Arc<tokio::sync::Mutex<()>>,
}

impl Window {
    /// Where request `a` stands among every replica's requests, as far as this
    /// replica knows: never past its true place.
    fn place(&self, a: u64) -> u64 {
        if a > self.landed {
            // After everything in `known`, behind this replica's requests before it.
            return self.known + (a - self.landed);
        }
        // Its batch added it, and the batch's later requests after it.
        self.batches
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&a))
            .map_or(a, |(_, last, count)| count - (last - a))
    }
}

#[derive(Default)]
pub struct SharedCounter {
    windows: Mutex<HashMap<Arc<str>, Window>>,
}

impl SharedCounter {
    /// Counts a request of `tenant` in the minute starting at `start`, and
    /// returns its place among every replica's requests in that minute.
    pub async fn count(&self, db: &Db, tenant: &Arc<str>, start: i64, limit: u64) -> Result<u64, sqlx::Error> {
        let (a, gate) = {
            let mut m = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            let w = m.entry(tenant.clone()).or_default();
            if w.start != start {
                *w = Window { start, ..Window::default() };
            }
            w.arrived += 1;
            let a = w.arrived;
            // Past the limit already: refused without a write, so a tenant
            // over its limit costs the database nothing.
            let left = limit.saturating_sub(w.place(w.sent));
            let send = w.place(a) <= limit && w.arrived - w.sent >= (left / 10).max(1);
            (a, send.then(|| w.gate.clone()))
        };
        if let Some(gate) = gate {
            let _turn = gate.lock().await;
            self.send(db, tenant, start).await?;
        }
        let m = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(m.get(tenant).filter(|w| w.start == start).map_or(a, |w| w.place(a)))
    }

    /// Adds the tenant's unsent requests to its row. The caller holds the gate.
    async fn send(&self, db: &Db, tenant: &Arc<str>, start: i64) -> Result<(), sqlx::Error> {
        let (first, last) = {
            let mut m = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(w) = m.get_mut(tenant).filter(|w| w.start == start && w.arrived > w.sent) else { return Ok(()) };
            let taken = (w.sent + 1, w.arrived);
            w.sent = w.arrived;
            taken
        };
        let n = last - first + 1;
        let count = with_db!(db, write, |p| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO rate_limits (tenant_id, window_start, count) VALUES ($1, $2, $3) \
                 ON CONFLICT (tenant_id, window_start) DO UPDATE SET count = rate_limits.count + EXCLUDED.count \
                 RETURNING count",
            )
            .bind(&**tenant)
            .bind(start)
            .bind(i64::try_from(n).unwrap_or(i64::MAX))
            .fetch_one(p)
            .await
        });
        let mut m = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // The minute ended meanwhile: its count no longer matters.
        let Some(w) = m.get_mut(tenant).filter(|w| w.start == start) else { return Ok(()) };
        match count {
            Ok(count) => {
                // The count includes this batch; one that reads less is taken as just it.
                let count = u64::try_from(count).unwrap_or(0).max(n);
                w.known = count;
                w.landed = last;
                w.batches.push_back((first, last, count));
                if w.batches.len() > BATCHES_KEPT {
                    w.batches.pop_front();
                }
                Ok(())
            }
            // The next batch sends them again (the gate keeps `sent` to this
            // batch alone meanwhile), so no request goes uncounted.
            Err(e) => {
                w.sent = first - 1;
                Err(e)
            }
        }
    }

    /// Sends every tenant's unsent requests, and forgets minutes that are over.
    pub async fn send_all(&self, db: &Db, start: i64) {
        let due: Vec<(Arc<str>, Arc<tokio::sync::Mutex<()>>)> = {
            let mut m = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            m.retain(|_, w| w.start == start);
            m.iter().filter(|(_, w)| w.arrived > w.sent).map(|(t, w)| (t.clone(), w.gate.clone())).collect()
        };
        for (tenant, gate) in due {
            let _turn = gate.lock().await;
            if let Err(e) = self.send(db, &tenant, start).await {
                tracing::warn!(error = %e, "adding to the shared rate-limit counter failed");
            }
        }
    }
}
