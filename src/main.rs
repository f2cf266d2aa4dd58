//! The `tokenlint` binary: parse the command line, run, and map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tokenlint::cli::Cli::parse();
    match tokenlint::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{:?}", miette::Report::new(err));
            ExitCode::from(tokenlint::EXIT_ERROR)
        }
    }
}
