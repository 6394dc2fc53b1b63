//! Importing a Stripe customers export: pasted (a form, no script needed) or a
//! file (sent whole; the answer streams each batch's counts, for a progress
//! bar). Either way the export is read by core, as the CLI reads it, and sent
//! to the API in batches; a Stripe id already imported is skipped, so sending a
//! file again after a failure is safe.

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use novabilling::keys::Scope;
use novabilling::{ImportResult, STRIPE_EXPORT_EXPECTED, stripe_export_customers};
use serde_json::{Value, json};

use super::api::Refused;
use super::form::Fields;
use super::render::{Chrome, Equivalent, page, problem};
use super::security::writer;
use super::session::Session;
use super::Admin;

/// Customers per request, as the CLI sends them.
const BATCH: usize = 500;
const ROUTE: &str = "/api/customers/import/stripe";

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    c: Chrome,
    pasted: String,
    error: String,
    result: Option<Outcome>,
    equiv: Equivalent,
}

/// Where an import got to.
#[derive(Default, Clone)]
pub struct Outcome {
    pub total: usize,
    pub done: usize,
    pub created: u64,
    pub skipped: u64,
    /// Why it stopped before the end.
    pub error: Option<String>,
}

impl Outcome {
    fn json(&self) -> String {
        let mut v = json!({ "total": self.total, "done": self.done, "created": self.created, "skipped": self.skipped });
        if let Some(e) = &self.error {
            v["error"] = Value::String(e.clone());
        }
        format!("{v}\n")
    }
}

fn equiv(s: &Session) -> Equivalent {
    let sample = json!([{ "id": "cus_123", "email": "ada@example.com", "name": "Ada Lovelace" }]);
    Equivalent::new(s, Some(&["customers", "import-stripe", "customers.json"]), &Method::POST, ROUTE, Some(&sample), None).about("an import")
}

pub async fn form(s: Session) -> Response {
    if !s.caps.import {
        return problem(&s, "import", &Refused::lacking(Scope::CustomersImport));
    }
    let t = ImportPage { c: Chrome::new(&s, "import"), pasted: String::new(), error: String::new(), result: None, equiv: equiv(&s) };
    page(StatusCode::OK, &t)
}

/// The customers of an export, or what is wrong with it.
fn customers(text: &[u8]) -> Result<Vec<Value>, String> {
    let v: Value = serde_json::from_slice(text).map_err(|e| format!("The export is not valid JSON: {e}."))?;
    let list = stripe_export_customers(&v).ok_or_else(|| format!("{}.", capitalized(STRIPE_EXPORT_EXPECTED)))?;
    if list.is_empty() {
        return Err("The export holds no customers.".into());
    }
    Ok(list.to_vec())
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Sends the batch at `at`, adding its counts to `o`.
async fn send_batch(admin: &Admin, key: &str, list: &[Value], o: &mut Outcome) -> Result<(), Refused> {
    let end = (o.done + BATCH).min(list.len());
    let batch = Value::Array(list[o.done..end].to_vec());
    let r = admin.api.call::<ImportResult>(key, Method::POST, ROUTE, Some(&batch), None).await?;
    o.created += r.body.created;
    o.skipped += r.body.skipped;
    o.done = end;
    Ok(())
}

fn stopped(o: &Outcome, r: &Refused) -> String {
    format!(
        "Stopped at customer {} of {}: {} The customers before it were imported; sending the file again skips them.",
        o.done + 1,
        o.total,
        r.text()
    )
}

/// The pasted export, imported whole before the page answers.
pub async fn submit(State(admin): State<Admin>, s: Session, headers: HeaderMap, f: Fields) -> Response {
    if let Err(r) = writer(&s, &headers, f.csrf()) {
        return r.into_response();
    }
    let pasted = f.get("export").unwrap_or("").to_owned();
    let render = |status, pasted: String, error: String, result| {
        page(status, &ImportPage { c: Chrome::new(&s, "import"), pasted, error, result, equiv: equiv(&s) })
    };
    let list = match customers(pasted.as_bytes()) {
        Ok(l) => l,
        Err(e) => return render(StatusCode::BAD_REQUEST, pasted, e, None),
    };
    let mut o = Outcome { total: list.len(), ..Outcome::default() };
    while o.done < o.total {
        if let Err(r) = send_batch(&admin, &s.key, &list, &mut o).await {
            o.error = Some(stopped(&o, &r));
            let status = if r.status.is_client_error() { r.status } else { StatusCode::BAD_GATEWAY };
            return render(status, pasted, String::new(), Some(o));
        }
    }
    render(StatusCode::OK, String::new(), String::new(), Some(o))
}

/// A file sent whole (by admin.js): answers one JSON line per batch sent, so
/// the page can show progress; the last line has the totals, or `error`.
pub async fn batch(State(admin): State<Admin>, s: Session, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = writer(&s, &headers, None) {
        return r.into_response();
    }
    let list = match customers(&body) {
        Ok(l) => l,
        Err(e) => return (StatusCode::BAD_REQUEST, Outcome { error: Some(e), ..Outcome::default() }.json()).into_response(),
    };
    let start = Outcome { total: list.len(), ..Outcome::default() };
    let list = std::sync::Arc::new(list);
    let lines = futures_util::stream::unfold(Some(start), move |state| {
        let (admin, key, list) = (admin.clone(), s.key.clone(), list.clone());
        async move {
            let mut o = state?;
            if o.done >= o.total {
                return None;
            }
            let next = match send_batch(&admin, &key, &list, &mut o).await {
                Ok(()) => Some(o.clone()),
                Err(r) => {
                    o.error = Some(stopped(&o, &r));
                    None
                }
            };
            Some((Ok::<_, std::convert::Infallible>(o.json()), next))
        }
    });
    ([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(lines)).into_response()
}
