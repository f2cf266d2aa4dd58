//! Runs every rule's examples through the whole scanner: each positive example must give a
//! finding of its rule, and no negative example may. The built-in rules are checked by the
//! test suite; `tokenlint rules --check` checks user rules the same way.

use std::fmt;

use super::{Scanner, Scratch};
use crate::rules::{RuleError, RuleSet};

/// An example that did not do what its rule file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule_id: String,
    pub positive: bool,
    pub example: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = if self.positive {
            "is not reported"
        } else {
            "is reported"
        };
        // Examples are the rule author's own text, shown as written.
        write!(f, "{}: example {expected}: {}", self.rule_id, self.example)
    }
}

/// How many examples were run, and the ones that failed.
pub fn check_examples(set: &RuleSet) -> Result<(usize, Vec<ExampleFailure>), RuleError> {
    let scanner = Scanner::new(set, true)?;
    let mut scratch = Scratch::default();
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in set.rules() {
        let cases = rule
            .examples
            .positive
            .iter()
            .map(|e| (true, e))
            .chain(rule.examples.negative.iter().map(|e| (false, e)));
        for (positive, example) in cases {
            count += 1;
            let found = scanner
                .scan("example", example.as_bytes(), &mut scratch)
                .iter()
                .any(|f| f.rule_id == rule.id());
            if found != positive {
                failures.push(ExampleFailure {
                    rule_id: rule.id().to_string(),
                    positive,
                    example: example.clone(),
                });
            }
        }
    }
    Ok((count, failures))
}
