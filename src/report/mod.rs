//! Reports: the sorted result of a scan, written in the format the user asked for.
//! Adding a format means adding one [`Reporter`].

mod actions;
mod concise;
mod github;
mod gitlab;
mod json;
mod junit;
mod rdjson;
pub mod sarif;
mod text;

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::finding::Finding;
use crate::outcome::ScanError;
use crate::rules::{RuleSet, Severity};
pub(crate) use crate::shown::{clean, clean_lines, clean_path, source_text, visible};
pub use crate::shown::{shown_error, ShownError};
use crate::token::{redact_in_place, redact_tokens, Reveal, TokenKind};
pub(crate) use text::older_line;

/// Everything a reporter may show.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub errors: &'a [ScanError],
    pub summary: Summary,
    pub rules: &'a RuleSet,
    /// Whether `--no-redact` was given.
    pub show_secrets: bool,
    /// `audit`'s token files, one row each; `None` for `scan`.
    pub token_files: Option<&'a [TokenFileRow]>,
    /// `audit --fix`'s actions; `None` without `--fix`.
    pub actions: Option<&'a [ActionRow]>,
    pub context: &'a RunContext,
}

/// Where the run happened, for formats that place paths (SARIF).
#[derive(Clone, Debug)]
pub struct RunContext {
    /// The directory paths are shown relative to.
    pub cwd: PathBuf,
    /// The scan root: `%SRCROOT%` in SARIF.
    pub root: PathBuf,
    /// How SARIF names files.
    pub uris: Uris,
    /// SARIF `automationDetails.id`, so that a monorepo can upload several logs.
    pub sarif_category: Option<String>,
    /// A history scan's repository URI and revision (SARIF `versionControlProvenance`).
    pub provenance: Option<(String, String)>,
}

/// How SARIF names the files a report places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uris {
    /// Relative to the scan root, `%SRCROOT%`, when a file lies under it (`scan`).
    UnderRoot,
    /// Every path as an absolute URI (`audit`, whose files live outside any repository).
    Absolute,
}

/// A token file as `audit` lists it. Never the token itself.
#[derive(Clone, Debug, Serialize)]
pub struct TokenFileRow {
    pub path: String,
    pub name: Option<String>,
    pub kind: Option<TokenKind>,
    pub created: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    /// Days until `expires`; negative once expired.
    pub days_left: Option<i64>,
    /// What is wrong with it (`ok` when nothing is).
    pub status: Vec<String>,
}

/// One thing `audit --fix` did, would do (`--dry-run`), or left to do. Never a token.
#[derive(Clone, Debug, Serialize)]
pub struct ActionRow {
    /// `moved`, `removed` (a byte-identical copy), `chmod`, or `left: <reason>`.
    pub action: String,
    pub path: String,
    /// Where a file was moved to, or the copy it duplicated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The mode set, or how to finish what is left.
    pub detail: String,
    /// Whether it was done: false for what is left, and for every step of `--dry-run`.
    pub done: bool,
}

impl ActionRow {
    /// Redacts every token in what the row shows: a downloaded file's name may hold one.
    pub(crate) fn redact_names(&mut self) {
        redact_in_place(&mut self.path);
        self.to.iter_mut().for_each(redact_in_place);
        redact_in_place(&mut self.detail);
    }
}

/// Counts for the end of a report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    /// Findings reported: not suppressed.
    pub findings: usize,
    pub by_severity: SeverityCounts,
    /// Findings that an inline marker, the allowlist or the baseline suppressed.
    pub suppressed: usize,
    /// Paths that could not be scanned.
    pub errors: usize,
    /// In a range scan: older secrets of the files it touches, not judged (distinct by
    /// path, rule and secret). Left out of JSON when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub older: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Summary {
    /// Counts `findings`, telling suppressed ones apart.
    pub fn new(findings: &[Finding], errors: usize, files: u64, bytes: u64) -> Summary {
        let mut by_severity = SeverityCounts::default();
        let suppressed = findings.iter().filter(|f| f.suppression.is_some()).count();
        for f in findings.iter().filter(|f| f.suppression.is_none()) {
            *match f.severity {
                Severity::Error => &mut by_severity.error,
                Severity::Warning => &mut by_severity.warning,
                Severity::Note => &mut by_severity.note,
            } += 1;
        }
        Summary {
            files,
            bytes,
            findings: findings.len() - suppressed,
            by_severity,
            suppressed,
            errors,
            older: 0,
        }
    }
}

/// Writes a whole report.
pub trait Reporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Concise,
    Gitlab,
    Rdjson,
    Junit,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How text output looks: coloured or not, and the width it wraps at (`None`: it does not
/// wrap, one line per paragraph, as when it goes to a file or a pipe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLayout {
    pub color: bool,
    pub width: Option<usize>,
}

impl Format {
    pub fn reporter(self, layout: TextLayout) -> Box<dyn Reporter> {
        match self {
            Format::Text => Box::new(text::TextReporter { layout }),
            Format::Json => Box::new(json::JsonReporter),
            Format::Sarif => Box::new(sarif::SarifReporter),
            Format::Github => Box::new(github::GithubReporter),
            Format::Concise => Box::new(concise::ConciseReporter),
            Format::Gitlab => Box::new(gitlab::GitlabReporter),
            Format::Rdjson => Box::new(rdjson::RdjsonReporter),
            Format::Junit => Box::new(junit::JunitReporter),
        }
    }
}

/// Redacts every token in the names a report shows: paths, messages, commits, and `audit`'s
/// rows; every format then shows them redacted. Not for `--no-redact`.
pub(crate) fn redact_names(
    findings: &mut [Finding],
    errors: &mut [ScanError],
    rows: Option<&mut [TokenFileRow]>,
) {
    findings.iter_mut().for_each(Finding::redact_names);
    for e in errors {
        redact_in_place(&mut e.path);
        redact_in_place(&mut e.message);
    }
    for row in rows.into_iter().flatten() {
        redact_in_place(&mut row.path);
        row.name.iter_mut().for_each(redact_in_place);
    }
}

/// Hands one line to the warning sink, its tokens redacted, and its control characters
/// escaped as [`visible`] does: a file name or a message can then neither show a token nor
/// start a line that a terminal or a CI runner would obey.
/// The environment variable a finding is about (`token-in-environment`, whose path is
/// `$NAME`), or `None` for a finding in a file: a variable is no file, and the formats that
/// take a file (SARIF, GitHub annotations) must not make one up.
pub(crate) fn variable(f: &Finding) -> Option<&str> {
    let name = f.path.strip_prefix('$')?;
    let is_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    (is_name && f.rule_id == crate::rules::BuiltinRule::InEnvironment.id()).then_some(name)
}

pub(crate) fn warn(line: &str) {
    warn_with(line, Reveal::Redacted);
}

/// [`warn`], its tokens shown in full when `reveal` says so (`--no-redact`). Every warning
/// goes through here.
pub(crate) fn warn_with(line: &str, reveal: Reveal) {
    let line = match reveal {
        Reveal::Redacted => redact_tokens(line),
        Reveal::InFull => std::borrow::Cow::Borrowed(line),
    };
    emit(&visible(&line));
}

/// Where warnings go. The library prints nothing itself: the binary installs a sink that
/// writes each line to standard error; without one, warnings are dropped. The panic hook
/// ([`crate::crash::install`]) takes one, so that a crash's message never is.
type WarningSink = Box<dyn Fn(&str) + Send + Sync>;

static SINK: std::sync::OnceLock<WarningSink> = std::sync::OnceLock::new();

/// Installs the process's warning sink, once, as the `log` facade does: `sink` takes every
/// warning (one line) and a panic's message (two), already cleaned: tokens redacted,
/// control characters escaped. A second call is ignored and returns `false`.
pub fn set_warning_sink(sink: impl Fn(&str) + Send + Sync + 'static) -> bool {
    SINK.set(Box::new(sink)).is_ok()
}

/// Hands `line`, clean already, to the sink.
pub(crate) fn emit(line: &str) {
    if let Some(sink) = SINK.get() {
        sink(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_reach_the_sink_redacted_and_on_one_line() {
        static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
        set_warning_sink(|line| SEEN.lock().unwrap().push(line.to_string()));
        let body = ["9E3779B9"; 8].join("-");
        warn(&format!("warning: pa1.0/{body}\n::error::x"));
        let seen = SEEN.lock().unwrap();
        let line = seen.iter().find(|l| l.contains("::error::x")).unwrap();
        assert!(line.starts_with("warning: pa1.0/9E37"), "{line}");
        assert!(!line.contains(&body[..17]), "{line}");
        assert!(line.contains("\\n::error::x"), "{line}");
    }
}
