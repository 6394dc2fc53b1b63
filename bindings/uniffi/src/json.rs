//! JSON values (customer metadata, Stripe objects) as one uniffi enum, and
//! their conversions to and from the core's `serde_json` values.

use std::collections::HashMap;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::error::{NovaBillingError, invalid};

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// Any JSON value: customer metadata and Stripe objects. A number is its JSON
/// text (`"12"`, `"10.25"`): integers are exact, other numbers are what the
/// core holds, the nearest double.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum JsonValue {
    Null,
    Bool { value: bool },
    Number { value: String },
    String { value: String },
    Array { values: Vec<JsonValue> },
    Object { fields: HashMap<String, JsonValue> },
}

impl From<&Value> for JsonValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => JsonValue::Null,
            Value::Bool(b) => JsonValue::Bool { value: *b },
            Value::Number(n) => JsonValue::Number { value: n.to_string() },
            Value::String(s) => JsonValue::String { value: s.clone() },
            Value::Array(a) => JsonValue::Array { values: a.iter().map(JsonValue::from).collect() },
            Value::Object(m) => JsonValue::Object { fields: object_out(m) },
        }
    }
}

pub(crate) fn object_out(m: &Map<String, Value>) -> HashMap<String, JsonValue> {
    m.iter().map(|(k, v)| (k.clone(), JsonValue::from(v))).collect()
}

pub(crate) fn json_in(field: &str, v: JsonValue) -> Result<Value> {
    Ok(match v {
        JsonValue::Null => Value::Null,
        JsonValue::Bool { value } => Value::Bool(value),
        JsonValue::Number { value } => Value::Number(
            serde_json::Number::from_str(value.trim())
                .map_err(|_| invalid(field, format!("{field} holds {value:?}, which is not a JSON number")))?,
        ),
        JsonValue::String { value } => Value::String(value),
        JsonValue::Array { values } => Value::Array(values.into_iter().map(|x| json_in(field, x)).collect::<Result<_>>()?),
        JsonValue::Object { fields } => Value::Object(object_in(field, fields)?),
    })
}

pub(crate) fn object_in(field: &str, m: HashMap<String, JsonValue>) -> Result<Map<String, Value>> {
    m.into_iter().map(|(k, v)| Ok((k, json_in(field, v)?))).collect()
}

/// Parses JSON text into a [`JsonValue`].
/// Text that is not JSON is a Validation error on field `json`.
#[uniffi::export]
pub fn json_value_from_string(json: String) -> Result<JsonValue> {
    serde_json::from_str::<Value>(&json)
        .map(|v| JsonValue::from(&v))
        .map_err(|e| invalid("json", format!("not valid JSON: {e}")))
}

/// Writes a [`JsonValue`] as compact JSON text.
#[uniffi::export]
pub fn json_value_to_string(value: JsonValue) -> Result<String> {
    Ok(json_in("json", value)?.to_string())
}
