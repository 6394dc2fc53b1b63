//! Writing results to stdout: a table for people, JSON or NDJSON for programs.

use std::io::{self, IsTerminal, Write};

use comfy_table::{Table, presets};
use serde::Serialize;
use serde_json::Value;

use novabilling::WebhookEvent;
use novabilling::webhooks::Forwarded;

use crate::args::Format;

/// The columns of a customer in a list, as `(header, field)`.
const CUSTOMER_COLUMNS: [(&str, &str); 8] = [
    ("ID", "id"),
    ("EXTERNAL ID", "externalId"),
    ("EMAIL", "email"),
    ("NAME", "name"),
    ("COUNTRY", "country"),
    ("CURRENCY", "currency"),
    ("STATUS", "status"),
    ("CREATED", "createdAt"),
];

pub struct Out {
    pub format: Format,
    stdout: io::Stdout,
}

impl Out {
    /// `format` as given, else a table on a terminal and JSON in a pipe.
    pub fn new(format: Option<Format>) -> Out {
        let stdout = io::stdout();
        let format = format.unwrap_or(if stdout.is_terminal() { Format::Table } else { Format::Json });
        Out { format, stdout }
    }

    /// One object: as fields and values in a table, else as JSON.
    pub fn object(&mut self, value: &impl Serialize) -> io::Result<()> {
        let value = to_value(value);
        match self.format {
            Format::Table => {
                let mut t = table();
                if let Value::Object(fields) = &value {
                    for (k, v) in fields {
                        t.add_row(vec![k.clone(), cell(v)]);
                    }
                }
                writeln!(self.stdout, "{t}")
            }
            Format::Json => self.json(&value),
            Format::Ndjson => self.line(&value),
        }
    }

    /// A page of customers (`{ data, meta }`): the table and where it is in
    /// the list; the page object in JSON; a customer a line in NDJSON.
    pub fn page(&mut self, page: &Value) -> io::Result<()> {
        let items = page["data"].as_array().map_or(&[][..], Vec::as_slice);
        match self.format {
            Format::Table => {
                self.customers(items)?;
                let n = |k: &str| page["meta"][k].as_u64().unwrap_or(0);
                writeln!(self.stdout, "page {} of {}, {} in all", n("page"), n("totalPages").max(1), n("total"))
            }
            Format::Json => self.json(page),
            Format::Ndjson => items.iter().try_for_each(|c| self.line(c)),
        }
    }

    /// A page of events: type, id, customer and time in a table; the page
    /// object (each event as delivered) in JSON; an event a line in NDJSON.
    pub fn events(&mut self, page: &Value) -> io::Result<()> {
        let items = page["data"].as_array().map_or(&[][..], Vec::as_slice);
        match self.format {
            Format::Table => {
                let mut t = table();
                t.set_header(["TYPE", "ID", "CUSTOMER", "TIMESTAMP"]);
                for e in items {
                    t.add_row([cell(&e["type"]), cell(&e["id"]), cell(&e["customer"]["id"]), cell(&e["timestamp"])]);
                }
                writeln!(self.stdout, "{t}")?;
                let n = |k: &str| page["meta"][k].as_u64().unwrap_or(0);
                writeln!(self.stdout, "page {} of {}, {} in all", n("page"), n("totalPages").max(1), n("total"))
            }
            Format::Json => self.json(page),
            Format::Ndjson => items.iter().try_for_each(|e| self.line(e)),
        }
    }

    /// One forwarded event, as it happens: a line for people, a JSON line for programs.
    pub fn forwarded(&mut self, event: &WebhookEvent, f: &Forwarded) -> io::Result<()> {
        if self.format == Format::Table {
            let status = f.status.map_or_else(|| "failed".to_owned(), |s| s.to_string());
            let why = if f.ok { String::new() } else { format!(": {}", f.detail) };
            let mut lock = self.stdout.lock();
            writeln!(lock, "{}  {:<18} {}  -> {status} ({} ms){why}", event.timestamp.format("%H:%M:%S"), event.event_type, event.id, f.duration_ms)?;
            return lock.flush();
        }
        let mut line = to_value(f);
        line["id"] = event.id.clone().into();
        line["type"] = event.event_type.clone().into();
        self.line(&line)
    }

    /// Customers in a table.
    pub fn customers(&mut self, items: &[Value]) -> io::Result<()> {
        let mut t = table();
        t.set_header(CUSTOMER_COLUMNS.iter().map(|(h, _)| *h));
        for c in items {
            t.add_row(CUSTOMER_COLUMNS.iter().map(|(_, f)| cell(&c[*f])));
        }
        writeln!(self.stdout, "{t}")
    }

    pub fn json(&mut self, value: &Value) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)?;
        writeln!(self.stdout)
    }

    /// One compact JSON line, flushed, so a reader of a stream sees it at once.
    pub fn line(&mut self, value: &Value) -> io::Result<()> {
        let mut lock = self.stdout.lock();
        serde_json::to_writer(&mut lock, value)?;
        writeln!(lock)?;
        lock.flush()
    }
}

pub fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
