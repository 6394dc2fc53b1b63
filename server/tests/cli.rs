//! The binary: `serve --dev`, `keys create`, graceful shutdown on SIGTERM.

mod common;

use std::process::Command;
use std::time::Duration;

use common::process::{BIN, ServerProcess};

#[tokio::test]
async fn serve_dev_key_file_and_keys_create() {
    if common::is_postgres() {
        return; // exercises SQLite files
    }
    let dir = std::env::temp_dir().join(common::unique("nb-cli"));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("dev.db");
    let db_url = format!("sqlite://{}", db.display());
    let key_file = dir.join("keys/dev-key");
    let kf = key_file.to_str().unwrap();

    // Fresh database: a dev tenant and key, written to the file.
    let mut p = ServerProcess::start(&["--database", &db_url, "--dev", "--dev-key-file", kf]);
    let url = p.url.clone();
    let key = p.dev_key();
    assert!(key.starts_with("sk_test_") && novabilling::keys::inspect(&key).is_ok_and(|i| i.checksummed), "{key}");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key);
    assert_eq!(p.lines.last().unwrap(), &format!("listening on {}", p.url));
    let client = common::http_client().build().unwrap();
    let r = client.get(format!("{url}/api/customers")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(p.stop().success());

    // Same database, file present: the same key.
    let mut p = ServerProcess::start(&["--database", &db_url, "--dev", "--dev-key-file", kf]);
    assert_eq!(p.dev_key(), key);
    assert!(p.stop().success());

    // File missing: a new key for the dev tenant; the old one still works.
    std::fs::remove_file(&key_file).unwrap();
    let mut p = ServerProcess::start(&["--database", &db_url, "--dev", "--dev-key-file", kf]);
    let url = p.url.clone();
    let key2 = p.dev_key();
    assert_ne!(key2, key);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key2);
    for k in [&key, &key2] {
        let r = client.get(format!("{url}/api/customers")).bearer_auth(k).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }

    // keys create: prints the key alone; the tenant sees none of dev's data.
    let dev_customer = client
        .post(format!("{url}/api/customers"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"externalId": "d1", "email": "d1@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dev_customer.status(), 201);
    let out = Command::new(BIN)
        .args(["keys", "create", "--tenant", "acme", "--database", &db_url])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let acme = stdout.trim();
    assert_eq!(stdout, format!("{acme}\n"));
    assert!(acme.starts_with("sk_live_") && novabilling::keys::inspect(acme).is_ok_and(|i| i.checksummed), "{acme}");
    let r = client.get(format!("{url}/api/customers")).bearer_auth(acme).send().await.unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["meta"]["total"], 0);

    // keys create --scopes, keys list, keys revoke.
    let keys_cli = |args: &[&str]| {
        let out = Command::new(BIN).arg("keys").args(args).args(["--tenant", "acme", "--database", &db_url]).env("RUST_LOG", "warn").output().unwrap();
        (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (ok, stdout, _) = keys_cli(&["create", "--test", "--scopes", "customers:read,billing:read", "--expires-in", "30d", "--name", "reports"]);
    assert!(ok);
    let reports = stdout.trim().to_owned();
    assert!(reports.starts_with("rk_test_") && novabilling::keys::inspect(&reports).is_ok(), "{reports}");
    let (ok, _, stderr) = keys_cli(&["create", "--scopes", "customers:fly"]);
    assert!(!ok && stderr.contains("customers:fly"), "{stderr}");
    let (ok, listed, _) = keys_cli(&["list", "--json"]);
    assert!(ok);
    let listed: Vec<serde_json::Value> = listed.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let rk = listed.iter().find(|k| k["kind"] == "restricted").unwrap();
    assert_eq!(rk["scopes"], serde_json::json!(["customers:read", "billing:read"]));
    assert_eq!(rk["name"], "reports");
    assert!(rk["expiresAt"].is_string() && rk.get("secret").is_none());
    let r = client.get(format!("{url}/api/customers")).bearer_auth(&reports).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (ok, table, _) = keys_cli(&["list"]);
    assert!(ok && table.contains("scopes=customers:read,billing:read") && !table.contains(&reports), "{table}");
    let (ok, stdout, _) = keys_cli(&["revoke", rk["id"].as_str().unwrap()]);
    assert!(ok && stdout.contains("refuse it within 1 s"), "{stdout}");
    // The server keeps the keys it read for FRESH_FOR: refused within it.
    let revoked = std::time::Instant::now();
    while client.get(format!("{url}/api/customers")).bearer_auth(&reports).send().await.unwrap().status() != 401 {
        let fresh_for = novabilling_server::store::key_cache::FRESH_FOR;
        assert!(revoked.elapsed() <= fresh_for + std::time::Duration::from_millis(500), "a revoked key still taken");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (ok, _, stderr) = keys_cli(&["revoke", "key_missing"]);
    assert!(!ok && stderr.contains("key_missing"), "{stderr}");
    // The database holds hashes, never keys.
    let raw = std::fs::read(&db).unwrap();
    let wal = std::fs::read(dir.join("dev.db-wal")).unwrap_or_default();
    for k in [&key, &key2, &acme.to_owned()] {
        let needle = k.as_bytes();
        assert!(!raw.windows(needle.len()).any(|w| w == needle));
        assert!(!wal.windows(needle.len()).any(|w| w == needle));
    }
    assert!(p.stop().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests() {
    if common::is_postgres() {
        return;
    }
    let dir = std::env::temp_dir().join(common::unique("nb-grace"));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}", dir.join("g.db").display());
    let mut p = ServerProcess::start(&["--database", &db_url, "--dev"]);
    let url = p.url.clone();
    let key = p.dev_key();
    let client = common::http_client().build().unwrap();
    // A request that takes a while: an import of many customers.
    let export: Vec<serde_json::Value> =
        (0..5000).map(|i| serde_json::json!({"id": format!("cus_{i}"), "email": format!("g{i}@example.com"), "name": "x".repeat(100)})).collect();
    let req = client.post(format!("{url}/api/customers/import/stripe")).bearer_auth(&key).json(&export).send();
    let handle = tokio::spawn(req);
    tokio::time::sleep(Duration::from_millis(30)).await;
    p.terminate();
    let resp = handle.await.unwrap().expect("in-flight request completes");
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["created"], 5000);
    let st = p.wait_exit(Duration::from_secs(5)).expect("the server stops after SIGTERM");
    assert!(st.success());
    // New connections are refused after shutdown.
    assert!(client.get(format!("{url}/health")).send().await.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn migrate_once_then_replicas_that_skip_migrations() {
    if common::is_postgres() {
        return; // exercises SQLite files
    }
    let dir = std::env::temp_dir().join(common::unique("nb-migrate"));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}", dir.join("m.db").display());
    let serve_skipping = || Command::new(BIN).args(["serve", "--bind", "127.0.0.1:0", "--skip-migrations", "--database", &db_url]).output().unwrap();

    // Nothing applied yet: a replica that skips migrations refuses to start, saying what to run.
    let out = serve_skipping();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("novabilling-server migrate"), "{stderr}");

    let out = Command::new(BIN).args(["migrate", "--database", &db_url]).env("RUST_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "migrations applied\n");

    let mut p = ServerProcess::start(&["--database", &db_url, "--skip-migrations", "--dev"]);
    let client = common::http_client().build().unwrap();
    let r = client.get(format!("{}/api/customers", p.url)).bearer_auth(p.dev_key()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(p.stop().success());
    let _ = std::fs::remove_dir_all(&dir);
}
