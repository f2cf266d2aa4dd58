//! The `tokenlint` binary: parse the command line, run, and map the result to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic in any thread exits with 2, never 0 or 1, and prints no token.
    tokenlint::crash::install();
    let cli = tokenlint::cli::Cli::parse_args();
    match tokenlint::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Error messages may name a hostile path, or quote a configuration or rule
            // file, and so a token or a line break.
            let shown = miette::Report::new(tokenlint::report::shown_error(err));
            let shown = format!("{shown:?}").replace('\r', "\\r");
            eprintln!("{}", tokenlint::finding::redact_tokens(&shown));
            ExitCode::from(tokenlint::EXIT_ERROR)
        }
    }
}
