//! What a scan reads. The options decide the [`Source`]s once; here each is scanned,
//! handing `Item`s (bytes or a file, a path and the name shown) to the one checker,
//! and says which part of the project it covered, for the baseline. A new source is a
//! [`Source`] variant and a file here: everything that reads what a scan checks lives
//! under this module, and nothing here depends on the options that chose it.

mod history;
mod ignore;
mod introduced;
pub(crate) mod packs;
mod paths;
pub(crate) mod push;
mod staged;
mod stdin;
pub(crate) mod walk;

use std::path::{Path, PathBuf};

use crate::check::Checker;
use crate::git::Revisions;
use crate::outcome::Outcome;
use crate::Error;
pub use ignore::ProjectIgnore;
pub use push::{Budget, OnTimeout, PushHook};
pub use walk::{display_path, WalkOptions};

/// Something to scan. A push is a `History` whose range is what it adds (`push.rs`).
#[derive(Debug)]
pub enum Source {
    /// Files and directories, walked.
    Paths(Paths),
    /// Standard input: `-`, or a name of it such as `/dev/stdin`.
    Stdin,
    /// The blobs staged in git's index, for the repository around the current directory.
    Staged,
    /// Every blob of the history of the repository around `repo` that `range` reaches.
    History { repo: PathBuf, range: Revisions },
}

/// Files and directories to walk.
#[derive(Debug)]
pub struct Paths {
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
}

impl Source {
    /// The sources for paths named on the command line: standard input first, if one of
    /// them names it, then the others.
    pub(crate) fn for_paths(paths: Vec<PathBuf>, walk: WalkOptions) -> Vec<Source> {
        let (stdin, roots): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| is_stdin(p));
        let stdin = (!stdin.is_empty()).then_some(Source::Stdin);
        let paths = (!roots.is_empty()).then_some(Source::Paths(Paths { roots, walk }));
        stdin.into_iter().chain(paths).collect()
    }

    /// What the report's paths are relative to, when this is the one source.
    fn report_root(&self) -> ReportRoot {
        match self {
            Source::Paths(paths) => match paths.roots.as_slice() {
                [one] => ReportRoot::Path(one.clone()),
                _ => ReportRoot::CurrentDir,
            },
            Source::Stdin => ReportRoot::CurrentDir,
            // The index of the repository around the current directory.
            Source::Staged => ReportRoot::Path(current_dir()),
            Source::History { repo, .. } => ReportRoot::Repository(repo.clone()),
        }
    }

    fn scan(
        &self,
        checker: &Checker,
        ignore: &ProjectIgnore,
    ) -> Result<(Outcome, Coverage), Error> {
        Ok(match self {
            Source::Paths(paths) => {
                let keys = paths.roots.iter().map(|p| checker.key(p)).collect();
                (paths::scan(paths, checker)?, Coverage::keys(keys))
            }
            Source::Stdin => (
                stdin::scan(checker).map_err(Error::Stdin)?,
                Coverage::nothing(),
            ),
            Source::Staged => {
                let (outcome, keys) = staged::scan(&checker.settings().cwd, checker, ignore)?;
                (outcome, Coverage::keys(keys))
            }
            Source::History { repo, range } => (
                history::scan(repo, range, checker, ignore)?,
                Coverage::Everything,
            ),
        })
    }
}

/// Standard input by name is standard input too: it is a pipe, which is never opened.
fn is_stdin(path: &Path) -> bool {
    ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"].contains(&path.to_string_lossy().as_ref())
}

/// The current directory, as a path to scan: what is found under it is shown relative to
/// it (`a.txt`, not `./a.txt`).
pub(crate) fn current_dir() -> PathBuf {
    PathBuf::from(".")
}

/// What a report's paths are relative to, as the sources decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReportRoot {
    /// The current directory: several sources, or standard input.
    CurrentDir,
    /// The one path scanned: the current directory when it is not a directory.
    Path(PathBuf),
    /// The top of the working tree of the repository around this path: the paths of a
    /// history scan are relative to it, and its commit is the report's provenance.
    Repository(PathBuf),
}

/// What the report's paths are relative to: the one source's root, if there is one.
pub(crate) fn report_root(sources: &[Source]) -> ReportRoot {
    match sources {
        [one] => one.report_root(),
        _ => ReportRoot::CurrentDir,
    }
}

/// Leaves out what a hook named that the project's ignore file ignores: files, and the
/// directory a staged or history scan starts from; `None` when nothing is left.
pub(crate) fn hook_files_kept(
    sources: Vec<Source>,
    ignore: &ProjectIgnore,
    cwd: &Path,
) -> Option<Vec<Source>> {
    let ignored = |p: &Path| ignore.ignores(&crate::confine::normalize(&cwd.join(p)));
    let kept: Vec<Source> = sources
        .into_iter()
        .filter_map(|source| match source {
            Source::Paths(mut paths) => {
                paths.roots.retain(|p| !ignored(p));
                (!paths.roots.is_empty()).then_some(Source::Paths(paths))
            }
            Source::Stdin => Some(Source::Stdin),
            Source::Staged => (!ignored(cwd)).then_some(Source::Staged),
            Source::History { repo, range } => {
                (!ignored(&repo)).then_some(Source::History { repo, range })
            }
        })
        .collect();
    (!kept.is_empty()).then_some(kept)
}

/// Scans every source, in order. A path that does not exist is an error before anything
/// is scanned.
pub(crate) fn scan(
    sources: &[Source],
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<(Outcome, Coverage), Error> {
    for source in sources {
        if let Source::Paths(paths) = source {
            paths::all_there(&paths.roots)?;
        }
    }
    let mut outcome = Outcome::default();
    let mut coverage = Coverage::nothing();
    for source in sources {
        let (scanned, covered) = source.scan(checker, ignore)?;
        outcome.merge(scanned);
        coverage = coverage.and(covered);
    }
    Ok((outcome, coverage))
}

/// The part of the project a run looked at, by finding key ([`Checker::key`]): a
/// baseline entry outside it is not stale, only not looked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The whole project (a history scan, or the project root among the paths).
    Everything,
    /// These paths, and what lies under them.
    Under(Vec<String>),
}

impl Coverage {
    /// Nothing: the coverage of no path (standard input), to which others are added.
    fn nothing() -> Coverage {
        Coverage::Under(Vec::new())
    }

    /// The coverage of the paths with these keys: the project root's key is empty
    /// ([`Checker::key`] leaves out `.`), and covers everything.
    pub(crate) fn keys(keys: Vec<String>) -> Coverage {
        if keys.iter().any(String::is_empty) {
            Coverage::Everything
        } else {
            Coverage::Under(keys)
        }
    }

    fn and(self, other: Coverage) -> Coverage {
        match (self, other) {
            (Coverage::Under(mut keys), Coverage::Under(more)) => {
                keys.extend(more);
                Coverage::Under(keys)
            }
            _ => Coverage::Everything,
        }
    }

    /// Whether the finding key `key` lies in what was looked at: a member of an archive
    /// (`a.zip!b`) lies in the archive.
    pub(crate) fn covers(&self, key: &str) -> bool {
        match self {
            Coverage::Everything => true,
            Coverage::Under(keys) => keys.iter().any(|s| {
                key == s
                    || key
                        .strip_prefix(s.as_str())
                        .is_some_and(|rest| rest.starts_with(['/', '!']))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_root_covers_everything() {
        assert_eq!(
            Coverage::keys(vec!["src".into(), String::new()]),
            Coverage::Everything
        );
        let under = Coverage::keys(vec!["src".into()]);
        assert!(under.covers("src") && under.covers("src/a.rs"));
        assert!(!under.covers("srcs/a.rs") && !under.covers("a.rs"));
        let archive = Coverage::keys(vec!["dist/a.whl".into()]);
        assert!(archive.covers("dist/a.whl!app/x.py") && !archive.covers("dist/a.whl2"));
        assert!(Coverage::nothing().and(Coverage::Everything).covers("a"));
    }

    #[test]
    fn a_hook_scans_nothing_the_ignore_file_ignores() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join(walk::IGNORE_FILE), "sub\n").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        let ignore = ProjectIgnore::read(&root).unwrap();
        let names = ["a", "sub/b", "-"].map(PathBuf::from).to_vec();
        let kept = hook_files_kept(
            Source::for_paths(names, WalkOptions::default()),
            &ignore,
            &root,
        );
        let kept = kept.expect("a and standard input are left");
        assert!(matches!(kept[0], Source::Stdin));
        assert!(matches!(&kept[1], Source::Paths(p) if p.roots == [PathBuf::from("a")]));
        // A staged or history scan from an ignored directory: nothing left.
        let history = Source::History {
            repo: current_dir(),
            range: Revisions::default(),
        };
        for source in [Source::Staged, history] {
            assert!(hook_files_kept(vec![source], &ignore, &root.join("sub")).is_none());
        }
        assert!(hook_files_kept(vec![Source::Staged], &ignore, &root).is_some());
    }

    #[test]
    fn the_report_root_is_that_of_the_one_source() {
        let paths = |names: &[&str]| {
            let names = names.iter().map(PathBuf::from).collect();
            report_root(&Source::for_paths(names, WalkOptions::default()))
        };
        assert_eq!(paths(&["a"]), ReportRoot::Path(PathBuf::from("a")));
        assert_eq!(paths(&["a", "b"]), ReportRoot::CurrentDir);
        assert_eq!(paths(&["a", "-"]), ReportRoot::CurrentDir);
        let history = Source::History {
            repo: PathBuf::from("r"),
            range: Revisions::default(),
        };
        assert_eq!(
            report_root(&[history]),
            ReportRoot::Repository(PathBuf::from("r"))
        );
        assert_eq!(
            report_root(&[Source::Staged]),
            ReportRoot::Path(current_dir())
        );
    }

    #[test]
    fn standard_input_is_scanned_before_the_paths() {
        let names = ["a", "-", "/dev/stdin", "b"].map(PathBuf::from).to_vec();
        let sources = Source::for_paths(names, WalkOptions::default());
        assert!(matches!(sources[0], Source::Stdin));
        let Source::Paths(paths) = &sources[1] else {
            panic!("no paths: {sources:?}")
        };
        assert_eq!(paths.roots, ["a", "b"].map(PathBuf::from));
        assert_eq!(sources.len(), 2);
    }
}
