//! The errors that stop a run with exit code 2. Problems with single files are not
//! errors: they are warnings in the report, and the scan goes on.

use std::path::PathBuf;

use crate::baseline::BaselineError;
use crate::config::ConfigError;
use crate::rules::RuleError;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] RuleError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] Box<ConfigError>),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] BaselineError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Git(#[from] crate::git::GitError),

    #[error("cannot scan {}: {error}", path.display())]
    #[diagnostic(code(tokenlint::path))]
    Path {
        path: PathBuf,
        error: std::io::Error,
    },

    /// A file name given to `--hook` that looks like an option and is no file: an option
    /// put after `--hook` by mistake, as pre-commit's `args:` does.
    #[error("cannot scan {}: {error}", path.display())]
    #[diagnostic(
        code(tokenlint::path),
        help(
            "every argument after --hook is a file name; put options before --hook \
             (in the hook's `entry:`) or in tokenlint.toml"
        )
    )]
    HookOption {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("unknown rule `{id}`")]
    #[diagnostic(code(tokenlint::rule))]
    UnknownRule {
        id: String,
        /// The closest rule id, when one is close, and where to find the others.
        #[help]
        help: String,
    },

    #[error("cannot write {}", path.display())]
    #[diagnostic(code(tokenlint::output))]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Arguments that parse but do not go together, or are not allowed here.
    #[error("{0}")]
    #[diagnostic(code(tokenlint::usage))]
    Usage(String),

    #[error("cannot read standard input")]
    #[diagnostic(code(tokenlint::stdin))]
    Stdin(#[source] std::io::Error),
}
