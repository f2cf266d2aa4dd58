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
    for format in ["concise", "gitlab", "rdjson", "junit"] {
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

/// `tokenlint scan ARGS --format junit` in `dir`, exiting `code`, as junitparser (PyPI)
/// reads it after validating it against Jenkins' `junit-10.xsd` (`tests/junit_consumer.py`).
/// `None` when junitparser or xmlschema is not installed, outside CI: `.ci/run` installs
/// both into `target/ci-venv` (set `TOKENLINT_TEST_PYTHON` to use another Python).
fn junit_as_read(dir: &Path, args: &[&str], code: i32) -> Option<Value> {
    let report = tempfile::NamedTempFile::new().unwrap();
    let out_path = report.path().to_str().unwrap();
    let mut full = vec!["scan", "--now", "2026-11-29", "--format", "junit"];
    full.extend_from_slice(&["--output", out_path]);
    full.extend_from_slice(args);
    assert_eq!(tokenlint(dir, &full).status.code(), Some(code), "{args:?}");
    let root = env!("CARGO_MANIFEST_DIR");
    let python = std::env::var("TOKENLINT_TEST_PYTHON")
        .unwrap_or_else(|_| format!("{root}/target/ci-venv/bin/python3"));
    let read = std::process::Command::new(&python)
        .arg(format!("{root}/tests/junit_consumer.py"))
        .arg(report.path())
        .arg(format!("{FIXTURES}/junit/junit-10.xsd"))
        .output();
    let missing = match &read {
        Err(e) => Some(format!("{python}: {e}")),
        Ok(out) if out.status.code() == Some(3) => {
            Some(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
        Ok(_) => None,
    };
    if let Some(missing) = missing {
        assert!(
            std::env::var_os("CI").is_none_or(|ci| ci.is_empty()),
            "CI must check JUnit with junitparser: {missing}"
        );
        eprintln!(
            "SKIPPED: JUnit not checked by junitparser ({missing}); `bash .ci/run` installs it"
        );
        return None;
    }
    let out = read.unwrap();
    assert!(
        out.status.success(),
        "junit_consumer.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// One JUnit test case per finding, each a failure whose class is the file, whose name
/// holds the place, and whose message is the redacted one; the same findings as JSON.
#[test]
fn junit_validates_and_junitparser_reads_one_failure_per_finding() {
    let Some(doc) = junit_as_read(Path::new(FIXTURES), &["leaky"], 1) else {
        return;
    };
    let cases = doc["cases"].as_array().unwrap();
    let expected = json_findings();
    assert_eq!(doc["tests"], expected.len());
    assert_eq!(doc["failures"], expected.len());
    assert_eq!((&doc["errors"], &doc["skipped"]), (&0.into(), &0.into()));
    let mut seen = Vec::new();
    for case in cases {
        let results = case["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{case}");
        let failure = &results[0];
        assert_eq!(str_at(failure, "/kind"), "failure");
        let rule = str_at(failure, "/type");
        let path = str_at(case, "/classname");
        let name = str_at(case, "/name");
        let place = name.strip_prefix(&format!("{rule} at {path}:")).unwrap();
        let line: u64 = place.split(':').next().unwrap().parse().unwrap();
        let text = str_at(failure, "/text");
        assert!(text.starts_with(&format!("{path}:{place}: ")), "{text}");
        assert!(text.ends_with(str_at(failure, "/message")), "{text}");
        seen.push((path.to_string(), line, rule.to_string()));
    }
    assert_eq!(seen, expected, "the same findings as --format json");
    assert!(str_at(&doc, "/cases/0/results/0/message").contains("pa1.0/E9CB…055D"));
}

/// A clean scan is one passing test case, so that a test report shows a green run.
#[test]
fn junit_of_a_clean_scan_is_one_passing_case() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.sh"), "echo hello\n").unwrap();
    let Some(doc) = junit_as_read(dir.path(), &[], 0) else {
        return;
    };
    assert_eq!((&doc["tests"], &doc["failures"]), (&1.into(), &0.into()));
    assert_eq!(doc["cases"][0]["name"], "no findings");
    assert_eq!(doc["cases"][0]["results"], serde_json::json!([]));
}

/// Hostile names and messages (markup, `]]>`, quotes, control characters) stay one valid
/// document; a suppressed finding is a skipped case and an unreadable path an error.
#[cfg(unix)]
#[test]
fn junit_holds_hostile_names_suppressed_findings_and_scan_errors() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 64);
    let hostile = "a]]>\"<&'\u{1}\u{1b}[31m.sh";
    fs::write(dir.path().join(hostile), format!("T={t}\n")).unwrap();
    fs::write(
        dir.path().join("b.sh"),
        format!("T={} # tokenlint:allow a <b> & \"c\"\n", token("pa", 65)),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("dangling")).unwrap();
    let args = ["--show-suppressed", "-L", "."];
    let Some(doc) = junit_as_read(dir.path(), &args, 1) else {
        return;
    };
    let counts = ["tests", "failures", "errors", "skipped"].map(|k| doc[k].as_u64().unwrap());
    assert_eq!(counts, [3, 1, 1, 1], "{doc}");
    let cases = doc["cases"].as_array().unwrap();
    let by_kind = |kind: &str| {
        cases
            .iter()
            .find(|c| c["results"][0]["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {doc}"))
    };
    let failure = by_kind("failure");
    assert_eq!(
        str_at(failure, "/classname"),
        "a]]>\"<&'\\u{1}\\u{1b}[31m.sh"
    );
    assert!(!failure.to_string().contains(&t[10..]), "{failure}");
    let skipped = by_kind("skipped");
    assert_eq!(
        str_at(skipped, "/results/0/message"),
        "suppressed: a <b> & \"c\""
    );
    assert_eq!(str_at(by_kind("error"), "/classname"), "dangling");
}

/// Three findings of one rule show its help once; off a terminal nothing is wrapped, so the
/// help is one line.
#[test]
fn text_shows_a_rules_help_once_and_wraps_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let body: String = (0..3)
        .map(|i| format!("T{i}={}\n", token("pa", 80 + i)))
        .collect();
    fs::write(dir.path().join("a.sh"), body).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--format", "text"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert_eq!(shown.matches(" × ").count(), 3, "{shown}");
    let helps: Vec<&str> = shown.lines().filter(|l| l.contains("help: ")).collect();
    assert_eq!(helps.len(), 1, "{shown}");
    assert!(
        helps[0].contains("`export ACCESS_TOKEN=$(remotive cloud auth print-access-token)`")
            && helps[0].ends_with("never a personal token."),
        "the help is one line off a terminal: {shown}"
    );
}

/// On a terminal 50 columns wide, text wraps at 50, between words, and a suggested command
/// (a code span, `chmod 700 …`) is never split, though it is wider than the terminal.
#[cfg(unix)]
#[test]
fn text_wraps_at_the_terminals_width_and_keeps_commands_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::Tokenlint::new(dir.path());
    let store = cmd.home().join(".config/remotive");
    fs::create_dir_all(&store).unwrap();
    fs::set_permissions(&store, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(dir.path().join("a.sh"), format!("T={}\n", token("pa", 91))).unwrap();
    cmd.args(["audit", "--now", "2026-11-29", "--format", "text", "a.sh"])
        .env("NO_COLOR", "1");
    let (status, written) = common::on_a_terminal_of(&mut cmd, 50);
    assert_eq!(status.code(), Some(1));
    let shown = String::from_utf8(written).unwrap().replace("\r\n", "\n");
    let command = format!("`chmod 700 {}`", store.display());
    assert!(
        shown.lines().any(|l| l.contains(&command)),
        "{command} is split:\n{shown}"
    );
    let help = "Read the token from the environment instead of writing it down";
    assert!(
        !shown.lines().any(|l| l.contains(help)),
        "not wrapped:\n{shown}"
    );
    for line in shown
        .lines()
        .filter(|l| !l.contains('`') && !l.contains('/'))
    {
        assert!(line.chars().count() <= 50, "{line:?} is wider than 50");
    }
}
