//! The test server's surface, described once: what `LocalServer` (Python),
//! `TestServer` (Node, Kotlin) and their `webhooks` offer, with each
//! parameter. `tests/testing-surface.json` is this description as JSON; each
//! language's test-server suite checks its own classes against it, by the
//! spelling rules of docs/SURFACE.md (camelCase, `...Ms` durations and one
//! options object in Node, keyword-only optional parameters in Python).
//!
//! Each member that has a counterpart on [`TestServer`](crate::TestServer)
//! names it below, so a member listed here and gone from the crate fails to
//! compile.

use novabilling::surface::Param;
use serde::Serialize;

/// The whole test-server surface.
#[derive(Debug, Serialize)]
pub struct TestingSurface {
    /// What starting a server takes (all optional).
    pub start_options: Vec<Param>,
    /// The server's members.
    pub members: Vec<Member>,
    /// The members of its `webhooks`.
    pub webhooks: Vec<Member>,
    /// The fields of a captured delivery.
    pub captured_webhook: Vec<Param>,
}

/// A method (with parameters; a trailing `?` on a type: optional) or a
/// read-only property (`property: true`, its type in `returns`).
#[derive(Debug, Serialize)]
pub struct Member {
    pub name: &'static str,
    pub property: bool,
    pub params: Vec<Param>,
    pub returns: &'static str,
}

const fn p(name: &'static str, ty: &'static str) -> Param {
    Param { name, ty }
}

fn property(name: &'static str, returns: &'static str) -> Member {
    Member { name, property: true, params: Vec::new(), returns }
}

fn method(name: &'static str, params: Vec<Param>, returns: &'static str) -> Member {
    Member { name, property: false, params, returns }
}

/// The description.
pub fn testing_surface() -> TestingSurface {
    TestingSurface {
        start_options: vec![p("seed", "integer?"), p("capture_webhooks", "boolean?"), p("rate_limit", "integer?")],
        members: vec![
            property("base_url", "string"),
            property("api_key", "string"),
            // Each language's client also takes its other client options here.
            method("client", vec![p("api_key", "string?"), p("timeout", "duration?"), p("max_retries", "integer?")], "client"),
            method("reset", vec![], "void"),
            method(
                "fail_next",
                vec![
                    p("method", "string"),
                    p("path_pattern", "string"),
                    p("status", "integer"),
                    p("times", "integer?"),
                    p("retry_after", "integer?"),
                ],
                "void",
            ),
            method(
                "delay_next",
                vec![p("method", "string"), p("path_pattern", "string"), p("delay", "duration"), p("times", "integer?")],
                "void",
            ),
            method("restricted_key", vec![p("scopes", "list<string>")], "string"),
            method("ephemeral_key", vec![p("customer_id", "string"), p("ttl", "duration?")], "string"),
            method("close", vec![], "void"),
        ],
        webhooks: vec![
            property("url", "string?"),
            method("wait_for", vec![p("event_type", "string"), p("timeout", "duration?")], "CapturedWebhook"),
            method("all", vec![], "list<CapturedWebhook>"),
        ],
        captured_webhook: vec![
            p("event_id", "string"),
            p("type", "string"),
            p("body", "string"),
            p("headers", "headers"),
            p("verified", "boolean"),
        ],
    }
}

/// The description as the JSON text of `tests/testing-surface.json`.
pub fn testing_surface_json() -> String {
    let mut text = serde_json::to_string_pretty(&testing_surface()).unwrap_or_default();
    text.push('\n');
    text
}

/// The crate's counterpart of each member (`client` is each language's own).
#[cfg(test)]
#[allow(dead_code)]
fn counterparts() {
    use crate::TestServer;
    let _ = (TestServer::start, TestServer::base_url, TestServer::api_key, TestServer::reset, TestServer::fail_next);
    let _ = (TestServer::delay_next, TestServer::restricted_key, TestServer::ephemeral_key, TestServer::close);
    let _ = (TestServer::webhook_url, TestServer::wait_for_webhook, TestServer::webhook_deliveries);
    let _ = |d: crate::Delivery| (d.event_id, d.event_type, d.body, d.headers, d.verified);
    let _ = crate::Options { seed: None, capture_webhooks: true, rate_limit: 0 };
}
