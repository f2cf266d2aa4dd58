//! The commands, each run from its resolved options ([`Command`]): the scan or audit,
//! then the baseline, then the report and the exit code.

mod baseline;
mod hook;
mod scan;

use std::process::ExitCode;

use crate::hook::GitHook;
use crate::options::{AuditOptions, Command, ReportOptions};
use crate::outcome::Outcome;
use crate::output::Stdout;
use crate::report::{self, ActionRow, Format, Report, RunContext, Summary, TokenFileRow};
use crate::rules::RuleSet;
use crate::setup::Setup;
use crate::source::ReportRoot;
use crate::{audit, docs, Error, EXIT_CLEAN, EXIT_FOUND};

/// Runs one resolved command.
pub(crate) fn run(command: Command, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    match command {
        Command::Scan(options) => scan::run(options, stdout),
        Command::Audit(options) => run_audit(options, stdout),
        Command::Baseline(options) => baseline::run(options, stdout),
        Command::InstallHook { force, hook } => install_hook(force, hook, stdout),
        Command::Hook(request) => hook::run(request),
        Command::Rules {
            setup,
            check,
            format,
        } => list_rules(&setup, check, format, stdout),
        Command::Explain { rules, id } => explain(&rules, &id, stdout),
        Command::Nothing { why } => {
            report::warn(why);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_audit(options: AuditOptions, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    let AuditOptions {
        setup,
        settings,
        paths,
        report,
        system_root,
        environment,
        fix,
    } = options;
    let checker = setup.checker(settings)?;
    let machine = audit::Machine {
        extra: &paths,
        system_root: system_root.as_deref(),
        environment: &environment,
    };
    let mut audited = audit::audit(&machine, &checker)?;
    let mut actions = None;
    if fix.fix {
        let mut rows = crate::fix::fix(&audited, &checker.settings().stores, fix);
        if !fix.dry_run {
            // What is left is what a new audit finds.
            audited = audit::audit(&machine, &checker)?;
        }
        rows.extend(crate::fix::left_by_findings(&audited));
        actions = Some(rows);
    }
    let results = Results {
        rules: &setup.rules,
        context: run_context(ReportRoot::CurrentDir, report::Uris::Absolute, &report),
        outcome: audited.outcome,
        token_files: Some(audited.token_files),
        actions,
    };
    finish(&report, results, stdout)
}

fn install_hook(force: bool, which: GitHook, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = crate::hook::install_hook(&cwd, force, which)?;
    let refused = match which {
        GitHook::PreCommit => "commits that stage a token",
        GitHook::PrePush => "pushes of commits that hold a token",
    };
    stdout.print(&format!(
        "tokenlint: installed {}; {refused} are refused\n",
        crate::hook::shown(&path)
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn list_rules(
    setup: &Setup,
    check: bool,
    format: docs::ListFormat,
    stdout: &mut Stdout,
) -> Result<ExitCode, Error> {
    if check {
        return check_rules(&setup.rules, stdout);
    }
    stdout.print(&docs::rules_listed(&setup.rules, format))?;
    Ok(ExitCode::SUCCESS)
}

fn explain(rules: &RuleSet, id: &str, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    let rule = rules.get(id).ok_or_else(|| Error::UnknownRule {
        id: id.to_string(),
        help: match closest_rule(rules, id) {
            Some(close) => format!("did you mean `{close}`? `tokenlint rules` lists the rules"),
            None => "`tokenlint rules` lists the rules".to_string(),
        },
    })?;
    stdout.print(&docs::explain(rule))?;
    Ok(ExitCode::SUCCESS)
}

/// The rule id most like `typed`, if one is like it enough: by Jaro-Winkler similarity, as
/// clap suggests a mistyped subcommand, or containing what was typed (`expired`).
fn closest_rule<'a>(rules: &'a RuleSet, typed: &str) -> Option<&'a str> {
    let typed = typed.to_ascii_lowercase();
    let score = |id: &str| {
        let contains = typed.len() >= 4 && id.contains(&typed);
        strsim::jaro_winkler(&typed, id).max(if contains { 0.9 } else { 0.0 })
    };
    rules
        .rules()
        .iter()
        .map(|r| (score(r.id()), r.id()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

fn check_rules(set: &RuleSet, stdout: &mut Stdout) -> Result<ExitCode, Error> {
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
    stdout.print(&text)?;
    Ok(ExitCode::from(if failures.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FOUND
    }))
}

/// The scan root is the one directory scanned, or else the current directory; a history
/// scan's is the top of its working tree, which its paths are relative to.
fn run_context(root: ReportRoot, uris: report::Uris, options: &ReportOptions) -> RunContext {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut context = RunContext {
        root: cwd.clone(),
        cwd,
        uris,
        sarif_category: options.sarif_category.clone(),
        provenance: None,
    };
    match root {
        ReportRoot::Path(one) if one.is_dir() => {
            context.root = one.canonicalize().unwrap_or_else(|_| context.cwd.join(one));
        }
        ReportRoot::Repository(repo) => {
            if let Some(top) = crate::repo::report_top(&repo) {
                context.root = top.canonicalize().unwrap_or(top.clone());
                context.cwd.clone_from(&context.root);
                context.provenance = crate::git::provenance(&top);
            }
        }
        ReportRoot::Path(_) | ReportRoot::CurrentDir => {}
    }
    context
}

/// What a scan or an audit hands to the report.
struct Results<'a> {
    rules: &'a RuleSet,
    context: RunContext,
    outcome: Outcome,
    /// `audit`'s token files.
    token_files: Option<Vec<TokenFileRow>>,
    /// `audit --fix`'s actions.
    actions: Option<Vec<ActionRow>>,
}

/// What a hook prints, on standard error, after it refuses a commit.
const HOOK_ADVICE: &str = "\
tokenlint refused the commit. To go on, for each finding above:
  - a real token: revoke it, take it out of the file, and read it from the environment
    instead (`REMOTIVE_CLOUD_AUTH_TOKEN` from a secret store or CI secret); then `git add` the file;
  - a false positive: end its line with `# tokenlint:allow <reason>`, or put the line
    `# tokenlint:allow-next-line <reason>` above it;
  - findings you accept for now: record them with `tokenlint baseline`, name the file in
    tokenlint.toml (`baseline = \".tokenlint-baseline.json\"`) and commit both.
`tokenlint explain RULE-ID` says more about a rule.";

/// Sorts the results, writes the report, and decides the exit code.
fn finish(
    options: &ReportOptions,
    results: Results,
    stdout: &mut Stdout,
) -> Result<ExitCode, Error> {
    let Results {
        rules,
        context,
        outcome,
        mut token_files,
        mut actions,
    } = results;
    let Outcome {
        mut findings,
        mut errors,
        files,
        bytes,
        older,
    } = outcome;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    errors.sort();
    let redact = !options.show_secrets;
    if redact {
        report::redact_names(&mut findings, &mut errors, token_files.as_deref_mut());
        for action in actions.iter_mut().flatten() {
            action.redact_names();
        }
    }
    for e in &errors {
        report::warn_with(
            &format!("warning: {}: {}", e.path, e.message),
            crate::token::Reveal::in_full_if(options.show_secrets),
        );
    }
    if older > 0
        && !matches!(
            options.format,
            Format::Text | Format::Concise | Format::Json
        )
    {
        // A format with no summary of its own: the line goes to standard error.
        report::warn(&report::older_line(older));
    }
    let summary = Summary {
        older,
        ..Summary::new(&findings, errors.len(), files, bytes)
    };
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
        actions: actions.as_deref(),
        context: &context,
    };
    let reporter = options.format.reporter(report::TextLayout {
        color: options.color,
        width: options.width,
    });
    // A hook that finds nothing says nothing: a commit is not the place for a summary.
    let quiet =
        options.hook && options.output.is_none() && findings.is_empty() && errors.is_empty();
    if !quiet {
        stdout.write_report(
            options.output.as_deref(),
            crate::token::Reveal::in_full_if(options.show_secrets),
            |out| reporter.write(&report, out),
        )?;
    }
    let failed = findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= options.fail_on);
    if options.hook && failed {
        HOOK_ADVICE.lines().for_each(report::emit);
    }
    Ok(ExitCode::from(if failed { EXIT_FOUND } else { EXIT_CLEAN }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command's text goes to the writer `run` is handed, nowhere else.
    #[test]
    fn a_command_prints_to_the_writer_it_is_handed() {
        let rules = RuleSet::load(&[]).unwrap();
        let id = rules.rules()[0].id.get_ref().clone();
        let expected = docs::explain(rules.get(&id).unwrap());
        let mut out = Vec::new();
        let command = Command::Explain { rules, id };
        let code = run(command, &mut Stdout::new(&mut out)).unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
