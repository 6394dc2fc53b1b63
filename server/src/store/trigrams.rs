//! What a search asks SQLite's trigram index for. FTS5 reads the whole list
//! of rows of every trigram in a query, and some trigrams are in nearly every
//! row (a domain every email shares, a prefix of generated ids). Searching
//! "sur123" at a million customers who all have "sur" took 10 ms in FTS5
//! alone, against 0.4 ms when asked for only its rarer trigrams. So a search
//! asks for the rarest of its term's trigrams and those close to it, and
//! leaves the exact check to the `LIKE` that follows: the rows that hold a
//! subset of the term's trigrams include every row that holds the term.
//!
//! How many rows hold a trigram is counted once (up to [`COUNT_CAP`]) and
//! kept for [`FRESH_FOR`]: a stale count costs speed, never a result.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use sqlx::SqlitePool;

/// Rows counted at most for one trigram: common is common, and a count
/// never reads more than this (about 7 ms at a million customers).
const COUNT_CAP: i64 = 100_000;
/// How long a count is used before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(300);
/// Counts kept at most; past it, all are forgotten and read again.
const MOST: usize = 50_000;
/// A trigram joins the query when it is in at most this many times the
/// rows of the rarest, or in few rows anyway: each narrows the rows left to
/// check, at the price of reading its list.
const WITHIN: i64 = 8;
const FEW: i64 = 10_000;

/// Trigram counts of one database, shared by its clones.
#[derive(Default)]
pub struct TrigramCounts {
    counts: Mutex<HashMap<String, (Instant, i64)>>,
}

impl std::fmt::Debug for TrigramCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrigramCounts({} trigrams)", self.lock().len())
    }
}

impl TrigramCounts {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Instant, i64)>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The FTS5 query for `term` (lowercase, at least three characters): the
    /// stretches of the term whose trigrams are all worth reading, each a
    /// phrase, joined by AND (the whole term when all are).
    pub async fn match_expr(&self, read: &SqlitePool, term: &str) -> Result<String, sqlx::Error> {
        let mut grams: Vec<String> = trigrams(term);
        grams.sort_unstable();
        grams.dedup();
        if grams.len() < 2 {
            return Ok(quoted(term));
        }
        let counts = self.counts(read, &grams).await?;
        Ok(stretches(term, &choose(&counts)).iter().map(|s| quoted(s)).collect::<Vec<_>>().join(" AND "))
    }

    /// Each trigram with its count, read for those not counted lately.
    async fn counts(&self, read: &SqlitePool, grams: &[String]) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let known: Vec<Option<i64>> = {
            let counts = self.lock();
            grams.iter().map(|g| counts.get(g).filter(|(at, _)| at.elapsed() < FRESH_FOR).map(|&(_, n)| n)).collect()
        };
        let missing: Vec<&String> = grams.iter().zip(&known).filter(|(_, n)| n.is_none()).map(|(g, _)| g).collect();
        let mut read_now = Vec::new();
        if !missing.is_empty() {
            // One statement counts them all, each capped.
            let sql = (1..=missing.len())
                .map(|i| {
                    format!("(SELECT COUNT(*) FROM (SELECT 1 FROM customers_fts WHERE customers_fts MATCH ${i} LIMIT {COUNT_CAP}))")
                })
                .collect::<Vec<_>>()
                .join(", ");
            let row = missing.iter().fold(sqlx::query(&format!("SELECT {sql}")), |q, g| q.bind(quoted(g))).fetch_one(read).await?;
            read_now = (0..missing.len()).map(|i| sqlx::Row::try_get::<i64, _>(&row, i)).collect::<Result<_, _>>()?;
            let mut counts = self.lock();
            if counts.len() + missing.len() > MOST {
                counts.clear();
            }
            let now = Instant::now();
            for (g, &n) in missing.iter().zip(&read_now) {
                counts.insert((*g).clone(), (now, n));
            }
        }
        let mut fresh = read_now.into_iter();
        Ok(grams.iter().zip(known).map(|(g, n)| (g.clone(), n.or_else(|| fresh.next()).unwrap_or(COUNT_CAP))).collect())
    }
}

/// The trigrams of `s`, in order, as FTS5's trigram tokenizer cuts them (by character).
fn trigrams(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// The longest pieces of `term` whose every trigram is in `kept`: as phrases
/// they match where those trigrams stand together, which their trigrams
/// joined by AND would not require.
fn stretches(term: &str, kept: &[&str]) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, gram) in trigrams(term).iter().enumerate() {
        match (kept.contains(&gram.as_str()), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(chars[s..i + 2].iter().collect());
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(chars[s..].iter().collect());
    }
    out.dedup();
    out
}

/// The trigrams worth reading: the rarest, and each within [`WITHIN`] of it
/// or under [`FEW`]. A trigram counted to the cap may be in any number of
/// rows beyond it: it is read only when all are.
fn choose(counts: &[(String, i64)]) -> Vec<&str> {
    let rarest = counts.iter().map(|&(_, n)| n).min().unwrap_or(0);
    let bar = if rarest >= COUNT_CAP { COUNT_CAP } else { rarest.saturating_mul(WITHIN).clamp(FEW, COUNT_CAP - 1) };
    counts.iter().filter(|&&(_, n)| n <= bar).map(|(g, _)| g.as_str()).collect()
}

/// `s` as one FTS5 string (a phrase of its trigrams).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::{COUNT_CAP, choose, quoted, stretches, trigrams};

    fn counts(c: &[(&str, i64)]) -> Vec<(String, i64)> {
        c.iter().map(|&(g, n)| (g.to_owned(), n)).collect()
    }

    #[test]
    fn the_common_trigrams_are_left_to_like() {
        let c = counts(&[("100", 4_998), ("r10", 21_000), ("sur", 100_000), ("ur1", 100_000)]);
        assert_eq!(choose(&c), ["100", "r10"]);
    }

    #[test]
    fn trigrams_in_few_rows_are_all_kept() {
        let c = counts(&[("abc", 3), ("bcd", 9_000), ("cde", 10_000)]);
        assert_eq!(choose(&c), ["abc", "bcd", "cde"]);
    }

    #[test]
    fn a_trigram_counted_to_the_cap_is_left_out_even_near_a_common_rarest() {
        let c = counts(&[("abc", 20_000), ("bcd", 90_000), ("sur", 100_000)]);
        assert_eq!(choose(&c), ["abc", "bcd"]);
    }

    #[test]
    fn when_every_trigram_is_common_all_are_kept() {
        let c = counts(&[("com", COUNT_CAP), ("exa", COUNT_CAP)]);
        assert_eq!(choose(&c), ["com", "exa"]);
    }

    #[test]
    fn the_kept_trigrams_are_asked_for_as_the_stretches_they_cover() {
        assert_eq!(stretches("sur123", &["r12", "123"]), ["r123"]);
        assert_eq!(stretches("vokakand", &["vok", "oka", "kak", "aka"]), ["vokaka"]);
        assert_eq!(stretches("abcxyzabc", &["abc", "xyz"]), ["abc", "xyz", "abc"]);
        assert_eq!(stretches("abcdef", &["abc", "bcd", "cde", "def"]), ["abcdef"]);
    }

    #[test]
    fn trigrams_are_cut_by_character_and_quoted_for_fts5() {
        assert_eq!(trigrams("ñab\""), ["ñab", "ab\""]);
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
