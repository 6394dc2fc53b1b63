#![allow(dead_code)]
//! Test support: the project's server as a child process, and a responder
//! that answers with given bytes (for the shapes of servers we cannot run here).

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn server_bin() -> PathBuf {
    if let Ok(p) = std::env::var("NOVABILLING_SERVER_BIN") {
        return p.into();
    }
    let root = workspace_root();
    for dir in ["target/x86_64-unknown-linux-gnu/debug", "target/debug"] {
        let p = root.join(dir).join("novabilling-server");
        if p.exists() {
            return p;
        }
    }
    panic!("the server binary is missing: run `cargo build -p novabilling-server` (or set NOVABILLING_SERVER_BIN)");
}

/// The project's server on a free loopback port, on a fresh SQLite file or on
/// `NOVABILLING_TEST_DATABASE_URL` when set; killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    pub key: String,
    /// Holds the database directory until the server is dropped.
    dir: TempDir,
    /// Its database, which [`Server::replica`] shares.
    pub db: String,
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("novabilling-{tag}-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{}", t, N.fetch_add(1, Ordering::Relaxed))
}

impl Server {
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Server {
        let dir = TempDir::new("server");
        let db = std::env::var("NOVABILLING_TEST_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}", dir.0.join("test.db").display()));
        let (child, url) = spawn(&db, &dir, extra);
        let key_file = dir.0.join("dev-key");
        let key = std::fs::read_to_string(&key_file).expect("the dev key file").trim().to_owned();
        // On a shared PostgreSQL the dev tenant is shared too; a tenant per server keeps tests apart.
        let key = if std::env::var("NOVABILLING_TEST_DATABASE_URL").is_ok() {
            let out = Command::new(server_bin())
                .args(["keys", "create", "--tenant", &format!("t{}", rand_suffix()), "--database", &db])
                .output()
                .expect("create a key");
            assert!(out.status.success(), "keys create: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        } else {
            key
        };
        Server { child, url, key, dir, db }
    }

    /// Another server process on the same database, for the same tenant.
    pub fn replica(&self, extra: &[&str]) -> Server {
        let dir = TempDir::new("replica");
        let (child, url) = spawn(&self.db, &dir, extra);
        Server { child, url, key: self.key.clone(), dir, db: self.db.clone() }
    }

    pub fn client(&self) -> novabilling::Client {
        novabilling::Client::builder().token(&self.key).base_url(&self.url).build().unwrap()
    }

    pub fn new_tenant_key(&self) -> String {
        let out = Command::new(server_bin())
            .args(["keys", "create", "--tenant", &format!("t{}", rand_suffix()), "--database", &self.db])
            .output()
            .expect("create a key");
        assert!(out.status.success(), "keys create: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}

/// `serve --dev` on `db`, its dev key in `dir`; the child and the URL it listens on.
// The child is handed back to a `Server`, whose Drop waits for it.
#[allow(clippy::zombie_processes)]
fn spawn(db: &str, dir: &TempDir, extra: &[&str]) -> (Child, String) {
    let key_file = dir.0.join("dev-key");
    let mut child = Command::new(server_bin())
        .args(["serve", "--bind", "127.0.0.1:0", "--database", db, "--dev", "--dev-key-file"])
        .arg(&key_file)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().unwrap();
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read the server's output");
        if let Some(rest) = line.strip_prefix("listening on ") {
            url = Some(rest.trim().to_owned());
            break;
        }
    }
    let url = url.expect("the server exited before it listened");
    (child, url)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (to provoke timeouts).
    pub delay: Duration,
    /// Close the connection without answering.
    pub hang_up: bool,
    /// Announce this many bytes more than the body has, then close: a cut-off body.
    pub short_by: usize,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::raw(status, vec![("content-type".into(), "application/json".into())], body.to_string().into_bytes())
    }
    pub fn raw(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Reply {
        Reply { status, headers, body, delay: Duration::ZERO, hang_up: false, short_by: 0 }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn hang_up() -> Reply {
        Reply { hang_up: true, ..Reply::raw(0, vec![], vec![]) }
    }
    pub fn cut_short(mut self) -> Reply {
        self.short_by = 10;
        self
    }
    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

/// What the client sent.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Answers each request with the next queued reply (the last one repeats).
#[derive(Clone)]
pub struct Canned {
    pub url: String,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Canned {
    pub async fn start(replies: Vec<Reply>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let c = Canned { url, replies: Arc::new(Mutex::new(replies.into())), seen: Arc::default() };
        let this = c.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                let this = this.clone();
                tokio::spawn(async move {
                    let Some(seen) = read_request(&mut sock).await else { return };
                    this.seen.lock().unwrap().push(seen);
                    let reply = {
                        let mut q = this.replies.lock().unwrap();
                        if q.len() > 1 { q.pop_front().unwrap() } else { q.front().cloned().unwrap() }
                    };
                    tokio::time::sleep(reply.delay).await;
                    if reply.hang_up {
                        return;
                    }
                    let mut head = format!("HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n", reply.status, reply.body.len() + reply.short_by);
                    for (k, v) in &reply.headers {
                        let _ = write!(head, "{k}: {v}\r\n");
                    }
                    head.push_str("\r\n");
                    let _ = sock.write_all(head.as_bytes()).await;
                    let _ = sock.write_all(&reply.body).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        c
    }

    pub fn client(&self) -> novabilling::ClientBuilder {
        novabilling::Client::builder()
            .token("sk_test_0000000000000000000000000000000000000000000000000000000000000000")
            .base_url(&self.url)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen { method, target, headers, body })
}
