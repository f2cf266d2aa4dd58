//! `--format concise`: one line per finding, `path:line:col: severity[rule-id] message`,
//! then the summary line: what gcc, ruff and editors' problem matchers read.

use std::io::{self, Write};

use super::{text::summary_line, visible, Report, Reporter};
use crate::finding::Finding;

pub(super) struct ConciseReporter;

impl Reporter for ConciseReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for finding in report.findings {
            writeln!(out, "{}", line(finding))?;
        }
        writeln!(out, "{}", summary_line(&report.summary))
    }
}

/// A finding's line. Its path and message come from the scanned tree: their control
/// characters are escaped, so that one finding is one line.
fn line(f: &Finding) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}] {}",
        visible(&f.path),
        f.position.line,
        f.position.column,
        f.severity,
        visible(&f.rule_id),
        visible(&f.message)
    );
    if let Some(s) = &f.suppression {
        line.push_str(&format!(
            " [suppressed: {}]",
            visible(s.reason.as_deref().unwrap_or("no reason given"))
        ));
    }
    line
}
