//! `novabilling events ...`: the events webhooks deliver, read back.

use novabilling::{Client, EventListParams, WebhookEvent};

use crate::args::Events;
use crate::fail::Failure;
use crate::output::{Out, to_value};

pub async fn run(cmd: Events, client: &Client, out: &mut Out) -> Result<(), Failure> {
    let events = client.events();
    match cmd {
        Events::List { event_type, customer_id, limit, page } => {
            let page = events.list(EventListParams { page, limit, event_type, customer_id }).await?;
            // Each event as its deliveries send it, as `events get` shows it.
            let mut value = to_value(&page);
            value["data"] = page.data.iter().map(WebhookEvent::to_wire).collect();
            Ok(out.events(&value)?)
        }
        Events::Get { id } => Ok(out.object(&events.get(&id).await?.to_wire())?),
    }
}
