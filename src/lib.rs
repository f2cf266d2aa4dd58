//! tokenlint: finds hard-coded RemotiveCloud tokens, and token files that are misplaced,
//! expired, old, long-lived or readable by others.
//!
//! The data flow is one-way: arguments → rules → walk → per-file check → findings → sort →
//! report. [`run`] is that flow; each step lives in its own module, and nothing below
//! `run` prints except the reporter it is handed.

pub mod audit;
pub mod check;
pub mod cli;
pub mod docs;
mod error;
pub mod finding;
pub mod hygiene;
mod output;
pub mod report;
pub mod rules;
pub mod scan;
pub mod store;
pub mod token_file;
pub mod walk;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

use check::{Checker, Settings};
use cli::{Cli, ColorChoice, Command, HygieneArgs, ReportArgs, ScanArgs};
pub use error::Error;
use hygiene::Thresholds;
use report::{Report, RunContext, Summary, TokenFileRow};
use rules::RuleSet;
use store::{StoreIndex, Stores};
use walk::{Outcome, WalkOptions};

/// Exit codes: nothing found at or above `--fail-on`, something found. Errors exit with 2.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FOUND: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// More worker threads than this only cost memory.
const MAX_THREADS: usize = 256;

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Audit(args) => {
            let set = RuleSet::load(&args.rules.rule_dirs)?;
            let settings = settings(&set, &args.hygiene, &args.report, true, false);
            let checker = Checker::new(&set, settings)?;
            let audited = audit::audit(&args.paths, &checker)?;
            let context = run_context(&[], true, &args.report);
            let rows = Some(audited.token_files);
            report(&set, &args.report, &context, audited.outcome, rows)
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
    let set = RuleSet::load(&args.rules.rule_dirs)?;
    let settings = settings(&set, &args.hygiene, &args.report, false, !args.no_store);
    let checker = Checker::new(&set, settings)?;
    let outcome = scan_paths(&args.paths, &walk_options(args), &checker)?;
    let context = run_context(&args.paths, false, &args.report);
    report(&set, &args.report, &context, outcome, None)
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
    }
}

/// The checks' settings from the command line and the environment.
fn settings(
    set: &RuleSet,
    hygiene: &HygieneArgs,
    report: &ReportArgs,
    audit: bool,
    index: bool,
) -> Settings {
    let stores = Stores::from_env();
    Settings {
        today: hygiene
            .now
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        thresholds: Thresholds::new(
            set,
            [
                hygiene.expiring_soon_days,
                hygiene.rotation_days,
                hygiene.max_lifetime_days,
            ],
        ),
        store_index: index.then(|| StoreIndex::load(&stores)),
        stores,
        audit,
        redact: !report.no_redact,
    }
}

/// Sorts the outcome, writes the report, and decides the exit code.
fn report(
    set: &RuleSet,
    args: &ReportArgs,
    context: &RunContext,
    outcome: Outcome,
    token_files: Option<Vec<TokenFileRow>>,
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
        eprintln!("warning: {}: {}", e.path, e.message);
    }
    let report = Report {
        summary: Summary::new(&findings, errors.len(), files, bytes),
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
    let failed = findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_CLEAN }))
}

fn check_rules(set: &RuleSet) -> Result<ExitCode, Error> {
    let (count, failures) = scan::check_examples(set)?;
    let mut text = String::new();
    for failure in &failures {
        text.push_str(&format!("{failure}\n"));
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

fn walk_options(args: &ScanArgs) -> WalkOptions {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    WalkOptions {
        follow: args.follow,
        no_ignore: args.no_ignore,
        // Each thread needs a stack: a huge count fails to spawn rather than helping.
        threads: threads.clamp(1, MAX_THREADS),
    }
}

/// Scans the paths, where `-` is standard input. A path that does not exist is an error
/// before anything is scanned.
fn scan_paths(paths: &[PathBuf], opts: &WalkOptions, checker: &Checker) -> Result<Outcome, Error> {
    let is_stdin = |p: &PathBuf| p.as_os_str() == "-";
    if let Some(missing) = paths.iter().find_map(|p| {
        (!is_stdin(p))
            .then(|| p.symlink_metadata().err().map(|e| (p, e)))
            .flatten()
    }) {
        return Err(Error::Path {
            path: missing.0.clone(),
            error: missing.1,
        });
    }
    let mut outcome = Outcome::default();
    if paths.iter().any(is_stdin) {
        let mut data = Vec::new();
        std::io::stdin()
            .read_to_end(&mut data)
            .map_err(Error::Stdin)?;
        outcome = walk::scan_buffer("<stdin>", &data, checker);
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
