//! Failures: what goes to stderr, and the exit code.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use novabilling::{Error, ErrorKind};
use serde_json::{Value, json};


/// Why a command did not succeed.
pub enum Failure {
    /// The SDK's error: from the API or the network, or a webhook that did
    /// not verify (exit 1); or a value core refused before any request (exit 2).
    Sdk(Error),
    /// The command line itself is not usable as given (exit 2).
    Usage(String),
    /// A file that could not be read, or stdout closed (exit 1).
    Io(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Sdk(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e.to_string())
    }
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Sdk(e) if e.kind() == ErrorKind::Validation && !e.is_api() => ExitCode::from(2),
            Failure::Usage(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }

    /// Writes the failure to stderr: lines for people, or one JSON object.
    pub fn report(&self, as_json: bool) {
        let body = self.to_json();
        let mut err = std::io::stderr().lock();
        let _ = if as_json { writeln!(err, "{}", json!({ "error": body })) } else { writeln!(err, "{}", human(&body)) };
    }

    fn to_json(&self) -> Value {
        match self {
            Failure::Sdk(e) => {
                let errors: Vec<Value> = e
                    .field_errors()
                    .iter()
                    .map(|f| json!({ "field": f.field, "code": f.code, "message": f.message }))
                    .collect();
                json!({
                    "type": format!("{:?}", e.kind()),
                    "status": e.status(),
                    "code": e.code(),
                    "message": e.message(),
                    "requestId": e.request_id(),
                    "errors": errors,
                })
            }
            Failure::Usage(m) => json!({ "type": "Usage", "message": m }),
            Failure::Io(m) => json!({ "type": "Io", "message": m }),
        }
    }
}

fn human(body: &Value) -> String {
    let s = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    let mut out = format!("error: {}", s("message"));
    if let Some(status) = body["status"].as_u64() {
        let _ = write!(out, "\n  status: {status} {}", s("code"));
    }
    for f in body["errors"].as_array().into_iter().flatten() {
        let _ = write!(out, "\n  {}: {}", f["field"].as_str().unwrap_or("?"), f["message"].as_str().unwrap_or(""));
    }
    if let Some(id) = body["requestId"].as_str() {
        let _ = write!(out, "\n  request id: {id}");
    }
    out
}
