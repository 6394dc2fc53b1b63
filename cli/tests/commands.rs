//! Every command of `novabilling` against the project's server (a child
//! process, on SQLite, or on PostgreSQL in the second pass): its output for
//! programs and for people, its errors on stderr and its exit codes.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

/// `novabilling` with the server's key and URL in its environment, as a user configures it.
struct Cli {
    key: String,
    url: String,
}

impl Cli {
    fn of(server: &common::Server) -> Cli {
        Cli { key: server.key.clone(), url: server.url.clone() }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_novabilling"));
        c.args(args)
            .env("NOVABILLING_API_KEY", &self.key)
            .env("NOVABILLING_BASE_URL", &self.url)
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run novabilling")
    }

    /// Runs with `stdin` fed in.
    fn run_with_stdin(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut child = self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    /// The JSON it printed (stdout is a pipe, so JSON by default); exit 0 required.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {}", text(&out.stdout)))
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The failure's exit code and its JSON error object on stderr (`--format json`).
fn failure(out: &Output) -> (i32, Value) {
    assert!(out.stdout.is_empty(), "data on stdout of a failure: {}", text(&out.stdout));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|_| panic!("stderr is not JSON: {}", text(&out.stderr)));
    (out.status.code().unwrap(), err["error"].clone())
}

#[test]
fn customers_from_create_to_delete_in_json() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let run = common::rand_suffix();
    let ext = format!("cli_{run}");
    let email = format!("{ext}@example.com");

    let created = cli.json(&[
        "customers", "create", "--external-id", &ext, "--email", &email, "--name", "Ada Lovelace", "--country", "gb",
        "--metadata", "plan=pro", "--metadata", "seats=3",
    ]);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["country"], "GB", "core normalizes, as in every SDK");
    assert_eq!(created["metadata"], json!({ "plan": "pro", "seats": "3" }));

    assert_eq!(cli.json(&["customers", "get", &id])["email"], email.as_str());
    assert_eq!(cli.json(&["customers", "get-by-external-id", &ext])["id"], id.as_str());

    // --metadata replaces the whole object.
    let updated = cli.json(&["customers", "update", &id, "--name", "Ada King", "--metadata", "plan=team"]);
    assert_eq!((updated["name"].as_str(), &updated["metadata"]), (Some("Ada King"), &json!({ "plan": "team" })));

    // The body from a file (here stdin), as the API takes it; null clears.
    let out = cli.run_with_stdin(&["customers", "update", &id, "--json", "-"], br#"{"name": null, "currency": "eur"}"#);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((&v["name"], v["currency"].as_str()), (&Value::Null, Some("EUR")));

    // A stale ETag is the API's 412, exit 1.
    let stale = cli.run(&["--format", "json", "customers", "update", &id, "--name", "x", "--if-match", "\"0\""]);
    let (code, err) = failure(&stale);
    assert_eq!((code, err["status"].as_u64(), err["type"].as_str()), (1, Some(412), Some("PreconditionFailed")), "{err}");

    let listed = cli.json(&["customers", "list", "--search", &ext, "--limit", "5"]);
    assert_eq!(listed["meta"]["total"], 1);
    assert_eq!(listed["data"][0]["id"], id.as_str());

    // Not deleted without --yes when nobody can be asked.
    let refused = cli.run(&["--format", "json", "customers", "delete", &id]);
    let (code, err) = failure(&refused);
    assert_eq!((code, err["type"].as_str()), (2, Some("Usage")), "{err}");
    assert!(err["message"].as_str().unwrap().contains("--yes"));
    assert_eq!(cli.json(&["customers", "delete", &id, "--yes"])["deleted"], true);

    let gone = cli.run(&["--format", "json", "customers", "get", &id]);
    let (code, err) = failure(&gone);
    assert_eq!((code, err["status"].as_u64(), err["code"].as_str()), (1, Some(404), Some("not_found")));
    assert!(err["requestId"].as_str().is_some_and(|r| r.starts_with("req_")), "the request id: {err}");
}

#[test]
fn every_page_as_json_and_as_ndjson() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let run = common::rand_suffix();
    for i in 0..7 {
        let ext = format!("page_{run}_{i}");
        cli.json(&["customers", "create", "--external-id", &ext, "--email", &format!("{ext}@example.com")]);
    }
    let all = cli.json(&["customers", "list", "--search", &format!("page_{run}"), "--limit", "3", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 7, "--all: every page, as one array");

    let out = cli.run(&["--format", "ndjson", "customers", "list", "--search", &format!("page_{run}"), "--limit", "3", "--all"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 7, "a customer a line");
    let mut ids: Vec<_> = lines.iter().map(|c| c["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 7, "none twice");
}

#[test]
fn a_table_for_people() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let ext = format!("table_{}", common::rand_suffix());
    cli.json(&["customers", "create", "--external-id", &ext, "--email", &format!("{ext}@example.com"), "--name", "Grace Hopper"]);
    let out = cli.run(&["--format", "table", "customers", "list", "--search", &ext]);
    let t = text(&out.stdout);
    assert!(t.contains("EXTERNAL ID") && t.contains(&ext) && t.contains("Grace Hopper"), "{t}");
    assert!(t.trim_end().ends_with("page 1 of 1, 1 in all"), "{t}");
    // An error for people: lines, the request id among them.
    let out = cli.run(&["--format", "table", "customers", "get", "cust_missing"]);
    let e = text(&out.stderr);
    assert!(e.starts_with("error: ") && e.contains("status: 404 not_found") && e.contains("request id: req_"), "{e}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn stripe_import_then_bind_the_unresolved() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let run = common::rand_suffix();
    let export: Vec<Value> = (0..5)
        .map(|i| json!({ "id": format!("cus_{run}{i}"), "object": "customer", "email": format!("s{i}_{run}@example.com"), "name": format!("Stripe {i}") }))
        .collect();
    let file = common::TempDir::new("cli-import");
    let path = file.0.join("export.json");
    // Stripe's list object, as its API returns it.
    std::fs::write(&path, json!({ "object": "list", "data": export, "has_more": false }).to_string()).unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(cli.json(&["customers", "import-stripe", path, "--batch", "2"]), json!({ "created": 5, "skipped": 0 }));
    assert_eq!(cli.json(&["customers", "import-stripe", path]), json!({ "created": 0, "skipped": 5 }), "once only");

    let unresolved = cli.json(&["customers", "unresolved", "--all"]);
    let mine: Vec<&Value> = unresolved.as_array().unwrap().iter().filter(|c| c["email"].as_str().unwrap().ends_with(&format!("_{run}@example.com"))).collect();
    assert_eq!(mine.len(), 5);
    let id = mine[0]["id"].as_str().unwrap();
    let user = format!("user_{run}");
    assert_eq!(cli.json(&["customers", "bind", id, "--external-id", &user])["externalId"], user.as_str());
    // A binding is once: a second one is the API's conflict.
    let again = cli.run(&["--format", "json", "customers", "bind", id, "--external-id", &format!("other_{run}")]);
    assert_eq!(failure(&again).0, 1);

    let not_export = cli.run_with_stdin(&["--format", "json", "customers", "import-stripe", "-"], b"{\"customers\": 1}");
    assert_eq!(failure(&not_export).0, 2);
}

#[test]
fn bad_input_is_refused_before_any_request() {
    // Nothing listens at this address: an error other than a connection error
    // shows that no request was made.
    let nowhere = common::Server::start();
    let cli = Cli::of(&nowhere);
    let cases: [&[&str]; 4] = [
        &["customers", "create", "--external-id", "x1", "--email", "not-an-email"],
        &["customers", "list", "--status", "sleeping"],
        &["customers", "list", "--limit", "1000"],
        &["customers", "update", "cust_1", "--country", "Narnia"],
    ];
    drop(nowhere);
    for args in cases {
        let out = cli.command(&[&["--format", "json", "--max-retries", "0"], args].concat()).output().unwrap();
        let (code, err) = failure(&out);
        assert_eq!((code, err["type"].as_str()), (2, Some("Validation")), "{args:?}: {err}");
        assert!(err["errors"][0]["field"].is_string(), "names the field: {err}");
    }
    // A usage error of the command line itself: clap's, exit 2.
    assert_eq!(cli.run(&["customers", "frobnicate"]).status.code(), Some(2));
    // Nothing to change.
    let (code, _) = failure(&cli.run(&["--format", "json", "customers", "update", "cust_1"]));
    assert_eq!(code, 2);
}

#[test]
fn a_key_the_server_does_not_know_is_the_apis_401() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let unknown = novabilling::keys::compose(novabilling::keys::KeyKind::Secret, false, "0123456789abcdefghijklmnopqrstuv");
    let mut c = cli.command(&["--format", "json", "customers", "list"]);
    c.env("NOVABILLING_API_KEY", &unknown);
    let (code, err) = failure(&c.output().unwrap());
    assert_eq!((code, err["status"].as_u64(), err["type"].as_str()), (1, Some(401), Some("Authentication")), "{err}");
    // A mistyped key (its checksum is wrong) is refused before any request.
    let mistyped = format!("{}x", &unknown[..unknown.len() - 1]);
    let (code, err) = failure(&cli.command(&["--format", "json", "--api-key", &mistyped, "customers", "list"]).output().unwrap());
    assert_eq!((code, err["type"].as_str()), (2, Some("Validation")), "{err}");
}

#[test]
fn webhooks_verify_says_why_a_signature_fails() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"id":"evt_1","type":"customer.created","timestamp":"2026-12-06T10:00:00.000Z","data":{"object":{"id":"cust_1"}}}"#;
    let headers = novabilling::webhooks::sign(body, secret, Some("msg_1"), None).unwrap();
    let dir = common::TempDir::new("cli-webhook");
    let path = dir.0.join("body.json");
    std::fs::write(&path, body).unwrap();
    let mut args: Vec<String> = ["webhooks", "verify", "--secret", secret, "--body", path.to_str().unwrap()].map(String::from).to_vec();
    for (k, v) in &headers {
        args.extend(["--header".to_owned(), format!("{k}: {v}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(cli.json(&args)["type"], "customer.created");

    // Another secret: exit 1, and the reason.
    let mut wrong = args.clone();
    wrong[3] = "whsec_c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1yaWdodC1vbmU=";
    let out = cli.run(&[&["--format", "json"], &wrong[..]].concat());
    let (code, err) = failure(&out);
    assert_eq!((code, err["type"].as_str()), (1, Some("WebhookVerification")), "{err}");
    assert!(!err["message"].as_str().unwrap().is_empty());
}

#[test]
fn version_and_completions() {
    let server = common::Server::start();
    let cli = Cli::of(&server);
    assert!(text(&cli.run(&["--version"]).stdout).starts_with(&format!("novabilling {}", env!("CARGO_PKG_VERSION"))));
    for shell in ["bash", "zsh", "fish"] {
        let out = cli.run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("import-stripe"), "{shell}: the subcommands are completed");
    }
    let help = text(&cli.run(&["customers", "update", "--help"]).stdout);
    assert!(help.contains("REPLACES the whole metadata object"), "{help}");
}
