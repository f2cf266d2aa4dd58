//! Push protection with real git: history scans of bare repositories and mirrors,
//! `--range` as a pull request's CI runs it, the server's `pre-receive` hook behind real
//! `git push`es, and the client's `pre-push` hook, directly and through pre-commit.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::{self, git, repo, token, tokenlint};

/// Runs git in `dir` and returns its standard output, trimmed; asserts it succeeded.
fn git_text(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Writes `files` (path, text) in `dir` and commits them all.
fn commit(dir: &Path, message: &str, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message, "--no-verify"]);
}

/// A line that holds the token of `seed`.
fn leak(seed: u32) -> String {
    format!("REMOTIVE_TOKEN={}\n", token("pa", seed))
}

/// The sorted paths of a JSON report's findings, and the exit code.
fn found_paths(out: &Output) -> (i32, Vec<String>) {
    let code = out.status.code().unwrap();
    assert!(code < 2, "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<String> = common::finding_paths(&doc)
        .into_iter()
        .map(String::from)
        .collect();
    paths.sort();
    (code, paths)
}

/// The error a run stopped with (exit 2), on one line.
fn stopped(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let text = String::from_utf8_lossy(&out.stderr);
    let text = text.replace('│', " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn history_scans_a_mirror_clone_and_a_bare_repository() {
    let dir = repo();
    let p = dir.path();
    commit(p, "leak", &[("ci/deploy.sh", leak(1))]);
    commit(
        p,
        "clean",
        &[("ci/deploy.sh", "REMOTIVE_TOKEN=$X\n".into())],
    );
    let top = tempfile::tempdir().unwrap();
    let mirror = top.path().join("mirror.git");
    let source = p.to_str().unwrap();
    git(
        top.path(),
        &["clone", "-q", "--mirror", source, "mirror.git"],
    );
    let json = ["scan", "--history", "--format", "json"];
    // From inside it, from one of its directories, and named with --git-dir.
    assert_eq!(
        found_paths(&tokenlint(&mirror, &json)),
        (1, vec!["ci/deploy.sh".into()])
    );
    assert_eq!(
        found_paths(&tokenlint(&mirror.join("refs"), &json)).1,
        ["ci/deploy.sh"]
    );
    let named = [&json[..], &["--git-dir", "mirror.git"]].concat();
    assert_eq!(
        found_paths(&tokenlint(top.path(), &named)).1,
        ["ci/deploy.sh"]
    );
    // A working tree's own `.git` too; the working tree itself is not a git directory.
    let dot_git = [&json[..], &["--git-dir", ".git"]].concat();
    assert_eq!(found_paths(&tokenlint(p, &dot_git)).1, ["ci/deploy.sh"]);
    let tree = [&json[..], &["--git-dir", "."]].concat();
    assert!(stopped(&tokenlint(p, &tree)).contains("is not a git directory"));
    // A bare repository has no index to scan.
    let staged = tokenlint(&mirror, &["scan", "--staged"]);
    assert!(stopped(&staged).contains("no working tree"));
}

#[test]
fn a_dot_git_file_naming_a_bare_repository_elsewhere_is_refused() {
    let dir = repo();
    commit(dir.path(), "leak", &[("a.sh", leak(2))]);
    let top = tempfile::tempdir().unwrap();
    let private = top.path().join("private.git");
    let source = dir.path().to_str().unwrap();
    git(
        top.path(),
        &["clone", "-q", "--bare", source, "private.git"],
    );
    let sent = top.path().join("sent");
    fs::create_dir(&sent).unwrap();
    fs::write(
        sent.join(".git"),
        format!("gitdir: {}\n", private.display()),
    )
    .unwrap();
    let refused = stopped(&tokenlint(&sent, &["scan", "--history"]));
    assert!(refused.contains("refused:"), "{refused}");
    assert!(refused.contains("which does not hold it"), "{refused}");
    // A bare repository sent with a `commondir` to share another's files.
    let sent = top.path().join("sent.git");
    git(top.path(), &["init", "-q", "--bare", "sent.git"]);
    fs::write(sent.join("commondir"), "../private.git\n").unwrap();
    let refused = stopped(&tokenlint(&sent, &["scan", "--history"]));
    assert!(refused.contains("shares the files"), "{refused}");
}

/// main with an old token; `feature` from it, which adds one, merges main's newer
/// commit (with a token of its own), adds one in the merge itself, and one more after.
fn pull_request() -> tempfile::TempDir {
    let dir = repo();
    let p = dir.path();
    git(p, &["checkout", "-qb", "main"]);
    commit(p, "old", &[("old.sh", leak(10))]);
    git(p, &["checkout", "-qb", "feature"]);
    commit(p, "feature", &[("feature.sh", leak(11))]);
    git(p, &["checkout", "-q", "main"]);
    commit(p, "main moves on", &[("main.sh", leak(12))]);
    git(p, &["checkout", "-q", "feature"]);
    git(p, &["merge", "-q", "--no-commit", "--no-ff", "main"]);
    commit(
        p,
        "merge main, with a token of its own",
        &[("merge.sh", leak(13))],
    );
    commit(p, "after the merge", &[("after.sh", leak(14))]);
    dir
}

#[test]
fn range_scans_exactly_the_commits_a_pull_request_adds_across_merges() {
    let dir = pull_request();
    let p = dir.path();
    let json = ["scan", "--history", "--format", "json"];
    let range = |r: &str| found_paths(&tokenlint(p, &[&json[..], &["--range", r]].concat()));
    assert_eq!(
        range("main..feature"),
        (
            1,
            ["after.sh", "feature.sh", "merge.sh"]
                .map(String::from)
                .to_vec()
        )
    );
    // main's commits are all in feature, by the merge.
    assert_eq!(range("feature..main"), (0, vec![]));
    assert_eq!(range("main~1..main"), (1, vec!["main.sh".to_string()]));
    assert_eq!(
        range("feature~1..feature"),
        (1, vec!["after.sh".to_string()])
    );
    assert_eq!(range("main..main"), (0, vec![]));
    // `--since` stays: main's history after the base, as `--range BASE..main`.
    let since = [&json[..], &["--since", "feature~2", "--branch", "main"]].concat();
    assert_eq!(found_paths(&tokenlint(p, &since)), range("feature~2..main"));
}

#[test]
fn range_refuses_option_like_values_and_a_shallow_clone_lacking_its_base() {
    let dir = pull_request();
    let p = dir.path();
    for range in [
        "--output=x..main",
        "main..--all",
        "main",
        "main...feature",
        "..main",
    ] {
        let out = tokenlint(p, &["scan", "--history", &format!("--range={range}")]);
        let why = stopped(&out);
        assert!(why.contains("not a r"), "{range}: {why}");
        assert!(!p.join("x").exists());
    }
    let top = tempfile::tempdir().unwrap();
    let url = format!("file://{}", p.display());
    git(
        top.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "c",
        ],
    );
    let shallow = top.path().join("c");
    let base = git_text(p, &["rev-parse", "main"]);
    let out = tokenlint(
        &shallow,
        &["scan", "--history", "--range", &format!("{base}..HEAD")],
    );
    let why = stopped(&out);
    assert!(why.contains("is not in this shallow clone"), "{why}");
    assert!(why.contains("fetch-depth: 0"), "{why}");
    // With the base fetched, the same range is judged.
    git(&shallow, &["fetch", "-q", "--unshallow", "origin", "main"]);
    let json = ["scan", "--history", "--format", "json", "--range"];
    let out = tokenlint(&shallow, &[&json[..], &[&format!("{base}..HEAD")]].concat());
    assert_eq!(found_paths(&out).1, ["after.sh", "feature.sh", "merge.sh"]);
}
