//! The files a scanned tree chooses for tokenlint to read — a discovered `tokenlint.toml`,
//! the project's `.tokenlintignore`, and the rule directories, baseline and stores a
//! discovered configuration names — are written by whoever wrote the repository, a pull
//! request from a stranger included. They are read only when they lie inside the project
//! (no symbolic link or `..` out of it), are regular files, and are small. A file the user
//! names on the command line may lie anywhere, but is read with the same bounds.
//!
//! Errors name the path and say why it was refused; they never quote a file's content.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most a configuration, ignore or rule file may hold.
pub(crate) const TEXT_CAP: u64 = 1 << 20;
/// The most a baseline may hold.
pub(crate) const BASELINE_CAP: u64 = 64 << 20;

/// Where the files a configuration names may lie.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Named by the user: anywhere.
    #[default]
    Anywhere,
    /// Named by the scanned tree: inside this project root (canonical).
    Project(PathBuf),
}

impl Scope {
    /// The project scope of `root`, whose symbolic links are resolved here.
    pub(crate) fn project(root: &Path) -> Scope {
        Scope::Project(root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
    }

    /// `path`, for a project with its symbolic links and `..` resolved, refused when that
    /// lies outside the project. A path that does not exist yet (a file about to be written, a store not
    /// created yet) is judged by the nearest directory above it that does.
    pub(crate) fn confine(&self, path: &Path) -> io::Result<PathBuf> {
        let Scope::Project(root) = self else {
            return Ok(path.to_path_buf());
        };
        let real = real_path(path)?;
        if !real.starts_with(root) {
            return Err(refusal(&format!(
                "it lies outside the project {} (a symbolic link or `..` leads out of it); \
                 files the scanned tree names must lie inside it",
                root.display()
            )));
        }
        Ok(real)
    }
}

/// The text of the regular file at `path`, inside `scope`, of at most `cap` bytes.
pub(crate) fn read_text(path: &Path, scope: &Scope, cap: u64) -> io::Result<String> {
    let real = scope.confine(path)?;
    // A FIFO or a device is refused before it is opened: opening a FIFO blocks.
    let meta = std::fs::metadata(&real)?;
    check_regular(&meta, cap)?;
    let file = File::open(&real)?;
    check_regular(&file.metadata()?, cap)?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    // Some files (`/proc`) say they are empty and are not.
    check_size(bytes.len() as u64, cap)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// The ignore files the walk reads in a directory: the ignore crate reads them whole, line
/// by line, so a FIFO there would block the walk and a device fill memory.
const WALK_IGNORE_FILES: [&str; 4] = [
    ".gitignore",
    ".ignore",
    crate::walk::IGNORE_FILE,
    ".git/info/exclude",
];

/// The first ignore file in `dir` that the walk must not read, and why: one that is not a
/// regular file, or is larger than [`TEXT_CAP`].
pub(crate) fn unreadable_ignore_file(dir: &Path) -> Option<(PathBuf, io::Error)> {
    WALK_IGNORE_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        // One that is not there, or cannot be looked at, is not read by the walk either.
        let meta = std::fs::metadata(&path).ok()?;
        check_regular(&meta, TEXT_CAP).err().map(|e| (path, e))
    })
}

/// The first ignore file the walk of `root` would read in `root` or in a directory above it
/// up to the repository root (the walk reads those of the parents too), that it must not.
pub(crate) fn unreadable_ignore_file_above(root: &Path) -> Option<(PathBuf, io::Error)> {
    let start = crate::setup::start_dir(root);
    let repo = start.ancestors().find(|d| d.join(".git").exists());
    start
        .ancestors()
        .take_while(|d| *d == start || repo.is_some_and(|r| d.starts_with(r)))
        .find_map(unreadable_ignore_file)
}

fn check_regular(meta: &std::fs::Metadata, cap: u64) -> io::Result<()> {
    if !meta.is_file() {
        return Err(refusal("it is not a regular file"));
    }
    check_size(meta.len(), cap)
}

fn check_size(len: u64, cap: u64) -> io::Result<()> {
    if len > cap {
        let most = match cap >> 20 {
            0 => format!("{cap} bytes"),
            mib => format!("{mib} MiB"),
        };
        return Err(refusal(&format!(
            "it is larger than {most}, the most tokenlint reads of such a file"
        )));
    }
    Ok(())
}

fn refusal(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, format!("refused: {why}"))
}

/// `path` made absolute with its links resolved; for a path that does not exist, its
/// nearest existing ancestor's, followed by the rest of the path.
fn real_path(path: &Path) -> io::Result<PathBuf> {
    let mut rest = Vec::new();
    let mut base = path;
    loop {
        match base.canonicalize() {
            Ok(real) => return Ok(rest.iter().rev().fold(real, |p, name| p.join(name))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if base.symlink_metadata().is_ok() {
                    return Err(refusal("it is a symbolic link to nothing"));
                }
                // `file_name` is none for a path that ends in `..`: give up there.
                let (Some(parent), Some(name)) = (base.parent(), base.file_name()) else {
                    return Err(e);
                };
                rest.push(name);
                base = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_dots_out_of_the_project_are_refused() {
        let top = tempfile::tempdir().unwrap();
        let project = top.path().join("p");
        std::fs::create_dir(&project).unwrap();
        std::fs::write(top.path().join("secret"), "x").unwrap();
        let scope = Scope::project(&project);
        for escape in ["../secret", "../new-file"] {
            let err = scope.confine(&project.join(escape)).unwrap_err();
            assert!(
                err.to_string().contains("outside the project"),
                "{escape}: {err}"
            );
        }
        // Through a directory that is not there: not found, so not read or written either.
        assert!(scope.confine(&project.join("a/../../secret")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(top.path().join("secret"), project.join("l")).unwrap();
            assert!(read_text(&project.join("l"), &scope, TEXT_CAP).is_err());
            assert_eq!(
                read_text(&project.join("l"), &Scope::Anywhere, TEXT_CAP).unwrap(),
                "x"
            );
            std::os::unix::fs::symlink(top.path().join("none"), project.join("d")).unwrap();
            assert!(scope.confine(&project.join("d")).is_err());
        }
        let inside = scope.confine(&project.join("not-yet/f")).unwrap();
        assert!(inside.ends_with("p/not-yet/f"), "{inside:?}");
    }

    #[test]
    fn large_and_irregular_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "12345").unwrap();
        let anywhere = Scope::Anywhere;
        assert_eq!(read_text(&file, &anywhere, 5).unwrap(), "12345");
        let err = read_text(&file, &anywhere, 4).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        let err = read_text(dir.path(), &anywhere, 4).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}
