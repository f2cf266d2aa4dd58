//! What a scan finds: [`Finding`]s, each holding its [`Secret`] in a type that never
//! prints itself, and a fingerprint that identifies it without the secret; how serious
//! one is ([`Severity`]); why one is suppressed ([`Suppression`]) and, in a history scan,
//! the commit it came from ([`Commit`]). The types others fill in live here, so that this
//! module depends on no module that makes findings.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::token::{hex, redact_in_place, Secret};

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fingerprint of the `n`-th (from 1) repeat of a finding in the same file: GitHub
/// merges results with equal fingerprints, and each occurrence is a leak of its own.
pub fn nth_fingerprint(base: &str, n: usize) -> String {
    let mut h = Sha256::new();
    h.update(base.as_bytes());
    h.update(format!("#{n}").as_bytes());
    hex(&h.finalize()[..16])
}

/// The fingerprint of a finding: stable across runs and line moves, since it hashes the
/// rule id, the path and the secret's hash, never a line number or the secret itself.
pub fn fingerprint(rule_id: &str, path: &str, secret: Option<&Secret>) -> String {
    let mut h = Sha256::new();
    let hash = secret.map(fingerprint_hash).unwrap_or_default();
    for part in [rule_id, path, &hash] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize()[..16])
}

/// Secrets shorter than this many characters get a slow hash in fingerprints.
const SHORT_SECRET: usize = 16;

/// The salt of the slow hash: fixed, so that a baseline is the same on every machine.
const SLOW_SALT: &[u8] = b"tokenlint fingerprint v1";

/// The most distinct short secrets whose fingerprint one run derives with the slow hash.
/// Each costs some 15 ms, one at a time: a rule that the scanned tree brings could
/// otherwise match millions of distinct short values and stall the scan for hours.
pub const SLOW_HASH_BUDGET: usize = 256;

/// The secret's part of the fingerprint of a short secret past [`SLOW_HASH_BUDGET`]:
/// none, so that the fingerprint is its rule's, its path's and its occurrence's.
const UNDERIVED: &str = "short secret, not derived";

/// The secret's part of a fingerprint. A long secret (every token) is hashed once with
/// SHA-256, as [`Secret::hash`]. A short one (a custom rule's password, say) could be found
/// from a plain hash in a committed baseline by trying every short string, so it is
/// derived with Argon2id instead (OWASP's 7 MiB, 5 passes, one lane: some 15 ms); each
/// distinct short secret is derived once per run, and one at a time, so that memory stays
/// bounded however many threads scan. Past [`SLOW_HASH_BUDGET`] distinct short secrets
/// in a run, the secret has no part at all ([`SlowHashes`]).
fn fingerprint_hash(secret: &Secret) -> String {
    if secret.expose().chars().count() >= SHORT_SECRET {
        return secret.hash();
    }
    slow_hashes().hash(secret)
}

/// How many distinct short secrets this run fingerprinted without their value, past
/// [`SLOW_HASH_BUDGET`]: what a warning at the end of the run reports.
pub fn underived_short_secrets() -> usize {
    slow_hashes().over.len()
}

/// This run's [`SlowHashes`], locked.
fn slow_hashes() -> std::sync::MutexGuard<'static, SlowHashes> {
    static HASHES: std::sync::LazyLock<std::sync::Mutex<SlowHashes>> =
        std::sync::LazyLock::new(|| std::sync::Mutex::new(SlowHashes::new(SLOW_HASH_BUDGET)));
    HASHES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The slow hashes of one run's short secrets: each distinct secret derived once, and at
/// most `budget` of them. Those past the budget, in the order the scan meets them, get
/// [`UNDERIVED`] as their part: their fingerprints tell them apart by occurrence in the
/// file only, and so cannot be brute-forced either.
struct SlowHashes {
    derived: std::collections::HashMap<Box<str>, String>,
    budget: usize,
    /// The distinct short secrets past the budget.
    over: std::collections::HashSet<Box<str>>,
}

impl SlowHashes {
    fn new(budget: usize) -> SlowHashes {
        SlowHashes {
            derived: Default::default(),
            budget,
            over: Default::default(),
        }
    }

    fn hash(&mut self, secret: &Secret) -> String {
        if let Some(hash) = self.derived.get(secret.expose()) {
            return hash.clone();
        }
        if self.derived.len() >= self.budget {
            self.over.insert(secret.expose().into());
            return UNDERIVED.to_string();
        }
        let hash = slow_hash(secret.expose());
        self.derived.insert(secret.expose().into(), hash.clone());
        hash
    }
}

/// Argon2id of `secret` with [`SLOW_SALT`], hex.
fn slow_hash(secret: &str) -> String {
    let params = argon2::Params::new(7 * 1024, 5, 1, Some(32)).expect("valid Argon2 parameters");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon
        .hash_password_into(secret.as_bytes(), SLOW_SALT, &mut key)
        .expect("a 24-byte salt and a 32-byte output are valid");
    hex(&key)
}

/// How the secret was written where it was found, outermost layer first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Plain,
    JsonEscaped,
    PercentEncoded,
    Base64,
    Utf16le,
    Utf16be,
    Hex,
    HtmlEscaped,
    Utf32le,
    Utf32be,
}

impl Encoding {
    /// How messages name the encoding.
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Plain => "plain text",
            Encoding::JsonEscaped => "JSON-escaped",
            Encoding::PercentEncoded => "percent-encoded",
            Encoding::Base64 => "base64-encoded",
            Encoding::Utf16le => "in UTF-16LE text",
            Encoding::Utf16be => "in UTF-16BE text",
            Encoding::Hex => "hex-encoded",
            Encoding::HtmlEscaped => "HTML-escaped",
            Encoding::Utf32le => "in UTF-32LE text",
            Encoding::Utf32be => "in UTF-32BE text",
        }
    }
}

/// Why a finding is not reported. `suppress.rs` finds inline markers and the allowlist;
/// `baseline.rs` the baseline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The text after an inline marker, or the allowlist entry's `reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where a suppression lives, in SARIF's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// An inline marker in the file itself.
    InSource,
    /// The configuration's allowlist, or the baseline.
    External,
}

/// The commit that first added a blob: a history finding's provenance, which `git.rs`
/// reads from `git log`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub date: String,
    /// The path the blob had in that commit.
    pub path: String,
    /// How many versions of what was scanned (blobs at this path, commits, tags) hold the
    /// finding's secret: it is reported once, naming the oldest.
    pub versions: usize,
    /// Whether no ref reaches the commit: only the reflog, a dropped stash, or nothing
    /// holds it, until git prunes it.
    pub unreachable: bool,
}

/// The source line around a finding, with every secret on it redacted, for text output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The line (or a window of a long line), secrets replaced by their redacted form.
    pub text: String,
    /// Byte range of the finding's redacted secret (or other highlighted text) within `text`.
    pub highlight: std::ops::Range<usize>,
}

/// Where a finding stands in its file. 1-based; `end_column` is exclusive (the column
/// after the last character), as in SARIF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    /// The start of a file: where a finding about a whole file or directory points.
    pub const START: Position = Position {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    };
}

/// Where a finding found in a file's text stands: its position, its bytes in the file
/// ([`Finding::span`]) and its redacted line ([`Finding::snippet`]).
#[derive(Clone, Debug)]
pub(crate) struct Place {
    pub(crate) position: Position,
    pub(crate) span: Option<std::ops::Range<usize>>,
    pub(crate) snippet: Option<Snippet>,
}

/// One finding, at a [`Position`] in its file.
///
/// [`Finding::new`] is its one constructor (outside the crate, none: its fields can be
/// read, not written out). The checker's finishing step (`Checker::finish`) then gives
/// every finding its key, fingerprint and suppression.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    /// The path as shown: as walked, relative to the current directory.
    pub path: String,
    /// The path relative to the project root (the configuration file's directory, else
    /// the repository root): what fingerprints, baselines and allowlist globs use, so
    /// that they do not depend on where tokenlint runs from.
    pub key: String,
    pub position: Position,
    pub message: String,
    /// The secret, for findings about one; hygiene findings of a broken file have none.
    pub secret: Option<Secret>,
    pub encoding: Vec<Encoding>,
    pub fingerprint: String,
    /// `None` in a binary file.
    pub snippet: Option<Snippet>,
    /// The finding's bytes in the file, when it was found in them rather than in a
    /// decoded view (UTF-16): what snippets of other findings in the file must mask.
    pub span: Option<std::ops::Range<usize>>,
    /// Why it is not reported, when it is not.
    pub suppression: Option<Suppression>,
    /// In a history scan: the commit that first added the blob.
    pub commit: Option<Commit>,
    /// In an archive: the member's path inside it (a nested member's joined by `!`).
    /// `path` is then the archive's path, `!` and this; the position is in the member.
    pub member: Option<String>,
    /// Whether the path is a file's (in an archive or not); else it names a git object (a
    /// commit's or a tag's message, a blob in no tree: `<commit message>`), which a format
    /// that points at files (SARIF, GitHub annotations) must not take for one.
    pub in_file: bool,
}

impl Finding {
    /// A finding of rule `rule_id` in the file or directory shown as `path`, at its start
    /// and about no secret: [`Finding::about`] and [`Finding::at`] say more. Its key is
    /// `path` and it has no fingerprint until the checker finishes it.
    pub(crate) fn new(rule_id: &str, severity: Severity, path: &str, message: String) -> Finding {
        Finding {
            rule_id: rule_id.to_string(),
            severity,
            path: path.to_string(),
            key: path.to_string(),
            position: Position::START,
            message,
            secret: None,
            encoding: vec![Encoding::Plain],
            fingerprint: String::new(),
            snippet: None,
            span: None,
            suppression: None,
            commit: None,
            member: None,
            in_file: true,
        }
    }

    /// The finding about `secret`, written in `encoding` (outermost layer first).
    pub(crate) fn about(mut self, secret: Option<Secret>, encoding: Vec<Encoding>) -> Finding {
        self.secret = secret;
        self.encoding = encoding;
        self
    }

    /// The finding at `place`.
    pub(crate) fn at(mut self, place: Place) -> Finding {
        let Place {
            position,
            span,
            snippet,
        } = place;
        self.position = position;
        self.span = span;
        self.snippet = snippet;
        self
    }

    /// The path of the file the finding lies in: the archive's, for an archive's member.
    pub fn file_path(&self) -> &str {
        match &self.member {
            Some(member) => self
                .path
                .strip_suffix(member.as_str())
                .and_then(|p| p.strip_suffix('!'))
                .unwrap_or(&self.path),
            None => &self.path,
        }
    }

    /// Shows the finding in the file at `path`: a member of an archive keeps its member
    /// path after the archive's (`path!member`).
    pub(crate) fn set_file_path(&mut self, path: &str) {
        self.path = match &self.member {
            Some(member) => format!("{path}!{member}"),
            None => path.to_string(),
        };
    }

    /// The order of every report: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (
            &self.path,
            self.position.line,
            self.position.column,
            &self.rule_id,
        )
    }

    /// Redacts every token in what reports show beside the secret: the path, the message,
    /// the suppression's reason and the commit's author and path. A file or directory, an
    /// author or a comment may be named with a token. The key and the fingerprint keep
    /// the real path.
    pub fn redact_names(&mut self) {
        let commit = self.commit.as_mut();
        let reason = self.suppression.as_mut().and_then(|s| s.reason.as_mut());
        for text in [&mut self.path, &mut self.message]
            .into_iter()
            .chain(reason)
            .chain(
                commit
                    .into_iter()
                    .flat_map(|c| [&mut c.author, &mut c.path]),
            )
        {
            redact_in_place(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tests::token;

    #[test]
    fn short_secrets_get_a_slow_stable_fingerprint() {
        let short = Secret::from_match(b"hunter2");
        let plain = |s: &Secret| {
            let mut h = Sha256::new();
            for part in ["r", "a.sh", &s.hash()] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            hex(&h.finalize()[..16])
        };
        let fp = fingerprint("r", "a.sh", Some(&short));
        assert_ne!(fp, plain(&short));
        assert_eq!(fp, fingerprint("r", "a.sh", Some(&short)));
        // Derived, not looked up: the same on every machine and in every run. The value
        // is the reference implementation's: `argon2 SALT -id -k 7168 -t 5 -p 1 -l 32 -r`.
        assert_eq!(
            fingerprint_hash(&short),
            "8f3c743f730bb5743e68e3c27c6e83a09c567e8406720ccabaf2b59c88762990"
        );
        // Long secrets keep their plain fingerprint, so that baselines stay valid.
        let long = Secret::from_match(token().as_bytes());
        assert_eq!(fingerprint("r", "a.sh", Some(&long)), plain(&long));
    }

    /// A rule `pw=(?P<secret>[0-9]{6})` over many distinct values would derive a slow
    /// hash for each, one at a time: over an hour for a 4 MiB file. A run derives at most
    /// a budget of them; the rest have no secret part, and are counted.
    #[test]
    fn slow_hashes_stop_at_their_budget() {
        let mut hashes = SlowHashes::new(3);
        let secrets: Vec<Secret> = (0..5)
            .map(|i| Secret::from_match(format!("pw{i}").as_bytes()))
            .collect();
        let first: Vec<String> = secrets.iter().map(|s| hashes.hash(s)).collect();
        assert_eq!(first[0], slow_hash("pw0"));
        assert_eq!(hashes.derived.len(), 3);
        assert_ne!(first[1], first[2]);
        assert_eq!(first[3..], [UNDERIVED, UNDERIVED]);
        // Those derived stay derived; the rest are counted once each.
        let again: Vec<String> = secrets.iter().rev().map(|s| hashes.hash(s)).collect();
        assert_eq!(again.into_iter().rev().collect::<Vec<_>>(), first);
        assert_eq!((hashes.derived.len(), hashes.over.len()), (3, 2));
    }

    #[test]
    fn fingerprint_ignores_position_but_not_path_rule_or_secret() {
        let s = Secret::from_match(token().as_bytes());
        let other = Secret::from_match(token().replace('1', "2").as_bytes());
        let fp = fingerprint("r", "a/b.sh", Some(&s));
        assert_eq!(fp, fingerprint("r", "a/b.sh", Some(&s)));
        assert_eq!(fp.len(), 32);
        assert_ne!(fp, fingerprint("r2", "a/b.sh", Some(&s)));
        assert_ne!(fp, fingerprint("r", "a/c.sh", Some(&s)));
        assert_ne!(fp, fingerprint("r", "a/b.sh", Some(&other)));
        assert_ne!(fp, fingerprint("r", "a/b.sh", None));
    }

    use crate::structure::crate_deps;

    /// The types every step shares depend on no step, so that no module cycle runs
    /// through them: `suppress`, `git` and `walk` use `finding` and `outcome`, never the
    /// other way round. (`rules` is there for `Severity` alone.)
    #[test]
    fn the_shared_types_depend_on_no_module_that_uses_them() {
        assert!(crate_deps("token").is_empty(), "{:?}", crate_deps("token"));
        assert_eq!(crate_deps("finding"), ["token"]);
        assert_eq!(crate_deps("outcome"), ["finding"]);
    }
}
