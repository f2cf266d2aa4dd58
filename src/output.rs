//! Where a report goes: standard output, or a file replaced atomically (a temporary file
//! beside it, then a rename), so that a reader never sees half a report.
//!
//! A closed standard output (`tokenlint scan | head -1`) is not an error: the run ends
//! quietly with its usual exit code.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes with `write` to `path`, or to standard output when `path` is `None`. A
/// `private` report (one with secrets in it) is readable by its owner alone.
pub(crate) fn write_report(
    path: Option<&Path>,
    private: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    match path {
        // By name, the standard streams are the ones tokenlint has, not files to reopen:
        // `-o /dev/stdout >> log` appends to the log.
        None => to_stdout(write),
        Some(path) if stream(path) == Some(1) => to_stdout(write),
        Some(path) if stream(path) == Some(2) => {
            let mut err = io::stderr().lock();
            write(&mut err)
                .and_then(|()| err.flush())
                .map_err(|source| Error::Output {
                    path: path.to_path_buf(),
                    source,
                })
        }
        Some(path) => atomic_write(path, private, write).map_err(|source| Error::Output {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Prints text to standard output.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

/// The standard stream that `path` names, 1 or 2, if it names one.
fn stream(path: &Path) -> Option<u8> {
    let name = path.to_str()?;
    let fd = name
        .strip_prefix("/dev/fd/")
        .or_else(|| name.strip_prefix("/proc/self/fd/"));
    match (name, fd) {
        ("/dev/stdout", _) | (_, Some("1")) => Some(1),
        ("/dev/stderr", _) | (_, Some("2")) => Some(2),
        _ => None,
    }
}

fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Output {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn atomic_write(
    path: &Path,
    private: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // A device or a FIFO named as such (`/dev/null`) is written to, never replaced.
    // Anything else, a link included, is replaced: a link is never written through, even
    // to a device (one planted in a shared directory could point at a disk).
    if fs::symlink_metadata(path).is_ok_and(|m| {
        let kind = m.file_type();
        !kind.is_file() && !kind.is_dir() && !kind.is_symlink()
    }) {
        let mut out = BufWriter::new(fs::OpenOptions::new().write(true).open(path)?);
        return write(&mut out).and_then(|()| out.flush());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let (tmp, file) = create_temporary(dir, &name.to_string_lossy(), private)?;
    let result = (|| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A new file beside the report, never one that exists already (nor a link's target).
fn create_temporary(dir: &Path, name: &str, private: bool) -> io::Result<(PathBuf, File)> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    let _ = private;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(
            ".{name}.tokenlint-{}-{}.tmp",
            std::process::id(),
            nanos.wrapping_add(attempt)
        ));
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "cannot create a temporary file beside the report",
    ))
}

/// A new temporary file, readable by its owner alone, that is gone when it is closed:
/// removed from its directory at once where the system allows it.
pub(crate) fn spool_file() -> io::Result<File> {
    let dir = std::env::temp_dir();
    let (path, file) = create_temporary(&dir, "tokenlint-stdin", true)?;
    #[cfg(unix)]
    fs::remove_file(&path)?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        atomic_write(&path, false, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        let err = atomic_write(&path, false, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_private_report_is_readable_by_its_owner_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        atomic_write(&path, true, |out| out.write_all(b"secret")).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/report.json");
        assert!(atomic_write(&path, false, |out| out.write_all(b"x")).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
