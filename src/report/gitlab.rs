//! `--format gitlab`: a GitLab Code Quality report (a JSON array of Code Climate issues),
//! which GitLab shows in merge requests when a job declares it as
//! `artifacts:reports:codequality`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Reporter};
use crate::finding::Finding;
use crate::rules::Severity;

pub(super) struct GitlabReporter;

/// One Code Climate issue, with the fields GitLab requires.
#[derive(Serialize)]
struct Issue<'a> {
    /// GitLab does not show `check_name`: the description starts with it, as ruff's does.
    description: String,
    check_name: &'a str,
    /// Unique per issue: GitLab compares reports by fingerprint.
    fingerprint: &'a str,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

impl Reporter for GitlabReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        // A Code Quality report lists what needs fixing: suppressed findings are left out.
        let issues: Vec<Issue> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(issue)
            .collect();
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        writeln!(out)
    }
}

fn issue(f: &Finding) -> Issue<'_> {
    Issue {
        description: format!("{}: {}", f.rule_id, f.message),
        check_name: &f.rule_id,
        fingerprint: &f.fingerprint,
        severity: match f.severity {
            Severity::Note => "info",
            Severity::Warning => "minor",
            Severity::Error => "major",
        },
        location: Location {
            path: &f.path,
            lines: Lines {
                begin: f.position.line,
                end: f.position.end_line,
            },
        },
    }
}
