//! tokenlint: finds hard-coded RemotiveCloud tokens, and token files that are misplaced,
//! expired, old, long-lived or readable by others.
//!
//! The data flow is one-way: arguments → configuration and rules → walk → per-file check
//! (scan, token files, inline suppression) → findings → sort → baseline → report. [`run`]
//! is that flow; each step lives in its own module.
//!
//! The library prints nothing (`print_stdout` and `print_stderr` are denied): a report goes
//! to the writer its reporter is handed (standard output, or the `--output` file), and a
//! warning or a panic's message to the sink the binary installs
//! ([`report::set_warning_sink`]). Only a history scan's progress bar draws on standard
//! error, and only when it is a terminal.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod audit;
pub mod baseline;
pub mod check;
#[allow(clippy::print_stdout, clippy::print_stderr)] // moves into the binary
pub mod cli;
pub mod config;
pub mod confine;
pub mod crash;
pub mod docs;
mod error;
pub mod finding;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod git;
pub mod history;
pub(crate) mod hook;
pub mod hygiene;
mod output;
pub(crate) mod repo;
pub mod report;
pub mod rules;
pub mod scan;
pub mod setup;
pub mod store;
pub mod suppress;
pub mod token_file;
pub mod walk;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

use baseline::Baseline;
use check::Checker;
use cli::{BaselineArgs, Cli, ColorChoice, Command, ReportArgs, ScanArgs};
use confine::Scope;
pub use error::Error;
pub use output::stdout_was_closed;
use report::{Report, RunContext, Summary, TokenFileRow};
use rules::{RuleSet, Severity};
use setup::{walk_options, ProjectIgnore, Setup};
use walk::{display_path, Outcome, WalkOptions};

/// Exit codes: nothing found at or above `--fail-on`, something found. Errors exit with 2.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FOUND: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    let result = run_command(cli);
    let underived = finding::underived_short_secrets();
    if underived > 0 {
        report::warn(
            &format!(
                "warning: {underived} distinct short secrets past the first {} are \
                 fingerprinted by rule, path and occurrence only (see the README)",
                finding::SLOW_HASH_BUDGET
            ),
            true,
        );
    }
    result
}

fn run_command(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Audit(args) => {
            redaction_allowed(&args.report)?;
            let setup = Setup::for_audit(&args.rules.rule_dirs, &args.config)?;
            let settings = setup.settings(&args.hygiene, !args.report.no_redact, true, false)?;
            let checker = setup.checker(settings)?;
            let audited = audit::audit(&args.paths, &checker)?;
            let context = run_context(&[], true, &args.report);
            let rows = Some(audited.token_files);
            let fail_on = fail_on(&args.report, &setup);
            report(
                &setup.rules,
                &args.report,
                fail_on,
                &context,
                audited.outcome,
                rows,
                args.show_suppressed,
            )
        }
        Command::Baseline(args) => write_baseline(&args),
        Command::InstallHook { force } => {
            let cwd = std::env::current_dir().unwrap_or_default();
            let path = hook::install_hook(&cwd, force)?;
            output::print(&format!(
                "tokenlint: installed {}; commits that stage a token are refused\n",
                hook::shown(&path)
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules(args) => {
            // The rules a scan from here would run.
            let setup = Setup::new(&args.rules.rule_dirs, &args.config, &[])?;
            if args.check {
                return check_rules(&setup.rules);
            }
            output::print(&docs::rules_list(&setup.rules))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(args) => {
            // Every rule a scan from here could run, those the configuration disables too.
            let cwd = std::env::current_dir().unwrap_or_default();
            let config = setup::project_config(&args.config, &cwd)?;
            let set = setup::rule_set(&args.rules.rule_dirs, &config)?;
            let rule = set
                .get(&args.id)
                .ok_or_else(|| Error::UnknownRule(args.id.clone()))?;
            output::print(&docs::explain(rule))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tokenlint", &mut out);
            output::print(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn scan(args: &ScanArgs) -> Result<ExitCode, Error> {
    redaction_allowed(&args.report)?;
    if args.history && args.paths.len() > 1 {
        return Err(Error::Usage(
            "--history scans one repository: give at most one PATH".into(),
        ));
    }
    if args.hook && args.paths.is_empty() && !args.staged {
        // A silent hook is a broken hook: say that there was nothing to do.
        report::warn("tokenlint: the hook was given no files to scan", true);
        return Ok(ExitCode::SUCCESS);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else if args.hook {
        let paths: Vec<PathBuf> = args.paths.iter().map(hook_file).collect();
        hook_options(&paths)?;
        paths
    } else {
        args.paths.clone()
    };
    let setup = Setup::new(&args.rules.rule_dirs, &args.config, &paths)?;
    let settings = setup.settings(&args.hygiene, !args.report.no_redact, false, !args.no_store)?;
    let checker = setup.checker(settings)?;
    let ignore = ProjectIgnore::new(&setup.project_root, !args.walk.no_ignore)?;
    // A hook's file list goes through the project's .tokenlintignore too.
    let paths: Vec<PathBuf> = if args.hook {
        let kept: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| !ignore.ignores(&check::normalize(&setup.cwd.join(p))))
            .collect();
        if kept.is_empty() {
            report::warn(
                "tokenlint: every file the hook was given is ignored by .tokenlintignore",
                true,
            );
            return Ok(ExitCode::SUCCESS);
        }
        kept
    } else {
        paths
    };
    // The paths a baseline's entries are judged for: an entry elsewhere is not stale.
    let mut scope = scope(&paths, &checker);
    let mut outcome = if args.staged {
        let (outcome, staged) = scan_staged(&setup.cwd, &checker, &ignore)?;
        scope = staged;
        outcome
    } else if args.history {
        scope = vec![String::new()];
        let revs = git::Revisions {
            branch: args.branch.clone(),
            since: args.since.clone(),
        };
        history::scan(&paths[0], &revs, &checker, &ignore)?
    } else {
        scan_paths(&paths, &walk_options(&args.walk), &checker)?
    };
    if let Some((path, confined)) = baseline::chosen(args.baseline.as_ref(), &setup.config)? {
        let baseline = Baseline::load(&path, &confined)?;
        let used = baseline.apply(&mut outcome.findings);
        let stale = baseline.stale_findings(
            &used,
            |p| in_scope(&scope, p),
            &display_path(&path),
            &setup.rules,
        );
        outcome.findings.extend(stale);
    }
    let mut context = run_context(&paths, false, &args.report);
    if args.history {
        // History paths are relative to the top of the working tree.
        if let Ok(top) = git::toplevel(&paths[0]) {
            context.root = top.canonicalize().unwrap_or(top.clone());
            context.cwd.clone_from(&context.root);
            context.provenance = git::provenance(&top);
        }
    }
    let fail_on = fail_on(&args.report, &setup);
    report(
        &setup.rules,
        &args.report,
        fail_on,
        &context,
        outcome,
        None,
        args.show_suppressed,
    )
}

/// A file name a hook was given, as a path to scan: a staged file named `-` is that file,
/// never standard input.
fn hook_file(name: &PathBuf) -> PathBuf {
    if name == "-" {
        PathBuf::from("./-")
    } else {
        name.clone()
    }
}

/// The blobs staged in the index of the repository around `dir`, read by object id, and
/// the keys of the staged files. A staged blob that cannot be read stops the run: what is
/// not scanned must not pass.
fn scan_staged(
    dir: &std::path::Path,
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<(Outcome, Vec<String>), Error> {
    let top = repo::open(dir)?.top;
    let mut files = git::staged_files(&top)?;
    files.retain(|f| !ignore.ignores(&top.join(&f.path)));
    if files.is_empty() {
        report::warn("tokenlint: nothing is staged to scan", true);
    }
    let keys = files
        .iter()
        .map(|f| checker.key(&top.join(&f.path)))
        .collect();
    let mut outcome = Outcome::default();
    let (mut scratch, mut window) = (scan::Scratch::default(), Vec::new());
    let mut unreadable: Vec<String> = Vec::new();
    let oids = files.iter().map(|f| f.oid.clone()).collect();
    git::read_all(&top, oids, walk::SPOOL_FROM, |i, object| {
        let (file, shown) = (&files[i], display_path(&files[i].path));
        let path = top.join(&file.path);
        match walk::scan_object(checker, &path, &shown, object, &mut window, &mut scratch) {
            Some(scanned) => outcome.merge(scanned),
            None => unreadable.push(format!("{} (object {})", report::visible(&shown), file.oid)),
        }
    })?;
    if !unreadable.is_empty() {
        return Err(unreadable_staged(&unreadable).into());
    }
    Ok((outcome, keys))
}

/// Refuses a hook file name that starts with `-` and is not there: an option given after
/// `--hook` (pre-commit's `args: [--fail-on, error]`), not a file.
fn hook_options(paths: &[PathBuf]) -> Result<(), Error> {
    let dashed = |p: &&PathBuf| p.as_os_str().as_encoded_bytes().starts_with(b"-");
    match paths.iter().filter(dashed).find_map(|p| {
        let missing = p.symlink_metadata().err()?;
        Some((p, missing))
    }) {
        Some((path, error)) => Err(Error::HookOption {
            path: path.clone(),
            error,
        }),
        None => Ok(()),
    }
}

/// The error for staged blobs git cannot read, each named with its object id.
fn unreadable_staged(unreadable: &[String]) -> git::GitError {
    git::GitError {
        message: format!(
            "cannot read what is staged for {}: the object is not in this repository \
             (nothing was fetched), so it was not scanned",
            unreadable.join(", ")
        ),
        help: Some("`git fsck` checks the repository; stage the file again".into()),
    }
}

/// `tokenlint baseline`: write the current findings, or prune a baseline to the entries
/// that still match. Either way, the entries of paths that were not scanned are kept.
fn write_baseline(args: &BaselineArgs) -> Result<ExitCode, Error> {
    let setup = Setup::new(&args.rules.rule_dirs, &args.config, &args.paths)?;
    let settings = setup.settings(&args.hygiene, true, false, false)?;
    let checker = setup.checker(settings)?;
    let mut outcome = scan_paths(&args.paths, &walk_options(&args.walk), &checker)?;
    for e in &outcome.errors {
        report::warn(&format!("warning: {}: {}", e.path, e.message), true);
    }
    outcome.findings.retain(|f| f.suppression.is_none());
    let scope = scope(&args.paths, &checker);
    let (path, entries, said) = match &args.prune {
        Some(path) => {
            let baseline = Baseline::load(path, &Scope::Anywhere)?;
            let used = baseline.apply(&mut outcome.findings);
            let kept = baseline.pruned(&used, |p| in_scope(&scope, p));
            let dropped = baseline.entries.len() - kept.len();
            let said = format!(
                "dropped {} that matched nothing from {}, kept {}",
                entries_of(dropped),
                report::clean_path(path),
                kept.len()
            );
            (path.clone(), kept, said)
        }
        None => {
            let (output, confined) = match &args.output {
                Some(output) => (output.clone(), Scope::Anywhere),
                None => baseline::chosen(None, &setup.config)?.unwrap_or_else(|| {
                    (PathBuf::from(".tokenlint-baseline.json"), Scope::Anywhere)
                }),
            };
            let kept = baseline::entries_elsewhere(&output, &confined, |p| in_scope(&scope, p))?;
            let entries =
                baseline::unique(kept.into_iter().chain(baseline::entries(&outcome.findings)));
            let said = format!(
                "wrote {} to {}",
                entries_of(entries.len()),
                report::clean_path(&output)
            );
            (output, entries, said)
        }
    };
    let text = baseline::render(&entries);
    output::write_report(Some(&path), false, |out| out.write_all(text.as_bytes()))?;
    output::print(&format!("tokenlint: {said}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn entries_of(n: usize) -> String {
    match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    }
}

/// The keys of the scanned paths: a baseline entry outside them is not stale, only not looked at.
fn scope(paths: &[PathBuf], checker: &Checker) -> Vec<String> {
    paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| checker.key(p))
        .collect()
}

fn in_scope(scope: &[String], key: &str) -> bool {
    scope.iter().any(|s| {
        s.is_empty()
            || s == "."
            || key == s
            || key
                .strip_prefix(s.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The environment variable that lets `--no-redact` run in CI anyway.
pub const ALLOW_UNREDACTED_IN_CI: &str = "TOKENLINT_ALLOW_UNREDACTED_IN_CI";

/// The environment variables that tell a CI run: any one of them present, even empty.
pub const CI_VARIABLES: [&str; 9] = [
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TF_BUILD",
    "JENKINS_URL",
    "BUILDKITE",
    "CIRCLECI",
    "TEAMCITY_VERSION",
    "BITBUCKET_BUILD_NUMBER",
];

/// `--no-redact` is refused in CI (any of [`CI_VARIABLES`] set, even to nothing), where a
/// log or an upload would keep the secrets, unless the environment opts in with
/// `ALLOW_UNREDACTED_IN_CI=yes`. An environment variable, because a workflow's inputs
/// reach tokenlint as arguments.
fn redaction_allowed(args: &ReportArgs) -> Result<(), Error> {
    let ci = CI_VARIABLES
        .into_iter()
        .find(|name| std::env::var_os(name).is_some());
    let opted_in = std::env::var_os(ALLOW_UNREDACTED_IN_CI).is_some_and(|v| v == "yes");
    match ci {
        Some(name) if args.no_redact && !opted_in => Err(Error::Usage(format!(
            "--no-redact is refused in CI ({name} is set): the secrets would be kept in its \
             logs and uploads; to show them anyway, set {ALLOW_UNREDACTED_IN_CI}=yes in the \
             environment"
        ))),
        _ => Ok(()),
    }
}

/// `--fail-on`, else the configuration's, else `warning`.
fn fail_on(args: &ReportArgs, setup: &Setup) -> Severity {
    args.fail_on
        .or(setup.config.fail_on)
        .unwrap_or(Severity::Warning)
}

/// The scan root is the one directory scanned, or else the current directory.
fn run_context(paths: &[PathBuf], absolute_uris: bool, args: &ReportArgs) -> RunContext {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = match paths {
        [one] if one.is_dir() => one.canonicalize().unwrap_or_else(|_| cwd.join(one)),
        _ => cwd.clone(),
    };
    RunContext {
        cwd,
        root,
        absolute_uris,
        sarif_category: args.sarif_category.clone(),
        provenance: None,
    }
}

/// Sorts the outcome, writes the report, and decides the exit code.
fn report(
    set: &RuleSet,
    args: &ReportArgs,
    fail_on: Severity,
    context: &RunContext,
    outcome: Outcome,
    mut token_files: Option<Vec<TokenFileRow>>,
    show_suppressed: bool,
) -> Result<ExitCode, Error> {
    let Outcome {
        mut findings,
        mut errors,
        files,
        bytes,
    } = outcome;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    errors.sort();
    if !args.no_redact {
        report::redact_names(&mut findings, &mut errors, token_files.as_deref_mut());
    }
    for e in &errors {
        report::warn(
            &format!("warning: {}: {}", e.path, e.message),
            !args.no_redact,
        );
    }
    let summary = Summary::new(&findings, errors.len(), files, bytes);
    if !show_suppressed {
        findings.retain(|f| f.suppression.is_none());
    }
    let report = Report {
        summary,
        findings: &findings,
        errors: &errors,
        rules: set,
        show_secrets: args.no_redact,
        token_files: token_files.as_deref(),
        context,
    };
    let color = use_color(args.color, args.output.is_none());
    let reporter = args.format.reporter(color);
    output::write_report(args.output.as_deref(), args.no_redact, |out| {
        reporter.write(&report, out)
    })?;
    let failed = findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= fail_on);
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_CLEAN }))
}

fn check_rules(set: &RuleSet) -> Result<ExitCode, Error> {
    let (count, failures) = scan::check_examples(set)?;
    let mut text = String::new();
    for failure in &failures {
        // Examples are synthetic, but a failing one may have been pasted from a real file.
        text.push_str(&format!("{}\n", report::clean(&failure.to_string())));
    }
    text.push_str(&format!(
        "{} rules, {count} examples, {} failed\n",
        set.rules().len(),
        failures.len()
    ));
    output::print(&text)?;
    Ok(ExitCode::from(if failures.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FOUND
    }))
}

/// Scans the paths, where `-` is standard input. A path that does not exist is an error
/// before anything is scanned.
fn scan_paths(paths: &[PathBuf], opts: &WalkOptions, checker: &Checker) -> Result<Outcome, Error> {
    // Standard input by name is standard input too: it is a pipe, which is never opened.
    let is_stdin = |p: &PathBuf| {
        ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].contains(&p.to_string_lossy().as_ref())
    };
    // A path that cannot be read (a directory above it is not searchable) is a warning of
    // the walk, as for any unreadable path; one that is not there stops the run.
    let missing = |p: &PathBuf| {
        p.symlink_metadata()
            .err()
            .filter(|e| e.kind() == std::io::ErrorKind::NotFound)
    };
    if let Some(missing) = paths
        .iter()
        .find_map(|p| (!is_stdin(p)).then(|| missing(p).map(|e| (p, e))).flatten())
    {
        return Err(Error::Path {
            path: missing.0.clone(),
            error: missing.1,
        });
    }
    let mut outcome = Outcome::default();
    if paths.iter().any(is_stdin) {
        outcome = walk::scan_stdin(checker).map_err(Error::Stdin)?;
    }
    let files: Vec<PathBuf> = paths.iter().filter(|p| !is_stdin(p)).cloned().collect();
    // The walk reads the ignore files of its roots and of the directories above them
    // before anything else: one that cannot be read safely stops the run.
    let unreadable = files
        .iter()
        .filter(|_| !opts.no_ignore)
        .find_map(|p| confine::unreadable_ignore_file_above(p));
    if let Some((path, error)) = unreadable {
        return Err(Error::Path { path, error });
    }
    if !files.is_empty() {
        outcome.merge(walk::walk(&files, opts, checker));
    }
    Ok(outcome)
}

fn use_color(choice: ColorChoice, to_stdout: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
