//! Rules are data: one TOML file per rule, built in from `rules/` or added with `--rules DIR`.
//!
//! This module parses and validates those files into [`Rule`]s, each pattern rule's regex
//! parsed and compiled once. It knows nothing about scanning: the scanner combines the
//! pattern rules of a [`RuleSet`] into one matcher.
//! Every problem in a rule file is a [`RuleError`] that points into the file with a span.

mod builtin;
mod compiled;
mod error;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Severity lives with the findings it grades; rules name it from here too.
pub use crate::finding::Severity;
pub use builtin::BuiltinRule;
pub use error::RuleError;

pub(crate) use compiled::{builder as regex_builder, RuleRegex};

use crate::confine::{self, Scope};

/// A rule's documentation, shown by `tokenlint explain`, in SARIF `help` and in the README.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub summary: String,
    pub why: String,
    pub fix: String,
    #[serde(default)]
    pub references: Vec<String>,
}

/// How likely a finding of this rule is to be real (SARIF `properties.precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    VeryHigh,
    High,
    Medium,
    Low,
}

/// What SARIF consumers such as GitHub code scanning need to know about a rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SarifMeta {
    #[serde(default)]
    pub tags: Vec<String>,
    pub precision: Precision,
    pub security_severity: Spanned<f64>,
}

/// A pattern rule's matcher: the file-level keyword prefilter and the regex.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// The regex runs only on content that contains one of these (ASCII case-insensitive).
    /// Empty means the regex always runs.
    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    pub regex: Spanned<String>,
    /// The secret must stand alone: not glued to a letter, digit or `_` on either side.
    /// An escape before it (`%3D`, `\t`, `\u0022`) is not glue. `boundary = "token"`
    /// replaces this check.
    #[serde(default)]
    pub standalone: bool,
    /// Where a secret of this shape ends, and which are placeholders: see [`Boundary`].
    #[serde(default)]
    pub boundary: Boundary,
    /// The regex, parsed and compiled once as the rule file loads.
    #[serde(skip)]
    compiled: Option<RuleRegex>,
}

/// What may stand next to a pattern's secret, when its shape has rules of its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Boundary {
    /// Only what `standalone` asks.
    #[default]
    Any,
    /// A RemotiveCloud token (`crate::token::stands_as_token`): anything may stand before
    /// it; after it, neither another hex digit nor a ninth group; placeholders (every
    /// group the same, all zeros included) are not tokens.
    Token,
}

impl Pattern {
    /// The regex, compiled; none before its rule file is validated.
    pub(crate) fn compiled(&self) -> Option<&RuleRegex> {
        self.compiled.as_ref()
    }
}

/// Text that must, and must not, produce a finding of the rule.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
}

/// One rule, as written in its file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: Spanned<String>,
    pub severity: Severity,
    /// The finding's message; `{secret}` is replaced by the redacted secret, and a
    /// hygiene rule's own `{placeholders}` by their values.
    pub message: String,
    /// A hygiene rule's threshold in days, which a command-line flag may override.
    #[serde(default, rename = "default-days")]
    pub default_days: Option<u32>,
    pub docs: Docs,
    pub sarif: SarifMeta,
    pub pattern: Option<Pattern>,
    #[serde(default)]
    pub examples: Examples,
    /// Where the rule came from; filled in after parsing.
    #[serde(skip, default = "Origin::builtin")]
    pub origin: Origin,
}

/// The file a rule was read from, kept for error messages.
#[derive(Clone, Debug)]
pub struct Origin {
    /// `rules/NAME.toml` for a built-in rule, the path for a user rule.
    pub name: String,
    pub text: Arc<str>,
}

impl Origin {
    fn builtin() -> Origin {
        Origin {
            name: String::new(),
            text: Arc::from(""),
        }
    }
}

impl Rule {
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }

    /// The message with each `{name}` of `values` filled in.
    pub fn message_with(&self, values: &[(&str, &str)]) -> String {
        fill(&self.message, values)
    }
}

/// `template` with each `{name}` of `values` replaced by its value, in one pass over the
/// template: a value is never read as a template, so a token named `{expires}` shows as
/// that name. A `{…}` that names no value stays as it is.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = values.iter().find(|(k, _)| *k == name)?;
            Some((close, value))
        });
        match value {
            Some((close, value)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

/// Every active rule, in a stable order: built-in rules first, then user rules by path.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in rules plus every `*.toml` file in `extra_dirs`, which the user named.
    pub fn load(extra_dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let dirs: Vec<(PathBuf, Scope)> = extra_dirs
            .iter()
            .map(|d| (d.clone(), Scope::Anywhere))
            .collect();
        RuleSet::load_scoped(&dirs)
    }

    /// The built-in rules plus every `*.toml` file in each directory, which, with its
    /// files, must lie in its scope.
    pub fn load_scoped(extra_dirs: &[(PathBuf, Scope)]) -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        for rule in BuiltinRule::ALL {
            rules.push(parse_rule(
                &format!("rules/{}.toml", rule.id()),
                rule.text(),
            )?);
        }
        for (dir, scope) in extra_dirs {
            for path in rule_files(dir, scope)? {
                let text =
                    confine::read_text(&path, scope, confine::TEXT_CAP).map_err(|source| {
                        RuleError::Read {
                            path: path.clone(),
                            source,
                        }
                    })?;
                let rule = parse_rule(&crate::shown::visible(&path.to_string_lossy()), &text)?;
                let Some(pattern) = &rule.pattern else {
                    return Err(RuleError::invalid(
                        &rule.origin,
                        rule.id.span(),
                        "a user rule needs a [pattern] table with a regex",
                    ));
                };
                if matches!(scope, Scope::Project(_)) {
                    check_bounded(&rule, pattern)?;
                }
                rules.push(rule);
            }
        }
        check_unique_ids(&rules)?;
        Ok(RuleSet { rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    /// The built-in rule `rule`, unless the configuration turned it off.
    pub fn builtin(&self, rule: BuiltinRule) -> Option<&Rule> {
        self.get(rule.id())
    }

    /// Keeps the rules `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    /// Changes a rule's severity.
    pub fn set_severity(&mut self, id: &str, severity: Severity) {
        if let Some(rule) = self.rules.iter_mut().find(|r| r.id() == id) {
            rule.severity = severity;
        }
    }
}

/// The `*.toml` entries directly inside `dir` (itself in `scope`) that are not
/// directories, sorted by name. Reading them checks that each is a regular file in scope.
fn rule_files(dir: &Path, scope: &Scope) -> Result<Vec<PathBuf>, RuleError> {
    let read_err = |source| RuleError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let real = scope.confine(dir).map_err(read_err)?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&real).map_err(read_err)? {
        let path = dir.join(entry.map_err(read_err)?.file_name());
        if path.extension().is_some_and(|e| e == "toml") && !path.is_dir() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Parse and validate one rule file.
pub(crate) fn parse_rule(name: &str, text: &str) -> Result<Rule, RuleError> {
    let origin = Origin {
        name: name.to_string(),
        text: Arc::from(text),
    };
    let mut rule: Rule = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        RuleError::invalid(&origin, span, e.message())
    })?;
    rule.origin = origin;
    validate(&rule)?;
    let compiled = rule
        .pattern
        .as_ref()
        .map(|p| compile(&rule, p))
        .transpose()?;
    if let Some(pattern) = &mut rule.pattern {
        pattern.compiled = compiled;
    }
    Ok(rule)
}

fn validate(rule: &Rule) -> Result<(), RuleError> {
    let bad = |span: Range<usize>, msg: &str| Err(RuleError::invalid(&rule.origin, span, msg));
    if !is_kebab_case(rule.id()) {
        return bad(
            rule.id.span(),
            "a rule id is kebab-case: lowercase letters, digits and single dashes",
        );
    }
    let sev = *rule.sarif.security_severity.get_ref();
    if !(0.0..=10.0).contains(&sev) {
        return bad(
            rule.sarif.security_severity.span(),
            "security-severity is a number from 0.0 to 10.0",
        );
    }
    if let Some(pattern) = &rule.pattern {
        if let Some(k) = pattern.keywords.iter().find(|k| k.get_ref().is_empty()) {
            return bad(k.span(), "a keyword cannot be empty");
        }
        check_keyword_caps(rule, pattern)?;
    }
    Ok(())
}

/// The pattern's regex, parsed and compiled, once it is known to be valid.
fn compile(rule: &Rule, pattern: &Pattern) -> Result<RuleRegex, RuleError> {
    let bad = |msg: &str| RuleError::invalid(&rule.origin, pattern.regex.span(), msg);
    let regex = RuleRegex::new(pattern.regex.get_ref())
        .map_err(|e| bad(&format!("the regex does not compile: {e}")))?;
    // `x*` matches nothing at all; `\b` matches nothing between two letters: both would
    // report empty secrets everywhere.
    if regex.matches_empty_text() {
        return Err(bad("the regex matches the empty string"));
    }
    Ok(regex)
}

/// The most keywords one rule may list: the prefilter is built from all of them.
pub(crate) const MAX_KEYWORDS: usize = 50_000;

/// The most bytes one rule's keywords may hold together.
pub(crate) const MAX_KEYWORD_BYTES: usize = 1024 * 1024;

/// Refuses a rule with more keywords, or more keyword bytes, than the prefilter is
/// built for: the gate's automaton and what each keyword implies grow with them.
fn check_keyword_caps(rule: &Rule, pattern: &Pattern) -> Result<(), RuleError> {
    let keywords = &pattern.keywords;
    let bytes: usize = keywords.iter().map(|k| k.get_ref().len()).sum();
    if keywords.len() <= MAX_KEYWORDS && bytes <= MAX_KEYWORD_BYTES {
        return Ok(());
    }
    let (first, last) = (&keywords[0], &keywords[keywords.len() - 1]);
    Err(RuleError::invalid(
        &rule.origin,
        first.span().start..last.span().end,
        &format!(
            "{} keywords of {bytes} bytes: a rule may list at most {MAX_KEYWORDS} keywords \
             of at most {MAX_KEYWORD_BYTES} bytes in all",
            keywords.len()
        ),
    ))
}

/// The longest match, in bytes, of a rule that the scanned tree brings: large files are
/// read in windows that overlap by this much at most.
pub(crate) const MAX_PROJECT_MATCH: usize = 64 * 1024;

/// Refuses a rule from the scanned tree whose matches have no bounded length (or one over
/// [`MAX_PROJECT_MATCH`]): it would make every large file and blob be read whole, so a
/// repository could spend the memory of whoever scans it. The user's own `--rules` may.
fn check_bounded(rule: &Rule, pattern: &Pattern) -> Result<(), RuleError> {
    let longest = pattern.compiled().and_then(|r| r.match_len().1);
    if longest.is_some_and(|n| n <= MAX_PROJECT_MATCH) {
        return Ok(());
    }
    Err(RuleError::invalid(
        &rule.origin,
        pattern.regex.span(),
        &format!(
            "a rule from the scanned tree must match at most {MAX_PROJECT_MATCH} bytes: \
             bound each repetition (`{{1,256}}` rather than `+` or `*`), or load the rule \
             with --rules"
        ),
    ))
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn check_unique_ids(rules: &[Rule]) -> Result<(), RuleError> {
    for (i, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..i].iter().find(|r| r.id() == rule.id()) {
            return Err(RuleError::invalid(
                &rule.origin,
                rule.id.span(),
                &format!(
                    "duplicate rule id `{}`: {} defines it already",
                    rule.id(),
                    first.origin.name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_filled_in_one_pass() {
        let values = [("name", "\"{expires}\""), ("expires", "2020-01-02")];
        assert_eq!(
            fill("token {name} expired on {expires} {other} {", &values),
            "token \"{expires}\" expired on 2020-01-02 {other} {"
        );
        assert_eq!(fill("{{name}}", &[("name", "x")]), "{x}");
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::load(&[]).unwrap();
        assert!(set.get("remotive-personal-access-token").is_some());
        assert!(set.get("remotive-service-account-token").is_some());
    }

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab_case("token-expired"));
        assert!(is_kebab_case("rule2"));
        for bad in ["", "Token", "a--b", "-a", "a-", "a_b", "a b"] {
            assert!(!is_kebab_case(bad), "{bad:?}");
        }
    }

    fn minimal(extra: &str) -> String {
        format!(
            "id = \"my-rule\"\nseverity = \"error\"\nmessage = \"m {{secret}}\"\n\
             [docs]\nsummary = \"s\"\nwhy = \"w\"\nfix = \"f\"\n\
             [sarif]\nprecision = \"high\"\nsecurity-severity = 7.0\n{extra}"
        )
    }

    #[test]
    fn unknown_field_is_an_error_with_a_span() {
        let text = minimal("[pattern]\nregex = \"x\"\nkeyword = [\"x\"]\n");
        let err = parse_rule("r.toml", &text).unwrap_err();
        let RuleError::Invalid(invalid) = &err else {
            panic!("{err:?}")
        };
        let (span, message) = (&invalid.span, &invalid.message);
        assert!(message.contains("unknown field"), "{message}");
        assert_eq!(&text[span.offset()..span.offset() + 7], "keyword");
    }

    #[test]
    fn bad_regex_points_at_the_regex() {
        let text = minimal("[pattern]\nregex = \"a(b\"\n");
        let err = parse_rule("r.toml", &text).unwrap_err();
        let RuleError::Invalid(invalid) = &err else {
            panic!("{err:?}")
        };
        let (span, message) = (&invalid.span, &invalid.message);
        assert!(message.contains("does not compile"), "{message}");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "\"a(b\"");
    }

    #[test]
    fn huge_regex_is_an_error_not_an_abort() {
        let text = minimal("[pattern]\nregex = '\\w{1000}\\w{1000}\\w{1000}'\n");
        let err = parse_rule("r.toml", &text).unwrap_err();
        assert!(err.to_string().contains("r.toml"), "{err}");
    }

    #[test]
    fn a_regex_that_matches_nothing_at_all_is_an_error() {
        // A word boundary matches no characters; so may a `secret` group (found by a user
        // trying the tool: `\b` gave 700,000 empty findings in 1 MB of text).
        for regex in [
            "x*",
            "\\b",
            "(?-u:\\b)",
            "(?P<secret>)abc",
            "a(?P<secret>b?)",
        ] {
            let text = minimal(&format!("[pattern]\nregex = '{regex}'\n"));
            let err = parse_rule("r.toml", &text).unwrap_err();
            assert!(err.to_string().contains("empty string"), "{regex}: {err}");
        }
        assert!(parse_rule("r.toml", &minimal("[pattern]\nregex = '(?P<secret>x+)'\n")).is_ok());
    }

    /// 1,400 nested keywords took 3.6 GB and 16 s to load; a rule's keywords are capped.
    #[test]
    fn keywords_are_capped_in_count_and_bytes() {
        let rule = |keywords: &[String]| {
            let list: Vec<String> = keywords.iter().map(|k| format!("\"{k}\"")).collect();
            minimal(&format!(
                "[pattern]\nregex = 'x[0-9]{{4}}'\nkeywords = [{}]\n",
                list.join(",")
            ))
        };
        let many: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("k{i}")).collect();
        let err = parse_rule("r.toml", &rule(&many)).unwrap_err().to_string();
        assert!(
            err.contains("r.toml") && err.contains("at most 50000 keywords"),
            "{err}"
        );
        assert!(parse_rule("r.toml", &rule(&many[..MAX_KEYWORDS])).is_ok());
        let long = vec!["k".repeat(MAX_KEYWORD_BYTES / 2 + 1); 2];
        let err = parse_rule("r.toml", &rule(&long)).unwrap_err().to_string();
        assert!(err.contains("1048576 bytes in all"), "{err}");
    }

    #[test]
    fn security_severity_is_bounded() {
        let text = minimal("").replace("7.0", "11.0");
        assert!(parse_rule("r.toml", &text).is_err());
    }
}
