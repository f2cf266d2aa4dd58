//! Ignore files: the project's own, which applies to what a scan reads without walking a
//! directory (staged files, a hook's file list, history blobs), and those the walk reads,
//! which are checked first, so that a hostile one is never read.

use std::io;
use std::path::{Path, PathBuf};

use crate::config::ConfigError;
use crate::confine::{self, Scope};
use crate::Error;

/// The project's `.tokenlintignore` (at the project root), for the scans that do not walk
/// a directory: staged files, hook file lists and history blobs.
pub struct ProjectIgnore {
    root: PathBuf,
    matcher: Option<ignore::gitignore::Gitignore>,
}

impl ProjectIgnore {
    /// Reads the project's ignore file, which must be a small regular file inside the
    /// project. A line that is not a valid pattern is a warning, and is left out.
    pub fn read(project_root: &Path) -> Result<ProjectIgnore, Error> {
        let file = project_root.join(super::walk::IGNORE_FILE);
        let matcher = if file.symlink_metadata().is_ok() {
            let scope = Scope::project(project_root);
            let text = confine::read_text(&file, &scope, confine::TEXT_CAP).map_err(|source| {
                Box::new(ConfigError::Read {
                    path: file.clone(),
                    source,
                })
            })?;
            Some(ignore_matcher(project_root, &file, &text))
        } else {
            None
        };
        Ok(ProjectIgnore {
            root: project_root.to_path_buf(),
            matcher: matcher.flatten(),
        })
    }

    /// None: for `--no-ignore`, and for the scans that walk, whose walk reads the ignore
    /// files.
    pub(crate) fn disabled(project_root: &Path) -> ProjectIgnore {
        ProjectIgnore {
            root: project_root.to_path_buf(),
            matcher: None,
        }
    }

    /// Whether the file at the absolute `path` is ignored.
    pub fn ignores(&self, path: &Path) -> bool {
        self.matcher.as_ref().is_some_and(|m| {
            path.starts_with(&self.root) && m.matched_path_or_any_parents(path, false).is_ignore()
        })
    }
}

/// The matcher for the lines of the ignore file `file`, with a warning on standard error
/// for each line that is not a valid pattern (naming the line, never quoting it).
fn ignore_matcher(root: &Path, file: &Path, text: &str) -> Option<ignore::gitignore::Gitignore> {
    let shown = file.to_string_lossy();
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    for (n, line) in text.lines().enumerate() {
        if let Err(e) = builder.add_line(None, line) {
            let why = match e {
                ignore::Error::Glob { err, .. } => err,
                _ => "not a valid pattern".to_string(),
            };
            if let Some(warning) = super::walk::bad_ignore_line(file, Some(n as u64 + 1), &why) {
                crate::report::warn(&warning);
            }
        }
    }
    match builder.build() {
        Ok(matcher) => Some(matcher),
        Err(_) => {
            crate::report::warn(&format!(
                "warning: {shown}: its patterns cannot be compiled; it is not used"
            ));
            None
        }
    }
}

/// The ignore files the walk reads in a directory: the ignore crate reads them whole, line
/// by line, so a FIFO there would block the walk and a device fill memory.
const WALK_IGNORE_FILES: [&str; 4] = [
    ".gitignore",
    ".ignore",
    super::walk::IGNORE_FILE,
    ".git/info/exclude",
];

/// The first ignore file in `dir` that the walk must not read, and why: a symbolic link
/// out of the repository, one that is not a regular file, or one larger than
/// [`confine::TEXT_CAP`].
pub(crate) fn unreadable_ignore_file(dir: &Path) -> Option<(PathBuf, io::Error)> {
    WALK_IGNORE_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        // One that is not there, or cannot be looked at, is not read by the walk either.
        let meta = std::fs::metadata(&path).ok()?;
        let checked = confine::check_regular(&meta, confine::TEXT_CAP).and_then(|()| {
            match links_inside_repository(dir, &path) {
                true => Ok(()),
                false => Err(confine::refusal(
                    "it is a symbolic link out of the repository",
                )),
            }
        });
        checked.err().map(|e| (path, e))
    })
}

/// Whether `path`, an ignore file in `dir`, is no symbolic link, or one that resolves
/// inside the repository holding `dir` (the nearest directory above it with `.git`, links
/// resolved). git reads no linked `.gitignore` at all; the walk reads one that a
/// repository shares among its directories, but never one that leads out of it, such as
/// `sub/.ignore -> ../../home/me/.netrc`, whose lines its warnings would describe.
fn links_inside_repository(dir: &Path, path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return true;
    }
    let (Ok(real_dir), Ok(real)) = (dir.canonicalize(), path.canonicalize()) else {
        return false;
    };
    let repo = real_dir.ancestors().find(|d| d.join(".git").exists());
    repo.is_some_and(|r| real.starts_with(r))
}

/// The first ignore file the walk of `root` would read in `root` or in a directory above it
/// up to the repository root (the walk reads those of the parents too), that it must not.
pub(crate) fn unreadable_ignore_file_above(root: &Path) -> Option<(PathBuf, io::Error)> {
    let start = confine::start_dir(root);
    let repo = start.ancestors().find(|d| d.join(".git").exists());
    start
        .ancestors()
        .take_while(|d| *d == start || repo.is_some_and(|r| d.starts_with(r)))
        .find_map(unreadable_ignore_file)
}
