//! `tokenlint scan`: the sources scanned, the baseline applied, the report written.

use std::process::ExitCode;

use super::{finish, run_context, Results};
use crate::baseline::{self, Baseline};
use crate::options::ScanOptions;
use crate::output::Stdout;
use crate::source::{self, display_path};
use crate::Error;

pub(super) fn run(options: ScanOptions, stdout: &mut Stdout) -> Result<ExitCode, Error> {
    let ScanOptions {
        setup,
        settings,
        sources,
        ignore,
        baseline,
        report,
    } = options;
    let checker = setup.checker(settings)?;
    let (mut outcome, coverage) = source::scan(&sources, &checker, &ignore)?;
    if let Some((path, confined)) = baseline::chosen(baseline.as_ref(), &setup.config)? {
        let baseline = Baseline::load(&path, &confined)?;
        let used = baseline.apply(&mut outcome.findings);
        let stale = baseline.stale_findings(
            &used,
            |p| coverage.covers(p),
            &display_path(&path),
            &setup.rules,
        );
        outcome.findings.extend(stale);
    }
    let results = Results {
        rules: &setup.rules,
        context: run_context(
            source::report_root(&sources),
            crate::report::Uris::UnderRoot,
            &report,
        ),
        outcome,
        token_files: None,
        actions: None,
    };
    finish(&report, results, stdout)
}
