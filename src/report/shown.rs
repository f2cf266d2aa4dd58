//! An error as standard error shows it. An error's message may name a path from the
//! command line or a hook's file list, or quote a configuration file: hostile text, which
//! must neither show a token nor start a line that a terminal or a CI runner would obey.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::finding::redact_tokens;

/// `err` with every message, cause, help and label cleaned (tokens redacted, control
/// characters escaped), and its source code and spans as they are.
pub fn shown_error(err: crate::Error) -> ShownError {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        causes.push(clean(&cause.to_string()));
        source = cause.source();
    }
    let cause = causes.into_iter().rev().fold(None, |inner, message| {
        Some(Box::new(Cause { message, inner }))
    });
    let labels = err
        .labels()
        .into_iter()
        .flatten()
        .map(|l| {
            let text = l.label().map(clean);
            match l.primary() {
                true => LabeledSpan::new_primary_with_span(text, *l.inner()),
                false => LabeledSpan::new_with_span(text, *l.inner()),
            }
        })
        .collect();
    ShownError {
        chain: Cause {
            message: clean(&err.to_string()),
            inner: cause,
        },
        help: err.help().map(|h| clean(&h.to_string())),
        labels,
        inner: err,
    }
}

fn clean(text: &str) -> String {
    super::visible(&redact_tokens(text)).into_owned()
}

/// An error to print: see [`shown_error`].
#[derive(Debug)]
pub struct ShownError {
    inner: crate::Error,
    /// Its message and causes.
    chain: Cause,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for ShownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.chain, f)
    }
}

impl std::error::Error for ShownError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.chain.source()
    }
}

impl Diagnostic for ShownError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as _)
    }
}

/// One cleaned message of an error, and its cause.
#[derive(Debug)]
struct Cause {
    message: String,
    inner: Option<Box<Cause>>,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.as_deref().map(|c| c as _)
    }
}
