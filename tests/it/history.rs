//! `scan --history` reads every git object: commit messages, authors and committers, tag
//! messages, what no ref reaches; and reports one finding per secret and place.

use std::fs;
use std::path::Path;

use crate::common;
use crate::git::{commit_all, git_out, history};
use common::{git, repo, token};

const RULE: &str = "remotive-personal-access-token";

/// The one finding of a JSON report.
fn only(doc: &serde_json::Value) -> &serde_json::Value {
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc}");
    &findings[0]
}

/// Asserts the finding's path, line, rule and commit.
fn assert_at(finding: &serde_json::Value, path: &str, line: u64, commit: &str) {
    assert_eq!(finding["path"], path, "{finding}");
    assert_eq!(finding["line"], line, "{finding}");
    assert_eq!(finding["rule_id"], RULE, "{finding}");
    assert_eq!(finding["commit"]["id"], commit, "{finding}");
}

/// A repository with one clean commit.
fn started() -> tempfile::TempDir {
    let dir = repo();
    fs::write(dir.path().join("README.md"), "nothing here\n").unwrap();
    commit_all(dir.path(), "start");
    dir
}

fn head(dir: &Path) -> String {
    git_out(dir, &["rev-parse", "HEAD"])
}

/// The report of the history of a repository whose last commit, empty, is made with
/// `args` (after `commit --allow-empty`), and that commit's id.
fn after_an_empty_commit(args: &[&str]) -> (serde_json::Value, String) {
    let dir = started();
    let p = dir.path();
    let mut all = vec!["commit", "-q", "--allow-empty"];
    all.extend_from_slice(args);
    git(p, &all);
    (history(p, &[]), head(p))
}

#[test]
fn a_token_in_a_commit_message_is_found_in_its_commit() {
    let t = token("pa", 400);
    let (doc, commit) = after_an_empty_commit(&["-m", &format!("deploy\n\nT={t}")]);
    let f = only(&doc);
    // `git cat-file -p`: tree, parent, author, committer, a blank line, then the message.
    assert_at(f, "<commit message>", 8, &commit);
    assert_eq!(f["commit"]["path"], "<commit message>");
    assert!(!doc.to_string().contains(&t[6..]));
}

#[test]
fn a_token_as_an_author_s_name_is_found() {
    let t = token("pa", 401);
    let author = format!("{t} <a@example.test>");
    let (doc, commit) = after_an_empty_commit(&["-m", "clean", "--author", &author]);
    assert_at(only(&doc), "<commit message>", 3, &commit);
    assert!(!doc.to_string().contains(&t[6..]), "{doc}");
}

#[test]
fn a_token_in_an_annotated_tag_s_message_is_found_with_its_commit() {
    let dir = started();
    let p = dir.path();
    let t = token("pa", 402);
    git(p, &["tag", "-a", "v1", "-m", &format!("release\nT={t}")]);
    let doc = history(p, &[]);
    let f = only(&doc);
    // object, type, tag, tagger, a blank line, then the message.
    assert_at(f, "<tag message>", 7, &head(p));
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("in the message of tag v1"), "{message}");
}

#[test]
fn an_amended_away_token_is_found_unreachable_and_not_in_a_range() {
    let dir = started();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("\nT={}\n", token("pa", 403))).unwrap();
    commit_all(p, "a token");
    let amended = head(p);
    fs::write(p.join("a.sh"), "\nT=$TOKEN\n").unwrap();
    git(p, &["commit", "-qa", "--amend", "-m", "no token"]);
    let doc = history(p, &[]);
    let f = only(&doc);
    assert_at(f, "a.sh", 2, &amended);
    assert_eq!(f["commit"]["unreachable"], true);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("unreachable"), "{message}");
    let sarif = common::tokenlint(p, &["scan", "--history", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let properties = &sarif["runs"][0]["results"][0]["properties"];
    assert_eq!(properties["commit"], amended.as_str(), "{properties}");
    assert_eq!(properties["unreachable"], true, "{properties}");
    assert_eq!(properties["versions"], 1, "{properties}");
    // A range is the commits it names: what no ref reaches is not in it.
    let first = git_out(p, &["rev-list", "--max-parents=0", "HEAD"]);
    let ranged = history(p, &["--since", &first]);
    assert_eq!(ranged["findings"].as_array().unwrap().len(), 0, "{ranged}");
    let branch = history(p, &["--branch", "HEAD"]);
    assert_eq!(branch["findings"].as_array().unwrap().len(), 0, "{branch}");
}

#[test]
fn a_token_only_a_stash_holds_is_found_and_a_dropped_one_is_unreachable() {
    let dir = started();
    let p = dir.path();
    fs::write(p.join("README.md"), format!("T={}\n", token("pa", 404))).unwrap();
    git(p, &["stash", "-q"]);
    let stash = git_out(p, &["rev-parse", "stash@{0}"]);
    assert_eq!(
        fs::read_to_string(p.join("README.md")).unwrap(),
        "nothing here\n"
    );
    let f = only(&history(p, &[])).clone();
    assert_at(&f, "README.md", 1, &stash);
    assert_eq!(f["commit"]["unreachable"], false);
    git(p, &["stash", "drop", "-q"]);
    let f = only(&history(p, &[])).clone();
    assert_at(&f, "README.md", 1, &stash);
    assert_eq!(f["commit"]["unreachable"], true);
}

#[test]
fn a_dangling_blob_is_found_unreachable_and_named() {
    let dir = started();
    let p = dir.path();
    let file = p.join("never-committed");
    fs::write(&file, format!("T={}\n", token("pa", 405))).unwrap();
    let oid = git_out(p, &["hash-object", "-w", file.to_str().unwrap()]);
    fs::remove_file(file).unwrap();
    let f = only(&history(p, &[])).clone();
    assert_eq!(f["path"], format!("<unreachable blob {}>", &oid[..10]));
    assert_eq!(
        (f["line"].as_u64(), f["rule_id"].as_str()),
        (Some(1), Some(RULE))
    );
    assert!(f["commit"].is_null());
}

#[test]
fn one_secret_in_five_versions_of_a_file_is_one_finding() {
    let dir = started();
    let p = dir.path();
    let t = token("pa", 406);
    let mut first = String::new();
    for version in 0..5 {
        fs::write(p.join("a.env"), format!("V={version}\nT={t}\n")).unwrap();
        commit_all(p, &format!("version {version}"));
        if version == 0 {
            first = head(p);
        }
    }
    let doc = history(p, &[]);
    let f = only(&doc);
    assert_at(f, "a.env", 2, &first);
    assert_eq!(f["commit"]["versions"], 5);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("the same in 5 versions"), "{message}");
}

#[test]
fn a_blob_at_an_ignored_path_is_still_judged_at_the_others() {
    let dir = started();
    let p = dir.path();
    let content = format!("T={}\n", token("pa", 407));
    fs::write(p.join(".tokenlintignore"), "ignored/\n").unwrap();
    fs::create_dir(p.join("ignored")).unwrap();
    fs::write(p.join("ignored/a.env"), &content).unwrap();
    commit_all(p, "ignored first");
    fs::create_dir(p.join("src")).unwrap();
    fs::write(p.join("src/prod.env"), &content).unwrap();
    commit_all(p, "then in src");
    let f = only(&history(p, &[])).clone();
    assert_at(&f, "src/prod.env", 1, &head(p));
}

#[test]
fn a_blob_at_two_paths_is_two_findings() {
    let dir = started();
    let p = dir.path();
    let content = format!("T={}\n", token("pa", 408));
    fs::write(p.join("a.env"), &content).unwrap();
    commit_all(p, "one");
    let one = head(p);
    fs::write(p.join("b.env"), &content).unwrap();
    commit_all(p, "two");
    let doc = history(p, &[]);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{doc}");
    assert_at(&findings[0], "a.env", 1, &one);
    assert_at(&findings[1], "b.env", 1, &head(p));
}
