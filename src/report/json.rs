//! `--format json`: one document, described in the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Reporter, Summary, TokenFileRow};
use crate::finding::{Encoding, Finding, Suppression};
use crate::outcome::ScanError;
use crate::rules::Severity;
use crate::token::Secret;

/// The version of the JSON document's shape; it changes only when a field changes meaning
/// or goes away.
const FORMAT_VERSION: u32 = 1;

pub(super) struct JsonReporter;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    /// `audit` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    token_files: Option<&'a [TokenFileRow]>,
    /// `audit --fix` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    actions: Option<&'a [super::ActionRow]>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    redacted: Option<String>,
    /// Only with `--no-redact`.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    encoding: &'a [Encoding],
    fingerprint: &'a str,
    /// Only with `--show-suppressed`, on suppressed findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<&'a Suppression>,
    /// Only with `--history`: the commit that first added the blob.
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a crate::finding::Commit>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

impl<'a> JsonFinding<'a> {
    fn new(f: &'a Finding, show_secret: bool) -> Self {
        JsonFinding {
            rule_id: &f.rule_id,
            severity: f.severity,
            path: &f.path,
            line: f.position.line,
            column: f.position.column,
            end_line: f.position.end_line,
            end_column: f.position.end_column,
            message: &f.message,
            redacted: f.secret.as_ref().map(Secret::redacted),
            secret: f
                .secret
                .as_ref()
                .filter(|_| show_secret)
                .map(Secret::expose),
            encoding: &f.encoding,
            fingerprint: &f.fingerprint,
            suppression: f.suppression.as_ref(),
            commit: f.commit.as_ref(),
        }
    }
}

impl Reporter for JsonReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            version: FORMAT_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: report
                .findings
                .iter()
                .map(|f| JsonFinding::new(f, report.show_secrets))
                .collect(),
            errors: report
                .errors
                .iter()
                .map(|e: &ScanError| JsonError {
                    path: &e.path,
                    message: &e.message,
                })
                .collect(),
            token_files: report.token_files,
            actions: report.actions,
            summary: &report.summary,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
