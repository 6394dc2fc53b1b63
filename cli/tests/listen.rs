//! `novabilling events` and `novabilling listen --forward-to` against the
//! project's server: new events reach a receiver on loopback signed as real
//! deliveries, older ones do not, and a receiver's failure is reported.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

fn novabilling(server: &common::Server, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_novabilling"));
    c.args(args).env("NOVABILLING_API_KEY", &server.key).env("NOVABILLING_BASE_URL", &server.url).stdin(Stdio::null());
    c
}

fn json(server: &common::Server, args: &[&str]) -> Value {
    let out = novabilling(server, args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One request a receiver got: its headers (lowercased names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A receiver on loopback that answers each request with the next of
/// `statuses` (then 200) and hands what it got to the test.
fn receiver(statuses: Vec<u16>) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((k, v)) = line.trim_end().split_once(':') else { break };
                headers.push((k.to_ascii_lowercase(), v.trim().to_owned()));
            }
            let length = headers.iter().find(|(k, _)| k == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = statuses.next().unwrap_or(200);
            let answer = if status == 200 { "ok" } else { "receiver broke" };
            write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len()).unwrap();
            if tx.send(Received { headers, body }).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

/// `listen` started, and the secret it said it signs with.
fn listen(server: &common::Server, args: &[&str]) -> (Child, String, BufReader<std::process::ChildStdout>) {
    let mut child = novabilling(server, &[&["listen", "--interval", "0.1", "--format", "ndjson"], args].concat())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut ready = String::new();
    stderr.read_line(&mut ready).unwrap();
    assert!(ready.starts_with("Ready."), "{ready}");
    let secret = ready.split_whitespace().find(|w| w.starts_with("whsec_")).expect("a secret in the ready line").to_owned();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, secret, stdout)
}

fn next_line(stdout: &mut BufReader<std::process::ChildStdout>) -> Value {
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"))
}

fn create(server: &common::Server, tag: &str) -> String {
    let id = format!("{tag}_{}", common::rand_suffix());
    let c = json(server, &["customers", "create", "--external-id", &id, "--email", &format!("{id}@example.com")]);
    c["id"].as_str().unwrap().to_owned()
}

#[test]
fn listen_forwards_new_events_signed_as_deliveries() {
    let server = common::Server::start();
    let before = create(&server, "before");
    // The first forward finds the receiver broken; listen says so and goes on.
    let (url, got) = receiver(vec![500]);
    let (mut child, secret, mut stdout) = listen(&server, &["--forward-to", &url, "--events", "customer.created,customer.deleted"]);

    let first = create(&server, "after");
    let second = create(&server, "later");
    json(&server, &["customers", "update", &second, "--name", "Not forwarded"]);
    json(&server, &["customers", "delete", &second, "--yes"]);
    let mut forwarded = Vec::new();
    for _ in 0..3 {
        let r = got.recv_timeout(Duration::from_secs(20)).expect("a forwarded event");
        let event = novabilling::webhooks::verify(&r.body, &r.headers, &[&secret], Duration::from_secs(60)).unwrap();
        let id_header = r.headers.iter().find(|(k, _)| k == "webhook-id").map(|(_, v)| v.clone());
        assert_eq!(id_header.as_deref(), Some(event.id.as_str()), "a delivery's id is its event's");
        forwarded.push((event.event_type, event.customer.unwrap().id));
    }
    let want = [("customer.created", &first), ("customer.created", &second), ("customer.deleted", &second)];
    let forwarded: Vec<_> = forwarded.iter().map(|(t, c)| (t.as_str(), c)).collect();
    assert_eq!(forwarded, want, "oldest first; nothing from before it started ({before}), no customer.updated");

    let lines: Vec<Value> = (0..3).map(|_| next_line(&mut stdout)).collect();
    assert_eq!((lines[0]["status"].as_u64(), lines[0]["ok"].as_bool()), (Some(500), Some(false)));
    assert_eq!(lines[0]["detail"], "receiver broke");
    assert_eq!((lines[1]["status"].as_u64(), lines[1]["ok"].as_bool(), &lines[1]["type"]), (Some(200), Some(true), &Value::from("customer.created")));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn listen_refuses_a_url_it_cannot_post_to_before_any_request() {
    let server = common::Server::start();
    let out = novabilling(&server, &["listen", "--forward-to", "ftp://localhost/hooks", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["errors"][0]["field"], "forward_to");
    let out = novabilling(&server, &["listen", "--forward-to", "http://localhost:1/", "--secret", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("whsec_"), "says what a secret looks like");
}

#[test]
fn events_list_and_get_show_events_as_delivered() {
    let server = common::Server::start();
    let id = create(&server, "events");
    let page = json(&server, &["events", "list", "--customer-id", &id, "--type", "customer.created"]);
    assert_eq!(page["meta"]["total"], 1);
    let event = &page["data"][0];
    assert_eq!((&event["type"], &event["data"]["customer"]["id"]), (&Value::from("customer.created"), &Value::from(id.as_str())));
    let again = json(&server, &["events", "get", event["id"].as_str().unwrap()]);
    assert_eq!(&again, event);
    let out = novabilling(&server, &["events", "list", "--type", "Customer Created", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "refused before any request");
}
