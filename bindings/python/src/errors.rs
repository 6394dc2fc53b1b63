//! Core errors become the package's own exception classes (novabilling/_errors.py).

use std::any::Any;

use novabilling::{Error, FieldError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};

static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(MODULE.get_or_try_init(py, || py.import("novabilling._errors").map(Bound::unbind))?.bind(py))
}

fn field_errors<'py>(py: Python<'py>, m: &Bound<'py, PyModule>, errors: &[FieldError]) -> PyResult<Bound<'py, PyList>> {
    let cls = m.getattr("FieldError")?;
    let items = errors
        .iter()
        .map(|e| cls.call1((e.field.as_str(), e.code.as_deref(), e.message.as_str())))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// The exception of `e`'s class, with every field core gives every error.
fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let m = module(py)?;
    let cls = m.getattr(e.kind().class_name())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("message", e.message())?;
    kwargs.set_item("status", e.status())?;
    kwargs.set_item("code", e.code())?;
    kwargs.set_item("errors", field_errors(py, m, e.field_errors())?)?;
    kwargs.set_item("request_id", e.request_id())?;
    kwargs.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    kwargs.set_item("required_scope", e.required_scope())?;
    Ok(PyErr::from_value(cls.call((e.to_string(),), Some(&kwargs))?))
}

pub fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    build(py, e).unwrap_or_else(|convert| convert)
}

/// A panic in the core reaches Python as a NovaBillingError, never as a crash.
pub fn internal_error(py: Python<'_>, panic: &(dyn Any + Send)) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let message = format!("internal error in the novabilling core (please report it): {what}");
    module(py)
        .and_then(|m| m.getattr("NovaBillingError"))
        .and_then(|cls| cls.call1((message.as_str(),)))
        .map_or_else(|_| PyRuntimeError::new_err(message), PyErr::from_value)
}

/// A ValidationError for a value the binding could not convert.
pub fn invalid(py: Python<'_>, field: &str, message: String) -> PyErr {
    to_pyerr(py, &FieldError::new(field, "invalid", message).into())
}
