//! The parallel walk: paths in, every file's findings out, with per-file problems kept
//! as warnings so that one bad file never stops a scan.
//!
//! Each worker owns its read buffer and scanner scratch, and hands its findings over
//! once, when the walk drops it. The caller sorts, so thread timing never shows.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::check::Checker;
use crate::item::{Data, Item, OpenFile};
use crate::outcome::{Outcome, ScanError};
use crate::scan::Scratch;

/// The name of tokenlint's own ignore file, in gitignore syntax, honoured anywhere.
pub const IGNORE_FILE: &str = ".tokenlintignore";

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub follow: bool,
    pub no_ignore: bool,
    pub threads: usize,
}

/// Scans every file under `paths` in parallel. The paths must exist.
pub fn walk(paths: &[PathBuf], opts: &WalkOptions, checker: &Checker) -> Outcome {
    let mut builder = WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    let respect = !opts.no_ignore;
    builder
        .hidden(false)
        .follow_links(opts.follow)
        .threads(opts.threads)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .filter_entry(|e| e.file_name() != ".git");
    let refused = Arc::new(Mutex::new(Vec::new()));
    if respect {
        builder.add_custom_ignore_filename(IGNORE_FILE);
        let refused = Arc::clone(&refused);
        builder.filter_entry(move |e| e.file_name() != ".git" && !refuse_dir(e, &refused));
    }
    let shared = Mutex::new(Outcome::default());
    let mut visitors = Visitors {
        checker,
        shared: &shared,
        opts,
    };
    builder.build_parallel().visit(&mut visitors);
    let mut outcome = shared.into_inner().unwrap_or_else(|e| e.into_inner());
    outcome
        .errors
        .extend(refused.lock().unwrap_or_else(|e| e.into_inner()).drain(..));
    outcome
}

/// Whether the walk must leave out the directory `entry`, because an ignore file in it
/// cannot be read safely (the walk would read it before it lists the directory); if so,
/// a warning says which.
fn refuse_dir(entry: &DirEntry, refused: &Mutex<Vec<ScanError>>) -> bool {
    if !entry.file_type().is_some_and(|t| t.is_dir()) {
        return false;
    }
    let Some((file, error)) = super::ignore::unreadable_ignore_file(entry.path()) else {
        return false;
    };
    refused
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(ScanError {
            path: display_path(entry.path()),
            message: format!(
                "not scanned: its ignore file {} is not read ({error})",
                display_path(&file)
            ),
        });
    true
}

/// What of a git blob is held in memory: one of this size or more is spooled to a
/// temporary file, whatever the rules, so that no size git announces is allocated.
pub(crate) const SPOOL_FROM: u64 = LARGE;

struct Visitors<'s> {
    checker: &'s Checker<'s>,
    shared: &'s Mutex<Outcome>,
    opts: &'s WalkOptions,
}

impl<'s> ParallelVisitorBuilder<'s> for Visitors<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Worker {
            checker: self.checker,
            shared: self.shared,
            local: Outcome::default(),
            buf: Vec::new(),
            scratch: Scratch::default(),
            dir: OpenDir::new(self.opts),
        })
    }
}

struct Worker<'s> {
    checker: &'s Checker<'s>,
    shared: &'s Mutex<Outcome>,
    local: Outcome,
    buf: Vec<u8>,
    scratch: Scratch,
    dir: OpenDir,
}

impl ParallelVisitor for Worker<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => self.visit_entry(&entry),
            // The ignore files of the directories above a root.
            Err(err) if warn_ignore_lines(&err) => {}
            Err(err) => self.local.errors.push(walk_error(&err)),
        }
        WalkState::Continue
    }
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        self.shared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .merge(local);
    }
}

impl Worker<'_> {
    fn visit_entry(&mut self, entry: &DirEntry) {
        // A directory's ignore files with lines the walk leaves out.
        if let Some(err) = entry.error() {
            if !warn_ignore_lines(err) {
                self.local.errors.push(walk_error(err));
            }
        }
        let path = entry.path();
        let Some(kind) = entry.file_type() else {
            return;
        };
        let is_file = if kind.is_symlink() && entry.depth() == 0 {
            // A link named on the command line is followed, like any named file.
            path.metadata().is_ok_and(|m| m.is_file())
        } else {
            kind.is_file()
        };
        if !is_file {
            if entry.depth() == 0 && !kind.is_dir() {
                self.error(path, not_a_file(path).to_string());
            }
            return;
        }
        let windowed = self.checker.windowed();
        let content = match self
            .dir
            .open(entry)
            .and_then(|file| Content::read(file, &mut self.buf, windowed))
        {
            Ok(content) => content,
            Err(err) => return self.error(path, err.to_string()),
        };
        let name = display_path(path);
        let file;
        let data = match content {
            Content::Large(large, limit) => {
                file = large;
                Data::File(OpenFile {
                    file: &file,
                    limit,
                    buf: &mut self.buf,
                })
            }
            Content::Read => Data::Held(&self.buf),
        };
        let item = Item {
            path: Some(path),
            shown: &name,
            data,
        };
        let scanned = self.checker.check_item(item, &mut self.scratch);
        self.local.merge(scanned);
    }

    fn error(&mut self, path: &Path, message: String) {
        self.local.errors.push(ScanError {
            path: display_path(path),
            message,
        });
    }
}

/// Why a path named on the command line is skipped: it is a device, a socket or a pipe,
/// which may never end or may be read once only.
fn not_a_file(path: &Path) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if path.metadata().is_ok_and(|m| m.file_type().is_fifo()) {
            return "a pipe, not a regular file; skipped (to scan what comes through a pipe, \
                    give `-` and send it to standard input)";
        }
    }
    let _ = path;
    "not a regular file; skipped"
}

/// Files at least this large are scanned in windows (see [`crate::scan::stream`]), unless
/// a custom rule's matches have no bounded length.
pub(super) const LARGE: u64 = crate::scan::stream::WINDOW as u64;

/// What is read of a file before its size matters.
const FIRST_READ: u64 = 64 << 10;

/// A file's bytes: read into the worker's buffer, or to be read window by window.
enum Content {
    Read,
    /// A file to read in windows, up to a limit in bytes.
    Large(File, u64),
}

impl Content {
    fn read(mut file: File, buf: &mut Vec<u8>, windowed: bool) -> std::io::Result<Content> {
        buf.clear();
        // Most files are small: read them whole without asking their size first.
        if (&mut file).take(FIRST_READ).read_to_end(buf)? < FIRST_READ as usize {
            return Ok(Content::Read);
        }
        if windowed {
            if file.metadata()?.len() < LARGE {
                // Read on, at most a window's worth: a file that grew meanwhile is large.
                (&mut file).take(LARGE - FIRST_READ).read_to_end(buf)?;
                if (buf.len() as u64) < LARGE {
                    return Ok(Content::Read);
                }
            }
            // A file still being written is read up to the size it has now, so that the
            // scan ends; one that says it is empty (procfs) is read to its end.
            let limit = match file.metadata()?.len() {
                0 => u64::MAX,
                now => now.max(buf.len() as u64),
            };
            return Ok(Content::Large(file, limit));
        }
        // A custom rule without a bounded match length: the file is read whole. (A memory
        // map would be cheaper, but a file that shrinks while mapped kills the process.)
        file.read_to_end(buf)?;
        Ok(Content::Read)
    }
}

/// The directory a worker's last file was in, open: a file found in it is opened by its
/// name there (`openat`), so that the kernel looks up one name rather than every directory
/// of the file's path again.
///
/// It also narrows what a tree changed during the scan can do: the file opened is the one
/// of that name in the directory opened, a link put in place of a walked file is not
/// followed, nor (without `--follow`) one put in place of a walked directory's last
/// component.
struct OpenDir {
    /// Whether directories are kept open at all: not when the open-file limit is low for
    /// the walk's threads, each of which keeps one more file open.
    #[cfg(unix)]
    keep: bool,
    /// Whether the walk follows links, so that a walked directory may be one.
    #[cfg(unix)]
    follow: bool,
    #[cfg(unix)]
    open: Option<Dir>,
}

/// A directory kept open, and the path the walk names it by.
#[cfg(unix)]
struct Dir {
    path: PathBuf,
    fd: std::os::fd::OwnedFd,
}

impl OpenDir {
    fn new(opts: &WalkOptions) -> OpenDir {
        let _ = opts;
        OpenDir {
            #[cfg(unix)]
            keep: files_to_spare(opts.threads),
            #[cfg(unix)]
            follow: opts.follow,
            #[cfg(unix)]
            open: None,
        }
    }

    /// The file at `entry`, opened for reading.
    fn open(&mut self, entry: &DirEntry) -> std::io::Result<File> {
        #[cfg(unix)]
        if let Some(file) = self.open_in_dir(entry) {
            return file;
        }
        File::open(entry.path())
    }

    /// The file at `entry` opened in its directory; `None` for a path named on the command
    /// line, or when directories are not kept open.
    #[cfg(unix)]
    fn open_in_dir(&mut self, entry: &DirEntry) -> Option<std::io::Result<File>> {
        use rustix::fs::{openat, Mode, OFlags};
        use rustix::io::Errno;
        use std::os::fd::AsFd;
        let path = entry.path();
        if !self.keep || entry.depth() == 0 {
            return None;
        }
        let (dir, name) = (path.parent()?, path.file_name()?);
        if self
            .open
            .as_ref()
            .is_none_or(|open| open.path.as_os_str() != dir.as_os_str())
        {
            // Let go of the last one first: one directory open per worker at most.
            self.open = None;
            let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            // A directory the walk went into (not a root) is no link, unless links are
            // followed.
            if entry.depth() >= 2 && !self.follow {
                flags |= OFlags::NOFOLLOW;
            }
            let fd = match rustix::fs::open(dir, flags, Mode::empty()) {
                Ok(fd) => fd,
                // A link refused is told as not a directory (O_DIRECTORY).
                Err(Errno::LOOP | Errno::NOTDIR) => {
                    return Some(Err(std::io::Error::other(
                        "its directory was replaced since the walk listed it; skipped",
                    )))
                }
                Err(err) => return Some(Err(err.into())),
            };
            self.open = Some(Dir {
                path: dir.to_path_buf(),
                fd,
            });
        }
        let fd = &self.open.as_ref()?.fd;
        // Blocking, as `File::open`: a file under a lease (fcntl(2)) is waited for.
        let mut flags = OFlags::RDONLY | OFlags::CLOEXEC;
        if !entry.path_is_symlink() {
            flags |= OFlags::NOFOLLOW;
        }
        Some(match openat(fd.as_fd(), name, flags, Mode::empty()) {
            Ok(fd) => Ok(File::from(fd)),
            Err(Errno::LOOP) if flags.contains(OFlags::NOFOLLOW) => Err(std::io::Error::other(
                "replaced by a symbolic link since the walk listed it; not followed",
            )),
            Err(err) => Err(err.into()),
        })
    }
}

/// Whether the process may keep a directory open per walk thread: its limit on open files
/// leaves room for twice what the walk needs at most otherwise (a file, a directory being
/// listed and an ignore file per thread).
#[cfg(unix)]
fn files_to_spare(threads: usize) -> bool {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    limit.is_none_or(|limit| limit >= 8 * threads as u64 + 32)
}

/// Warns of each line of an ignore file that is not a valid pattern, which the walk leaves
/// out, naming the file, the line and what is wrong, never quoting the line (the glob
/// error's own message does). False, and no warning, when `err` is not about such lines.
fn warn_ignore_lines(err: &ignore::Error) -> bool {
    let mut lines = Vec::new();
    if !bad_lines(err, None, None, &mut lines) {
        return false;
    }
    for line in lines {
        crate::report::warn(&line);
    }
    true
}

/// The warnings for the bad lines of ignore files in `err`; false when it holds anything else.
fn bad_lines(
    err: &ignore::Error,
    path: Option<&Path>,
    line: Option<u64>,
    out: &mut Vec<String>,
) -> bool {
    use ignore::Error as E;
    match err {
        E::Partial(errs) => {
            // Every part looked at, so that each bad line is told of.
            let others = errs.iter().filter(|e| !bad_lines(e, path, line, out));
            others.count() == 0
        }
        E::WithPath { path, err } => bad_lines(err, Some(path), line, out),
        E::WithLineNumber { line, err } => bad_lines(err, path, Some(*line), out),
        E::WithDepth { err, .. } => bad_lines(err, path, line, out),
        E::Glob { err, .. } => {
            if let Some(line) = bad_ignore_line(path.unwrap_or(Path::new("")), line, err) {
                out.push(line);
            }
            true
        }
        _ => false,
    }
}

/// The warning for line `line` of the ignore file `file`, which is not a valid pattern for
/// the reason `why`; none when it was given already (the project's `.tokenlintignore` is
/// read by the walk and for the scans that do not walk).
pub(crate) fn bad_ignore_line(file: &Path, line: Option<u64>, why: &str) -> Option<String> {
    static TOLD: Mutex<BTreeSet<(PathBuf, Option<u64>)>> = Mutex::new(BTreeSet::new());
    let key = (crate::confine::resolved(file), line);
    let new = TOLD.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
    let at = line.map_or_else(String::new, |n| format!(":{n}"));
    new.then(|| {
        format!(
            "warning: {}{at}: {why}; the line is left out",
            display_path(file)
        )
    })
}

fn walk_error(err: &ignore::Error) -> ScanError {
    let mut path = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(display_path(p));
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err;
            }
            _ => break,
        }
    }
    ScanError {
        path: path.unwrap_or_default(),
        message: inner.to_string(),
    }
}

/// `path` without its leading `.` component, if it has one. Paths the walk makes from `.`
/// (`./dir/file`, once per file) have their `./` cut off as bytes: parsing components, as
/// `strip_prefix` does, costs more than a small file's regex search.
fn without_dot(path: &Path) -> &Path {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        // Only when plain components follow, with no leading or trailing `.` component or
        // repeated or trailing separator for `strip_prefix` to tidy away: then it cuts
        // exactly `./`.
        if let Some(rest) = bytes.strip_prefix(b"./") {
            let plain = !rest.is_empty()
                && !rest.starts_with(b"/")
                && !rest.ends_with(b"/")
                && rest != b"."
                && !rest.starts_with(b"./")
                && !rest.ends_with(b"/.");
            if plain && !rest.windows(2).any(|w| w == b"//") {
                return Path::new(std::ffi::OsStr::from_bytes(rest));
            }
        }
    }
    path.strip_prefix(".").unwrap_or(path)
}

/// A path as reports show it: as walked, without a leading `./`, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let path = without_dot(path);
    let shown = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        shown.replace('\\', "/")
    } else {
        shown.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_dot_is_cut_as_strip_prefix_cuts_it() {
        for path in [
            "./a",
            "./a/b.txt",
            "./.hidden/x",
            "./..",
            "./../a",
            "./a/./b",
            "./a/../b",
            "./a/",
            "./a/.",
            "./a/b/.",
            "./../.",
            "./a//b",
            ".//a",
            "././a",
            "./.",
            ".",
            "./",
            "a/b",
            "/abs/x",
            "../a",
            ".a/b",
            "./ é/ü",
        ] {
            let path = Path::new(path);
            let slow = path.strip_prefix(".").unwrap_or(path);
            // As bytes: paths compare by components, `a/` equal to `a`.
            assert_eq!(without_dot(path).as_os_str(), slow.as_os_str(), "{path:?}");
        }
    }

    /// Every path of up to six pieces of `.`, `/`, `a` and a byte that is not UTF-8: a
    /// trailing `/.` (`./a/.`, a directory named on the command line) was kept as bytes,
    /// where `strip_prefix` tidies it away.
    #[cfg(unix)]
    #[test]
    fn every_short_path_is_cut_as_strip_prefix_cuts_it() {
        use std::os::unix::ffi::OsStrExt;
        let pieces: [&[u8]; 4] = [b".", b"/", b"a", b"\xFF"];
        let mut paths: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = paths
                .iter()
                .flat_map(|p| {
                    pieces
                        .iter()
                        .map(move |piece| [p.as_slice(), piece].concat())
                })
                .collect();
            paths.extend(longer);
            paths.sort();
            paths.dedup();
        }
        for bytes in &paths {
            let path = Path::new(std::ffi::OsStr::from_bytes(bytes));
            let slow = path.strip_prefix(".").unwrap_or(path);
            assert_eq!(without_dot(path).as_os_str(), slow.as_os_str(), "{path:?}");
        }
    }

    /// The walk's entries under `root`, in order.
    fn entries(root: &Path) -> Vec<DirEntry> {
        let mut all: Vec<DirEntry> = WalkBuilder::new(root)
            .standard_filters(false)
            .build()
            .map(Result::unwrap)
            .collect();
        all.sort_by(|a, b| a.path().cmp(b.path()));
        all
    }

    /// A walk's directory opener, keeping directories open whatever the open-file limit.
    fn opener() -> OpenDir {
        #[cfg(unix)]
        return OpenDir {
            keep: true,
            ..OpenDir::new(&WalkOptions::default())
        };
        #[cfg(not(unix))]
        OpenDir::new(&WalkOptions::default())
    }

    /// The walk's entry for `file` under `root`, listed before the file is replaced.
    fn entry_of(root: &Path, file: &Path) -> DirEntry {
        entries(root)
            .into_iter()
            .find(|e| e.path() == file)
            .unwrap()
    }

    /// Files opened in their directory are the files their paths name, from directory to
    /// directory and back.
    #[test]
    fn files_open_in_their_directory_as_by_their_path() {
        let dir = tempfile::tempdir().unwrap();
        for (i, path) in [
            "a.txt",
            "d/b.txt",
            "d/e/c.txt",
            "d/e/d.txt",
            "f.txt",
            "d/g.txt",
        ]
        .iter()
        .enumerate()
        {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("file {i}")).unwrap();
        }
        let mut opener = opener();
        let mut opened = 0;
        for entry in entries(dir.path()) {
            if !entry.file_type().unwrap().is_file() {
                continue;
            }
            #[cfg(unix)]
            let file = opener.open_in_dir(&entry).expect("opened in its directory");
            #[cfg(not(unix))]
            let file = opener.open(&entry);
            let mut text = String::new();
            file.unwrap().read_to_string(&mut text).unwrap();
            assert_eq!(text, std::fs::read_to_string(entry.path()).unwrap());
            opened += 1;
        }
        assert_eq!(opened, 6);
    }

    /// A link put in place of a walked file is not followed out of the project, and the
    /// warning says why.
    #[cfg(unix)]
    #[test]
    fn a_link_put_in_place_of_a_walked_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(outside.path(), "outside").unwrap();
        let file = dir.path().join("d/f.txt");
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(&file, "inside").unwrap();
        let entry = entry_of(dir.path(), &file);
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(outside.path(), &file).unwrap();
        let err = opener().open(&entry).unwrap_err();
        assert!(
            err.to_string().contains("replaced by a symbolic link"),
            "{err}"
        );
    }

    /// Nor is a link put in place of a walked directory, once its files are listed.
    #[cfg(unix)]
    #[test]
    fn a_link_put_in_place_of_a_walked_directory_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("f.txt"), "outside").unwrap();
        let file = dir.path().join("d/f.txt");
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(&file, "inside").unwrap();
        let entry = entry_of(dir.path(), &file);
        std::fs::rename(dir.path().join("d"), dir.path().join("moved")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("d")).unwrap();
        let err = opener().open(&entry).unwrap_err();
        assert!(err.to_string().contains("directory was replaced"), "{err}");
        // With links followed, the walk may have gone into a link itself.
        let mut following = OpenDir {
            follow: true,
            ..opener()
        };
        let mut text = String::new();
        let file = following.open_in_dir(&entry).expect("not a root").unwrap();
        (&file).read_to_string(&mut text).unwrap();
        assert_eq!(text, "outside");
    }

    /// A file whose whole path is too long to open by it, in a directory whose path is not,
    /// is opened in its directory: scanned, not warned about.
    #[cfg(unix)]
    #[test]
    fn a_file_past_the_path_length_limit_is_opened_in_its_directory() {
        use rustix::fs::{Mode, OFlags};
        let root = tempfile::tempdir().unwrap();
        let mut dir = root.path().to_path_buf();
        while dir.as_os_str().len() < 3850 {
            dir.push("d".repeat(200));
        }
        std::fs::create_dir_all(&dir).unwrap();
        let name = "f".repeat(255);
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC;
        let fd = rustix::fs::open(&dir, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
        let file = rustix::fs::openat(&fd, name.as_str(), flags, Mode::RUSR | Mode::WUSR).unwrap();
        rustix::io::write(&file, b"deep").unwrap();
        let path = dir.join(&name);
        assert!(path.as_os_str().len() > 4096);
        assert!(File::open(&path).is_err(), "too long to open by its path");
        let entry = entry_of(root.path(), &path);
        let mut text = String::new();
        opener()
            .open(&entry)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "deep");
    }
}
