//! The client: configuration, then the resources.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{FieldError, Result};
use crate::resources::{Customers, Invoices, Subscriptions};
use crate::transport::{
    self, ApiKey, Backoff, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, Transport,
    TransportConfig, VERSION,
};

pub const ENV_API_KEY: &str = "NOVABILLING_API_KEY";
pub const ENV_BASE_URL: &str = "NOVABILLING_BASE_URL";

/// A client of the customers API. Cheap to clone; clones share one connection pool.
///
/// Must be used inside a tokio runtime.
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url())
            .field("key", self.transport.key())
            .field("timeout", &self.transport.timeout)
            .field("max_retries", &self.transport.max_retries)
            .finish()
    }
}

impl Client {
    /// A client with this key and everything else from the environment or defaults.
    pub fn new(token: impl Into<String>) -> Result<Client> {
        Client::builder().token(token).build()
    }

    /// A client configured from `NOVABILLING_API_KEY` and `NOVABILLING_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        Client::builder().build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn customers(&self) -> Customers {
        Customers::new(self.clone())
    }

    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions::new(self.clone())
    }

    pub fn invoices(&self) -> Invoices {
        Invoices::new(self.clone())
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    pub fn timeout(&self) -> Duration {
        self.transport.timeout
    }

    pub fn max_retries(&self) -> u32 {
        self.transport.max_retries
    }
}

/// Settings of a [`Client`]; what is unset comes from the environment, then defaults.
#[derive(Default, Clone)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    backoff: Option<Backoff>,
    user_agent: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn positive(field: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() {
        return Err(FieldError::new(field, "out_of_range", format!("{field} must be greater than zero")).into());
    }
    Ok(d)
}

impl ClientBuilder {
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
    /// Alias of [`token`](Self::token).
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.token(key)
    }
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Total time of one attempt (default 60 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = Some(t);
        self
    }
    /// Retries after the first attempt (default 2; 0 means none).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// Backoff between retries: `base * 2^attempt` up to `max`, with jitter.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff = Some(Backoff { base, max });
        self
    }
    /// The product token a binding puts in front of the User-Agent, such as `novabilling-python/0.1.0`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    pub fn build(self) -> Result<Client> {
        let token = self.token.filter(|t| !t.is_empty()).or_else(|| env(ENV_API_KEY));
        let key = ApiKey::new(token.unwrap_or_default())?;
        let base_url = transport::base_url(&self.base_url.or_else(|| env(ENV_BASE_URL)).unwrap_or_else(|| DEFAULT_BASE_URL.into()))?;
        let timeout = positive("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = positive("connect_timeout", self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))?;
        let core = format!("novabilling-rust/{VERSION}");
        let user_agent = match self.user_agent {
            Some(p) => format!("{p} ({core}; {}-{})", std::env::consts::OS, std::env::consts::ARCH),
            None => format!("{core} ({}-{})", std::env::consts::OS, std::env::consts::ARCH),
        };
        let transport = Transport::new(TransportConfig {
            key,
            base_url,
            timeout,
            connect_timeout,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            backoff: self.backoff.unwrap_or_default(),
            user_agent,
        })?;
        Ok(Client { transport: Arc::new(transport) })
    }
}
