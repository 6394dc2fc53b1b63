//! `client.keys`, blocking and async: restricted keys, and the ephemeral keys
//! a backend hands its apps. One macro writes both families.

use novabilling::{KeyCreate, Span};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cell::ClientCell;
use crate::convert::options;
use crate::errors::to_pyerr;
use crate::models::{EphemeralKey, Key};
use crate::pages::{Mode, run};
use crate::resources::Items;

/// A lifetime in seconds, checked by core like every other span.
fn ttl(py: Python<'_>, seconds: Option<f64>) -> PyResult<Option<std::time::Duration>> {
    seconds.map(|s| Span::Seconds(s).check("ttl").map_err(|e| to_pyerr(py, &e.into()))).transpose()
}

macro_rules! keys_class {
    ($cls:ident, $pyname:literal, $mode:expr) => {
        /// Restricted keys for your own services, ephemeral keys for one customer's app.
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls {
            pub(crate) cell: ClientCell,
        }

        #[pymethods]
        impl $cls {
            #[pyo3(signature = (*, scopes, name=None, expires_in=None, timeout=None, max_retries=None,
                idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create<'py>(&self, py: Python<'py>, scopes: Vec<String>, name: Option<String>, expires_in: Option<u64>,
                timeout: Option<f64>, max_retries: Option<i64>, idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let params = KeyCreate { scopes, name, expires_in };
                let c = self.cell.keys(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create(params).await.map(Key::from) })
            }

            #[pyo3(signature = (*, timeout=None, max_retries=None, extra_headers=None))]
            fn list<'py>(&self, py: Python<'py>, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.keys(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.list().await.map(|l| Items::<Key, _>::new(l.data)) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn revoke<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.keys(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.revoke(&id).await.map(Key::from) })
            }

            #[pyo3(signature = (customer_id, *, ttl=None, timeout=None, max_retries=None, idempotency_key=None,
                extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create_ephemeral<'py>(&self, py: Python<'py>, customer_id: String, ttl: Option<f64>, timeout: Option<f64>,
                max_retries: Option<i64>, idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let ttl = self::ttl(py, ttl)?;
                let c = self.cell.keys(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create_ephemeral(&customer_id, ttl).await.map(EphemeralKey::from) })
            }

            #[pyo3(signature = (external_id, *, ttl=None, timeout=None, max_retries=None, idempotency_key=None,
                extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create_ephemeral_for_external_id<'py>(&self, py: Python<'py>, external_id: String, ttl: Option<f64>,
                timeout: Option<f64>, max_retries: Option<i64>, idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let ttl = self::ttl(py, ttl)?;
                let c = self.cell.keys(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create_ephemeral_for_external_id(&external_id, ttl).await.map(EphemeralKey::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn revoke_ephemeral<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.keys(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.revoke_ephemeral(&id).await.map(EphemeralKey::from) })
            }
        }
    };
}

keys_class!(Keys, "Keys", Mode::Sync);
keys_class!(AsyncKeys, "AsyncKeys", Mode::Async);
