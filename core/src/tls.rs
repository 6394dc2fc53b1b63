//! TLS for every client: rustls on ring, the platform's trust store (on
//! Linux the system bundle, or `SSL_CERT_FILE`), and the roots a user passes
//! for a server whose certificate their own CA signed.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{Error, FieldError};

const FIELD: &str = "ca_certificates";

/// Extra trusted roots: PEM text (one or more `CERTIFICATE` blocks) or the
/// path of a PEM file. Text is told from a path by its `-----BEGIN` line.
pub(crate) fn roots(given: &str) -> Result<Vec<CertificateDer<'static>>, FieldError> {
    let pem = if given.contains("-----BEGIN") {
        given.as_bytes().to_vec()
    } else {
        std::fs::read(given.trim()).map_err(|e| {
            FieldError::new(
                FIELD,
                "invalid",
                format!("could not read the CA file {given:?} ({e}); pass PEM text or the path of a PEM file"),
            )
        })?
    };
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            FieldError::new(FIELD, "invalid", "the CA certificates are not valid PEM text; pass the CA's certificate as its \"-----BEGIN CERTIFICATE-----\" block")
        })?;
    if certs.is_empty() {
        return Err(FieldError::new(
            FIELD,
            "invalid",
            "no \"-----BEGIN CERTIFICATE-----\" block found; pass the CA's certificate in PEM form",
        ));
    }
    Ok(certs)
}

/// The rustls settings reqwest is given, with HTTP/2 and HTTP/1.1 offered.
pub(crate) fn config(extra_roots: Vec<CertificateDer<'static>>) -> Result<ClientConfig, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Connection { message: format!("could not set up TLS: {e}") };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
    }
    .map_err(|e| fail(&e))?;
    let mut tls = ClientConfig::builder_with_provider(provider as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(&e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = alpn();
    Ok(tls)
}

/// HTTP/1.1 only: HTTP/2 (reqwest's `http2`) costs each shipped library
/// about 0.4 MB, and a pool of HTTP/1.1 connections serves an API client as
/// well (the server speaks HTTP/1.1; so do stripe-python and stripe-node).
fn alpn() -> Vec<Vec<u8>> {
    vec![b"http/1.1".to_vec()]
}
