//! `ClientConfig`: every setting of a client, filled by each binding as its
//! language spells it and checked here once. What is unset comes from the
//! environment, then from the defaults.

use std::fmt;
use std::time::Duration;

use crate::error::{FieldError, Problems, Result};
use crate::keys::KeyKind;
use crate::options::{Span, check_headers, check_max_retries};
use crate::tls;
use crate::transport::{self, ApiKey, Backoff, TransportConfig};

pub const ENV_API_KEY: &str = "NOVABILLING_API_KEY";
pub const ENV_BASE_URL: &str = "NOVABILLING_BASE_URL";
pub const DEFAULT_BASE_URL: &str = "http://localhost:3000";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The settings of a client. Unset fields take `NOVABILLING_API_KEY` and
/// `NOVABILLING_BASE_URL`, then the defaults (60 s per attempt, 10 s to
/// connect, 2 retries).
#[derive(Clone, Default, PartialEq)]
pub struct ClientConfig {
    /// The API key (`sk_live_...`, `sk_test_...`).
    pub token: Option<String>,
    /// Alias of `token`, the name some SDKs use; giving both with different
    /// values is an error.
    pub api_key: Option<String>,
    pub base_url: Option<String>,
    /// Total time of one attempt.
    pub timeout: Option<Span>,
    pub connect_timeout: Option<Span>,
    /// Retries after the first attempt; 0 means none.
    pub max_retries: Option<i64>,
    /// Sent with every request (a call's own headers win).
    pub default_headers: Vec<(String, String)>,
    pub backoff: Option<Backoff>,
    /// The binding's product token in front of the User-Agent, such as
    /// `novabilling-python/0.1.0`.
    pub user_agent: Option<String>,
    /// Extra trusted root certificates, as PEM text or the path of a PEM
    /// file, for a server whose certificate a private CA signed.
    pub ca_certificates: Option<String>,
    /// Accept a secret (`sk_`) key where the binding says the code runs in
    /// an app ([`ClientConfig::app_environment`]): a JVM server's Kotlin.
    pub allow_secret_key: Option<bool>,
    /// Set by a binding whose code runs on users' devices (Kotlin and Swift,
    /// Node in a browser): a secret key there is refused unless
    /// `allow_secret_key`, because anyone who unpacks the app can read it.
    pub app_environment: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("api_key", &self.api_key.as_ref().map(|_| "…"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &self.default_headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("ca_certificates", &self.ca_certificates.as_ref().map(|_| "…"))
            .field("allow_secret_key", &self.allow_secret_key)
            .field("app_environment", &self.app_environment)
            .finish_non_exhaustive()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl ClientConfig {
    /// The key this configuration names: `token`, its alias, or the environment.
    fn key(&self) -> Result<ApiKey, FieldError> {
        let given = |v: &Option<String>| v.clone().filter(|t| !t.is_empty());
        let token = match (given(&self.token), given(&self.api_key)) {
            (Some(t), Some(k)) if t != k => {
                return Err(FieldError::new(
                    "token",
                    "conflict",
                    "token and api_key are the same setting and were given different keys; pass one",
                ));
            }
            (Some(t), _) | (None, Some(t)) => Some(t),
            (None, None) => env(ENV_API_KEY),
        };
        let key = ApiKey::new(token.unwrap_or_default())?;
        if self.app_environment && key.kind() == Some(KeyKind::Secret) && self.allow_secret_key != Some(true) {
            return Err(FieldError::new(
                "token",
                "secret_key_in_app",
                "a secret (sk_) key must not ship in an app, where anyone can read it: have your backend mint an \
                 ephemeral key (keys.create_ephemeral) or use a restricted rk_ key; on a server, set allow_secret_key",
            ));
        }
        Ok(key)
    }

    /// These settings with the ones `given` sets replacing them (a client's
    /// `with_options`). A new key replaces both spellings of the old one;
    /// the backoff and User-Agent are kept.
    #[must_use]
    pub fn with_changes(&self, given: ClientConfig) -> ClientConfig {
        let (token, api_key) = if given.token.is_some() || given.api_key.is_some() {
            (given.token, given.api_key)
        } else {
            (self.token.clone(), self.api_key.clone())
        };
        ClientConfig {
            token,
            api_key,
            base_url: given.base_url.or_else(|| self.base_url.clone()),
            timeout: given.timeout.or(self.timeout),
            connect_timeout: given.connect_timeout.or(self.connect_timeout),
            max_retries: given.max_retries.or(self.max_retries),
            default_headers: if given.default_headers.is_empty() { self.default_headers.clone() } else { given.default_headers },
            backoff: self.backoff,
            user_agent: self.user_agent.clone(),
            ca_certificates: given.ca_certificates.or_else(|| self.ca_certificates.clone()),
            allow_secret_key: given.allow_secret_key.or(self.allow_secret_key),
            app_environment: self.app_environment,
        }
    }

    /// Checks every setting, reporting all problems at once.
    pub(crate) fn resolve(&self) -> Result<TransportConfig> {
        let mut p = Problems::default();
        let key = p.check(self.key());
        let base = self.base_url.clone().filter(|u| !u.is_empty()).or_else(|| env(ENV_BASE_URL));
        let base_url = p.check(transport::base_url(base.as_deref().unwrap_or(DEFAULT_BASE_URL)));
        let timeout = p.check(self.timeout.map_or(Ok(DEFAULT_TIMEOUT), |t| t.check("timeout")));
        let connect_timeout =
            p.check(self.connect_timeout.map_or(Ok(DEFAULT_CONNECT_TIMEOUT), |t| t.check("connect_timeout")));
        let max_retries = p.check(self.max_retries.map_or(Ok(DEFAULT_MAX_RETRIES), |n| check_max_retries("max_retries", n)));
        let headers = p.check(check_headers("default_headers", &self.default_headers));
        let ca_roots = match self.ca_certificates.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(given) => p.check(tls::roots(given)),
            None => Some(Vec::new()),
        };
        let core = format!("novabilling-rust/{VERSION}");
        let platform = format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH);
        let user_agent = match &self.user_agent {
            Some(product) => format!("{product} ({core}; {platform})"),
            None => format!("{core} ({platform})"),
        };
        p.finish(())?;
        // Every `None` above recorded a problem, so `finish` has returned already.
        let (Some(key), Some(base_url), Some(timeout), Some(connect_timeout), Some(max_retries), Some(headers), Some(ca_roots)) =
            (key, base_url, timeout, connect_timeout, max_retries, headers, ca_roots)
        else {
            return Err(FieldError::new("config", "invalid", "the client settings could not be read").into());
        };
        Ok(TransportConfig {
            key,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            backoff: self.backoff.unwrap_or_default(),
            headers,
            user_agent,
            ca_roots,
        })
    }
}
