//! `scan --history`: every blob reachable from the refs, each scanned once, read through
//! one long-lived `git cat-file --batch`, and scanned in parallel batches of bounded size;
//! a blob too large for a batch is spooled to a temporary file and scanned in windows.
//! A finding names the commit that first added its blob: a token deleted later is still
//! in the history, and still leaked.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use super::ignore::ProjectIgnore;
use super::walk;
use crate::check::Checker;
use crate::finding::{Commit, Finding};
use crate::git::{self, FirstCommits, HistoryBlob, Object, Revisions};
use crate::item::{Data, Item};
use crate::outcome::{Outcome, ScanError};
use crate::scan::Scratch;
use crate::Error;

/// Blob bytes read before a batch is scanned: memory stays bounded whatever the history.
const BATCH_BYTES: usize = 64 << 20;

/// Scans every blob of the history of the repository around `dir` that `revs` reach.
pub(super) fn scan(
    dir: &Path,
    revs: &Revisions,
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<Outcome, Error> {
    let top = crate::repo::open(dir)?.top;
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
    let (mut blobs, mut missing) = git::history_blobs(&top, revs)?;
    blobs.retain(|b| !ignore.ignores(&top.join(&b.path)));
    let found = scan_blobs(&top, &blobs, checker, &mut outcome, &mut missing)?;
    outcome.errors.extend(not_in_clone(&top, &missing)?);
    let commits: FirstCommits = log.join().map_err(|_| {
        Error::Git(git::GitError {
            message: "the thread reading `git log` panicked".into(),
            help: None,
        })
    })??;
    let in_no_tree: HashSet<&str> = blobs
        .iter()
        .filter(|b| !b.in_tree)
        .map(|b| b.oid.as_str())
        .collect();
    outcome.findings.extend(found.into_iter().map(|(oid, f)| {
        let commit = commits.get(&oid);
        with_commit(f, commit, in_no_tree.contains(oid.as_str()))
    }));
    Ok(outcome)
}

/// Scans the blobs through one `git cat-file --batch`: those held in memory in parallel
/// batches, those spooled one at a time, in windows. Returns each finding with its blob's
/// id; adds the ids of the blobs git does not have to `missing`.
fn scan_blobs(
    top: &Path,
    blobs: &[HistoryBlob],
    checker: &Checker,
    outcome: &mut Outcome,
    missing: &mut Vec<String>,
) -> Result<Vec<(String, Finding)>, Error> {
    let progress = progress_bar(blobs.len());
    let mut batch: Vec<(HistoryBlob, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0;
    let mut found: Vec<(String, Finding)> = Vec::new();
    // The window buffer of large blobs, which are scanned one at a time, never batched.
    let (mut window, mut scratch) = (Vec::new(), Scratch::default());
    let oids = blobs.iter().map(|b| b.oid.clone()).collect();
    git::read_all(top, oids, walk::SPOOL_FROM, |i, object| {
        progress.inc(1);
        let blob = &blobs[i];
        if let Object::Held(data) = object {
            batch_bytes += data.len();
            batch.push((blob.clone(), data));
        } else {
            let path = top.join(&blob.path);
            match Item::from_object(&path, &blob.path, &object, &mut window)
                .map(|item| checker.check_item(item, &mut scratch))
            {
                Some(mut scanned) => {
                    found.extend(scanned.findings.drain(..).map(|f| (blob.oid.clone(), f)));
                    outcome.merge(scanned);
                }
                None => missing.push(blob.oid.clone()),
            }
        }
        if batch_bytes >= BATCH_BYTES {
            scan_batch(top, &mut batch, checker, outcome, &mut found);
            batch_bytes = 0;
        }
    })?;
    scan_batch(top, &mut batch, checker, outcome, &mut found);
    progress.finish_and_clear();
    Ok(found)
}

/// A progress bar over `count` blobs, drawn only when standard error is a terminal:
/// nothing in CI logs.
fn progress_bar(count: usize) -> indicatif::ProgressBar {
    let progress = indicatif::ProgressBar::with_draw_target(
        Some(count as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} scanning history {pos}/{len} blobs {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    progress
}

/// A finding of a history blob, named after the commit that first added the blob; or,
/// for a blob in no tree, which a tag names, said to be in no commit.
fn with_commit(mut finding: Finding, commit: Option<Commit>, in_no_tree: bool) -> Finding {
    if in_no_tree {
        finding
            .message
            .push_str(" (in no commit: a tag or another ref names the blob itself)");
    } else if let Some(commit) = commit {
        finding.set_file_path(&commit.path);
        let short = &commit.id[..commit.id.len().min(10)];
        finding.message.push_str(&format!(
            " (added in commit {short} by {} on {})",
            commit.author,
            &commit.date[..commit.date.len().min(10)]
        ));
        finding.commit = Some(commit);
    }
    finding
}

/// How many missing objects are named one by one; the rest are counted.
const NAMED_MISSING: usize = 10;

/// Warnings for the blobs a partial clone lacks: they are neither fetched nor scanned. In
/// a repository that is not a partial clone, a blob git cannot read is lost or corrupt,
/// and its token would pass unseen: an error.
fn not_in_clone(top: &Path, missing: &[String]) -> Result<Vec<ScanError>, Error> {
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let mut named: Vec<String> = missing.iter().take(NAMED_MISSING).cloned().collect();
    if missing.len() > NAMED_MISSING {
        named.push(format!("{} more", missing.len() - NAMED_MISSING));
    }
    if !git::is_partial_clone(top) {
        return Err(Error::Git(git::GitError {
            message: format!(
                "cannot read objects of the history: {}; this repository is not a partial \
                 clone, so they are lost or corrupt, and were not scanned",
                named.join(", ")
            ),
            help: Some("`git fsck` checks the repository".into()),
        }));
    }
    Ok(named
        .into_iter()
        .map(|oid| ScanError {
            path: top.display().to_string(),
            message: format!(
                "object {oid} is not in this clone (a partial clone?): not fetched, not scanned"
            ),
        })
        .collect())
}

fn scan_batch(
    top: &Path,
    batch: &mut Vec<(HistoryBlob, Vec<u8>)>,
    checker: &Checker,
    outcome: &mut Outcome,
    found: &mut Vec<(String, Finding)>,
) {
    let results: Vec<(String, Outcome)> = batch
        .par_iter()
        .map_init(Scratch::default, |scratch, (blob, data)| {
            let path = top.join(&blob.path);
            let item = Item {
                path: Some(&path),
                shown: &blob.path,
                data: Data::Held(data),
            };
            (blob.oid.clone(), checker.check_item(item, scratch))
        })
        .collect();
    for (oid, mut scanned) in results {
        found.extend(scanned.findings.drain(..).map(|f| (oid.clone(), f)));
        outcome.merge(scanned);
    }
    batch.clear();
}
