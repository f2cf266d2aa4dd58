//! No full token in any output, names included: tokens in paths, commit authors, remote
//! URLs and undecoded neighbours of findings are redacted in every format and on standard
//! error, and nothing a file is named can start a workflow command or fill a placeholder.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common;
use common::{git, repo, token, tokenlint as run, FORMATS};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

/// A token's body: what must never show whole.
fn body(token: &str) -> &str {
    &token[6..]
}

/// A tree with a token in a directory name and a `%2F`-encoded token in a file name, each
/// holding a token in its content; the two path tokens.
fn tokens_in_paths(dir: &Path) -> [String; 2] {
    let (in_dir, in_name, content) = (token("pa", 1), token("sa", 2), token("pa", 3));
    let nested = dir.join("cache").join(&in_dir);
    fs::create_dir_all(&nested).unwrap();
    fs::write(nested.join("x.env"), format!("T={content}\n")).unwrap();
    let encoded = format!("{}.env", in_name.replace('/', "%2F"));
    fs::write(dir.join(encoded), format!("T={content}\n")).unwrap();
    [in_dir, in_name]
}

#[test]
fn tokens_in_paths_are_redacted_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let planted = tokens_in_paths(dir.path());
    for format in FORMATS {
        let out = run(
            dir.path(),
            &["scan", "--format", format, "--color", "never"],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let shown = stdout(&out);
        assert!(shown.contains("cache/pa1.0/"), "{format}: {shown}");
        for t in &planted {
            assert!(!shown.contains(body(t)), "{format} shows a path's token");
        }
    }
}

#[test]
fn fingerprints_stay_keyed_on_the_real_path() {
    let dir = tempfile::tempdir().unwrap();
    let planted = tokens_in_paths(dir.path());
    let redacted = json(&run(dir.path(), &["scan", "--format", "json"]));
    let full = json(&run(
        dir.path(),
        &["scan", "--format", "json", "--no-redact"],
    ));
    let fingerprints = |doc: &Value| common::finding_strings(doc, "fingerprint").join(",");
    assert_eq!(fingerprints(&redacted), fingerprints(&full));
    // `--no-redact` shows the paths as they are.
    let paths = common::finding_paths(&full).join(",");
    assert!(paths.contains(body(&planted[0])), "{paths}");
}

#[test]
fn tokens_in_warning_paths_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 4);
    let nested = dir.path().join(&t);
    fs::create_dir_all(&nested).unwrap();
    // A link to nothing, followed: a warning that names its path.
    std::os::unix::fs::symlink("/nonexistent", nested.join("gone.env")).unwrap();
    for format in FORMATS {
        let out = run(dir.path(), &["scan", "--follow", "--format", format]);
        let (shown, warned) = (stdout(&out), stderr(&out));
        assert!(warned.contains("warning: pa1.0/"), "{warned}");
        assert!(
            !shown.contains(body(&t)) && !warned.contains(body(&t)),
            "{format} shows the token of an unreadable path"
        );
    }
}

#[test]
fn commit_authors_and_remote_credentials_never_show() {
    let dir = repo();
    let p = dir.path();
    let (author, credential) = (token("pa", 5), token("sa", 6));
    let origin = format!(
        "https://oauth2:{}@git.example.test/o/r.git",
        credential.replace('/', "%2F")
    );
    git(p, &["remote", "add", "origin", &origin]);
    fs::write(p.join("leak.sh"), format!("T={}\n", token("pa", 7))).unwrap();
    git(p, &["add", "."]);
    let who = format!("{author} <{author}@example.test>");
    git(p, &["commit", "-q", "-m", "leak", "--author", &who]);
    for format in FORMATS {
        let out = run(p, &["scan", "--history", "--format", format]);
        let shown = format!("{}{}", stdout(&out), stderr(&out));
        assert!(shown.contains("leak.sh"), "{format}: {shown}");
        for t in [&author, &credential] {
            assert!(!shown.contains(body(t)), "{format} shows {shown}");
        }
        assert!(
            !shown.contains("oauth2"),
            "{format} shows the remote's user"
        );
    }
    let sarif = json(&run(p, &["scan", "--history", "--format", "sarif"]));
    let uri = &sarif["runs"][0]["versionControlProvenance"][0]["repositoryUri"];
    assert_eq!(uri, "https://git.example.test/o/r.git");
}

#[test]
fn an_undecoded_token_between_two_findings_never_shows_across_their_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let hidden = token("sa", 8);
    let line = format!(
        "A={} B={} C={}\n",
        token("pa", 9),
        hidden.replace('/', "\\x2F"),
        token("pa", 10)
    );
    fs::write(dir.path().join("three.json"), line).unwrap();
    let out = run(dir.path(), &["scan", "--color", "never"]);
    let shown = stdout(&out);
    assert_eq!(shown.matches("hard-coded").count(), 2, "{shown}");
    // Each of its groups but the first and last (whose ends show, as in any redaction).
    for group in body(&hidden).split('-').skip(1).take(6) {
        assert!(!shown.contains(group), "{shown}");
    }
}

#[test]
fn a_file_name_never_starts_a_workflow_command_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("x\n::error::pwned");
    fs::create_dir_all(&hostile).unwrap();
    // A link to its own directory, followed: the walker's message names the path twice.
    std::os::unix::fs::symlink(".", hostile.join("loop")).unwrap();
    std::os::unix::fs::symlink("/nonexistent", hostile.join("gone")).unwrap();
    let out = run(dir.path(), &["scan", "--follow", "--format", "github"]);
    let warned = stderr(&out);
    assert!(warned.contains("pwned"), "{warned}");
    for line in warned.lines().chain(stdout(&out).lines()) {
        assert!(!line.trim_start().starts_with("::error"), "{warned}");
    }
}

#[test]
fn a_token_named_like_a_placeholder_is_shown_as_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = format!(
        "{{\"name\": \"{{expires}}\", \"token\": \"{}\", \"created\": \"2020-01-01\", \"expires\": \"2020-06-01\"}}",
        token("pa", 11)
    );
    fs::write(dir.path().join("personal-token-x.json"), file).unwrap();
    let doc = json(&run(dir.path(), &["scan", "--format", "json"]));
    let messages = common::finding_strings(&doc, "message");
    let expired = messages
        .iter()
        .find(|m| m.contains("expired on"))
        .unwrap_or_else(|| panic!("{messages:?}"));
    assert!(
        expired.contains("token \"{expires}\" expired on 2020-06-01"),
        "{expired}"
    );
}

#[test]
fn an_error_naming_a_hostile_path_starts_no_workflow_command() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 12);
    for missing in ["x\n::error::pwned/gone.sh", "x\r::error::pwned", &t] {
        let out = run(dir.path(), &["scan", missing]);
        assert_eq!(out.status.code(), Some(2));
        let warned = stderr(&out);
        assert!(warned.contains("cannot scan"), "{warned}");
        assert!(!warned.contains(body(&t)), "{warned}");
        for line in warned.split(['\n', '\r']) {
            assert!(!line.trim_start().starts_with("::"), "{warned}");
        }
    }
}

#[test]
fn a_rule_file_never_starts_a_workflow_command_in_text_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = r#"id = "acme-key"
severity = "error"
message = "ACME key {secret}"
[pattern]
keywords = ["acme_"]
regex = 'acme_[a-z0-9]{20}'
[docs]
summary = "An ACME key."
why = "It grants access."
fix = """
Revoke it.
::error::pwned
"""
references = []
[sarif]
tags = ["acme"]
precision = "high"
security-severity = 8.0
[examples]
positive = ["acme_abcdefghij0123456789"]
negative = ["acme_short"]
"#;
    fs::write(dir.path().join("rules/acme.toml"), rule).unwrap();
    fs::write(dir.path().join("k.sh"), "K=acme_abcdefghij0123456789\n").unwrap();
    let out = run(
        dir.path(),
        &["scan", "--rules", "rules", "--color", "never"],
    );
    let shown = stdout(&out);
    assert!(shown.contains("pwned"), "{shown}{}", stderr(&out));
    for line in shown.lines() {
        assert!(!line.trim_start().starts_with("::error"), "{shown}");
    }
}

/// A project whose `tokenlint.toml` names a rule file of its own with a token, a terminal
/// escape and a workflow command in its docs and message; the token.
fn hostile_rule_project(dir: &Path) -> String {
    let t = token("pa", 20);
    fs::create_dir(dir.join("rules")).unwrap();
    fs::write(dir.join("tokenlint.toml"), "[rules]\npaths = [\"rules\"]\n").unwrap();
    let rule = format!(
        r#"id = "acme-key"
severity = "error"
message = "ACME key {{secret}} \u001b]0;TITLE\u0007 see {t}"
[pattern]
keywords = ["acme_"]
regex = 'acme_[a-z0-9]{{20}}'
[docs]
summary = "An ACME key {t}\n::error::summary\u001b]0;TITLE\u0007"
why = "It grants access. {t}"
fix = """
Revoke it.
::error::pwned
\u001b[2J"""
references = ["https://oauth2:{t}@example.test/docs?k={t}"]
[sarif]
tags = ["acme", "{t}"]
precision = "high"
security-severity = 8.0
[examples]
positive = ["acme_abcdefghij0123456789", "{t}\u001b[2J"]
negative = ["acme_short"]
"#
    );
    fs::write(dir.join("rules/acme.toml"), rule).unwrap();
    fs::write(dir.join("k.sh"), "K=acme_abcdefghij0123456789\n").unwrap();
    t
}

/// Output that neither shows `t`, nor holds a control character other than a line break
/// or a tab, nor has a line that starts the workflow command `::error::pwned` or
/// `::error::summary`.
fn assert_clean(what: &str, shown: &str, t: &str) {
    assert!(!shown.contains(body(t)), "{what}: {shown}");
    assert!(
        !shown
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{what}: {shown:?}"
    );
    for line in shown.lines() {
        let line = line.trim_start();
        assert!(
            !line.starts_with("::error::pwned") && !line.starts_with("::error::summary"),
            "{what}: {shown}"
        );
    }
}

#[test]
fn rule_docs_from_the_scanned_tree_are_redacted_and_escaped_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let t = hostile_rule_project(dir.path());
    let rules = run(dir.path(), &["rules"]);
    assert!(stdout(&rules).contains("acme-key"), "{}", stderr(&rules));
    assert_clean("rules", &stdout(&rules), &t);
    let check = run(dir.path(), &["rules", "--check"]);
    assert!(
        stdout(&check).contains("example is not reported"),
        "{}",
        stdout(&check)
    );
    assert_clean("rules --check", &stdout(&check), &t);
    let explain = run(dir.path(), &["explain", "acme-key"]);
    assert!(
        stdout(&explain).contains("Revoke it."),
        "{}",
        stderr(&explain)
    );
    assert_clean("explain", &stdout(&explain), &t);
    for format in FORMATS {
        let out = run(
            dir.path(),
            &["scan", "--format", format, "--color", "never"],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_clean(format, &format!("{}{}", stdout(&out), stderr(&out)), &t);
    }
    let sarif = json(&run(dir.path(), &["scan", "--format", "sarif"]));
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "acme-key")
        .unwrap()
        .clone();
    let markdown = rule["help"]["markdown"].as_str().unwrap();
    assert!(markdown.contains("Revoke it.\n"), "{markdown}");
    for text in [
        markdown,
        rule["help"]["text"].as_str().unwrap(),
        &rule.to_string(),
    ] {
        assert_clean("sarif rule", text, &t);
    }
    let help_uri = rule["helpUri"].as_str().unwrap();
    assert!(
        help_uri.starts_with("https://example.test/docs?k="),
        "{help_uri}"
    );
}

#[test]
fn tokens_in_undecoded_encodings_never_show_across_two_snippets() {
    // `A=<t1> M=<t2 written some other way> C=<t1>`: the two findings' snippets together
    // must not show t2's body, whatever joins its groups.
    let dir = tempfile::tempdir().unwrap();
    let (found, hidden) = (token("pa", 21), token("sa", 22));
    for sep in ["%2D", "_", " ", "\\x2d", "\\u002d", ""] {
        let line = format!("A={found} M={} C={found}\n", hidden.replace('-', sep));
        fs::write(dir.path().join("n.txt"), line).unwrap();
        let out = run(dir.path(), &["scan", "--color", "never", "n.txt"]);
        let shown = stdout(&out);
        assert_eq!(shown.matches("hard-coded").count(), 2, "{sep:?}: {shown}");
        for group in body(&hidden).split('-').skip(1).take(6) {
            assert!(!shown.contains(group), "{sep:?}: {shown}");
        }
    }
}

#[test]
fn tokens_joined_by_any_short_separator_never_show_across_two_snippets() {
    // Separators the mask has no name for: double percent-encoding, HTML entities, two
    // escapes, octal, `%u`, lowercase groups joined by `_`, and one made up.
    let dir = tempfile::tempdir().unwrap();
    let (found, hidden) = (token("pa", 23), token("sa", 24));
    let seps = [
        "%252D",
        "%252F",
        "&minus;",
        "\\x2D\\x2D",
        "\\055",
        "%u002D",
        "_",
        "-@@-",
        "~xy~",
    ];
    for (sep, lower) in seps.iter().map(|s| (*s, false)).chain([("_", true)]) {
        let mut written = hidden.replace('-', sep);
        if lower {
            written = written.to_lowercase();
        }
        let line = format!("A={found} M={written} C={found}\n");
        fs::write(dir.path().join("n.txt"), line).unwrap();
        let out = run(dir.path(), &["scan", "--color", "never", "n.txt"]);
        let shown = stdout(&out).to_lowercase();
        assert_eq!(shown.matches("hard-coded").count(), 2, "{sep:?}: {shown}");
        for group in body(&hidden).split('-').skip(1).take(6) {
            assert!(!shown.contains(&group.to_lowercase()), "{sep:?}: {shown}");
        }
    }
}

#[test]
fn remote_passwords_with_slashes_and_query_secrets_never_show() {
    let dir = repo();
    let p = dir.path();
    let origin =
        "https://oauth2:ghp_pw/with/slash@git.example.test/o/r.git?access_token=ghp_q#ghp_f";
    git(p, &["remote", "add", "origin", origin]);
    fs::write(p.join("leak.sh"), format!("T={}\n", token("pa", 23))).unwrap();
    git(p, &["add", "."]);
    git(p, &["commit", "-q", "-m", "leak"]);
    let out = run(p, &["scan", "--history", "--format", "sarif"]);
    assert!(!stdout(&out).contains("ghp_"), "{}", stdout(&out));
    let uri = &json(&out)["runs"][0]["versionControlProvenance"][0]["repositoryUri"];
    assert_eq!(uri, "https://git.example.test/o/r.git");
}

#[test]
fn arguments_are_never_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 24);
    fs::write(dir.path().join("clean.txt"), "nothing\n").unwrap();
    for args in [
        &["scan", "--now", &t, "clean.txt"][..],
        &["scan", "--format", &t, "clean.txt"],
        &[
            "scan",
            "--format",
            "x\n::error::pwned\u{1b}[2J",
            "clean.txt",
        ],
        &["audit", "--fail-on", &t],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let shown = stderr(&out);
        assert!(shown.contains("invalid value"), "{shown}");
        assert_clean("usage error", &shown, &t);
        assert!(!shown.contains("\n::error"), "{shown}");
    }
    let out = run(
        dir.path(),
        &[
            "scan",
            "--format",
            "sarif",
            "--sarif-category",
            &t,
            "clean.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let id = doc["runs"][0]["automationDetails"]["id"].as_str().unwrap();
    assert!(id.starts_with("pa1.0/") && !id.contains(body(&t)), "{id}");
}

#[test]
fn a_config_from_the_tree_drives_no_terminal_through_its_error_snippet() {
    let dir = repo();
    let p = dir.path();
    let t = token("pa", 951);
    fs::write(
        p.join("tokenlint.toml"),
        format!("fail-on = \"\u{1b}]0;PWNED\u{7}\u{9b}31m {t}\"\n"),
    )
    .unwrap();
    let out = run(p, &["scan", "--color", "never"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("PWNED"), "the snippet is shown: {stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}') && !stderr.contains('\u{9b}'),
        "{stderr:?}"
    );
    assert!(!stderr.contains(&t), "{stderr}");
}

#[test]
fn a_baseline_named_like_a_workflow_command_starts_no_line() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 952))).unwrap();
    fs::write(
        p.join("tokenlint.toml"),
        "baseline = \"x\\n::error title=pwned::hi.json\"\n",
    )
    .unwrap();
    let out = run(p, &["baseline"]);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("wrote 1 entry"), "{shown}");
    assert!(!shown.lines().any(|l| l.starts_with("::")), "{shown}");
}
