//! `--format github`: one GitHub Actions workflow command per finding, which the runner
//! turns into an annotation on the file and line.

use std::io::{self, Write};

use super::{Report, Reporter};
use crate::rules::Severity;

pub(super) struct GithubReporter;

impl Reporter for GithubReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        // Annotations are for what needs fixing: suppressed findings get none.
        for f in report.findings.iter().filter(|f| f.suppression.is_none()) {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            if super::variable(f).is_some() || !f.in_file {
                // A variable or a git object (a commit's message) is no file: the
                // annotation is the run's, with no file=, and says where.
                let text = match f.in_file {
                    true => f.message.clone(),
                    false => format!("{}: {}", f.path, f.message),
                };
                writeln!(
                    out,
                    "::{command} title={}::{}",
                    property(&f.rule_id),
                    data(&text)
                )?;
                continue;
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&f.path),
                f.position.line,
                f.position.column,
                f.position.end_line,
                f.position.end_column,
                property(&f.rule_id),
                data(&f.message)
            )?;
        }
        Ok(())
    }
}

/// A command's message, escaped as the runner expects; any other control character (an
/// escape sequence from a rule file or a file name) shown as an escape (`\u{1b}`).
fn data(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => shown.push_str("%25"),
            '\r' => shown.push_str("%0D"),
            '\n' => shown.push_str("%0A"),
            c if c.is_control() => shown.extend(c.escape_default()),
            c => shown.push(c),
        }
    }
    shown
}

/// A command's property value, escaped as the runner expects.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(property("C:\\a,b%.txt"), "C%3A\\a%2Cb%25.txt");
        assert_eq!(data("\x1b]0;TITLE\x07"), "\\u{1b}]0;TITLE\\u{7}");
    }
}
