//! `novabilling.webhooks`: core's verification and signing helper, with
//! Python's body, header and secret types converted on the way in.

use novabilling::webhooks::{self, DEFAULT_TOLERANCE};
use novabilling::{Error, Span, WebhookEvent as CoreEvent};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMapping, PyMemoryView, PyString, PyTuple};

use crate::convert::map_to_py;
use crate::errors::{invalid, to_pyerr};
use crate::models::{Customer, ImportResult};

/// A webhook event: verified from a delivery, or read from `client.events`.
#[pyclass(frozen, module = "novabilling", name = "WebhookEvent")]
pub struct WebhookEvent {
    inner: CoreEvent,
}

impl From<CoreEvent> for WebhookEvent {
    fn from(inner: CoreEvent) -> Self {
        WebhookEvent { inner }
    }
}

#[pymethods]
impl WebhookEvent {
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    #[getter(r#type)]
    fn event_type(&self) -> &str {
        &self.inner.event_type
    }
    #[getter]
    fn timestamp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.timestamp.into_bound_py_any(py)
    }
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.data)
    }
    #[getter]
    fn customer(&self) -> Option<Customer> {
        self.inner.customer.clone().map(Customer::from)
    }
    #[getter]
    fn sequence(&self) -> Option<i64> {
        self.inner.sequence
    }
    #[getter]
    fn changed_fields(&self) -> Option<Vec<String>> {
        self.inner.changed_fields.clone()
    }
    #[getter]
    fn imported(&self) -> Option<ImportResult> {
        self.inner.imported.clone().map(ImportResult::from)
    }

    /// Every field, by its Python name.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", self.id())?;
        d.set_item("type", self.event_type())?;
        d.set_item("timestamp", self.timestamp(py)?)?;
        d.set_item("data", self.data(py)?)?;
        d.set_item("customer", self.customer())?;
        d.set_item("sequence", self.sequence())?;
        d.set_item("changed_fields", self.changed_fields())?;
        d.set_item("imported", self.imported())?;
        Ok(d)
    }

    /// The event as it was sent (its wire JSON).
    fn to_json(&self) -> String {
        self.inner.to_wire().to_string()
    }

    fn __repr__(&self) -> String {
        format!("WebhookEvent(id={:?}, type={:?}, sequence={:?})", self.inner.id, self.inner.event_type, self.inner.sequence)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }
}

/// The signed bytes: `bytes`, `bytearray`, `memoryview` or `str` (as UTF-8).
/// A parsed body is refused with what to do instead.
fn body_bytes(body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let py = body.py();
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(s) = body.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if body.is_instance_of::<PyByteArray>() || body.is_instance_of::<PyMemoryView>() {
        return PyBytes::new(py, &[]).get_type().call1((body,))?.extract::<Vec<u8>>();
    }
    if body.is_instance_of::<PyDict>() || body.is_instance_of::<PyList>() {
        let what = body.get_type().name()?.to_string();
        return Err(to_pyerr(py, &webhooks::body_not_raw(&what)));
    }
    Err(invalid(py, "body", format!("body must be the raw request body, bytes or str, not {}", body.get_type().name()?)))
}

fn text(v: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    if let Ok(b) = v.cast::<PyBytes>() {
        // Header bytes are Latin-1 on the wire (WSGI, ASGI scopes).
        return Ok(b.as_bytes().iter().map(|&c| char::from(c)).collect());
    }
    v.extract::<String>().map_err(|_| invalid(v.py(), field, format!("{field} must hold str (or bytes) names and values")))
}

/// Header pairs from any mapping (`dict`, Starlette's or Werkzeug's `Headers`),
/// or from an iterable of pairs (an ASGI scope's `headers`).
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let items = if headers.is_instance_of::<PyMapping>() || headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut out = Vec::new();
    for item in items.try_iter().map_err(|_| invalid(headers.py(), "headers", "headers must be a mapping or pairs".into()))? {
        let item = item?;
        let pair = item.cast::<PyTuple>().map_err(|_| invalid(headers.py(), "headers", "headers must be a mapping or pairs".into()))?;
        if pair.len() != 2 {
            return Err(invalid(headers.py(), "headers", "each header must be a (name, value) pair".into()));
        }
        out.push((text(&pair.get_item(0)?, "headers")?, text(&pair.get_item(1)?, "headers")?));
    }
    Ok(out)
}

/// One secret, or several while a secret is rotated.
fn secrets(secret: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(s) = secret.cast::<PyString>() {
        return Ok(vec![s.extract::<String>()?]);
    }
    secret
        .extract::<Vec<String>>()
        .map_err(|_| invalid(secret.py(), "secret", "secret must be a str (whsec_...) or a list of them".into()))
}

/// Checks that a webhook delivery is authentic and fresh, and reads its event.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, *, tolerance = None))]
pub fn verify_webhook(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: Option<f64>,
) -> PyResult<WebhookEvent> {
    let body = body_bytes(body)?;
    let headers = header_pairs(headers)?;
    let secrets = secrets(secret)?;
    let tolerance = match tolerance {
        None => DEFAULT_TOLERANCE,
        Some(t) => Span::Seconds(t).check("tolerance").map_err(|e| to_pyerr(py, &Error::from(e)))?,
    };
    let event = py.detach(|| webhooks::verify(&body, &headers, &secrets, tolerance)).map_err(|e| to_pyerr(py, &e))?;
    Ok(WebhookEvent { inner: event })
}

/// The headers a delivery of `body` would carry, signed with `secret`: for
/// testing a receiver.
#[pyfunction]
#[pyo3(signature = (body, secret, *, id = None, timestamp = None))]
pub fn sign_webhook<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    secret: &str,
    id: Option<&str>,
    timestamp: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let body = body_bytes(body)?;
    let headers = webhooks::sign(&body, secret, id, timestamp).map_err(|e| to_pyerr(py, &e))?;
    let d = PyDict::new(py);
    for (k, v) in headers {
        d.set_item(k, v)?;
    }
    Ok(d)
}
