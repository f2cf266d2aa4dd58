//! `--format rdjson`: reviewdog's diagnostic JSON (`DiagnosticResult`), which reviewdog
//! turns into review comments on GitHub, GitLab and Bitbucket
//! (`reviewdog -f=rdjson`). The schema is vendored in `fixtures/rdjson/`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Reporter};
use crate::finding::Finding;
use crate::rules::Severity;

pub(super) struct RdjsonReporter;

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    message: &'a str,
    location: Location<'a>,
    severity: &'static str,
    code: Code<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    range: Range,
}

/// Lines and columns from 1; the end is exclusive, as tokenlint's own end column is.
#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

/// tokenlint, as reviewdog names the tool that found the diagnostics.
const SOURCE: Source = Source {
    name: env!("CARGO_PKG_NAME"),
    url: env!("CARGO_PKG_HOMEPAGE"),
};

impl Reporter for RdjsonReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        // Review comments are for what needs fixing: suppressed findings get none.
        let unsuppressed = report.findings.iter().filter(|f| f.suppression.is_none());
        let result = DiagnosticResult {
            source: SOURCE,
            diagnostics: unsuppressed.map(diagnostic).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &result)?;
        writeln!(out)
    }
}

fn diagnostic(f: &Finding) -> Diagnostic<'_> {
    let p = &f.position;
    Diagnostic {
        message: &f.message,
        location: Location {
            path: &f.path,
            range: Range {
                start: Position {
                    line: p.line,
                    column: p.column,
                },
                end: Position {
                    line: p.end_line,
                    column: p.end_column,
                },
            },
        },
        severity: match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Note => "INFO",
        },
        code: Code { value: &f.rule_id },
    }
}
