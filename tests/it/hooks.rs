//! What hooks and CI hand to tokenlint is not trusted: file names after `scan --hook` are
//! never options, `--no-redact` is refused in CI, and `install-hook` writes only its own
//! file, inside the repository.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common;
use common::{finding_paths, git, repo, token, tokenlint};

/// The names a hostile staged file could have to pass for an option or standard input.
const OPTION_LIKE: [&str; 5] = ["--no-redact", "--help", "--output=x", "-", "--"];

#[test]
fn hook_file_names_are_never_options() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let tokens: Vec<String> = (0..OPTION_LIKE.len() as u32)
        .map(|i| token("pa", 40 + i))
        .collect();
    for (name, t) in OPTION_LIKE.iter().zip(&tokens) {
        fs::write(p.join(name), format!("T={t}\n")).unwrap();
    }
    let before = fs::read_dir(p).unwrap().count();
    for entry in [&["scan", "--hook"][..], &["scan", "--hook", "--"]] {
        for (name, t) in OPTION_LIKE.iter().zip(&tokens) {
            if *name == "--" && entry.len() == 2 {
                continue; // `--hook --` is the separator, then no file
            }
            let mut args = vec!["--format", "json", "--no-store"];
            args.splice(0..0, entry[..1].iter().copied());
            args.extend_from_slice(&entry[1..]);
            args.push(name);
            let out = tokenlint(p, &args);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}");
            assert!(!stdout.contains(t.as_str()), "{args:?} shows the token");
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(finding_paths(&doc), [*name], "{args:?}");
        }
    }
    // All at once, in text, as pre-commit passes them.
    let mut args = vec!["scan", "--no-store", "--hook", "--"];
    args.extend(OPTION_LIKE);
    let out = tokenlint(p, &args);
    assert_eq!(out.status.code(), Some(1));
    let all = [out.stdout, out.stderr].concat();
    let all = String::from_utf8_lossy(&all);
    for t in &tokens {
        assert!(!all.contains(t.as_str()), "a token is shown: {all}");
    }
    assert_eq!(
        fs::read_dir(p).unwrap().count(),
        before,
        "a file was written"
    );
}

/// tokenlint with `env` set on top of the hermetic runner's environment.
fn with_env(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    common::Tokenlint::new(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn no_redact_is_refused_in_ci_unless_the_environment_opts_in() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("sa", 50);
    fs::write(dir.path().join("a.sh"), format!("T={t}\n")).unwrap();
    let scan = ["scan", "--no-redact", "a.sh"];
    for (ci, value) in [
        ("CI", "true"),
        ("CI", ""),
        ("GITHUB_ACTIONS", "true"),
        ("GITLAB_CI", "true"),
        ("TF_BUILD", "True"),
        ("JENKINS_URL", "http://j/"),
        ("BUILDKITE", "true"),
        ("CIRCLECI", "true"),
        ("TEAMCITY_VERSION", "2024"),
        ("BITBUCKET_BUILD_NUMBER", "7"),
    ] {
        for args in [&scan[..], &["audit", "--no-redact", "a.sh"]] {
            let out = with_env(dir.path(), &[(ci, value)], args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{ci} {args:?}: {stderr}");
            assert!(
                stderr.contains("--no-redact is refused in CI")
                    && stderr.contains("TOKENLINT_ALLOW_UNREDACTED_IN_CI=yes"),
                "{stderr}"
            );
            assert!(!String::from_utf8_lossy(&out.stdout).contains(&t));
        }
        let opted_in = [(ci, value), ("TOKENLINT_ALLOW_UNREDACTED_IN_CI", "yes")];
        let out = with_env(dir.path(), &opted_in, &scan);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains(&t));
    }
    // Redacted output is fine in CI (an empty `CI` is CI too); outside CI, so is
    // `--no-redact`.
    let out = with_env(dir.path(), &[("CI", "")], &["scan", "a.sh"]);
    assert_eq!(out.status.code(), Some(1));
    let out = with_env(dir.path(), &[], &scan);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&t));
}

#[test]
fn history_refuses_a_second_path() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir(p.join("b")).unwrap();
    let out = tokenlint(p, &["scan", "--history", ".", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most one PATH"));
}

fn install(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = tokenlint(dir, &[&["install-hook"], args].concat());
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HOOK_LINE: &str = "exec tokenlint scan --staged --hook --\n";

#[cfg(unix)]
#[test]
fn install_hook_replaces_a_symlinked_hook_and_leaves_its_target() {
    let dir = repo();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    fs::write(&victim, "mine\n").unwrap();
    let hook = p.join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&victim, &hook).unwrap();
    let (code, _, stderr) = install(p, &[]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = install(p, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine\n");
    assert!(!fs::symlink_metadata(&hook)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&hook).unwrap().ends_with(HOOK_LINE));
    // A link to nothing is a hook too, and never creates what it points to.
    let nowhere = outside.path().join("nowhere");
    fs::remove_file(&hook).unwrap();
    std::os::unix::fs::symlink(&nowhere, &hook).unwrap();
    let (code, _, stderr) = install(p, &[]);
    assert!(code == 2 && stderr.contains("exists already"), "{stderr}");
    assert!(!nowhere.exists());
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(hook.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tokenlint"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn install_hook_uses_a_hooks_path_outside_the_repository_only_with_force() {
    let dir = repo();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("hooks");
    git(
        p,
        &["config", "core.hooksPath", elsewhere.to_str().unwrap()],
    );
    let (code, _, stderr) = install(p, &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("outside this repository") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!elsewhere.exists());
    let (code, _, stderr) = install(p, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(fs::read_to_string(elsewhere.join("pre-commit"))
        .unwrap()
        .ends_with(HOOK_LINE));
    // Inside the repository, it is honoured as it is.
    git(p, &["config", "core.hooksPath", ".githooks"]);
    let (code, _, stderr) = install(p, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(p.join(".githooks/pre-commit").is_file());
    assert!(!p.join(".git/hooks/pre-commit").exists());
}

#[test]
fn install_hook_prints_a_clean_path() {
    let dir = repo();
    let p = dir.path();
    fs::create_dir(p.join("sub")).unwrap();
    let (code, stdout, stderr) = install(&p.join("sub"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let expected = p.canonicalize().unwrap().join(".git/hooks/pre-commit");
    assert!(
        stdout.contains(&format!("installed {};", expected.display())),
        "{stdout}"
    );
    assert!(!stdout.contains(".."), "{stdout}");
}

#[test]
fn install_hook_refuses_a_hooks_path_with_a_line_break() {
    // Read line by line, `<elsewhere>\n<elsewhere>` was both the hooks directory and the
    // repository's own directory: inside, so no `--force` was asked for.
    let dir = repo();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("shared");
    let shared = elsewhere.to_str().unwrap();
    git(
        p,
        &["config", "core.hooksPath", &format!("{shared}\n{shared}")],
    );
    for args in [&[][..], &["--force"]] {
        let (code, _, stderr) = install(p, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("refused") && stderr.contains(r"\n"),
            "{stderr}"
        );
    }
    assert!(!elsewhere.exists());
}

/// The plain git hook, for real: `git commit` runs it (git sends a hook's output to its
/// standard error). A clean commit shows nothing of tokenlint; a refused one shows the
/// finding, then how to go on.
#[test]
fn a_refused_commit_says_how_to_go_on_and_a_clean_one_says_nothing() {
    let dir = repo();
    let p = dir.path();
    assert_eq!(tokenlint(p, &["install-hook"]).status.code(), Some(0));
    let bin_dir = Path::new(common::BIN).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let commit = |message: &str| {
        let out = common::Tokenlint::via(p, "git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.test"])
            .args(["commit", "-qm", message])
            .env("PATH", &path)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8(out.stderr).unwrap())
    };
    fs::write(p.join("a.sh"), "echo hello\n").unwrap();
    git(p, &["add", "a.sh"]);
    let (ok, stderr) = commit("clean");
    assert!(ok && stderr.is_empty(), "{stderr}");

    let t = token("pa", 95);
    fs::write(p.join("b.sh"), format!("T={t}\n")).unwrap();
    git(p, &["add", "b.sh"]);
    let (ok, stderr) = commit("leaky");
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("b.sh:1:3"), "{stderr}");
    let advice = stderr
        .split_once("tokenlint refused the commit.")
        .map(|s| s.1);
    let advice = advice.unwrap_or_else(|| panic!("no advice: {stderr}"));
    for step in [
        "read it from the environment",
        "`# tokenlint:allow <reason>`",
        "`tokenlint baseline`",
    ] {
        assert!(advice.contains(step), "{step}: {advice}");
    }
    assert!(!stderr.contains(&t[10..]), "{stderr}");
}

/// The advice is for hooks: a scan outside one, with findings, prints none, and a hook's
/// JSON report stays one JSON document on standard output.
#[test]
fn only_a_hook_gives_the_advice() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.sh"), format!("T={}\n", token("pa", 96))).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--no-store", "c.sh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("refused"));
    let args = ["scan", "--no-store", "--format", "json", "--hook", "c.sh"];
    let out = tokenlint(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(finding_paths(&doc), ["c.sh"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("tokenlint refused the commit."));
    fs::write(dir.path().join("d.sh"), "echo clean\n").unwrap();
    let out = tokenlint(dir.path(), &["scan", "--no-store", "--hook", "d.sh"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}
