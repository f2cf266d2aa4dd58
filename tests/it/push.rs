//! Push protection with real git: history scans of bare repositories and mirrors,
//! `--range` as a pull request's CI runs it, the server's `pre-receive` hook behind real
//! `git push`es, and the client's `pre-push` hook, directly and through pre-commit.

use std::fs;
use std::path::{Path, PathBuf};
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

/// A bare server repository whose `pre-receive` hook runs tokenlint, and a clone of it
/// with one clean commit on `main`, pushed before the hook was installed.
struct Server {
    _dir: tempfile::TempDir,
    server: PathBuf,
    clone: PathBuf,
}

impl Server {
    /// The hook runs `tokenlint hook pre-receive ARGS` (words with no quoting).
    fn new(args: &str) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        git(top, &["init", "-q", "--bare", "-b", "main", "server.git"]);
        let server = top.join("server.git");
        git(&server, &["config", "receive.advertisePushOptions", "true"]);
        git(top, &["clone", "-q", "server.git", "clone"]);
        let clone = top.join("clone");
        git(&clone, &["checkout", "-qb", "main"]);
        commit(&clone, "init", &[("README.md", "hello\n".into())]);
        git(&clone, &["push", "-q", "origin", "main"]);
        let hook = server.join("hooks/pre-receive");
        let script = format!(
            "#!/bin/sh\nexec '{}' hook pre-receive {args}\n",
            common::BIN
        );
        fs::write(&hook, script).unwrap();
        make_executable(&hook);
        Server {
            _dir: dir,
            server,
            clone,
        }
    }

    /// A server whose default branch's `tokenlint.toml` allowlists `docs/`.
    fn allowing_docs() -> Server {
        let server = Server::new("");
        let allow = "[[allowlist]]\npaths = [\"docs/**\"]\nreason = \"samples\"\n";
        commit(&server.clone, "config", &[("tokenlint.toml", allow.into())]);
        assert!(server.push(&["origin", "main"], &[]).0);
        server
    }

    /// `git push ARGS` from the clone, in the hermetic environment plus `env`: whether it
    /// was accepted, and what it printed (the hook's lines are `remote:` lines).
    fn push(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
        let out = common::Tokenlint::via(&self.clone, "git")
            .arg("push")
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        (out.status.success(), text)
    }

    fn tip(&self, reference: &str) -> Option<String> {
        tip(&self.server, reference)
    }
}

/// The value of `reference` in the repository `repo`, or `None` when it has none.
fn tip(repo: &Path, reference: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .current_dir(repo)
        .args(["rev-parse", "--verify", "--quiet", reference])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// The `remote: tokenlint: <commit> <path>:<line> <rule> <token>` lines of a push.
fn refused_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("remote: tokenlint: "))
        .filter(|l| l.contains(" remotive-"))
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Asserts that a push was refused for one finding, whose line starts with `start`.
fn refused_with_one_finding(accepted: bool, text: &str, start: &str) {
    assert!(!accepted, "{text}");
    let lines = refused_lines(text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with(start), "{text}");
}

#[test]
fn pre_receive_refuses_a_token_names_it_and_leaves_the_ref() {
    let server = Server::new("");
    let before = server.tip("main");
    commit(&server.clone, "leak", &[("ci/deploy.sh", leak(20))]);
    let commit_id = git_text(&server.clone, &["rev-parse", "HEAD"]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    let t = token("pa", 20);
    let expected = format!(
        "{} ci/deploy.sh:1 remotive-personal-access-token {}…{}",
        &commit_id[..10],
        &t[..10],
        &t[t.len() - 4..]
    );
    assert_eq!(refused_lines(&text), [expected], "{text}");
    assert!(
        text.contains("remote: tokenlint: push refused: 1 finding"),
        "{text}"
    );
    assert!(text.contains("git push -o tokenlint.allow="), "{text}");
    assert!(!text.contains(&t[10..]), "the token is shown: {text}");
    assert_eq!(server.tip("main"), before, "the ref moved");
}

#[test]
fn pre_receive_accepts_clean_pushes_and_does_not_judge_old_commits_again() {
    let server = Server::new("");
    commit(&server.clone, "clean", &[("a.sh", "T=$TOKEN\n".into())]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(accepted, "{text}");
    assert!(refused_lines(&text).is_empty(), "{text}");
    // A token already on the server (pushed by bypass): a new branch whose ancestry is on
    // the server, and a clean commit on top of it, are accepted without it.
    commit(&server.clone, "old leak", &[("old.sh", leak(21))]);
    let bypass = ["-o", "tokenlint.allow=revoked already", "origin", "main"];
    assert!(server.push(&bypass, &[]).0);
    git(&server.clone, &["branch", "topic"]);
    let (accepted, text) = server.push(&["origin", "topic"], &[]);
    assert!(accepted && refused_lines(&text).is_empty(), "{text}");
    commit(&server.clone, "clean on top", &[("b.sh", "x\n".into())]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(accepted && refused_lines(&text).is_empty(), "{text}");
    // A deletion is accepted, and judges nothing.
    let (accepted, text) = server.push(&["origin", ":topic"], &[]);
    assert!(accepted && refused_lines(&text).is_empty(), "{text}");
    assert_eq!(server.tip("topic"), None);
}

/// Issue 17 at the server: an edit beside an old token (accepted earlier by bypass) is
/// accepted, saying the old one was not judged; a second token in that file is refused,
/// naming only the new one.
#[test]
fn pre_receive_judges_only_the_secrets_a_push_introduces() {
    let server = Server::new("");
    let old = leak(23);
    commit(&server.clone, "old leak", &[("deploy.sh", old.clone())]);
    let bypass = ["-o", "tokenlint.allow=revoked already", "origin", "main"];
    assert!(server.push(&bypass, &[]).0);
    let edited = format!("echo deploying\n{old}");
    commit(
        &server.clone,
        "edit beside it",
        &[("deploy.sh", edited.clone())],
    );
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(accepted && refused_lines(&text).is_empty(), "{text}");
    assert!(
        text.contains("remote: tokenlint: 1 older secret in touched files was not judged"),
        "{text}"
    );
    let before = server.tip("main");
    commit(
        &server.clone,
        "second token",
        &[("deploy.sh", format!("{edited}{}", leak(24)))],
    );
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    let lines = refused_lines(&text);
    let t = token("pa", 24);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(" deploy.sh:3 "), "{text}");
    assert!(
        lines[0].ends_with(&format!("{}…{}", &t[..10], &t[t.len() - 4..])),
        "{text}"
    );
    assert_eq!(server.tip("main"), before);
}

/// A tag of a tag: the inner tag is pushed with the outer one, though no ref names it, and
/// its message is the push's too (a clone fetches it with the outer tag).
#[test]
fn pre_receive_refuses_a_token_in_the_message_of_a_tag_a_pushed_tag_names() {
    let server = Server::new("");
    commit(&server.clone, "clean", &[("b.sh", "x\n".into())]);
    let new = git_text(&server.clone, &["rev-parse", "HEAD"]);
    let message = format!("inner\n\n{}", leak(27));
    git(&server.clone, &["tag", "-a", "inner", "-m", &message]);
    git(
        &server.clone,
        &["tag", "-a", "middle", "inner", "-m", "middle"],
    );
    git(
        &server.clone,
        &["tag", "-a", "v3", "middle", "-m", "clean release"],
    );
    let (accepted, text) = server.push(&["origin", "main", "v3"], &[]);
    refused_with_one_finding(accepted, &text, &format!("{} <tag message>:8 ", &new[..10]));
    assert_eq!(server.tip("refs/tags/v3"), None);
    // Clean all the way down: accepted.
    git(&server.clone, &["tag", "-d", "v3", "middle", "inner"]);
    git(&server.clone, &["tag", "-a", "inner", "-m", "inner"]);
    git(
        &server.clone,
        &["tag", "-a", "v3", "inner", "-m", "clean release"],
    );
    let (accepted, text) = server.push(&["origin", "main", "v3"], &[]);
    assert!(accepted, "{text}");
    // A chain too long to follow is refused, never judged in part.
    let mut named = "v3".to_string();
    for i in 0..17 {
        let tag = format!("t{i}");
        git(&server.clone, &["tag", "-a", &tag, &named, "-m", "clean"]);
        named = tag;
    }
    let (accepted, text) = server.push(&["origin", &named], &[]);
    assert!(!accepted, "{text}");
    assert!(text.contains("a chain of more than 16 tags"), "{text}");
}

#[test]
fn pre_receive_refuses_a_force_push_that_adds_a_token() {
    let server = Server::new("");
    commit(&server.clone, "one", &[("a.sh", "x\n".into())]);
    assert!(server.push(&["origin", "main"], &[]).0);
    let before = server.tip("main");
    git(&server.clone, &["reset", "-q", "--hard", "HEAD~1"]);
    commit(&server.clone, "rewritten", &[("a.sh", leak(22))]);
    let (accepted, text) = server.push(&["--force", "origin", "main"], &[]);
    assert!(!accepted, "{text}");
    assert_eq!(refused_lines(&text).len(), 1, "{text}");
    assert!(refused_lines(&text)[0].contains(" a.sh:1 "), "{text}");
    assert_eq!(server.tip("main"), before);
}

#[test]
fn pre_receive_refuses_a_tag_with_a_token_in_its_message() {
    let server = Server::new("");
    let message = format!("release\n\n{}", leak(23));
    git(&server.clone, &["tag", "-a", "v1", "-m", &message]);
    let (accepted, text) = server.push(&["origin", "v1"], &[]);
    assert!(!accepted, "{text}");
    assert!(!refused_lines(&text).is_empty(), "{text}");
    assert_eq!(server.tip("refs/tags/v1"), None);
    // A tag of a tag of a new commit, pushed with it: judged at the commit it names in
    // the end (found by the same `cat-file` that checks the pushed ids).
    commit(&server.clone, "clean", &[("b.sh", "x\n".into())]);
    let new = git_text(&server.clone, &["rev-parse", "HEAD"]);
    git(&server.clone, &["tag", "-a", "inner", "-m", "inner"]);
    let message = format!("release\n\n{}", leak(25));
    git(&server.clone, &["tag", "-a", "v2", "inner", "-m", &message]);
    let (accepted, text) = server.push(&["origin", "main", "v2"], &[]);
    refused_with_one_finding(accepted, &text, &format!("{} <tag message>:", &new[..10]));
    assert_eq!(server.tip("refs/tags/v2"), None);
    // A server with a tag: a clean tagged push is accepted, and the next push is judged
    // on its own commits, never on the tags the server has.
    git(&server.clone, &["tag", "-d", "v2"]);
    git(&server.clone, &["tag", "-a", "v0", "-m", "clean release"]);
    let (accepted, text) = server.push(&["origin", "main", "v0"], &[]);
    assert!(accepted, "{text}");
    commit(&server.clone, "leak", &[("c.sh", leak(26))]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    let lines = refused_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(" c.sh:1 "), "{text}");
}

#[test]
fn pre_receive_bypass_is_accepted_logged_and_can_be_turned_off() {
    let server = Server::new("");
    commit(&server.clone, "leak", &[("a.sh", leak(24))]);
    let pusher = [("GL_USERNAME", "alice")];
    // No reason: no bypass.
    let (accepted, text) = server.push(&["-o", "tokenlint.allow", "origin", "main"], &pusher);
    assert!(!accepted && text.contains("give a reason"), "{text}");
    let bypass = [
        "-o",
        "tokenlint.allow=test token, revoked",
        "origin",
        "main",
    ];
    let (accepted, text) = server.push(&bypass, &pusher);
    assert!(accepted, "{text}");
    assert_eq!(
        refused_lines(&text).len(),
        1,
        "the finding is logged: {text}"
    );
    assert!(
        text.contains("bypass: push accepted despite 1 finding, by alice with -o tokenlint.allow: test token, revoked"),
        "{text}"
    );
    // The server's own configuration turns it off.
    let config = server.server.parent().unwrap().join("server.toml");
    fs::write(&config, "[push]\nallow-bypass = false\n").unwrap();
    let strict = Server::new(&format!("--config {}", config.display()));
    commit(&strict.clone, "leak", &[("a.sh", leak(25))]);
    let (accepted, text) = strict.push(&bypass, &pusher);
    assert!(!accepted, "{text}");
    assert!(text.contains("turns bypass off"), "{text}");
    assert!(!text.contains("git push -o tokenlint.allow="), "{text}");
}

#[test]
fn pre_receive_takes_an_inline_marker_only_as_a_logged_bypass() {
    let server = Server::new("");
    let pusher = [("GL_USERNAME", "mallory")];
    // A marker without a reason, or another tool's, lets nothing through.
    let bare = format!("{} # tokenlint:allow\n", leak(28).trim_end());
    let foreign = format!("{} # gitleaks:allow\n", leak(29).trim_end());
    commit(
        &server.clone,
        "hidden",
        &[("a.sh", bare), ("b.sh", foreign)],
    );
    let (accepted, text) = server.push(&["origin", "main"], &pusher);
    assert!(!accepted, "{text}");
    assert_eq!(refused_lines(&text).len(), 2, "{text}");
    assert!(text.contains("did not let its finding through"), "{text}");
    // With a reason, it is a bypass of that finding: accepted, and logged with the pusher.
    git(&server.clone, &["reset", "-q", "--hard", "HEAD~1"]);
    let reasoned = format!("{} # tokenlint:allow revoked\n", leak(30).trim_end());
    commit(&server.clone, "marked", &[("c.sh", reasoned.clone())]);
    let (accepted, text) = server.push(&["origin", "main"], &pusher);
    assert!(accepted, "{text}");
    assert!(
        text.contains(" c.sh:1 remotive-personal-access-token ")
            && text.contains("accepted by its inline marker (revoked), by mallory"),
        "{text}"
    );
    // A server that turns bypass off refuses it.
    let config = server.server.parent().unwrap().join("strict.toml");
    fs::write(&config, "[push]\nallow-bypass = false\n").unwrap();
    let strict = Server::new(&format!("--config {}", config.display()));
    commit(&strict.clone, "marked", &[("c.sh", reasoned)]);
    let (accepted, text) = strict.push(&["origin", "main"], &pusher);
    assert!(!accepted, "{text}");
    assert!(text.contains("turns bypass off"), "{text}");
}

#[test]
fn pre_receive_judges_by_the_default_branch_config_never_the_pushed_one() {
    // The default branch's configuration counts: it allows docs/.
    let server = Server::allowing_docs();
    commit(&server.clone, "sample", &[("docs/sample.sh", leak(26))]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(accepted, "{text}");
    // A push that turns the rule off in its own commits is still judged.
    let off = "[rules]\ndisabled = [\"remotive-personal-access-token\"]\n";
    commit(
        &server.clone,
        "turn it off",
        &[("tokenlint.toml", off.into()), ("ci/deploy.sh", leak(27))],
    );
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    assert_eq!(refused_lines(&text).len(), 1, "{text}");
    assert!(
        refused_lines(&text)[0].contains(" ci/deploy.sh:1 "),
        "{text}"
    );
}

#[test]
fn an_allowlisted_path_does_not_hide_the_same_file_at_another_path() {
    let server = Server::allowing_docs();
    // One blob at two paths is scanned once, at the first: docs/, which is allowlisted.
    commit(
        &server.clone,
        "twice",
        &[("docs/sample.sh", leak(31)), ("src/deploy.sh", leak(31))],
    );
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    let lines = refused_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(" src/deploy.sh:1 "), "{text}");
    // Scanned first at a path the allowlist does not name, it is still accepted in docs/.
    git(&server.clone, &["reset", "-q", "--hard", "HEAD~1"]);
    commit(
        &server.clone,
        "twice",
        &[("a/deploy.sh", leak(32)), ("docs/sample.sh", leak(32))],
    );
    let (_, text) = server.push(&["origin", "main"], &[]);
    let lines = refused_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(" a/deploy.sh:1 "), "{text}");
}

#[test]
fn a_broken_default_branch_config_is_replaced_by_the_defaults_never_trusted() {
    let server = Server::new("");
    let broken = "[rules]\ndisabled = [\"remotive-personal-access-token\"]\nfail-on = 3\n";
    commit(
        &server.clone,
        "broken",
        &[("tokenlint.toml", broken.into())],
    );
    assert!(
        server
            .push(&["-o", "tokenlint.allow=a test", "origin", "main"], &[])
            .0
    );
    commit(&server.clone, "leak", &[("a.sh", leak(29))]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    assert!(text.contains("configuration is not used"), "{text}");
    assert_eq!(refused_lines(&text).len(), 1, "{text}");
    // The push that fixes it is judged, and accepted.
    git(&server.clone, &["reset", "-q", "--hard", "HEAD~1"]);
    commit(
        &server.clone,
        "fixed",
        &[("tokenlint.toml", "fail-on = \"error\"\n".into())],
    );
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(accepted, "{text}");
}

#[test]
fn pre_receive_past_its_budget_fails_closed_or_open_as_told() {
    for (args, accepted) in [
        ("--timeout 0.000001", false),
        ("--timeout 0.000001 --on-timeout accept", true),
    ] {
        let server = Server::new(args);
        commit(&server.clone, "leak", &[("a.sh", leak(28))]);
        let (pushed, text) = server.push(&["origin", "main"], &[]);
        assert_eq!(pushed, accepted, "{args}: {text}");
        assert!(text.contains("took longer than"), "{args}: {text}");
    }
}

/// A bare remote with a clean `main`, and a clone of it, as a developer has them.
struct Client {
    _dir: tempfile::TempDir,
    remote: PathBuf,
    clone: PathBuf,
}

impl Client {
    fn new() -> Client {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        git(top, &["init", "-q", "--bare", "-b", "main", "remote.git"]);
        git(top, &["clone", "-q", "remote.git", "clone"]);
        let clone = top.join("clone");
        git(&clone, &["checkout", "-qb", "main"]);
        git(&clone, &["config", "user.name", "t"]);
        git(&clone, &["config", "user.email", "t@example.test"]);
        Client {
            remote: top.join("remote.git"),
            clone,
            _dir: dir,
        }
    }

    /// `program ARGS` in the clone, hermetic, with tokenlint on `PATH` as installed.
    fn run(&self, program: &str, args: &[&str]) -> (bool, String) {
        let bin_dir = Path::new(common::BIN).parent().unwrap();
        let path = std::env::join_paths(
            std::iter::once(bin_dir.to_path_buf())
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .unwrap();
        let mut cmd = common::Tokenlint::via(&self.clone, program);
        let home = cmd.home().to_path_buf();
        let out = cmd
            .args(args)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", home.join("pre-commit"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        (out.status.success(), text)
    }

    fn tip(&self, reference: &str) -> Option<String> {
        tip(&self.remote, reference)
    }
}

/// The `tokenlint: <commit> <path>:<line> <rule> <token>` lines a pre-push hook printed.
fn pre_push_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("tokenlint: "))
        .filter(|l| l.contains(" remotive-"))
        .collect()
}

#[test]
fn pre_push_refuses_commits_the_remote_lacks() {
    let client = Client::new();
    let clone = &client.clone;
    commit(clone, "init", &[("README.md", "hello\n".into())]);
    assert!(client.run("git", &["push", "-q", "origin", "main"]).0);
    let (installed, text) = client.run(common::BIN, &["install-hook", "--pre-push"]);
    assert!(
        installed && text.contains("pushes of commits that hold a token"),
        "{text}"
    );
    let hook = fs::read_to_string(clone.join(".git/hooks/pre-push")).unwrap();
    assert!(
        hook.contains("exec tokenlint hook pre-push -- \"$@\""),
        "{hook}"
    );
    // git's arguments after `--` are the remote's name and URL, whatever they look like.
    let odd = client.run(
        common::BIN,
        &["hook", "pre-push", "--", "--no-config", "-x"],
    );
    assert!(odd.0, "{}", odd.1);
    let (again, text) = client.run(common::BIN, &["install-hook", "--pre-push"]);
    assert!(
        !again && text.contains("a pre-push hook exists already"),
        "{text}"
    );

    let before = client.tip("main");
    commit(clone, "leak", &[("a.sh", leak(30))]);
    let (pushed, text) = client.run("git", &["push", "origin", "main"]);
    assert!(!pushed, "{text}");
    let lines = pre_push_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].contains(" a.sh:1 remotive-personal-access-token pa1.0/"),
        "{text}"
    );
    assert!(text.contains("git push --no-verify"), "{text}");
    assert_eq!(client.tip("main"), before);
    // Pushed anyway: a new branch from it, with a clean commit, sends nothing old.
    assert!(
        client
            .run("git", &["push", "-q", "--no-verify", "origin", "main"])
            .0
    );
    git(clone, &["checkout", "-qb", "topic"]);
    commit(clone, "clean", &[("b.sh", "x\n".into())]);
    let (pushed, text) = client.run("git", &["push", "origin", "topic"]);
    assert!(pushed && pre_push_lines(&text).is_empty(), "{text}");
}

/// The `tokenlint-pre-push-system` hook of `.pre-commit-hooks.yaml`, as a local hook.
fn pre_commit_config() -> String {
    let hooks = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let start = hooks.find("- id: tokenlint-pre-push-system\n").unwrap();
    let block = &hooks[start..];
    let end = block[1..].find("\n- id:").map_or(block.len(), |e| e + 2);
    let indented: String = block[..end]
        .lines()
        .map(|l| format!("      {l}\n"))
        .collect();
    assert!(indented.contains("stages: [pre-push]"), "{indented}");
    format!("repos:\n  - repo: local\n    hooks:\n{indented}")
}

#[test]
#[ignore = "slow (about 5 s): runs pre-commit"]
fn pre_push_through_the_pre_commit_framework() {
    if std::process::Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: pre-commit is not installed (.ci/run installs it)");
        return;
    }
    let client = Client::new();
    let clone = &client.clone;
    commit(
        clone,
        "config",
        &[(".pre-commit-config.yaml", pre_commit_config())],
    );
    let (installed, text) = client.run("pre-commit", &["install", "--hook-type", "pre-push"]);
    assert!(installed, "{text}");
    // The first push, with its root commit: all of it is judged.
    commit(clone, "leak", &[("a.sh", leak(31))]);
    let (pushed, text) = client.run("git", &["push", "origin", "main"]);
    assert!(!pushed && pre_push_lines(&text).len() == 1, "{text}");
    assert_eq!(client.tip("main"), None);
    git(clone, &["reset", "-q", "--hard", "HEAD~1"]);
    assert!(client.run("git", &["push", "origin", "main"]).0);
    // Then PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF.
    commit(clone, "leak", &[("b.sh", leak(32))]);
    let (pushed, text) = client.run("git", &["push", "origin", "main"]);
    let lines = pre_push_lines(&text);
    assert!(
        !pushed && lines.len() == 1 && lines[0].contains(" b.sh:1 "),
        "{text}"
    );
    git(clone, &["reset", "-q", "--hard", "HEAD~1"]);
    commit(clone, "clean", &[("b.sh", "x\n".into())]);
    let (pushed, text) = client.run("git", &["push", "origin", "main"]);
    assert!(pushed, "{text}");
}

/// An archive's findings are allowlisted by its members' paths (`dist/*.gz!**`), at each
/// path the blob has: placed at another path than it was scanned at, a member keeps its
/// `!member` in the key the allowlist is asked with, and in its fingerprint.
#[test]
fn an_allowlisted_member_stays_allowlisted_at_each_path_of_its_archive() {
    use std::io::Write;
    let server = Server::new("");
    let allow = "[[allowlist]]\npaths = [\"dist/*.gz!**\"]\nreason = \"samples\"\n";
    commit(&server.clone, "config", &[("tokenlint.toml", allow.into())]);
    assert!(server.push(&["origin", "main"], &[]).0);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(leak(33).as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    for dir in ["dist", "vendor"] {
        fs::create_dir_all(server.clone.join(dir)).unwrap();
        fs::write(server.clone.join(dir).join("env.gz"), &gz).unwrap();
    }
    git(&server.clone, &["add", "-A"]);
    git(&server.clone, &["commit", "-qm", "twice", "--no-verify"]);
    let (accepted, text) = server.push(&["origin", "main"], &[]);
    assert!(!accepted, "{text}");
    let lines = refused_lines(&text);
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(" vendor/env.gz!env:1 "), "{text}");
    // A range's findings carry the fingerprints a scan of the tree gives the same places.
    let fingerprints = |args: &[&str]| {
        let mut all = vec!["scan", "--format", "json", "--show-suppressed"];
        all.extend_from_slice(args);
        let out = tokenlint(&server.clone, &all);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut found: Vec<(String, String)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap().to_string();
                (path, f["fingerprint"].as_str().unwrap().to_string())
            })
            .collect();
        found.sort();
        found
    };
    let range = fingerprints(&["--history", "--range", "HEAD~1..HEAD"]);
    assert_eq!(range.len(), 2, "{range:?}");
    assert_eq!(range, fingerprints(&["."]));
}
