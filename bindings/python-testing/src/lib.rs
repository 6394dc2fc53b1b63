//! `novabilling_testing._testing_native`: the in-process test server as a Python
//! class. Conversions only; behaviour lives in the `novabilling-testing` crate.

use novabilling_testing::{Delivery, Error, Options, Span};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

fn to_pyerr(e: Error) -> PyErr {
    match e {
        Error::Invalid(m) => PyValueError::new_err(m),
        e => PyRuntimeError::new_err(e.to_string()),
    }
}

/// The NovaBilling server in this process (see `novabilling_testing.LocalServer`).
#[pyclass(module = "novabilling_testing._testing_native", frozen)]
struct TestServer(novabilling_testing::TestServer);

#[pymethods]
impl TestServer {
    #[new]
    #[pyo3(signature = (*, seed = None, capture_webhooks = true, rate_limit = 0))]
    fn new(
        py: Python<'_>,
        seed: Option<u64>,
        capture_webhooks: bool,
        rate_limit: u64,
    ) -> PyResult<Self> {
        let opts = Options {
            seed,
            capture_webhooks,
            rate_limit,
        };
        py.detach(|| novabilling_testing::TestServer::start(opts))
            .map(TestServer)
            .map_err(to_pyerr)
    }

    #[getter]
    fn base_url(&self) -> &str {
        self.0.base_url()
    }

    #[getter]
    fn api_key(&self) -> &str {
        self.0.api_key()
    }

    #[getter]
    fn webhook_url(&self) -> Option<&str> {
        self.0.webhook_url()
    }

    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.0.reset()).map_err(to_pyerr)
    }

    #[pyo3(signature = (method, path, status, times = 1, retry_after = None))]
    fn fail_next(
        &self,
        method: &str,
        path: &str,
        status: u16,
        times: u32,
        retry_after: Option<u32>,
    ) -> PyResult<()> {
        self.0
            .fail_next(method, path, status, times, retry_after)
            .map_err(to_pyerr)
    }

    #[pyo3(signature = (method, path, delay, times = 1))]
    fn delay_next(&self, method: &str, path: &str, delay: f64, times: u32) -> PyResult<()> {
        self.0
            .delay_next(method, path, Span::Seconds(delay), times)
            .map_err(to_pyerr)
    }

    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a list into an owned Vec only
    fn restricted_key(&self, py: Python<'_>, scopes: Vec<String>) -> PyResult<String> {
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        py.detach(|| self.0.restricted_key(&scopes))
            .map_err(to_pyerr)
    }

    #[pyo3(signature = (customer_id, ttl = 3600.0))]
    fn ephemeral_key(&self, py: Python<'_>, customer_id: &str, ttl: f64) -> PyResult<String> {
        py.detach(|| self.0.ephemeral_key(customer_id, Span::Seconds(ttl)))
            .map_err(to_pyerr)
    }

    fn wait_for_webhook(
        &self,
        py: Python<'_>,
        event_type: &str,
        timeout: f64,
    ) -> PyResult<Option<CapturedWebhook>> {
        Ok(py
            .detach(|| self.0.wait_for_webhook(event_type, Span::Seconds(timeout)))
            .map_err(to_pyerr)?
            .map(CapturedWebhook::from))
    }

    fn webhook_deliveries(&self) -> Vec<CapturedWebhook> {
        self.0
            .webhook_deliveries()
            .into_iter()
            .map(CapturedWebhook::from)
            .collect()
    }

    fn close(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.0.close()).map_err(to_pyerr)
    }
}

/// One webhook delivery the test server's receiver got.
#[pyclass(module = "novabilling_testing._testing_native", frozen, get_all)]
struct CapturedWebhook {
    event_id: String,
    #[pyo3(name = "type")]
    event_type: String,
    body: String,
    headers: Vec<(String, String)>,
    verified: bool,
}

impl From<Delivery> for CapturedWebhook {
    fn from(d: Delivery) -> Self {
        CapturedWebhook {
            event_id: d.event_id,
            event_type: d.event_type,
            body: d.body,
            headers: d.headers,
            verified: d.verified,
        }
    }
}

#[pymethods]
impl CapturedWebhook {
    fn __repr__(&self) -> String {
        format!(
            "CapturedWebhook(type={:?}, event_id={:?}, verified={})",
            self.event_type, self.event_id, self.verified
        )
    }
}

#[pymodule]
fn _testing_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<TestServer>()?;
    m.add_class::<CapturedWebhook>()?;
    Ok(())
}
