//! `scan --history` reads every git object: commit messages, authors and committers, tag
//! messages, what no ref reaches; and reports one finding per secret and place.

use std::fs;
use std::path::Path;

use crate::common;
#[cfg(unix)]
use crate::git::{absolute_path, git_but};
use crate::git::{commit_all, exits, git_out, history};
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

/// A history with something of every kind: versions of one file (which a pack stores as
/// deltas), a token in an old version, in a gzip file, at the end of a blob of 5 MiB, in
/// a commit's message, in an annotated tag's, in an amended-away commit, and in a blob
/// never committed.
fn every_kind_of_object() -> tempfile::TempDir {
    let dir = started();
    let p = dir.path();
    let inner = format!("T={}\n", token("pa", 427));
    fs::write(p.join("config.gz"), crate::archives::gzip(inner.as_bytes())).unwrap();
    let mut large = "log line\n".repeat(5 << 17);
    large.push_str(&format!("T={}\n", token("pa", 428)));
    fs::write(p.join("large.log"), large).unwrap();
    commit_all(p, "an archive and a large log");
    let lines: Vec<String> = (0..200).map(|i| format!("setting_{i} = {i}\n")).collect();
    for version in 0..6u32 {
        let mut text = lines.concat();
        if version == 2 {
            text.push_str(&format!("T={}\n", token("pa", 420)));
        }
        text.push_str(&format!("version = {version}\n"));
        fs::write(p.join("settings.txt"), text).unwrap();
        commit_all(p, &format!("version {version}"));
    }
    let message = format!("deploy\n\nT={}", token("pa", 421));
    git(p, &["commit", "-q", "--allow-empty", "-m", &message]);
    let tag = format!("release\n\nT={}", token("pa", 422));
    git(p, &["tag", "-a", "v1", "-m", &tag]);
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 423))).unwrap();
    commit_all(p, "a token");
    fs::write(p.join("a.sh"), "T=$TOKEN\n").unwrap();
    git(p, &["commit", "-qa", "--amend", "-m", "no token"]);
    let file = p.join("never-committed");
    fs::write(&file, format!("T={}\n", token("pa", 424))).unwrap();
    git_out(p, &["hash-object", "-w", file.to_str().unwrap()]);
    fs::remove_file(file).unwrap();
    dir
}

/// Every pack of the repository at `p` unpacked into loose objects, and removed, with its
/// index and what else git keeps beside it.
fn unpack_all(p: &Path) {
    let pack_dir = p.join(".git/objects/pack");
    let files: Vec<_> = fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for path in &files {
        if path.extension().is_some_and(|e| e == "pack") {
            let aside = p.join("aside.pack");
            fs::rename(path, &aside).unwrap();
            let status = std::process::Command::new("git")
                .current_dir(p)
                .args(["unpack-objects", "-q"])
                .stdin(fs::File::open(&aside).unwrap())
                .status()
                .unwrap();
            assert!(status.success());
            fs::remove_file(aside).unwrap();
        }
    }
    for path in files.iter().filter(|path| path.exists()) {
        fs::remove_file(path).unwrap();
    }
}

#[test]
fn a_packed_history_is_reported_as_its_loose_objects_are() {
    // Packed (with deltas, the unreachable objects kept), then one commit more, loose:
    // what the process reads of the packs itself is reported as git's reading of the
    // same objects, all loose.
    let dir = every_kind_of_object();
    let p = dir.path();
    git(p, &["repack", "-q", "-a", "-d", "-f", "--keep-unreachable"]);
    let packed = fs::read_dir(p.join(".git/objects/pack")).unwrap().count();
    assert!(packed >= 2, "a pack and its index");
    fs::write(p.join("b.sh"), format!("T={}\n", token("pa", 425))).unwrap();
    commit_all(p, "loose");
    let mixed = history(p, &[]);
    unpack_all(p);
    assert_eq!(
        fs::read_dir(p.join(".git/objects/pack")).unwrap().count(),
        0
    );
    let loose = history(p, &[]);
    assert_eq!(mixed, loose);
    let paths = common::finding_paths(&mixed);
    for path in [
        "settings.txt",
        "large.log",
        "<commit message>",
        "<tag message>",
        "a.sh",
        "b.sh",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }
    assert!(
        paths.iter().any(|p| p.starts_with("config.gz")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.starts_with("<unreachable blob ")),
        "{paths:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_packed_history_is_read_in_the_process_and_a_sha256_one_by_git() {
    // With no `git cat-file --batch` to read them, a packed history is read whole (every
    // commit and blob counted), by the process itself. A SHA-256 repository's packs are
    // git's to read: that git is needed shows that they are not read here.
    let scan = |p: &Path, bin: &Path| {
        common::Tokenlint::new(p)
            .args(["scan", "--history", "--format", "json"])
            .env("PATH", format!("{}:{}", bin.display(), absolute_path()))
            .output()
            .unwrap()
    };
    let bin = tempfile::tempdir().unwrap();
    // A `git` that refuses to read objects with `git cat-file --batch`.
    git_but(bin.path(), "--batch", "exit 1");
    let dir = started();
    let p = dir.path();
    for i in 0..3 {
        fs::write(p.join("notes.txt"), format!("note {i}\n")).unwrap();
        commit_all(p, &format!("note {i}"));
    }
    git(p, &["repack", "-q", "-a", "-d"]);
    let out = scan(p, bin.path());
    exits(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Four commits, the README and three versions of the notes.
    assert_eq!(doc["summary"]["files"], 8, "{doc}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "--object-format=sha256"]);
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 426))).unwrap();
    commit_all(p, "a token");
    git(p, &["repack", "-q", "-a", "-d"]);
    assert_eq!(scan(p, bin.path()).status.code(), Some(2));
    let f = only(&history(p, &[])).clone();
    assert_at(&f, "a.sh", 1, &head(p));
}

#[test]
fn a_corrupt_pack_is_an_error_not_a_pass() {
    // Bytes of the pack overwritten: what cannot be decoded is asked of git, which says
    // the pack is corrupt; the scan fails (exit 2), it never passes, nor panics.
    let dir = every_kind_of_object();
    let p = dir.path();
    git(p, &["repack", "-q", "-a", "-d", "-f"]);
    let pack = fs::read_dir(p.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let mut bytes = fs::read(&pack).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b = 0xff;
    }
    let mut perms = fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&pack, perms).unwrap();
    fs::write(&pack, bytes).unwrap();
    let out = common::tokenlint(p, &["scan", "--history", "--format", "json"]);
    let stderr = exits(&out, 2);
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
}

/// A repository whose one pack holds a blob of some 300 bytes, `a.sh`, ending in a token.
fn a_packed_token() -> tempfile::TempDir {
    let dir = started();
    let p = dir.path();
    let mut text = "# settings\n".repeat(20);
    text.push_str(&format!("T={}\n", token("pa", 429)));
    assert!(
        (256..2048).contains(&text.len()),
        "a size of two bytes in the header"
    );
    fs::write(p.join("a.sh"), &text).unwrap();
    commit_all(p, "a token");
    git(p, &["repack", "-q", "-a", "-d", "-f"]);
    dir
}

/// The index of the one pack of the repository at `p`.
fn pack_index(p: &Path) -> std::path::PathBuf {
    fs::read_dir(p.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|e| e == "idx"))
        .unwrap()
}

/// The pack of the index `index`, written to `to` with the entry of `a.sh`'s blob made
/// to claim 16 bytes fewer than its zlib stream holds: it inflates, cut short before its
/// token, which only the stream's end or the object's id tell.
fn cut_short(p: &Path, index: &Path, to: &Path) {
    let blob = git_out(p, &["rev-parse", "HEAD:a.sh"]);
    let shown = std::process::Command::new("git")
        .current_dir(p)
        .arg("show-index")
        .stdin(fs::File::open(index).unwrap())
        .output()
        .unwrap();
    let listing = String::from_utf8(shown.stdout).unwrap();
    let offset: usize = listing
        .lines()
        .find(|line| line.contains(&blob))
        .and_then(|line| line.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    let pack = index.with_extension("pack");
    let mut bytes = fs::read(&pack).unwrap();
    // The type and the size's low four bits, then its next seven: 16 bytes fewer.
    assert_eq!(bytes[offset] & 0xf0, 0xb0, "a blob, its size continued");
    bytes[offset + 1] -= 1;
    if to.exists() {
        let mut perms = fs::metadata(to).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(to, perms).unwrap();
    }
    fs::write(to, bytes).unwrap();
}

#[test]
fn a_pack_entry_shorter_than_its_stream_is_an_error_not_a_pass() {
    // git says the object is corrupt; the scan fails (exit 2), it never passes on the
    // cut bytes.
    let dir = a_packed_token();
    let p = dir.path();
    let index = pack_index(p);
    cut_short(p, &index, &index.with_extension("pack"));
    let out = common::tokenlint(p, &["scan", "--history", "--format", "json"]);
    let stderr = exits(&out, 2);
    assert!(stderr.contains("corrupt"), "{stderr}");
}

#[test]
fn a_corrupt_copy_of_a_pack_beside_the_pack_hides_nothing() {
    // A copy of the pack, its blob cut short, older than the pack (git reads the newer
    // one first, and finds nothing wrong): read after the pack, it does not replace what
    // the pack gave. The report is the repository's without the copy.
    let dir = a_packed_token();
    let p = dir.path();
    let sound = history(p, &[]);
    assert_eq!(common::finding_paths(&sound), ["a.sh"]);
    let index = pack_index(p);
    let copy = index.with_file_name(format!("pack-{}.idx", "f".repeat(40)));
    fs::copy(&index, &copy).unwrap();
    cut_short(p, &index, &copy.with_extension("pack"));
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
    for file in [&copy, &copy.with_extension("pack")] {
        fs::File::options()
            .append(true)
            .open(file)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    assert_eq!(history(p, &[]), sound);
}
