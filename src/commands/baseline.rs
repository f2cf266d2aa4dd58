//! `tokenlint baseline`: write the current findings, or prune a baseline to the entries
//! that still match. Either way, the entries of paths that were not scanned are kept.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::baseline::{self, Baseline};
use crate::confine::Scope;
use crate::options::BaselineOptions;
use crate::output::Stdout;
use crate::source::{self, ProjectIgnore};
use crate::{report, Error};

pub(super) fn run(options: BaselineOptions, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    let BaselineOptions {
        setup,
        settings,
        sources,
        output,
        prune,
    } = options;
    let checker = setup.checker(settings)?;
    let no_ignore = ProjectIgnore::disabled(&setup.project_root);
    let (mut outcome, coverage) = source::scan(&sources, &checker, &no_ignore)?;
    for e in &outcome.errors {
        report::warn(&format!("warning: {}: {}", e.path, e.message));
    }
    outcome.findings.retain(|f| f.suppression.is_none());
    let (path, entries, said) = match &prune {
        Some(path) => {
            let baseline = Baseline::load(path, &Scope::Anywhere)?;
            let used = baseline.apply(&mut outcome.findings);
            let kept = baseline.pruned(&used, |p| coverage.covers(p));
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
            let (output, confined) = match &output {
                Some(output) => (output.clone(), Scope::Anywhere),
                None => baseline::chosen(None, &setup.config)?.unwrap_or_else(|| {
                    (PathBuf::from(".tokenlint-baseline.json"), Scope::Anywhere)
                }),
            };
            let kept = baseline::entries_elsewhere(&output, &confined, |p| coverage.covers(p))?;
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
    stdout.write_report(Some(&path), crate::token::Reveal::Redacted, |out| {
        out.write_all(text.as_bytes())
    })?;
    stdout.print(&format!("tokenlint: {said}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn entries_of(n: usize) -> String {
    match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    }
}
