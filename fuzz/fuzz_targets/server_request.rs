//! The server's parsing of every route's path, query, headers and body: whole
//! requests through the real router on SQLite, in process. Input: a request
//! line (`METHOD TARGET`), header lines, a blank line, the body. A `{...}`
//! segment of the target becomes the id of an existing resource of the
//! route's kind (`{externalId}`: a customer's external id), so mutated bodies
//! reach the handlers. Every answer is below 500, and every error is the JSON
//! error body with its `statusCode` and `code`; a panic or a 5xx is a bug.
#![no_main]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use libfuzzer_sys::fuzz_target;
use novabilling_server::ratelimit::RateLimiter;
use novabilling_server::ssrf::Guard;
use novabilling_server::{AppState, Db, app, dev_key};
use tower::ServiceExt;

/// Requests served by one database before the next starts empty, so a long
/// run's creates do not grow it without end.
const REQUESTS_PER_DATABASE: u32 = 20_000;

struct Server {
    router: Router,
    key: String,
    /// Route prefix (`/api/customers`) to an id that exists under it.
    ids: HashMap<&'static str, String>,
    external_id: String,
    served: u32,
    file: PathBuf,
}

static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> =
    std::sync::LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());
static SERVER: Mutex<Option<Server>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let Some((method, target, headers, body)) = split(data) else { return };
    let mut slot = SERVER.lock().unwrap();
    if slot.as_ref().is_none_or(|s| s.served >= REQUESTS_PER_DATABASE) {
        if let Some(old) = slot.take() {
            let _ = std::fs::remove_file(&old.file);
        }
        *slot = Some(RUNTIME.block_on(Server::start()));
    }
    let server = slot.as_mut().unwrap();
    server.served += 1;
    let target = server.fill(target);
    let Ok(mut req) = Request::builder().method(method.clone()).uri(&target).body(Body::from(body.to_vec())) else { return };
    req.headers_mut().insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {}", server.key)).unwrap());
    for (name, value) in headers {
        req.headers_mut().insert(name, value);
    }
    let (status, body) = RUNTIME.block_on(async {
        let resp = server.router.clone().oneshot(req).await.unwrap();
        (resp.status(), to_bytes(resp.into_body(), usize::MAX).await.unwrap())
    });
    let said = || format!("{method} {target} -> {status}: {}", String::from_utf8_lossy(&body));
    assert!(status.as_u16() < 500, "{}", said());
    if status.is_client_error() {
        let e: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("not JSON: {}", said()));
        assert_eq!(e["statusCode"].as_u64(), Some(u64::from(status.as_u16())), "{}", said());
        assert!(e["code"].as_str().is_some_and(|c| !c.is_empty()), "{}", said());
    }
});

/// The request line, the headers that are valid ones, and the body.
fn split(data: &[u8]) -> Option<(Method, &str, Vec<(HeaderName, HeaderValue)>, &[u8])> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &data[data.len()..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split('\n');
    let (method, target) = lines.next()?.split_once(' ')?;
    let method = Method::from_bytes(method.as_bytes()).ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .filter_map(|(k, v)| Some((HeaderName::from_bytes(k.trim().as_bytes()).ok()?, HeaderValue::from_str(v.trim()).ok()?)))
        .collect();
    Some((method, target, headers, body))
}

impl Server {
    /// The router on a new SQLite file, with one resource of each kind.
    async fn start() -> Server {
        let dir = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let file = dir.join(format!("novabilling-fuzz-{}-{}.db", std::process::id(), novabilling_server::clock::now_ms()));
        let db = Db::connect(&format!("sqlite://{}", file.display())).await.unwrap();
        let key = dev_key(&db, None).await.unwrap();
        let state = AppState {
            limiter: Arc::new(RateLimiter::new(0, &db)),
            ssrf: Arc::new(Guard::default()),
            secret_grace: Duration::from_secs(3600),
            outbox: Arc::new(tokio::sync::Notify::new()),
            db,
        };
        let mut server = Server {
            router: app(state, Duration::from_secs(30)),
            key,
            ids: HashMap::new(),
            external_id: "fuzz_ext".into(),
            served: 0,
            file,
        };
        let customer = server.setup("POST", "/api/customers", r#"{"externalId":"fuzz_ext","email":"fuzz@example.com"}"#).await;
        let sub = format!(r#"{{"customerId":"{customer}","planId":"pro"}}"#);
        let subscription = server.setup("POST", "/api/subscriptions", &sub).await;
        let inv = format!(r#"{{"customerId":"{customer}","amount":19.99,"currency":"EUR"}}"#);
        let invoice = server.setup("POST", "/api/invoices", &inv).await;
        let endpoint = server.setup("POST", "/api/webhook-endpoints", r#"{"url":"https://hooks.example.com/fuzz"}"#).await;
        let key_id = server.setup("POST", "/api/keys", r#"{"scopes":["customers:read"]}"#).await;
        let ephemeral = server.setup("POST", "/api/ephemeral-keys", &format!(r#"{{"customerId":"{customer}"}}"#)).await;
        let events = server.call("GET", "/api/events?limit=1", "").await;
        let event = events["data"][0]["id"].as_str().expect("an event of the setup").to_owned();
        server.ids = HashMap::from([
            ("/api/customers", customer),
            ("/api/subscriptions", subscription),
            ("/api/invoices", invoice),
            ("/api/webhook-endpoints", endpoint),
            ("/api/keys", key_id),
            ("/api/ephemeral-keys", ephemeral),
            ("/api/events", event),
        ]);
        server
    }

    /// Makes a resource through the API and returns its id.
    async fn setup(&self, method: &str, path: &str, body: &str) -> String {
        let v = self.call(method, path, body).await;
        v["id"].as_str().unwrap_or_else(|| panic!("setup {method} {path}: {v}")).to_owned()
    }

    async fn call(&self, method: &str, path: &str, body: &str) -> serde_json::Value {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        serde_json::from_slice(&to_bytes(resp.into_body(), usize::MAX).await.unwrap()).unwrap()
    }

    /// `target` with each `{...}` segment replaced by an id that exists.
    fn fill(&self, target: &str) -> String {
        if !target.contains('{') {
            return target.to_owned();
        }
        let prefix = self.ids.keys().filter(|p| target.starts_with(**p)).max_by_key(|p| p.len());
        let id = prefix.map_or("", |p| self.ids[p].as_str());
        target.replace("{externalId}", &self.external_id).replace("{id}", id)
    }
}
