//! A span of time as Kotlin (`java.time.Duration`) and Swift (`TimeInterval`)
//! hold it, crossing as a number of seconds. uniffi's own Duration rejects a
//! negative value in the foreign language (Swift stops the app with a
//! fatalError); as a number it reaches core, which reports it like every
//! other language's.

use novabilling::Span;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub f64);

uniffi::custom_type!(Seconds, f64, {
    lower: |s| s.0,
    try_lift: |v| Ok(Seconds(v)),
});

impl Seconds {
    pub fn span(self) -> Span {
        Span::Seconds(self.0)
    }
}

impl From<std::time::Duration> for Seconds {
    fn from(d: std::time::Duration) -> Self {
        Seconds(d.as_secs_f64())
    }
}
