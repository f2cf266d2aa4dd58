//! The commands, each run from its resolved options ([`Command`]): the scan or audit,
//! then the baseline, then the report and the exit code.

mod baseline;
mod scan;

use std::process::ExitCode;

use crate::options::{AuditOptions, Command, ReportOptions};
use crate::outcome::Outcome;
use crate::report::{self, Report, RunContext, Summary, TokenFileRow};
use crate::rules::RuleSet;
use crate::setup::Setup;
use crate::{audit, docs, hook, output, Error, EXIT_CLEAN, EXIT_FOUND};

/// Runs one resolved command.
pub(crate) fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::Scan(options) => scan::run(options),
        Command::Audit(options) => run_audit(options),
        Command::Baseline(options) => baseline::run(options),
        Command::InstallHook { force } => install_hook(force),
        Command::Rules { setup, check } => list_rules(&setup, check),
        Command::Explain { rules, id } => explain(&rules, &id),
        Command::Nothing { why } => {
            report::warn(why);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_audit(options: AuditOptions) -> Result<ExitCode, Error> {
    let AuditOptions {
        setup,
        settings,
        paths,
        report,
    } = options;
    let checker = setup.checker(settings)?;
    let audited = audit::audit(&paths, &checker)?;
    let results = Results {
        rules: &setup.rules,
        context: run_context(None, report::Uris::Absolute, &report),
        outcome: audited.outcome,
        token_files: Some(audited.token_files),
    };
    finish(&report, results)
}

fn install_hook(force: bool) -> Result<ExitCode, Error> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = hook::install_hook(&cwd, force)?;
    output::print(&format!(
        "tokenlint: installed {}; commits that stage a token are refused\n",
        hook::shown(&path)
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn list_rules(setup: &Setup, check: bool) -> Result<ExitCode, Error> {
    if check {
        return check_rules(&setup.rules);
    }
    output::print(&docs::rules_list(&setup.rules))?;
    Ok(ExitCode::SUCCESS)
}

fn explain(rules: &RuleSet, id: &str) -> Result<ExitCode, Error> {
    let rule = rules
        .get(id)
        .ok_or_else(|| Error::UnknownRule(id.to_string()))?;
    output::print(&docs::explain(rule))?;
    Ok(ExitCode::SUCCESS)
}

fn check_rules(set: &RuleSet) -> Result<ExitCode, Error> {
    let (count, failures) = crate::scan::check_examples(set)?;
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

/// The scan root is the one directory scanned, or else the current directory.
fn run_context(
    root: Option<&std::path::Path>,
    uris: report::Uris,
    options: &ReportOptions,
) -> RunContext {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = match root {
        Some(one) if one.is_dir() => one.canonicalize().unwrap_or_else(|_| cwd.join(one)),
        _ => cwd.clone(),
    };
    RunContext {
        cwd,
        root,
        uris,
        sarif_category: options.sarif_category.clone(),
        provenance: None,
    }
}

/// What a scan or an audit hands to the report.
struct Results<'a> {
    rules: &'a RuleSet,
    context: RunContext,
    outcome: Outcome,
    /// `audit`'s token files.
    token_files: Option<Vec<TokenFileRow>>,
}

/// Sorts the results, writes the report, and decides the exit code.
fn finish(options: &ReportOptions, results: Results) -> Result<ExitCode, Error> {
    let Results {
        rules,
        context,
        outcome,
        mut token_files,
    } = results;
    let Outcome {
        mut findings,
        mut errors,
        files,
        bytes,
    } = outcome;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    errors.sort();
    let redact = !options.show_secrets;
    if redact {
        report::redact_names(&mut findings, &mut errors, token_files.as_deref_mut());
    }
    for e in &errors {
        report::warn_with(
            &format!("warning: {}: {}", e.path, e.message),
            crate::token::Reveal::in_full_if(options.show_secrets),
        );
    }
    let summary = Summary::new(&findings, errors.len(), files, bytes);
    if !options.show_suppressed {
        findings.retain(|f| f.suppression.is_none());
    }
    let report = Report {
        summary,
        findings: &findings,
        errors: &errors,
        rules,
        show_secrets: options.show_secrets,
        token_files: token_files.as_deref(),
        context: &context,
    };
    let reporter = options.format.reporter(options.color);
    output::write_report(
        options.output.as_deref(),
        crate::token::Reveal::in_full_if(options.show_secrets),
        |out| reporter.write(&report, out),
    )?;
    let failed = findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= options.fail_on);
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_CLEAN }))
}
