//! `novabilling listen --forward-to URL`: polls the API for new events and
//! forwards each to a local receiver with core's [`Forwarder`], signed as a
//! delivery is. Polling needs no inbound connection, so it works against a
//! remote server as well as a local one.

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use novabilling::webhooks::{Forwarder, WebhookSecret};
use novabilling::{Client, Error, EventListParams, Events, WebhookEvent};

use crate::args::ListenArgs;
use crate::fail::Failure;
use crate::output::Out;

/// Events read per request: the most the API gives.
const PAGE: u32 = 100;
/// Pages read per poll before the rest waits for the next one.
const MAX_PAGES_PER_POLL: u32 = 10;
/// Ids remembered: far more than one poll can bring.
const REMEMBERED: usize = 10_000;

/// The ids already handled, oldest forgotten first.
#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl Seen {
    fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    fn insert(&mut self, id: &str) {
        if self.ids.insert(id.to_owned()) {
            self.order.push_back(id.to_owned());
            if self.order.len() > REMEMBERED
                && let Some(old) = self.order.pop_front()
            {
                self.ids.remove(&old);
            }
        }
    }
}

fn seconds(flag: &str, s: f64) -> Result<Duration, Failure> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Failure::Usage(format!("--{flag} {s}: give a number of seconds above 0")))
}

pub async fn run(args: ListenArgs, client: &Client, out: &mut Out) -> Result<(), Failure> {
    let interval = seconds("interval", args.interval)?;
    let timeout = seconds("forward-timeout", args.forward_timeout)?;
    let secret = args.secret.unwrap_or_else(|| WebhookSecret::generate().to_text());
    let forwarder = Forwarder::new(&args.forward_to, &secret, timeout)?;
    let events = client.events();
    // What exists now is history: only what comes after it is forwarded.
    let mut seen = Seen::default();
    for e in newest(&events, &seen).await? {
        seen.insert(&e.id);
    }
    eprintln!("Ready. Forwarding new events to {} signed with {secret} (Ctrl-C to stop).", args.forward_to);
    let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(()),
            () = tokio::time::sleep(interval) => {}
        }
        let fresh = match newest(&events, &seen).await {
            Ok(fresh) => fresh,
            // A key that stopped working will not start again; anything else may pass.
            Err(e @ Error::Api(_)) if matches!(e.status(), Some(401 | 403)) => return Err(e.into()),
            Err(e) => {
                eprintln!("Could not read new events (trying again): {e}");
                continue;
            }
        };
        for e in fresh.iter().rev() {
            seen.insert(&e.id);
            if args.events.is_empty() || args.events.contains(&e.event_type) {
                let outcome = forwarder.forward(e).await;
                out.forwarded(e, &outcome)?;
            }
        }
    }
}

/// The events not seen yet, newest first: page after page until one holds
/// an event already seen (events committed meanwhile only push older ones back).
async fn newest(events: &Events, seen: &Seen) -> Result<Vec<WebhookEvent>, Error> {
    let mut fresh = Vec::new();
    for page in 1..=MAX_PAGES_PER_POLL {
        let got = events.list(EventListParams { page: Some(page), limit: Some(PAGE), ..Default::default() }).await?;
        let more = got.has_more();
        let before = fresh.len();
        fresh.extend(got.data.into_iter().filter(|e| !seen.contains(&e.id)));
        if !more || fresh.len() - before < PAGE as usize {
            break;
        }
    }
    let mut ids = HashSet::new();
    fresh.retain(|e| ids.insert(e.id.clone()));
    Ok(fresh)
}
