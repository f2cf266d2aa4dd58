//! tokenlint: finds hard-coded RemotiveCloud tokens, and token files that are misplaced,
//! expired, old, long-lived or readable by others.
//!
//! The data flow is one-way: arguments → configuration and rules, resolved once into a
//! [`Command`] ([`options`]) → sources ([`source`]) → items → per-item check (scan, token
//! files, inline suppression) → findings → sort → baseline → report. [`resolve`] and
//! [`run`] are that flow; each step lives in its own module (see `ARCHITECTURE.md`).
//!
//! The library prints nothing itself (`print_stdout` and `print_stderr` are denied): what a
//! command prints, its report (unless `--output` names a file) or its text (`rules`,
//! `explain`, the baseline's message), goes to the writer the binary hands to [`run`], its
//! standard output, through `output.rs`. A warning or a panic's message goes to the sink
//! the binary installs ([`report::set_warning_sink`]). Only `--output /dev/stderr` writes
//! to standard error, and a history scan's progress bar draws there, only when it is a
//! terminal. A unit test checks that no other module uses a standard stream.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod archive;
pub(crate) mod audit;
pub(crate) mod baseline;
pub(crate) mod check;
mod commands;
pub mod config;
pub(crate) mod confine;
pub mod crash;
pub mod docs;
mod error;
pub mod finding;
pub(crate) mod fix;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub(crate) mod git;
pub(crate) mod hook;
pub(crate) mod hygiene;
mod item;
pub mod options;
pub(crate) mod outcome;
mod output;
pub mod places;
pub(crate) mod repo;
pub mod report;
pub mod rules;
pub mod scan;
pub(crate) mod setup;
mod shown;
pub(crate) mod source;
pub(crate) mod store;
#[cfg(test)]
mod structure;
pub mod suppress;
pub mod token;
pub mod token_file;

use std::io::Write;
use std::process::ExitCode;

pub use error::Error;
pub use options::{resolve, Command, Request, ALLOW_UNREDACTED_IN_CI, CI_VARIABLES};
pub use output::stdout_was_closed;

/// Exit codes: nothing found at or above `--fail-on`, something found. Errors exit with 2.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FOUND: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs one resolved command, writing what it prints (its report, unless that goes to a
/// file, or its text) to `stdout`, the binary's standard output.
pub fn run(command: Command, stdout: &mut dyn Write) -> Result<ExitCode, Error> {
    let result = commands::run(command, &mut output::Stdout::new(stdout));
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

/// Prints text to `stdout` as a command's text is (a reader that has gone is no error, a
/// closed standard output is): for the binary's shell completions.
pub fn print(stdout: &mut dyn Write, text: &str) -> Result<(), Error> {
    output::Stdout::new(stdout).print(text)
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
