//! Baselines: the findings a team has accepted, recorded by fingerprint so that adopting
//! tokenlint on an old repository is one command, and the next scan shows only what is new.
//!
//! A baseline holds no line numbers and no timestamps — moving code or writing the file
//! again changes nothing — and no secret: a fingerprint hashes the rule, the path and the
//! secret's hash. A changed secret has a new fingerprint, so it is reported again.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::confine::{self, Scope};
use crate::finding::Finding;
use crate::finding::{Suppression, SuppressionKind};
use crate::rules::{BuiltinRule, RuleSet};
use crate::scan;

/// The file's shape; it changes only when a field changes meaning or goes away.
const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule_id: String,
    pub fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

/// A baseline read from its file.
#[derive(Debug)]
pub struct Baseline {
    text: String,
    pub entries: Vec<Entry>,
    by_fingerprint: HashMap<String, usize>,
    /// Where each fingerprint stands in the file, for pointing at stale entries.
    offsets: HashMap<String, usize>,
}

/// A baseline file that cannot be read or parsed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot use baseline {}: {message}", crate::report::visible(&path.to_string_lossy()))]
#[diagnostic(
    code(tokenlint::baseline),
    help("`tokenlint baseline -o FILE` writes a new one to FILE")
)]
pub struct BaselineError {
    pub path: PathBuf,
    pub message: String,
}

impl Baseline {
    /// Reads and parses the baseline at `path`, a regular file in `scope` of at most
    /// [`confine::BASELINE_CAP`] bytes.
    pub fn load(path: &Path, scope: &Scope) -> Result<Baseline, BaselineError> {
        Baseline::parse(path, Baseline::read(path, scope)?)
    }

    /// The text of the baseline at `path`.
    pub fn read(path: &Path, scope: &Scope) -> Result<String, BaselineError> {
        confine::read_text(path, scope, confine::BASELINE_CAP).map_err(|e| BaselineError {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Parses a baseline's text, read from `path`.
    pub fn parse(path: &Path, text: String) -> Result<Baseline, BaselineError> {
        let error = |message: String| BaselineError {
            path: path.to_path_buf(),
            message,
        };
        let file: File = serde_json::from_str(&text).map_err(|e| error(e.to_string()))?;
        if file.version != FORMAT_VERSION {
            return Err(error(format!(
                "version {} is not {FORMAT_VERSION}",
                file.version
            )));
        }
        let by_fingerprint = file
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.fingerprint.clone(), i))
            .collect();
        let offsets = fingerprint_offsets(&text);
        Ok(Baseline {
            text,
            entries: file.entries,
            by_fingerprint,
            offsets,
        })
    }

    /// Marks the findings the baseline lists as suppressed; returns, for each entry,
    /// whether a finding matched it.
    pub fn apply(&self, findings: &mut [Finding]) -> Vec<bool> {
        let mut used = vec![false; self.entries.len()];
        for f in findings.iter_mut() {
            if let Some(&i) = self.by_fingerprint.get(&f.fingerprint) {
                used[i] = true;
                if f.suppression.is_none() {
                    f.suppression = Some(Suppression {
                        kind: SuppressionKind::External,
                        reason: Some("in the baseline".to_string()),
                    });
                }
            }
        }
        used
    }

    /// A `stale-baseline-entry` finding for every entry that matched nothing and whose path
    /// `in_scope` says was scanned.
    pub fn stale_findings(
        &self,
        used: &[bool],
        in_scope: impl Fn(&str) -> bool,
        shown: &str,
        rules: &RuleSet,
    ) -> Vec<Finding> {
        let stale = BuiltinRule::StaleBaselineEntry;
        let Some(rule) = rules.builtin(stale) else {
            return Vec::new();
        };
        self.entries
            .iter()
            .zip(used)
            .filter(|(e, used)| !**used && in_scope(&e.path))
            .map(|(e, _)| {
                let at = self.offsets.get(&e.fingerprint).copied().unwrap_or(0);
                let span = at..at + e.fingerprint.len();
                let mut place = scan::place(self.text.as_bytes(), &span, &[]);
                place.snippet = place.snippet.filter(|_| !span.is_empty());
                let values = [
                    ("rule", &*e.rule_id),
                    ("path", &e.path),
                    ("baseline", shown),
                ];
                let message = stale.message(rule, &values);
                let mut finding = Finding::new(stale.id(), rule.severity, shown, message).at(place);
                // The finding stands for the entry, and is not checked against the
                // allowlist or the baseline: it keeps the entry's fingerprint.
                finding.fingerprint = e.fingerprint.clone();
                finding
            })
            .collect()
    }

    /// What `--prune` keeps: the entries that matched a finding, and those whose path was
    /// not scanned (`in_scope` says no), in file order.
    pub fn pruned(&self, used: &[bool], in_scope: impl Fn(&str) -> bool) -> Vec<Entry> {
        self.entries
            .iter()
            .zip(used)
            .filter(|(e, used)| **used || !in_scope(&e.path))
            .map(|(e, _)| e.clone())
            .collect()
    }
}

/// Where each `"fingerprint": "…"` value starts in a baseline's text, in one pass.
fn fingerprint_offsets(text: &str) -> HashMap<String, usize> {
    let mut offsets = HashMap::new();
    for (at, key) in text.match_indices("\"fingerprint\"") {
        let rest = &text[at + key.len()..];
        let Some(open) = rest.find('"') else { continue };
        let value = &rest[open + 1..];
        if let Some(close) = value.find('"') {
            let start = at + key.len() + open + 1;
            offsets.entry(value[..close].to_string()).or_insert(start);
        }
    }
    offsets
}

/// The entries for `findings`: one per fingerprint, sorted.
pub fn entries(findings: &[Finding]) -> Vec<Entry> {
    unique(findings.iter().map(|f| Entry {
        path: f.key.clone(),
        rule_id: f.rule_id.clone(),
        fingerprint: f.fingerprint.clone(),
    }))
}

/// `entries`, one per fingerprint (the first), sorted.
pub fn unique(entries: impl IntoIterator<Item = Entry>) -> Vec<Entry> {
    let mut by_fingerprint: BTreeMap<String, Entry> = BTreeMap::new();
    for e in entries {
        by_fingerprint.entry(e.fingerprint.clone()).or_insert(e);
    }
    let mut entries: Vec<Entry> = by_fingerprint.into_values().collect();
    entries.sort();
    entries
}

/// The baseline file's text: pretty-printed, sorted, one trailing newline.
pub fn render(entries: &[Entry]) -> String {
    let file = File {
        version: FORMAT_VERSION,
        entries: entries.to_vec(),
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a baseline serializes");
    text.push('\n');
    text
}

/// The baseline to read: `--baseline`, else the configuration's, which must lie where the
/// configuration may name files, and never in a git directory (where the file `tokenlint
/// baseline` writes would be a hook git runs, or git's configuration). With where it may lie.
pub(crate) fn chosen(
    flag: Option<&PathBuf>,
    config: &crate::config::Config,
) -> Result<Option<(PathBuf, Scope)>, crate::Error> {
    if let Some(path) = flag {
        return Ok(Some((path.clone(), Scope::Anywhere)));
    }
    let Some(named) = &config.baseline else {
        return Ok(None);
    };
    let path = config.named(named)?;
    if config.scope != Scope::Anywhere {
        confine::outside_git_dir(&path).map_err(|e| baseline_error(&path, &e))?;
    }
    Ok(Some((path, config.scope.clone())))
}

fn baseline_error(path: &Path, e: &std::io::Error) -> BaselineError {
    BaselineError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Whether the file at `path`, which is no baseline this version reads, looks like one
/// that a merge left conflicted or an older version wrote: it may be replaced, whoever
/// named it. Any other file a configuration names is not (it may be any file there).
fn damaged_baseline(path: &Path) -> bool {
    let Ok((head, _)) = confine::read_regular(path, 4096) else {
        return false;
    };
    let head = String::from_utf8_lossy(&head);
    let head = head.trim_start();
    head.starts_with("<<<<<<< ") || (head.starts_with('{') && head.contains("\"entries\""))
}

/// The entries of the baseline about to be rewritten at `path` whose paths were not
/// scanned (`in_scope` says no): a run over part of the project keeps the rest. A file
/// that is not a baseline is replaced, with a warning, only when the user named it: one
/// the scanned tree's configuration names is refused, since it may be any file there.
pub(crate) fn entries_elsewhere(
    path: &Path,
    confined: &Scope,
    in_scope: impl Fn(&str) -> bool,
) -> Result<Vec<Entry>, crate::Error> {
    // A file about to be written must lie where a file to read may.
    confined
        .confine(path)
        .map_err(|e| baseline_error(path, &e))?;
    if path.symlink_metadata().is_err() {
        return Ok(Vec::new());
    }
    let text = Baseline::read(path, confined)?;
    match Baseline::parse(path, text) {
        Ok(old) => Ok(old
            .entries
            .into_iter()
            .filter(|e| !in_scope(&e.path))
            .collect()),
        Err(e) if *confined == Scope::Anywhere || damaged_baseline(&e.path) => {
            crate::report::warn(&format!("warning: {e}; it is replaced"));
            Ok(Vec::new())
        }
        Err(e) => Err(BaselineError {
            message: format!(
                "{}; the configuration names it, so it is not replaced",
                e.message
            ),
            ..e
        }
        .into()),
    }
}
