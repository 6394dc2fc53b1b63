//! What is wrong with the input: one field's problem, and all of a call's.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What is wrong with one field, and what is allowed instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    /// Machine-readable; absent in the real NovaBilling server's errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: Some(code.to_owned()), message: message.into() }
    }
}

/// Input rejected before any request was sent (and by the server, with the same words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Never empty.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    pub fn field(&self) -> &str {
        &self.errors[0].field
    }
    pub fn code(&self) -> &str {
        self.errors[0].code.as_deref().unwrap_or("invalid")
    }
}

impl From<FieldError> for ValidationError {
    fn from(e: FieldError) -> Self {
        ValidationError { errors: vec![e] }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects every field's problem, so a caller fixes them in one go.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn finish<T>(self, value: T) -> Result<T, ValidationError> {
        if self.0.is_empty() { Ok(value) } else { Err(ValidationError { errors: self.0 }) }
    }
}
