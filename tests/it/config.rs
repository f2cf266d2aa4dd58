//! Configuration, inline suppression and baselines, end to end: each test builds a small
//! repository in a temp directory. Tokens are built here, never written out.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common;
use common::{snapshot, token};

struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    /// A directory with `.git`, so that it is a repository root.
    fn new() -> Repo {
        let repo = Repo {
            tmp: tempfile::tempdir().unwrap(),
        };
        fs::create_dir(repo.path().join(".git")).unwrap();
        repo
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn run_in(&self, dir: &str, args: &[&str]) -> Output {
        common::tokenlint(&self.path().join(dir), args)
    }

    /// `scan --format json ARGS` in `dir`: the exit code and the document.
    fn json_in(&self, dir: &str, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["scan", "--format", "json", "--now", "2026-11-29"];
        all.extend_from_slice(args);
        let out = self.run_in(dir, &all);
        let doc = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code().unwrap(), doc)
    }

    fn rules_in(&self, dir: &str, args: &[&str]) -> Vec<(String, u64, String)> {
        common::finding_places(&self.json_in(dir, args).1)
    }
}

/// A token file in the older layout, outside any store.
fn token_file(t: &str, created: &str, expires: &str) -> String {
    format!("{{\"name\": \"ci\", \"token\": \"{t}\", \"created\": \"{created}\", \"expires\": \"{expires}\"}}\n")
}

#[test]
fn the_config_is_found_from_a_subdirectory_and_for_one_file() {
    let repo = Repo::new();
    repo.write(
        "tokenlint.toml",
        "[rules]\ndisabled = [\"token-rotation-overdue\"]\n",
    );
    repo.write(
        "a/b/personal-token-x.json",
        &token_file(&token("pa", 1), "2026-01-01", "2026-12-31"),
    );
    for (dir, args) in [
        ("a/b", vec![]),
        ("a", vec!["b/personal-token-x.json"]),
        (".", vec![]),
    ] {
        let got = repo.rules_in(dir, &args);
        let rules: Vec<&str> = got.iter().map(|(_, _, r)| r.as_str()).collect();
        assert_eq!(rules, ["token-file-outside-store"], "from {dir}");
    }
    // --no-config ignores it; --config names one.
    let rules = repo.rules_in("a/b", &["--no-config"]);
    assert_eq!(rules.len(), 2);
    repo.write(
        "other.toml",
        "[rules]\ndisabled = [\"token-file-outside-store\"]\n",
    );
    let rules = repo.rules_in("a/b", &["--config", "../../other.toml"]);
    assert_eq!(rules[0].2, "token-rotation-overdue");
}

#[test]
fn a_config_above_the_repository_is_not_used() {
    let outer = tempfile::tempdir().unwrap();
    fs::write(outer.path().join("tokenlint.toml"), "fail-on = \"error\"\n").unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(
        repo.join("personal-token-x.json"),
        token_file(&token("pa", 2), "2026-11-01", "2026-12-01"),
    )
    .unwrap();
    let out = common::Tokenlint::new(&repo)
        .args([
            "scan",
            "--now",
            "2026-11-29",
            "--fail-on",
            "warning",
            "--rules",
            ".",
            "--no-config",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn flags_override_the_config_which_overrides_the_defaults() {
    let repo = Repo::new();
    // Expires in 20 days: a warning only with a threshold of 20 or more.
    repo.write(
        "personal-token-x.json",
        &token_file(&token("pa", 3), "2026-11-01", "2026-12-19"),
    );
    let soon = |args: &[&str]| {
        repo.rules_in(".", args)
            .iter()
            .any(|(_, _, r)| r == "token-expiring-soon")
    };
    assert!(!soon(&[]), "default: 14 days");
    repo.write("tokenlint.toml", "[hygiene]\nexpiring-soon-days = 30\n");
    assert!(soon(&[]), "config: 30 days");
    assert!(!soon(&["--expiring-soon-days", "10"]), "flag: 10 days");
    // fail-on: the token file is an error; a config of "note" still fails, a flag of error too.
    repo.write(
        "tokenlint.toml",
        "fail-on = \"error\"\n[rules.severity]\ntoken-file-outside-store = \"warning\"\n",
    );
    let (code, doc) = repo.json_in(".", &[]);
    assert_eq!(doc["findings"][0]["severity"], "warning");
    assert_eq!(code, 0, "config: fail on errors only");
    assert_eq!(
        repo.json_in(".", &["--fail-on", "warning"]).0,
        1,
        "the flag wins"
    );
}

#[test]
fn bad_configs_exit_2_and_point_into_the_file() {
    let repo = Repo::new();
    repo.write("x.txt", "nothing");
    for (text, needle) in [
        ("[hygiene]\nrotation-dayz = 30\n", "rotation-dayz"),
        ("fail-on = 3\n", "fail-on = 3"),
        (
            "[rules]\ndisabled = [\"no-such-rule\"]\n",
            "\"no-such-rule\"",
        ),
        ("[[allowlist]]\nsecrets = [\"a(\"]\n", "\"a(\""),
    ] {
        repo.write("tokenlint.toml", text);
        let out = repo.run_in(".", &["scan"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains("tokenlint.toml"), "{stderr}");
        assert!(
            stderr.contains(needle),
            "{text}: the span is shown: {stderr}"
        );
    }
}

#[test]
fn the_readme_example_config_parses_and_applies() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- config-example -->")
        .expect("README marks its example config");
    let block = &readme[start..];
    let body = &block[block.find("```toml\n").unwrap() + 8..];
    let body = &body[..body.find("```").unwrap()];
    let config = tokenlint::config::Config::parse("README.md", body).unwrap();
    let mut rules = tokenlint::rules::RuleSet::load(&[]).unwrap();
    config.apply_to_rules(&mut rules).unwrap();
    assert!(tokenlint::suppress::Allowlist::new(&config, &rules).is_ok());
    // And as a file, the way a team copies it.
    let repo = Repo::new();
    repo.write("tokenlint.toml", body);
    repo.write("ci/tokenlint-rules/.keep", "");
    repo.write(
        ".tokenlint-baseline.json",
        "{\"version\": 1, \"entries\": []}\n",
    );
    let out = repo.run_in(".", &["scan"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_inline_marker_form_in_several_languages() {
    let repo = Repo::new();
    let (p, s) = (token("pa", 4), token("sa", 5));
    let files = [
        ("a.sh", format!("export T={p} # tokenlint:allow rotated\n")),
        (
            "b.py",
            format!("T = \"{p}\"  # tokenlint:allow(remotive-personal-access-token) fixture\n"),
        ),
        (
            "c.js",
            format!("// tokenlint:allow-next-line example only\nconst t = \"{p}\";\n"),
        ),
        (
            "d.yaml",
            format!("# tokenlint:allow-next-line(remotive-personal-access-token)\nt: {p}\n"),
        ),
        (
            "e.html",
            format!("<meta content=\"{p}\"> <!-- tokenlint:allow docs -->\n"),
        ),
        ("f.rs", format!("let t = \"{p}\"; /* tokenlint:allow */\n")),
        ("g.env", format!("T={p} # gitleaks:allow\n")),
        ("h.py", format!("T = \"{p}\"  # pragma: allowlist secret\n")),
        (
            "i.py",
            format!("# pragma: allowlist nextline secret\nT = \"{p}\"\n"),
        ),
        // allow for one rule leaves another on the same line reported
        (
            "j.sh",
            format!("A={p} B={s} # tokenlint:allow(remotive-personal-access-token)\n"),
        ),
        // a marker for another rule, and a marker two lines up, do not apply
        (
            "k.sh",
            format!("A={p} # tokenlint:allow(remotive-service-account-token)\n"),
        ),
        ("l.sh", format!("# tokenlint:allow-next-line\n\nA={p}\n")),
    ];
    for (name, text) in &files {
        repo.write(name, text);
    }
    let (_, doc) = repo.json_in(".", &["--show-suppressed"]);
    let got: Vec<(String, Option<String>, Option<String>)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["suppression"]["kind"].as_str().map(String::from),
                f["suppression"]["reason"].as_str().map(String::from),
            )
        })
        .collect();
    let s = |kind: &str, reason: Option<&str>| (Some(kind.to_string()), reason.map(String::from));
    let want = vec![
        ("a.sh", s("in-source", Some("rotated"))),
        ("b.py", s("in-source", Some("fixture"))),
        ("c.js", s("in-source", Some("example only"))),
        ("d.yaml", s("in-source", None)),
        ("e.html", s("in-source", Some("docs"))),
        ("f.rs", s("in-source", None)),
        ("g.env", s("in-source", None)),
        ("h.py", s("in-source", None)),
        ("i.py", s("in-source", None)),
        ("j.sh", s("in-source", None)),
        ("j.sh", (None, None)),
        ("k.sh", (None, None)),
        ("l.sh", (None, None)),
    ];
    let want: Vec<(String, Option<String>, Option<String>)> = want
        .into_iter()
        .map(|(p, (k, r))| (p.to_string(), k, r))
        .collect();
    assert_eq!(got, want);
    assert_eq!(doc["summary"]["suppressed"], 10);
    assert_eq!(doc["summary"]["findings"], 3);
    // Hidden by default, but counted.
    let (code, doc) = repo.json_in(".", &[]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    assert_eq!(doc["summary"]["suppressed"], 10);
    assert_eq!(code, 1);
    // Foreign markers can be turned off.
    repo.write("tokenlint.toml", "[inline]\nforeign-markers = false\n");
    let (_, doc) = repo.json_in(".", &[]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 6);
}

#[test]
fn the_allowlist_accepts_by_path_secret_line_and_fingerprint() {
    let repo = Repo::new();
    let ts: Vec<String> = (0..5).map(|i| token("pa", 10 + i)).collect();
    repo.write("docs/examples/a.md", &format!("{}\n", ts[0]));
    repo.write("src/b.sh", &format!("T={}\n", ts[1]));
    repo.write("src/c.sh", &format!("SAMPLE_TOKEN={}\n", ts[2]));
    repo.write("src/d.sh", &format!("T={}\n", ts[3]));
    repo.write("src/e.sh", &format!("T={}\n", ts[4]));
    let (_, doc) = repo.json_in(".", &[]);
    let fp_of = |path: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let config = format!(
        "[[allowlist]]\npaths = [\"docs/examples/**\"]\nreason = \"documentation samples, revoked\"\n\
         [[allowlist]]\nsecrets = ['^pa1\\.0/{}']\n\
         [[allowlist]]\nlines = ['^SAMPLE_TOKEN=']\n\
         [[allowlist]]\nfingerprints = [\"{}\"]\nrules = [\"remotive-personal-access-token\"]\n",
        &ts[1][6..14],
        fp_of("src/d.sh")
    );
    repo.write("tokenlint.toml", &config);
    let (code, doc) = repo.json_in("src", &["--show-suppressed"]);
    let findings = doc["findings"].as_array().unwrap();
    let open: Vec<&str> = findings
        .iter()
        .filter(|f| f["suppression"].is_null())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(open, ["e.sh"]);
    assert!(findings
        .iter()
        .all(|f| f["suppression"].is_null() || f["suppression"]["kind"] == "external"));
    assert_eq!(code, 1);
    let (_, doc) = repo.json_in(".", &["--show-suppressed", "docs"]);
    assert_eq!(
        doc["findings"][0]["suppression"]["reason"],
        "documentation samples, revoked"
    );
}

#[test]
fn baselines_survive_moves_and_catch_changes() {
    let repo = Repo::new();
    let ts: Vec<String> = (0..3)
        .map(|i| token(if i == 1 { "sa" } else { "pa" }, 20 + i))
        .collect();
    repo.write(
        "app/deploy.sh",
        &format!("#!/bin/sh\nexport A={}\nexport B={}\n", ts[0], ts[1]),
    );
    repo.write(
        "personal-token-ci.json",
        &token_file(&ts[2], "2026-11-01", "2027-05-01"),
    );
    let out = repo.run_in(".", &["baseline", "--now", "2026-11-29"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote 3 entries"));
    let baseline = fs::read_to_string(repo.path().join(".tokenlint-baseline.json")).unwrap();
    for t in &ts {
        assert!(!baseline.contains(&t[6..]), "the baseline holds no secret");
    }
    assert!(!baseline.contains("\"line\""));
    let (code, doc) = repo.json_in(".", &["--baseline", ".tokenlint-baseline.json"]);
    assert_eq!((code, doc["summary"]["findings"].as_u64()), (0, Some(0)));
    // Insert 20 lines above each finding: still nothing, and the baseline does not churn.
    let moved = format!(
        "#!/bin/sh\n{}export A={}\n{}export B={}\n",
        "\n".repeat(20),
        ts[0],
        "# x\n".repeat(20),
        ts[1]
    );
    repo.write("app/deploy.sh", &moved);
    let (_, doc) = repo.json_in("app", &["--baseline", "../.tokenlint-baseline.json"]);
    assert_eq!(doc["summary"]["findings"], 0, "from a subdirectory too");
    let out = repo.run_in(".", &["baseline", "--now", "2026-11-29"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(repo.path().join(".tokenlint-baseline.json")).unwrap(),
        baseline
    );
    // Change one token: one finding.
    let changed = token("pa", 99);
    repo.write("app/deploy.sh", &moved.replace(&ts[0], &changed));
    let (code, doc) = repo.json_in(".", &["--baseline", ".tokenlint-baseline.json"]);
    let rules = common::finding_strings(&doc, "rule_id");
    // The new token is reported; the entry of the old one matches nothing now (a note).
    assert_eq!(
        rules,
        ["stale-baseline-entry", "remotive-personal-access-token"],
        "{doc}"
    );
    assert_eq!(code, 1);
    // Delete one: one stale entry, which --prune drops.
    repo.write(
        "app/deploy.sh",
        &moved.replace(&format!("export A={}\n", ts[0]), ""),
    );
    let (_, doc) = repo.json_in(".", &["--baseline", ".tokenlint-baseline.json"]);
    let rules = common::finding_strings(&doc, "rule_id");
    assert_eq!(rules, ["stale-baseline-entry"]);
    assert_eq!(doc["findings"][0]["path"], ".tokenlint-baseline.json");
    let out = repo.run_in(
        ".",
        &[
            "baseline",
            "--now",
            "2026-11-29",
            "--prune",
            ".tokenlint-baseline.json",
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("dropped 1 entry"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (code, doc) = repo.json_in(".", &["--baseline", ".tokenlint-baseline.json"]);
    assert_eq!((code, doc["summary"]["findings"].as_u64()), (0, Some(0)));
    // A scan of a subdirectory does not call entries elsewhere stale.
    let (_, doc) = repo.json_in("app", &["--baseline", "../.tokenlint-baseline.json"]);
    assert_eq!(doc["summary"]["findings"], 0);
}

#[test]
fn the_config_names_the_baseline() {
    let repo = Repo::new();
    repo.write("a.sh", &format!("T={}\n", token("pa", 30)));
    fs::create_dir(repo.path().join("ci")).unwrap();
    let out = repo.run_in(".", &["baseline", "--output", "ci/baseline.json"]);
    assert_eq!(out.status.code(), Some(0));
    repo.write("tokenlint.toml", "baseline = \"ci/baseline.json\"\n");
    let (code, _) = repo.json_in(".", &[]);
    assert_eq!(code, 0);
    repo.write("tokenlint.toml", "baseline = \"ci/missing.json\"\n");
    let out = repo.run_in(".", &["scan"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
}

#[test]
fn suppressed_output_snapshots() {
    let repo = Repo::new();
    repo.write(
        "a.sh",
        &format!("T={} # tokenlint:allow revoked 2026-01\n", token("pa", 40)),
    );
    repo.write("b.sh", &format!("T={}\n", token("sa", 41)));
    repo.write("docs/c.md", &format!("{}\n", token("pa", 42)));
    repo.write(
        "tokenlint.toml",
        "[[allowlist]]\npaths = [\"docs/**\"]\nreason = \"samples\"\n",
    );
    let json = repo.run_in(".", &["scan", "--format", "json", "--show-suppressed"]);
    let json =
        String::from_utf8_lossy(&json.stdout).replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    snapshot("suppressed.json", &json);
    let sarif = repo.run_in(".", &["scan", "--format", "sarif", "--show-suppressed"]);
    let doc: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results: Vec<Value> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::json!({"ruleId": r["ruleId"], "suppressions": r["suppressions"]}))
        .collect();
    snapshot(
        "suppressed.sarif-results.json",
        &(serde_json::to_string_pretty(&results).unwrap() + "\n"),
    );
}

// What the scanned tree may make tokenlint read: a discovered configuration, the files it
// names and the project's ignore file lie inside the project, are regular files and are
// small. These build the hostile repositories of issue 11.

/// Whether `text` says `needle`, however miette wrapped its lines.
fn says(text: &str, needle: &str) -> bool {
    let flat = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    flat(text).contains(&flat(needle))
}

/// A user rule file whose pattern is `ZQX` and four digits.
fn user_rule(id: &str) -> String {
    format!(
        "id = \"{id}\"\nseverity = \"error\"\nmessage = \"m {{secret}}\"\n\
         [docs]\nsummary = \"a test rule\"\nwhy = \"w\"\nfix = \"f\"\n\
         [sarif]\nprecision = \"high\"\nsecurity-severity = 7.0\n\
         [pattern]\nregex = 'ZQX[0-9]{{4}}'\n"
    )
}

impl Repo {
    /// Runs `args` in `dir` with `extra` set in the environment; the output as text.
    fn text_in(&self, dir: &str, args: &[&str], extra: &[(&str, &str)]) -> (i32, String) {
        let mut cmd = common::Tokenlint::new(&self.path().join(dir));
        cmd.args(args);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap(), text)
    }

    /// Every command that reads the project's configuration, run in the repository root:
    /// each must exit 2, name `needle`, and never show `secret`.
    fn all_refuse(&self, needle: &str, secret: &str, env: &[(&str, &str)]) {
        let commands: [&[&str]; 5] = [
            &["scan"],
            &["scan", "--hook", "f.sh"],
            &["baseline"],
            &["rules"],
            &["explain", "token-expired"],
        ];
        for args in commands {
            let (code, text) = self.text_in(".", args, env);
            assert_eq!(code, 2, "{args:?}: {text}");
            assert!(says(&text, needle), "{args:?} names {needle}: {text}");
            assert!(!says(&text, secret), "{args:?} shows {secret}: {text}");
        }
    }
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_config_linked_to_the_environment_is_refused_without_quoting_it() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    symlink("/proc/self/environ", repo.path().join("tokenlint.toml"));
    let marker = ("TOKENLINT_TEST_MARKER", "marker7f3a9cintheenvironment");
    repo.all_refuse("tokenlint.toml", marker.1, &[marker]);
    let (_, text) = repo.text_in(".", &["scan"], &[marker]);
    assert!(says(&text, "outside the project"), "{text}");
    // A configuration the user names is the user's own: it may lie anywhere.
    let (code, text) = repo.text_in(".", &["scan", "--config", "/proc/self/environ"], &[]);
    assert_eq!(code, 2, "the environment is no TOML: {text}");
}

#[test]
fn rule_directories_outside_the_project_are_refused_without_quoting_them() {
    let top = tempfile::tempdir().unwrap();
    let outside = top.path().join("outside");
    fs::create_dir(&outside).unwrap();
    // Not TOML: a rule file read by mistake would be quoted in the parse error.
    fs::write(outside.join("creds.toml"), "secretline4b1d outside\n").unwrap();
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    let up = outside.to_string_lossy().replace('\\', "/");
    for paths in [up.clone(), "../../../../../../../../..".to_string() + &up] {
        repo.write(
            "tokenlint.toml",
            &format!("[rules]\npaths = [\"{paths}\"]\n"),
        );
        repo.all_refuse("outside", "secretline4b1d", &[]);
    }
    #[cfg(unix)]
    {
        // A link to a directory outside, and a rule file that links outside.
        symlink(&outside, repo.path().join("linked"));
        repo.write("tokenlint.toml", "[rules]\npaths = [\"linked\"]\n");
        repo.all_refuse("linked", "secretline4b1d", &[]);
        repo.write("rules/.keep", "");
        symlink(
            outside.join("creds.toml"),
            repo.path().join("rules/creds.toml"),
        );
        repo.write("tokenlint.toml", "[rules]\npaths = [\"rules\"]\n");
        repo.all_refuse("creds.toml", "secretline4b1d", &[]);
        // Given with --rules, the same directory is the user's choice: it is read.
        let (code, text) = repo.text_in(".", &["rules", "--no-config", "--rules", &up], &[]);
        assert_eq!(code, 2, "{text}");
        assert!(says(&text, "secretline4b1d"), "read as asked: {text}");
    }
}

#[test]
fn a_baseline_named_by_the_config_is_a_small_regular_file_in_the_project() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    let outside = tempfile::tempdir().unwrap();
    let escape = outside.path().join("b.json");
    let escape_name = escape.to_string_lossy().replace('\\', "/");
    // Reading: /dev/zero would eat memory; a file outside would be read.
    for named in ["/dev/zero", escape_name.as_str()] {
        fs::write(&escape, "{\"version\": 1, \"entries\": []}\n").unwrap();
        repo.write("tokenlint.toml", &format!("baseline = \"{named}\"\n"));
        let (code, text) = repo.text_in(".", &["scan"], &[]);
        assert_eq!(code, 2, "{named}: {text}");
        assert!(says(&text, "outside the project"), "{named}: {text}");
        // Writing: `tokenlint baseline` does not write outside the project either.
        fs::remove_file(&escape).unwrap();
        let (code, text) = repo.text_in(".", &["baseline"], &[]);
        assert_eq!(code, 2, "{named}: {text}");
        assert!(!escape.exists(), "{named}: written outside");
    }
    // Inside the project: a device is not a regular file, and size is capped.
    #[cfg(unix)]
    {
        symlink("/dev/zero", repo.path().join("zero.json"));
        repo.write("tokenlint.toml", "baseline = \"zero.json\"\n");
        let (code, text) = repo.text_in(".", &["scan"], &[]);
        assert_eq!(code, 2, "{text}");
        let (code, text) = repo.text_in(
            ".",
            &["scan", "--no-config", "--baseline", "/dev/zero"],
            &[],
        );
        assert_eq!(
            code, 2,
            "a device named by the user is not read either: {text}"
        );
        assert!(says(&text, "not a regular file"), "{text}");
    }
    let big = fs::File::create(repo.path().join("big.json")).unwrap();
    big.set_len(65 << 20).unwrap();
    repo.write("tokenlint.toml", "baseline = \"big.json\"\n");
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(says(&text, "larger than 64 MiB"), "{text}");
}

#[test]
fn stores_named_by_a_discovered_config_stay_in_the_project() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    repo.write("tokenlint.toml", "stores = [\"../elsewhere\"]\n");
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        says(&text, "elsewhere") && says(&text, "outside the project"),
        "{text}"
    );
    repo.write("tokenlint.toml", "stores = [\"team-store\"]\n");
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn discovered_files_are_small_regular_files() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    let big = fs::File::create(repo.path().join("tokenlint.toml")).unwrap();
    big.set_len(2 << 20).unwrap();
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        says(&text, "larger than 1 MiB") && says(&text, "tokenlint.toml"),
        "{text}"
    );
    fs::remove_file(repo.path().join("tokenlint.toml")).unwrap();
    #[cfg(unix)]
    {
        // Opening a FIFO would block: it is refused first.
        let fifo = repo.path().join(".tokenlint.toml");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (code, text) = repo.text_in(".", &["scan"], &[]);
        assert_eq!(code, 2, "{text}");
        assert!(says(&text, "not a regular file"), "{text}");
        fs::remove_file(&fifo).unwrap();
        symlink("/dev/zero", repo.path().join(".tokenlintignore"));
        let (code, text) = repo.text_in(".", &["scan"], &[]);
        assert_eq!(code, 2, "{text}");
        assert!(says(&text, ".tokenlintignore"), "{text}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_ignore_file_linked_to_the_environment_is_refused() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    symlink("/proc/self/environ", repo.path().join(".tokenlintignore"));
    let marker = ("TOKENLINT_TEST_MARKER", "marker2c8eintheenvironment");
    for args in [&["scan"][..], &["scan", "--hook", "f.sh"]] {
        let (code, text) = repo.text_in(".", args, &[marker]);
        assert_eq!(code, 2, "{text}");
        assert!(says(&text, ".tokenlintignore"), "{text}");
        assert!(!says(&text, marker.1), "{text}");
    }
}

#[test]
fn a_broken_ignore_file_is_a_warning() {
    let repo = Repo::new();
    let t = token("pa", 40);
    repo.write("a.sh", &format!("T={t}\n"));
    repo.write("skip/b.sh", &format!("T={t}\n"));
    repo.write(".tokenlintignore", "skip/\n{unclosed\n");
    let (code, text) = repo.text_in(".", &["scan", "--hook", "skip/b.sh", "a.sh"], &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        says(&text, ".tokenlintignore:2:"),
        "names the file and line: {text}"
    );
    assert!(
        !says(&text, "skip/b.sh"),
        "the good line still applies: {text}"
    );
}

#[test]
fn a_bare_file_name_finds_the_repository_config() {
    let repo = Repo::new();
    repo.write(
        "tokenlint.toml",
        "[rules]\ndisabled = [\"remotive-personal-access-token\"]\n",
    );
    repo.write("sub/x.py", &format!("T = \"{}\"\n", token("pa", 41)));
    for file in ["x.py", "./x.py"] {
        let (code, doc) = repo.json_in("sub", &[file]);
        assert_eq!(
            (code, &doc["summary"]["findings"]),
            (0, &Value::from(0)),
            "{file}: {doc}"
        );
    }
}

#[test]
fn a_baseline_of_part_of_the_project_keeps_the_rest() {
    let repo = Repo::new();
    repo.write("tokenlint.toml", "baseline = \"ci/baseline.json\"\n");
    repo.write("ci/.keep", "");
    repo.write("a.sh", &format!("T={}\n", token("pa", 42)));
    repo.write("sub/b.sh", &format!("T={}\n", token("pa", 43)));
    let entries = || {
        let text = fs::read_to_string(repo.path().join("ci/baseline.json")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut paths: Vec<String> = doc["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(repo.text_in(".", &["baseline"], &[]).0, 0);
    assert_eq!(entries(), ["a.sh", "sub/b.sh"]);
    // From a subdirectory, with a new token there: the entry of a.sh stays.
    repo.write("sub/c.sh", &format!("T={}\n", token("pa", 44)));
    let (code, text) = repo.text_in("sub", &["baseline"], &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(entries(), ["a.sh", "sub/b.sh", "sub/c.sh"]);
    // On one file: the others stay; a removed finding in scope goes.
    repo.write("sub/b.sh", "T=gone\n");
    assert_eq!(repo.text_in(".", &["baseline", "sub/b.sh"], &[]).0, 0);
    assert_eq!(entries(), ["a.sh", "sub/c.sh"]);
    let (code, doc) = repo.json_in(".", &[]);
    assert_eq!(
        (code, &doc["summary"]["findings"]),
        (0, &Value::from(0)),
        "{doc}"
    );
}

#[test]
fn audit_reads_the_users_config_not_the_current_directorys() {
    let repo = Repo::new();
    repo.write(
        "tokenlint.toml",
        "[rules]\ndisabled = [\"token-expired\"]\n",
    );
    repo.write(
        "personal-token-old.json",
        &token_file(&token("pa", 45), "2025-01-01", "2025-06-01"),
    );
    let xdg = tempfile::tempdir().unwrap();
    let audit = |env: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec!["audit", "--format", "json", "--now", "2026-11-29", "."];
        args.extend_from_slice(extra);
        let (_, text) = repo.text_in(".", &args, env);
        let start = text.find('{').unwrap_or_else(|| panic!("{text}"));
        let doc: Value = serde_json::Deserializer::from_str(&text[start..])
            .into_iter()
            .next()
            .unwrap()
            .unwrap();
        common::finding_strings(&doc, "rule_id").contains(&"token-expired")
    };
    assert!(audit(&[], &[]), "the project's config is not the user's");
    let user = xdg.path().join("tokenlint/config.toml");
    fs::create_dir_all(user.parent().unwrap()).unwrap();
    fs::write(&user, "[rules]\ndisabled = [\"token-expired\"]\n").unwrap();
    let xdg_env = ("XDG_CONFIG_HOME", xdg.path().to_str().unwrap());
    assert!(
        !audit(&[xdg_env], &[]),
        "$XDG_CONFIG_HOME/tokenlint/config.toml applies"
    );
    assert!(audit(&[xdg_env], &["--no-config"]));
    assert!(
        !audit(&[], &["--config", "tokenlint.toml"]),
        "--config applies"
    );
}

#[test]
fn rules_and_explain_load_the_configured_rule_directories() {
    let repo = Repo::new();
    repo.write("team-rules/zqx.toml", &user_rule("team-zqx"));
    repo.write(
        "tokenlint.toml",
        "[rules]\npaths = [\"team-rules\"]\ndisabled = [\"token-expired\"]\n\
         [rules.severity]\nteam-zqx = \"note\"\n",
    );
    repo.write("sub/.keep", "");
    let (code, text) = repo.text_in("sub", &["rules"], &[]);
    assert_eq!(code, 0, "{text}");
    assert!(says(&text, "team-zqx") && says(&text, "note"), "{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("token-expired ")),
        "disabled: {text}"
    );
    let (code, text) = repo.text_in("sub", &["rules", "--check"], &[]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = repo.text_in("sub", &["explain", "team-zqx"], &[]);
    assert!(code == 0 && says(&text, "a test rule"), "{text}");
    let (code, text) = repo.text_in(".", &["explain", "token-expired"], &[]);
    assert_eq!(code, 0, "a disabled rule is still explained: {text}");
    let (_, text) = repo.text_in(".", &["rules", "--no-config"], &[]);
    assert!(!says(&text, "team-zqx"), "{text}");
    repo.write("other/rules/zqx.toml", &user_rule("other-zqx"));
    repo.write("other/x.toml", "[rules]\npaths = [\"rules\"]\n");
    let (code, text) = repo.text_in(
        ".",
        &["explain", "other-zqx", "--config", "other/x.toml"],
        &[],
    );
    assert!(code == 0 && says(&text, "a test rule"), "{text}");
}

#[cfg(unix)]
#[test]
fn ignore_files_that_would_block_or_fill_memory_are_not_read() {
    let repo = Repo::new();
    let t = token("pa", 46);
    repo.write("open/a.sh", &format!("T={t}\n"));
    repo.write("zero/b.sh", "echo\n");
    repo.write("fifo/c.sh", "echo\n");
    symlink("/dev/zero", repo.path().join("zero/.gitignore"));
    let made = Command::new("mkfifo")
        .arg(repo.path().join("fifo/.ignore"))
        .status()
        .unwrap();
    assert!(made.success());
    // Walked into: each such directory is left out, with a warning; the rest is scanned.
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        says(&text, "zero/.gitignore") && says(&text, "fifo/.ignore"),
        "{text}"
    );
    assert!(says(&text, "open/a.sh"), "{text}");
    // A root, or a directory above it, with one: the run stops.
    for dir in ["zero", "fifo"] {
        let (code, text) = repo.text_in(dir, &["scan"], &[]);
        assert_eq!(code, 2, "{dir}: {text}");
        assert!(says(&text, "not a regular file"), "{text}");
    }
    // --no-ignore reads no ignore file.
    let (code, text) = repo.text_in("zero", &["scan", "--no-ignore"], &[]);
    assert_eq!(code, 0, "{text}");
}

/// `sub/.ignore -> ../../outside/creds` was read, and the ignore crate's warnings about
/// its lines showed their shape. A linked ignore file is read only when it resolves inside
/// the repository; otherwise its directory is left out, as for a FIFO.
#[cfg(unix)]
#[test]
fn ignore_files_linked_out_of_the_repository_are_not_read() {
    let repo = Repo::new();
    let outside = tempfile::tempdir().unwrap();
    let creds = outside.path().join("creds");
    // Lines whose shape a warning about a broken glob would show.
    fs::write(&creds, "password = [hunter2\n{zq\n").unwrap();
    let t = token("pa", 47);
    repo.write("sub/a.sh", &format!("T={t}\n"));
    repo.write("open/b.sh", &format!("T={t}\n"));
    repo.write("shared/ignore", "*.log\n");
    repo.write("inner/c.sh", &format!("T={t}\n"));
    repo.write("inner/d.log", &format!("T={t}\n"));
    symlink(&creds, repo.path().join("sub/.ignore"));
    symlink("../shared/ignore", repo.path().join("inner/.gitignore"));
    let (code, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(code, 1, "{text}");
    assert!(says(&text, "sub/.ignore"), "{text}");
    assert!(
        says(&text, "a symbolic link out of the repository"),
        "{text}"
    );
    assert!(!text.contains("hunter2") && !text.contains("zq"), "{text}");
    assert!(!says(&text, "sub/a.sh"), "left out: {text}");
    // One that stays inside the repository is read like any other.
    assert!(
        says(&text, "open/b.sh") && says(&text, "inner/c.sh"),
        "{text}"
    );
    assert!(!says(&text, "inner/d.log"), "{text}");
    // A root with one: the run stops.
    let (code, text) = repo.text_in("sub", &["scan"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        says(&text, "a symbolic link out of the repository"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn paths_a_config_names_are_shown_with_their_control_characters_escaped() {
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    let hostile = "x\\u001b[31m\\n::error::injected";
    for text in [
        format!("[rules]\npaths = [\"{hostile}\"]\n"),
        format!("[rules]\npaths = [\"/{hostile}\"]\n"),
        format!("baseline = \"{hostile}\"\n"),
        format!("stores = [\"/{hostile}\"]\n"),
    ] {
        repo.write("tokenlint.toml", &text);
        let (code, out) = repo.text_in(".", &["scan"], &[]);
        assert_eq!(code, 2, "{text}: {out}");
        assert!(says(&out, "::error::injected"), "{text}: named: {out}");
        assert!(!out.contains('\u{1b}'), "{text}: {out}");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::error")),
            "{text}: {out}"
        );
    }
    // A broken configuration in a directory whose name is hostile.
    #[cfg(unix)]
    {
        let dir = "d\n::error::injected";
        repo.write("tokenlint.toml", "");
        repo.write(&format!("{dir}/tokenlint.toml"), "fail-on = 3\n");
        repo.write(&format!("{dir}/x.sh"), "echo\n");
        let (code, out) = repo.text_in(".", &["scan", "--hook", &format!("{dir}/x.sh")], &[]);
        assert_eq!(code, 2, "{out}");
        assert!(says(&out, "::error::injected/tokenlint.toml"), "{out}");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::error")),
            "{out}"
        );
    }
}

/// Issue 11, round 2: `baseline = ".git/hooks/pre-commit"` made `tokenlint baseline` write
/// JSON, with a hostile file name in it, over the hook git runs next.
#[test]
fn a_config_never_names_a_baseline_in_a_git_directory() {
    let repo = Repo::new();
    let hook = "#!/bin/sh\nexit 0\n";
    repo.write(".git/hooks/pre-commit", hook);
    repo.write(".git/HEAD", "ref: refs/heads/main\n");
    repo.write("$(touch PWNED).sh", &format!("T={}\n", token("pa", 60)));
    // A git directory by another name: what git would take for one.
    repo.write("gd/HEAD", "ref: refs/heads/main\n");
    repo.write("gd/objects/.keep", "");
    repo.write("gd/refs/.keep", "");
    for named in [
        ".git/hooks/pre-commit",
        ".git/config",
        ".git/HEAD",
        "sub/../.git/hooks/post-commit",
        ".GIT/hooks/pre-push",
        "gd/hooks/pre-commit",
    ] {
        repo.write("tokenlint.toml", &format!("baseline = \"{named}\"\n"));
        for args in [&["baseline"][..], &["scan"]] {
            let (code, text) = repo.text_in(".", args, &[]);
            assert_eq!(code, 2, "{named} {args:?}: {text}");
            assert!(says(&text, "git directory"), "{named}: {text}");
        }
    }
    // Through a link in the tree to the hooks.
    #[cfg(unix)]
    {
        symlink(".git/hooks", repo.path().join("linked"));
        repo.write("tokenlint.toml", "baseline = \"linked/pre-commit\"\n");
        let (code, text) = repo.text_in(".", &["baseline"], &[]);
        assert_eq!(code, 2, "{text}");
        assert!(says(&text, "git directory"), "{text}");
    }
    let read = |rel: &str| fs::read_to_string(repo.path().join(rel)).unwrap_or_default();
    assert_eq!(read(".git/hooks/pre-commit"), hook);
    assert_eq!(read(".git/HEAD"), "ref: refs/heads/main\n");
    for rel in [
        ".git/config",
        ".git/hooks/post-commit",
        "gd/hooks/pre-commit",
    ] {
        assert!(!repo.path().join(rel).exists(), "{rel} written");
    }
}

#[test]
fn a_file_a_config_names_that_is_no_baseline_is_not_replaced() {
    let repo = Repo::new();
    repo.write("a.sh", &format!("T={}\n", token("pa", 61)));
    let notes = "#!/bin/sh\necho notes7c1\n";
    repo.write("notes.sh", notes);
    repo.write("tokenlint.toml", "baseline = \"notes.sh\"\n");
    let (code, text) = repo.text_in(".", &["baseline"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        says(&text, "notes.sh") && says(&text, "not replaced"),
        "{text}"
    );
    assert!(!says(&text, "notes7c1"), "quotes the file: {text}");
    assert_eq!(
        fs::read_to_string(repo.path().join("notes.sh")).unwrap(),
        notes
    );
    // Named by the user with -o, it is replaced, with a warning.
    let (code, text) = repo.text_in(".", &["baseline", "-o", "notes.sh"], &[]);
    assert_eq!(code, 0, "{text}");
    assert!(says(&text, "it is replaced"), "{text}");
    let text = fs::read_to_string(repo.path().join("notes.sh")).unwrap();
    assert!(text.contains("\"entries\""), "{text}");
}

/// A baseline that a merge left conflicted is still a baseline: `tokenlint baseline`
/// rewrites it (the usual way out of the conflict), whoever named it.
#[test]
fn a_conflicted_baseline_a_config_names_is_rewritten() {
    let repo = Repo::new();
    repo.write("a.sh", &format!("T={}\n", token("pa", 63)));
    repo.write("tokenlint.toml", "baseline = \"b.json\"\n");
    let conflicted = "<<<<<<< HEAD\n{\"version\": 1, \"entries\": []}\n=======\n{}\n>>>>>>> x\n";
    repo.write("b.json", conflicted);
    let (code, text) = repo.text_in(".", &["baseline"], &[]);
    assert_eq!(code, 0, "{text}");
    assert!(says(&text, "it is replaced"), "{text}");
    let written = fs::read_to_string(repo.path().join("b.json")).unwrap();
    assert!(
        written.contains("\"entries\"") && !written.contains("<<<<<<<"),
        "{written}"
    );
}

/// A project unpacked under a repository it does not belong to (a home directory kept in
/// git, a monorepo, a stray `/tmp/.git`): its configuration reaches no further than its
/// own directory.
#[test]
fn a_config_names_nothing_above_its_own_directory() {
    let top = Repo::new();
    top.write("home/.cargo/credentials.toml", "secretline9d2e above\n");
    top.write(
        "home/.cargo/personal-token-home.json",
        &token_file(&token("pa", 62), "2026-01-01", "2027-01-01"),
    );
    let evil = "home/Downloads/evil";
    top.write(&format!("{evil}/f.sh"), "echo\n");
    for text in [
        "[rules]\npaths = [\"../../.cargo\"]\n",
        "baseline = \"../../.cargo/credentials.toml\"\n",
        "stores = [\"../../.cargo\"]\n",
    ] {
        top.write(&format!("{evil}/tokenlint.toml"), text);
        let rules: &[&str] = if text.contains("[rules]") {
            &["rules"]
        } else {
            &["scan"]
        };
        for args in [&["scan"][..], &["baseline"], rules] {
            let (code, out) = top.text_in(evil, args, &[]);
            assert_eq!(code, 2, "{text} {args:?}: {out}");
            assert!(says(&out, "outside the project"), "{text}: {out}");
            assert!(!says(&out, "secretline9d2e"), "{text}: {out}");
        }
    }
    // Below its own directory, all is read.
    top.write(&format!("{evil}/rules/zqx.toml"), &user_rule("evil-zqx"));
    top.write(
        &format!("{evil}/tokenlint.toml"),
        "[rules]\npaths = [\"rules\"]\n",
    );
    let (code, out) = top.text_in(evil, &["rules"], &[]);
    assert!(code == 0 && says(&out, "evil-zqx"), "{out}");
}

/// The Action's `args: --config tokenlint.toml` names the pull request's own file.
#[test]
fn a_config_named_with_config_inside_the_tree_is_confined_as_a_found_one() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("creds.toml"), "secretline5a7b out\n").unwrap();
    let up = outside.path().to_string_lossy().replace('\\', "/");
    let repo = Repo::new();
    repo.write("f.sh", "echo\n");
    repo.write(
        "ci/tokenlint.toml",
        &format!("[rules]\npaths = [\"{up}\"]\n"),
    );
    for (dir, config) in [(".", "ci/tokenlint.toml"), ("ci", "tokenlint.toml")] {
        for args in [
            &["scan", "--config", config][..],
            &["rules", "--config", config],
        ] {
            let (code, text) = repo.text_in(dir, args, &[]);
            assert_eq!(code, 2, "{args:?}: {text}");
            assert!(says(&text, "outside the project"), "{text}");
            assert!(!says(&text, "secretline5a7b"), "{text}");
        }
    }
    // A link in the tree to a file outside: the file itself is refused.
    #[cfg(unix)]
    {
        symlink(
            outside.path().join("creds.toml"),
            repo.path().join("linked.toml"),
        );
        let (code, text) = repo.text_in(".", &["scan", "--config", "linked.toml"], &[]);
        assert_eq!(code, 2, "{text}");
        assert!(!says(&text, "secretline5a7b"), "{text}");
    }
    // Outside the scanned tree, it is the user's own: what it names may lie anywhere.
    let own = outside.path().join("own.toml");
    fs::write(&own, format!("[rules]\npaths = [\"{up}\"]\n")).unwrap();
    let (code, text) = repo.text_in(".", &["rules", "--config", own.to_str().unwrap()], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(says(&text, "secretline5a7b"), "read as asked: {text}");
}

#[cfg(unix)]
#[test]
fn store_files_a_config_names_are_not_read_through_links_out() {
    let outside = tempfile::tempdir().unwrap();
    let t = token("pa", 63);
    let file = |name: &str| {
        format!("{{\"name\": \"{name}\", \"token\": \"{t}\", \"created\": \"2026-01-01\", \"expires\": \"2027-01-01\"}}\n")
    };
    fs::write(outside.path().join("t.json"), file("outsidename7")).unwrap();
    let repo = Repo::new();
    repo.write("a.sh", &format!("T={t}\n"));
    repo.write("tokenlint.toml", "stores = [\"store\"]\n");
    repo.write("store/personal-token-in.json", &file("insidename7"));
    let (_, text) = repo.text_in(".", &["scan", "a.sh"], &[]);
    assert!(says(&text, "insidename7"), "the store is read: {text}");
    fs::remove_file(repo.path().join("store/personal-token-in.json")).unwrap();
    symlink(
        outside.path().join("t.json"),
        repo.path().join("store/personal-token-out.json"),
    );
    let (code, text) = repo.text_in(".", &["scan", "a.sh"], &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        !says(&text, "outsidename7"),
        "read through the link: {text}"
    );
}

#[test]
fn a_broken_nested_ignore_file_is_a_warning_that_does_not_quote_it() {
    let repo = Repo::new();
    let t = token("pa", 64);
    repo.write("sub/deeper/skip.sh", &format!("T={t}\n"));
    repo.write("sub/deeper/keep.sh", &format!("T={t}\n"));
    repo.write("sub/.tokenlintignore", "skip.sh\nzqx7{w\n");
    for dir in [".", "sub", "sub/deeper"] {
        let (code, text) = repo.text_in(dir, &["scan"], &[]);
        assert_eq!(code, 1, "{dir}: {text}");
        assert!(says(&text, ".tokenlintignore:2:"), "{dir}: {text}");
        assert!(!says(&text, "zqx7"), "{dir}: quotes the line: {text}");
        assert!(
            says(&text, "keep.sh") && !says(&text, "skip.sh"),
            "{dir}: {text}"
        );
    }
    // The project's own, read by the walk and for the hook: told of once.
    repo.write(".tokenlintignore", "zqx7{w\n");
    let (_, text) = repo.text_in(".", &["scan"], &[]);
    assert_eq!(text.matches(".tokenlintignore:1:").count(), 1, "{text}");
}

/// pre-commit's `args: [--fail-on, error]` come after `--hook`, as file names.
#[test]
fn an_option_after_hook_is_no_file_and_says_where_options_go() {
    let repo = Repo::new();
    repo.write("a.sh", "echo\n");
    let (code, text) = repo.text_in(".", &["scan", "--hook", "--fail-on", "error", "a.sh"], &[]);
    assert_eq!(code, 2, "{text}");
    assert!(
        says(&text, "cannot scan --fail-on") && says(&text, "options before --hook"),
        "{text}"
    );
    // A file that is there is a file, whatever its name.
    repo.write("-x.sh", "echo\n");
    let (code, text) = repo.text_in(".", &["scan", "--hook", "-x.sh", "a.sh"], &[]);
    assert_eq!(code, 0, "{text}");
}
