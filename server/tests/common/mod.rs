//! Starts the server in process on 127.0.0.1:0, against a fresh SQLite file, or
//! against PostgreSQL when NOVABILLING_TEST_DATABASE_URL is set (each test makes
//! its own tenants, so tests never see each other's data).
#![allow(dead_code)]

pub mod process;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use novabilling_server::store::keys;
use novabilling_server::{RunningServer, ServeOptions};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    )
}

pub fn is_postgres() -> bool {
    std::env::var("NOVABILLING_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// A database URL for one test, and the SQLite file to remove afterwards.
pub fn database() -> (String, Option<PathBuf>) {
    match std::env::var("NOVABILLING_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => (u, None),
        _ => {
            let path = std::env::temp_dir().join(format!("{}.db", unique("novabilling-test")));
            (format!("sqlite://{}", path.display()), Some(path))
        }
    }
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub url: String,
    pub key: String,
    pub client: reqwest::Client,
    pub db_file: Option<PathBuf>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }
    /// Asserts an error response: status, code, and the shape of the error body.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) -> &Self {
        self.expect(status);
        assert_eq!(self.code(), code, "unexpected code; body: {}", self.text);
        assert_eq!(self.body["statusCode"], json!(status), "body: {}", self.text);
        assert!(self.body["message"].as_str().is_some_and(|m| !m.is_empty()), "body: {}", self.text);
        let rid = self.header("x-request-id").expect("X-Request-Id header");
        assert_eq!(self.body["requestId"], json!(rid), "body: {}", self.text);
        assert!(self.body["timestamp"].as_str().is_some(), "body: {}", self.text);
        assert!(self.body["path"].as_str().is_some_and(|p| p.starts_with('/')), "body: {}", self.text);
        self
    }
    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("id").to_owned()
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(f: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .with_test_writer()
            .try_init();
        let (database, db_file) = database();
        let mut opts = ServeOptions {
            bind: "127.0.0.1:0".into(),
            database,
            dev: false,
            dev_key_file: None,
            rate_limit: 0,
            webhooks: novabilling_server::WebhookOptions::default(),
            connections: novabilling_server::ConnectionLimits::default(),
            migrations: novabilling_server::db::Migrations::Apply,
            wrap: None,
            purge: true,
            admin: true,
        };
        f(&mut opts);
        let server = novabilling_server::start(opts).await.expect("server starts");
        let (_, key) = keys::create_tenant_with_key(&server.state.db, &unique("tenant"), true).await.expect("tenant");
        let url = server.url();
        let client = http_client().pool_max_idle_per_host(64).build().unwrap();
        TestServer { server: Some(server), url, key, client, db_file }
    }

    /// A server on a database of its own. On PostgreSQL the test servers
    /// otherwise share one database, and with it one webhook outbox: another
    /// test's server, with other delivery settings, could take this one's
    /// deliveries. (On SQLite every test server has its own file anyway.)
    pub async fn start_alone_with(f: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let own = own_postgres_database().await;
        Self::start_with(|o| {
            if let Some(url) = own {
                o.database = url;
            }
            f(o);
        })
        .await
    }

    /// A key of a new, separate tenant.
    pub async fn other_tenant_key(&self) -> String {
        let s = self.server.as_ref().unwrap();
        keys::create_tenant_with_key(&s.state.db, &unique("tenant"), true).await.unwrap().1
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{}", self.url, path)).bearer_auth(&self.key)
    }

    pub async fn send(rb: reqwest::RequestBuilder) -> Resp {
        let r = rb.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, body, text }
    }

    pub async fn get(&self, path: &str) -> Resp {
        Self::send(self.request(Method::GET, path)).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        Self::send(self.request(Method::POST, path).json(&body)).await
    }
    pub async fn post_empty(&self, path: &str) -> Resp {
        Self::send(self.request(Method::POST, path)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        Self::send(self.request(Method::PATCH, path).json(&body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        Self::send(self.request(Method::DELETE, path)).await
    }

    /// Creates a customer with a fresh externalId and email; returns the body.
    pub async fn customer(&self, extra: Value) -> Value {
        let n = unique("c");
        let mut body = json!({ "externalId": format!("user-{n}"), "email": format!("{n}@example.com") });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let r = self.post("/api/customers", body).await;
        r.expect(201);
        r.body
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.expect("clean shutdown");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(p) = &self.db_file {
            remove_sqlite_file(p);
        }
    }
}

fn remove_sqlite_file(p: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
}

/// On PostgreSQL, a new database in the test cluster (its URL); None on SQLite.
pub async fn own_postgres_database() -> Option<String> {
    use sqlx::Connection;
    let url = std::env::var("NOVABILLING_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    let name = unique("nbt").replace('-', "_");
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create a database");
    let (base, _) = url.rsplit_once('/').expect("a database URL ends in /NAME");
    Some(format!("{base}/{name}"))
}

/// A database for a server process: its URL, and on SQLite a file removed when dropped.
pub struct TestDb {
    pub url: String,
    file: Option<PathBuf>,
}

impl TestDb {
    pub fn new() -> TestDb {
        let (url, file) = database();
        TestDb { url, file }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(p) = &self.file {
            remove_sqlite_file(p);
        }
    }
}

/// A reqwest client builder for the tests. reqwest is built without a TLS
/// provider of its own (core gives it ring's explicitly), so the tests name
/// the process's once; they speak plain HTTP anyway.
pub fn http_client() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}
