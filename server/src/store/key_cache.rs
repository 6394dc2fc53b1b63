//! Keys as this process last read them, so that a request finds its key
//! without a round trip to the database (it was one of a GET's two queries).
//!
//! An entry is trusted for [`FRESH_FOR`]. What this process changes (a
//! revocation, a tenant emptied, a key's last use) it changes here too, so it
//! holds at once; a revocation made by another replica, or by the CLI, holds
//! within `FRESH_FOR`. Unknown keys are not remembered, so a key minted
//! elsewhere works at once.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::store::key_row::KeyRow;

/// How long a key read from the database is used without reading it again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Entries kept at most: ephemeral keys come one per app session.
const MOST: usize = 10_000;

#[derive(Default)]
struct Entries {
    by_hash: HashMap<String, (Instant, KeyRow)>,
    /// Counts the changes, so a read that began before one does not put back what it removed.
    generation: u64,
}

#[derive(Default)]
pub struct KeyCache {
    entries: Mutex<Entries>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyCache({} keys)", self.lock().by_hash.len())
    }
}

impl KeyCache {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The key with SHA-256 `hash`, if read within [`FRESH_FOR`].
    pub fn get(&self, hash: &str) -> Option<KeyRow> {
        let e = self.lock();
        e.by_hash
            .get(hash)
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, row)| row.clone())
    }

    /// Where changes stand: take it before reading a key from the database, and give it to [`put`](Self::put).
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Remembers a key read from the database, unless something changed since `generation`.
    pub fn put(&self, generation: u64, hash: String, row: KeyRow) {
        let mut e = self.lock();
        if e.generation != generation {
            return;
        }
        if e.by_hash.len() >= MOST && !e.by_hash.contains_key(&hash) {
            e.by_hash.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
            if e.by_hash.len() >= MOST {
                e.by_hash.clear();
            }
        }
        e.by_hash.insert(hash, (Instant::now(), row));
    }

    /// Drops the keys `gone` picks (revoked, deleted): the next request reads them again.
    pub fn forget(&self, gone: impl Fn(&KeyRow) -> bool) {
        let mut e = self.lock();
        e.generation += 1;
        e.by_hash.retain(|_, (_, row)| !gone(row));
    }

    /// Records a key's use at `at` (ms), as the database now does.
    pub fn touched(&self, id: &str, at: i64) {
        for (_, row) in self.lock().by_hash.values_mut() {
            if row.id == id {
                row.last_used_at = Some(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FRESH_FOR, KeyCache};
    use crate::store::key_row::KeyRow;

    fn row(id: &str, tenant: &str) -> KeyRow {
        KeyRow {
            id: id.into(),
            tenant_id: tenant.into(),
            kind: "secret".into(),
            livemode: false,
            name: None,
            scopes: None,
            customer_id: None,
            prefix: "sk_test_ab".into(),
            last4: None,
            created_at: 0,
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn a_key_is_kept_until_forgotten() {
        let c = KeyCache::default();
        c.put(c.generation(), "h1".into(), row("key_1", "ten_a"));
        c.put(c.generation(), "h2".into(), row("key_2", "ten_b"));
        assert_eq!(c.get("h1").unwrap().id, "key_1");
        c.touched("key_1", 42);
        assert_eq!(c.get("h1").unwrap().last_used_at, Some(42));
        c.forget(|r| r.tenant_id == "ten_a");
        assert!(c.get("h1").is_none());
        assert_eq!(c.get("h2").unwrap().id, "key_2");
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let c = KeyCache::default();
        let before = c.generation();
        c.forget(|r| r.id == "key_1");
        c.put(before, "h1".into(), row("key_1", "ten_a"));
        assert!(
            c.get("h1").is_none(),
            "a revocation made during the read would be undone"
        );
    }

    #[test]
    fn an_entry_goes_stale() {
        let c = KeyCache::default();
        c.put(c.generation(), "h1".into(), row("key_1", "ten_a"));
        std::thread::sleep(FRESH_FOR + std::time::Duration::from_millis(20));
        assert!(c.get("h1").is_none());
    }
}
