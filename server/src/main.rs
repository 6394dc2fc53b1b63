use clap::Parser;
use novabilling_server::cli::{Cli, init_logging, run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("novabilling-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
