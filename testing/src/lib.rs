//! The NovaBilling server inside a test process, for the SDKs' `testing`
//! packages (Python, Node, Kotlin): the production server on an in-memory
//! SQLite database, on `127.0.0.1:0`, one isolated instance per
//! [`TestServer`], started and stopped in milliseconds.
//!
//! On top of the real API it offers what a real service cannot: faults and
//! delays injected on chosen routes ([`faults`]), seeded ids and a stepping
//! clock for stable snapshots, keys of every kind, and the webhook deliveries
//! it made, captured and verified ([`capture`]).
//!
//! Modules import one way: `server` uses `faults` and `capture`; `surface`
//! describes the languages' classes over them (tests/testing-surface.json).

pub mod capture;
pub mod faults;
mod server;
pub mod surface;

pub use capture::Delivery;
/// A span of time as a binding hands it over, in its language's unit.
pub use novabilling::Span;
pub use faults::Fault;
pub use server::{Error, Options, TestServer};
