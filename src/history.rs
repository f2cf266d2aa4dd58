//! `scan --history`: every blob reachable from the refs, each scanned once, read through
//! one long-lived `git cat-file --batch`, and scanned in parallel batches of bounded size;
//! a blob too large for a batch is spooled to a temporary file and scanned in windows.
//! A finding names the commit that first added its blob: a token deleted later is still
//! in the history, and still leaked.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::check::Checker;
use crate::git::{self, Commit, HistoryBlob, Object, Revisions};
use crate::scan::Scratch;
use crate::walk::{self, Outcome, ScanError};
use crate::Error;

/// Blob bytes read before a batch is scanned: memory stays bounded whatever the history.
const BATCH_BYTES: usize = 64 << 20;

pub fn scan(
    dir: &Path,
    revs: &Revisions,
    checker: &Checker,
    ignore: &crate::setup::ProjectIgnore,
) -> Result<Outcome, Error> {
    let top = git::toplevel(dir)?;
    let mut outcome = Outcome::default();
    if git::is_shallow(&top) {
        outcome.errors.push(ScanError {
            path: top.display().to_string(),
            message: "a shallow clone: the history before its first commit is not scanned".into(),
        });
    }
    // Which commit added which blob: read from `git log` while the blobs are scanned.
    let log = {
        let (top, revs) = (top.clone(), revs.clone());
        std::thread::spawn(move || git::first_commits(&top, &revs))
    };
    let (mut blobs, missing) = git::history_blobs(&top, revs)?;
    blobs.retain(|b| !ignore.ignores(&top.join(&b.path)));
    outcome.errors.extend(not_in_clone(&top, &missing));
    let oids: Vec<String> = blobs.iter().map(|b| b.oid.clone()).collect();
    // Drawn only when standard error is a terminal: nothing in CI logs.
    let progress = indicatif::ProgressBar::with_draw_target(
        Some(oids.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} scanning history {pos}/{len} blobs {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut batch: Vec<(HistoryBlob, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0;
    let mut found: Vec<(String, crate::finding::Finding)> = Vec::new();
    // The window buffer of large blobs, which are scanned one at a time, never batched.
    let mut window = Vec::new();
    git::read_all(&top, oids, walk::spool_from(checker), |i, object| {
        progress.inc(1);
        let blob = &blobs[i];
        match object {
            Object::Held(data) => {
                batch_bytes += data.len();
                batch.push((blob.clone(), data));
            }
            Object::Spooled(spool, size) => {
                let key = checker.key(&top.join(&blob.path));
                let mut scanned =
                    walk::scan_spooled(checker, &key, &blob.path, &spool, size, &mut window);
                found.extend(scanned.findings.drain(..).map(|f| (blob.oid.clone(), f)));
                outcome.merge(scanned);
            }
            Object::Missing => outcome.errors.push(ScanError {
                message: format!("object {} is missing", blob.oid),
                path: blob.path.clone(),
            }),
        }
        if batch_bytes >= BATCH_BYTES {
            scan_batch(&top, &mut batch, checker, &mut outcome, &mut found);
            batch_bytes = 0;
        }
    })?;
    scan_batch(&top, &mut batch, checker, &mut outcome, &mut found);
    progress.finish_and_clear();
    let commits: HashMap<String, Commit> = log.join().map_err(|_| {
        Error::Git(git::GitError {
            message: "the thread reading `git log` panicked".into(),
            help: None,
        })
    })??;
    for (oid, mut finding) in found {
        if let Some(commit) = commits.get(&oid) {
            finding.path.clone_from(&commit.path);
            let short = &commit.id[..commit.id.len().min(10)];
            finding.message.push_str(&format!(
                " (added in commit {short} by {} on {})",
                commit.author,
                &commit.date[..commit.date.len().min(10)]
            ));
            finding.commit = Some(commit.clone());
        }
        outcome.findings.push(finding);
    }
    Ok(outcome)
}

/// How many missing objects are named one by one; the rest are counted.
const NAMED_MISSING: usize = 10;

/// Warnings for the blobs a partial clone lacks: they are neither fetched nor scanned.
fn not_in_clone(top: &Path, missing: &[String]) -> Vec<ScanError> {
    let warning = |message: String| ScanError {
        path: top.display().to_string(),
        message,
    };
    let mut warnings: Vec<ScanError> = missing
        .iter()
        .take(NAMED_MISSING)
        .map(|oid| {
            warning(format!(
                "object {oid} is not in this clone (a partial clone?): not fetched, not scanned"
            ))
        })
        .collect();
    if missing.len() > NAMED_MISSING {
        warnings.push(warning(format!(
            "{} more objects are not in this clone: not fetched, not scanned",
            missing.len() - NAMED_MISSING
        )));
    }
    warnings
}

fn scan_batch(
    top: &Path,
    batch: &mut Vec<(HistoryBlob, Vec<u8>)>,
    checker: &Checker,
    outcome: &mut Outcome,
    found: &mut Vec<(String, crate::finding::Finding)>,
) {
    let results: Vec<(String, Vec<crate::finding::Finding>, u64)> = batch
        .par_iter()
        .map_init(Scratch::default, |scratch, (blob, data)| {
            let checked = checker.check(Some(&top.join(&blob.path)), &blob.path, data, scratch);
            (blob.oid.clone(), checked.findings, data.len() as u64)
        })
        .collect();
    for (oid, findings, bytes) in results {
        outcome.files += 1;
        outcome.bytes += bytes;
        found.extend(findings.into_iter().map(|f| (oid.clone(), f)));
    }
    batch.clear();
}
