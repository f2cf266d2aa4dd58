//! Hostile text as it may be shown, and an error as standard error shows it. A path from
//! the scanned tree or a hook's file list, a rule or configuration file quoted in an
//! error: such text must neither show a token nor start a line that a terminal or a CI
//! runner would obey. Below the reports and the rules, which both show such text.

use std::fmt;
use std::path::Path;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::token::redact_tokens;

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

/// Hostile text as it may be printed on one line: every token redacted, every control
/// character escaped (`\n`, `\u{1b}`). For paths, names and messages from the scanned
/// tree, the command line or a rule file.
pub(crate) fn clean(text: &str) -> String {
    visible(&redact_tokens(text)).into_owned()
}

/// `text` with every control character shown as an escape (`\n`, `\u{1b}`): for paths,
/// names and messages that come from file names or file contents, so that text output
/// stays one line per item and never carries terminal escapes or a line a CI runner
/// would read as a command.
pub(crate) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// A file's text as an error's snippet shows it (miette prints a snippet's bytes as they
/// are): every control character but a line break, a tab and the CR of a CRLF replaced by
/// as many `?` as it has bytes, so that the spans into the text still point where they
/// did, and a configuration or rule file from the scanned tree cannot drive a terminal.
/// Tokens are redacted when the whole message is printed.
pub(crate) fn source_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kept = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if kept {
            shown.push(c);
        } else {
            shown.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    shown
}

/// A path as [`clean`] shows it.
pub(crate) fn clean_path(path: &Path) -> String {
    clean(&path.to_string_lossy())
}

/// Hostile text of several lines, as [`clean`] shows it but with its line breaks and tabs
/// kept: a rule file's docs. A lone CR is escaped, so that no line is overwritten, and a
/// line that would start with `::` (a workflow command) starts with `\:` instead, which
/// Markdown shows as `:`.
pub(crate) fn clean_lines(text: &str) -> String {
    let redacted = redact_tokens(text);
    let mut shown = String::with_capacity(redacted.len());
    for (i, line) in redacted.split('\n').enumerate() {
        if i > 0 {
            shown.push('\n');
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        push_kept(&mut shown, indent);
        if body.starts_with("::") {
            shown.push('\\');
        }
        push_kept(&mut shown, body);
    }
    shown
}

/// Appends `line` with its control characters but tabs escaped.
fn push_kept(shown: &mut String, line: &str) {
    for c in line.chars() {
        match c {
            '\t' => shown.push(c),
            c if c.is_control() => shown.extend(c.escape_default()),
            c => shown.push(c),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_text_drives_no_terminal_and_keeps_its_offsets() {
        let text = "a = 1\r\nb = \"\u{1b}]0;PWNED\u{7}\u{9b}x\"\r\tc\n";
        let shown = source_text(text);
        assert_eq!(shown.len(), text.len());
        assert!(!shown
            .chars()
            .any(|c| c.is_control() && !"\n\t\r".contains(c)));
        assert_eq!(shown, "a = 1\r\nb = \"?]0;PWNED???x\"?\tc\n");
    }

    #[test]
    fn lines_keep_their_breaks_but_start_no_command() {
        let text = "a\tb\n ::error::x\n\x1b]0;T\x07\r::warning::y";
        assert_eq!(
            clean_lines(text),
            "a\tb\n \\::error::x\n\\u{1b}]0;T\\u{7}\\r::warning::y"
        );
    }
}
