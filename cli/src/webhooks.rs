//! `novabilling webhooks verify`: core's verification, and its reason when it fails.

use std::time::Duration;

use crate::args::Webhooks;
use crate::fail::Failure;
use crate::input;
use crate::output::{Out, to_value};

pub fn run(cmd: Webhooks, out: &mut Out) -> Result<(), Failure> {
    match cmd {
        Webhooks::Verify { secret, header, body, tolerance } => {
            let headers = header
                .iter()
                .map(|h| match h.split_once(':') {
                    Some((k, v)) => Ok((k.trim().to_owned(), v.trim().to_owned())),
                    None => Err(Failure::Usage(format!("--header {h:?}: give \"name: value\""))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let body = input::read(&body)?;
            let event = novabilling::webhooks::verify(&body, &headers, &secret, Duration::from_secs(tolerance))?;
            Ok(out.object(&to_value(&event))?)
        }
    }
}
