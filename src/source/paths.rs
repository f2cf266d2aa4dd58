//! Files and directories named on the command line, walked in parallel (see
//! [`super::walk`]).

use std::path::PathBuf;

use super::Paths;
use crate::check::Checker;
use crate::outcome::Outcome;
use crate::Error;

/// Refuses a path that is not there. One that cannot be read (a directory above it is
/// not searchable) is a warning of the walk, as for any unreadable path.
pub(super) fn all_there(roots: &[PathBuf]) -> Result<(), Error> {
    let missing = |p: &PathBuf| {
        p.symlink_metadata()
            .err()
            .filter(|e| e.kind() == std::io::ErrorKind::NotFound)
    };
    match roots.iter().find_map(|p| missing(p).map(|e| (p, e))) {
        Some((path, error)) => Err(Error::Path {
            path: path.clone(),
            error,
        }),
        None => Ok(()),
    }
}

/// Walks the paths, which exist.
pub(super) fn scan(paths: &Paths, checker: &Checker) -> Result<Outcome, Error> {
    // The walk reads the ignore files of its roots and of the directories above them
    // before anything else: one that cannot be read safely stops the run.
    let unreadable = paths
        .roots
        .iter()
        .filter(|_| !paths.walk.no_ignore)
        .find_map(|p| super::ignore::unreadable_ignore_file_above(p));
    if let Some((path, error)) = unreadable {
        return Err(Error::Path { path, error });
    }
    Ok(super::walk::walk(&paths.roots, &paths.walk, checker))
}
