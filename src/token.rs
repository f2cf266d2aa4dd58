//! The RemotiveCloud token, defined once: its shape, its two kinds, the [`Secret`] that
//! carries any secret without printing it, and the redaction of tokens in free text.
//!
//! **Where the shape is defined.** Here, in the constants at the top: a token is a kind's
//! prefix ([`TokenKind::prefix`]: `pa` or `sa`), a version (`VERSION`), `/` (written also
//! as `SLASH` says), and `GROUPS` groups of `GROUP_DIGITS` hex digits, either case, joined
//! by `-` (`body`). [`kind`] is the validator built from these. The rule files
//! `rules/remotive-*.toml` write the same regex out, since rules are data that users read
//! and copy; the test `rule_regexes_accept_exactly_the_valid_tokens` proves that each
//! accepts exactly the tokens [`kind`] accepts, and rejects the rest. What may stand next
//! to a token, and which tokens are placeholders, is `stands_as_token` (the rules'
//! `boundary = "token"`).
//!
//! Redaction uses looser shapes on purpose, so that it hides more rather than less: any
//! run of eight or more groups (`body_run`), groups joined by another short separator
//! (`token_like`), all built from the same constants, and after a prefix in any case, whatever follows up to a delimiter
//! ([`printable`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use sha2::{Digest, Sha256};

/// The version after the prefix: `<digits>.<digits>`, one to eight digits each.
pub(crate) const VERSION: &str = r"[0-9]{1,8}\.[0-9]{1,8}";

/// The `/` after the version, as a token may be written: plain, or as [`ESCAPED_SLASH`]
/// says. [`Secret::from_match`] turns each back into `/`.
pub(crate) const SLASH: &str = r"(?:/|\\{1,3}/|\\u002[Ff]|%(?:25)?2[Ff]|&#[xX]2[Ff];|&#47;|&sol;)";

/// The escaped spellings of the `/` after the version: JSON (`\/`, escaped again `\\/` or
/// `\\\/`, and `\u002F`), percent-encoding (`%2F`, encoded again `%252F`) and HTML
/// (`&#x2F;`, `&#47;`, `&sol;`); hex digits in either case.
pub(crate) const ESCAPED_SLASH: &str =
    r"\\{1,3}/|\\u002[Ff]|%(?:25)?2[Ff]|&#[xX]2[Ff];|&#47;|&sol;";

/// How many groups of hex digits a token's body has, and how many digits each.
pub(crate) const GROUPS: usize = 8;
pub(crate) const GROUP_DIGITS: usize = 8;

/// A token's body: [`GROUPS`] groups of [`GROUP_DIGITS`] hex digits, joined by `-`.
fn body() -> String {
    joined_groups(&hex_group("0-9A-Fa-f"), "-", Count::Exactly)
}

/// A group of [`GROUP_DIGITS`] characters of the class `class` (`0-9A-F`).
fn hex_group(class: &str) -> String {
    format!("[{class}]{{{GROUP_DIGITS}}}")
}

/// How many groups a shape has: a token's body has [`GROUPS`]; a shape for redaction
/// takes any more after them, so that no part of a longer run is left whole.
#[derive(Clone, Copy)]
enum Count {
    Exactly,
    AtLeast,
}

/// `count` [`GROUPS`] of `group`, each after the first preceded by `join`.
fn joined_groups(group: &str, join: &str, count: Count) -> String {
    let joins = GROUPS - 1;
    let more = match count {
        Count::Exactly => "",
        Count::AtLeast => ",",
    };
    format!("{group}(?:{join}{group}){{{joins}{more}}}")
}

/// Personal or service-account, decided as the CLI decides: by the token's prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    Personal,
    ServiceAccount,
}

impl TokenKind {
    /// The prefix of this kind's tokens, before the version.
    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::Personal => "pa",
            TokenKind::ServiceAccount => "sa",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            TokenKind::Personal => "personal",
            TokenKind::ServiceAccount => "service account",
        }
    }
}

/// The kind of `text`, if `text` is a whole RemotiveCloud token, with a plain `/` (as
/// [`Secret::expose`] gives it): the validator.
pub fn kind(text: &str) -> Option<TokenKind> {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        let (pa, sa) = (
            TokenKind::Personal.prefix(),
            TokenKind::ServiceAccount.prefix(),
        );
        Regex::new(&format!("^(?:({pa})|{sa}){VERSION}/{}$", body())).expect("a valid regex")
    });
    let personal = SHAPE.captures(text)?.get(1).is_some();
    Some(if personal {
        TokenKind::Personal
    } else {
        TokenKind::ServiceAccount
    })
}

/// How many bytes a token's body has: its groups and the `-` between them.
const BODY_LEN: usize = GROUPS * GROUP_DIGITS + GROUPS - 1;

/// Whether a match of a token rule, `secret`, followed in its text by `after`, is a token:
/// it ends where the token ends, and is not a placeholder. Whatever stands before it does
/// not matter (a length byte `M`, `ESC[33m`, `\x22`, a neighbouring SQLite column).
///
/// **Where it ends.** The last group must be exactly [`GROUP_DIGITS`] hex digits: the next
/// character may not be another hex digit, nor `-` and a hex digit (a ninth group). A hex
/// digit here is one the token could hold in its own case: a token written in uppercase
/// (as RemotiveCloud issues them) is not continued by a lowercase letter (`…04E01C43ci`,
/// two SQLite columns run together), nor a lowercase one by an uppercase letter. A body
/// in both cases, or in digits alone, is continued by either.
pub(crate) fn stands_as_token(secret: &[u8], after: &[u8]) -> bool {
    let Some(body) = secret.len().checked_sub(BODY_LEN).map(|at| &secret[at..]) else {
        return false;
    };
    let case = Case::of(body);
    let continues = |b: &u8| case.holds(*b);
    let ninth = after.first() == Some(&b'-') && after.get(1).is_some_and(continues);
    !after.first().is_some_and(continues) && !ninth && !is_placeholder(body)
}

/// Which hex letters a token body could hold, by the case it is written in.
struct Case {
    upper: bool,
    lower: bool,
}

impl Case {
    fn of(body: &[u8]) -> Case {
        let upper = body.iter().any(u8::is_ascii_uppercase);
        let lower = body.iter().any(u8::is_ascii_lowercase);
        // A body of digits alone could be written in either case.
        Case {
            upper: upper || !lower,
            lower: lower || !upper,
        }
    }

    /// Whether `b` is a hex digit a body of this case could hold.
    fn holds(&self, b: u8) -> bool {
        match b {
            b'0'..=b'9' => true,
            b'A'..=b'F' => self.upper,
            b'a'..=b'f' => self.lower,
            _ => false,
        }
    }
}

/// Whether a token body is a placeholder: its groups are all the same (`00000000`,
/// `01234567` eight times), compared in either case.
fn is_placeholder(body: &[u8]) -> bool {
    let mut groups = body.split(|b| *b == b'-');
    let first = groups.next().unwrap_or_default();
    groups.all(|g| g.eq_ignore_ascii_case(first))
}

/// Whether `text` is a whole RemotiveCloud token: see [`kind`].
pub fn is_token(text: &str) -> bool {
    kind(text).is_some()
}

/// A secret value: a token, or what a user's rule matched. `Debug` and `Display` show only
/// the redacted form; the value itself comes out through [`Secret::expose`] alone.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<str>);

impl Secret {
    /// A secret from matched text, with the escaped forms of `/` ([`ESCAPED_SLASH`])
    /// undone so that one token has one value however it was written.
    pub fn from_match(text: &[u8]) -> Secret {
        static ESCAPED: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(ESCAPED_SLASH).expect("a valid regex"));
        let text = String::from_utf8_lossy(text);
        let canonical = ESCAPED.replace_all(&text, "/");
        Secret(canonical.into())
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

/// Bytes as lower-case hex, for hashes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as it may be written in text that tokenlint prints: a prefix in any case, a
/// version, a slash in any of its forms, and whatever follows up to a delimiter, shape or
/// not (a placeholder, a cut token).
fn written_pattern() -> String {
    let (pa, sa) = (
        TokenKind::Personal.prefix(),
        TokenKind::ServiceAccount.prefix(),
    );
    format!(r#"(?i)(?:{pa}|{sa}){VERSION}{SLASH}[^\s"'<>,;]*"#)
}

/// Text from a file, fit to print in a message: any RemotiveCloud token in it redacted
/// (escaped slashes included), no control characters (which would drive a terminal), and
/// at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    static TOKEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&written_pattern()).expect("a valid regex"));
    let redacted = TOKEN.replace_all(text, |c: &regex::Captures| {
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

/// Replaces `text` by [`redact_tokens`] of it, when that differs.
pub(crate) fn redact_in_place(text: &mut String) {
    if let Cow::Owned(shown) = redact_tokens(text) {
        *text = shown;
    }
}

/// Whether output shows secrets in full: only with `--no-redact`. A warning then keeps
/// its tokens, and a report file is readable by its owner alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reveal {
    Redacted,
    InFull,
}

impl Reveal {
    /// [`Reveal::InFull`] when `show_secrets` (`--no-redact`) is set.
    pub(crate) fn in_full_if(show_secrets: bool) -> Reveal {
        if show_secrets {
            Reveal::InFull
        } else {
            Reveal::Redacted
        }
    }
}

/// The shape of a token's body, for redaction: [`body`], and any more groups after it,
/// so that no part of a longer run is left whole.
pub(crate) fn body_run() -> String {
    joined_groups(&hex_group("0-9A-Fa-f"), "-", Count::AtLeast)
}

/// The shape of a token's body in an encoding the scanner does not decode: eight or more
/// groups of eight uppercase hex digits, joined by nothing or by a short separator — up to
/// six characters that are not letters or digits (`_`, ` `, `\/-`), or one escaped
/// character (`%2D`, `\x2d`, `\u002d`, `\u{2d}`, `&#x2d;`), tried first so that a match
/// ends where the body does. Only for masking: the detector does not report these.
fn token_like() -> String {
    let join = format!("{TOKEN_LIKE_JOIN}?");
    joined_groups(&hex_group("0-9A-F"), &join, Count::AtLeast)
}

/// What may join the groups of [`token_like`]: an escaped character, or up to six that
/// are not letters or digits.
const TOKEN_LIKE_JOIN: &str = concat!(
    r"(?:%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}",
    r"|\\u\{[0-9A-Fa-f]{1,6}\}|&#[xX]?[0-9A-Fa-f]{1,6};|[^0-9A-Za-z]{1,6})"
);

/// A pattern for both [`body_run`] and [`token_like`].
fn bodies_pattern() -> String {
    format!("(?:{})|(?:{})", body_run(), token_like())
}

/// The pattern that masks token bodies in snippets: [`body_run`], [`token_like`], or
/// [`GROUPS`] or more groups of [`GROUP_DIGITS`] hex digits, either case, joined by up to
/// `max_separator` bytes of anything. For `regex::bytes`.
pub(crate) fn snippet_mask_pattern(max_separator: usize) -> String {
    let join = format!("(?s-u:.){{0,{max_separator}}}?");
    let loose = joined_groups(&hex_group("0-9a-f"), &join, Count::AtLeast);
    format!("{}|(?i-u){loose}", bodies_pattern())
}

/// `text` with the body of every RemotiveCloud token in it — eight groups of eight hex
/// digits, joined by `-` or, in an encoding tokenlint does not decode, by another short
/// separator — shortened to its ends, as [`Secret::redacted`] shows it, whatever comes
/// before it (`pa1.0/`, `pa1.0%2F`, `pa1.0\u002F`, a directory): for text that tokenlint
/// prints but did not build from a secret, such as paths, commit authors, and error
/// messages that quote a configuration file or a rule's examples.
pub fn redact_tokens(text: &str) -> Cow<'_, str> {
    static BODY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&bodies_pattern()).expect("a valid regex"));
    BODY.replace_all(text, |c: &regex::Captures| shorten_body(&c[0]))
}

/// A token body as redacted text shows it: its first and last four digits.
pub(crate) fn shorten_body(body: &str) -> String {
    format!("{}…{}", &body[..4], &body[body.len() - 4..])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A synthetic personal access token, built here so that no source file holds one.
    pub(crate) fn token() -> String {
        let groups: Vec<String> = (0..8u32)
            .map(|i| format!("{:08X}", 0x1234_5678u32.wrapping_mul(i + 3)))
            .collect();
        format!("pa1.0/{}", groups.join("-"))
    }

    /// The shapes built from [`GROUPS`] and [`GROUP_DIGITS`] are the regexes written out
    /// before they were built: the same text, so the same semantics.
    #[test]
    fn shapes_built_from_the_constants_are_the_regexes_written_out() {
        assert_eq!(body(), r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{8}){7}");
        assert_eq!(body_run(), r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{8}){7,}");
        let like = concat!(
            r"[0-9A-F]{8}(?:(?:%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}",
            r"|\\u\{[0-9A-Fa-f]{1,6}\}|&#[xX]?[0-9A-Fa-f]{1,6};|[^0-9A-Za-z]{1,6})?",
            r"[0-9A-F]{8}){7,}"
        );
        assert_eq!(token_like(), like);
        let loose = r"(?i-u)[0-9a-f]{8}(?:(?s-u:.){0,12}?[0-9a-f]{8}){7,}";
        let bodies = format!("(?:{}{}{like})", body_run(), ")|(?:");
        assert_eq!(snippet_mask_pattern(12), format!("{bodies}|{loose}"));
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
            t.replace('/', "\\\\/"),
            t.replace('/', "\\\\\\/"),
            t.replace('/', "\\u002F"),
            t.replace('/', "\\u002f"),
            t.replace('/', "%2F"),
            t.replace('/', "%2f"),
            t.replace('/', "%252F"),
            t.replace('/', "&#x2F;"),
            t.replace('/', "&#47;"),
            t.replace('/', "&sol;"),
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
    fn the_validator_accepts_whole_tokens_only() {
        let t = token();
        assert_eq!(kind(&t), Some(TokenKind::Personal));
        assert_eq!(
            kind(&t.replacen("pa", "sa", 1)),
            Some(TokenKind::ServiceAccount)
        );
        assert!(is_token(&t.to_lowercase()));
        assert!(!is_token(&t.replacen("pa", "PA", 1)));
        assert!(!is_token(&t[..70]));
        assert!(!is_token(&t.replace("1.0", "10")));
        assert!(!is_token(&t.replace('/', "%2F")));
        assert!(!is_token(&format!("{t}\n")));
        assert!(!is_token("pa1.0/<your-token>"));
    }

    /// Anything may stand before a token, so only what follows it is checked: another hex
    /// digit in the token's case, or `-` and one (a ninth group), continues it.
    #[test]
    fn a_token_ends_where_its_last_group_does() {
        let upper = token();
        let lower = upper.to_lowercase();
        let mixed = upper.replacen(|c: char| c.is_ascii_uppercase(), "e", 1);
        let digits = format!("pa1.0/{}", ["01234567", "89012345"].repeat(4).join("-"));
        let ends = |t: &str, after: &str| stands_as_token(t.as_bytes(), after.as_bytes());
        for after in [
            "", " ", "Z", "_x", "é", "\x1b[0m", r"\x22", "-", "-x", "-\n", "%2D",
        ] {
            for t in [&upper, &lower, &mixed, &digits] {
                assert!(ends(t, after), "{} then {after:?}", redact_tokens(t));
            }
        }
        for after in ["0", "9", "-0", "-01234567", "-9"] {
            for t in [&upper, &lower, &mixed, &digits] {
                assert!(!ends(t, after), "{} then {after:?}", redact_tokens(t));
            }
        }
        // A letter continues a token only in the token's own case.
        for (t, continued, ended) in [
            (
                &upper,
                ["A", "F", "-A", "-F0", "CI"],
                ["a", "f", "-a", "-f0", "ci"],
            ),
            (
                &lower,
                ["a", "f", "-a", "-f0", "ci"],
                ["A", "F", "-A", "-F0", "CI"],
            ),
        ] {
            for after in continued {
                assert!(!ends(t, after), "{} then {after:?}", redact_tokens(t));
            }
            for after in ended {
                assert!(ends(t, after), "{} then {after:?}", redact_tokens(t));
            }
        }
        for t in [&mixed, &digits] {
            for after in ["a", "F", "-f", "-A"] {
                assert!(!ends(t, after), "{} then {after:?}", redact_tokens(t));
            }
        }
        // Shorter than a token: never one (a user's rule may set `boundary = "token"`).
        assert!(!ends("pa1.0/0123", " "));
    }

    #[test]
    fn placeholders_are_not_tokens() {
        let body = |group: &str| format!("pa1.0/{}", [group; GROUPS].join("-"));
        for placeholder in [
            body("00000000"),
            body("01234567"),
            body("ABCDEF01"),
            format!("sa1.0/{}", ["abcdef01", "ABCDEF01"].repeat(4).join("-")),
        ] {
            assert!(
                is_token(&placeholder),
                "the validator checks the shape alone"
            );
            assert!(
                !stands_as_token(placeholder.as_bytes(), b""),
                "{placeholder}"
            );
        }
        let one_differs = format!("pa1.0/{}-00000001", ["00000000"; 7].join("-"));
        assert!(stands_as_token(one_differs.as_bytes(), b""));
    }

    /// Tokens and near misses, written in every way a rule regex accepts or nearly so.
    fn samples() -> Vec<String> {
        let groups: Vec<String> = token()[6..].split('-').map(str::to_string).collect();
        let join = |g: &[String], sep: &str| g.join(sep);
        let mut ninth = groups.clone();
        ninth.push("01234567".into());
        let mut long_last = groups.clone();
        long_last[7].push('A');
        let mut short_first = groups.clone();
        short_first[0].pop();
        let bodies = [
            join(&groups, "-"),
            join(&groups, "-").to_lowercase(),
            join(&groups, "-").replacen(|c: char| c.is_ascii_uppercase(), "e", 3),
            join(&groups[..7], "-"),
            join(&ninth, "-"),
            join(&long_last, "-"),
            join(&short_first, "-"),
            join(&groups, "_"),
            join(&groups, ":"),
            join(&groups, ""),
            format!("{}\n", join(&groups, "-")),
            ["XXXXXXXX"; 8].join("-"),
            [groups[2].as_str(); 8].join("-"),
            [groups[2].to_lowercase().as_str(), groups[2].as_str()]
                .repeat(4)
                .join("-"),
            ["00000000"; 8].join("-"),
            "<your-token>".to_string(),
            "${TOKEN}".to_string(),
        ];
        let prefixes = ["pa", "sa", "PA", "SA", "Pa", "sA", "xa", "p", ""];
        let versions = [
            "1.0",
            "2.13",
            "12345678.87654321",
            "123456789.0",
            "1.123456789",
            "10",
            ".0",
            "1.",
            "1,0",
            "a.0",
        ];
        let slashes = [
            "/",
            "\\/",
            "%2F",
            "%2f",
            "\\\\/",
            "\\\\\\/",
            "\\u002F",
            "\\u002f",
            "%252F",
            "%252f",
            "&#x2F;",
            "&#X2f;",
            "&#47;",
            "&sol;",
            // near misses
            "%2",
            "-",
            "\\",
            "//",
            "\\\\\\\\/",
            "%25",
            "%25252F",
            "\\u002",
            "\\u2F",
            "&#x2F",
            "&#47",
            "&sol",
            "&#x47;",
            "&#2F;",
            "&slash;",
        ];
        let mut out = Vec::new();
        for p in prefixes {
            for v in versions {
                for sl in slashes {
                    out.extend(bodies.iter().map(|b| format!("{p}{v}{sl}{b}")));
                }
            }
        }
        out
    }

    /// Whether a token body, without its prefix, has eight groups all the same (the
    /// placeholders of the samples), counted here apart from [`is_placeholder`].
    fn same_groups(sample: &str) -> bool {
        let body = sample
            .get(sample.len().saturating_sub(BODY_LEN)..)
            .unwrap_or_default();
        let groups: Vec<String> = body.split('-').map(str::to_lowercase).collect();
        groups.len() == GROUPS && groups.iter().all(|g| *g == groups[0])
    }

    /// The rule files write the token's shape out as a regex: it must accept exactly the
    /// tokens of the rule's kind that [`kind`] accepts, once the slash is plain. With its
    /// `boundary = "token"` check ([`stands_as_token`]), it accepts no placeholder.
    #[test]
    fn rule_regexes_accept_exactly_the_valid_tokens() {
        let samples = samples();
        let rules = crate::rules::RuleSet::load(&[]).expect("the built-in rules");
        for (id, want) in [
            ("remotive-personal-access-token", TokenKind::Personal),
            ("remotive-service-account-token", TokenKind::ServiceAccount),
        ] {
            let rule = rules.get(id).expect("a built-in rule");
            let pattern = rule.pattern.as_ref().expect("a pattern rule");
            let anchored = format!("^(?:{})$", pattern.regex.get_ref());
            let regex = regex::bytes::Regex::new(&anchored).unwrap();
            let mut accepted = 0;
            for sample in &samples {
                let shaped = regex.is_match(sample.as_bytes());
                let by_rule = shaped && stands_as_token(sample.as_bytes(), b"");
                assert_eq!(pattern.boundary, crate::rules::Boundary::Token, "{id}");
                let canonical = Secret::from_match(sample.as_bytes());
                let by_token = kind(canonical.expose()) == Some(want) && !same_groups(sample);
                assert_eq!(shaped, kind(canonical.expose()) == Some(want), "{id}");
                assert_eq!(by_rule, by_token, "{id}: {}", redact_tokens(sample));
                accepted += usize::from(by_rule);
            }
            // The rule's own prefix: 3 versions, 14 slashes, 3 bodies (upper, lower, mixed case).
            assert_eq!(accepted, 3 * 14 * 3, "{id}");
        }
    }
}
