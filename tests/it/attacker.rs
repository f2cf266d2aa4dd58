//! A hostile repository, scanned with every command: tokenlint prints no secret, runs no
//! command the repository chose, reads nothing outside the project because the repository
//! asked, and writes nothing outside the project and `--output`.
//!
//! Each item also has its own regression test next to the code it pins; this file is the
//! attacker's trial of all of them together, over every command that reads a repository.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common;
use common::{git, token};

/// Text that must never reach tokenlint's output: it lives outside the project.
const CANARY: &str = "CANARY-7f3e1d-outside-the-project";

/// The commands a hostile repository is scanned with.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["scan"],
        vec!["scan", "."],
        vec!["scan", "--format", "json"],
        vec!["scan", "--format", "sarif"],
        vec!["scan", "--format", "github"],
        vec!["scan", "--staged"],
        vec!["scan", "--history"],
        vec!["scan", "--history", "--format", "sarif"],
        vec!["scan", "--hook", "--", "leak.sh", "--no-redact", "-"],
        vec!["audit", "--format", "json"],
        vec!["baseline", "--output", "tl-baseline.json"],
        vec!["rules"],
        vec!["explain", "remotive-personal-access-token"],
        vec!["install-hook", "--force"],
    ]
}

/// A workspace: `outside/` holds what the repository must not reach, `repo/` is the
/// repository, `markers/` is where a command the repository chose would leave a trace.
struct Trial {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Trial {
    fn new() -> Trial {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for sub in ["outside", "repo", "markers", "home"] {
            fs::create_dir(root.join(sub)).unwrap();
        }
        fs::write(
            root.join("outside/secret.toml"),
            format!("[x]\nkey = \"{CANARY}\"\n"),
        )
        .unwrap();
        fs::write(root.join("outside/rule.toml"), format!("{CANARY}\n")).unwrap();
        fs::write(root.join("outside/baseline.json"), format!("{CANARY}\n")).unwrap();
        git(&root.join("repo"), &["init", "-q"]);
        Trial { _dir: dir, root }
    }

    fn repo(&self) -> PathBuf {
        self.root.join("repo")
    }

    /// A shell command that leaves a marker named `name` when run.
    fn marker(&self, name: &str) -> String {
        format!(
            "touch {}/{name}; false",
            self.root.join("markers").display()
        )
    }

    fn commit_all(&self) {
        git(&self.repo(), &["add", "-A"]);
        git(
            &self.repo(),
            &[
                "-c",
                "core.hooksPath=/dev/null",
                "commit",
                "-qm",
                "x",
                "--no-verify",
            ],
        );
    }

    /// Every file outside `repo/` and its content.
    fn outside_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for sub in ["outside", "markers"] {
            for entry in fs::read_dir(self.root.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                files.insert(path.clone(), fs::read(&path).unwrap_or_default());
            }
        }
        files
    }

    /// Runs every command and checks what an attacker would hope to see.
    fn run_all(&self, secrets: &[String]) {
        let before = self.outside_files();
        for args in commands() {
            let out = tokenlint_with_home(&self.repo(), &args, &self.root.join("home"));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let shown = format!("{stdout}\n{stderr}");
            assert!(
                !shown.contains(CANARY),
                "{args:?} printed outside text:\n{shown}"
            );
            for secret in secrets {
                assert!(
                    !shown.contains(secret.as_str()),
                    "{args:?} printed a token:\n{shown}"
                );
            }
            assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
            assert_ne!(out.status.code(), None, "{args:?} was killed");
        }
        let after = self.outside_files();
        assert_eq!(before, after, "a command wrote outside the project");
        let markers: Vec<_> = fs::read_dir(self.root.join("markers")).unwrap().collect();
        assert!(markers.is_empty(), "a command the repository chose ran");
    }
}

/// Runs tokenlint as `common::tokenlint` does, with HOME in the workspace, so that `audit`
/// looks at a home the trial controls too.
fn tokenlint_with_home(dir: &Path, args: &[&str], home: &Path) -> std::process::Output {
    common::Tokenlint::new(dir)
        .args(args)
        .env("HOME", home)
        .output()
        .unwrap()
}

/// Sets `key` in the repository's own `.git/config`.
fn config(repo: &Path, key: &str, value: &str) {
    git(repo, &["config", key, value]);
}

#[test]
fn a_hostile_git_config_runs_nothing() {
    let trial = Trial::new();
    let repo = trial.repo();
    let t = token("pa", 901);
    fs::write(repo.join("leak.sh"), format!("T={t}\n")).unwrap();
    fs::write(repo.join(".gitattributes"), "* filter=evil diff=evil\n").unwrap();
    trial.commit_all();
    fs::write(repo.join("staged.sh"), format!("U={t}\n")).unwrap();
    git(&repo, &["add", "staged.sh"]);
    for (key, name) in [
        ("core.fsmonitor", "fsmonitor"),
        ("core.pager", "pager"),
        ("pager.log", "pager-log"),
        ("diff.external", "diff-external"),
        ("diff.evil.textconv", "textconv"),
        ("filter.evil.clean", "filter-clean"),
        ("filter.evil.smudge", "filter-smudge"),
        ("filter.evil.process", "filter-process"),
        ("gpg.program", "gpg"),
        ("remote.origin.uploadpack", "uploadpack"),
        ("core.sshCommand", "ssh"),
        ("credential.helper", "credential"),
    ] {
        config(&repo, key, &trial.marker(name));
    }
    config(&repo, "log.showSignature", "true");
    config(&repo, "remote.origin.url", "ssh://example.invalid/x.git");
    config(&repo, "remote.origin.promisor", "true");
    config(&repo, "extensions.partialClone", "origin");
    trial.run_all(&[t]);
}

#[test]
fn a_config_linked_outside_is_refused_unread() {
    let trial = Trial::new();
    let repo = trial.repo();
    let t = token("sa", 902);
    fs::write(repo.join("leak.sh"), format!("T={t}\n")).unwrap();
    std::os::unix::fs::symlink(
        trial.root.join("outside/secret.toml"),
        repo.join("tokenlint.toml"),
    )
    .unwrap();
    trial.commit_all();
    trial.run_all(&[t]);
}

#[test]
fn paths_named_in_a_config_stay_inside_the_project() {
    for line in [
        "[rules]\npaths = [\"../outside\"]\n",
        "baseline = \"../outside/baseline.json\"\n",
        "stores = [\"../outside\"]\n",
    ] {
        let trial = Trial::new();
        let repo = trial.repo();
        let t = token("pa", 903);
        fs::write(repo.join("leak.sh"), format!("T={t}\n")).unwrap();
        fs::write(repo.join("tokenlint.toml"), line).unwrap();
        trial.commit_all();
        trial.run_all(&[t]);
    }
}

#[test]
fn tokens_in_file_names_are_never_printed() {
    let trial = Trial::new();
    let repo = trial.repo();
    let t = token("pa", 904);
    let (prefix, body) = t.split_once('/').unwrap();
    let dir = repo.join("cache").join(prefix).join(body);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("x.env"), format!("T={t}\n")).unwrap();
    let encoded = t.replace('/', "%2F");
    fs::write(repo.join(format!("{encoded}.env")), format!("U={t}\n")).unwrap();
    trial.commit_all();
    trial.run_all(&[t.clone(), body.to_string()]);
}

#[test]
fn file_names_that_look_like_options_are_files() {
    let trial = Trial::new();
    let repo = trial.repo();
    let t = token("pa", 905);
    for name in ["leak.sh", "--no-redact", "-"] {
        fs::write(repo.join(name), format!("T={t}\n")).unwrap();
    }
    trial.commit_all();
    trial.run_all(&[t]);
}

#[test]
fn a_hostile_home_and_rule_file_print_nothing_whole() {
    let trial = Trial::new();
    let repo = trial.repo();
    let t = token("sa", 906);
    // A token file in Downloads whose name and e-mail carry a token and a line break.
    let downloads = trial.root.join("home/Downloads");
    fs::create_dir_all(&downloads).unwrap();
    let file = serde_json::json!({
        "version": "1",
        "type": "service_account",
        "name": format!("n\n::error::x {t}"),
        "token": t,
        "created": "2026-01-01",
        "expires": "2027-01-01",
        "account": {"email": format!("{t}@example.test")},
    });
    fs::write(downloads.join("personal-token-x.json"), file.to_string()).unwrap();
    // A rule file of the repository's own: its docs carry a token and a workflow command.
    fs::create_dir(repo.join("rules")).unwrap();
    let rule = format!(
        "id = \"acme\"\nseverity = \"error\"\nmessage = \"acme {{secret}}\"\n\
         [docs]\nsummary = \"s\\n::error::inj {t}\"\nwhy = \"w\"\nfix = \"f\"\n\
         [sarif]\ntags = [\"test\"]\nprecision = \"low\"\nsecurity-severity = 1.0\n\
         [pattern]\nregex = 'acme_key=[a-z]{{3,8}}'\n\
         [examples]\npositive = [\"acme_key=abc\"]\nnegative = [\"acme_value=abc\"]\n"
    );
    fs::write(repo.join("rules/acme.toml"), rule).unwrap();
    fs::write(
        repo.join("tokenlint.toml"),
        "[rules]\npaths = [\"rules\"]\n",
    )
    .unwrap();
    fs::write(repo.join("leak.sh"), format!("T={t}\nacme_key=abcdef\n")).unwrap();
    trial.commit_all();
    trial.run_all(&[t]);
    for args in [vec!["rules"], vec!["explain", "acme"], vec!["scan"]] {
        let out = tokenlint_with_home(&repo, &args, &trial.root.join("home"));
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{args:?}: {out:?}"
        );
        assert!(
            !shown.lines().any(|l| l.trim_start().starts_with("::error")),
            "{args:?} started a workflow command:\n{shown}"
        );
    }
}
