//! `scan --staged`, `scan --hook` and `install-hook`, in real temporary git repositories.

use std::fs;
use std::path::Path;

use crate::common;
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
    assert!(text.contains("exec tokenlint scan --staged --hook --\n"));
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

pub(crate) fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message, "--no-verify"]);
}

pub(crate) fn history(dir: &Path, args: &[&str]) -> serde_json::Value {
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
    // The same blob under two paths is judged at each: two places, two findings.
    assert_eq!(
        rules,
        [
            "remotive-personal-access-token",
            "remotive-personal-access-token",
            "token-file-outside-store"
        ],
        "{doc}"
    );
    assert_eq!(
        common::finding_paths(&doc),
        ["a.sh", "copy.sh", "personal-token-ci.json"]
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
    // Told as git tells it, by the `shallow` file of the common git directory: a linked
    // worktree of the shallow clone is shallow too, and the full repository is not.
    let worktree = clone.path().join("wt");
    git(
        &target,
        &["worktree", "add", "-q", worktree.to_str().unwrap()],
    );
    let out = tokenlint(&worktree, &["scan", "--history", "--format", "json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("shallow clone"));
    let out = tokenlint(p, &["scan", "--history", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("shallow clone"), "{stderr}");
    // Unless `GIT_SHALLOW_FILE` names one, as `receive-pack` does for a shallow push.
    let out = common::Tokenlint::new(p)
        .env("GIT_SHALLOW_FILE", target.join(".git/shallow"))
        .args(["scan", "--history", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shallow clone"), "{stderr}");
}

/// Runs git in `dir` and returns its standard output, trimmed.
pub(crate) fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Deletes the loose object `oid` from the repository in `dir`.
fn lose_object(dir: &Path, oid: &str) {
    fs::remove_file(dir.join(".git/objects").join(&oid[..2]).join(&oid[2..])).unwrap();
}

/// A repository whose configuration names a command for everything git could run: each
/// leaves a marker in `markers` when run. It has a token staged, a token committed, a
/// signed-looking commit, and (a partial clone) a committed and a staged blob it lacks.
fn hostile_repo(markers: &Path) -> tempfile::TempDir {
    let script = |name: &str| {
        let path = markers.join(format!("{name}.sh"));
        let marker = markers.join(format!("ran-{name}"));
        fs::write(
            &path,
            format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        }
        path.display().to_string()
    };
    let dir = repo();
    let p = dir.path();
    fs::write(p.join(".gitattributes"), "* filter=x diff=x\n").unwrap();
    fs::write(p.join("old.sh"), format!("T={}\n", token("pa", 40))).unwrap();
    fs::write(p.join("gone.md"), "lost\n").unwrap();
    commit_all(p, "tokens");
    lose_object(p, &git_out(p, &["rev-parse", "HEAD:gone.md"]));
    let commit = format!(
        "tree {}\nparent {}\nauthor t <t@example.test> 1700000000 +0000\n\
         committer t <t@example.test> 1700000000 +0000\n\
         gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n\
         signed\n",
        git_out(p, &["rev-parse", "HEAD^{tree}"]),
        git_out(p, &["rev-parse", "HEAD"]),
    );
    fs::write(markers.join("commit.txt"), commit).unwrap();
    let signed = git_out(
        p,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            markers.join("commit.txt").to_str().unwrap(),
        ],
    );
    git(p, &["update-ref", "refs/heads/signed", &signed]);
    fs::write(p.join("new.sh"), format!("T={}\n", token("pa", 41))).unwrap();
    fs::write(p.join("lost.md"), "lost too\n").unwrap();
    git(p, &["add", "new.sh", "lost.md"]);
    lose_object(p, &git_out(p, &["rev-parse", ":lost.md"]));
    git(markers, &["init", "-q", "--bare", "origin.git"]);
    let hooks = p.join(".git/evil-hooks");
    fs::create_dir(&hooks).unwrap();
    for hook in ["post-index-change", "reference-transaction", "pre-commit"] {
        fs::copy(script("hook"), hooks.join(hook)).unwrap();
        fs::copy(script("hook"), p.join(".git/hooks").join(hook)).unwrap();
    }
    let config = format!(
        "[core]\n\trepositoryformatversion = 1\n\tfsmonitor = {}\n\tpager = {}\n\
         \tsshCommand = {}\n\taskPass = {}\n\thooksPath = {}\n\
         [extensions]\n\tpartialClone = origin\n\
         [remote \"origin\"]\n\turl = {}\n\tpromisor = true\n\tuploadpack = {}\n\
         [pager]\n\tdiff = {}\n\tlog = {}\n\
         [diff]\n\texternal = {}\n\
         [diff \"x\"]\n\tcommand = {}\n\ttextconv = {}\n\
         [filter \"x\"]\n\tclean = {}\n\tsmudge = {}\n\tprocess = {}\n\
         [gpg]\n\tprogram = {}\n[gpg \"ssh\"]\n\tprogram = {}\n\
         [log]\n\tshowSignature = true\n\
         [credential]\n\thelper = !{}\n",
        script("fsmonitor"),
        script("pager"),
        script("ssh"),
        script("askpass"),
        hooks.display(),
        markers.join("origin.git").display(),
        script("uploadpack"),
        script("diff-pager"),
        script("diff-pager"),
        script("external-diff"),
        script("diff-driver"),
        script("textconv"),
        script("clean"),
        script("smudge"),
        script("process"),
        script("gpg"),
        script("gpg-ssh"),
        script("credential"),
    );
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(p.join(".git/config"))
        .unwrap();
    std::io::Write::write_all(&mut file, config.as_bytes()).unwrap();
    dir
}

/// The markers the hostile repository's commands left.
fn ran(markers: &Path) -> Vec<String> {
    let mut ran: Vec<String> = fs::read_dir(markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_prefix("ran-").map(str::to_string))
        .collect();
    ran.sort();
    ran
}

/// Asserts that tokenlint exited with `code`, and returns its standard error.
pub(crate) fn exits(out: &std::process::Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    stderr
}

/// Runs tokenlint with `args` in a fresh hostile repository, and asserts that it ran none of
/// the repository's commands.
fn in_hostile_repo(args: &[&str]) -> std::process::Output {
    let markers = tempfile::tempdir().unwrap();
    let dir = hostile_repo(markers.path());
    assert_eq!(ran(markers.path()), Vec::<String>::new(), "the setup");
    let out = tokenlint(dir.path(), args);
    assert_eq!(ran(markers.path()), Vec::<String>::new(), "{args:?}");
    out
}

#[test]
fn a_hostile_git_config_runs_nothing_in_a_staged_scan() {
    let out = in_hostile_repo(&["scan", "--staged"]);
    // The staged blob that the clone lacks is not fetched: it is an error.
    let stderr = exits(&out, 2);
    assert!(stderr.contains("lost.md"), "{stderr}");
}

#[test]
fn a_hostile_git_config_runs_nothing_in_a_history_scan() {
    let out = in_hostile_repo(&["scan", "--history", "--format", "json"]);
    let stderr = exits(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::finding_paths(&doc), ["old.sh"]);
    assert!(
        stderr.contains("is not in this clone (a partial clone?): not fetched"),
        "{stderr}"
    );
}

#[test]
fn a_hostile_git_config_runs_nothing_in_install_hook() {
    exits(&in_hostile_repo(&["install-hook", "--force"]), 0);
}

#[test]
fn staged_reads_a_name_with_a_colon_as_a_name() {
    // Read as `:2:config.env`, it was stage 2 of `config.env`: no such blob, and a pass.
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("config.env"), "clean\n").unwrap();
    fs::write(p.join("2:config.env"), format!("T={}\n", token("pa", 42))).unwrap();
    git(p, &["add", "."]);
    let (code, paths, _) = staged_paths(p);
    assert_eq!((code, paths), (1, vec!["2:config.env".to_string()]));
}

#[cfg(unix)]
#[test]
fn staged_scans_a_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let p = dir.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.env");
    fs::write(p.join(name), format!("T={}\n", token("sa", 43))).unwrap();
    git(p, &["add", "."]);
    let (code, paths, _) = staged_paths(p);
    assert_eq!((code, paths), (1, vec!["caf\u{FFFD}.env".to_string()]));
}

#[test]
fn an_unreadable_staged_blob_is_an_error() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 44))).unwrap();
    git(p, &["add", "a.sh"]);
    let oid = git_out(p, &["rev-parse", ":a.sh"]);
    lose_object(p, &oid);
    let stderr = exits(&tokenlint(p, &["scan", "--staged"]), 2);
    assert!(stderr.contains("a.sh") && stderr.contains(&oid), "{stderr}");
}

#[test]
fn a_staged_submodule_is_not_a_blob_to_read() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), "clean\n").unwrap();
    commit_all(p, "one");
    let commit = git_out(p, &["rev-parse", "HEAD"]);
    git(
        p,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{commit},sub"),
        ],
    );
    fs::write(p.join("b.sh"), format!("T={}\n", token("pa", 45))).unwrap();
    git(p, &["add", "b.sh"]);
    let (code, paths, stderr) = staged_paths(p);
    assert_eq!((code, paths), (1, vec!["b.sh".to_string()]), "{stderr}");
}

/// What a finding is, but for where it came from.
fn places(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].to_string();
            [
                "rule_id",
                "path",
                "line",
                "column",
                "end_line",
                "end_column",
                "encoding",
                "fingerprint",
            ]
            .map(field)
            .join(" ")
        })
        .collect()
}

#[test]
fn a_large_blob_is_scanned_in_windows_like_a_large_file() {
    let dir = repo();
    let p = dir.path();
    let line = b"2026-11-29T08:00:00Z INFO request took 12ms and nothing else\n";
    let mut data: Vec<u8> = line.iter().copied().cycle().take(9 << 20).collect();
    // One token across the first window's end, one near the end of the blob.
    let across = format!(" T={} ", token("pa", 46));
    let at = (4 << 20) - 20;
    data[at..at + across.len()].copy_from_slice(across.as_bytes());
    let last = format!(" T={} ", token("sa", 47));
    let at = data.len() - 100;
    data[at..at + last.len()].copy_from_slice(last.as_bytes());
    fs::write(p.join("big.log"), &data).unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = tokenlint(p, args);
        exits(&out, 1);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let file = places(&json(&["scan", "--format", "json", "big.log"]));
    assert_eq!(file.len(), 2, "{file:?}");
    git(p, &["add", "big.log"]);
    assert_eq!(
        places(&json(&["scan", "--staged", "--format", "json"])),
        file
    );
    commit_all(p, "big");
    assert_eq!(
        places(&json(&["scan", "--history", "--format", "json"])),
        file
    );
}

/// A repository where `leak.sh`, with a token, was committed and then deleted, and another
/// commit followed.
fn deleted_leak() -> tempfile::TempDir {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("leak.sh"), format!("T={}\n", token("pa", 48))).unwrap();
    commit_all(p, "leak");
    fs::remove_file(p.join("leak.sh")).unwrap();
    commit_all(p, "remove it");
    fs::write(p.join("clean.sh"), "clean\n").unwrap();
    commit_all(p, "more");
    dir
}

#[test]
fn history_sees_through_a_replace_ref() {
    let dir = deleted_leak();
    let p = dir.path();
    let leak = git_out(p, &["rev-parse", "HEAD~2:leak.sh"]);
    let clean = git_out(p, &["rev-parse", "HEAD:clean.sh"]);
    git(p, &["replace", &leak, &clean]);
    assert_eq!(common::finding_paths(&history(p, &[])), ["leak.sh"]);
}

#[test]
fn history_sees_through_a_graft() {
    let dir = deleted_leak();
    let p = dir.path();
    // The commit that removed the token, grafted without parents, hides the one that added it.
    let removal = git_out(p, &["rev-parse", "HEAD~1"]);
    fs::write(p.join(".git/info/grafts"), format!("{removal}\n")).unwrap();
    assert_eq!(common::finding_paths(&history(p, &[])), ["leak.sh"]);
}

#[test]
fn history_names_the_commit_whatever_the_log_config() {
    let dir = deleted_leak();
    let p = dir.path();
    git(p, &["config", "log.showRoot", "false"]);
    git(p, &["config", "i18n.logOutputEncoding", "UTF-16"]);
    let doc = history(p, &[]);
    let commit = &doc["findings"][0]["commit"];
    assert_eq!(commit["path"], "leak.sh", "{doc}");
    assert!(commit["author"]
        .as_str()
        .unwrap()
        .contains("t@example.test"));
}

/// Runs tokenlint in `dir` as [`tokenlint`] does, with `env` set.
fn tokenlint_env(dir: &Path, env: &[(&str, &Path)], args: &[&str]) -> std::process::Output {
    common::Tokenlint::new(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// A private repository with a token committed and another staged, and beside it a
/// directory `sent` that someone sent: its `.git` is made by `make_dot_git`.
fn sent_beside_private(make_dot_git: impl Fn(&Path, &Path)) -> tempfile::TempDir {
    let top = tempfile::tempdir().unwrap();
    let private = top.path().join("private");
    fs::create_dir(&private).unwrap();
    git(&private, &["init", "-q"]);
    fs::write(private.join("mine.sh"), format!("T={}\n", token("pa", 50))).unwrap();
    commit_all(&private, "private");
    fs::write(
        private.join("staged.sh"),
        format!("T={}\n", token("pa", 51)),
    )
    .unwrap();
    git(&private, &["add", "staged.sh"]);
    let sent = top.path().join("sent");
    fs::create_dir(&sent).unwrap();
    make_dot_git(&sent, &private.join(".git"));
    top
}

/// Makes `sent/.git` a file that names the git directory `private`.
fn gitdir_file(sent: &Path, private: &Path) {
    fs::write(
        sent.join(".git"),
        format!("gitdir: {}\n", private.display()),
    )
    .unwrap();
}

/// Asserts that every command refuses the repository `sent` hands git, and reads or writes
/// nothing of it.
fn refuses_the_private_repository(top: &Path) {
    let sent = top.join("sent");
    for args in [
        &["scan", "--history"][..],
        &["scan", "--staged"],
        &["install-hook"],
    ] {
        let out = tokenlint(&sent, args);
        let stderr = exits(&out, 2);
        assert!(stderr.contains("refused"), "{args:?}: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains("mine.sh") && !stdout.contains("staged.sh"),
            "{args:?}: {stdout}"
        );
    }
    assert!(!top.join("private/.git/hooks/pre-commit").exists());
}

#[test]
fn a_gitdir_file_naming_another_repository_is_refused() {
    let top = sent_beside_private(gitdir_file);
    refuses_the_private_repository(top.path());
    let sent = top.path().join("sent");
    let stderr = exits(&tokenlint(&sent, &["scan", "--history"]), 2);
    assert!(
        stderr.contains("private") && stderr.contains("sent"),
        "both paths are named: {stderr}"
    );
    // The user may say so: `--force` for the hook, `GIT_DIR` for anything.
    exits(&tokenlint(&sent, &["install-hook", "--force"]), 0);
    assert!(top.path().join("private/.git/hooks/pre-commit").is_file());
    let git_dir = top.path().join("private/.git");
    let out = tokenlint_env(
        &sent,
        &[("GIT_DIR", &git_dir)],
        &["scan", "--history", "--format", "json"],
    );
    exits(&out, 1);
}

#[test]
fn a_commondir_or_linked_refs_out_of_the_repository_are_refused() {
    let top = sent_beside_private(|sent, private| {
        git(sent, &["init", "-q"]);
        fs::write(sent.join(".git/commondir"), private.display().to_string()).unwrap();
    });
    refuses_the_private_repository(top.path());
    #[cfg(unix)]
    {
        let top = sent_beside_private(|sent, private| {
            git(sent, &["init", "-q"]);
            for name in ["refs", "objects"] {
                fs::remove_dir_all(sent.join(".git").join(name)).unwrap();
                std::os::unix::fs::symlink(private.join(name), sent.join(".git").join(name))
                    .unwrap();
            }
        });
        refuses_the_private_repository(top.path());
    }
}

#[test]
fn a_linked_worktree_and_a_submodule_are_scanned() {
    let dir = repo();
    let main = dir.path().join("main");
    fs::create_dir(&main).unwrap();
    git(&main, &["init", "-q"]);
    fs::write(main.join("a.sh"), format!("T={}\n", token("pa", 52))).unwrap();
    commit_all(&main, "a token");
    let linked = dir.path().join("linked");
    git(&main, &["worktree", "add", "-q", linked.to_str().unwrap()]);
    fs::write(linked.join("b.sh"), format!("T={}\n", token("pa", 53))).unwrap();
    git(&linked, &["add", "b.sh"]);
    assert_eq!(staged_paths(&linked).1, ["b.sh"]);
    assert_eq!(common::finding_paths(&history(&linked, &[])), ["a.sh"]);
    exits(&tokenlint(&linked, &["install-hook"]), 0);
    assert!(main.join(".git/hooks/pre-commit").is_file());

    let outer = dir.path().join("outer");
    fs::create_dir(&outer).unwrap();
    git(&outer, &["init", "-q"]);
    let url = format!("file://{}", main.display());
    git(
        &outer,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            &url,
            "sub",
        ],
    );
    let sub = outer.join("sub");
    assert!(sub.join(".git").is_file(), "a submodule's .git is a file");
    assert_eq!(common::finding_paths(&history(&sub, &[])), ["a.sh"]);
    fs::write(sub.join("c.sh"), format!("T={}\n", token("pa", 54))).unwrap();
    git(&sub, &["add", "c.sh"]);
    assert_eq!(staged_paths(&sub).1, ["c.sh"]);
    exits(&tokenlint(&sub, &["install-hook"]), 0);
    assert!(outer.join(".git/modules/sub/hooks/pre-commit").is_file());
}

/// Commits in `dir` with `git commit ARGS`, the hook tokenlint installed running the
/// tokenlint under test; whether git accepted the commit.
fn commit_through_the_hook(dir: &Path, home: &Path, args: &[&str]) -> bool {
    let bin = Path::new(common::BIN).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    common::Tokenlint::via(dir, "git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.test",
            "commit",
        ])
        .args(args)
        .env("PATH", path)
        .env("HOME", home)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn the_installed_hook_refuses_a_token_in_a_commit_and_a_linked_worktree() {
    let dir = repo();
    let p = dir.path().join("r");
    fs::create_dir(&p).unwrap();
    git(&p, &["init", "-q"]);
    let home = tempfile::tempdir().unwrap();
    fs::write(p.join("a.sh"), "clean\n").unwrap();
    commit_all(&p, "clean");
    exits(&tokenlint(&p, &["install-hook"]), 0);
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 55))).unwrap();
    assert!(!commit_through_the_hook(&p, home.path(), &["-qam", "leak"]));
    fs::write(p.join("a.sh"), "clean again\n").unwrap();
    assert!(commit_through_the_hook(&p, home.path(), &["-qam", "clean"]));
    let linked = dir.path().join("linked");
    git(&p, &["worktree", "add", "-q", linked.to_str().unwrap()]);
    fs::write(linked.join("a.sh"), format!("T={}\n", token("pa", 56))).unwrap();
    assert!(!commit_through_the_hook(
        &linked,
        home.path(),
        &["-qam", "leak"]
    ));
    fs::write(linked.join("a.sh"), "clean in the worktree\n").unwrap();
    assert!(commit_through_the_hook(
        &linked,
        home.path(),
        &["-qam", "ok"]
    ));
}

/// Runs tokenlint in `dir`, killed should it run on for a minute: a test that would hang
/// fails instead. Whether it finished, and how.
#[cfg(unix)]
fn tokenlint_bounded(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    let mut cmd = common::Tokenlint::new(dir);
    let mut child = cmd
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_git_would_block_on_is_refused() {
    for (place, fifo) in [
        ("info/exclude", "info/exclude"),
        ("an included config file", "included.inc"),
    ] {
        let dir = repo();
        let p = dir.path();
        fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 57))).unwrap();
        git(p, &["add", "a.sh"]);
        commit_all(p, "a");
        let path = p.join(".git").join(fifo);
        let _ = fs::remove_file(&path);
        mkfifo(&path);
        if fifo == "included.inc" {
            git(p, &["config", "include.path", "included.inc"]);
        }
        for args in [
            &["scan", "--staged"][..],
            &["scan", "--history"],
            &["install-hook"],
        ] {
            let out = tokenlint_bounded(p, args)
                .unwrap_or_else(|| panic!("{place}, {args:?}: tokenlint blocked"));
            let stderr = exits(&out, 2);
            assert!(
                stderr.contains(fifo) && stderr.contains("not a regular file"),
                "{place}, {args:?}: {stderr}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_named_by_the_repository_config_is_not_read() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 59))).unwrap();
    git(p, &["add", "a.sh"]);
    // Outside the git directory, which may hold no FIFO.
    let elsewhere = tempfile::tempdir().unwrap();
    let fifo = elsewhere.path().join("fifo");
    mkfifo(&fifo);
    for setting in ["core.excludesFile", "core.attributesFile"] {
        git(p, &["config", setting, fifo.to_str().unwrap()]);
        let out = tokenlint_bounded(p, &["scan", "--staged"])
            .unwrap_or_else(|| panic!("{setting}: tokenlint blocked"));
        exits(&out, 1);
        git(p, &["config", "--unset", setting]);
    }
}

#[test]
fn a_lost_history_blob_is_an_error_outside_a_partial_clone() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("leak.sh"), format!("T={}\n", token("pa", 58))).unwrap();
    fs::write(p.join("other.md"), "other\n").unwrap();
    commit_all(p, "two");
    let oid = git_out(p, &["rev-parse", "HEAD:leak.sh"]);
    lose_object(p, &oid);
    let stderr = exits(&tokenlint(p, &["scan", "--history"]), 2);
    assert!(
        stderr.contains(&oid) && stderr.contains("not a partial"),
        "{stderr}"
    );
}

#[test]
fn a_large_blob_with_an_unbounded_rule_is_scanned_whole() {
    let dir = repo();
    let p = dir.path();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/unbounded-rule");
    let rules = rules.to_str().unwrap();
    // One match, longer than a window: it is found whole, as in the file.
    let mut data = b"acme_key=".to_vec();
    data.resize(9 << 20, b'x');
    data.push(b'\n');
    fs::write(p.join("big.log"), &data).unwrap();
    let json = |args: &[&str]| -> Vec<String> {
        let out = tokenlint(
            p,
            &[&["scan", "--rules", rules, "--format", "json"], args].concat(),
        );
        exits(&out, 1);
        places(&serde_json::from_slice(&out.stdout).unwrap())
    };
    let file = json(&["big.log"]);
    assert_eq!(file.len(), 1, "{file:?}");
    git(p, &["add", "big.log"]);
    assert_eq!(json(&["--staged"]), file);
    commit_all(p, "big");
    assert_eq!(json(&["--history"]), file);
}

/// A repository with a token committed in `leak.sh` and kept loose (no pack), and another
/// staged in `staged.sh`.
#[cfg(unix)]
fn committed_and_staged() -> tempfile::TempDir {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("leak.sh"), format!("T={}\n", token("pa", 60))).unwrap();
    commit_all(p, "a");
    fs::write(p.join("staged.sh"), format!("T={}\n", token("pa", 61))).unwrap();
    git(p, &["add", "staged.sh"]);
    dir
}

/// Asserts that `scan --staged` and `scan --history` in `dir` refuse, naming `named` and
/// saying `why`, rather than block.
#[cfg(unix)]
fn both_scans_refuse(dir: &Path, named: &str, why: &str) {
    for args in [&["scan", "--staged"][..], &["scan", "--history"]] {
        let out = tokenlint_bounded(dir, args)
            .unwrap_or_else(|| panic!("{named}, {args:?}: tokenlint blocked"));
        let stderr = unwrapped(&exits(&out, 2));
        assert!(
            stderr.contains(named) && stderr.contains(why),
            "{named}, {args:?}: {stderr}"
        );
    }
}

/// A message as one line, as the report wrapped it.
#[cfg(unix)]
fn unwrapped(text: &str) -> String {
    let mut joined = String::new();
    for line in text.lines().map(|l| l.trim_start_matches([' ', '│', '×'])) {
        // Broken after a hyphen or a slash, or at a space.
        if !joined.is_empty() && !joined.ends_with(['-', '/']) {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_objects_refs_or_worktrees_is_refused() {
    for name in [
        "objects/info/commit-graph",
        "objects/info/commit-graphs/commit-graph-chain",
        "objects/pack/multi-pack-index",
        "objects/pack/pack-0.pack",
        // The loose object of the committed blob.
        "objects/<leak.sh>",
        // The branch `HEAD` names.
        "refs/heads/main",
        "worktrees/w/HEAD",
    ] {
        let dir = committed_and_staged();
        let p = dir.path();
        git(p, &["branch", "-M", "main"]);
        git(p, &["worktree", "add", "-q", "--detach", "w"]);
        let name = match name {
            "objects/<leak.sh>" => {
                let oid = git_out(p, &["rev-parse", "HEAD:leak.sh"]);
                format!("objects/{}/{}", &oid[..2], &oid[2..])
            }
            _ => name.to_string(),
        };
        let fifo = p.join(".git").join(&name);
        fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&fifo);
        mkfifo(&fifo);
        both_scans_refuse(p, &name, "not a regular file");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_an_alternate_object_directory_is_refused() {
    let dir = committed_and_staged();
    let p = dir.path();
    let alternate = tempfile::tempdir().unwrap();
    let objects = alternate.path().join("objects");
    fs::create_dir_all(objects.join("info")).unwrap();
    fs::write(
        p.join(".git/objects/info/alternates"),
        format!("{}\n", objects.display()),
    )
    .unwrap();
    mkfifo(&objects.join("info/alternates"));
    let unique = alternate.path().file_name().unwrap().to_string_lossy();
    both_scans_refuse(p, &unique, "not a regular file");
}

#[cfg(unix)]
#[test]
fn a_link_among_the_objects_to_a_device_is_refused() {
    let dir = committed_and_staged();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("graph"), "not a graph").unwrap();
    let link = p.join(".git/objects/info/commit-graph");
    // Objects may lie anywhere, as alternates may (only what the refs name is read),
    // and the commit-graph is never read.
    std::os::unix::fs::symlink(outside.path().join("graph"), &link).unwrap();
    exits(&tokenlint(p, &["scan", "--history"]), 1);
    // A link to a device is a device.
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    both_scans_refuse(p, "commit-graph", "not a regular file");
}

#[test]
fn history_scans_a_blob_that_only_a_tag_names() {
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.md"), "nothing\n").unwrap();
    commit_all(p, "a");
    let blob = |seed: u32| {
        let file = p.join(format!("blob-{seed}"));
        fs::write(&file, format!("T={}\n", token("pa", seed))).unwrap();
        let oid = git_out(p, &["hash-object", "-w", file.to_str().unwrap()]);
        fs::remove_file(file).unwrap();
        oid
    };
    git(p, &["tag", "leak", &blob(62)]);
    git(p, &["tag", "-a", "-m", "m", "annotated", &blob(63)]);
    let doc = history(p, &[]);
    let mut paths = common::finding_paths(&doc);
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "<blob reachable from tag annotated>",
            "<blob reachable from tag leak>"
        ]
    );
    for finding in doc["findings"].as_array().unwrap() {
        assert!(finding["commit"].is_null(), "{finding}");
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("in no commit"), "{message}");
    }
}

/// `PATH` as the tests have it, with only its absolute directories, where git is.
pub(crate) fn absolute_path() -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<_> = std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .collect();
    std::env::join_paths(dirs)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[cfg(unix)]
#[test]
fn git_is_never_the_repository_own_git() {
    use std::os::unix::fs::PermissionsExt;
    let dir = committed_and_staged();
    let p = dir.path();
    let marker = p.join("ran-repository-git");
    let fake = p.join("git");
    fs::write(
        &fake,
        format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
    )
    .unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let absolute = absolute_path();
    for path in [format!(":{absolute}"), format!(".:{absolute}")] {
        for (args, code) in [
            (&["scan", "--staged"][..], 1),
            (&["scan", "--history"], 1),
            (&["install-hook", "--force"], 0),
        ] {
            let out = tokenlint_env(p, &[("PATH", Path::new(&path))], args);
            exits(&out, code);
            assert!(!marker.exists(), "PATH={path} {args:?} ran ./git");
        }
    }
    let out = tokenlint_env(p, &[("PATH", Path::new(".:"))], &["scan", "--staged"]);
    let stderr = exits(&out, 2);
    assert!(stderr.contains("git not found"), "{stderr}");
    assert!(!marker.exists());
}

/// A `git` first on `PATH` that is the real one, but for `git log`, whose output it makes
/// `lines` records long, as `-z` cuts them: each the file `a.sh` that one commit changes
/// to `blob`. (A whole history's scan takes the log's blobs for every blob its commits
/// hold: the log must stay true to the repository.)
#[cfg(unix)]
fn git_with_a_long_log(bin: &Path, commit: &str, blob: &str, lines: u64) {
    let zero = "0".repeat(40);
    let log = format!(
        "printf '\\001{commit}\\0002026-01-01T00:00:00Z\\000t <t@example.test>\\n'\n    \
         yes ':100644 100644 {zero} {blob} M|a.sh' | head -n {lines} | tr '|\\n' '\\0\\0'\n    \
         exit 0"
    );
    git_but(bin, "log", &log);
}

/// A `git` in `bin` that is the real one, first on `PATH`, but runs the shell commands
/// `instead` when one of its arguments is `arg`.
#[cfg(unix)]
pub(crate) fn git_but(bin: &Path, arg: &str, instead: &str) {
    use std::os::unix::fs::PermissionsExt;
    let real = std::env::split_paths(&absolute_path())
        .map(|d| d.join("git"))
        .find(|g| g.is_file())
        .unwrap();
    let script = format!(
        "#!/bin/sh\nfor a; do\n  if [ \"$a\" = {arg} ]; then\n    {instead}\n  fi\ndone\n\
         exec '{}' \"$@\"\n",
        real.display()
    );
    let fake = bin.join("git");
    fs::write(&fake, script).unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_history_log_of_millions_of_lines_is_read_as_it_comes() {
    // A tree of 2,000 directories that are one tree of 2,000 files makes `git log --raw`
    // print four million lines from a repository of a few kilobytes. Here git's part is
    // played by `yes`, so that only tokenlint's memory is bounded (`ulimit -d`), and it
    // must not hold git's output (some 180 MB) whole.
    let dir = repo();
    let p = dir.path();
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 64))).unwrap();
    commit_all(p, "a");
    let bin = tempfile::tempdir().unwrap();
    // The log's commit is a real one: its message is read, as every commit's is.
    let head = git_out(p, &["rev-parse", "HEAD"]);
    let blob = git_out(p, &["rev-parse", "HEAD:a.sh"]);
    git_with_a_long_log(bin.path(), &head, &blob, 2_000_000);
    let path = format!("{}:{}", bin.path().display(), absolute_path());
    let out = common::Tokenlint::via(p, "sh")
        .args(["-c", "ulimit -d 131072 && exec \"$@\"", "sh"])
        .arg(common::BIN)
        .args(["scan", "--history", "--format", "json"])
        .env("PATH", path)
        .output()
        .unwrap();
    exits(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::finding_paths(&doc), ["a.sh"]);
}

#[test]
fn a_commit_author_of_megabytes_is_cut_short() {
    // A commit object made by hand, whose author's name is 4 MB long, adds ten blobs
    // with a token each: the author is cut once, when the log is read, not carried
    // whole by every finding.
    let dir = repo();
    let p = dir.path();
    for i in 0..10 {
        fs::write(
            p.join(format!("f{i}.sh")),
            format!("T={}\n", token("pa", 300 + i)),
        )
        .unwrap();
    }
    git(p, &["add", "-A"]);
    let tree = git_out(p, &["write-tree"]);
    let name = "n".repeat(4 << 20);
    let object = format!(
        "tree {tree}\nauthor {name} <t@example.test> 1764000000 +0000\n\
         committer c <c@example.test> 1764000000 +0000\n\nhuge author\n"
    );
    let object_file = p.join(".git/huge-commit");
    fs::write(&object_file, object).unwrap();
    let commit = git_out(
        p,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            object_file.to_str().unwrap(),
        ],
    );
    fs::remove_file(&object_file).unwrap();
    git(p, &["update-ref", "HEAD", &commit]);
    let doc = history(p, &[]);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        10,
        "{}",
        &doc.to_string()[..2000.min(doc.to_string().len())]
    );
    for f in findings {
        let author = f["commit"]["author"].as_str().unwrap();
        assert!(
            author.starts_with("nnnn"),
            "{}",
            &author[..100.min(author.len())]
        );
        assert!(author.chars().count() <= 201, "{} characters", author.len());
    }
}

/// A repository with a token committed and another staged.
fn committed_and_staged_tokens(p: &Path) {
    fs::write(p.join("a.sh"), format!("T={}\n", token("pa", 310))).unwrap();
    commit_all(p, "a");
    fs::write(p.join("b.sh"), format!("T={}\n", token("pa", 311))).unwrap();
    git(p, &["add", "b.sh"]);
}

/// Asserts that `scan --staged`, `scan --history` and `install-hook --force` accept the
/// repository around `dir` (with `env`), and find its tokens.
fn all_commands_accept(dir: &Path, env: &[(&str, &Path)]) {
    let run = |args: &[&str]| tokenlint_env(dir, env, args);
    let staged = run(&["scan", "--staged", "--format", "json"]);
    exits(&staged, 1);
    let doc: serde_json::Value = serde_json::from_slice(&staged.stdout).unwrap();
    assert_eq!(common::finding_paths(&doc), ["b.sh"]);
    let history = run(&["scan", "--history", "--format", "json"]);
    exits(&history, 1);
    let doc: serde_json::Value = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(common::finding_paths(&doc), ["a.sh"]);
    exits(&run(&["install-hook", "--force"]), 0);
}

#[cfg(unix)]
#[test]
fn hooks_and_excludes_shared_from_dotfiles_are_accepted() {
    use std::os::unix::fs::symlink;
    let dir = repo();
    let p = dir.path().join("r");
    fs::create_dir(&p).unwrap();
    git(&p, &["init", "-q"]);
    committed_and_staged_tokens(&p);
    let dotfiles = dir.path().join("dotfiles");
    fs::create_dir_all(dotfiles.join("hooks")).unwrap();
    fs::write(dotfiles.join("exclude"), "*.log\n").unwrap();
    fs::write(dotfiles.join("description"), "mine\n").unwrap();
    fs::remove_dir_all(p.join(".git/hooks")).unwrap();
    symlink(dotfiles.join("hooks"), p.join(".git/hooks")).unwrap();
    fs::remove_file(p.join(".git/info/exclude")).unwrap();
    symlink(dotfiles.join("exclude"), p.join(".git/info/exclude")).unwrap();
    fs::remove_file(p.join(".git/description")).unwrap();
    symlink(dotfiles.join("description"), p.join(".git/description")).unwrap();
    all_commands_accept(&p, &[]);
    // Still refused: a link to a directory where git reads a file whole.
    fs::remove_file(p.join(".git/info/exclude")).unwrap();
    symlink(&dotfiles, p.join(".git/info/exclude")).unwrap();
    let stderr = exits(&tokenlint(&p, &["scan", "--history"]), 2);
    assert!(stderr.contains("exclude"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_dot_git_link_linked_objects_and_a_worktree_s_submodule_are_accepted() {
    use std::os::unix::fs::symlink;
    // Not `repo()`: a `.git` link into a working tree is refused.
    let dir = tempfile::tempdir().unwrap();
    // `.git` a link to a git directory in no working tree, as Google's `repo` makes them.
    let linked = dir.path().join("client/linked");
    fs::create_dir_all(&linked).unwrap();
    let projects = dir.path().join("client/.repo/projects");
    fs::create_dir_all(&projects).unwrap();
    git(&linked, &["init", "-q"]);
    fs::rename(linked.join(".git"), projects.join("linked.git")).unwrap();
    symlink("../.repo/projects/linked.git", linked.join(".git")).unwrap();
    committed_and_staged_tokens(&linked);
    all_commands_accept(&linked, &[]);

    // `.git/objects` linked elsewhere, as `git-new-workdir` does.
    let store = dir.path().join("objects-store");
    let p = dir.path().join("new-workdir");
    fs::create_dir(&p).unwrap();
    git(&p, &["init", "-q"]);
    fs::rename(p.join(".git/objects"), &store).unwrap();
    symlink(&store, p.join(".git/objects")).unwrap();
    committed_and_staged_tokens(&p);
    all_commands_accept(&p, &[]);

    // A submodule checked out in a linked worktree: its git directory is under
    // `<superproject>/.git/worktrees/<name>/modules/`.
    let sup = dir.path().join("sup");
    fs::create_dir(&sup).unwrap();
    git(&sup, &["init", "-q"]);
    let url = format!("file://{}", p.display());
    let allow = ["-c", "protocol.file.allow=always"];
    git(
        &sup,
        &[&allow[..], &["submodule", "add", "-q", &url, "sm"]].concat(),
    );
    commit_all(&sup, "sm");
    let wt = dir.path().join("wt");
    git(&sup, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    git(
        &wt,
        &[&allow[..], &["submodule", "update", "-q", "--init"]].concat(),
    );
    let sm = wt.join("sm");
    assert!(sup.join(".git/worktrees/wt/modules/sm").is_dir());
    fs::write(sm.join("b.sh"), format!("T={}\n", token("pa", 311))).unwrap();
    git(&sm, &["add", "b.sh"]);
    all_commands_accept(&sm, &[]);
}

#[test]
fn the_user_may_trust_a_git_directory_through_the_environment() {
    let top = sent_beside_private(gitdir_file);
    let sent = top.path().join("sent");
    let stderr = exits(&tokenlint(&sent, &["scan", "--history"]), 2);
    assert!(stderr.contains("TOKENLINT_TRUST_GIT_DIR=1"), "{stderr}");
    let one = Path::new("1");
    let out = tokenlint_env(
        &sent,
        &[("TOKENLINT_TRUST_GIT_DIR", one)],
        &["scan", "--history", "--format", "json"],
    );
    exits(&out, 1);
}

#[cfg(unix)]
#[test]
fn a_dot_git_link_into_another_working_tree_is_refused() {
    let top = sent_beside_private(|sent, private| {
        std::os::unix::fs::symlink(private, sent.join(".git")).unwrap();
    });
    refuses_the_private_repository(top.path());
}

/// git C-quotes a name with a control character in `git log` (`"c-\a.env"`); the old
/// unquoter turned `\a \b \v \f` into the letters, naming a file that does not exist.
/// `git log -z` gives the name as it is.
#[test]
fn history_names_a_file_with_a_control_character_as_it_is() {
    let dir = repo();
    let p = dir.path();
    let names = ["c-\u{7}.env", "c-\u{8}.env", "c-\u{b}.env", "c-\u{c}.env"];
    for (seed, name) in names.iter().enumerate() {
        fs::write(
            p.join(name),
            format!("T={}\n", token("pa", 40 + seed as u32)),
        )
        .unwrap();
    }
    commit_all(p, "names with control characters");
    let doc = history(p, &[]);
    let mut paths = common::finding_paths(&doc);
    paths.sort();
    assert_eq!(paths, names, "{doc}");
}
