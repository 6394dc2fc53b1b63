//! `novabilling`: the customers API from a terminal or a script, on the SDK's
//! Rust core (configured as the SDKs are: `NOVABILLING_API_KEY`,
//! `NOVABILLING_BASE_URL`). Modules import one way: `main` parses `args` and
//! runs a command of `customers`, `events`, `listen` or `webhooks`, which
//! write through `output` and fail with `fail`.

mod args;
mod customers;
mod events;
mod fail;
mod input;
mod listen;
mod output;
mod webhooks;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};

use crate::args::{Cli, Command, Format};
use crate::fail::Failure;
use crate::output::Out;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Errors are JSON only when asked for: a person piping data still reads them.
    let errors_as_json = cli.format.is_some_and(|f| f != Format::Table);
    let mut out = Out::new(cli.format);
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`| head`) is not a failure of the command.
        Err(Failure::Io(m)) if m.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(f) => {
            f.report(errors_as_json);
            f.exit_code()
        }
    }
}

fn run(cli: Cli, out: &mut Out) -> Result<(), Failure> {
    let Cli { api_key, base_url, timeout, max_retries, command, .. } = cli;
    let connect = || -> Result<(novabilling::Client, tokio::runtime::Runtime), Failure> {
        let mut b = novabilling::Client::builder().user_agent(format!("novabilling-cli/{}", env!("CARGO_PKG_VERSION")));
        if let Some(key) = api_key {
            b = b.token(key);
        }
        if let Some(url) = base_url {
            b = b.base_url(url);
        }
        if let Some(t) = timeout {
            let t = Duration::try_from_secs_f64(t).map_err(|_| Failure::Usage(format!("--timeout {t}: give a number of seconds above 0")))?;
            b = b.timeout(t);
        }
        if let Some(n) = max_retries {
            b = b.max_retries(n);
        }
        Ok((b.build()?, tokio::runtime::Builder::new_current_thread().enable_all().build()?))
    };
    match command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "novabilling", &mut std::io::stdout());
            Ok(())
        }
        Command::Webhooks(cmd) => webhooks::run(cmd, out),
        Command::Customers(cmd) => {
            let (client, runtime) = connect()?;
            runtime.block_on(customers::run(cmd, &client, out))
        }
        Command::Events(cmd) => {
            let (client, runtime) = connect()?;
            runtime.block_on(events::run(cmd, &client, out))
        }
        Command::Listen(args) => {
            let (client, runtime) = connect()?;
            runtime.block_on(listen::run(args, &client, out))
        }
    }
}
