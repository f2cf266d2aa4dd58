//! Regression tests for defects found in review, each named after the bug it pins.

use std::fs;
use std::process::Output;

use serde_json::Value;

use crate::common;
use common::{git, repo, token, tokenlint as run};

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn suppression_reasons_never_carry_a_token() {
    let dir = repo();
    let (t, u) = (token("pa", 1), token("sa", 2));
    fs::write(
        dir.path().join("e.json"),
        format!("{{\"note\": \"tokenlint:allow test\", \"token\": \"{t}\"}}\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("f.sh"),
        format!("# tokenlint:allow-next-line note {u}\nT={t}\n"),
    )
    .unwrap();
    for format in common::FORMATS {
        let out = run(
            dir.path(),
            &[
                "scan",
                "--show-suppressed",
                "--format",
                format,
                "--color",
                "never",
            ],
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in [&t, &u] {
            assert!(
                !all.contains(&secret[6..]),
                "{format} shows a token:\n{all}"
            );
        }
    }
}

#[test]
fn prune_from_a_subdirectory_keeps_the_entries_it_did_not_scan() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir_all(p.join("docs")).unwrap();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 3))).unwrap();
    fs::write(p.join("docs/b.md"), format!("{}\n", token("pa", 4))).unwrap();
    assert_eq!(run(p, &["baseline"]).status.code(), Some(0));
    let out = run(
        &p.join("docs"),
        &["baseline", "--prune", "../.tokenlint-baseline.json"],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("dropped 0 entries"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc = json(&run(
        p,
        &[
            "scan",
            "--format",
            "json",
            "--baseline",
            ".tokenlint-baseline.json",
        ],
    ));
    assert_eq!(doc["summary"]["findings"], 0);
}

#[test]
fn staged_scans_judge_only_staged_baseline_entries() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 5))).unwrap();
    assert_eq!(run(p, &["baseline"]).status.code(), Some(0));
    fs::write(
        p.join("tokenlint.toml"),
        "baseline = \".tokenlint-baseline.json\"\nfail-on = \"note\"\n",
    )
    .unwrap();
    fs::write(p.join("clean.sh"), "echo ok\n").unwrap();
    git(p, &["add", "clean.sh"]);
    let out = run(p, &["scan", "--staged", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["summary"]["findings"], 0);
}

#[test]
fn the_github_format_annotates_no_suppressed_finding() {
    let dir = repo();
    fs::write(
        dir.path().join("a.sh"),
        format!("T={} # tokenlint:allow\n", token("pa", 6)),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["scan", "--format", "github", "--show-suppressed"],
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
}

#[test]
fn allowlist_paths_are_gitignore_patterns() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir_all(p.join("docs/deep")).unwrap();
    fs::write(p.join("docs/deep/x.md"), format!("{}\n", token("pa", 7))).unwrap();
    fs::write(p.join("y.md"), format!("{}\n", token("pa", 8))).unwrap();
    for pattern in ["docs/", "/docs", "docs", "/docs/**"] {
        fs::write(
            p.join("tokenlint.toml"),
            format!("[[allowlist]]\npaths = [\"{pattern}\"]\n"),
        )
        .unwrap();
        let doc = json(&run(p, &["scan", "--format", "json"]));
        let paths = common::finding_paths(&doc);
        assert_eq!(paths, ["y.md"], "{pattern}");
    }
    fs::write(
        p.join("tokenlint.toml"),
        "[[allowlist]]\nrules = [\"no-such-rule\"]\n",
    )
    .unwrap();
    assert_eq!(
        run(p, &["scan"]).status.code(),
        Some(2),
        "an unknown rule id is an error"
    );
}

#[test]
fn tokenlintignore_applies_to_staged_files_and_hook_file_lists() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir_all(p.join("fixtures")).unwrap();
    fs::write(p.join(".tokenlintignore"), "/fixtures/\n").unwrap();
    fs::write(
        p.join("fixtures/leak.sh"),
        format!("T={}\n", token("pa", 9)),
    )
    .unwrap();
    git(p, &["add", "-A"]);
    assert_eq!(run(p, &["scan", "--staged"]).status.code(), Some(0));
    let hook = run(p, &["scan", "--hook", "fixtures/leak.sh"]);
    assert_eq!(hook.status.code(), Some(0));
    // Nothing left to scan is said, not silent.
    assert_eq!(
        String::from_utf8_lossy(&hook.stderr),
        "tokenlint: every file the hook was given is ignored by .tokenlintignore\n"
    );
    assert_eq!(
        run(p, &["scan", "--staged", "--no-ignore"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run(p, &["scan", "--no-ignore", "--hook", "fixtures/leak.sh"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn history_paths_are_unquoted_and_located_from_a_subdirectory() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir_all(p.join("deep/er")).unwrap();
    fs::write(p.join("café dir.sh"), format!("T={}\n", token("pa", 10))).unwrap();
    git(p, &["add", "-A"]);
    git(p, &["commit", "-qm", "x"]);
    let out = run(
        &p.join("deep/er"),
        &["scan", "--history", "--format", "sarif", "."],
    );
    let doc = json(&out);
    let run0 = &doc["runs"][0];
    let uri = run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "caf%C3%A9%20dir.sh");
    let root = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(!root.contains("deep"), "{root}");
    let text = run(p, &["scan", "--history", "--format", "json"]);
    assert_eq!(json(&text)["findings"][0]["commit"]["path"], "café dir.sh");
}

#[test]
fn option_like_revisions_are_refused() {
    let dir = repo();
    let out = run(
        dir.path(),
        &["scan", "--history", "--branch=--output=/tmp/x"],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// `--output /dev/null` replaced the device with a regular file when run as root (a
/// temporary file renamed over it), and failed for other users. Devices and FIFOs are
/// written to; `/dev/stdout` is tokenlint's own standard output, so `>> log` appends; a
/// link is replaced, never written through (it may have been planted in a shared
/// directory to point at someone else's file).
#[cfg(unix)]
#[test]
fn output_to_a_device_a_stream_or_a_link() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), format!("{}\n", token("pa", 31))).unwrap();
    let out = run(p, &["scan", "--output", "/dev/null", "a.txt"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());

    fs::write(p.join("ci.log"), "earlier\n").unwrap();
    let status = common::Tokenlint::new(p)
        .args([
            "scan",
            "--format",
            "json",
            "--output",
            "/dev/stdout",
            "a.txt",
        ])
        .stdout(
            fs::OpenOptions::new()
                .append(true)
                .open(p.join("ci.log"))
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let log = fs::read_to_string(p.join("ci.log")).unwrap();
    assert!(log.starts_with("earlier\n{"), "{log}");

    fs::write(p.join("victim.conf"), "keep me\n").unwrap();
    std::os::unix::fs::symlink("victim.conf", p.join("report.json")).unwrap();
    let out = run(
        p,
        &[
            "scan",
            "--format",
            "json",
            "--output",
            "report.json",
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(p.join("victim.conf")).unwrap(),
        "keep me\n"
    );
    assert!(fs::symlink_metadata(p.join("report.json"))
        .unwrap()
        .is_file());
    // Not even to a device: the link is replaced.
    std::os::unix::fs::symlink("/dev/null", p.join("null-link")).unwrap();
    let out = run(p, &["scan", "--output", "null-link", "a.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(fs::symlink_metadata(p.join("null-link")).unwrap().is_file());
}

/// Error messages quote the configuration or rule file, and printed a token written there
/// in full: in a bad allowlist regex, on a line next to a mistake, or in a failing rule
/// example.
#[test]
fn errors_never_quote_a_token_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let t = token("pa", 41);
    fs::write(p.join("a.txt"), "nothing\n").unwrap();
    for config in [
        format!("[[allowlist]]\nsecrets = ['^{t}(']\n"),
        format!("# {t}\nfail-on = 3\n"),
        format!("[[allowlist]]\nsecrets = ['{t}']\nunknown = 1\n"),
    ] {
        fs::write(p.join("tokenlint.toml"), &config).unwrap();
        let out = run(p, &["scan", "a.txt"]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains(&t[6..]), "{stderr}");
        assert!(stderr.contains(&t[6..10]), "{stderr}");
    }
    fs::remove_file(p.join("tokenlint.toml")).unwrap();
    fs::create_dir(p.join("rules")).unwrap();
    let rule = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/window-rules/acme-key.toml"),
    )
    .unwrap()
    .replace(
        "acmecorp key_0123456789abcdef0123456789abcdef",
        &format!("TOKEN={t}"),
    );
    fs::write(p.join("rules/acme.toml"), rule).unwrap();
    let out = run(p, &["rules", "--check", "--rules", "rules"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("example is not reported"), "{stdout}");
    assert!(!stdout.contains(&t[6..]), "{stdout}");
}

/// A token glued into longer text (here, followed by another hex digit) is not a finding,
/// but the snippets of the findings beside it showed it: together, the one before and the
/// one after, in full.
#[test]
fn a_glued_token_is_masked_in_its_neighbours_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (t1, t2, t3) = (token("pa", 51), token("pa", 52), token("sa", 53));
    fs::write(p.join("a.env"), format!("A={t1} {t2}A B={t3}\n")).unwrap();
    for format in common::FORMATS {
        let out = run(
            p,
            &["scan", "--color", "never", "--format", format, "a.env"],
        );
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        for body in [&t2[6..15], &t2[15..33], &t2[33..51], &t2[51..69], &t2[69..]] {
            assert!(!stdout.contains(body), "{format}: {body} in\n{stdout}");
        }
    }
}

/// A file name with a terminal escape or a newline was printed raw in text output: it
/// could colour or move the terminal, or put `::warning::…` at the start of a line, which a
/// GitHub runner reads as a workflow command. The same holds for `--format concise`.
#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped_in_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("e\u{1b}[31mred.txt"),
        format!("{}\n", token("pa", 61)),
    )
    .unwrap();
    fs::write(
        p.join("x\n::warning::injected"),
        format!("{}\n", token("pa", 62)),
    )
    .unwrap();
    for format in ["text", "concise"] {
        let out = run(p, &["scan", "--color", "never", "--format", format, "."]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains('\u{1b}'), "{stdout}");
        assert!(stdout.contains("e\\u{1b}[31mred.txt"), "{stdout}");
        assert!(!stdout.lines().any(|l| l.starts_with("::")), "{stdout}");
        assert!(stdout.contains("x\\n::warning::injected"), "{stdout}");
    }
    // Concise: one line per finding, then the summary.
    let out = run(p, &["scan", "--format", "concise", "."]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

/// A token piped in through `/dev/stdin` or `<(…)` passed with exit 0: a pipe named on the
/// command line is skipped. `/dev/stdin` is now standard input, and the warning for any
/// other pipe says how to scan it.
#[cfg(unix)]
#[test]
fn piped_input_by_name() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 71);
    let mut cmd = common::Tokenlint::new(dir.path());
    let mut child = cmd
        .args(["scan", "--format", "json", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("x {t}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = common::Tokenlint::via(dir.path(), "bash")
        .arg("-c")
        .arg(format!("\"$0\" scan <(echo x {t})"))
        .arg(common::BIN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "a pipe, not a regular file; skipped (to scan what comes through a pipe, give `-`"
        ),
        "{stderr}"
    );
}

/// `-o /dev/fd/1` and `-o /proc/self/fd/1` failed (a temporary file cannot be made in
/// `/dev/fd`); they are standard output, as `/dev/stdout` is.
#[cfg(target_os = "linux")]
#[test]
fn output_to_standard_output_by_any_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), format!("{}\n", token("pa", 72))).unwrap();
    for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        let out = run(
            dir.path(),
            &["scan", "--format", "json", "-o", name, "a.txt"],
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["summary"]["findings"], 1, "{name}");
    }
}

/// A token file without a token was also reported as a token outside the store, an error
/// that tells the user to revoke a token there is none of.
#[test]
fn a_token_file_without_a_token_is_only_invalid() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("personal-token-broken.json"),
        "{\"oops\":1}",
    )
    .unwrap();
    fs::write(dir.path().join("cloud.secret.token"), "not a token\n").unwrap();
    let out = run(dir.path(), &["scan", "--format", "json", "."]);
    let doc = json(&out);
    let rules = common::finding_strings(&doc, "rule_id");
    assert_eq!(rules, ["token-file-invalid", "token-file-invalid"], "{doc}");
}

fn keyword_rule(keywords: &[String]) -> String {
    rule("many-keywords", "secret-(?P<secret>[0-9]{4})", keywords)
}

/// A rule file with `id`, `regex` and `keywords`.
fn rule(id: &str, regex: &str, keywords: &[String]) -> String {
    let list: Vec<String> = keywords.iter().map(|k| format!("\"{k}\"")).collect();
    format!(
        r#"id = "{id}"
severity = "error"
message = "{id} {{secret}}"
docs = {{ summary = "s", why = "w", fix = "f" }}
sarif = {{ precision = "low", security-severity = 1.0 }}
pattern = {{ regex = '{regex}', keywords = [{}] }}
"#,
        list.join(", ")
    )
}

/// A rule that a scanned repository brought through `[rules] paths`, with matches of no
/// bounded length, turned windowing off: every large file was read whole (a 400 MB sparse
/// file cost 417 MB). Such a rule from the scanned tree is refused; named with `--rules`
/// it is the user's choice and still loads.
#[test]
fn an_unbounded_rule_from_the_scanned_tree_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir(p.join("rules")).unwrap();
    fs::write(p.join("tokenlint.toml"), "[rules]\npaths = [\"rules\"]\n").unwrap();
    fs::write(p.join("a.txt"), "zzsecret-1234 acme_x9\n").unwrap();
    for regex in [
        "zzsecret-(?P<secret>[0-9]+)",
        "acme_[a-z0-9]*",
        "acme_[a-z]{1,70000}",
    ] {
        fs::write(p.join("rules/r.toml"), rule("zz", regex, &[])).unwrap();
        let out = run(p, &["scan", "--color", "never", "a.txt"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{regex}: {stderr}");
        for says in ["r.toml", "{1,256}", "--rules"] {
            assert!(stderr.contains(says), "{regex}: {stderr}");
        }
        let own = run(p, &["scan", "--no-config", "--rules", "rules", "a.txt"]);
        assert_eq!(own.status.code(), Some(1), "{regex}");
    }
    let bounded = "zzsecret-(?P<secret>[0-9]{1,256})";
    fs::write(p.join("rules/r.toml"), rule("zz", bounded, &[])).unwrap();
    let doc = json(&run(p, &["scan", "--format", "json", "a.txt"]));
    assert_eq!(common::finding_strings(&doc, "rule_id"), ["zz"], "{doc}");
}

/// Every keyword was compared with every other: 40,000 keywords cost 44 s per scan.
#[test]
fn forty_thousand_keywords_load_and_gate_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut keywords: Vec<String> = (0..20_000).map(|i| format!("kw{i:05}")).collect();
    // The same keywords again in another case, and keywords inside other keywords.
    keywords.extend((0..10_000).map(|i| format!("KW{i:05}")));
    keywords.extend((0..10_000).map(|i| format!("zz{i:05}")));
    keywords.push("kw1234".to_string());
    fs::create_dir(p.join("rules")).unwrap();
    fs::write(p.join("rules/many.toml"), keyword_rule(&keywords)).unwrap();
    // Keywords nested in each other (a 1 MB rule file) took 3.6 GB and 16 s to load.
    let nested: Vec<String> = (1..=1400).map(|n| "q".repeat(n)).collect();
    let nested = rule("nested", "nn-(?P<secret>[0-9]{4})", &nested);
    fs::write(p.join("rules/nested.toml"), nested).unwrap();
    fs::write(p.join("hit.txt"), "zz09999 secret-1234\n").unwrap();
    fs::write(p.join("inner.txt"), "kw12345 secret-5678\n").unwrap();
    fs::write(p.join("miss.txt"), "kw1 secret-4321 nn-4321\n").unwrap();
    fs::write(p.join("q.txt"), "qqq nn-1234\n").unwrap();
    // In 1 GiB of address space.
    let out = common::Tokenlint::via(p, "sh")
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(common::BIN)
        .args([
            "scan",
            "--no-config",
            "--rules",
            "rules",
            "--format",
            "json",
            ".",
        ])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(
        common::finding_paths(&doc),
        ["hit.txt", "inner.txt", "q.txt"],
        "{doc}"
    );
}

/// With both built-in pattern rules disabled, a debug build overflowed computing the
/// shortest base64 run worth decoding.
#[test]
fn disabling_every_pattern_rule_still_scans() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("tokenlint.toml"),
        "[rules]\ndisabled = [\"remotive-personal-access-token\", \"remotive-service-account-token\"]\n",
    )
    .unwrap();
    fs::write(p.join("a.txt"), format!("{}\n", token("pa", 61))).unwrap();
    fs::write(p.join("personal-token-x.json"), "{\"oops\":1}").unwrap();
    let out = run(p, &["scan", "--format", "json", "."]);
    let doc = json(&out);
    assert_eq!(
        common::finding_strings(&doc, "rule_id"),
        ["token-file-invalid"],
        "{doc}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// One token repeated 2,000,000 times made 2,000,000 findings: 2.5 GB and 34 s. A file
/// reports 100 findings of one rule and secret, and one more that counts the rest.
#[test]
fn repeats_of_one_token_are_capped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (t, u) = (token("pa", 71), token("sa", 72));
    let mut text = format!("first {u}\n");
    text.push_str(&format!("t = \"{t}\"\n").repeat(150));
    fs::write(p.join("a.txt"), text).unwrap();
    let doc = json(&run(p, &["scan", "--format", "json", "a.txt"]));
    let messages = common::finding_strings(&doc, "message");
    assert_eq!(messages.len(), 1 + 101, "{doc}");
    assert!(messages[101].ends_with("… and 50 more of the same token in this file"));
    assert!(!messages[100].contains("more of the same"));
    assert_eq!(doc["findings"][101]["line"], 102);

    let sarif = run(p, &["scan", "--format", "sarif", "a.txt"]);
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 102);
    let last = results[101]["message"]["text"].as_str().unwrap();
    assert!(last.contains("and 50 more of the same token"), "{last}");

    let out = run(p, &["scan", "--color", "never", "a.txt"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(shown.matches("more of the same token").count(), 1);
}

/// The same in a file read in windows, where the count goes on across windows.
#[test]
fn repeats_are_capped_across_the_windows_of_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("t = \"{}\"\n", token("pa", 73));
    let repeats = (5 << 20) / line.len() + 1;
    fs::write(dir.path().join("big.txt"), line.repeat(repeats)).unwrap();
    let doc = json(&run(dir.path(), &["scan", "--format", "json", "big.txt"]));
    let messages = common::finding_strings(&doc, "message");
    assert_eq!(messages.len(), 101);
    let more = format!("and {} more of the same token", repeats - 100);
    assert!(messages[100].contains(&more), "{}", messages[100]);
}

/// A rule from the scanned tree that matches any two letters made 540,853 findings of
/// eight 200 KB files (727 MB), and 200,000 distinct tokens in one file took 310 MB. A
/// file reports 1,000 findings, and one more where the first of the rest was, that
/// counts them.
#[test]
fn distinct_findings_are_capped_per_file_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let text: String = (0..1200)
        .map(|i| format!("t = \"{}\"\n", token("pa", 1000 + i)))
        .collect();
    fs::write(p.join("a.txt"), text).unwrap();
    fs::write(p.join("b.txt"), format!("{}\n", token("sa", 5))).unwrap();
    let doc = json(&run(p, &["scan", "--format", "json", "."]));
    let messages = common::finding_strings(&doc, "message");
    assert_eq!(messages.len(), 1001 + 1, "{}", messages.len());
    let more = "… and 200 more findings in this file; the file was not reported in full";
    assert!(messages[1000].ends_with(more), "{}", messages[1000]);
    assert!(!messages[999].contains("more findings"));
    assert_eq!(doc["findings"][1000]["line"], 1001);
    assert_eq!(common::finding_paths(&doc)[1001], "b.txt");

    let sarif = run(p, &["scan", "--format", "sarif", "."]);
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1002);
    let text = results[1000]["message"]["text"].as_str().unwrap();
    assert!(text.contains("and 200 more findings"), "{text}");

    for format in ["text", "github"] {
        let out = run(p, &["scan", "--color", "never", "--format", format, "."]);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(shown.matches("200 more findings").count(), 1, "{format}");
    }
}

/// The same in a file read in windows, where the count goes on across windows.
#[test]
fn distinct_findings_are_capped_across_the_windows_of_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let padding = format!("# {}\n", "x".repeat(4000));
    let text: String = (0..1500)
        .map(|i| format!("t = \"{}\"\n{padding}", token("sa", 3000 + i)))
        .collect();
    assert!(text.len() > 5 << 20);
    fs::write(dir.path().join("big.txt"), text).unwrap();
    let doc = json(&run(dir.path(), &["scan", "--format", "json", "big.txt"]));
    let messages = common::finding_strings(&doc, "message");
    assert_eq!(messages.len(), 1001);
    assert!(
        messages[1000].contains("and 500 more findings"),
        "{}",
        messages[1000]
    );
    assert_eq!(doc["findings"][1000]["line"], 2001);
}

/// A file held whole but larger than 256 KiB is scanned in windows, so that what the
/// scan holds of its matches stays bounded (a rule matching any two letters found 1.3
/// million matches in 4 MB and took 390 MB); its findings are those of a whole scan.
#[test]
fn files_held_whole_are_scanned_in_windows_with_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let filler = format!("# {}\n", "z".repeat(900));
    let mut text = String::new();
    for i in 0..450 {
        let (plain, encoded) = (token("pa", 4000 + i), token("sa", 5000 + i));
        text.push_str(&format!("k{i} = \"{plain}\"\n"));
        text.push_str(&format!(
            "b = {}\n",
            common::base64(format!("x={encoded}").as_bytes())
        ));
        text.push_str(&filler);
    }
    assert!(text.len() > 400 << 10 && text.len() < 4 << 20);
    fs::write(dir.path().join("mid.txt"), &text).unwrap();
    fs::write(dir.path().join("mid16.txt"), common::utf16le(&text)).unwrap();
    for name in ["mid.txt", "mid16.txt"] {
        let out = run(dir.path(), &["scan", "--format", "json", name]);
        let doc = json(&out);
        let findings = doc["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 900, "{name}");
        for (i, pair) in findings.chunks(2).enumerate() {
            assert_eq!(pair[0]["line"], 3 * i + 1, "{name}: {}", pair[0]);
            assert_eq!(pair[0]["column"], format!("k{i} = \"").len() + 1);
            assert_eq!(pair[1]["line"], 3 * i + 2, "{name}: {}", pair[1]);
        }
        let shown = String::from_utf8_lossy(&out.stdout);
        for i in [0, 200, 449] {
            let t = token("pa", 4000 + i);
            assert!(!shown.contains(&t[10..]), "{name}: {i}");
        }
    }
}

/// A panic, in a worker thread too, exited 101 after printing its message whole; a
/// crash must exit 2 and print no token. A library user who installed the hook without a
/// warning sink got exit 2 and no message at all. The test runs itself again as the
/// crashing process (`TOKENLINT_CRASH_CHILD`), with the hook the binary installs.
#[test]
fn a_panic_in_a_worker_thread_exits_2_and_prints_no_token() {
    let t = token("pa", 81);
    if let Some(kind) = std::env::var_os("TOKENLINT_CRASH_CHILD") {
        // Only the hook: it takes the sink, so that no crash is silent.
        tokenlint::crash::install(|line| eprintln!("{line}"));
        let boom = move || panic!("cannot scan {t}\n::error::x");
        if kind == "rayon" {
            let pool = rayon::ThreadPoolBuilder::new().build().unwrap();
            pool.scope(|s| s.spawn(|_| boom()));
        } else {
            std::thread::spawn(boom).join().ok();
        }
        std::process::exit(0);
    }
    for kind in ["rayon", "thread"] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "regressions::a_panic_in_a_worker_thread_exits_2_and_prints_no_token",
            ])
            .args(["--nocapture", "--test-threads", "1"])
            .env("TOKENLINT_CRASH_CHILD", kind)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{kind}: {stderr}");
        assert!(stderr.contains(concat!("tokenlint: internal error at ", file!(), ":")));
        assert!(stderr.contains("cannot scan pa1.0/"), "{stderr}");
        assert!(!stderr.contains(&t[6..]), "{stderr}");
        assert!(!stderr.contains("\n::error"), "{stderr}");
    }
}
