//! Customer metadata as each language's own JSON object: kotlinx.serialization's
//! `JsonObject` in Kotlin, `[String: JSONValue]` (Codable) in Swift. It crosses
//! the FFI as JSON text, so numbers keep every digit the foreign side wrote, and
//! the core parses it: text that is not a JSON object (a Kotlin `Double.NaN`,
//! say) is a Validation error on the field it came in, not a crash.

use serde_json::{Map, Value};

use crate::error::{NovaBillingError, invalid};

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// A JSON object as its compact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata(String);

uniffi::custom_type!(Metadata, String, {
    lower: |m| m.0,
    try_lift: |text| Ok(Metadata(text)),
});

impl From<&Map<String, Value>> for Metadata {
    fn from(m: &Map<String, Value>) -> Self {
        // A map of JSON values always serializes; no copy of it is made.
        Metadata(serde_json::to_string(m).unwrap_or_else(|_| String::from("{}")))
    }
}

impl Metadata {
    /// The object, or a Validation error on `field` saying what the text was.
    pub(crate) fn parse(self, field: &str) -> Result<Map<String, Value>> {
        match serde_json::from_str::<Value>(&self.0) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => Err(invalid(field, format!("{field} must be a JSON object, got {other}"))),
            Err(e) => Err(invalid(field, format!("{field} is not valid JSON ({e}): {}", self.0))),
        }
    }
}
