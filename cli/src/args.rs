//! The command line: every command, option and its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "novabilling",
    version,
    about = "The NovaBilling customers API from a terminal or a script.",
    long_about = "The NovaBilling customers API from a terminal or a script.\n\n\
        Data goes to stdout: a table on a terminal, JSON when piped (or --format).\n\
        Errors go to stderr, with the request id. Exit codes: 0 ok, 1 the API or the\n\
        network failed, 2 usage (a bad option or a value the API would refuse, caught\n\
        before any request)."
)]
pub struct Cli {
    /// API key (sk_, rk_ or ek_).
    #[arg(long, env = "NOVABILLING_API_KEY", hide_env_values = true, global = true)]
    pub api_key: Option<String>,
    /// The API's base URL (default: https://api.novabilling.com).
    #[arg(long, env = "NOVABILLING_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// How output is written. Default: table on a terminal, json otherwise.
    #[arg(long, value_enum, global = true)]
    pub format: Option<Format>,
    /// Seconds per attempt before a request times out.
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries of a failed request (connection errors, 429, 5xx).
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line; with --all, streamed page by page.
    Ndjson,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, find, change, list and delete customers.
    #[command(subcommand)]
    Customers(Customers),
    /// Check webhook deliveries.
    #[command(subcommand)]
    Webhooks(Webhooks),
    /// Read the events that webhooks deliver.
    #[command(subcommand)]
    Events(Events),
    /// Forward new events to a local URL as signed deliveries, until Ctrl-C.
    ///
    /// Polls the API for events (no inbound connection is needed, so it works
    /// against a remote server too) and posts each new one to --forward-to with
    /// the webhook-id, webhook-timestamp and webhook-signature headers a real
    /// delivery carries, signed with --secret or a new secret printed at start.
    /// Events that exist when it starts are not forwarded.
    Listen(ListenArgs),
    /// Print a shell completion script: `novabilling completions bash > ~/.local/share/bash-completion/completions/novabilling`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
pub enum Customers {
    /// List customers, a page at a time or --all.
    List(ListArgs),
    /// Show one customer by its id.
    Get { id: String },
    /// Show one customer by your own id for it.
    GetByExternalId { external_id: String },
    /// Create a customer from options or from a JSON file.
    Create(CreateArgs),
    /// Change a customer. Only the options given are sent.
    Update(UpdateArgs),
    /// Delete a customer: cancels its subscriptions and voids its open invoices.
    Delete {
        id: String,
        /// Do not ask first (required when stdin is not a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Imported customers that no user id is bound to yet.
    Unresolved {
        #[arg(long)]
        page: Option<u32>,
        #[arg(long)]
        limit: Option<u32>,
        /// Every page.
        #[arg(long, conflicts_with = "page")]
        all: bool,
    },
    /// Bind an imported customer to your user id (once: a binding cannot be changed).
    Bind {
        id: String,
        #[arg(long)]
        external_id: String,
    },
    /// Import a Stripe customers export (a JSON array, or Stripe's list object).
    ImportStripe {
        file: PathBuf,
        /// Customers sent per request.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Substring of name, email or external id.
    #[arg(long)]
    pub search: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[arg(long)]
    pub country: Option<String>,
    /// ISO 4217 code.
    #[arg(long)]
    pub currency: Option<String>,
    /// active or inactive.
    #[arg(long)]
    pub status: Option<String>,
    /// createdAt, updatedAt, name or email.
    #[arg(long)]
    pub sort_by: Option<String>,
    /// asc or desc.
    #[arg(long)]
    pub order: Option<String>,
    /// Page size, 1 to 100.
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long)]
    pub page: Option<u32>,
    /// Every page, one request after another (with --format ndjson, each customer as it arrives).
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Your id for the customer (your user id).
    #[arg(long, required_unless_present = "json")]
    pub external_id: Option<String>,
    #[arg(long, required_unless_present = "json")]
    pub email: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// A metadata entry, KEY=VALUE; repeat it for more.
    #[arg(long, value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
    /// The whole body as a JSON file (`-` for stdin), as the API takes it.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["external_id", "email", "name", "country", "currency", "metadata"])]
    pub json: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    pub id: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// active or inactive.
    #[arg(long)]
    pub status: Option<String>,
    /// KEY=VALUE, repeatable. REPLACES the whole metadata object: entries not given are removed.
    #[arg(long, value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
    /// The whole body as a JSON file (`-` for stdin), as the API takes it (null clears a field).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["email", "name", "country", "currency", "status", "metadata"])]
    pub json: Option<PathBuf>,
    /// Only if the customer is still at this version (its ETag); otherwise 412.
    #[arg(long, value_name = "ETAG")]
    pub if_match: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Webhooks {
    /// Verify a delivery's signature, and say why it fails.
    Verify {
        /// The endpoint's signing secret (whsec_...); repeat it while rotating.
        #[arg(long, required = true)]
        secret: Vec<String>,
        /// A header of the delivery, "name: value"; webhook-id, webhook-timestamp and webhook-signature are needed.
        #[arg(long, required = true, value_name = "NAME: VALUE")]
        header: Vec<String>,
        /// The raw body as received (`-` for stdin).
        #[arg(long)]
        body: PathBuf,
        /// Seconds a delivery's timestamp may be off from now.
        #[arg(long, default_value_t = 300)]
        tolerance: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum Events {
    /// List events, newest first.
    List {
        /// Only events of this type (customer.created, customer.updated, customer.deleted, customer.bound, customers.imported).
        #[arg(long = "type", value_name = "TYPE")]
        event_type: Option<String>,
        /// Only events about this customer.
        #[arg(long)]
        customer_id: Option<String>,
        /// Page size, 1 to 100.
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        page: Option<u32>,
    },
    /// Show one event by its id (evt_...), as its deliveries send it.
    Get { id: String },
}

#[derive(Args, Debug)]
pub struct ListenArgs {
    /// Where each event is posted, e.g. http://localhost:3000/webhooks.
    #[arg(long, value_name = "URL")]
    pub forward_to: String,
    /// Only these event types (comma-separated; default every type).
    #[arg(long, value_name = "TYPE,...", value_delimiter = ',')]
    pub events: Vec<String>,
    /// The secret to sign with (whsec_...), the one your receiver verifies
    /// with. Default: a new secret, printed when listening starts.
    #[arg(long, env = "NOVABILLING_WEBHOOK_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// Seconds between polls for new events.
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    pub interval: f64,
    /// Seconds the receiver has to answer each event.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub forward_timeout: f64,
}
