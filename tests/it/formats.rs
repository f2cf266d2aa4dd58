//! The formats other tools read: `concise` (problem matchers), `gitlab` (GitLab Code
//! Quality) and `rdjson` (reviewdog), each checked as its consumer reads it, and the
//! pre-commit hooks' default of `concise`, which a later `--format` overrides.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common;
use common::{token, tokenlint};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// `scan leaky` in `format`, parsed.
fn leaky(format: &str) -> Value {
    let out = tokenlint(
        Path::new(FIXTURES),
        &["scan", "--now", "2026-11-29", "--format", format, "leaky"],
    );
    assert_eq!(out.status.code(), Some(1), "{format}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings of the JSON format: path, line and rule id of each.
fn json_findings() -> Vec<(String, u64, String)> {
    common::finding_places(&leaky("json"))
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

fn int_at(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no integer at {pointer} in {v}"))
}

/// GitLab's documented required fields of a Code Quality issue
/// (docs.gitlab.com/ci/testing/code_quality, "Code Quality report format"): `description`,
/// `check_name`, `fingerprint` (unique), `severity` (one of five), `location.path`, and
/// `location.lines.begin` (an integer).
#[test]
fn gitlab_issues_have_the_fields_gitlab_requires() {
    let doc = leaky("gitlab");
    let issues = doc.as_array().expect("a JSON array");
    let mut fingerprints = std::collections::HashSet::new();
    let mut seen = Vec::new();
    for issue in issues {
        let check = str_at(issue, "/check_name");
        assert!(str_at(issue, "/description").starts_with(&format!("{check}: ")));
        assert!(fingerprints.insert(str_at(issue, "/fingerprint").to_string()));
        let severity = str_at(issue, "/severity");
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&severity),
            "{severity}"
        );
        let begin = int_at(issue, "/location/lines/begin");
        assert!(begin >= 1 && int_at(issue, "/location/lines/end") >= begin);
        let path = str_at(issue, "/location/path");
        assert!(!path.starts_with('/'), "relative: {path}");
        seen.push((path.to_string(), begin, check.to_string()));
    }
    assert_eq!(seen, json_findings(), "the same findings as --format json");
    assert!(str_at(&doc, "/0/description").contains("pa1.0/E9CB…055D"));
}

#[test]
fn rdjson_validates_against_reviewdogs_schema() {
    let doc = leaky("rdjson");
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(format!("{FIXTURES}/rdjson/DiagnosticResult.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The schema requires nothing: what reviewdog needs to place a comment is checked here.
    assert_eq!(str_at(&doc, "/source/name"), "tokenlint");
    let mut seen = Vec::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        assert!(!str_at(d, "/message").is_empty());
        assert!(["ERROR", "WARNING", "INFO"].contains(&str_at(d, "/severity")));
        let line = int_at(d, "/location/range/start/line");
        assert!(int_at(d, "/location/range/start/column") >= 1);
        assert!(int_at(d, "/location/range/end/line") >= line);
        seen.push((
            str_at(d, "/location/path").to_string(),
            line,
            str_at(d, "/code/value").to_string(),
        ));
    }
    assert_eq!(seen, json_findings(), "the same findings as --format json");
}

/// One line per finding, `path:line:col: severity[rule-id] message`, then the summary; a
/// suppressed finding is neither reported nor counted as one.
#[test]
fn concise_is_one_line_per_finding_then_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 60);
    fs::write(dir.path().join("a.sh"), format!("x\n  T={t}\n")).unwrap();
    fs::write(
        dir.path().join("b.sh"),
        format!("T={} # tokenlint:allow test\n", token("pa", 61)),
    )
    .unwrap();
    let out = tokenlint(dir.path(), &["scan", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = shown.lines().collect();
    let redacted = format!("{}…{}", &t[..10], &t[t.len() - 4..]);
    assert_eq!(
        lines,
        [
            format!(
                "a.sh:2:5: error[remotive-personal-access-token] hard-coded RemotiveCloud \
                 personal access token {redacted}"
            )
            .as_str(),
            "tokenlint: 1 finding (1 error) in 2 files (187 B); 1 suppressed",
        ]
    );
}

/// `--no-redact` shows the secret in the message, as `--format json` does; without it, no
/// new format carries more than the redacted token.
#[test]
fn no_redact_shows_the_secret_as_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("sa", 62);
    fs::write(dir.path().join("c.env"), format!("T={t}\n")).unwrap();
    for format in ["concise", "gitlab", "rdjson"] {
        let run = |extra: &[&str]| {
            let mut args = vec!["scan", "--format", format];
            args.extend_from_slice(extra);
            let out = tokenlint(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{format} {extra:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        assert!(!run(&[]).contains(&t[6..]), "{format} shows the token");
        assert!(run(&["--no-redact"]).contains(&t), "{format} --no-redact");
    }
}

/// The hooks' entries, from `.pre-commit-hooks.yaml`, as pre-commit runs them: the entry,
/// then the file names. They report in `concise`; a `--format` of the user's own, before
/// `--hook`, wins over it.
#[test]
fn the_pre_commit_hooks_report_concise_unless_told_otherwise() {
    let hooks = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let entries: Vec<Vec<&str>> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: tokenlint "))
        // The pre-push hooks pass no file names (see `push.rs`).
        .filter(|e| e.starts_with("scan "))
        .map(|e| e.split(' ').collect())
        .collect();
    assert_eq!(entries.len(), 2);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("d.sh"), format!("T={}\n", token("pa", 63))).unwrap();
    for entry in entries {
        let hook = entry.iter().position(|w| *w == "--hook").unwrap();
        let run = |format: Option<&str>| {
            let mut args = entry.clone();
            if let Some(format) = format {
                args.splice(hook..hook, ["--format", format]);
            }
            args.push("d.sh");
            let out = tokenlint(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let shown = run(None);
        assert!(
            shown.starts_with("d.sh:1:3: error[remotive-personal-access-token] "),
            "{shown}"
        );
        let json: Value = serde_json::from_str(&run(Some("json"))).unwrap();
        assert_eq!(common::finding_paths(&json), ["d.sh"]);
    }
}
