//! Where a report goes: standard output, or a file replaced atomically (a temporary file
//! beside it, then a rename), so that a reader never sees half a report. Standard output
//! is the writer the binary hands in ([`Stdout`]): a command's text is printed to it here
//! too, so that a closed standard output and a reader that has gone are handled in one
//! place.
//!
//! Where others can write to the directory, the report is never written through a link
//! or to a file put in its place: the temporary file is created anew by `tempfile`
//! (`O_EXCL`, which no link passes) and checked to be the one the name still holds before
//! the rename, and an existing device or FIFO is written only when it is the user's own or
//! `/dev/null`. A rewritten report keeps its mode. SIGINT, SIGTERM and a crash remove the temporary file.
//!
//! A standard output whose reader has gone (`tokenlint scan | head -1`) is not an error:
//! the run ends quietly with its usual exit code. A standard output that was never open
//! (`>&-`) is: no report could be written, and the run exits with 2.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::sync::atomic::AtomicPtr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::token::Reveal;
use crate::Error;

/// Standard output, as the binary hands it to a run: the one writer a report that goes to
/// no file, and a command's text, are written to. The library never opens it itself.
pub(crate) struct Stdout<'a>(&'a mut dyn Write);

impl<'a> Stdout<'a> {
    pub(crate) fn new(out: &'a mut dyn Write) -> Stdout<'a> {
        Stdout(out)
    }

    /// Writes with `write` to `path`, or to standard output when `path` is `None`. A
    /// report that shows secrets in full ([`Reveal::InFull`]) is readable by its owner
    /// alone, whatever the file's mode was; any other is 0644 when new and keeps its mode
    /// when rewritten.
    pub(crate) fn write_report(
        &mut self,
        path: Option<&Path>,
        reveal: Reveal,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Error> {
        match path {
            // By name, the standard streams are the ones tokenlint has, not files to
            // reopen: `-o /dev/stdout >> log` appends to the log.
            None => self.write(write),
            Some(path) if stream(path) == Some(1) => self.write(write),
            Some(path) if stream(path) == Some(2) => {
                let mut err = io::stderr().lock();
                write(&mut err)
                    .and_then(|()| err.flush())
                    .map_err(|source| Error::Output {
                        path: path.to_path_buf(),
                        source,
                    })
            }
            Some(path) => atomic_write(path, reveal, write).map_err(|source| Error::Output {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Prints text to standard output.
    pub(crate) fn print(&mut self, text: &str) -> Result<(), Error> {
        self.write(|out| out.write_all(text.as_bytes()))
    }

    /// Writes with `write`: a reader that has gone is no error, a standard output that was
    /// closed when the process started is.
    fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
        if STDOUT_CLOSED.load(Ordering::Relaxed) {
            return Err(Error::Output {
                path: PathBuf::from("<stdout>"),
                source: io::Error::other("standard output is closed: no report was written"),
            });
        }
        let mut out = BufWriter::new(&mut *self.0);
        match write(&mut out).and_then(|()| out.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Output {
                path: PathBuf::from("<stdout>"),
                source: e,
            }),
            _ => Ok(()),
        }
    }
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

/// Whether standard output was closed when tokenlint started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records that standard output was closed when the process started (`>&-`): writing a
/// report to it is then an error. The standard library opens `/dev/null` on a closed
/// standard stream before `main`, and takes writes to it as successes, so only the
/// binary's start-up code can tell.
pub fn stdout_was_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

fn atomic_write(
    path: &Path,
    reveal: Reveal,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // A device or a FIFO named as such (`/dev/null`) is written to, never replaced.
    // Anything else, a link included, is replaced: a link is never written through, even
    // to a device (one planted in a shared directory could point at a disk).
    let existing = fs::symlink_metadata(path).ok();
    if let Some(meta) = existing.as_ref().filter(|m| is_special(m)) {
        return write_to_device(path, meta, write);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = temporary_beside(dir, name, reveal)?;
    let pending = Pending::register(tmp.path());
    let result = (|| {
        keep_mode(tmp.as_file(), existing.as_ref(), reveal)?;
        let mut out = BufWriter::new(tmp.as_file());
        write(&mut out)?;
        out.flush()?;
        drop(out);
        tmp.as_file().sync_all()?;
        // In a directory others can write, the name may no longer be this file's.
        same_file(tmp.as_file(), tmp.path())?;
        tmp.persist(path).map(drop).map_err(|e| e.error)
    })();
    drop(pending);
    result
}

/// A new file beside the report (`.NAME.tokenlint-XXXXXX.tmp`), never one that exists
/// already nor a link's target, readable by its owner alone when the report is
/// [`Reveal::InFull`]; removed when dropped unless it was renamed into place.
fn temporary_beside(
    dir: &Path,
    name: &std::ffi::OsStr,
    reveal: Reveal,
) -> io::Result<tempfile::NamedTempFile> {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".tokenlint-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(match reveal {
            Reveal::InFull => 0o600,
            Reveal::Redacted => 0o644,
        }));
    }
    let _ = reveal;
    builder.tempfile_in(dir).map_err(without_temporary_path)
}

/// The error `tempfile` wraps with the temporary file's name (`… at path "…"`): a name the
/// user never gave, different on every run. The error is about the report's path, which
/// the caller names, so only what went wrong is kept. (`tempfile`'s wrapper is private,
/// and gives back no OS error code: its text is all there is. Inside the quoted name a
/// quote is escaped, so the marker stands once.)
fn without_temporary_path(err: io::Error) -> io::Error {
    let text = err.to_string();
    match text.find(" at path \"") {
        Some(end) if err.get_ref().is_some() => io::Error::new(err.kind(), &text[..end]),
        _ => err,
    }
}

/// Neither a regular file, a directory nor a link: a device, a FIFO or a socket.
fn is_special(meta: &fs::Metadata) -> bool {
    let kind = meta.file_type();
    !kind.is_file() && !kind.is_dir() && !kind.is_symlink()
}

/// Writes to the device or FIFO at `path`, whose `lstat` is `meta`: only to one of the
/// user's own, or to `/dev/null`, and only to the very file that was looked at. Both are
/// checked on the opened file itself, so that nothing put in its place between the look
/// and the open is written to.
fn write_to_device(
    path: &Path,
    meta: &fs::Metadata,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if !may_write_to_device(meta) {
        return Err(refused());
    }
    let file = open_no_follow(path)?;
    opened_as_looked_at(meta, &file.metadata()?)?;
    let mut out = BufWriter::new(file);
    write(&mut out).and_then(|()| out.flush())
}

fn refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "a FIFO or device that belongs to another user: refused (name a new file, or \
         /dev/null)",
    )
}

/// An error unless the file opened (`opened`, its `fstat`) is the one looked at (`looked`,
/// its `lstat`), and a device or FIFO that the user may write to.
fn opened_as_looked_at(looked: &fs::Metadata, opened: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (opened.dev(), opened.ino()) != (looked.dev(), looked.ino()) {
            return Err(changed());
        }
    }
    // Windows has no stable file identity in std (`file_index` is unstable): the file
    // opened is not compared with the one looked at there.
    #[cfg(not(unix))]
    let _ = looked;
    if !is_special(opened) || !may_write_to_device(opened) {
        return Err(refused());
    }
    Ok(())
}

#[cfg(unix)]
fn changed() -> io::Error {
    io::Error::other(
        "the file changed while it was being written (someone else writes to its directory): \
         nothing was written to it",
    )
}

#[cfg(unix)]
fn may_write_to_device(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    // SAFETY: geteuid has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    let null = fs::metadata("/dev/null").ok().map(|n| n.rdev());
    device_allowed(
        meta.uid(),
        euid,
        meta.file_type().is_char_device().then(|| meta.rdev()),
        null,
    )
}

#[cfg(not(unix))]
fn may_write_to_device(_meta: &fs::Metadata) -> bool {
    true
}

/// A device or FIFO owned by `owner` may be written by user `euid`: when it is theirs, or
/// when it is the character device `char_device` that `/dev/null` is (`null`).
#[cfg(unix)]
fn device_allowed(owner: u32, euid: u32, char_device: Option<u64>, null: Option<u64>) -> bool {
    owner == euid || (char_device.is_some() && char_device == null)
}

/// Opens `path` for writing, never through a link. A FIFO is opened without waiting for
/// its reader first; only when it has none yet (the user's own FIFO, as checked before)
/// does the open wait, as a shell's redirection would.
fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        use std::os::unix::io::AsRawFd;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        let file = match options.open(path) {
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                return options.custom_flags(libc::O_NOFOLLOW).open(path);
            }
            other => other?,
        };
        // Writes block again, as they would to any device.
        // SAFETY: fcntl on a descriptor this function owns, with integer arguments.
        unsafe {
            let fd = file.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// An error unless `file` is the file that `path` names now: the same device and inode,
/// the name not a link.
fn same_file(file: &File, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (opened, named) = (file.metadata()?, fs::symlink_metadata(path)?);
        if (opened.dev(), opened.ino()) != (named.dev(), named.ino()) {
            return Err(changed());
        }
    }
    let _ = (file, path);
    Ok(())
}

/// A rewritten report keeps the mode of the report it replaces (a 0600 report stays
/// 0600); one that shows secrets in full is never readable by others.
fn keep_mode(file: &File, existing: Option<&fs::Metadata>, reveal: Reveal) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(old) = existing.filter(|m| m.is_file()) {
        use std::os::unix::fs::PermissionsExt;
        let mut mode = old.permissions().mode() & 0o777;
        if reveal == Reveal::InFull {
            mode &= 0o700;
        }
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    let _ = (file, existing, reveal);
    Ok(())
}

/// Temporary files being written, removed if the run is interrupted (SIGINT, SIGTERM)
/// or crashes before they are renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file in [`PENDING`] while this lives.
struct Pending(PathBuf);

impl Pending {
    fn register(path: &Path) -> Pending {
        on_signal_remove_pending();
        pending().push(path.to_path_buf());
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            if let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) {
                free_c_path(PENDING_C.swap(name.into_raw(), Ordering::AcqRel));
            }
        }
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        pending().retain(|p| p != &self.0);
        #[cfg(unix)]
        free_c_path(PENDING_C.swap(std::ptr::null_mut(), Ordering::AcqRel));
    }
}

/// The latest temporary file being written, as a C string, for
/// [`remove_pending_without_allocating`]; null when there is none.
#[cfg(unix)]
static PENDING_C: AtomicPtr<std::ffi::c_char> = AtomicPtr::new(std::ptr::null_mut());

#[cfg(unix)]
fn free_c_path(path: *mut std::ffi::c_char) {
    if !path.is_null() {
        // SAFETY: every non-null pointer in `PENDING_C` came from `CString::into_raw`, and
        // whoever swaps it out owns it.
        drop(unsafe { std::ffi::CString::from_raw(path) });
    }
}

/// Removes the latest temporary file being written, allocating nothing and taking no
/// lock: for when memory has run out. The pointer is taken, never freed.
#[cfg(unix)]
pub(crate) fn remove_pending_without_allocating() {
    let path = PENDING_C.swap(std::ptr::null_mut(), Ordering::AcqRel);
    if !path.is_null() {
        // SAFETY: a NUL-terminated path that no one else holds any more.
        unsafe { libc::unlink(path) };
    }
}

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file still being written.
pub(crate) fn remove_pending() {
    for path in pending().drain(..) {
        let _ = fs::remove_file(path);
    }
}

/// Once per run: SIGINT and SIGTERM remove the temporary files, then end the run as the
/// signal would (exit 130 or 143).
fn on_signal_remove_pending() {
    #[cfg(unix)]
    static ONCE: std::sync::Once = std::sync::Once::new();
    #[cfg(unix)]
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_pending();
                std::process::exit(128 + signal);
            }
        });
    });
}

/// A new temporary file, readable by its owner alone, that is gone when it is closed:
/// removed from its directory at once where the system allows it.
pub(crate) fn spool_file() -> io::Result<File> {
    tempfile::tempfile()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        atomic_write(&path, Reveal::Redacted, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_report_that_cannot_be_created_is_an_error_without_the_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("report.json");
        let err = atomic_write(&path, Reveal::Redacted, |out| out.write_all(b"new")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            err.to_string(),
            io::Error::from_raw_os_error(libc::ENOENT).to_string()
        );
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        let err = atomic_write(&path, Reveal::Redacted, |out| {
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
        atomic_write(&path, Reveal::InFull, |out| out.write_all(b"secret")).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_rewritten_report_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for (old, reveal, kept) in [
            (0o600, Reveal::Redacted, 0o600),
            (0o640, Reveal::Redacted, 0o640),
            (0o644, Reveal::InFull, 0o600),
        ] {
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(old)).unwrap();
            atomic_write(&path, reveal, |out| out.write_all(b"new")).unwrap();
            assert_eq!(mode(&path), kept, "{old:o} {reveal:?}");
            assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_replaced_under_its_name_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&b, "b").unwrap();
        let file = File::create(&a).unwrap();
        same_file(&file, &a).unwrap();
        fs::rename(&b, &a).unwrap();
        assert!(same_file(&file, &a).is_err());
        std::os::unix::fs::symlink(&b, dir.path().join("link")).unwrap();
        assert!(open_no_follow(&dir.path().join("link")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_of_others_are_refused_but_dev_null() {
        let null = Some(0x103);
        assert!(
            device_allowed(1000, 1000, None, null),
            "the user's own FIFO"
        );
        assert!(
            device_allowed(1000, 1000, Some(0x501), null),
            "the user's own tty"
        );
        assert!(device_allowed(0, 1000, Some(0x103), null), "/dev/null");
        assert!(!device_allowed(0, 1000, Some(0x105), null), "/dev/zero");
        assert!(
            !device_allowed(1001, 1000, None, null),
            "another user's FIFO"
        );
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.unwrap().success());
    }

    #[cfg(unix)]
    #[test]
    fn the_opened_file_is_checked_not_only_the_name_looked_at() {
        // `/dev/null` looked at, then something else opened in its place: refused, whose
        // ever it is; and a file given away between the look and the open as well.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let null = fs::symlink_metadata("/dev/null").unwrap();
        let other = fs::symlink_metadata(&fifo).unwrap();
        let file = dir.path().join("plain");
        fs::write(&file, "").unwrap();
        let plain = fs::symlink_metadata(&file).unwrap();
        assert!(opened_as_looked_at(&null, &null).is_ok());
        assert!(opened_as_looked_at(&other, &other).is_ok());
        assert!(opened_as_looked_at(&null, &other).is_err());
        assert!(opened_as_looked_at(&other, &null).is_err());
        assert!(opened_as_looked_at(&plain, &plain).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn an_own_fifo_and_dev_null_are_written_and_another_users_fifo_refused() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        atomic_write(Path::new("/dev/null"), Reveal::Redacted, |out| {
            out.write_all(b"x")
        })
        .unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        // Whether the reader has opened yet or not.
        atomic_write(&fifo, Reveal::Redacted, |out| out.write_all(b"report")).unwrap();
        assert_eq!(reader.join().unwrap(), "report");
        // Only root can give a FIFO to someone else.
        let nobody = 65534;
        let given = std::process::Command::new("chown")
            .arg(nobody.to_string())
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if given && fs::metadata(&fifo).unwrap().uid() == nobody {
            let err = atomic_write(&fifo, Reveal::Redacted, |out| out.write_all(b"x")).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
            assert!(err.to_string().contains("belongs to another user"), "{err}");
        }
    }

    #[test]
    fn a_temporary_is_pending_only_while_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        // Other tests write reports meanwhile: only this one's is looked at.
        let ours = || -> Vec<PathBuf> {
            let all = pending().clone();
            all.into_iter()
                .filter(|p| p.starts_with(dir.path()))
                .collect()
        };
        atomic_write(&path, Reveal::Redacted, |out| {
            let listed = ours();
            assert_eq!(listed.len(), 1);
            assert!(listed[0].exists());
            out.write_all(b"x")
        })
        .unwrap();
        assert!(ours().is_empty());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Runs itself again as the interrupted process (`TOKENLINT_SIGNAL_CHILD`), which
    /// sends itself the signal in the middle of writing its report.
    #[cfg(unix)]
    #[test]
    fn sigint_and_sigterm_remove_the_temporary_file() {
        const NAME: &str = "output::tests::sigint_and_sigterm_remove_the_temporary_file";
        if let Some(dir) = std::env::var_os("TOKENLINT_SIGNAL_CHILD") {
            let signal: i32 = std::env::var("TOKENLINT_SIGNAL").unwrap().parse().unwrap();
            let path = Path::new(&dir).join("report.json");
            let _ = atomic_write(&path, Reveal::Redacted, |out| {
                out.write_all(b"half a report")?;
                out.flush()?;
                signal_hook::low_level::raise(signal)?;
                loop {
                    std::thread::park();
                }
            });
            unreachable!("the signal ends the process");
        }
        for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
            let dir = tempfile::tempdir().unwrap();
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", NAME, "--test-threads", "1"])
                .env("TOKENLINT_SIGNAL_CHILD", dir.path())
                .env("TOKENLINT_SIGNAL", signal.to_string())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(code), "{out:?}");
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/report.json");
        assert!(atomic_write(&path, Reveal::Redacted, |out| out.write_all(b"x")).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
