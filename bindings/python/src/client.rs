//! `NovaBilling` and `AsyncNovaBilling`: a configuration handed to core, and
//! the resources over it.

use std::path::PathBuf;

use novabilling::{ClientConfig, Span};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cell::ClientCell;
use crate::convert::headers;
use crate::events::{AsyncEvents, Events};
use crate::keys::{AsyncKeys, Keys};
use crate::resources::{AsyncCustomers, AsyncInvoices, AsyncSubscriptions, Customers, Invoices, Subscriptions};
use crate::runtime::awaitable;

/// The constructor's keyword arguments as core's configuration; core checks them.
#[allow(clippy::too_many_arguments)]
fn config(
    py: Python<'_>,
    token: Option<String>,
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    max_retries: Option<i64>,
    default_headers: Option<&Bound<'_, PyDict>>,
    ca_certificates: Option<PathBuf>,
    allow_secret_key: Option<bool>,
) -> PyResult<ClientConfig> {
    Ok(ClientConfig {
        token,
        api_key,
        base_url,
        timeout: timeout.map(Span::Seconds),
        connect_timeout: connect_timeout.map(Span::Seconds),
        max_retries,
        default_headers: headers(default_headers)?,
        backoff: None,
        user_agent: Some(user_agent(py)),
        ca_certificates: ca_certificates.map(|c| c.to_string_lossy().into_owned()),
        allow_secret_key,
        // Python runs on servers, where a secret key belongs.
        app_environment: false,
    })
}

fn user_agent(py: Python<'_>) -> String {
    let v = py.version_info();
    format!("novabilling-python/{} CPython/{}.{}", env!("CARGO_PKG_VERSION"), v.major, v.minor)
}

macro_rules! client_class {
    ($cls:ident, $pyname:literal, $customers:ident, $subs:ident, $invoices:ident, $keys:ident, $events:ident) => {
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls {
            cell: ClientCell,
            customers: Py<$customers>,
            subscriptions: Py<$subs>,
            invoices: Py<$invoices>,
            keys: Py<$keys>,
            events: Py<$events>,
        }

        #[pymethods]
        impl $cls {
            #[new]
            #[pyo3(signature = (token=None, *, api_key=None, base_url=None, timeout=None, connect_timeout=None,
                max_retries=None, default_headers=None, ca_certificates=None, allow_secret_key=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(py: Python<'_>, token: Option<String>, api_key: Option<String>, base_url: Option<String>,
                timeout: Option<f64>, connect_timeout: Option<f64>, max_retries: Option<i64>,
                default_headers: Option<&Bound<'_, PyDict>>, ca_certificates: Option<PathBuf>, allow_secret_key: Option<bool>) -> PyResult<Self> {
                let config = config(py, token, api_key, base_url, timeout, connect_timeout, max_retries, default_headers, ca_certificates, allow_secret_key)?;
                Self::with_config(py, config)
            }

            /// A new client with these settings changed and the others kept (its own connection pool).
            #[pyo3(signature = (*, token=None, api_key=None, base_url=None, timeout=None, connect_timeout=None,
                max_retries=None, default_headers=None, ca_certificates=None, allow_secret_key=None))]
            #[allow(clippy::too_many_arguments)]
            fn with_options(&self, py: Python<'_>, token: Option<String>, api_key: Option<String>,
                base_url: Option<String>, timeout: Option<f64>, connect_timeout: Option<f64>, max_retries: Option<i64>,
                default_headers: Option<&Bound<'_, PyDict>>, ca_certificates: Option<PathBuf>, allow_secret_key: Option<bool>) -> PyResult<Self> {
                let given = config(py, token, api_key, base_url, timeout, connect_timeout, max_retries, default_headers, ca_certificates, allow_secret_key)?;
                let merged = self.cell.config().with_changes(given);
                Self::with_config(py, merged)
            }

            #[getter]
            fn customers(&self, py: Python<'_>) -> Py<$customers> {
                self.customers.clone_ref(py)
            }
            #[getter]
            fn subscriptions(&self, py: Python<'_>) -> Py<$subs> {
                self.subscriptions.clone_ref(py)
            }
            #[getter]
            fn invoices(&self, py: Python<'_>) -> Py<$invoices> {
                self.invoices.clone_ref(py)
            }
            #[getter]
            fn keys(&self, py: Python<'_>) -> Py<$keys> {
                self.keys.clone_ref(py)
            }
            #[getter]
            fn events(&self, py: Python<'_>) -> Py<$events> {
                self.events.clone_ref(py)
            }
            #[getter]
            fn base_url(&self, py: Python<'_>) -> PyResult<String> {
                Ok(self.cell.client(py)?.base_url().to_owned())
            }
            #[getter]
            fn timeout(&self, py: Python<'_>) -> PyResult<f64> {
                Ok(self.cell.client(py)?.timeout().as_secs_f64())
            }
            #[getter]
            fn max_retries(&self, py: Python<'_>) -> PyResult<u32> {
                Ok(self.cell.client(py)?.max_retries())
            }

            /// Closes pooled connections. The client stays usable and reconnects.
            fn close(&self, py: Python<'_>) -> PyResult<()> {
                self.cell.reset(py)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let c = self.cell.client(py)?;
                Ok(format!("{}(base_url={:?}, timeout={}, max_retries={})", $pyname, c.base_url(), c.timeout().as_secs_f64(), c.max_retries()))
            }
        }
    };
}

macro_rules! with_config {
    ($cls:ident, $customers:ident, $subs:ident, $invoices:ident, $keys:ident, $events:ident) => {
        impl $cls {
            fn with_config(py: Python<'_>, config: ClientConfig) -> PyResult<Self> {
                let cell = ClientCell::new(py, config)?;
                Ok($cls {
                    customers: Py::new(py, $customers { cell: cell.clone() })?,
                    subscriptions: Py::new(py, $subs { cell: cell.clone() })?,
                    invoices: Py::new(py, $invoices { cell: cell.clone() })?,
                    keys: Py::new(py, $keys { cell: cell.clone() })?,
                    events: Py::new(py, $events { cell: cell.clone() })?,
                    cell,
                })
            }
        }
    };
}

with_config!(NovaBilling, Customers, Subscriptions, Invoices, Keys, Events);
with_config!(AsyncNovaBilling, AsyncCustomers, AsyncSubscriptions, AsyncInvoices, AsyncKeys, AsyncEvents);

client_class!(NovaBilling, "NovaBilling", Customers, Subscriptions, Invoices, Keys, Events);
client_class!(AsyncNovaBilling, "AsyncNovaBilling", AsyncCustomers, AsyncSubscriptions, AsyncInvoices, AsyncKeys, AsyncEvents);

#[pymethods]
impl NovaBilling {
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<()> {
        self.close(py)
    }
}

#[pymethods]
impl AsyncNovaBilling {
    fn __aenter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let me = slf.clone().unbind();
        awaitable(slf.py(), async move { novabilling::Result::Ok(me) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(&self, py: Python<'py>, _exc: &Bound<'py, pyo3::types::PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py)?;
        awaitable(py, async { novabilling::Result::Ok(()) })
    }
}
