//! The client: a checked configuration, one transport, and the resources.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::config::ClientConfig;
use crate::error::Result;
use crate::options::Span;
use crate::resources::{Customers, Events, Invoices, Keys, Subscriptions};
use crate::transport::{Backoff, Transport};

/// A client of the customers API. Cheap to clone; clones share one connection pool.
///
/// Must be used inside a tokio runtime.
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url())
            .field("key", self.transport.key())
            .field("timeout", &self.transport.timeout())
            .field("max_retries", &self.transport.max_retries())
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

    /// A client from a configuration, after checking every setting of it.
    pub fn from_config(config: &ClientConfig) -> Result<Client> {
        Ok(Client { transport: Arc::new(Transport::new(config.resolve()?)?) })
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn customers(&self) -> Customers {
        Customers::new(self.transport.clone())
    }

    pub fn subscriptions(&self) -> Subscriptions {
        Subscriptions::new(self.transport.clone())
    }

    pub fn invoices(&self) -> Invoices {
        Invoices::new(self.transport.clone())
    }

    /// Restricted and ephemeral keys: what a backend hands its apps.
    pub fn keys(&self) -> Keys {
        Keys::new(self.transport.clone())
    }

    /// The events webhooks deliver, to list and read back.
    pub fn events(&self) -> Events {
        Events::new(self.transport.clone())
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    pub fn timeout(&self) -> Duration {
        self.transport.timeout()
    }

    pub fn max_retries(&self) -> u32 {
        self.transport.max_retries()
    }
}

/// A [`ClientConfig`] filled one setting at a time.
#[derive(Default, Clone, Debug)]
pub struct ClientBuilder {
    config: ClientConfig,
}

impl ClientBuilder {
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.token = Some(token.into());
        self
    }
    /// Alias of [`token`](Self::token).
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.token(key)
    }
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = Some(url.into());
        self
    }
    /// Total time of one attempt (default 60 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.config.timeout = Some(Span::from(t));
        self
    }
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.config.connect_timeout = Some(Span::from(t));
        self
    }
    /// Retries after the first attempt (default 2; 0 means none).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.config.max_retries = Some(i64::from(n));
        self
    }
    /// Backoff between retries: `base * 2^attempt` up to `max`, with jitter.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.config.backoff = Some(Backoff { base, max });
        self
    }
    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.default_headers.push((name.into(), value.into()));
        self
    }
    /// The product token a binding puts in front of the User-Agent, such as `novabilling-python/0.1.0`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.config.user_agent = Some(product.into());
        self
    }

    /// Extra trusted root certificates (PEM text, or the path of a PEM file)
    /// for a server whose certificate a private CA signed. The platform's
    /// trust store stays in use.
    pub fn ca_certificates(mut self, pem_or_path: impl Into<String>) -> Self {
        self.config.ca_certificates = Some(pem_or_path.into());
        self
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn build(self) -> Result<Client> {
        Client::from_config(&self.config)
    }
}
