//! `scan --staged`, `scan --hook` and `install-hook`, in real temporary git repositories.

use std::fs;
use std::path::Path;

mod common;
use common::{git, repo, token, tokenlint};

fn staged_paths(dir: &Path) -> (i32, Vec<String>, String) {
    let out = tokenlint(dir, &["scan", "--staged", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    (
        out.status.code().unwrap(),
        paths,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn staged_scans_the_index_not_the_working_tree() {
    let dir = repo();
    let p = dir.path();
    let t = token("pa", 1);
    fs::write(p.join("a.sh"), format!("T={t}\n")).unwrap();
    git(p, &["add", "a.sh"]);
    fs::write(p.join("a.sh"), "T=clean\n").unwrap();
    fs::write(p.join("unstaged.sh"), format!("T={t}\n")).unwrap();
    let (code, paths, _) = staged_paths(p);
    assert_eq!((code, paths), (1, vec!["a.sh".to_string()]));
}

#[test]
fn staged_skips_deleted_files_and_follows_renames() {
    let dir = repo();
    let p = dir.path();
    let t = token("sa", 2);
    fs::write(p.join("old.sh"), format!("T={t}\n")).unwrap();
    fs::write(p.join("gone.sh"), format!("T={}\n", token("pa", 3))).unwrap();
    git(p, &["add", "."]);
    git(p, &["commit", "-qm", "x", "--no-verify"]);
    git(p, &["mv", "old.sh", "new name.sh"]);
    git(p, &["rm", "-q", "gone.sh"]);
    let (code, paths, _) = staged_paths(p);
    assert_eq!((code, paths), (1, vec!["new name.sh".to_string()]));
}

#[test]
fn staged_with_nothing_staged_says_so() {
    let dir = repo();
    let (code, paths, stderr) = staged_paths(dir.path());
    assert_eq!(code, 0);
    assert!(paths.is_empty());
    assert!(stderr.contains("nothing is staged"), "{stderr}");
}

#[test]
fn staged_outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tokenlint(dir.path(), &["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git"));
}

#[test]
fn a_hook_given_no_files_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.sh"), token("pa", 4)).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--hook"]);
    assert_eq!(out.status.code(), Some(0), "it does not scan `.` instead");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no files"));
    let out = tokenlint(dir.path(), &["scan", "--hook", "a.sh"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn install_hook_writes_refuses_and_forces() {
    let dir = repo();
    let p = dir.path();
    let out = tokenlint(p, &["install-hook"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hook = p.join(".git/hooks/pre-commit");
    let text = fs::read_to_string(&hook).unwrap();
    assert!(text.contains("exec tokenlint scan --staged --\n"));
    assert!(!text.contains("cargo install tokenlint"), "no such crate");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&hook).unwrap().permissions().mode() & 0o111,
            0o111
        );
    }
    fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    let out = tokenlint(p, &["install-hook"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("exists already") && stderr.contains("tokenlint scan --staged || exit 1"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho mine\n");
    let out = tokenlint(p, &["install-hook", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read_to_string(&hook)
        .unwrap()
        .contains("tokenlint scan --staged"));
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message, "--no-verify"]);
}

fn history(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "scan",
        "--history",
        "--format",
        "json",
        "--now",
        "2026-11-29",
    ];
    all.extend_from_slice(args);
    let out = tokenlint(dir, &all);
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn history_finds_what_was_deleted_and_names_the_commit() {
    let dir = repo();
    let p = dir.path();
    let t = token("pa", 10);
    fs::write(p.join("a.sh"), format!("T={t}\n")).unwrap();
    fs::write(p.join("copy.sh"), format!("T={t}\n")).unwrap();
    commit_all(p, "add a token");
    fs::remove_file(p.join("a.sh")).unwrap();
    fs::remove_file(p.join("copy.sh")).unwrap();
    fs::write(
        p.join("personal-token-ci.json"),
        format!("{{\"name\": \"ci\", \"token\": \"{}\", \"created\": \"2026-11-01\", \"expires\": \"2027-01-01\"}}", token("sa", 11)),
    )
    .unwrap();
    commit_all(p, "remove it, commit a token file");
    fs::remove_file(p.join("personal-token-ci.json")).unwrap();
    commit_all(p, "remove the token file");
    assert_eq!(
        tokenlint(p, &["scan"]).status.code(),
        Some(0),
        "the working tree is clean"
    );
    let doc = history(p, &[]);
    let findings = doc["findings"].as_array().unwrap();
    let rules = common::finding_strings(&doc, "rule_id");
    // The same blob under two paths is one blob, scanned once.
    assert_eq!(
        rules,
        ["remotive-personal-access-token", "token-file-outside-store"],
        "{doc}"
    );
    for f in findings {
        let commit = &f["commit"];
        assert_eq!(commit["id"].as_str().unwrap().len(), 40);
        assert!(commit["author"]
            .as_str()
            .unwrap()
            .contains("t@example.test"));
        assert!(f["message"].as_str().unwrap().contains("(added in commit "));
    }
    assert!(!doc.to_string().contains(&t[6..]));
}

#[test]
fn history_since_and_branch_narrow_it() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("old.sh"), format!("T={}\n", token("pa", 12))).unwrap();
    commit_all(p, "old");
    git(p, &["tag", "v1"]);
    fs::write(p.join("new.sh"), format!("T={}\n", token("pa", 13))).unwrap();
    commit_all(p, "new");
    git(p, &["checkout", "-qb", "side", "v1"]);
    fs::write(p.join("side.sh"), format!("T={}\n", token("pa", 14))).unwrap();
    commit_all(p, "side");
    let paths = |doc: serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(paths(history(p, &[])), ["new.sh", "old.sh", "side.sh"]);
    assert_eq!(paths(history(p, &["--since", "v1"])), ["new.sh", "side.sh"]);
    assert_eq!(
        paths(history(p, &["--branch", "side"])),
        ["old.sh", "side.sh"]
    );
}

#[test]
fn a_shallow_clone_is_a_warning() {
    let dir = repo();
    let p = dir.path();
    for i in 0..3 {
        fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 20 + i))).unwrap();
        commit_all(p, "c");
    }
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", p.display());
    let target = clone.path().join("c");
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            target.to_str().unwrap(),
        ],
    );
    let out = tokenlint(&target, &["scan", "--history", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("shallow clone"));
}
