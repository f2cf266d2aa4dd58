//! `tokenlint hook pre-receive` (the server's gate, which no one can skip) and `tokenlint
//! hook pre-push` (the client's): what a push adds, read from git's input as a range
//! (`source/push.rs`), is judged by the history scan, within a time budget. Each finding
//! at or above `--fail-on` is one line on standard error, which a pusher sees as
//! `remote:` lines, then what to do; and the push is refused (exit 1).
//!
//! On the server, the configuration is the admin's `--config`, else the repository's
//! `tokenlint.toml` on its default branch (`HEAD`, read through git), never the pushed
//! commits': a push cannot turn off its own check, nor hide its tokens with a
//! `.tokenlintignore`. A pusher may bypass the check with `git push -o
//! tokenlint.allow=<reason>`, which is logged with their name, unless the configuration
//! says `[push] allow-bypass = false`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use crate::config::Config;
use crate::finding::{Finding, SuppressionKind};
use crate::git::{self, Object, Revisions, Without};
use crate::options::HookRequest;
use crate::report::warn;
use crate::rules::Severity;
use crate::setup::{self, Checks, ConfigChoice, Setup};
use crate::source::{self, push, OnTimeout, ProjectIgnore, PushHook, Source};
use crate::{Error, EXIT_CLEAN, EXIT_FOUND};

/// Runs a push hook from the current directory, the repository git runs it in.
pub(super) fn run(request: HookRequest) -> Result<ExitCode, Error> {
    let repo = source::current_dir();
    let config = hook_config(&request, &repo)?;
    let bypass = match request.hook {
        PushHook::PreReceive => {
            Bypass::asked(push::bypass_reason(|n| std::env::var(n).ok()), &config)
        }
        PushHook::PrePush { .. } => None,
    };
    let gate = Gate {
        hook: request.hook.clone(),
        fail_on: request
            .fail_on
            .or(config.fail_on)
            .unwrap_or(Severity::Warning),
        allow_bypass: config.push.allow_bypass,
        pusher: push::pusher(|name| std::env::var(name).ok()),
    };
    match (judge_in_budget(request, config, repo), bypass) {
        (Judged::Done(Ok(pushed)), bypass) => Ok(gate.verdict(&pushed, bypass.as_ref())),
        (Judged::Done(Err(e)), Some(bypass)) => Ok(bypass.accept(&format!("judging failed: {e}"))),
        (Judged::Done(Err(e)), None) => Err(e),
        (Judged::OutOfTime(secs, _), Some(bypass)) => {
            Ok(bypass.accept(&format!("judging took over {secs} s")))
        }
        (Judged::OutOfTime(secs, on_timeout), None) => Ok(gate.out_of_time(secs, on_timeout)),
    }
}

/// The configuration a hook judges by: `--config` or `--no-config`; else, on the server,
/// the default branch's `tokenlint.toml`, and on the client the one found as `scan` finds
/// it.
fn hook_config(request: &HookRequest, repo: &Path) -> Result<Config, Error> {
    match (&request.rules.config, &request.hook) {
        (ConfigChoice::Found, PushHook::PreReceive) => Ok(config_at_head(repo)),
        (choice, _) => Ok(setup::project_config(choice, repo)?),
    }
}

/// The repository's `tokenlint.toml` (or `.tokenlint.toml`) at `HEAD`: the default
/// branch as it was before the push, read through git. One that cannot be used is judged
/// by the defaults, the strictest, with a warning: a broken file must not refuse the push
/// that fixes it. It names no file a bare repository has: its `baseline`, `rules.paths`
/// and `stores` are left out.
fn config_at_head(repo: &Path) -> Config {
    let names = crate::config::FILE_NAMES.map(|n| format!("HEAD:{n}"));
    let mut found: Option<(usize, Object)> = None;
    let read = git::read_all(repo, &names, crate::confine::TEXT_CAP + 1, |i, o| {
        if found.is_none() && !matches!(o, Object::Missing) {
            found = Some((i, o));
        }
    });
    let (name, object) = match (read, found) {
        (Err(e), _) => return defaults_because(&format!("cannot read it: {e}")),
        (Ok(()), None) => return Config::default(),
        (Ok(()), Some((i, object))) => (crate::config::FILE_NAMES[i], object),
    };
    let Object::Held(bytes) = object else {
        return defaults_because(&format!("HEAD:{name} is larger than 1 MiB"));
    };
    let top = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match Config::from_commit(&top.join(name), text) {
        Ok(config) => without_named_files(config, name),
        Err(e) => defaults_because(&format!("HEAD:{name} is not valid: {e}")),
    }
}

fn defaults_because(why: &str) -> Config {
    warn(&format!(
        "tokenlint: warning: the repository's configuration is not used ({why}); judged \
         with the defaults"
    ));
    Config::default()
}

/// `config` without the files it names, which a bare repository does not have.
fn without_named_files(mut config: Config, name: &str) -> Config {
    if config.baseline.is_some() || !config.rules.paths.is_empty() || !config.stores.is_empty() {
        warn(&format!(
            "tokenlint: warning: HEAD:{name} names files (baseline, rules.paths, stores), \
             which a server's repository does not have: left out"
        ));
        config.baseline = None;
        config.rules.paths.clear();
        config.stores.clear();
    }
    config
}

/// What judging came to.
enum Judged {
    Done(Result<Pushed, Error>),
    /// Past the budget of this many seconds.
    OutOfTime(f64, OnTimeout),
}

/// Judges the push in a thread of its own, waiting at most the budget: past it, the
/// thread is left to the process's end, and its git children to their closed pipes.
fn judge_in_budget(request: HookRequest, config: Config, repo: PathBuf) -> Judged {
    let budget = request.budget;
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(judge(&request, config, &repo));
    });
    // A judge that stopped without a word refuses: never a silent pass.
    let stopped = || {
        Err(Error::Git(git::GitError {
            message: "judging the push stopped".into(),
            help: None,
        }))
    };
    match budget {
        None => Judged::Done(receiver.recv().unwrap_or_else(|_| stopped())),
        Some(budget) => match receiver.recv_timeout(budget.time) {
            Ok(result) => Judged::Done(result),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Judged::OutOfTime(budget.time.as_secs_f64(), budget.on_timeout)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Judged::Done(stopped()),
        },
    }
}

/// What the commits a push adds hold.
struct Pushed {
    /// The findings whose secret the push introduces, sorted.
    findings: Vec<Finding>,
    /// Older secrets of the files it touches, not judged.
    older: usize,
}

/// The findings of the commits the push adds; none when it adds none.
fn judge(request: &HookRequest, config: Config, repo: &Path) -> Result<Pushed, Error> {
    let Some(range) = pushed(&request.hook, repo)? else {
        return Ok(Pushed {
            findings: Vec::new(),
            older: 0,
        });
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let setup = Setup::with_config(&request.rules.rule_dirs, config, repo, cwd)?;
    let checks = Checks {
        redact: true,
        audit: false,
        store_index: false,
        archives: crate::archive::ArchiveLimits::default(),
    };
    let settings = setup.settings(&request.hygiene, checks)?;
    let ignore = match request.hook {
        // The tree's ignore file is the pusher's to write.
        PushHook::PreReceive => ProjectIgnore::disabled(&setup.project_root),
        PushHook::PrePush { .. } => ProjectIgnore::read(&setup.project_root)?,
    };
    let checker = setup.checker(settings)?;
    let history = Source::History {
        repo: repo.to_path_buf(),
        range,
    };
    let (outcome, _) = source::scan(&[history], &checker, &ignore)?;
    for e in &outcome.errors {
        warn(&format!("tokenlint: warning: {}: {}", e.path, e.message));
    }
    let mut findings = outcome.findings;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Pushed {
        findings,
        older: outcome.older,
    })
}

/// The commits the push adds, from git's standard input (or, under pre-commit, its
/// environment); `None` when it adds none.
fn pushed(hook: &PushHook, repo: &Path) -> Result<Option<Revisions>, Error> {
    let read = || push::read_lines(&mut std::io::stdin().lock());
    match hook {
        PushHook::PreReceive => Ok(push::pre_receive(&read()?)?),
        PushHook::PrePush { remote, .. } => {
            let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            if let Some(revs) = push::pre_commit_push(env) {
                return Ok(Some(revs));
            }
            let Some(mut revs) = push::pre_push(&read()?, remote.as_deref())? else {
                return Ok(None);
            };
            // A remote commit this clone has not fetched names nothing to leave out.
            let theirs: Vec<String> = revs.without.iter().filter_map(commit_of).collect();
            let missing = git::missing_objects(repo, theirs.iter())?;
            revs.without
                .retain(|w| commit_of(w).is_none_or(|c| !missing.contains(&c)));
            Ok(Some(revs))
        }
    }
}

fn commit_of(without: &Without) -> Option<String> {
    match without {
        Without::Rev(rev) => Some(rev.clone()),
        _ => None,
    }
}

/// One refused finding: its commit, path, line, rule and redacted token.
fn finding_line(finding: &Finding) -> String {
    format!("tokenlint: {}", finding_text(finding))
}

/// A finding's commit, path, line, rule and redacted token.
fn finding_text(finding: &Finding) -> String {
    let commit = finding
        .commit
        .as_ref()
        .map_or("(no commit)", |c| &c.id[..c.id.len().min(10)]);
    let secret = finding
        .secret
        .as_ref()
        .map_or_else(|| finding.message.clone(), |s| s.redacted());
    format!(
        "{commit} {}:{} {} {secret}",
        crate::report::clean(&finding.path),
        finding.position.line,
        finding.rule_id
    )
}

/// `1 finding`, `2 findings`.
fn findings_count(count: usize) -> String {
    format!("{count} finding{}", if count == 1 { "" } else { "s" })
}

/// What a hook refuses, and how it says what to do.
struct Gate {
    hook: PushHook,
    fail_on: Severity,
    allow_bypass: bool,
    /// Who pushed, for the audit lines of what a bypass lets through.
    pusher: String,
}

/// Why a finding at or above `--fail-on` does not refuse the push, if it does not.
enum Let {
    /// It refuses the push.
    Refuse,
    /// The pusher's inline marker in the pushed commits, taken as a bypass of one finding.
    ByMarker,
    /// The configuration (its allowlist), or, on the client, any suppression.
    Suppressed,
}

impl Gate {
    /// Prints the findings at or above `--fail-on`, and refuses the push when there are
    /// any, unless a bypass accepts it.
    fn verdict(&self, pushed: &Pushed, bypass: Option<&Bypass>) -> ExitCode {
        let mut blocking = Vec::new();
        for finding in pushed
            .findings
            .iter()
            .filter(|f| f.severity >= self.fail_on)
        {
            match self.lets(finding) {
                Let::Refuse => blocking.push(finding),
                Let::ByMarker => warn(&format!(
                    "tokenlint: bypass: {} accepted by its inline marker ({}), by {}",
                    finding_text(finding),
                    finding
                        .suppression
                        .as_ref()
                        .and_then(|s| s.reason.as_deref())
                        .map_or_else(String::new, crate::report::clean),
                    crate::report::clean(&self.pusher)
                )),
                Let::Suppressed => {}
            }
        }
        for finding in &blocking {
            warn(&finding_line(finding));
        }
        if blocking.iter().any(|f| marked(f)) {
            self.markers_ignored();
        }
        if pushed.older > 0 {
            warn(&crate::report::older_line(pushed.older));
        }
        match (blocking.len(), bypass) {
            (0, _) => ExitCode::from(EXIT_CLEAN),
            (count, Some(bypass)) => bypass.accept(&findings_count(count)),
            (count, None) => self.refuse(count),
        }
    }

    /// On the server, an inline marker (`tokenlint:allow`, `gitleaks:allow`) is the
    /// pusher's own word, in the commits judged: it lets its finding through only as a
    /// bypass would (allowed, with a reason), and is logged as one. The configuration's
    /// allowlist is the admin's.
    fn lets(&self, finding: &Finding) -> Let {
        match (&finding.suppression, &self.hook) {
            (None, _) => Let::Refuse,
            (Some(_), PushHook::PrePush { .. }) => Let::Suppressed,
            (Some(_), PushHook::PreReceive) if !marked(finding) => Let::Suppressed,
            (Some(s), PushHook::PreReceive) if self.allow_bypass && s.reason.is_some() => {
                Let::ByMarker
            }
            (Some(_), PushHook::PreReceive) => Let::Refuse,
        }
    }

    fn markers_ignored(&self) {
        let why = if self.allow_bypass {
            "one counts only with a reason after it, as a bypass, and is logged"
        } else {
            "this server turns bypass off ([push] allow-bypass = false)"
        };
        warn(&format!(
            "tokenlint: an inline marker in the pushed commits did not let its finding through: \
             {why}"
        ));
    }

    /// Says why the push is refused and what to do, and refuses it.
    fn refuse(&self, count: usize) -> ExitCode {
        warn(&format!(
            "tokenlint: push refused: {} at or above {} in the commits it adds",
            findings_count(count),
            self.fail_on
        ));
        warn(
            "tokenlint: remove each token from the commits that add it (rewrite them: `git \
             rebase -i <commit>~1`, or `git commit --amend` for the last one), revoke it (it \
             may have been seen), and push again",
        );
        self.bypass_hint();
        ExitCode::from(EXIT_FOUND)
    }

    fn bypass_hint(&self) {
        match self.hook {
            PushHook::PreReceive if self.allow_bypass => warn(&format!(
                "tokenlint: if a finding is wrong: git push -o {}=\"<reason>\" (the reason and \
                 your name are logged)",
                push::BYPASS_OPTION
            )),
            PushHook::PreReceive => {}
            PushHook::PrePush { .. } => warn(
                "tokenlint: if a finding is wrong: git push --no-verify (the server may still \
                 refuse it)",
            ),
        }
    }

    /// Past the budget: refused (fail closed), or accepted with a warning (fail open).
    fn out_of_time(&self, secs: f64, on_timeout: OnTimeout) -> ExitCode {
        match on_timeout {
            OnTimeout::Refuse => {
                warn(&format!(
                    "tokenlint: push refused: judging it took longer than {secs} s (--timeout), \
                     and the hook fails closed; push fewer commits at a time"
                ));
                self.bypass_hint();
                ExitCode::from(EXIT_FOUND)
            }
            OnTimeout::Accept => {
                warn(&format!(
                    "tokenlint: warning: judging the push took longer than {secs} s \
                     (--timeout): accepted unjudged (--on-timeout accept)"
                ));
                ExitCode::from(EXIT_CLEAN)
            }
        }
    }
}

/// Whether an inline marker in the judged file suppresses `finding`.
fn marked(finding: &Finding) -> bool {
    finding
        .suppression
        .as_ref()
        .is_some_and(|s| s.kind == SuppressionKind::InSource)
}

/// A pusher's `-o tokenlint.allow=<reason>`, that the configuration allows.
struct Bypass {
    reason: String,
    pusher: String,
}

impl Bypass {
    /// The bypass asked for, when it counts: it gives a reason, and the configuration
    /// allows one. Says so when it does not count.
    fn asked(reason: Option<String>, config: &Config) -> Option<Bypass> {
        let reason = reason?;
        if !config.push.allow_bypass {
            warn(&format!(
                "tokenlint: -o {} ignored: this server turns bypass off ([push] allow-bypass \
                 = false)",
                push::BYPASS_OPTION
            ));
            return None;
        }
        if reason.is_empty() {
            warn(&format!(
                "tokenlint: -o {} ignored: give a reason, -o {}=\"<reason>\"",
                push::BYPASS_OPTION,
                push::BYPASS_OPTION
            ));
            return None;
        }
        let pusher = push::pusher(|name| std::env::var(name).ok());
        Some(Bypass { reason, pusher })
    }

    /// Accepts the push, with the audit line: who, why, and what was let through.
    fn accept(&self, what: &str) -> ExitCode {
        warn(&format!(
            "tokenlint: bypass: push accepted despite {what}, by {} with -o {}: {}",
            crate::report::clean(&self.pusher),
            push::BYPASS_OPTION,
            crate::report::clean(&self.reason)
        ));
        ExitCode::from(EXIT_CLEAN)
    }
}
