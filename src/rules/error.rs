//! Errors in rule files, rendered by miette with the offending part of the file underlined.

use std::ops::Range;
use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};

use super::Origin;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RuleError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidRule>),

    #[error("cannot read rules from {}", crate::shown::visible(&path.to_string_lossy()))]
    #[diagnostic(code(tokenlint::rule_file))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A rule file that does not parse or does not validate, with the place in it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid rule file {name}: {message}")]
#[diagnostic(code(tokenlint::rule_file))]
pub struct InvalidRule {
    pub name: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

impl RuleError {
    pub(crate) fn invalid(origin: &Origin, span: Range<usize>, message: &str) -> RuleError {
        RuleError::Invalid(Box::new(InvalidRule {
            name: origin.name.clone(),
            message: message.trim().to_string(),
            src: NamedSource::new(
                crate::shown::clean(&origin.name),
                crate::shown::source_text(&origin.text),
            ),
            span: span.into(),
        }))
    }
}
