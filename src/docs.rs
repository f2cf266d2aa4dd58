//! Documentation generated from the rule files: `tokenlint rules`, `tokenlint explain`,
//! and the README's rule table. One source, so none of them can drift.

use std::fmt::Write;

use crate::rules::{Rule, RuleSet};

/// `tokenlint rules`: one line per rule, in columns.
pub fn rules_list(set: &RuleSet) -> String {
    let width = set.rules().iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in set.rules() {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {}",
            rule.id(),
            rule.severity.as_str(),
            rule.docs.summary.trim()
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
    let _ = writeln!(out, "# {} ({})\n", rule.id(), rule.severity);
    let _ = writeln!(out, "{}\n", rule.docs.summary.trim());
    let _ = writeln!(out, "## Why is this bad?\n\n{}\n", rule.docs.why.trim());
    let _ = writeln!(out, "## What to do instead\n\n{}\n", rule.docs.fix.trim());
    let examples = [
        ("## Reported", &rule.examples.positive),
        ("## Not reported", &rule.examples.negative),
    ];
    for (heading, list) in examples.into_iter().filter(|_| with_examples) {
        if !list.is_empty() {
            let _ = writeln!(out, "{heading}\n\n```text");
            for example in list {
                let _ = writeln!(out, "{example}");
            }
            let _ = writeln!(out, "```\n");
        }
    }
    if !rule.docs.references.is_empty() {
        let _ = writeln!(out, "## References\n");
        for r in &rule.docs.references {
            let _ = writeln!(out, "- <{r}>");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The README's rule table: a Markdown table of every built-in rule.
pub fn readme_rule_table(set: &RuleSet) -> String {
    let mut out = String::from("| Rule | Severity | What it finds |\n|---|---|---|\n");
    for rule in set.rules() {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            rule.id(),
            rule.severity,
            rule.docs.summary.trim().replace('|', "\\|")
        );
    }
    out
}
