//! `scan --staged`: the blobs staged in git's index, read by object id, not the files of
//! the working tree.

use std::path::Path;

use super::ignore::ProjectIgnore;
use super::walk::{display_path, SPOOL_FROM};
use crate::check::Checker;
use crate::git;
use crate::item::Item;
use crate::outcome::Outcome;
use crate::report;
use crate::scan::Scratch;
use crate::Error;

/// The blobs staged in the index of the repository around `dir`, and the keys of the
/// staged files. A staged blob that cannot be read stops the run: what is not scanned
/// must not pass.
pub(super) fn scan(
    dir: &Path,
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<(Outcome, Vec<String>), Error> {
    let top = crate::repo::open_work_tree(dir)?.top;
    let mut files = git::staged_files(&top)?;
    files.retain(|f| !ignore.ignores(&top.join(&f.path)));
    if files.is_empty() {
        report::warn("tokenlint: nothing is staged to scan");
    }
    let keys = files
        .iter()
        .map(|f| checker.key(&top.join(&f.path)))
        .collect();
    let mut outcome = Outcome::default();
    let (mut scratch, mut window) = (Scratch::default(), Vec::new());
    let mut unreadable: Vec<String> = Vec::new();
    let oids: Vec<&str> = files.iter().map(|f| f.oid.as_str()).collect();
    git::read_all(&top, &oids, SPOOL_FROM, |i, object| {
        let (file, shown) = (&files[i], display_path(&files[i].path));
        let path = top.join(&file.path);
        match Item::from_object(&path, &shown, &object, &mut window)
            .map(|item| checker.check_item(item, &mut scratch))
        {
            Some(scanned) => outcome.merge(scanned),
            None => unreadable.push(format!("{} (object {})", report::visible(&shown), file.oid)),
        }
    })?;
    if !unreadable.is_empty() {
        return Err(unreadable_staged(&unreadable).into());
    }
    Ok((outcome, keys))
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
