//! Python values <-> JSON values and request options.

use novabilling::{RequestOptions, Span};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::invalid;

pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => PyList::new(py, a.iter().map(|x| to_py(py, x)).collect::<PyResult<Vec<_>>>()?)?.into_any(),
        Value::Object(m) => map_to_py(py, m)?.into_any(),
    })
}

pub fn map_to_py<'py>(py: Python<'py>, m: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in m {
        d.set_item(k, to_py(py, v)?)?;
    }
    Ok(d)
}

/// A JSON value from plain Python data; anything else is a ValidationError naming `field`.
pub fn from_py(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid(py, field, format!("{field} holds an integer too large for JSON")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid(py, field, format!("{field} holds {} which JSON cannot carry", f.value())));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return dict_from_py(field, d).map(Value::Object);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj.try_iter()?.map(|x| from_py(field, &x?)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    let type_name = obj.get_type().name()?;
    Err(invalid(
        py,
        field,
        format!("{field} must hold only JSON values (dict, list, str, int, float, bool, None), got {type_name}"),
    ))
}

pub fn dict_from_py(field: &str, d: &Bound<'_, PyDict>) -> PyResult<Map<String, Value>> {
    let mut out = Map::new();
    for (k, v) in d.iter() {
        let Ok(key) = k.cast::<PyString>() else {
            return Err(invalid(d.py(), field, format!("{field} keys must be strings, got {}", k.get_type().name()?)));
        };
        out.insert(key.extract::<String>()?, from_py(field, &v)?);
    }
    Ok(out)
}

/// Header pairs from a `dict[str, str]`.
pub fn headers(d: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    if let Some(h) = d {
        for (k, v) in h.iter() {
            out.push((k.extract::<String>()?, v.extract::<String>()?));
        }
    }
    Ok(out)
}

/// Per-call options, from the keyword arguments every method takes; core checks them.
pub fn options(
    timeout: Option<f64>,
    max_retries: Option<i64>,
    idempotency_key: Option<String>,
    extra_headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<RequestOptions> {
    Ok(RequestOptions {
        timeout: timeout.map(Span::Seconds),
        max_retries,
        idempotency_key,
        if_match: None,
        headers: headers(extra_headers)?,
    })
}
