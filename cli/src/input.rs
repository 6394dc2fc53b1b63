//! What commands read: files (or stdin for `-`) and `KEY=VALUE` pairs.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use crate::fail::Failure;

/// The bytes of `path`, or of stdin for `-`.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let r = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(drop)
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    r.map_err(|e| Failure::Io(format!("could not read {}: {e}", path.display())))?;
    Ok(bytes)
}

/// `path` as JSON.
pub fn read_json(path: &Path) -> Result<Value, Failure> {
    serde_json::from_slice(&read(path)?).map_err(|e| Failure::Usage(format!("{} is not JSON: {e}", path.display())))
}

/// `--metadata KEY=VALUE ...` as an object of strings.
pub fn metadata(pairs: &[String]) -> Result<Map<String, Value>, Failure> {
    pairs
        .iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), Value::String(v.to_owned()))),
            _ => Err(Failure::Usage(format!("--metadata {p:?}: give KEY=VALUE"))),
        })
        .collect()
}

/// An object of the fields that were given.
pub fn fields<'a>(given: impl IntoIterator<Item = (&'a str, Option<Value>)>) -> Map<String, Value> {
    given.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect()
}
