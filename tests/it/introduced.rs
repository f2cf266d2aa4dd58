//! Range scans judge only the secrets a range introduces to their files (issue 17): in
//! real temporary git repositories, with `scan --history --since` (and `--branch`).

use std::fs;
use std::path::Path;

use crate::common;
use common::{git, repo, token, tokenlint};

const RULE: &str = "remotive-personal-access-token";

/// A repository that commits with a fixed identity and says what it committed.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        Repo { dir: repo() }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.path().join(name), text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        git(self.path(), args);
    }

    /// Commits everything and returns the new commit's id.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-qm", message, "--no-verify"]);
        self.rev("HEAD")
    }

    fn rev(&self, name: &str) -> String {
        let out = std::process::Command::new("git")
            .current_dir(self.path())
            .args(["rev-parse", name])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// `scan --history ARGS` as JSON, which must not fail to run.
    fn history(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["scan", "--history", "--format", "json"];
        all.extend_from_slice(args);
        let out = tokenlint(self.path(), &all);
        assert!(
            out.status.code().unwrap() < 2,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// Each finding's path, line, rule and commit, sorted.
fn found(doc: &serde_json::Value) -> Vec<(String, u64, String, String)> {
    let commits = doc["findings"].as_array().unwrap().iter();
    let mut found: Vec<_> = common::finding_places(doc)
        .into_iter()
        .zip(commits.map(|f| f["commit"]["id"].as_str().unwrap().to_string()))
        .map(|((path, line, rule), commit)| (path, line, rule, commit))
        .collect();
    found.sort();
    found
}

fn at(path: &str, line: u64, commit: &str) -> (String, u64, String, String) {
    (path.into(), line, RULE.into(), commit.into())
}

/// The count of older secrets the JSON summary carries (absent when none).
fn older(doc: &serde_json::Value) -> u64 {
    doc["summary"]["older"].as_u64().unwrap_or(0)
}

/// A file holding an old token (accepted earlier), then a range that edits another line
/// of it and, later, adds a second token to it.
fn old_token_then_edits() -> (Repo, [String; 3]) {
    let r = Repo::new();
    r.write("app.env", &format!("TOKEN={}\nLEVEL=1\n", token("pa", 1)));
    let base = r.commit("an old token, accepted earlier");
    r.write("app.env", &format!("TOKEN={}\nLEVEL=2\n", token("pa", 1)));
    let edit = r.commit("edit another line");
    r.write(
        "app.env",
        &format!(
            "TOKEN={}\nLEVEL=2\nOTHER={}\n",
            token("pa", 1),
            token("pa", 2)
        ),
    );
    let second = r.commit("a second token");
    (r, [base, edit, second])
}

#[test]
fn an_edit_beside_an_old_token_is_not_judged() {
    let (r, [base, edit, _]) = old_token_then_edits();
    let doc = r.history(&["--since", &base, "--branch", &edit]);
    assert_eq!(found(&doc), []);
    assert_eq!(older(&doc), 1);
    let out = tokenlint(r.path(), &["scan", "--history", "--since", &base]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "tokenlint: 1 older secret in touched files was not judged; run `tokenlint scan` \
             to see them"
        ),
        "{text}"
    );
    // A format with no summary of its own: the line goes to standard error.
    let sarif = tokenlint(
        r.path(),
        &[
            "scan",
            "--history",
            "--since",
            &base,
            "--branch",
            &edit,
            "--format",
            "sarif",
        ],
    );
    let stderr = String::from_utf8_lossy(&sarif.stderr);
    assert!(
        stderr.contains("1 older secret in touched files"),
        "{stderr}"
    );
    assert_eq!(sarif.status.code(), Some(0));
}

#[test]
fn a_second_token_in_the_same_file_is_reported_alone() {
    let (r, [base, _, second]) = old_token_then_edits();
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("app.env", 3, &second)]);
    // The old token, in the two blobs of the range: one older secret.
    assert_eq!(older(&doc), 1);
    let concise = tokenlint(
        r.path(),
        &["scan", "--history", "--since", &base, "--format", "concise"],
    );
    let text = String::from_utf8_lossy(&concise.stdout);
    assert_eq!(concise.status.code(), Some(1));
    assert!(text.contains("1 older secret in touched files"), "{text}");
}

/// Past the commits whose places are read ahead, on a thread of their own, while the
/// objects are (`ReadAhead`, for a push's hook), they are read afterwards: the same
/// verdicts.
#[test]
fn a_range_too_long_to_read_ahead_is_judged_the_same() {
    let (r, [base, _, second]) = old_token_then_edits();
    let mut stream = String::new();
    for i in 0..2_001 {
        let from = match i {
            0 => format!("from {second}\n"),
            _ => String::new(),
        };
        stream.push_str(&format!(
            "commit refs/heads/long\ncommitter t <t@example.test> {} +0000\ndata 6\nempty\n{from}\n",
            1_700_000_000 + i
        ));
    }
    let mut import = std::process::Command::new("git")
        .current_dir(r.path())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    import
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(import.wait().unwrap().success());
    let doc = r.history(&["--since", &base, "--branch", "long"]);
    assert_eq!(found(&doc), [at("app.env", 3, &second)]);
    assert_eq!(older(&doc), 1);
}

/// The findings at `path` and `line`: the commits named, without repeats.
fn commits_at(doc: &serde_json::Value, path: &str, line: u64) -> Vec<String> {
    let mut commits: Vec<String> = found(doc)
        .into_iter()
        .filter(|(p, l, rule, _)| (p.as_str(), *l, rule.as_str()) == (path, line, RULE))
        .map(|(.., commit)| commit)
        .collect();
    commits.dedup();
    commits
}

/// `commits` name `first`, and no commit but those `allowed`.
fn named_first(commits: &[String], first: &str, allowed: &[&String]) {
    assert!(commits.iter().any(|c| c == first), "{commits:?}");
    assert!(commits.iter().all(|c| allowed.contains(&c)), "{commits:?}");
}

/// The distinct places (path and line) of the findings.
fn places(doc: &serde_json::Value) -> Vec<(String, u64)> {
    let mut places: Vec<_> = found(doc).into_iter().map(|(p, l, ..)| (p, l)).collect();
    places.dedup();
    places
}

#[test]
fn all_findings_judges_every_touched_file_whole() {
    let (r, [base, edit, second]) = old_token_then_edits();
    let doc = r.history(&["--since", &base, "--all-findings"]);
    // The old token, at least at the first commit of the range that holds it (each blob
    // that holds it may be reported, named after the commit that added it).
    assert_eq!(places(&doc), [("app.env".into(), 1), ("app.env".into(), 3)]);
    named_first(&commits_at(&doc, "app.env", 1), &edit, &[&edit, &second]);
    assert_eq!(commits_at(&doc, "app.env", 3), [second]);
    assert!(doc["summary"].get("older").is_none(), "{doc}");
}

#[test]
fn a_full_history_scan_is_unchanged() {
    let (r, [base, edit, second]) = old_token_then_edits();
    let doc = r.history(&[]);
    assert_eq!(places(&doc), [("app.env".into(), 1), ("app.env".into(), 3)]);
    named_first(
        &commits_at(&doc, "app.env", 1),
        &base,
        &[&base, &edit, &second],
    );
    assert_eq!(commits_at(&doc, "app.env", 3), [second]);
    assert!(doc["summary"].get("older").is_none(), "{doc}");
    assert_eq!(found(&r.history(&["--all-findings"])), found(&doc));
}

/// A repository whose `config.env` held the token of `seed` and ten settings, committed
/// (the base) and then removed from the working tree, for a rename to follow: the token,
/// the settings and the base commit.
fn old_config(seed: u32) -> (Repo, [String; 3]) {
    let r = Repo::new();
    let old = token("pa", seed);
    let lines: String = (0..10).map(|i| format!("SETTING_{i}=value\n")).collect();
    r.write("config.env", &format!("TOKEN={old}\n{lines}"));
    let base = r.commit("old token");
    fs::remove_file(r.path().join("config.env")).unwrap();
    (r, [old, lines, base])
}

#[test]
fn a_renamed_file_keeps_its_old_token_and_a_copy_is_new() {
    let (r, [old, lines, base]) = old_config(3);
    r.write("renamed.env", &format!("TOKEN={old}\n{lines}EXTRA=1\n"));
    let renamed = r.commit("rename it, with an edit");
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [], "renamed from config.env: {renamed}");
    assert_eq!(older(&doc), 1);
    r.write("copy.sh", &format!("export T={old}\n"));
    let copied = r.commit("copy the token into a new file");
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("copy.sh", 1, &copied)]);
    assert_eq!(older(&doc), 1);
}

/// A blob the range's revisions leave out (the base has it) is not read by the range
/// scan; brought unchanged to a new path, it is a new exposure all the same.
#[test]
fn an_old_file_copied_whole_is_new_at_its_new_path_and_a_pure_rename_is_not() {
    let r = Repo::new();
    r.write(
        "old.env",
        &format!(
            "TOKEN={}
",
            token("pa", 5)
        ),
    );
    let base = r.commit("old token");
    r.git(&["mv", "old.env", "moved.env"]);
    r.commit("a pure rename");
    assert_eq!(found(&r.history(&["--since", &base])), []);
    fs::copy(r.path().join("moved.env"), r.path().join("copy.env")).unwrap();
    let copied = r.commit("a copy, byte for byte");
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("copy.env", 1, &copied)]);
    assert_eq!(older(&doc), 0);
    // A copy to a path the project's ignore file leaves out is not reported.
    fs::create_dir(r.path().join("vendor")).unwrap();
    fs::copy(r.path().join("moved.env"), r.path().join("vendor/v.env")).unwrap();
    r.write(".tokenlintignore", "vendor/\n");
    r.commit("a copy under vendor/");
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("copy.env", 1, &copied)]);
}

/// A file on both sides of a merge: `side` changes its first line, `main` its last, and
/// the merge joins them (a blob neither parent has). With `token_on_side`, the side
/// branch's change adds a token; else the merge itself adds one (an evil merge).
fn merged(token_on_side: bool) -> (Repo, [String; 3]) {
    let r = Repo::new();
    let lines: String = (0..8).map(|i| format!("line {i}\n")).collect();
    r.write("a.txt", &lines);
    let base = r.commit("base");
    r.git(&["checkout", "-qb", "side"]);
    let first = if token_on_side {
        format!("T={}\n", token("pa", 4))
    } else {
        "first\n".to_string()
    };
    r.write("a.txt", &lines.replacen("line 0\n", &first, 1));
    let side = r.commit("side");
    r.git(&["checkout", "-q", "-"]);
    r.write("a.txt", &lines.replacen("line 7\n", "last\n", 1));
    r.commit("main");
    r.git(&["merge", "-q", "--no-edit", "--no-commit", "side"]);
    if !token_on_side {
        let joined = fs::read_to_string(r.path().join("a.txt")).unwrap();
        r.write(
            "a.txt",
            &joined.replacen("line 3\n", &format!("T={}\n", token("pa", 4)), 1),
        );
    }
    let merge = r.commit("merge side");
    (r, [base, side, merge])
}

#[test]
fn a_merge_of_what_its_parents_hold_is_not_judged() {
    let (r, [base, side, merge]) = merged(true);
    let doc = r.history(&["--since", "side"]);
    assert_eq!(found(&doc), [], "the merge {merge} adds nothing");
    assert_eq!(older(&doc), 1);
    // From the base, the side commit brought it: it is named, not the merge.
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("a.txt", 1, &side)]);
    let doc = r.history(&["--since", "side", "--all-findings"]);
    assert_eq!(found(&doc), [at("a.txt", 1, &merge)]);
}

#[test]
fn a_secret_first_in_an_evil_merge_is_reported() {
    let (r, [base, _, merge]) = merged(false);
    let doc = r.history(&["--since", "side"]);
    assert_eq!(found(&doc), [at("a.txt", 4, &merge)]);
    assert_eq!(older(&doc), 0);
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("a.txt", 4, &merge)]);
}

/// A blobless clone (`--filter=blob:none`) lacks the older blobs that rename detection
/// reads, and tokenlint never fetches one: the renamed file's old token is judged as new,
/// with a warning, rather than the scan failing or waving it through.
#[test]
fn a_blobless_clone_judges_a_rename_as_new_and_says_why() {
    let server = Repo::new();
    server.git(&["config", "uploadpack.allowFilter", "true"]);
    let lines: String = (0..10).map(|i| format!("SETTING_{i}=value\n")).collect();
    server.write("config.env", &format!("TOKEN={}\n{lines}", token("pa", 6)));
    let base = server.commit("old token");
    fs::remove_file(server.path().join("config.env")).unwrap();
    server.write(
        "renamed.env",
        &format!("TOKEN={}\n{lines}X=1\n", token("pa", 6)),
    );
    let renamed = server.commit("rename it, with an edit");
    assert_eq!(found(&server.history(&["--since", &base])), []);
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", server.path().display());
    git(
        clones.path(),
        &["clone", "-q", "--filter=blob:none", &url, "clone"],
    );
    let clone = clones.path().join("clone");
    let out = tokenlint(
        &clone,
        &["scan", "--history", "--since", &base, "--format", "json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found(&doc), [at("renamed.env", 1, &renamed)]);
    assert!(stderr.contains("rename detection"), "{stderr}");
}

/// A rename that also adds a token counts for that token alone; a revert that restores a
/// removed token brings it back to a version of its path that lacked it, and counts.
#[test]
fn a_rename_with_a_new_token_and_a_restoring_revert_count() {
    let (r, [old, lines, base]) = old_config(5);
    let new = token("pa", 6);
    r.write("moved.env", &format!("TOKEN={old}\n{lines}NEW={new}\n"));
    let renamed = r.commit("rename it, and add a token");
    let doc = r.history(&["--since", &base]);
    assert_eq!(found(&doc), [at("moved.env", 12, &renamed)]);
    assert_eq!(older(&doc), 1);
    r.write("moved.env", &lines);
    let removed = r.commit("remove both tokens");
    r.git(&["revert", "--no-edit", &removed]);
    let reverted = r.rev("HEAD");
    let doc = r.history(&["--since", &removed]);
    let mut expected = vec![
        at("moved.env", 1, &reverted),
        at("moved.env", 12, &reverted),
    ];
    expected.sort();
    let mut actual = found(&doc);
    actual.sort();
    assert_eq!(actual, expected);
}
