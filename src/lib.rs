//! tokenlint: finds hard-coded RemotiveCloud tokens, and token files that are misplaced,
//! expired, old, long-lived or readable by others.
//!
//! The data flow is one-way: arguments → configuration and rules → walk → per-file check
//! (scan, token files, inline suppression) → findings → sort → baseline → report. [`run`]
//! is that flow; each step lives in its own module, and nothing below `run` prints except
//! the reporter it is handed.

pub mod audit;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod crash;
pub mod docs;
mod error;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod history;
pub mod hygiene;
mod output;
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
pub use error::Error;
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
    match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Audit(args) => {
            let setup = Setup::new(&args.rules.rule_dirs, &args.config, &[])?;
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
            let path = git::install_hook(&cwd, force)?;
            output::print(&format!(
                "tokenlint: installed {}; commits that stage a token are refused\n",
                path.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules(args) => {
            let set = RuleSet::load(&args.rules.rule_dirs)?;
            if args.check {
                return check_rules(&set);
            }
            output::print(&docs::rules_list(&set))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(args) => {
            let set = RuleSet::load(&args.rules.rule_dirs)?;
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
    if args.hook && args.paths.is_empty() && !args.staged {
        // A silent hook is a broken hook: say that there was nothing to do.
        eprintln!("tokenlint: the hook was given no files to scan");
        return Ok(ExitCode::SUCCESS);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let setup = Setup::new(&args.rules.rule_dirs, &args.config, &paths)?;
    let settings = setup.settings(&args.hygiene, !args.report.no_redact, false, !args.no_store)?;
    let checker = setup.checker(settings)?;
    let ignore = ProjectIgnore::new(&setup.project_root, !args.walk.no_ignore);
    // A hook's file list goes through the project's .tokenlintignore too.
    let paths: Vec<PathBuf> = if args.hook {
        let kept: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| !ignore.ignores(&check::normalize(&setup.cwd.join(p))))
            .collect();
        if kept.is_empty() {
            eprintln!("tokenlint: every file the hook was given is ignored by .tokenlintignore");
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
    let baseline = args.baseline.clone().or_else(|| {
        setup
            .config
            .baseline
            .as_ref()
            .map(|b| setup.config.resolve(b))
    });
    if let Some(path) = baseline {
        let baseline = Baseline::load(&path)?;
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

/// The blobs staged in the index of the repository around `dir`, and the keys of the
/// staged files.
fn scan_staged(
    dir: &std::path::Path,
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<(Outcome, Vec<String>), Error> {
    let top = git::toplevel(dir)?;
    let mut files = git::staged_files(&top)?;
    files.retain(|f| !ignore.ignores(&top.join(f)));
    if files.is_empty() {
        eprintln!("tokenlint: nothing is staged to scan");
    }
    let mut cat = git::CatFile::new(&top)?;
    let mut outcome = Outcome::default();
    let mut scratch = scan::Scratch::default();
    let keys = files.iter().map(|f| checker.key(&top.join(f))).collect();
    for file in files {
        match cat.read(&format!(":{file}")) {
            Ok(Some(data)) => {
                let checked = checker.check(Some(&top.join(&file)), &file, &data, &mut scratch);
                outcome.findings.extend(checked.findings);
                outcome.files += 1;
                outcome.bytes += data.len() as u64;
            }
            Ok(None) => {}
            Err(e) => outcome.errors.push(walk::ScanError {
                path: file,
                message: e.to_string(),
            }),
        }
    }
    Ok((outcome, keys))
}

/// `tokenlint baseline`: write the current findings, or prune a baseline to the entries
/// that still match.
fn write_baseline(args: &BaselineArgs) -> Result<ExitCode, Error> {
    let setup = Setup::new(&args.rules.rule_dirs, &args.config, &args.paths)?;
    let settings = setup.settings(&args.hygiene, true, false, false)?;
    let checker = setup.checker(settings)?;
    let mut outcome = scan_paths(&args.paths, &walk_options(&args.walk), &checker)?;
    for e in &outcome.errors {
        eprintln!("warning: {}: {}", report::visible(&e.path), e.message);
    }
    outcome.findings.retain(|f| f.suppression.is_none());
    let entries_of = |n: usize| match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    let (path, entries, said) = match &args.prune {
        Some(path) => {
            let baseline = Baseline::load(path)?;
            let used = baseline.apply(&mut outcome.findings);
            let scope = scope(&args.paths, &checker);
            let kept = baseline.pruned(&used, |p| in_scope(&scope, p));
            let dropped = baseline.entries.len() - kept.len();
            let said = format!(
                "dropped {} that matched nothing from {}, kept {}",
                entries_of(dropped),
                path.display(),
                kept.len()
            );
            (path.clone(), kept, said)
        }
        None => {
            let entries = baseline::entries(&outcome.findings);
            let output = args.output.clone().unwrap_or_else(|| {
                setup.config.baseline.as_ref().map_or_else(
                    || PathBuf::from(".tokenlint-baseline.json"),
                    |b| setup.config.resolve(b),
                )
            });
            let said = format!(
                "wrote {} to {}",
                entries_of(entries.len()),
                output.display()
            );
            (output, entries, said)
        }
    };
    let text = baseline::render(&entries);
    output::write_report(Some(&path), false, |out| out.write_all(text.as_bytes()))?;
    output::print(&format!("tokenlint: {said}\n"))?;
    Ok(ExitCode::SUCCESS)
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
    token_files: Option<Vec<TokenFileRow>>,
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
    for e in &errors {
        eprintln!("warning: {}: {}", report::visible(&e.path), e.message);
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
        text.push_str(&format!(
            "{}\n",
            crate::finding::redact_tokens(&failure.to_string())
        ));
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
