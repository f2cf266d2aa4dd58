//! tokenlint: finds hard-coded RemotiveCloud tokens, and token files that are misplaced,
//! expired, old, long-lived or readable by others.
//!
//! The data flow is one-way: arguments → configuration and rules, resolved once into a
//! [`Command`] ([`options`]) → sources ([`source`]) → items → per-item check (scan, token
//! files, inline suppression) → findings → sort → baseline → report. [`resolve`] and
//! [`run`] are that flow; each step lives in its own module (see `ARCHITECTURE.md`).
//!
//! The library prints nothing (`print_stdout` and `print_stderr` are denied): a report goes
//! to the writer its reporter is handed (standard output, or the `--output` file), and a
//! warning or a panic's message to the sink the binary installs
//! ([`report::set_warning_sink`]). Only a history scan's progress bar draws on standard
//! error, and only when it is a terminal.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod audit;
pub mod baseline;
pub mod check;
mod commands;
pub mod config;
pub mod confine;
pub mod crash;
pub mod docs;
mod error;
pub mod finding;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod git;
pub mod history;
pub(crate) mod hook;
pub mod hygiene;
mod item;
pub mod options;
pub mod outcome;
mod output;
pub(crate) mod repo;
pub mod report;
pub mod rules;
pub mod scan;
pub mod setup;
pub mod source;
pub mod store;
pub mod suppress;
pub mod token;
pub mod token_file;
pub mod walk;

use std::process::ExitCode;

pub use error::Error;
pub use options::{resolve, Command, Request, ALLOW_UNREDACTED_IN_CI, CI_VARIABLES};
pub use output::stdout_was_closed;

/// Exit codes: nothing found at or above `--fail-on`, something found. Errors exit with 2.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FOUND: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs one resolved command.
pub fn run(command: Command) -> Result<ExitCode, Error> {
    let result = commands::run(command);
    let underived = finding::underived_short_secrets();
    if underived > 0 {
        report::warn(&format!(
            "warning: {underived} distinct short secrets past the first {} are \
                 fingerprinted by rule, path and occurrence only (see the README)",
            finding::SLOW_HASH_BUDGET
        ));
    }
    result
}

/// Prints text to standard output, as the library's own output is: for the binary's
/// shell completions.
pub fn print(text: &str) -> Result<(), Error> {
    output::print(text)
}

/// `text` with its tokens redacted and its control characters escaped: for what the
/// binary's usage errors quote.
pub fn clean(text: &str) -> String {
    report::clean(text)
}

/// Text of several lines, cleaned as [`clean`] does but with its line breaks and tabs
/// kept, and no line that starts a workflow command: for the binary's usage errors.
pub fn clean_lines(text: &str) -> String {
    report::clean_lines(text)
}
