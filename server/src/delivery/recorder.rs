//! Records finished attempts in batches: everything that finished while the
//! last batch was written goes in the next transaction. One transaction per
//! delivery took SQLite's one writer away from the API's creates about as
//! often as the creates themselves did (creates/s fell by a third with one
//! endpoint subscribed).

use tokio::sync::{mpsc, oneshot};

use crate::db::Db;
use crate::store::outbox::{self, Finished};

/// Attempts written in one transaction at most.
const BATCH_MOST: usize = 64;

/// Where deliveries hand in their attempts.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<(Finished, oneshot::Sender<()>)>,
}

impl Recorder {
    /// Starts the task that writes the batches; it ends when every `Recorder` is dropped.
    pub fn start(db: Db) -> Recorder {
        let (tx, mut rx) = mpsc::channel::<(Finished, oneshot::Sender<()>)>(BATCH_MOST);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH_MOST);
            while rx.recv_many(&mut batch, BATCH_MOST).await > 0 {
                let (finished, written): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
                write(&db, &finished).await;
                for w in written {
                    let _ = w.send(());
                }
            }
        });
        Recorder { tx }
    }

    /// Records `f` and returns once it is written (or its writing failed and was logged).
    pub async fn record(&self, f: Finished) {
        let (written, wait) = oneshot::channel();
        if self.tx.send((f, written)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn write(db: &Db, finished: &[Finished]) {
    let Err(e) = outbox::record(db, finished).await else {
        return;
    };
    if finished.len() > 1 {
        // One attempt that cannot be written must not lose the others: each alone.
        for f in finished {
            if let Err(e) = outbox::record(db, std::slice::from_ref(f)).await {
                failed(&e, f);
            }
        }
    } else if let Some(f) = finished.first() {
        failed(&e, f);
    }
}

/// The message stays leased to nobody until its lease runs out; then it is tried again.
fn failed(e: &sqlx::Error, f: &Finished) {
    tracing::warn!(error = %e, event = %f.message.event_id, "recording a webhook attempt failed");
}
