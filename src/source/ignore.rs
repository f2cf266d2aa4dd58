//! The project's ignore file, for what a scan reads without walking a directory.

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
                crate::report::warn(&warning, true);
            }
        }
    }
    match builder.build() {
        Ok(matcher) => Some(matcher),
        Err(_) => {
            crate::report::warn(
                &format!("warning: {shown}: its patterns cannot be compiled; it is not used"),
                true,
            );
            None
        }
    }
}
