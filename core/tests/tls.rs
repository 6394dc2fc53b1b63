//! HTTPS: a loopback TLS server whose certificate the test CA
//! (`tests/tls/ca.pem`) signed. The client reaches it only when given that CA.

mod common;

use std::sync::Arc;

use common::{Canned, Reply, workspace_root};
use novabilling::{Client, ErrorKind};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

fn customer() -> serde_json::Value {
    json!({"id": "cust_tls", "externalId": "u1", "email": "a@b.co", "status": "active", "metadata": {},
           "totalSpent": 0, "activeSubscriptions": 0,
           "createdAt": "2026-03-01T12:00:00.000Z", "updatedAt": "2026-03-01T12:00:00.000Z"})
}

/// TLS in front of a canned responder; returns `https://localhost:PORT`.
async fn tls_front(plain: &Canned) -> String {
    let dir = workspace_root().join("tests/tls");
    let certs = CertificateDer::pem_file_iter(dir.join("server.pem")).unwrap().collect::<Result<Vec<_>, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = plain.url.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut upstream = TcpStream::connect(backend).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    format!("https://localhost:{port}")
}

#[tokio::test]
async fn https_works_with_the_ca_the_user_passes_as_a_path_or_as_text() {
    let canned = Canned::start(vec![Reply::json(200, &customer())]).await;
    let url = tls_front(&canned).await;
    let ca_path = workspace_root().join("tests/tls/ca.pem");
    let ca_text = std::fs::read_to_string(&ca_path).unwrap();
    for ca in [ca_path.display().to_string(), ca_text] {
        let client = Client::builder().token("sk_test_tls").base_url(&url).ca_certificates(ca).build().unwrap();
        let c = client.customers().get("cust_tls").await.unwrap();
        assert_eq!(c.id, "cust_tls");
    }
}

#[tokio::test]
async fn an_unknown_ca_is_a_connection_error_that_says_so() {
    let canned = Canned::start(vec![Reply::json(200, &customer())]).await;
    let url = tls_front(&canned).await;
    let client = Client::builder().token("sk_test_tls").base_url(&url).max_retries(0).build().unwrap();
    let err = client.customers().get("cust_tls").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
    assert!(canned.requests().is_empty(), "nothing reaches a server the client does not trust");
}

#[test]
fn a_ca_setting_that_is_not_a_certificate_is_a_validation_error() {
    for (given, says) in [
        ("/no/such/ca.pem", "could not read the CA file"), ("-----BEGIN NOPE-----\nAAAA\n-----END NOPE-----\n", "no \"-----BEGIN CERTIFICATE-----\" block"),
        ("-----BEGIN CERTIFICATE-----\nAAAA", "not valid PEM text"),
    ] {
        let err = Client::builder().token("sk_test_tls").ca_certificates(given).build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.field_errors()[0].field, "ca_certificates");
        assert!(err.to_string().contains(says), "{err}");
    }
}
