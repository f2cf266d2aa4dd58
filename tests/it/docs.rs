//! The rule files are the one source of the rule docs: their examples must hold, and the
//! README's rule table must be the one generated from them.

use tokenlint::docs::readme_rule_table;
use tokenlint::rules::RuleSet;
use tokenlint::scan::check_examples;

#[test]
fn every_rule_has_examples_and_they_hold() {
    let set = RuleSet::load(&[]).unwrap();
    for rule in set.rules() {
        let pattern = rule.pattern.is_some();
        assert!(
            !pattern || !rule.examples.positive.is_empty(),
            "{} has no positive example",
            rule.id()
        );
        assert!(
            !pattern || !rule.examples.negative.is_empty(),
            "{} has no negative example",
            rule.id()
        );
    }
    let (count, failures) = check_examples(&set).unwrap();
    assert!(count >= 2 * set.rules().len());
    let failures: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const START: &str = "<!-- rules:start";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rule_table_is_generated_from_the_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).expect("README has a rules:start marker");
    let body_start = start + readme[start..].find('\n').unwrap() + 1;
    let end = readme.find(END).expect("README has a rules:end marker");
    let expected = readme_rule_table(&RuleSet::load(&[]).unwrap());
    if readme[body_start..end] != expected {
        if std::env::var_os("TOKENLINT_BLESS").is_some() {
            let updated = format!("{}{expected}{}", &readme[..body_start], &readme[end..]);
            std::fs::write(path, updated).unwrap();
        } else {
            panic!(
                "the README's rule table is stale; run `TOKENLINT_BLESS=1 cargo test --test it docs::`\n\
                 expected:\n{expected}"
            );
        }
    }
}

#[test]
fn every_rule_explains_itself() {
    let set = RuleSet::load(&[]).unwrap();
    for rule in set.rules() {
        let text = tokenlint::docs::explain(rule);
        for heading in ["## Why is this bad?", "## What to do instead"] {
            assert!(text.contains(heading), "{}: {heading}", rule.id());
        }
        assert!(text.starts_with(&format!("# {} (", rule.id())));
        assert!(
            !rule.docs.references.is_empty(),
            "{} has no reference",
            rule.id()
        );
    }
}

#[test]
fn the_readme_main_job_scanning_this_repository_is_clean() {
    // `cargo run --release -- scan .` on this checkout: the synthetic tokens live only where
    // .tokenlintignore says, and the source builds its tokens in code.
    let out = crate::common::tokenlint(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["scan", ".", "--no-store", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
