//! The command line: `serve`, and `keys create`, `keys list`, `keys revoke`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::db::{Db, Migrations};
use crate::delivery::WebhookOptions;
use crate::delivery::schedule::{RetrySchedule, parse_duration, parse_retry_schedule};
use crate::listen::ConnectionLimits;
use crate::serve::{self, BoxError, ServeOptions};
use crate::ssrf::{Allow, Guard};
use crate::clock::now_ms;
use crate::store::keys;
use novabilling::keys::Scope;
use novabilling::model::KeyCreate;
use novabilling::validate;

const DEFAULT_DATABASE: &str = "sqlite://novabilling.db";

#[derive(Parser, Debug)]
#[command(name = "novabilling-server", version, about = "The NovaBilling customers API server (SQLite or PostgreSQL)")]
pub struct Cli {
    /// Log as JSON lines (to stderr). The level comes from RUST_LOG (default info).
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API.
    Serve(ServeArgs),
    /// Apply the database migrations and exit: run it once before starting
    /// replicas with `serve --skip-migrations`.
    Migrate {
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "NOVABILLING_BIND", default_value = "127.0.0.1:3000")]
    pub bind: String,
    /// sqlite://FILE (created if missing), a bare file path, or postgres://...
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
    /// Make sure a tenant `dev` exists and print a key for it.
    #[arg(long)]
    pub dev: bool,
    /// With --dev: keep the dev key in this file (reused while it stays valid).
    #[arg(long, requires = "dev")]
    pub dev_key_file: Option<PathBuf>,
    /// Requests per minute per tenant; 0 disables the limit.
    #[arg(long, default_value_t = 6000)]
    pub rate_limit: u64,
    /// Apply no migrations; refuse to start unless `migrate` brought the schema up to date.
    #[arg(long)]
    pub skip_migrations: bool,
    /// Do not serve the admin page at /admin (it acts only with the key a person signs in with).
    #[arg(long, env = "NOVABILLING_NO_ADMIN")]
    pub no_admin: bool,
    #[command(flatten)]
    pub connections: ConnectionArgs,
    #[command(flatten)]
    pub webhooks: WebhookArgs,
}

/// What a connection may take. Durations: `500ms`, `5s`, `5m`.
#[derive(Args, Debug)]
pub struct ConnectionArgs {
    /// How long a client may take to send a request's headers, counted from the
    /// connection's start or the end of its previous response (so also how long
    /// an idle keep-alive connection stays open).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub header_timeout: std::time::Duration,
    /// How long a response may wait for the client to read any of it; then the connection is closed.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub send_timeout: std::time::Duration,
    /// How long a request may take from its headers to its response, its body included; then 408.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: std::time::Duration,
    /// Connections open at once (lowered to fit the open-file limit); one more is answered 503.
    #[arg(long, default_value_t = ConnectionLimits::default().max_connections)]
    pub max_connections: usize,
    /// On SIGTERM or SIGINT, how long requests in flight may take to finish.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub drain_timeout: std::time::Duration,
}

impl ConnectionArgs {
    pub fn limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_timeout: self.header_timeout,
            send_timeout: self.send_timeout,
            request_timeout: self.request_timeout,
            max_connections: self.max_connections,
            drain_timeout: self.drain_timeout,
        }
    }
}

/// How webhooks are delivered. Durations: `500ms`, `5s`, `5m`, `2h`, `7d`.
#[derive(Args, Debug)]
pub struct WebhookArgs {
    /// The delay before each delivery attempt (the first from the event), comma-separated;
    /// after the last, the delivery has failed.
    #[arg(long, default_value = "0,5s,5m,30m,2h,5h,10h,10h", value_parser = parse_retry_schedule)]
    pub webhook_retry_schedule: RetrySchedule,
    /// How long one delivery attempt may take.
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    pub webhook_timeout: std::time::Duration,
    /// How long a rotated-out signing secret still signs (a second signature).
    #[arg(long, default_value = "24h", value_parser = parse_duration)]
    pub webhook_secret_grace: std::time::Duration,
    /// How long finished deliveries and the attempt log are kept.
    #[arg(long, default_value = "7d", value_parser = parse_duration)]
    pub webhook_retention: std::time::Duration,
    /// How long events are kept (listed by /api/events, redeliverable).
    #[arg(long, default_value = "30d", value_parser = parse_duration)]
    pub webhook_event_retention: std::time::Duration,
    /// Disable an endpoint whose deliveries have all failed for this long.
    #[arg(long, default_value = "5d", value_parser = parse_duration)]
    pub webhook_disable_after: std::time::Duration,
    /// How often the outbox is read for deliveries that nothing woke the worker for
    /// (another replica's, on a shared PostgreSQL).
    #[arg(long, default_value = "500ms", value_parser = parse_duration)]
    pub webhook_poll_interval: std::time::Duration,
    /// Deliveries in flight at once.
    #[arg(long, default_value_t = 16)]
    pub webhook_concurrency: usize,
    /// Allow webhooks to this otherwise refused address, CIDR block or host name
    /// (loopback, private, link-local, unique-local); repeatable, or comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(Allow))]
    pub webhook_allow_host: Vec<Allow>,
    /// Allow webhooks to every address, private ones included.
    #[arg(long)]
    pub webhook_allow_private: bool,
}

impl WebhookArgs {
    pub fn options(self) -> WebhookOptions {
        WebhookOptions {
            retry_schedule: self.webhook_retry_schedule.0,
            timeout: self.webhook_timeout,
            secret_grace: self.webhook_secret_grace,
            retention: self.webhook_retention,
            event_retention: self.webhook_event_retention,
            disable_after: self.webhook_disable_after,
            poll_interval: self.webhook_poll_interval,
            concurrency: self.webhook_concurrency,
            guard: Guard { allow_private: self.webhook_allow_private, allow: self.webhook_allow_host },
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create a key for a tenant (the tenant is created if it does not exist) and print it once:
    /// a secret key, or with --scopes a restricted one.
    Create {
        #[arg(long)]
        tenant: String,
        /// Make a test-mode key (sk_test_, rk_test_) instead of a live one.
        #[arg(long)]
        test: bool,
        /// Make a restricted rk_ key with these scopes (comma-separated), such as customers:read,customers:write.
        #[arg(long, value_delimiter = ',')]
        scopes: Vec<String>,
        /// With --scopes: how long it works (`30d`, `12h`); without, until revoked.
        #[arg(long, value_parser = parse_duration, requires = "scopes")]
        expires_in: Option<std::time::Duration>,
        /// With --scopes: a name to tell it apart in `keys list`.
        #[arg(long, requires = "scopes")]
        name: Option<String>,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// List a tenant's secret and restricted keys that are not revoked (never their secrets).
    List {
        #[arg(long)]
        tenant: String,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Revoke a key by id (key_... or ephkey_...): every replica refuses it from now on.
    Revoke {
        #[arg(long)]
        tenant: String,
        id: String,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
}

pub fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

pub async fn run(cli: Cli) -> Result<(), BoxError> {
    match cli.command {
        Command::Serve(a) => {
            let opts = ServeOptions {
                bind: a.bind,
                database: a.database,
                dev: a.dev,
                dev_key_file: a.dev_key_file,
                rate_limit: a.rate_limit,
                webhooks: a.webhooks.options(),
                connections: a.connections.limits(),
                migrations: if a.skip_migrations { Migrations::Require } else { Migrations::Apply },
                wrap: None,
                purge: true,
                admin: !a.no_admin,
            };
            // The hard limit is the operator's ceiling; the soft one is often far below it (1,024).
            if let Err(e) = rlimit::increase_nofile_limit(u64::MAX) {
                tracing::warn!(error = %e, "could not raise the open-file limit");
            }
            let mut server = serve::start(opts).await?;
            let signal = serve::shutdown_signal();
            {
                let mut out = std::io::stdout().lock();
                if let Some(key) = &server.dev_key {
                    writeln!(out, "dev key: {key}")?;
                }
                writeln!(out, "listening on http://{}", server.addr)?;
                out.flush()?;
            }
            let stop = server.take_shutdown();
            tokio::spawn(async move {
                signal.await;
                tracing::info!("shutting down: finishing in-flight requests");
                if let Some(stop) = stop {
                    let _ = stop.send(());
                }
            });
            server.wait().await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate { database } => {
            Db::connect(&database).await?.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Keys { command } => keys_command(command).await,
    }
}

fn tenant_name(tenant: &str) -> Result<&str, BoxError> {
    let name = tenant.trim();
    if name.is_empty() { Err("--tenant must not be empty".into()) } else { Ok(name) }
}

async fn keys_command(command: KeysCommand) -> Result<(), BoxError> {
    let mut out = std::io::stdout().lock();
    match command {
        KeysCommand::Create { tenant, test, scopes, expires_in, name, database } => {
            let name_of_tenant = tenant_name(&tenant)?;
            let checked = if scopes.is_empty() {
                None
            } else {
                let params = KeyCreate { scopes, name, expires_in: expires_in.map(|d| d.as_secs().max(1)) };
                let k = validate::key_create(params).map_err(|e| format!("{e}"))?;
                Some((Scope::parse_all(k.scopes.iter().map(String::as_str))?, k.name, k.expires_in))
            };
            let db = Db::connect(&database).await?;
            let tenant_id = keys::ensure_tenant(&db, name_of_tenant).await?;
            let key = match checked {
                None => keys::create_key(&db, &tenant_id, !test).await?,
                Some((scopes, name, expires_in)) => {
                    let now = now_ms();
                    let expires_at = expires_in.map(|s| now.saturating_add(i64::try_from(s).unwrap_or(i64::MAX / 2000) * 1000));
                    let r = keys::Restricted { live: !test, name: name.as_deref(), scopes: &scopes, now, expires_at };
                    keys::create_restricted(&db, &tenant_id, r).await?.secret.unwrap_or_default()
                }
            };
            db.close().await;
            writeln!(out, "{key}")?;
        }
        KeysCommand::List { tenant, json, database } => {
            let db = Db::connect(&database).await?;
            let tenant_id = keys::ensure_tenant(&db, tenant_name(&tenant)?).await?;
            let list = keys::list(&db, &tenant_id).await?;
            db.close().await;
            for k in list {
                if json {
                    writeln!(out, "{}", serde_json::to_string(&k)?)?;
                } else {
                    let expires = k.expires_at.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
                    let used = k.last_used_at.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
                    let shown = format!("{}…{}", k.prefix, k.last4.as_deref().unwrap_or(""));
                    writeln!(
                        out,
                        "{}\t{}\t{shown}\t{}\tscopes={}\texpires={expires}\tlast_used={used}",
                        k.id,
                        k.kind,
                        k.name.as_deref().unwrap_or("-"),
                        k.scopes.join(",")
                    )?;
                }
            }
        }
        KeysCommand::Revoke { tenant, id, database } => {
            let db = Db::connect(&database).await?;
            let tenant_id = keys::ensure_tenant(&db, tenant_name(&tenant)?).await?;
            let revoked = keys::revoke(&db, &tenant_id, &id).await?;
            db.close().await;
            match revoked {
                // Running servers keep the keys they read for FRESH_FOR.
                Some(row) => writeln!(
                    out,
                    "revoked {} (running servers refuse it within {} s)",
                    row.id,
                    crate::store::key_cache::FRESH_FOR.as_secs()
                )?,
                None => return Err(format!("tenant {tenant:?} has no key {id:?}").into()),
            }
        }
    }
    out.flush()?;
    Ok(())
}
