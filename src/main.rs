//! The `tokenlint` binary: parse the command line, run, and map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic in any thread exits with 2, never 0 or 1, and prints no token.
    tokenlint::crash::install();
    let cli = tokenlint::cli::Cli::parse();
    match tokenlint::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Error messages may quote a configuration or rule file, and so a token.
            let shown = format!("{:?}", miette::Report::new(err));
            eprintln!("{}", tokenlint::finding::redact_tokens(&shown));
            ExitCode::from(tokenlint::EXIT_ERROR)
        }
    }
}
