//! Durations as the CLI writes them (`0`, `100ms`, `5s`, `5m`, `2h`, `7d`) and
//! the retry schedule: when each attempt of a message is due.

use std::time::Duration;

use rand::Rng;

/// `5s`, `100ms`, `5m`, `2h`, `7d`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("{t:?} is not a duration like 500ms, 5s, 5m, 2h or 7d"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return Err(format!("{t:?}: unknown unit {unit:?} (ms, s, m, h or d)")),
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{t:?}: {e}"))
}

/// `0,5s,5m,...`: the delay before each attempt, the first counted from the event.
pub fn parse_schedule(text: &str) -> Result<Vec<Duration>, String> {
    let s: Vec<Duration> = text.split(',').map(parse_duration).collect::<Result<_, _>>()?;
    if s.is_empty() { Err("the retry schedule needs at least one attempt".into()) } else { Ok(s) }
}

/// A parsed `--webhook-retry-schedule` (a type of its own, so clap takes it as one value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule(pub Vec<Duration>);

/// [`parse_schedule`] for clap.
pub fn parse_retry_schedule(text: &str) -> Result<RetrySchedule, String> {
    parse_schedule(text).map(RetrySchedule)
}

/// The default: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
pub fn default_schedule() -> Vec<Duration> {
    [0, 5, 300, 1800, 7200, 18000, 36000, 36000].into_iter().map(Duration::from_secs).collect()
}

/// `d` give or take 20 %, so that endpoints that failed together are not all
/// retried in the same instant.
pub fn jitter(d: Duration) -> Duration {
    if d.is_zero() {
        return d;
    }
    d.mul_f64(rand::rng().random_range(0.8..=1.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse_duration("100ms"), Ok(Duration::from_millis(100)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(parse_schedule("0,5s,5m,30m,2h,5h,10h,10h"), Ok(default_schedule()));
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        for _ in 0..100 {
            let j = jitter(Duration::from_secs(10));
            assert!(j >= Duration::from_secs(8) && j <= Duration::from_secs(12));
        }
    }
}
