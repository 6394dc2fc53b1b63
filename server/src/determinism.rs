//! Seeded ids and a stepping clock for what requests create, when a test
//! server asks for them (novabilling-testing): the same requests in the same
//! order give the same ids and timestamps, so users' snapshots stay stable.
//! A test server sets it around each request with [`Determinism::scope`];
//! nothing else does, and then ids are random and time is the system's.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use rand::SeedableRng;
use rand::rngs::StdRng;

tokio::task_local! {
    static CURRENT: Arc<Determinism>;
}

/// Each request starts one second after the one before, and its clock stands
/// still while it runs; ids come from a generator seeded once.
pub struct Determinism {
    seed: u64,
    start_ms: i64,
    state: Mutex<State>,
}

pub(crate) struct State {
    pub rng: StdRng,
    pub now_ms: i64,
    last_micros: i64,
}

const STEP_MS: i64 = 1000;

impl Determinism {
    /// `start_ms`: the first request's time, in milliseconds since the epoch.
    pub fn new(seed: u64, start_ms: i64) -> Self {
        Determinism { seed, start_ms, state: Mutex::new(Self::fresh(seed, start_ms)) }
    }

    fn fresh(seed: u64, start_ms: i64) -> State {
        State { rng: StdRng::seed_from_u64(seed), now_ms: start_ms - STEP_MS, last_micros: 0 }
    }

    /// Back to the first request's time and the generator's first id.
    pub fn reset(&self) {
        *self.lock() = Self::fresh(self.seed, self.start_ms);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one request: its time is one step after the last request's.
    pub async fn scope<F: Future>(self: Arc<Self>, f: F) -> F::Output {
        self.lock().now_ms += STEP_MS;
        CURRENT.scope(self, f).await
    }
}

/// `f`, in the current request's determinism if it has one: for work a
/// request moves to a task of its own.
pub fn carry<F: Future>(f: F) -> impl Future<Output = F::Output> {
    let current = CURRENT.try_with(Arc::clone).ok();
    async move {
        match current {
            Some(d) => CURRENT.scope(d, f).await,
            None => f.await,
        }
    }
}

/// `f` on the current request's state, when a test server asked for determinism.
pub(crate) fn with<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    CURRENT.try_with(|d| f(&mut d.lock())).ok()
}

/// The next of the current request's strictly increasing microsecond stamps.
pub(crate) fn next_micros() -> Option<i64> {
    with(|s| {
        s.last_micros = (s.now_ms * 1000).max(s.last_micros + 1);
        s.last_micros
    })
}
