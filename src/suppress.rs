//! Saying "not this one": inline markers in the source, the configuration's allowlist, and
//! the baseline (in `baseline.rs`). A suppressed finding stays a finding, marked with why,
//! so that `--show-suppressed` and the summary can still count it.

use std::collections::HashSet;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::Regex;

use crate::config::{Config, ConfigError};
use crate::finding::{Finding, Suppression, SuppressionKind};

/// The inline markers: `tokenlint:allow`, `tokenlint:allow(rule, rule)` on the line,
/// `tokenlint:allow-next-line` on the line before; and, unless turned off, other tools'
/// `gitleaks:allow` and `pragma: allowlist secret` (`pragma: allowlist nextline secret`).
const MARKER: &str = "tokenlint:allow";
const NEXT_LINE: &str = "-next-line";
const FOREIGN_SAME_LINE: [&str; 2] = ["gitleaks:allow", "pragma: allowlist secret"];
const FOREIGN_NEXT_LINE: &str = "pragma: allowlist nextline secret";

/// The inline suppression of a finding of `rule_id` on `line`, below `previous`.
pub fn inline(
    line: &str,
    previous: Option<&str>,
    rule_id: &str,
    foreign: bool,
) -> Option<Suppression> {
    let in_source = |reason: &str| Suppression {
        kind: SuppressionKind::InSource,
        reason: reason_text(reason),
    };
    for (at, _) in line.match_indices(MARKER) {
        let rest = &line[at + MARKER.len()..];
        if rest.starts_with(NEXT_LINE) {
            continue;
        }
        if let Some(reason) = applies(rest, rule_id) {
            return Some(in_source(reason));
        }
    }
    if let Some(previous) = previous {
        for (at, _) in previous.match_indices(MARKER) {
            if let Some(rest) = previous[at + MARKER.len()..].strip_prefix(NEXT_LINE) {
                if let Some(reason) = applies(rest, rule_id) {
                    return Some(in_source(reason));
                }
            }
        }
    }
    if foreign {
        for marker in FOREIGN_SAME_LINE {
            if let Some(at) = line.find(marker) {
                return Some(in_source(&line[at + marker.len()..]));
            }
        }
        if let Some(at) = previous.and_then(|p| p.find(FOREIGN_NEXT_LINE)) {
            let previous = previous.unwrap_or_default();
            return Some(in_source(&previous[at + FOREIGN_NEXT_LINE.len()..]));
        }
    }
    None
}

/// For the text after a marker: the reason, if the marker covers `rule_id`.
fn applies<'a>(rest: &'a str, rule_id: &str) -> Option<&'a str> {
    let Some(list) = rest.strip_prefix('(') else {
        // A marker glued to more letters (`tokenlint:allowed`) is not a marker.
        return (!rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_'))
            .then_some(rest);
    };
    let (ids, reason) = list.split_once(')')?;
    ids.split(',')
        .any(|id| id.trim() == rule_id)
        .then_some(reason)
}

/// A marker's reason: the text after it, without separators or comment closers.
fn reason_text(text: &str) -> Option<String> {
    let mut t = text.trim();
    for closer in ["*/", "-->", "#}", "%>", "--}}"] {
        t = t.strip_suffix(closer).unwrap_or(t).trim_end();
    }
    let t = t.trim_start_matches([':', '-', '—', ' ', '\t']).trim();
    // A reason is shown in every format: never with a token in it.
    (!t.is_empty()).then(|| crate::token::printable(t, 120))
}

/// The configuration's allowlist, compiled.
#[derive(Debug, Default)]
pub struct Allowlist {
    entries: Vec<Entry>,
    /// The configuration file's directory: path patterns match files under it only.
    root: std::path::PathBuf,
}

#[derive(Debug)]
struct Entry {
    /// Gitignore-style patterns, rooted at the configuration file's directory.
    paths: Option<Gitignore>,
    secrets: Vec<Regex>,
    lines: Vec<Regex>,
    fingerprints: HashSet<String>,
    rules: Vec<String>,
    reason: Option<String>,
}

impl Allowlist {
    /// Compiles the configuration's `[[allowlist]]` entries; a bad glob or regex is an error
    /// that points at it.
    pub fn new(
        config: &Config,
        rules: &crate::rules::RuleSet,
    ) -> Result<Allowlist, Box<ConfigError>> {
        let root = config
            .dir()
            .map(|d| d.canonicalize().unwrap_or_else(|_| d.to_path_buf()))
            .unwrap_or_default();
        let mut entries = Vec::new();
        for e in &config.allowlist {
            if let Some(id) = e.rules.iter().find(|id| rules.get(id.get_ref()).is_none()) {
                return Err(config.invalid(id.span(), &format!("unknown rule `{}`", id.get_ref())));
            }
            let paths = if e.paths.is_empty() {
                None
            } else {
                let mut builder = GitignoreBuilder::new(&root);
                for glob in &e.paths {
                    builder.add_line(None, glob.get_ref()).map_err(|err| {
                        config.invalid(glob.span(), &format!("bad pattern: {err}"))
                    })?;
                }
                Some(
                    builder
                        .build()
                        .map_err(|err| config.invalid(0..0, &err.to_string()))?,
                )
            };
            let regexes = |list: &[toml::Spanned<String>]| {
                list.iter()
                    .map(|r| {
                        Regex::new(r.get_ref())
                            .map_err(|err| config.invalid(r.span(), &format!("bad regex: {err}")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            entries.push(Entry {
                paths,
                secrets: regexes(&e.secrets)?,
                lines: regexes(&e.lines)?,
                fingerprints: e.fingerprints.iter().cloned().collect(),
                rules: e.rules.iter().map(|r| r.get_ref().clone()).collect(),
                reason: e.reason.clone(),
            });
        }
        Ok(Allowlist { entries, root })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether an entry needs the finding's source line.
    pub fn wants_lines(&self) -> bool {
        self.entries.iter().any(|e| !e.lines.is_empty())
    }

    /// The entry that accepts `finding`, whose file is at the absolute `path`, on source
    /// line `line`.
    pub fn suppression(
        &self,
        finding: &Finding,
        path: &std::path::Path,
        line: Option<&str>,
    ) -> Option<Suppression> {
        let entry = self.entries.iter().find(|e| {
            e.paths.as_ref().is_none_or(|p| {
                // The matcher panics on a path outside its root; such a path never matches.
                path.starts_with(&self.root)
                    && p.matched_path_or_any_parents(path, false).is_ignore()
            }) && (e.secrets.is_empty()
                || finding
                    .secret
                    .as_ref()
                    .is_some_and(|s| e.secrets.iter().any(|r| r.is_match(s.expose()))))
                && (e.lines.is_empty()
                    || line.is_some_and(|l| e.lines.iter().any(|r| r.is_match(l))))
                && (e.fingerprints.is_empty() || e.fingerprints.contains(&finding.fingerprint))
                && (e.rules.is_empty() || e.rules.contains(&finding.rule_id))
        })?;
        Some(Suppression {
            kind: SuppressionKind::External,
            reason: entry.reason.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(line: &str, previous: Option<&str>, rule: &str) -> Option<Option<String>> {
        inline(line, previous, rule, true).map(|s| s.reason)
    }

    #[test]
    fn markers_on_the_line() {
        let r = "remotive-personal-access-token";
        assert_eq!(reason("T=x # tokenlint:allow", None, r), Some(None));
        assert_eq!(
            reason("T=x // tokenlint:allow revoked in 2024", None, r),
            Some(Some("revoked in 2024".into()))
        );
        assert_eq!(
            reason("T=x /* tokenlint:allow: test fixture */", None, r),
            Some(Some("test fixture".into()))
        );
        assert_eq!(
            reason(&format!("T=x # tokenlint:allow({r}, other) fake"), None, r),
            Some(Some("fake".into()))
        );
        assert_eq!(
            reason("T=x # tokenlint:allow(other-rule) fake", None, r),
            None
        );
        assert_eq!(reason("T=x # tokenlint:allowed", None, r), None);
        assert_eq!(reason("T=x # tokenlint:allow-next-line", None, r), None);
    }

    #[test]
    fn markers_on_the_line_before() {
        let r = "remotive-service-account-token";
        assert_eq!(
            reason("T=x", Some("# tokenlint:allow-next-line docs sample"), r),
            Some(Some("docs sample".into()))
        );
        assert_eq!(
            reason("T=x", Some("# tokenlint:allow-next-line(other)"), r),
            None
        );
        assert_eq!(reason("T=x", Some("# tokenlint:allow"), r), None);
    }

    #[test]
    fn foreign_markers_can_be_turned_off() {
        let r = "x";
        assert!(inline("T=x # gitleaks:allow", None, r, true).is_some());
        assert!(inline("T=x # pragma: allowlist secret", None, r, true).is_some());
        assert!(inline("T=x", Some("# pragma: allowlist nextline secret"), r, true).is_some());
        assert!(inline("T=x # gitleaks:allow", None, r, false).is_none());
    }
}
