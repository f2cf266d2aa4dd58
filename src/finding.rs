//! What a scan finds: [`Finding`]s, each holding its [`Secret`] in a type that never
//! prints itself, and a fingerprint that identifies it without the secret.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::rules::Severity;

/// A secret value. `Debug` and `Display` show only the redacted form; the value itself
/// comes out through [`Secret::expose`] alone.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// A secret from matched text, with the escaped forms of `/` (`\/`, `%2F`) undone so
    /// that one token has one value however it was written.
    pub fn from_match(text: &[u8]) -> Secret {
        let text = String::from_utf8_lossy(text);
        let canonical = text
            .replace("\\/", "/")
            .replace("%2F", "/")
            .replace("%2f", "/");
        Secret(canonical.into_boxed_str())
    }

    /// The secret in full. Call it only to hash, compare, or for `--no-redact`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The prefix up to the first `/` (if it is short), and a few characters at each end:
    /// `pa1.0/668D…3C43`. The shorter the secret, the less shows: four characters at each
    /// end from 32 characters on, two from 16, none below.
    pub fn redacted(&self) -> String {
        let s = &*self.0;
        let (prefix, body) = match s.find('/') {
            Some(i) if i < 12 => s.split_at(i + 1),
            _ => ("", s),
        };
        let chars: Vec<char> = body.chars().collect();
        let show = match chars.len() {
            32.. => 4,
            16.. => 2,
            _ => return format!("{prefix}…"),
        };
        let head: String = chars[..show].iter().collect();
        let tail: String = chars[chars.len() - show..].iter().collect();
        format!("{prefix}{head}…{tail}")
    }

    /// SHA-256 of the secret, hex: safe to show, and the same for every copy of the token.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Text from a file, fit to print in a message: any RemotiveCloud token in it redacted
/// (escaped slashes included), no control characters (which would drive a terminal), and
/// at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    static TOKEN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let token = TOKEN.get_or_init(|| {
        regex::Regex::new(r#"(?i)[ps]a[0-9]{1,8}\.[0-9]{1,8}(?:/|\\/|%2f)[^\s"'<>,;]*"#)
            .expect("a valid regex")
    });
    let redacted = token.replace_all(text, |c: &regex::Captures| {
        Secret::from_match(c[0].as_bytes()).redacted()
    });
    let mut clean: String = redacted
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if redacted.chars().count() > max {
        clean.push('…');
    }
    clean
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
        if let Some(hash) = self.derived.get(&secret.0) {
            return hash.clone();
        }
        if self.derived.len() >= self.budget {
            self.over.insert(secret.0.clone());
            return UNDERIVED.to_string();
        }
        let hash = slow_hash(secret.expose());
        self.derived.insert(secret.0.clone(), hash.clone());
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
        }
    }
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

/// One finding. Positions are 1-based; `end_column` is exclusive (the column after the
/// last character), as in SARIF.
///
/// [`Finding::new`] is its one constructor. The checker's finishing step
/// (`Checker::finish`) then gives every finding its key, fingerprint and suppression.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    /// The path as shown: as walked, relative to the current directory.
    pub path: String,
    /// The path relative to the project root (the configuration file's directory, else
    /// the repository root): what fingerprints, baselines and allowlist globs use, so
    /// that they do not depend on where tokenlint runs from.
    pub key: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
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
    pub suppression: Option<crate::suppress::Suppression>,
    /// In a history scan: the commit that first added the blob.
    pub commit: Option<crate::git::Commit>,
}

impl Finding {
    /// A finding of rule `rule_id` in the file or directory shown as `path`, at its start
    /// and about no secret: [`Finding::about`] and [`Finding::at`] say more. Its key is
    /// `path` and it has no fingerprint until the checker finishes it.
    pub(crate) fn new(rule_id: &str, severity: Severity, path: &str, message: String) -> Finding {
        let Position {
            line,
            column,
            end_line,
            end_column,
        } = Position::START;
        Finding {
            rule_id: rule_id.to_string(),
            severity,
            path: path.to_string(),
            key: path.to_string(),
            line,
            column,
            end_line,
            end_column,
            message,
            secret: None,
            encoding: vec![Encoding::Plain],
            fingerprint: String::new(),
            snippet: None,
            span: None,
            suppression: None,
            commit: None,
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
        self.line = position.line;
        self.column = position.column;
        self.end_line = position.end_line;
        self.end_column = position.end_column;
        self.span = span;
        self.snippet = snippet;
        self
    }

    /// The order of every report: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.column, &self.rule_id)
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

/// Replaces `text` by [`redact_tokens`] of it, when that differs.
pub(crate) fn redact_in_place(text: &mut String) {
    if let std::borrow::Cow::Owned(shown) = redact_tokens(text) {
        *text = shown;
    }
}

/// The shape of a token's body: eight groups of eight hex digits joined by `-`, and any
/// more groups after them, so that no part of a longer run is left whole.
pub(crate) const TOKEN_BODY: &str = r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{8}){7,}";

/// The shape of a token's body in an encoding the scanner does not decode: eight or more
/// groups of eight uppercase hex digits, joined by nothing or by a short separator — up to
/// six characters that are not letters or digits (`_`, ` `, `\/-`), or one escaped
/// character (`%2D`, `\x2d`, `\u002d`, `\u{2d}`, `&#x2d;`), tried first so that a match
/// ends where the body does. Only for masking: the detector does not report these.
pub(crate) const TOKEN_LIKE: &str = concat!(
    r"[0-9A-F]{8}(?:(?:%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}",
    r"|\\u\{[0-9A-Fa-f]{1,6}\}|&#[xX]?[0-9A-Fa-f]{1,6};|[^0-9A-Za-z]{1,6})?",
    r"[0-9A-F]{8}){7,}"
);

/// A pattern for both [`TOKEN_BODY`] and [`TOKEN_LIKE`].
pub(crate) fn token_bodies_pattern() -> String {
    format!("(?:{TOKEN_BODY})|(?:{TOKEN_LIKE})")
}

/// `text` with the body of every RemotiveCloud token in it — eight groups of eight hex
/// digits, joined by `-` or, in an encoding tokenlint does not decode, by another short
/// separator — shortened to its ends, as [`Secret::redacted`] shows it, whatever comes
/// before it (`pa1.0/`, `pa1.0%2F`, `pa1.0\u002F`, a directory): for text that tokenlint
/// prints but did not build from a secret, such as paths, commit authors, and error
/// messages that quote a configuration file or a rule's examples.
pub fn redact_tokens(text: &str) -> std::borrow::Cow<'_, str> {
    static BODY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&token_bodies_pattern()).expect("a valid regex")
    });
    BODY.replace_all(text, |c: &regex::Captures| shorten_body(&c[0]))
}

/// A token body as redacted text shows it: its first and last four digits.
pub(crate) fn shorten_body(body: &str) -> String {
    format!("{}…{}", &body[..4], &body[body.len() - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> String {
        let groups: Vec<String> = (0..8u32)
            .map(|i| format!("{:08X}", 0x1234_5678u32.wrapping_mul(i + 3)))
            .collect();
        format!("pa1.0/{}", groups.join("-"))
    }

    #[test]
    fn debug_and_display_redact() {
        let t = token();
        let s = Secret::from_match(t.as_bytes());
        let shown = format!("{s} {s:?} {:?}", vec![s.clone()]);
        assert!(!shown.contains(&t), "{shown}");
        assert!(!shown.contains(&t[6..]), "{shown}");
        assert!(shown.contains("pa1.0/"), "{shown}");
    }

    #[test]
    fn tokens_in_free_text_are_redacted() {
        let t = token();
        let text = format!("regex '^{}(' at line 3: {}", t.replace('.', "\\."), t);
        let shown = redact_tokens(&text);
        assert!(!shown.contains(&t[6..]), "{shown}");
        assert!(shown.contains(&format!("pa1.0/{}…{}", &t[6..10], &t[t.len() - 4..])));
        assert_eq!(redact_tokens("no token here"), "no token here");
    }

    #[test]
    fn redacted_keeps_prefix_and_ends() {
        let t = token();
        let r = Secret::from_match(t.as_bytes()).redacted();
        assert_eq!(r, format!("pa1.0/{}…{}", &t[6..10], &t[t.len() - 4..]));
    }

    #[test]
    fn escaped_slashes_are_one_secret() {
        let t = token();
        let plain = Secret::from_match(t.as_bytes());
        for form in [
            t.replace('/', "\\/"),
            t.replace('/', "%2F"),
            t.replace('/', "%2f"),
        ] {
            assert_eq!(Secret::from_match(form.as_bytes()), plain);
        }
    }

    #[test]
    fn printable_text_redacts_tokens_and_controls() {
        let t = token();
        for form in [t.clone(), t.replace('/', "\\/"), t.replace('/', "%2F")] {
            let shown = printable(&format!("note \"{form}\", done\u{1b}[31m"), 200);
            assert!(!shown.contains(&t[10..30]), "{shown}");
            assert!(
                shown.contains("pa1.0/") && shown.ends_with("done [31m"),
                "{shown}"
            );
        }
        assert_eq!(printable(&"x".repeat(10), 4), "xxxx…");
    }

    #[test]
    fn short_secrets_show_little_or_nothing() {
        assert_eq!(Secret::from_match(b"hunter2hunter2h").redacted(), "…");
        assert_eq!(Secret::from_match(b"0123456789abcdef").redacted(), "01…ef");
        assert_eq!(
            Secret::from_match(b"k/0123456789abcdef").redacted(),
            "k/01…ef"
        );
    }

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
}
