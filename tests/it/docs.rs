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

/// action.yml, parsed: the one document in it.
fn action() -> yaml_rust2::Yaml {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let mut docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    assert_eq!(docs.len(), 1, "action.yml holds one document");
    docs.remove(0)
}

/// The step of `action` whose `id` or else `name` is `key`.
fn step<'a>(action: &'a yaml_rust2::Yaml, key: &str) -> &'a yaml_rust2::Yaml {
    let steps = action["runs"]["steps"]
        .as_vec()
        .expect("runs.steps is a list");
    steps
        .iter()
        .find(|s| s["id"].as_str().or(s["name"].as_str()) == Some(key))
        .unwrap_or_else(|| panic!("action.yml has no step {key}"))
}

#[test]
fn the_action_scans_to_sarif_and_uploads_it() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in ["paths", "fail-on", "category", "args", "upload"] {
        let description = action["inputs"][input]["description"].as_str();
        assert!(description.is_some_and(|d| !d.is_empty()), "input {input}");
    }
    // The scan step takes the inputs through its environment, never spliced into the script.
    let scan = step(&action, "scan");
    assert_eq!(scan["shell"].as_str(), Some("bash"));
    for (var, input) in [
        ("PATHS", "paths"),
        ("FAIL_ON", "fail-on"),
        ("CATEGORY", "category"),
        ("ARGS", "args"),
    ] {
        let value = format!("${{{{ inputs.{input} }}}}");
        assert_eq!(scan["env"][var].as_str(), Some(value.as_str()), "{var}");
    }
    let script = scan["run"].as_str().unwrap();
    assert!(
        !script.contains("${{"),
        "the scan script splices an expression:\n{script}"
    );
    for flag in [
        r#"--fail-on "$FAIL_ON""#,
        "--format sarif",
        r#"--sarif-category "$CATEGORY""#,
        r#"--output "$sarif""#,
    ] {
        assert!(
            script.contains(flag),
            "the scan step lacks {flag}:\n{script}"
        );
    }
    // The upload step: the codeql action pinned to a commit, given the log and the category.
    let upload = step(&action, "Upload to code scanning");
    let uses = upload["uses"].as_str().unwrap();
    let pin = uses
        .strip_prefix("github/codeql-action/upload-sarif@")
        .unwrap_or_else(|| panic!("{uses}"));
    assert!(
        pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
        "{uses}"
    );
    let sarif = "${{ steps.scan.outputs.sarif }}";
    assert_eq!(upload["with"]["sarif_file"].as_str(), Some(sarif));
    assert_eq!(
        upload["with"]["category"].as_str(),
        Some("${{ inputs.category }}")
    );
    assert_eq!(action["outputs"]["sarif"]["value"].as_str(), Some(sarif));
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
