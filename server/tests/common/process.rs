//! The server binary as its own process: what a test needs when it kills the
//! server, signals it, or holds more connections than one process's files allow.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_novabilling-server");

pub struct ServerProcess {
    pub child: Child,
    /// What it printed up to `listening on`.
    pub lines: Vec<String>,
    pub url: String,
}

impl ServerProcess {
    /// Starts `serve --bind 127.0.0.1:0 ARGS` and reads stdout up to the `listening on` line.
    // The child is handed back inside `ServerProcess`, whose Drop waits for it.
    #[allow(clippy::zombie_processes)]
    pub fn start(args: &[&str]) -> ServerProcess {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn server");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = child.kill();
                let _ = child.wait();
                panic!("server exited before listening: {lines:?}");
            }
            let line = line.trim_end().to_owned();
            lines.push(line.clone());
            if let Some(url) = line.strip_prefix("listening on ") {
                let url = url.to_owned();
                return ServerProcess { child, lines, url };
            }
        }
    }

    /// The key `--dev` printed.
    pub fn dev_key(&self) -> String {
        self.lines.iter().find_map(|l| l.strip_prefix("dev key: ")).expect("started with --dev").to_owned()
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.url.trim_start_matches("http://").parse().expect("host:port")
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
    }

    /// SIGTERM, and its exit status within five seconds.
    pub fn stop(&mut self) -> ExitStatus {
        self.terminate();
        self.wait_exit(Duration::from_secs(5)).expect("the server did not stop on SIGTERM")
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
