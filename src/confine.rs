//! The files a scanned tree chooses for tokenlint to read — a discovered `tokenlint.toml`
//! (or one `--config` names inside the tree), the project's `.tokenlintignore`, and the rule
//! directories, baseline and store files such a configuration names — are written by
//! whoever wrote the repository, a pull request from a stranger included. They are read
//! only when they lie inside their [`Scope`] (no symbolic link or `..` out of it): the
//! project for the configuration file itself, the configuration file's own directory for
//! what it names. They must be regular files, and small. A file the user names outside
//! the tree may lie anywhere, but is read with the same bounds, by the same one reader.
//!
//! Errors name the path and say why it was refused; they never quote a file's content.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

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
                "it lies outside the project, as far as the scanned tree may reach from here: \
                 {} (a file found in the tree lies in its repository; a file a configuration \
                 names lies in that configuration's directory; a symbolic link or `..` leads \
                 out of it)",
                root.display()
            )));
        }
        Ok(real)
    }
}

/// The text of the regular file at `path`, inside `scope`, of at most `cap` bytes.
pub(crate) fn read_text(path: &Path, scope: &Scope, cap: u64) -> io::Result<String> {
    let file = open_in(path, scope)?;
    check_size(file.metadata()?.len(), cap)?;
    let (bytes, more) = read_at_most(file, cap)?;
    // Some files (`/proc`) say they are empty and are not.
    if more {
        check_size(cap + 1, cap)?;
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// At most `limit` bytes of the regular file at `path`, inside `scope`, and whether the
/// file holds more.
pub(crate) fn read_in(path: &Path, scope: &Scope, limit: u64) -> io::Result<(Vec<u8>, bool)> {
    read_at_most(open_in(path, scope)?, limit)
}

/// At most `limit` bytes of the regular file at `path` (a link is followed), and whether
/// the file holds more.
pub(crate) fn read_regular(path: &Path, limit: u64) -> io::Result<(Vec<u8>, bool)> {
    read_in(path, &Scope::Anywhere, limit)
}

/// The regular file at `path`, links followed, opened for reading without blocking.
pub(crate) fn open_regular_file(path: &Path) -> io::Result<File> {
    open_regular(path, true)
}

/// The regular file at `path`, opened for reading; a symbolic link at `path` is refused
/// (`O_NOFOLLOW`), so that what is changed through the handle is the file itself.
#[cfg(unix)]
pub(crate) fn open_no_follow(path: &Path) -> io::Result<File> {
    open_regular(path, false)
}

/// The regular file at `path`, inside `scope`, opened for reading.
fn open_in(path: &Path, scope: &Scope) -> io::Result<File> {
    match scope {
        Scope::Anywhere => open_regular(path, true),
        // Confined, the real path has no link left in it: one put there since is refused.
        Scope::Project(_) => open_regular(&scope.confine(path)?, false),
    }
}

/// The regular file at `path`, opened for reading. Anything else is refused without
/// blocking: the file is opened non-blocking, so that a FIFO put in its place does not
/// hang, and what was opened is the one looked at. Without `follow`, a link at `path` is
/// refused.
fn open_regular(path: &Path, follow: bool) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) if !follow => refusal("it is a symbolic link"),
        _ => e,
    })?;
    // Without O_NOFOLLOW, a link is looked for after the open: racy, but it refuses the
    // link that was there before (untested: nothing here runs Windows).
    #[cfg(not(unix))]
    if !follow && std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(refusal("it is a symbolic link"));
    }
    if !file.metadata()?.is_file() {
        return Err(refusal("it is not a regular file"));
    }
    Ok(file)
}

/// At most `limit` bytes of `file`, and whether it holds more.
fn read_at_most(file: File, limit: u64) -> io::Result<(Vec<u8>, bool)> {
    let mut data = Vec::new();
    file.take(limit + 1).read_to_end(&mut data)?;
    let more = data.len() as u64 > limit;
    data.truncate(limit as usize);
    Ok((data, more))
}

/// Refuses `path` when it lies in a git directory: under a `.git` (in any letter case, as a
/// case-insensitive file system would), or in a directory git would take for one. There a
/// file tokenlint writes would be git's own: a hook it runs, or its configuration.
pub(crate) fn outside_git_dir(path: &Path) -> io::Result<()> {
    let real = real_path(path)?;
    let named_git = [path, real.as_path()].into_iter().any(|p| {
        p.components()
            .any(|c| c.as_os_str().to_string_lossy().eq_ignore_ascii_case(".git"))
    });
    if named_git || real.ancestors().any(is_git_dir) {
        return Err(refusal(
            "it lies in a git directory, where git would take it for its own file (a hook, \
             its configuration)",
        ));
    }
    Ok(())
}

/// Whether `dir` looks like a git directory to git: `HEAD`, `objects` and `refs` in it.
fn is_git_dir(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

pub(crate) fn check_regular(meta: &std::fs::Metadata, cap: u64) -> io::Result<()> {
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

pub(crate) fn refusal(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, format!("refused: {why}"))
}

/// `path` made absolute with its links resolved and no `.` or `..` left: its nearest
/// existing ancestor made canonical, followed by the rest of the path made plain. A link
/// that points nowhere is refused: what it would create is not known.
pub(crate) fn real_path(path: &Path) -> io::Result<PathBuf> {
    let path = std::env::current_dir()?.join(path);
    for base in path.ancestors() {
        match base.canonicalize() {
            Ok(real) => {
                let rest = path.strip_prefix(base).unwrap_or(Path::new(""));
                return Ok(normalize(&real.join(rest)));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if base.symlink_metadata().is_ok() {
                    return Err(refusal("it is a symbolic link to nothing"));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from(io::ErrorKind::NotFound))
}

/// [`real_path`], or, when that fails, `path` made plain: for a path that is only shown
/// or compared.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    real_path(path).unwrap_or_else(|_| normalize(path))
}

/// `path` without `.` and `..` components, as far as it can tell without the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The directory a run over `path` starts from, absolute: `path` when it is a
/// directory, else the directory it is in (the current one for a bare file name).
pub(crate) fn start_dir(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        _ if path.is_dir() => path,
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    canonical(&std::env::current_dir().unwrap_or_default().join(dir))
}

/// `path` with its links resolved, as it is when it cannot be.
pub(crate) fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
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

    #[cfg(unix)]
    #[test]
    fn one_reader_refuses_fifos_without_blocking_and_links_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let scope = Scope::project(dir.path());
        for err in [
            read_text(&fifo, &Scope::Anywhere, TEXT_CAP).unwrap_err(),
            read_text(&fifo, &scope, TEXT_CAP).unwrap_err(),
            read_regular(&fifo, 10).unwrap_err(),
        ] {
            assert_eq!(err.to_string(), "refused: it is not a regular file");
        }
        std::fs::write(dir.path().join("f"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("f"), dir.path().join("l")).unwrap();
        let err = open_regular(&dir.path().join("l"), false).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(read_text(&dir.path().join("l"), &scope, 1).unwrap(), "x");
    }

    #[test]
    fn real_paths_are_plain() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("sub")).unwrap();
        let path = real.join("sub/../missing/../.git/./hooks");
        assert_eq!(real_path(&path).unwrap(), real.join(".git/hooks"));
        assert_eq!(resolved(&path), real.join(".git/hooks"));
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
