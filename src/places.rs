//! The places on a developer's machine where a token lingers outside token files, for
//! `tokenlint audit`: shell and REPL history, shell start-up files, environment files,
//! credential and tool configuration, and the process environment.
//!
//! Each place is a known path under `$HOME` (or under `/etc`, unless `--no-system`) with
//! its own finding text: a token found there is reported as `token-in-shell-history` or
//! `token-in-startup-file`, with the line to delete and what to use instead. These files
//! are only read: `audit --fix` never edits them.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::check::{describe, Checker};
use crate::finding::Finding;
use crate::hygiene::{Anchor, Problem};
use crate::item::{Data, Item, OpenFile};
use crate::outcome::{Outcome, ScanError};
use crate::rules::{BuiltinRule, Severity};
use crate::scan::Scratch;
use crate::store::StoreIndex;
use crate::token::{self, Secret, TokenKind};

/// Files larger than this are read in windows, as `scan` reads large files.
pub(crate) const HELD_LIMIT: u64 = 64 << 20;

/// What the CLI should be asked for instead of pasting a token.
pub(crate) const INSTEAD: &str = "export ACCESS_TOKEN=$(remotive cloud auth print-access-token)";

/// What kind of place a file is, which decides its rule and its advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    History(Shell),
    StartupFile,
    EnvironmentFile,
    /// An environment file every account on the machine reads (`/etc`).
    SystemFile,
    CredentialFile,
}

/// Whose history a history file is: each deletes a line its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shell {
    Bash,
    Zsh,
    Fish,
    Python,
    Node,
    Pwsh,
}

/// One file to look in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) path: PathBuf,
    pub(crate) kind: Kind,
}

impl Kind {
    pub(crate) fn rule(self) -> BuiltinRule {
        match self {
            Kind::History(_) => BuiltinRule::InShellHistory,
            _ => BuiltinRule::InStartupFile,
        }
    }

    /// How the message names the place.
    fn label(self) -> &'static str {
        match self {
            Kind::History(Shell::Bash) => "bash history",
            Kind::History(Shell::Zsh) => "zsh history",
            Kind::History(Shell::Fish) => "fish history",
            Kind::History(Shell::Python) => "Python history",
            Kind::History(Shell::Node) => "Node.js REPL history",
            Kind::History(Shell::Pwsh) => "PowerShell history",
            Kind::StartupFile => "a shell start-up file",
            Kind::EnvironmentFile => "an environment file",
            Kind::SystemFile => "a system-wide environment file, which every account reads",
            Kind::CredentialFile => "a credential or tool configuration file",
        }
    }

    /// What to do about a token on `line`: never done by tokenlint itself.
    pub(crate) fn todo(self, line: usize) -> String {
        let delete = format!("delete line {line} of the file in an editor");
        let then = match self {
            Kind::History(Shell::Bash) => {
                ", and in a bash that is still open run `history -d <its number>` (or `history -c`)"
            }
            Kind::History(Shell::Zsh) => ", and close every zsh that is still open (it keeps the line in memory)",
            Kind::History(Shell::Fish) => {
                " (the `- cmd:` entry and the `when:` line under it), or run `history delete` in fish and pick it"
            }
            Kind::History(_) => "",
            Kind::SystemFile => ", and revoke the token: every account on this machine could read it",
            Kind::StartupFile | Kind::EnvironmentFile | Kind::CredentialFile => "",
        };
        let instead = match self {
            Kind::History(_) => "next time, instead of pasting the token, use",
            _ => "where a command needs the token, read it when it runs:",
        };
        format!("{delete}{then}; {instead} `{INSTEAD}`")
    }
}

/// Every place `audit` looks in under `home`, and under `system` (the root whose `etc/`
/// is read; `None` with `--no-system`), that exists now. Directories of drop-in files
/// are listed here, in name order.
pub(crate) fn places(home: &Path, system: Option<&Path>) -> Vec<Place> {
    let mut all: Vec<Place> = HOME_FILES
        .iter()
        .map(|&(rel, kind)| Place {
            path: home.join(rel),
            kind,
        })
        .collect();
    let mut dirs = vec![
        (home.join(".config/fish/conf.d"), None, Kind::StartupFile),
        (
            home.join(".config/environment.d"),
            Some(".conf"),
            Kind::EnvironmentFile,
        ),
    ];
    if let Some(root) = system {
        all.push(Place {
            path: root.join("etc/environment"),
            kind: Kind::SystemFile,
        });
        dirs.push((root.join("etc/profile.d"), None, Kind::SystemFile));
    }
    for (dir, suffix, kind) in dirs {
        all.extend(
            drop_ins(&dir, suffix)
                .into_iter()
                .map(|path| Place { path, kind }),
        );
    }
    all.retain(|p| p.path.symlink_metadata().is_ok());
    all
}

/// The files under `$HOME` that `audit` reads, each a place of its kind.
const HOME_FILES: &[(&str, Kind)] = &[
    (".bash_history", Kind::History(Shell::Bash)),
    (".zsh_history", Kind::History(Shell::Zsh)),
    (".local/share/fish/fish_history", Kind::History(Shell::Fish)),
    (".python_history", Kind::History(Shell::Python)),
    (".node_repl_history", Kind::History(Shell::Node)),
    (
        ".local/share/powershell/PSReadLine/ConsoleHost_history.txt",
        Kind::History(Shell::Pwsh),
    ),
    (".bashrc", Kind::StartupFile),
    (".bash_profile", Kind::StartupFile),
    (".profile", Kind::StartupFile),
    (".zshrc", Kind::StartupFile),
    (".zshenv", Kind::StartupFile),
    (".zprofile", Kind::StartupFile),
    (".config/fish/config.fish", Kind::StartupFile),
    (".envrc", Kind::StartupFile),
    (".ssh/environment", Kind::EnvironmentFile),
    (".pam_environment", Kind::EnvironmentFile),
    (".netrc", Kind::CredentialFile),
    (".git-credentials", Kind::CredentialFile),
    (".docker/config.json", Kind::CredentialFile),
    (".npmrc", Kind::CredentialFile),
    (".pypirc", Kind::CredentialFile),
    (".config/Code/User/settings.json", Kind::CredentialFile),
    (".config/Cursor/User/settings.json", Kind::CredentialFile),
];

/// The entries of `dir` whose names end with `suffix`, in name order; none when `dir`
/// cannot be listed.
fn drop_ins(dir: &Path, suffix: Option<&str>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| suffix.is_none_or(|s| p.to_string_lossy().ends_with(s)))
        .filter(|p| !p.is_dir())
        .collect();
    paths.sort();
    paths
}

/// Checks the places' files: each token found is a finding of its place's rule, naming
/// the stored token when `index` knows it. A file that cannot be read is an error of the
/// outcome (a warning); one larger than [`HELD_LIMIT`] is read in windows.
pub(crate) fn check_places(places: &[Place], checker: &Checker, index: &StoreIndex) -> Outcome {
    let mut outcome = Outcome::default();
    let mut scratch = Scratch::default();
    for place in places {
        let recast = |f: &Finding| recast(place.kind, f, checker, index);
        let shown = place.path.display().to_string();
        match read(&place.path) {
            Ok(Content::Held(data)) => {
                let item = Item {
                    path: Some(&place.path),
                    shown: &shown,
                    data: Data::Held(&data),
                };
                outcome.merge(checker.check_recast(item, &mut scratch, &recast));
            }
            Ok(Content::Large(file, limit)) => {
                let mut buf = Vec::new();
                let item = Item {
                    path: Some(&place.path),
                    shown: &shown,
                    data: Data::File(OpenFile {
                        file: &file,
                        limit,
                        buf: &mut buf,
                    }),
                };
                outcome.merge(checker.check_recast(item, &mut scratch, &recast));
            }
            Err(e) => outcome.errors.push(ScanError {
                path: shown,
                message: format!("cannot be read, so it was not audited: {e}"),
            }),
        }
    }
    outcome
}

/// A place's content: held, or a file too large to hold, to be read in windows.
enum Content {
    Held(Vec<u8>),
    Large(std::fs::File, u64),
}

/// The place's content: a file no larger than [`HELD_LIMIT`] is read whole (and no more
/// of it, should it grow meanwhile), a larger one is handed over open, to be read in
/// windows.
fn read(path: &Path) -> std::io::Result<Content> {
    use std::io::Read;
    let file = crate::confine::open_regular_file(path)?;
    let len = file.metadata()?.len();
    if len > HELD_LIMIT {
        return Ok(Content::Large(file, len));
    }
    let mut data = Vec::new();
    (&file).take(HELD_LIMIT).read_to_end(&mut data)?;
    Ok(Content::Held(data))
}

/// The problem a token that the pattern rules found at a place is, for that place's
/// rule; `None` for a finding of any other rule, which stays as it is.
fn recast(kind: Kind, f: &Finding, checker: &Checker, index: &StoreIndex) -> Option<Problem> {
    let rule = BuiltinRule::from_id(&f.rule_id)?;
    if !matches!(
        rule,
        BuiltinRule::PersonalAccessToken | BuiltinRule::ServiceAccountToken
    ) {
        return None;
    }
    let line = f.position.line;
    Some(Problem::new(
        kind.rule(),
        Anchor::Token,
        vec![
            ("line", line.to_string()),
            ("place", kind.label().to_string()),
            ("stored", stored(f.secret.as_ref(), checker, index)),
            ("todo", kind.todo(line)),
        ],
    ))
}

/// " — it is the personal token "laptop" in the local token store (…)", when the local
/// store holds `secret`; else nothing.
fn stored(secret: Option<&Secret>, checker: &Checker, index: &StoreIndex) -> String {
    secret
        .and_then(|s| index.get(&s.hash()))
        .map(|t| format!(" — it is {}", describe(&t.file, checker.settings().today)))
        .unwrap_or_default()
}

/// The variable the CLI reads a token from.
pub(crate) const AUTH_VARIABLE: &str = "REMOTIVE_CLOUD_AUTH_TOKEN";
/// The name older CLIs read, deprecated.
pub(crate) const DEPRECATED_VARIABLE: &str = "REMOTIVE_CLOUD_ACCESS_TOKEN";

/// What `audit` needs of the process environment, read once when the options are
/// resolved: the two token variables, and whether this runs in CI.
/// No `Debug`: it holds tokens.
#[derive(Clone, Default)]
pub struct Environment {
    pub auth_token: Option<OsString>,
    pub access_token: Option<OsString>,
    pub ci: bool,
}

impl Environment {
    /// The environment as `env` gives it.
    pub fn read(env: impl Fn(&str) -> Option<OsString>) -> Environment {
        let ci = env("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
        Environment {
            auth_token: env(AUTH_VARIABLE),
            access_token: env(DEPRECATED_VARIABLE),
            ci,
        }
    }
}

/// The `token-in-environment` findings of `env`: a token in either variable (a warning
/// when it is a personal token in CI), and the deprecated name when it is set. A
/// finding's path is the variable, `$NAME`; the token is never shown.
pub(crate) fn check_environment(
    env: &Environment,
    checker: &Checker,
    index: &StoreIndex,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (name, value) in [
        (AUTH_VARIABLE, &env.auth_token),
        (DEPRECATED_VARIABLE, &env.access_token),
    ] {
        let Some(value) = value else { continue };
        let key = format!("${name}");
        let text = value.to_string_lossy();
        let text = text.trim();
        let held = token::kind(text)
            .filter(|_| token::is_token(text))
            .map(|kind| (kind, Secret::from_match(text.as_bytes())));
        if let Some((kind, secret)) = held {
            let stored = stored(Some(&secret), checker, index);
            let problem = variable_problem(name, &token_holds(kind, env.ci, &stored));
            let mut made = checker.loose_findings(&key, &[(problem, Some(secret))]);
            if env.ci && kind == TokenKind::Personal {
                // CI should use a service account: a personal token there is a warning.
                for f in &mut made {
                    f.severity = f.severity.max(Severity::Warning);
                }
            }
            findings.extend(made);
        }
        if name == DEPRECATED_VARIABLE {
            let why = format!("is deprecated: the CLI reads `{AUTH_VARIABLE}`; rename it");
            findings.extend(checker.loose_findings(&key, &[(variable_problem(name, &why), None)]));
        }
    }
    findings
}

fn variable_problem(name: &str, problem: &str) -> Problem {
    Problem::new(
        BuiltinRule::InEnvironment,
        Anchor::Token,
        vec![
            ("variable", name.to_string()),
            ("problem", problem.to_string()),
        ],
    )
}

/// What a variable holding a token of `kind` is told.
fn token_holds(kind: TokenKind, ci: bool, stored: &str) -> String {
    match (kind, ci) {
        (TokenKind::Personal, true) => format!(
            "holds a personal token in CI{stored}: it acts as you, for everyone who can change \
             the pipeline; use a service account's token there instead"
        ),
        (TokenKind::ServiceAccount, true) => format!(
            "holds a service-account token{stored}, as CI should; keep it in the pipeline's \
             secrets"
        ),
        (kind, false) => {
            let kind = match kind {
                TokenKind::Personal => "a personal token",
                TokenKind::ServiceAccount => "a service-account token",
            };
            format!(
                "holds {kind}{stored}: every process started from this shell gets it; unset \
                 it and use `{INSTEAD}` for the command that needs it"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_of_the_issue_is_looked_in_and_etc_only_when_asked() {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let rels = [
            ".bash_history",
            ".local/share/fish/fish_history",
            ".local/share/powershell/PSReadLine/ConsoleHost_history.txt",
            ".config/fish/conf.d/tokens.fish",
            ".config/environment.d/10-remotive.conf",
            ".config/environment.d/README",
            ".ssh/environment",
            ".config/Cursor/User/settings.json",
        ];
        for rel in rels {
            let path = home.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir_all(root.path().join("etc/profile.d")).unwrap();
        std::fs::write(root.path().join("etc/environment"), "x").unwrap();
        std::fs::write(root.path().join("etc/profile.d/remotive.sh"), "x").unwrap();
        let found = |system| {
            places(home.path(), system)
                .into_iter()
                .map(|p| (p.path, p.kind))
                .collect::<Vec<_>>()
        };
        let without = found(None);
        let rel = |p: &PathBuf| p.strip_prefix(home.path()).unwrap().display().to_string();
        let names: Vec<String> = without.iter().map(|(p, _)| rel(p)).collect();
        assert_eq!(
            names,
            [
                ".bash_history",
                ".local/share/fish/fish_history",
                ".local/share/powershell/PSReadLine/ConsoleHost_history.txt",
                ".ssh/environment",
                ".config/Cursor/User/settings.json",
                ".config/fish/conf.d/tokens.fish",
                ".config/environment.d/10-remotive.conf",
            ]
        );
        assert_eq!(without[1].1, Kind::History(Shell::Fish));
        let with = found(Some(root.path()));
        let system: Vec<_> = with
            .iter()
            .filter(|(_, k)| *k == Kind::SystemFile)
            .collect();
        assert_eq!(system.len(), 2, "{with:?}");
    }

    #[test]
    fn the_advice_names_the_line_and_the_command() {
        let bash = Kind::History(Shell::Bash).todo(12);
        assert!(
            bash.contains("delete line 12") && bash.contains("history -d"),
            "{bash}"
        );
        assert!(bash.ends_with(&format!("`{INSTEAD}`")));
        let etc = Kind::SystemFile.todo(3);
        assert!(etc.contains("line 3") && etc.contains("revoke"), "{etc}");
    }

    #[test]
    fn ci_is_read_from_the_variable() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            Environment::read(move |k| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            })
        };
        assert!(env(&[("CI", "true")]).ci);
        assert!(!env(&[("CI", "false")]).ci && !env(&[]).ci);
        let e = env(&[(DEPRECATED_VARIABLE, "x")]);
        assert_eq!(e.access_token.as_deref(), Some("x".as_ref()));
    }
}
