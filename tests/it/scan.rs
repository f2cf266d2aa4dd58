//! End-to-end behaviour of `tokenlint scan`: each test builds its files in a temp directory,
//! runs the binary, and checks what it reports. Tokens are built here, never written out.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::common;
use common::{base64, token};

/// A temp directory to scan, with files written inline.
struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, data).unwrap();
        path
    }

    fn cmd(&self, args: &[&str]) -> common::Tokenlint {
        let mut cmd = common::Tokenlint::new(self.path());
        cmd.args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// `scan --format json` plus `args`: the exit code and the document.
    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["scan", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
        });
        (out.status.code().unwrap(), doc)
    }

    /// The (path, line, column) of every finding of a JSON scan.
    fn places(&self, args: &[&str]) -> Vec<(String, u64, u64)> {
        let (_, doc) = self.json(args);
        findings(&doc)
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn finds_a_token_and_exits_1() {
    let dir = Dir::new();
    let t = token("pa", 1);
    dir.write("deploy.sh", format!("#!/bin/sh\nexport T={t}\n"));
    let (code, doc) = dir.json(&[]);
    assert_eq!(code, 1);
    let f = &findings(&doc)[0];
    assert_eq!(f["rule_id"], "remotive-personal-access-token");
    assert_eq!(f["path"], "deploy.sh");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(10))
    );
    assert_eq!(f["end_column"].as_u64(), Some(10 + t.len() as u64));
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn a_clean_tree_exits_0() {
    let dir = Dir::new();
    dir.write("a.sh", "export T=${REMOTIVE_CLOUD_AUTH_TOKEN}\n");
    let (code, doc) = dir.json(&[]);
    assert_eq!(code, 0);
    assert!(findings(&doc).is_empty());
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn fail_on_sets_the_threshold() {
    let dir = Dir::new();
    dir.write("rules/note.toml", note_rule());
    dir.write("a.txt", "magic-word-1234\n");
    assert_eq!(
        dir.json(&["--rules", "rules", "a.txt"]).0,
        0,
        "notes pass by default"
    );
    assert_eq!(
        dir.json(&["--rules", "rules", "--fail-on", "warning", "a.txt"])
            .0,
        0
    );
    assert_eq!(
        dir.json(&["--rules", "rules", "--fail-on", "note", "a.txt"])
            .0,
        1
    );
}

fn note_rule() -> &'static str {
    r#"id = "magic-word"
severity = "note"
message = "magic word {secret}"
[docs]
summary = "A magic word."
why = "Because."
fix = "Remove it."
[sarif]
precision = "low"
security-severity = 1.0
[pattern]
keywords = ["magic"]
regex = 'magic-word-(?P<secret>[0-9]{4})'
[examples]
positive = ["magic-word-0000"]
negative = ["magic-word-x"]
"#
}

#[test]
fn fail_on_note_counts_notes_but_default_ignores_them() {
    let dir = Dir::new();
    dir.write("rules/note.toml", note_rule());
    dir.write("a.txt", "magic-word-1234\n");
    let (code, doc) = dir.json(&["--rules", "rules", "--fail-on", "error", "a.txt"]);
    assert_eq!(code, 0);
    let f = &findings(&doc)[0];
    assert_eq!(f["severity"], "note");
    // The `secret` group narrows the secret to the digits.
    assert_eq!(f["redacted"], "…");
    assert!(!doc.to_string().contains("1234"));
}

#[test]
fn every_encoding_is_found_at_the_encoded_text() {
    let dir = Dir::new();
    let t = token("sa", 2);
    dir.write(
        "escaped.json",
        format!("{{\"t\": \"{}\"}}\n", t.replace('/', "\\/")),
    );
    dir.write(
        "url.txt",
        format!("x\nhttps://h.test/?t={}\n", t.replace('/', "%2f")),
    );
    // The token at every byte alignment of the decoded text, and after base64-like text.
    for pad in 0..3 {
        let plain = format!("{}token: {t}", "#".repeat(pad));
        dir.write(
            &format!("b64-{pad}.yaml"),
            format!("data:\n  v: {}\n", base64(plain.as_bytes())),
        );
    }
    dir.write(
        "glued.txt",
        format!("prefix_{}\n", base64(format!("t={t}").as_bytes())),
    );
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("a\r\n$t = \"{t}\"")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(format!("é {t}").encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    dir.write("le.ps1", le);
    dir.write("be.txt", be);
    let (_, doc) = dir.json(&[]);
    let got: Vec<(String, u64, u64, String)> = findings(&doc)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["encoding"].to_string(),
            )
        })
        .collect();
    // A base64 finding starts at the character that holds the token's first byte.
    let b64_column = |text_column: u64, byte: u64| text_column + byte / 3 * 4 + byte % 3;
    let want = [
        ("b64-0.yaml", 2, b64_column(6, 7), r#"["base64"]"#),
        ("b64-1.yaml", 2, b64_column(6, 8), r#"["base64"]"#),
        ("b64-2.yaml", 2, b64_column(6, 9), r#"["base64"]"#),
        ("be.txt", 1, 3, r#"["utf16be"]"#),
        ("escaped.json", 1, 8, r#"["json-escaped"]"#),
        ("glued.txt", 1, b64_column(8, 2), r#"["base64"]"#),
        ("le.ps1", 2, 7, r#"["utf16le"]"#),
        ("url.txt", 2, 19, r#"["percent-encoded"]"#),
    ];
    let want: Vec<(String, u64, u64, String)> = want
        .iter()
        .map(|(p, l, c, e)| (p.to_string(), *l, *c, e.to_string()))
        .collect();
    assert_eq!(got, want);
    for f in findings(&doc) {
        assert!(f["message"].as_str().unwrap().contains("sa1.0/"), "{f}");
        assert_eq!(f["redacted"].as_str(), Some(redacted(&t).as_str()));
    }
}

fn redacted(t: &str) -> String {
    format!("{}…{}", &t[..10], &t[t.len() - 4..])
}

#[test]
fn lines_and_columns_survive_crlf_lone_cr_invalid_utf8_and_no_final_newline() {
    let dir = Dir::new();
    let t = token("pa", 3);
    dir.write("crlf.txt", format!("a\r\nb\r\n  {t}\r\n"));
    dir.write("cr.txt", format!("a\rb\r{t}"));
    let mut latin1 = b"caf\xe9 \xff\xfe ".to_vec();
    latin1.extend_from_slice(t.as_bytes());
    dir.write("latin1.txt", latin1);
    dir.write("unicode.txt", format!("ünïcödé 😀 {t}"));
    dir.write("last.txt", format!("\n\n{t}"));
    let places = dir.places(&[]);
    assert_eq!(
        places,
        vec![
            ("cr.txt".to_string(), 1, 5),
            ("crlf.txt".to_string(), 3, 3),
            ("last.txt".to_string(), 3, 1),
            ("latin1.txt".to_string(), 1, 9),
            ("unicode.txt".to_string(), 1, 11),
        ]
    );
}

#[test]
fn a_3_mb_minified_line_is_windowed() {
    let dir = Dir::new();
    let t = token("pa", 4);
    let filler = "var a=function(b){return b+1};".repeat(50_000);
    dir.write(
        "bundle.min.js",
        format!("{filler}window.T=\"{t}\";{filler}"),
    );
    let out = dir.run(&["scan", "--color", "never"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains(&format!("bundle.min.js:1:{}", filler.chars().count() + 11)));
    assert!(
        stdout.lines().all(|l| l.chars().count() < 400),
        "a line is too long"
    );
    assert!(!stdout.contains(&t));
}

#[test]
fn binary_files_are_scanned_without_a_snippet() {
    let dir = Dir::new();
    let t = token("pa", 5);
    let mut data = vec![0u8, 1, 2, 3, 0xFF, 0];
    data.extend_from_slice(t.as_bytes());
    data.extend_from_slice(&[0, 0, 7]);
    dir.write("cache.pyc", data);
    let out = dir.run(&["scan", "--color", "never"]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("cache.pyc:1:7: hard-coded"), "{stdout}");
    assert!(stdout.contains("(binary file)"));
    assert!(!stdout.contains("╭─["));
}

#[test]
fn secrets_are_redacted_everywhere_unless_no_redact() {
    let dir = Dir::new();
    let t = token("pa", 6);
    let u = token("sa", 7);
    dir.write("two.sh", format!("A={t} B={u}\n"));
    dir.write("b64.yaml", format!("v: {}\n", base64(t.as_bytes())));
    for format in ["text", "json"] {
        let out = dir.run(&["scan", "--format", format, "--color", "never"]);
        let all = format!("{}{}", text(&out).0, text(&out).1);
        for secret in [&t, &u] {
            assert!(!all.contains(secret.as_str()), "{format} shows a secret");
            assert!(
                !all.contains(&secret[6..]),
                "{format} shows a secret's body"
            );
        }
        assert!(
            !all.contains(&base64(t.as_bytes())[..40]),
            "{format} shows the base64"
        );
    }
    let (_, doc) = dir.json(&["--no-redact"]);
    assert!(doc.to_string().contains(&t));
    assert!(findings(&doc).iter().all(|f| f["secret"].is_string()));
}

#[test]
fn output_is_sorted_and_the_same_for_any_thread_count() {
    let dir = Dir::new();
    for i in 0..60 {
        let t = token(if i % 2 == 0 { "pa" } else { "sa" }, i);
        dir.write(&format!("d{}/f{i}.txt", i % 7), format!("x\n{t} {t}\n"));
    }
    let one = dir.run(&["scan", "--format", "json", "-j", "1"]).stdout;
    let many = dir.run(&["scan", "--format", "json", "-j", "8"]).stdout;
    assert_eq!(one, many);
    let places = dir.places(&[]);
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    assert_eq!(places.len(), 120);
}

#[test]
fn standard_input_is_scanned() {
    let dir = Dir::new();
    let t = token("pa", 8);
    let mut cmd = dir.cmd(&["scan", "--format", "json", "-"]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("x\n{t}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&doc)[0]["path"], "<stdin>");
    assert_eq!(findings(&doc)[0]["line"], 2);
}

#[test]
fn gitignore_applies_in_a_git_repository_only() {
    let dir = Dir::new();
    let t = token("pa", 9);
    dir.write(".gitignore", "ignored.txt\n");
    dir.write("ignored.txt", &t);
    dir.write("kept.txt", &t);
    assert_eq!(
        dir.places(&[]).len(),
        2,
        "no repository: .gitignore is not read"
    );
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status();
    if !git.is_ok_and(|s| s.success()) {
        eprintln!("git is not available; skipping the repository half");
        return;
    }
    let places = dir.places(&[]);
    assert_eq!(places.len(), 1);
    assert_eq!(places[0].0, "kept.txt");
    assert_eq!(dir.places(&["--no-ignore"]).len(), 2);
    // A file named on the command line is scanned even when ignored.
    assert_eq!(dir.places(&["ignored.txt"]).len(), 1);
}

#[test]
fn tokenlintignore_applies_anywhere_and_hidden_files_are_scanned_but_not_git() {
    let dir = Dir::new();
    let t = token("sa", 10);
    dir.write(".tokenlintignore", "/vendor/\n*.snap\n");
    dir.write("vendor/lib.js", &t);
    dir.write("sub/x.snap", &t);
    dir.write(".env", format!("T={t}\n"));
    dir.write(".config/app.yml", format!("t: {t}\n"));
    dir.write(".git/config", format!("t = {t}\n"));
    let paths: Vec<String> = dir.places(&[]).into_iter().map(|p| p.0).collect();
    assert_eq!(paths, vec![".config/app.yml", ".env"]);
    assert_eq!(dir.places(&["--no-ignore"]).len(), 4);
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_when_asked_or_named() {
    let dir = Dir::new();
    let t = token("pa", 11);
    let outside = Dir::new();
    outside.write("secret.txt", &t);
    fs::create_dir(dir.path().join("tree")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("tree/link.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("tree"), dir.path().join("tree/loop")).unwrap();
    assert_eq!(dir.places(&["tree"]).len(), 0);
    assert_eq!(dir.places(&["tree/link.txt"]).len(), 1);
    let (code, doc) = dir.json(&["-L", "tree"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc).len(), 1, "the loop is not followed twice");
    assert!(
        !doc["errors"].as_array().unwrap().is_empty(),
        "the loop is reported"
    );
}

#[cfg(unix)]
#[test]
fn fifos_are_never_opened() {
    let dir = Dir::new();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipping");
        return;
    }
    dir.write("a.txt", "nothing\n");
    // Inside a directory: skipped silently. Named: skipped with a warning. Neither hangs.
    let out = dir.run(&["scan"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).1.is_empty(), "{}", text(&out).1);
    let out = dir.run(&["scan", "pipe"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out)
            .1
            .contains("pipe: a pipe, not a regular file; skipped"),
        "{}",
        text(&out).1
    );
}

#[cfg(unix)]
#[test]
fn sockets_are_never_opened() {
    let dir = Dir::new();
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
    dir.write("a.txt", "nothing\n");
    let out = dir.run(&["scan"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).1.is_empty(), "{}", text(&out).1);
    let out = dir.run(&["scan", "sock", "a.txt"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out).1.contains("sock: not a regular file; skipped"),
        "{}",
        text(&out).1
    );
}

#[cfg(unix)]
#[test]
fn a_broken_link_is_a_warning_and_the_scan_goes_on() {
    let dir = Dir::new();
    let t = token("pa", 12);
    dir.write("a.txt", &t);
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
    let out = dir.run(&["scan", "-L", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = text(&out);
    assert!(stderr.starts_with("warning: "), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn a_missing_path_exits_2_and_names_it() {
    let dir = Dir::new();
    let out = dir.run(&["scan", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("no/such/dir"));
    assert!(text(&out).0.is_empty());
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = Dir::new();
    dir.write("a.txt", token("pa", 13));
    let out = dir.run(&[
        "scan",
        "--format",
        "json",
        "--output",
        "report.json",
        "a.txt",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(doc["summary"]["findings"], 1);
    let out = dir.run(&["scan", "--output", "missing/report.txt", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("missing/report.txt"));
    assert!(!dir.path().join("missing").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = Dir::new();
    for i in 0..200 {
        dir.write(&format!("f{i}.txt"), token("pa", 100 + i));
    }
    let out = common::Tokenlint::via(dir.path(), "sh")
        .args(["-c", "\"$0\" scan --color never | head -1", common::BIN])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(stdout.lines().count(), 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_broken_rule_file_exits_2_and_points_into_it() {
    let dir = Dir::new();
    let broken = note_rule().replace(
        "regex = 'magic-word-(?P<secret>[0-9]{4})'",
        "regex = 'magic-(word'",
    );
    dir.write("rules/broken.toml", broken);
    dir.write("a.txt", "x");
    let out = dir.run(&["scan", "--rules", "rules", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = text(&out);
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("does not compile"), "{stderr}");
    assert!(
        stderr.contains("'magic-(word'"),
        "the span is shown: {stderr}"
    );
}

#[test]
fn a_duplicate_rule_id_is_an_error() {
    let dir = Dir::new();
    dir.write("rules/a.toml", note_rule());
    dir.write("rules/b.toml", note_rule());
    let out = dir.run(&["rules", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("duplicate rule id `magic-word`"),
        "{}",
        text(&out).1
    );
}

#[test]
fn rules_check_runs_user_examples() {
    let dir = Dir::new();
    dir.write("rules/ok.toml", note_rule());
    let out = dir.run(&["rules", "--check", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).0);
    let wrong = note_rule().replace(
        "negative = [\"magic-word-x\"]",
        "negative = [\"magic-word-9999\"]",
    );
    dir.write("rules/ok.toml", wrong);
    let out = dir.run(&["rules", "--check", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out)
        .0
        .contains("magic-word: example is reported: magic-word-9999"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = Dir::new();
    dir.write("a.txt", token("pa", 14));
    let plain = dir.run(&["scan"]);
    assert!(!plain.stdout.contains(&0x1b), "piped output has no colour");
    let forced = dir.run(&["scan", "--color", "always"]);
    assert!(forced.stdout.contains(&0x1b));
    #[cfg(unix)]
    {
        let coloured = |args: &[&str], no_color: &str| {
            let (status, out) = common::on_a_terminal(dir.cmd(args).env("NO_COLOR", no_color));
            assert_eq!(status.code(), Some(1));
            out.contains(&0x1b)
        };
        assert!(coloured(&["scan"], ""), "a terminal gets colour");
        assert!(!coloured(&["scan"], "1"), "unless NO_COLOR is set");
        assert!(
            !coloured(&["scan", "--color", "never"], ""),
            "or --color never"
        );
    }
}

fn custom_rule(id: &str, keywords: &str, regex: &str) -> String {
    format!(
        r#"id = "{id}"
severity = "note"
message = "{id} {{secret}}"
[docs]
summary = "s"
why = "w"
fix = "f"
[sarif]
precision = "low"
security-severity = 1.0
[pattern]
keywords = [{keywords}]
regex = '{regex}'
"#
    )
}

#[test]
fn regression_a_custom_rule_never_hides_a_builtin_finding() {
    let dir = Dir::new();
    let t = token("pa", 30);
    let bearer = custom_rule(
        "generic-bearer",
        "",
        r"Bearer\s+(?P<secret>[A-Za-z0-9._~+/-]{20,})",
    );
    dir.write("rules/bearer.toml", bearer);
    dir.write(
        "src/call.sh",
        format!("curl -H \"Authorization: Bearer {t}\"\n"),
    );
    let (code, doc) = dir.json(&["--rules", "rules", "src"]);
    let rules = common::finding_strings(&doc, "rule_id");
    assert_eq!(rules, ["generic-bearer", "remotive-personal-access-token"]);
    assert_eq!(code, 1);
}

#[test]
fn regression_overlapping_secrets_never_show_in_a_snippet() {
    let dir = Dir::new();
    let t = token("pa", 31);
    let prefix = custom_rule(
        "env-token",
        "",
        r"REMOTIVE_CLOUD_AUTH_TOKEN=(?P<secret>\S{1,20})",
    );
    dir.write("rules/env.toml", prefix);
    dir.write(
        "src/run.sh",
        format!("export REMOTIVE_CLOUD_AUTH_TOKEN={t}\n"),
    );
    let out = dir.run(&["scan", "--color", "never", "--rules", "rules", "src"]);
    let (stdout, _) = text(&out);
    assert_eq!(
        stdout.matches("remotive-personal-access-token").count(),
        2,
        "{stdout}"
    );
    for group in t[6..].split('-').skip(1).take(6) {
        assert!(!stdout.contains(group), "{group} shows in\n{stdout}");
    }
}

#[test]
fn regression_a_large_base64_run_across_blocks_does_not_panic() {
    let dir = Dir::new();
    let t = token("pa", 32);
    let mut payload = vec![b'A'; 90_000];
    payload.extend_from_slice(format!(" {t} ").as_bytes());
    payload.extend_from_slice(&[b'B'; 90_000]);
    dir.write(
        "b.txt",
        format!("{} {}\n", "x".repeat(60_000), base64(&payload)),
    );
    let (code, doc) = dir.json(&[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0]["encoding"], serde_json::json!(["base64"]));
}

#[test]
fn regression_escapes_before_a_token_are_not_glue() {
    let dir = Dir::new();
    let t = token("pa", 33);
    let pct = t.replace('/', "%2F");
    dir.write(
        "a.log",
        format!("GET /cb?h=Bearer%20{pct}\nGET /cb?token%3D{pct}\n"),
    );
    dir.write("b.json", format!("{{\"m\": \"a\\t{t}\"}}\n"));
    let places = dir.places(&[]);
    assert_eq!(
        places,
        [
            ("a.log".to_string(), 1, 20),
            ("a.log".to_string(), 2, 17),
            ("b.json".to_string(), 1, 11)
        ]
    );
}

#[test]
fn regression_keywords_stay_active_after_a_base64_run_in_a_large_file() {
    let dir = Dir::new();
    dir.write(
        "rules/magic.toml",
        custom_rule("magic", "\"magic\"", r"magic-[0-9]{4}"),
    );
    let blob = base64(&[7u8; 3000]);
    let filler = "lorem ipsum dolor sit amet\n".repeat(4000);
    dir.write(
        "with-b64.txt",
        format!("magic-1234\n{blob}\n{filler}magic-5678\n"),
    );
    let places = dir.places(&["--rules", "rules", "--fail-on", "note"]);
    assert_eq!(places.len(), 2, "{places:?}");
}

/// A rule over short secrets, `pw=` and six digits, from the scanned tree: every distinct
/// value cost a slow hash, one at a time (a 4 MiB file of them, over an hour). A run
/// derives [`SLOW_HASH_BUDGET`] of them; the rest are fingerprinted by rule, path and
/// occurrence, with one warning that counts them.
#[test]
fn regression_short_secrets_past_the_slow_hash_budget_cost_nothing_more() {
    use tokenlint::finding::SLOW_HASH_BUDGET;
    let dir = Dir::new();
    dir.write("tokenlint.toml", "[rules]\npaths = [\"rules\"]\n");
    dir.write(
        "rules/pw.toml",
        custom_rule("pw", "", r"pw=(?P<secret>[0-9]{6})"),
    );
    let over = 5;
    let values: String = (0..SLOW_HASH_BUDGET + over)
        .map(|i| format!("pw={i:06}\n"))
        .collect();
    dir.write("a.txt", values);
    let out = common::tokenlint(dir.path(), &["scan", "--format", "json", "a.txt"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let prints: std::collections::HashSet<&str> = findings(&doc)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    // Each still has a fingerprint of its own, by occurrence past the budget.
    assert_eq!(prints.len(), SLOW_HASH_BUDGET + over);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = format!("{over} distinct short secrets past the first {SLOW_HASH_BUDGET}");
    assert!(stderr.contains(&warning), "{stderr}");
}

/// Places whose format puts a letter or a digit right before a token, or a letter after it
/// (issue 12): anything may stand before a token, and after it anything but another hex
/// digit or a ninth group. Once, each of these hid a real leak.
#[test]
fn letters_next_to_a_token_do_not_hide_it() {
    let dir = Dir::new();
    let t = token("pa", 12);
    let s = token("sa", 12);
    assert_eq!(t.len(), 77, "a 77-character string: its length byte is `M`");
    // A `.pyc` or a pickle: the string's length byte, 77, is the letter `M`.
    let pyc = [b"\xe3\x00\x00\xfa".as_slice(), b"M", t.as_bytes(), b")\x00"].concat();
    dir.write("length-byte.pyc", pyc);
    // Protobuf (field 1, length 77), base64-encoded as gRPC-web bodies and HAR cookies are.
    let proto = [b"\x0a\x4d".as_slice(), s.as_bytes(), b"\x10\x01"].concat();
    dir.write("grpc-web.txt", format!("body: {}\n", base64(&proto)));
    // SQLite runs a record's text columns together: letters on both sides.
    let record = [b"\x05)\x81'\x11remotive_token", t.as_bytes(), b"ci\x00"].concat();
    dir.write(
        "columns.sqlite",
        [b"SQLite format 3\x00".as_slice(), &record].concat(),
    );
    dir.write(
        "colour.log",
        format!("\x1b[32mok\x1b[0m\n\x1b[33m{s}\x1b[0m\n"),
    );
    dir.write("hex-escape.c", format!("char *t = \"\\x22{t}\\x22\";\n"));
    dir.write("octal-escape.c", format!("char *t = \"\\042{s}\\042\";\n"));
    let lower = t.to_lowercase();
    dir.write("lower.txt", format!("v={lower}Z and {lower}G\n"));
    let got = dir.places(&[]);
    let b64_column = |text_column: u64, byte: u64| text_column + byte / 3 * 4 + byte % 3;
    let want = [
        ("colour.log", 2, 6),
        ("columns.sqlite", 1, 36),
        ("grpc-web.txt", 1, b64_column(7, 2)),
        ("hex-escape.c", 1, 16),
        ("length-byte.pyc", 1, 6),
        ("lower.txt", 1, 3),
        ("lower.txt", 1, 86),
        ("octal-escape.c", 1, 16),
    ];
    let want: Vec<(String, u64, u64)> = want
        .iter()
        .map(|(p, l, c)| (p.to_string(), *l, *c))
        .collect();
    assert_eq!(got, want);
}

/// What still is not a token, glued to a letter before it or not, plain or in base64 after
/// a protobuf length byte: another hex digit after the last group (in the token's case), a
/// ninth group, and placeholders — groups all the same or all zeros, `XXXXXXXX` groups,
/// `<your-token>`, `${…}`.
#[test]
fn near_misses_stay_near_misses_wherever_they_stand() {
    let dir = Dir::new();
    let t = token("pa", 13);
    let group = &t[6..14];
    let near = [
        format!("{t}A"),
        format!("{t}0"),
        format!("{}a", t.to_lowercase()),
        format!("{t}-0123ABCD"),
        format!("{}-a", t.to_lowercase()),
        format!("pa1.0/{}", [group; 8].join("-")),
        format!("sa1.0/{}", ["00000000"; 8].join("-")),
        format!("pa1.0/{}", ["XXXXXXXX"; 8].join("-")),
        "pa1.0/<your-token>".to_string(),
        "pa1.0/${REMOTIVE_CLOUD_AUTH_TOKEN}".to_string(),
        "${REMOTIVE_CLOUD_AUTH_TOKEN}".to_string(),
    ];
    let mut text = String::new();
    for (i, n) in near.iter().enumerate() {
        let proto = [b"\x0a\x4d".as_slice(), n.as_bytes()].concat();
        text.push_str(&format!("a{i} = {n}\nM{n}\nb{i}: {}\n", base64(&proto)));
    }
    dir.write("near.txt", &text);
    let (code, doc) = dir.json(&[]);
    assert_eq!((code, findings(&doc).len()), (0, 0), "{doc}");
    // The same file with one real token: the scan did look.
    dir.write("near.txt", format!("{text}M{t}\n"));
    let lines = 1 + 3 * near.len() as u64;
    assert_eq!(dir.places(&[]), [("near.txt".to_string(), lines, 2)]);
}

/// `boundary = "token"` is the built-in token rules' own; a custom rule's `standalone = true`
/// still means what it did: no letter, digit or `_` glued on either side.
#[test]
fn a_custom_rules_standalone_still_wants_word_boundaries() {
    let dir = Dir::new();
    let rule = common::acme_rule("acme_[a-z]{3}").replace("'\n", "'\nstandalone = true\n");
    assert!(rule.contains("standalone = true"), "{rule}");
    dir.write("rules/acme.toml", rule);
    dir.write("keys.txt", "xacme_abc\nacme_abcd\n(acme_abc)\n");
    let places = dir.places(&["--rules", "rules", "keys.txt"]);
    assert_eq!(places, [("keys.txt".to_string(), 3, 2)]);
}

/// Each leak place of `fixtures/leaky/encoded` (written by `fixtures/generate.py`) is found
/// where its token's encoded text starts and ends, in its encoding. Wrapped base64 spans
/// from the line where the token's encoded bytes start to the line where they end.
#[test]
fn every_encoded_fixture_is_found_from_where_to_where() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let out = common::tokenlint(&fixtures, &["scan", "--format", "json", "leaky/encoded"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, u64, u64, u64, u64, String)> = findings(&doc)
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            let path = f["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("leaky/encoded/");
            let encoding = f["encoding"].to_string();
            (
                path.to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                encoding,
            )
        })
        .collect();
    let want = [
        // Every byte `%XX`: 77 bytes, 231 characters.
        ("access.log", 1, 57, 1, 288, r#"["percent-encoded"]"#),
        ("api-response.json", 3, 15, 3, 97, r#"["json-escaped"]"#),
        // A PEM body, 64 columns, CRLF, after a 4-byte header.
        ("client.pem", 2, 6, 3, 45, r#"["base64"]"#),
        ("connect-utf16.ps1", 2, 35, 2, 112, r#"["utf16le"]"#),
        // A YAML block scalar indented by 4, 64 columns; the token after `{"token": "`.
        ("credentials.yaml", 7, 19, 8, 59, r#"["base64"]"#),
        // `xxd -p`, 60 digits a line; the token's 154 digits over four lines.
        ("env.hex", 2, 37, 5, 11, r#"["hex"]"#),
        ("login.html", 4, 44, 4, 126, r#"["html-escaped"]"#),
        ("seed.sql", 2, 41, 2, 195, r#"["hex"]"#),
        ("settings-utf32.txt", 2, 9, 2, 86, r#"["utf32le"]"#),
        // GNU base64, 76 columns: 104 characters, the last line's padding included.
        ("token.b64", 1, 1, 2, 29, r#"["base64"]"#),
    ];
    let want: Vec<(String, u64, u64, u64, u64, String)> = want
        .iter()
        .map(|(p, l, c, el, ec, e)| (p.to_string(), *l, *c, *el, *ec, e.to_string()))
        .collect();
    assert_eq!(got, want);
}
