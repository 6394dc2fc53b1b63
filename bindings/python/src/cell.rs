//! The client of one Python client object: its checked configuration and
//! the core client of this process, rebuilt after `fork()` since a child
//! cannot use the parent's connections.

use std::sync::{Arc, Mutex, PoisonError};

use novabilling::{Client, ClientConfig, RequestOptions};
use pyo3::prelude::*;

use crate::errors::to_pyerr;

struct Current {
    pid: u32,
    client: Client,
}

/// Shared by a client object and its resources and pages.
#[derive(Clone)]
pub struct ClientCell(Arc<(ClientConfig, Mutex<Current>)>);

impl ClientCell {
    pub fn new(py: Python<'_>, config: ClientConfig) -> PyResult<ClientCell> {
        let client = Client::from_config(&config).map_err(|e| to_pyerr(py, &e))?;
        Ok(ClientCell(Arc::new((config, Mutex::new(Current { pid: std::process::id(), client })))))
    }

    pub fn config(&self) -> &ClientConfig {
        &self.0.0
    }

    /// The core client of this process.
    pub fn client(&self, py: Python<'_>) -> PyResult<Client> {
        let pid = std::process::id();
        let mut cur = self.0.1.lock().unwrap_or_else(PoisonError::into_inner);
        if cur.pid != pid {
            *cur = Current { pid, client: Client::from_config(self.config()).map_err(|e| to_pyerr(py, &e))? };
        }
        Ok(cur.client.clone())
    }

    /// Drops pooled connections; the next call opens new ones.
    pub fn reset(&self, py: Python<'_>) -> PyResult<()> {
        let client = Client::from_config(self.config()).map_err(|e| to_pyerr(py, &e))?;
        *self.0.1.lock().unwrap_or_else(PoisonError::into_inner) = Current { pid: std::process::id(), client };
        Ok(())
    }

    pub fn customers(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Customers> {
        Ok(self.client(py)?.customers().with_options(opts))
    }

    pub fn subscriptions(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Subscriptions> {
        Ok(self.client(py)?.subscriptions().with_options(opts))
    }

    pub fn invoices(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Invoices> {
        Ok(self.client(py)?.invoices().with_options(opts))
    }

    pub fn keys(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Keys> {
        Ok(self.client(py)?.keys().with_options(opts))
    }

    pub fn events(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Events> {
        Ok(self.client(py)?.events().with_options(opts))
    }
}
