//! TLS for every client: rustls on ring, the platform's trust store (on
//! Linux the system bundle, or `SSL_CERT_FILE`), and the roots a user passes
//! for a server whose certificate their own CA signed.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

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
    let verifier: Arc<dyn ServerCertVerifier> = if extra_roots.is_empty() {
        Arc::new(SystemRoots(provider.clone()))
    } else {
        Arc::new(rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone()).map_err(|e| fail(&e))?)
    };
    let mut tls = ClientConfig::builder_with_provider(provider as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(&e))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    tls.alpn_protocols = alpn();
    Ok(tls)
}

/// The platform's verifier, made at the first TLS handshake of the process
/// and shared by every client: on Linux making one reads the system bundle
/// and every file in /etc/ssl/certs (15-20 ms), which a client that is never
/// used for HTTPS, or one of many, should not pay.
#[derive(Debug)]
struct SystemRoots(Arc<CryptoProvider>);

static SYSTEM: OnceLock<Result<Arc<rustls_platform_verifier::Verifier>, rustls::Error>> = OnceLock::new();

impl SystemRoots {
    fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        match SYSTEM.get_or_init(|| rustls_platform_verifier::Verifier::new(self.0.clone()).map(Arc::new)) {
            Ok(v) => Ok(v),
            Err(e) => Err(e.clone()),
        }
    }
}

impl ServerCertVerifier for SystemRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    // Signatures need no roots: checked with the provider's algorithms, as the platform verifier does.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// HTTP/1.1 only: HTTP/2 (reqwest's `http2`) costs each shipped library
/// about 0.4 MB, and a pool of HTTP/1.1 connections serves an API client as
/// well (the server speaks HTTP/1.1; so do stripe-python and stripe-node).
fn alpn() -> Vec<Vec<u8>> {
    vec![b"http/1.1".to_vec()]
}
