//! Errors in rule files, rendered by miette with the offending part of the file underlined.

use std::ops::Range;
use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};

use super::Origin;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RuleError {
    #[error("invalid rule file {name}: {message}")]
    #[diagnostic(code(tokenlint::rule_file))]
    Invalid {
        name: String,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("cannot read rules from {}", path.display())]
    #[diagnostic(code(tokenlint::rule_file))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RuleError {
    pub(crate) fn invalid(origin: &Origin, span: Range<usize>, message: &str) -> RuleError {
        RuleError::Invalid {
            name: origin.name.clone(),
            message: message.trim().to_string(),
            src: NamedSource::new(origin.name.clone(), origin.text.to_string()),
            span: span.into(),
        }
    }
}
