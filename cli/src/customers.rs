//! `novabilling customers ...`: each command is one SDK call (or a page after
//! another). Values are checked by core, as in every SDK, before a request.

use std::io::{IsTerminal, Write};

use futures_util::{Stream, StreamExt};
use novabilling::{
    Client, Customer, CustomerCreate, CustomerUpdate, ListParams, PageParams, RequestOptions, Result as SdkResult,
    validate,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::args::{CreateArgs, Customers, Format, ListArgs, UpdateArgs};
use crate::fail::Failure;
use crate::input;
use crate::output::{Out, to_value};

pub async fn run(cmd: Customers, client: &Client, out: &mut Out) -> Result<(), Failure> {
    let customers = client.customers();
    match cmd {
        Customers::List(a) => {
            let all = a.all;
            let params: ListParams = checked("query", &list_query(a))?;
            if all { every(customers.list_auto(params), out).await } else { Ok(out.page(&to_value(&customers.list(params).await?))?) }
        }
        Customers::Get { id } => Ok(out.object(&customers.get(&id).await?)?),
        Customers::GetByExternalId { external_id } => Ok(out.object(&customers.get_by_external_id(&external_id).await?)?),
        Customers::Create(a) => {
            let body: CustomerCreate = checked("body", &create_body(a)?)?;
            Ok(out.object(&customers.create(body).await?)?)
        }
        Customers::Update(a) => {
            let id = a.id.clone();
            let if_match = a.if_match.clone();
            let body: CustomerUpdate = checked("body", &update_body(a)?)?;
            if body.is_empty() {
                return Err(Failure::Usage("nothing to change: give at least one of --email, --name, --country, --currency, --status, --metadata or --json".into()));
            }
            let customers = customers.with_options(RequestOptions { if_match, ..Default::default() });
            Ok(out.object(&customers.update(&id, body).await?)?)
        }
        Customers::Delete { id, yes } => {
            if !yes && !confirm(&id)? {
                return Err(Failure::Usage("not deleted".into()));
            }
            Ok(out.object(&customers.delete(&id).await?)?)
        }
        Customers::Unresolved { page, limit, all } => {
            let params = PageParams { page, limit };
            if all {
                every(customers.list_unresolved_auto(params), out).await
            } else {
                Ok(out.page(&to_value(&customers.list_unresolved(params).await?))?)
            }
        }
        Customers::Bind { id, external_id } => Ok(out.object(&customers.bind(&id, &external_id).await?)?),
        Customers::ImportStripe { file, batch } => import(&customers, &input::read_json(&file)?, batch, out).await,
    }
}

/// `value` as core reads it, so a bad value is core's typed error before any request.
fn checked<T: DeserializeOwned>(what: &str, value: &Map<String, Value>) -> Result<T, Failure> {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    validate::from_json_slice(what, &bytes).map_err(|e| Failure::Sdk(e.into()))
}

fn list_query(a: ListArgs) -> Map<String, Value> {
    let s = |v: Option<String>| v.map(Value::String);
    input::fields([
        ("search", s(a.search)),
        ("country", s(a.country)),
        ("currency", s(a.currency)),
        ("status", s(a.status)),
        ("sortBy", s(a.sort_by)),
        ("sortOrder", s(a.order)),
        ("limit", a.limit.map(Value::from)),
        ("page", a.page.map(Value::from)),
    ])
}

fn create_body(a: CreateArgs) -> Result<Map<String, Value>, Failure> {
    let given = [("externalId", a.external_id), ("email", a.email), ("name", a.name), ("country", a.country), ("currency", a.currency)];
    body(a.json.as_deref(), given, &a.metadata)
}

fn update_body(a: UpdateArgs) -> Result<Map<String, Value>, Failure> {
    let given = [("email", a.email), ("name", a.name), ("country", a.country), ("currency", a.currency), ("status", a.status)];
    body(a.json.as_deref(), given, &a.metadata)
}

/// The body from `--json FILE`, else from the options given and `--metadata` pairs.
fn body<'a>(
    json: Option<&std::path::Path>,
    given: impl IntoIterator<Item = (&'a str, Option<String>)>,
    metadata: &[String],
) -> Result<Map<String, Value>, Failure> {
    if let Some(file) = json {
        return object(input::read_json(file)?, "--json");
    }
    let mut fields = input::fields(given.into_iter().map(|(k, v)| (k, v.map(Value::String))));
    if !metadata.is_empty() {
        fields.insert("metadata".into(), Value::Object(input::metadata(metadata)?));
    }
    Ok(fields)
}

fn object(v: Value, what: &str) -> Result<Map<String, Value>, Failure> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(Failure::Usage(format!("{what}: the file must hold a JSON object"))),
    }
}

/// Every customer of a listing: each line as it arrives in NDJSON, else all at the end.
async fn every(stream: impl Stream<Item = SdkResult<Customer>>, out: &mut Out) -> Result<(), Failure> {
    let mut stream = std::pin::pin!(stream);
    let mut all = Vec::new();
    while let Some(c) = stream.next().await {
        let c = to_value(&c?);
        if out.format == Format::Ndjson {
            out.line(&c)?;
        } else {
            all.push(c);
        }
    }
    match out.format {
        Format::Ndjson => Ok(()),
        Format::Json => Ok(out.json(&Value::Array(all))?),
        Format::Table => Ok(out.customers(&all)?),
    }
}

/// Asks on the terminal; without one, `--yes` is required.
fn confirm(id: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(format!("not deleting {id} without a confirmation: pass --yes (stdin is not a terminal)")));
    }
    eprint!("Delete customer {id}? Its subscriptions are canceled and its open invoices voided. [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// A Stripe export in batches, with a progress bar on a terminal. Stripe ids
/// already imported are skipped by the API, so a batch retried is harmless.
async fn import(customers: &novabilling::Customers, export: &Value, batch: usize, out: &mut Out) -> Result<(), Failure> {
    let list = novabilling::stripe_export_customers(export).ok_or_else(not_an_export)?;
    let bar = indicatif::ProgressBar::new(list.len() as u64);
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} customers ({eta} left)").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (mut created, mut skipped) = (0, 0);
    for chunk in list.chunks(batch.max(1)) {
        let r = customers.import_stripe_json(chunk.to_vec()).await?;
        created += r.created;
        skipped += r.skipped;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(out.object(&json!({ "created": created, "skipped": skipped }))?)
}

fn not_an_export() -> Failure {
    Failure::Usage(novabilling::STRIPE_EXPORT_EXPECTED.into())
}
