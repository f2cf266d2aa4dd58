//! `tokenlint scan`: the sources scanned, the baseline applied, the report written.

use std::process::ExitCode;

use super::{finish, run_context, Results};
use crate::baseline::{self, Baseline};
use crate::options::ScanOptions;
use crate::report;
use crate::setup::ProjectIgnore;
use crate::source::{self, Source};
use crate::walk::display_path;
use crate::Error;

pub(super) fn run(options: ScanOptions) -> Result<ExitCode, Error> {
    let ScanOptions {
        setup,
        settings,
        sources,
        use_ignore_files,
        hook,
        baseline,
        report,
    } = options;
    let checker = setup.checker(settings)?;
    let ignore = ProjectIgnore::new(&setup.project_root, use_ignore_files)?;
    // A hook's file list goes through the project's .tokenlintignore too.
    let sources = if hook {
        source::hook_files_kept(sources, &ignore, &setup.cwd)
    } else {
        Some(sources)
    };
    let Some(sources) = sources else {
        report::warn("tokenlint: every file the hook was given is ignored by .tokenlintignore");
        return Ok(ExitCode::SUCCESS);
    };
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
    let mut context = run_context(
        source::root(&sources).as_deref(),
        report::Uris::UnderRoot,
        &report,
    );
    if let [Source::History { repo, .. }] = sources.as_slice() {
        // History paths are relative to the top of the working tree.
        if let Ok(top) = crate::git::toplevel(repo) {
            context.root = top.canonicalize().unwrap_or(top.clone());
            context.cwd.clone_from(&context.root);
            context.provenance = crate::git::provenance(&top);
        }
    }
    let results = Results {
        rules: &setup.rules,
        context,
        outcome,
        token_files: None,
    };
    finish(&report, results)
}
