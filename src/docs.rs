//! Documentation generated from the rule files: `tokenlint rules`, `tokenlint explain`,
//! and the README's rule table. One source, so none of them can drift.
//!
//! A rule file may come from the scanned repository (`[rules] paths`): everything taken
//! from it is shown with its tokens redacted and its control characters escaped, so that
//! its docs can neither print a secret nor drive a terminal or a CI runner.

use std::fmt::Write;

use serde::Serialize;

use crate::rules::{BuiltinRule, Rule, RuleSet, Severity};
use crate::shown::{clean, clean_lines};
use crate::token::redact_tokens;

/// How `tokenlint rules` lists the rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFormat {
    /// One line per rule, in columns.
    #[default]
    Text,
    /// A JSON array, one object per rule, for scripts and editors.
    Json,
}

/// A rule as `tokenlint rules --format json` lists it. Its text comes from a rule file,
/// maybe of the scanned tree: tokens redacted (JSON escapes control characters itself).
#[derive(Serialize)]
struct ListedRule {
    id: String,
    severity: Severity,
    summary: String,
    why: String,
    fix: String,
    references: Vec<String>,
    /// Built into tokenlint, or else read from a rule file (`--rules`, `[rules] paths`).
    builtin: bool,
}

/// `tokenlint rules` in `format`.
pub fn rules_listed(set: &RuleSet, format: ListFormat) -> String {
    match format {
        ListFormat::Text => rules_list(set),
        ListFormat::Json => {
            let text = |t: &str| redact_tokens(t.trim()).into_owned();
            let listed: Vec<ListedRule> = set
                .rules()
                .iter()
                .map(|r| ListedRule {
                    id: text(r.id()),
                    severity: r.severity,
                    summary: text(&r.docs.summary),
                    why: text(&r.docs.why),
                    fix: text(&r.docs.fix),
                    references: r.docs.references.iter().map(|t| text(t)).collect(),
                    builtin: BuiltinRule::from_id(r.id()).is_some(),
                })
                .collect();
            let mut json = serde_json::to_string_pretty(&listed).expect("rules serialize");
            json.push('\n');
            json
        }
    }
}

/// `tokenlint rules`: one line per rule, in columns.
pub fn rules_list(set: &RuleSet) -> String {
    let width = set.rules().iter().map(|r| clean(r.id()).len()).max();
    let width = width.unwrap_or(0);
    let mut out = String::new();
    for rule in set.rules() {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {}",
            clean(rule.id()),
            rule.severity.as_str(),
            clean(rule.docs.summary.trim())
        );
    }
    out
}

/// `tokenlint explain ID`: the rule's documentation, as Markdown.
pub fn explain(rule: &Rule) -> String {
    markdown(rule, true)
}

/// The rule's documentation without its examples: SARIF's `help.markdown`.
pub fn explain_without_examples(rule: &Rule) -> String {
    markdown(rule, false)
}

fn markdown(rule: &Rule, with_examples: bool) -> String {
    let mut out = String::new();
    let docs = &rule.docs;
    let _ = writeln!(out, "# {} ({})\n", clean(rule.id()), rule.severity);
    let _ = writeln!(out, "{}\n", clean_lines(docs.summary.trim()));
    let _ = writeln!(
        out,
        "## Why is this bad?\n\n{}\n",
        clean_lines(docs.why.trim())
    );
    let _ = writeln!(
        out,
        "## What to do instead\n\n{}\n",
        clean_lines(docs.fix.trim())
    );
    let examples = [
        ("## Reported", &rule.examples.positive),
        ("## Not reported", &rule.examples.negative),
    ];
    let shown = |example: &str| match is_builtin(rule) {
        true => example.to_string(),
        false => clean(example),
    };
    for (heading, list) in examples.into_iter().filter(|_| with_examples) {
        if !list.is_empty() {
            let _ = writeln!(out, "{heading}\n\n```text");
            for example in list {
                let _ = writeln!(out, "{}", shown(example));
            }
            let _ = writeln!(out, "```\n");
        }
    }
    if !rule.docs.references.is_empty() {
        let _ = writeln!(out, "## References\n");
        for r in &rule.docs.references {
            let _ = writeln!(out, "- <{}>", clean(r));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Whether `rule` is one of tokenlint's own, as shipped: its examples are shown as
/// written, since their demo tokens are the point of them. Any other rule's are redacted.
fn is_builtin(rule: &Rule) -> bool {
    RuleSet::load_scoped(&[]).is_ok_and(|set| {
        set.rules()
            .iter()
            .any(|b| b.id() == rule.id() && b.origin.text == rule.origin.text)
    })
}

/// The README's rule table: a Markdown table of every built-in rule.
pub fn readme_rule_table(set: &RuleSet) -> String {
    let mut out = String::from("| Rule | Severity | What it finds |\n|---|---|---|\n");
    for rule in set.rules() {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            clean(rule.id()),
            rule.severity,
            clean(rule.docs.summary.trim()).replace('|', "\\|")
        );
    }
    out
}
