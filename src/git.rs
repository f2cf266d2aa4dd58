//! Git: what is staged, read from the index (not the working tree, which may differ), the
//! history, and where the hooks are.
//!
//! The repository may be hostile: its `.git/config` can name commands for git to run (an
//! fsmonitor hook, a pager, an external diff, a signature checker, a lazy fetch's
//! `uploadpack`). Every git command tokenlint runs is built by [`command`], which turns
//! each of those off, so that scanning a repository runs nothing it chose.
//!
//! Blobs are read through one long-lived `git cat-file --batch`, never one process per
//! file, and by object id, never by a name git would parse. A blob too large to hold is
//! spooled to a temporary file, to be scanned in windows.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::finding::Commit;

/// Something git could not do, or tokenlint could not do with git.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("git: {message}")]
#[diagnostic(code(tokenlint::git))]
pub struct GitError {
    pub message: String,
    #[help]
    pub help: Option<String>,
}

fn error(message: impl Into<String>) -> GitError {
    GitError {
        message: message.into(),
        help: None,
    }
}

/// Settings that override what a repository's configuration could make git run.
const SAFE_CONFIG: &[&str] = &[
    // A hook asked which files changed, by any command that reads the index.
    "core.fsmonitor=false",
    // Never started without a terminal, nor with `--no-pager`: doubly sure.
    "core.pager=cat",
    // Checking a signed commit runs `gpg.program` (or its ssh and x509 siblings).
    "log.showSignature=false",
    // Asked only by a fetch, which never happens (see `SAFE_ENV`).
    "credential.helper=",
    // Housekeeping that a command may start after its work.
    "gc.auto=0",
    "maintenance.auto=false",
    // Read by `git diff --cached` (why is git's affair), and a FIFO there blocks it for
    // ever; tokenlint lists no untracked file and applies no attribute, so neither is read.
    "core.excludesFile=/dev/null",
    "core.attributesFile=/dev/null",
    // Indexes that only speed git up, and are read as soon as it walks commits or looks
    // an object up: a FIFO in their place would block it ([`crate::repo`] refuses one,
    // and these make sure).
    "core.commitGraph=false",
    "core.multiPackIndex=false",
];

/// The environment of every git command: no lazy fetch of an object a partial clone lacks
/// (and no transport at all, for a git older than `GIT_NO_LAZY_FETCH`), no prompt, no
/// pager, no lock taken only to refresh the index, no replaced object. `GIT_INDEX_FILE`
/// and `GIT_PREFIX`, which git sets for a pre-commit hook, and a `GIT_DIR` or
/// `GIT_WORK_TREE` the user set, are left as they are (git sets no `GIT_DIR` for a
/// pre-commit hook).
const SAFE_ENV: &[(&str, &str)] = &[
    ("GIT_NO_LAZY_FETCH", "1"),
    ("GIT_ALLOW_PROTOCOL", "none"),
    ("GIT_TERMINAL_PROMPT", "0"),
    // Empty, not unset: unset, git would fall back on `core.askPass`.
    ("GIT_ASKPASS", ""),
    ("GIT_PAGER", "cat"),
    ("PAGER", "cat"),
    ("GIT_OPTIONAL_LOCKS", "0"),
    // The objects and the history as they are, not as a repository would have them seen:
    // a replace ref can swap a blob with a token for a clean one, and a graft can cut the
    // commits that added it out of the history.
    ("GIT_NO_REPLACE_OBJECTS", "1"),
    ("GIT_GRAFT_FILE", "/dev/null"),
];

/// Options of the subcommands that compare content: no external diff (`diff.external`, a
/// diff driver's `command`), no `textconv` filter, no signature check.
fn subcommand_options(name: &str) -> &'static [&'static str] {
    match name {
        "diff" => &["--no-ext-diff", "--no-textconv"],
        "log" => &["--no-ext-diff", "--no-textconv", "--no-show-signature"],
        _ => &[],
    }
}

/// The name of git's program in a directory of `PATH`.
const PROGRAM: &str = if cfg!(windows) { "git.exe" } else { "git" };

/// git's program: the first `git` in an absolute directory of `PATH`, found once. A
/// relative entry (`.`, or an empty one, which means `.`) is skipped: git runs in the
/// scanned repository, and its own `./git` would run instead (Go's `exec.LookPath` refuses
/// them likewise).
fn program() -> Result<&'static Path, GitError> {
    static FOUND: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| find_program(&std::env::var_os("PATH").unwrap_or_default()))
        .as_deref()
        .ok_or_else(|| GitError {
            message: "git not found: no directory of PATH that is absolute holds it".into(),
            help: Some(
                "install git, or put the directory that holds it in PATH (as an absolute \
                 path: `.` and empty entries are skipped)"
                    .into(),
            ),
        })
}

/// The first executable `git` in an absolute directory of `path`.
fn find_program(path: &std::ffi::OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(PROGRAM))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    meta.is_file()
}

/// `git ARGS` in `dir`, built so that it runs no command the repository chose: the one
/// way tokenlint starts git.
pub(crate) fn command(dir: &Path, args: &[&str]) -> Result<Command, GitError> {
    let mut cmd = Command::new(program()?);
    cmd.current_dir(dir)
        .args(["--no-pager", "--no-optional-locks"]);
    for setting in SAFE_CONFIG {
        cmd.args(["-c", setting]);
    }
    let (name, rest) = args.split_first().map_or(("", args), |(n, r)| (*n, r));
    // No hook runs in a read-only command; should one, it is not the repository's. But
    // `rev-parse`, which runs none, is what tells `install-hook` where hooks go.
    if name != "rev-parse" {
        cmd.args(["-c", "core.hooksPath=/dev/null"]);
    }
    cmd.envs(SAFE_ENV.iter().copied()).env_remove("SSH_ASKPASS");
    if !name.is_empty() {
        cmd.arg(name).args(subcommand_options(name));
    }
    cmd.args(rest);
    Ok(cmd)
}

/// Runs `git ARGS` in `dir` and returns its standard output.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(dir, args)?
        .stdin(Stdio::null())
        .output()
        .map_err(|e| error(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(failed(args, &out.stderr));
    }
    Ok(out.stdout)
}

/// Runs `git ARGS` in `dir` and hands each line of its standard output (its `\n` removed)
/// to `each` as it comes, never holding the whole: a small repository can make git print
/// millions of lines (a tree of a thousand directories that are one tree of a thousand
/// files). A line longer than `max_line` bytes is cut there, and the rest of it skipped
/// as it is read, never held: a commit's author can be megabytes long.
pub(crate) fn each_line(
    dir: &Path,
    args: &[&str],
    max_line: usize,
    each: impl FnMut(&[u8]),
) -> Result<(), GitError> {
    each_record(dir, args, Record::line(max_line), each)
}

/// How [`each_record`] cuts git's output, and what it writes to git's standard input.
pub(crate) struct Record {
    /// What ends a record: `b'\0'` for `-z` output.
    pub(crate) end: u8,
    /// The longest record kept whole, in bytes.
    pub(crate) max: usize,
    /// Written to git's standard input by a thread of its own (`--stdin`), if any.
    pub(crate) input: Option<Vec<u8>>,
}

impl Record {
    /// Lines of at most `max` bytes kept whole, and no input.
    pub(crate) fn line(max: usize) -> Record {
        Record {
            end: b'\n',
            max,
            input: None,
        }
    }
}

/// As [`each_line`], for output whose records are cut as `record` says.
pub(crate) fn each_record(
    dir: &Path,
    args: &[&str],
    record: Record,
    mut each: impl FnMut(&[u8]),
) -> Result<(), GitError> {
    let Record { end, max, input } = record;
    let stdin = if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    };
    let mut child = command(dir, args)?
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| error(format!("cannot run git: {e}")))?;
    let feeder = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("piped stdin");
        // An error here is git's having stopped, which its status tells.
        std::thread::spawn(move || drop(stdin.write_all(&bytes)))
    });
    let stderr = child.stderr.take().expect("piped stderr");
    // Drained on the side, so that git never blocks on a full pipe; kept short.
    let errors = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let _ = stderr.take(STDERR_KEPT).read_to_end(&mut kept);
        kept
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let read = read_lines(&mut stdout, end, max, &mut each);
    drop(stdout);
    let status = child.wait();
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    let stderr = errors.join().unwrap_or_default();
    read.map_err(|e| error(format!("cannot read from `git {}`: {e}", args.join(" "))))?;
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => Err(failed(args, &stderr)),
        Err(e) => Err(error(format!("cannot run git: {e}"))),
    }
}

/// The longest line of `git log`, `rev-list` or `for-each-ref` output kept whole: more
/// than any path or header tokenlint shows.
pub(crate) const MAX_LINE: usize = 64 << 10;

/// Hands each line of `input`, ended by `end`, to `each`, its `end` removed and cut to
/// `max_line` bytes; what is cut is consumed from the reader's buffer and never held.
pub(crate) fn read_lines(
    input: &mut impl BufRead,
    end: u8,
    max_line: usize,
    each: &mut impl FnMut(&[u8]),
) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if !line.is_empty() {
                each(&line);
            }
            return Ok(());
        }
        let (part, ended) = match memchr::memchr(end, buf) {
            Some(at) => (&buf[..at], Some(at + 1)),
            None => (buf, None),
        };
        let room = max_line.saturating_sub(line.len());
        line.extend_from_slice(&part[..part.len().min(room)]);
        let used = ended.unwrap_or(buf.len());
        input.consume(used);
        if ended.is_some() {
            each(&line);
            line.clear();
        }
    }
}

/// The bytes of git's standard error kept for a message.
const STDERR_KEPT: u64 = 64 << 10;

fn failed(args: &[&str], stderr: &[u8]) -> GitError {
    error(format!(
        "`git {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(stderr).trim()
    ))
}

fn one_line(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\n', '\r'])
        .to_string()
}

/// The top of the working tree that holds `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    git(dir, &["rev-parse", "--show-toplevel"])
        .and_then(path_line)
        .map_err(|e| GitError {
            help: Some("run it inside a git repository".into()),
            ..e
        })
}

/// A staged file: its blob, and its path from the top of the working tree as git has it
/// (bytes, not always UTF-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staged {
    pub oid: String,
    pub path: PathBuf,
}

/// The mode of a submodule's entry: a commit of another repository, not a blob.
const GITLINK: &str = "160000";

/// The staged files that a commit would add or change: added, copied, modified, renamed
/// (under their new name) and changed in type; not deleted, and not submodules. Before the
/// first commit, every staged file.
pub fn staged_files(top: &Path) -> Result<Vec<Staged>, GitError> {
    let out = git(
        top,
        &[
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-renames",
            "--no-relative",
            "--diff-filter=ACMRT",
        ],
    )?;
    Ok(parse_raw(&out))
}

/// `git diff --raw -z`: `:<old mode> <new mode> <old id> <new id> <status>`, then the
/// path (two for a copy or a rename), each ended by a NUL.
fn parse_raw(out: &[u8]) -> Vec<Staged> {
    let mut fields = out.split(|b| *b == 0);
    let mut staged = Vec::new();
    while let Some(meta) = fields.next() {
        let Some(meta) = meta.strip_prefix(b":") else {
            continue;
        };
        let meta = String::from_utf8_lossy(meta);
        let [_, mode, _, oid, status] = meta.split(' ').collect::<Vec<_>>()[..] else {
            continue;
        };
        if status.starts_with(['R', 'C']) {
            fields.next();
        }
        let Some(path) = fields.next() else {
            break;
        };
        if mode != GITLINK {
            staged.push(Staged {
                oid: oid.to_string(),
                path: path_of_bytes(path),
            });
        }
    }
    staged
}

/// A path from git's bytes: exact where paths are bytes, else as near as Unicode allows.
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// An object as `git cat-file --batch` hands it over.
#[derive(Debug)]
pub enum Object {
    /// Held whole.
    Held(Vec<u8>),
    /// Too large to hold: spooled to a temporary file (gone when closed), this many bytes
    /// long.
    Spooled(File, u64),
    /// Not in the repository: a partial clone's, or lost.
    Missing,
}

/// What one read from `git cat-file --batch` takes at most.
const READ_BUFFER: usize = 1 << 20;

/// Asks for a pipe of [`READ_BUFFER`] bytes from git (Linux): git writes more before
/// it waits, and each side switches in less often. A refusal leaves the default.
fn grow_pipe(pipe: &ChildStdout) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: F_SETPIPE_SZ on a pipe this process holds open; it changes only the
        // pipe's capacity, and an error is ignored.
        unsafe {
            libc::fcntl(
                pipe.as_raw_fd(),
                libc::F_SETPIPE_SZ,
                READ_BUFFER as libc::c_int,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pipe;
}

/// What bounds the memory of the `git cat-file --batch` that reads a history (given in
/// git's environment, as `-c` would): its cache of delta bases (96 MiB by default), and the
/// part of its packs mapped at once (all of them, up to 1 GiB by default). Read in the
/// packs' order, as a whole history is, it is as fast with these.
const READER_CONFIG: &[(&str, &str)] = &[
    ("core.deltaBaseCacheLimit", "16m"),
    ("core.packedGitWindowSize", "8m"),
    ("core.packedGitLimit", "32m"),
];

/// One `git cat-file --batch` for the whole run.
struct CatFile {
    child: Child,
    /// `None` once handed to a feeding thread.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    fn new(top: &Path) -> Result<CatFile, GitError> {
        // `--buffer`: git flushes when its buffer fills, not after each object. Safe, as
        // every request is written (by a thread of its own) without waiting for answers.
        let mut child = command(top, &["cat-file", "--batch", "--buffer", "-Z"])?
            .envs(
                READER_CONFIG
                    .iter()
                    .enumerate()
                    .flat_map(|(i, (key, value))| {
                        [
                            (format!("GIT_CONFIG_KEY_{i}"), *key),
                            (format!("GIT_CONFIG_VALUE_{i}"), *value),
                        ]
                    }),
            )
            .env("GIT_CONFIG_COUNT", READER_CONFIG.len().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| error(format!("cannot run git cat-file: {e}")))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        grow_pipe(&stdout);
        // Most objects are small: one read takes many of them, not one each.
        let stdout = BufReader::with_capacity(READ_BUFFER, stdout);
        Ok(CatFile {
            child,
            stdin: Some(stdin),
            stdout,
        })
    }

    /// The answer to the next request: an object of `spool_from` bytes or more is
    /// spooled to a temporary file.
    fn receive(&mut self, spool_from: u64) -> io::Result<Object> {
        let mut header = Vec::new();
        self.stdout.read_until(0, &mut header)?;
        let header = String::from_utf8_lossy(&header);
        let header = header.trim_end_matches('\0');
        let said = || io::Error::other(format!("git cat-file said `{header}`"));
        if header.is_empty() {
            return Err(io::Error::other("git cat-file stopped (a corrupt object?)"));
        }
        let mut fields = header.rsplitn(3, ' ');
        let (Some(size), Some(kind)) = (fields.next(), fields.next()) else {
            return Err(said());
        };
        if kind == "missing" || size == "missing" || header.ends_with(" missing") {
            return Ok(Object::Missing);
        }
        let size: u64 = size.parse().map_err(|_| said())?;
        let object = if size >= spool_from {
            let mut spool = crate::output::spool_file().map_err(|e| {
                io::Error::new(e.kind(), format!("no temporary file for a large blob: {e}"))
            })?;
            let copied = io::copy(&mut (&mut self.stdout).take(size), &mut spool)?;
            if copied < size {
                return Err(cut_short(header));
            }
            Object::Spooled(spool, size)
        } else {
            let mut data = vec![0; size as usize];
            self.stdout
                .read_exact(&mut data)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::UnexpectedEof => cut_short(header),
                    _ => e,
                })?;
            Object::Held(data)
        };
        let mut terminator = [0u8; 1];
        self.stdout.read_exact(&mut terminator)?;
        Ok(object)
    }
}

/// The error of an object whose content `git cat-file` stopped giving (`header` its answer's
/// first line): git stops so on an object it cannot decode.
fn cut_short(header: &str) -> io::Error {
    let oid = header.split(' ').next().unwrap_or_default();
    io::Error::other(format!(
        "git cat-file stopped in the middle of object {} (corrupt?); `git fsck` checks the \
         repository",
        crate::shown::clean(oid)
    ))
}

/// Reads the objects `oids` name, in order, through one `git cat-file --batch` that is
/// fed by a thread of its own, so that no request waits for the previous answer. `each`
/// gets every object's index and content; one of `spool_from` bytes or more is spooled to
/// a temporary file, never held.
pub fn read_all(
    top: &Path,
    oids: &[impl AsRef<str> + Sync],
    spool_from: u64,
    mut each: impl FnMut(usize, Object),
) -> Result<(), GitError> {
    let mut cat = CatFile::new(top)?;
    let mut stdin = cat.stdin.take().expect("a fresh cat-file has its input");
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut out = io::BufWriter::new(&mut stdin);
            for oid in oids {
                out.write_all(oid.as_ref().as_bytes())?;
                out.write_all(b"\0")?;
            }
            out.flush()?;
            drop(out);
            drop(stdin);
            Ok(())
        });
        for i in 0..oids.len() {
            match cat.receive(spool_from) {
                Ok(object) => each(i, object),
                Err(e) => {
                    // The feeding thread, joined at the end of the scope, stops writing.
                    let _ = cat.child.kill();
                    return Err(error(format!("cannot read from git cat-file: {e}")));
                }
            }
        }
        writer
            .join()
            .map_err(|_| error("the thread feeding git cat-file panicked"))?
            .map_err(|e| error(format!("cannot write to git cat-file: {e}")))
    })
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where git looks for hooks in the repository around `dir` (`core.hooksPath` honoured),
/// absolute.
pub(crate) fn hooks_dir(dir: &Path) -> Result<PathBuf, GitError> {
    path_line(git(
        dir,
        &["rev-parse", "--path-format=absolute", "--git-path", "hooks"],
    )?)
}

/// The one path git printed on a line of its own. A path with a line break or another
/// control character is refused: it is a repository's trick (a two-line `core.hooksPath`
/// read as two answers), not a place to read or write.
pub(crate) fn path_line(out: Vec<u8>) -> Result<PathBuf, GitError> {
    let line = out.strip_suffix(b"\n").unwrap_or(&out);
    if line.is_empty() || line.iter().any(|b| b.is_ascii_control()) {
        return Err(error(format!(
            "refused: git named a path that is empty or holds a control character: {}",
            crate::shown::clean_path(&path_of_bytes(line))
        )));
    }
    Ok(path_of_bytes(line))
}

/// A blob of the history, with the path it was found under.
#[derive(Clone, Debug)]
pub struct HistoryBlob {
    pub oid: String,
    /// Its path in some tree; for a blob in no tree (a tag names it), a placeholder in
    /// angle brackets that says so: see [`pathless`].
    pub path: String,
    /// Whether it lies in a tree: else no commit added it.
    pub in_tree: bool,
}

/// Which history to read: all refs, or one branch, optionally after a revision; or a
/// push's new tips, without what the repository's refs, or a remote's, already reach.
/// Each is a list of `git rev-list` arguments ([`Revisions::args`]).
#[derive(Clone, Debug, Default)]
pub struct Revisions {
    pub branch: Option<String>,
    pub since: Option<String>,
    /// Commits read instead of `branch` or all refs: a push's new tips.
    pub tips: Vec<String>,
    /// What is left out besides `since`.
    pub without: Vec<Without>,
    /// Which findings of a range count.
    pub judging: Judging,
}

/// Which findings of a range scan count (a scan of the whole history counts them all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Judging {
    /// Only those whose secret is new to its path: in no parent of the commit that
    /// brought the blob (`source/introduced.rs`).
    #[default]
    Introduced,
    /// Every finding of every blob the range brings (`--all-findings`).
    WholeBlobs,
}

/// Commits a range leaves out: those that something already reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Without {
    /// Those a revision reaches.
    Rev(String),
    /// Those any ref reaches (`--not --all`): what a server has before a push.
    AllRefs,
    /// Those a remote's tracking refs reach (`--not --remotes=NAME`): what it has.
    Remote(String),
}

impl Revisions {
    /// `BASE..HEAD`: the commits HEAD reaches and BASE does not. Refused: anything else,
    /// `A...B` included.
    pub fn range(text: &str) -> Result<Revisions, GitError> {
        match text.split_once("..") {
            Some((base, head))
                if !base.is_empty() && !head.is_empty() && !head.starts_with('.') =>
            {
                Ok(Revisions {
                    branch: Some(head.to_string()),
                    since: Some(base.to_string()),
                    ..Revisions::default()
                })
            }
            _ => Err(error(format!(
                "`{}` is not a range: give BASE..HEAD",
                crate::shown::clean(text)
            ))),
        }
    }

    /// Whether only part of the history is read: a range, or a push's new commits.
    pub fn is_range(&self) -> bool {
        self.since.is_some() || !self.without.is_empty()
    }

    /// Whether what any ref reaches is left out (`--not --all`, a push's range): then no
    /// ref names a commit of these revisions, nor a tag that names one.
    pub fn leaves_out_every_ref(&self) -> bool {
        self.without.contains(&Without::AllRefs)
    }

    /// Whether these are every ref's history: then objects no ref reaches are read too.
    pub fn is_whole(&self) -> bool {
        !self.is_range() && self.branch.is_none() && self.tips.is_empty()
    }

    /// The revisions named: each must be in the repository.
    fn named(&self) -> impl Iterator<Item = &String> {
        let without = self.without.iter().filter_map(|w| match w {
            Without::Rev(rev) | Without::Remote(rev) => Some(rev),
            Without::AllRefs => None,
        });
        [&self.branch, &self.since]
            .into_iter()
            .flatten()
            .chain(&self.tips)
            .chain(without)
    }

    /// The revision arguments; a value that git would read as an option is refused.
    pub(crate) fn args(&self) -> Result<Vec<String>, GitError> {
        for value in self.named() {
            if value.starts_with('-') || value.is_empty() || value.contains(char::is_control) {
                return Err(error(format!(
                    "`{}` is not a revision",
                    crate::shown::clean(value)
                )));
            }
        }
        let mut args = match self.tips.is_empty() {
            true => vec![self.branch.clone().unwrap_or_else(|| "--all".to_string())],
            false => self.tips.clone(),
        };
        if let Some(since) = &self.since {
            args.push(format!("^{since}"));
        }
        if !self.without.is_empty() {
            args.push("--not".to_string());
        }
        args.extend(self.without.iter().map(|w| match w {
            Without::Rev(rev) => rev.clone(),
            Without::AllRefs => "--all".to_string(),
            Without::Remote(name) => format!("--remotes={name}"),
        }));
        Ok(args)
    }

    /// Refuses a revision the repository does not have, before the history is read: a
    /// range whose base a shallow clone lacks would otherwise fail later, or read too much.
    /// Returns the tips that are annotated tags, as refs named `pushed tag`, with what each
    /// peels to: a push's new tags, which no ref names yet. One `git cat-file
    /// --batch-check` answers both (a push's hook starts as few processes as it can). The
    /// tags such a tag names in turn (a tag of a tag) are returned too ([`inner_tags`]).
    pub fn verify(&self, top: &Path) -> Result<Vec<Ref>, GitError> {
        self.args()?;
        let named: Vec<&String> = self.named().filter(|n| !is_remote(self, n)).collect();
        // And each tip peeled (`<tip>^{}`): what a tag names in the end.
        let peeled: Vec<String> = self.tips.iter().map(|t| format!("{t}^{{}}")).collect();
        let mut asked: Vec<String> = named
            .iter()
            .copied()
            .chain(&self.tips)
            .chain(&peeled)
            .map(|n| n.to_string())
            .collect();
        asked.sort_unstable();
        asked.dedup();
        if asked.is_empty() {
            return Ok(Vec::new());
        }
        let out = objects_batch_check(top, &asked, "%(objecttype) %(objectname)")?;
        let answers: std::collections::HashMap<&str, &str> = asked
            .iter()
            .map(String::as_str)
            .zip(out.lines().chain(std::iter::repeat(" missing")))
            .collect();
        let answer = |name: &str| answers.get(name).copied().unwrap_or(" missing");
        if let Some(name) = named.iter().find(|n| answer(n).ends_with(" missing")) {
            return Err(not_in_repository(top, name));
        }
        let mut tags: Vec<Ref> = self
            .tips
            .iter()
            .zip(&peeled)
            .filter_map(|(tip, peeled)| pushed_tag(answer(tip), answer(peeled)))
            .collect();
        tags.extend(inner_tags(top, &tags)?);
        Ok(tags)
    }
}

/// The most tags a pushed tag's chain of tags of tags is followed through; a longer one is
/// refused, never judged in part.
const TAG_CHAIN: usize = 16;

/// The annotated tags that the pushed `tags` name in turn (a tag of a tag), as pushed tags
/// peeled where the outer one is: pushed with it though no ref names them, and fetched
/// with it, so their messages are the push's too. Read a level at a time, each through
/// one `git cat-file --batch` (none when no tag is pushed).
fn inner_tags(top: &Path, tags: &[Ref]) -> Result<Vec<Ref>, GitError> {
    let mut seen: std::collections::HashSet<String> = tags.iter().map(|t| t.oid.clone()).collect();
    let (mut inner, mut level) = (Vec::new(), tags.to_vec());
    for _ in 0..TAG_CHAIN {
        if level.is_empty() {
            break;
        }
        let oids: Vec<&str> = level.iter().map(|t| t.oid.as_str()).collect();
        let mut next: Vec<Ref> = Vec::new();
        read_all(top, &oids, TAG_HEADER as u64, |at, object| {
            let oid = tagged_tag(object).filter(|oid| seen.insert(oid.clone()));
            next.extend(oid.map(|oid| Ref {
                oid,
                ..level[at].clone()
            }));
        })?;
        inner.extend(next.iter().cloned());
        level = next;
    }
    if !level.is_empty() {
        return Err(error(format!(
            "refused: a pushed tag names a chain of more than {TAG_CHAIN} tags"
        )));
    }
    Ok(inner)
}

/// The bytes of a tag object that hold its `object` and `type` lines, and more.
const TAG_HEADER: usize = 4096;

/// The id a tag object names, when it names another tag (`object <id>`, `type tag`).
fn tagged_tag(object: Object) -> Option<String> {
    let mut head = Vec::new();
    match object {
        Object::Held(data) => head = data,
        Object::Spooled(mut file, _) => {
            use std::io::Seek;
            file.seek(io::SeekFrom::Start(0)).ok()?;
            file.take(TAG_HEADER as u64).read_to_end(&mut head).ok()?;
        }
        Object::Missing => {}
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let oid = lines.next()?.strip_prefix("object ")?;
    let valid = !oid.is_empty() && oid.bytes().all(|b| b.is_ascii_hexdigit());
    (valid && lines.next()? == "type tag").then(|| oid.to_string())
}

/// A pushed tag, as a ref named `pushed tag`, from `git cat-file --batch-check`'s answers
/// (`<type> <id>`) for a tip and for the tip peeled; `None` when the tip is no tag.
fn pushed_tag(tip: &str, peeled: &str) -> Option<Ref> {
    let oid = tip.strip_prefix("tag ")?;
    let (peeled_kind, peeled) = peeled.split_once(' ').unwrap_or(("", ""));
    Some(Ref {
        name: "pushed tag".to_string(),
        oid: oid.to_string(),
        kind: "tag".to_string(),
        peeled: peeled.to_string(),
        peeled_kind: peeled_kind.to_string(),
    })
}

/// Why the revision `name`, which the repository does not have, cannot be read: a shallow
/// clone's history may be cut before it.
fn not_in_repository(top: &Path, name: &str) -> GitError {
    let shallow = is_shallow(top);
    GitError {
        message: match shallow {
            true => format!(
                "`{}` is not in this shallow clone: its history is cut before it",
                crate::shown::clean(name)
            ),
            false => format!(
                "`{}` is not a revision of this repository",
                crate::shown::clean(name)
            ),
        },
        help: shallow.then(|| {
            "fetch the history it needs (`git fetch --unshallow`, or actions/checkout with \
             `fetch-depth: 0`); a range is never judged on part of its commits"
                .into()
        }),
    }
}

/// Whether `name` is the remote of a `Without::Remote`, which names no object.
fn is_remote(revs: &Revisions, name: &str) -> bool {
    revs.without
        .iter()
        .any(|w| matches!(w, Without::Remote(r) if r == name))
}

/// Those of `names` that the repository does not have, asked of one `git cat-file
/// --batch-check`.
pub(crate) fn missing_objects<'a>(
    top: &Path,
    names: impl Iterator<Item = &'a String>,
) -> Result<Vec<String>, GitError> {
    let names: Vec<&String> = names.collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let owned: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let answers = objects_batch_check(top, &owned, "%(objectname)")?;
    Ok(names
        .iter()
        .zip(answers.lines().chain(std::iter::repeat(" missing")))
        .filter(|(_, answer)| answer.ends_with(" missing"))
        .map(|(name, _)| name.to_string())
        .collect())
}

/// Every blob reachable from the revisions, each once, with a path it has in some commit;
/// and the ids of the blobs the repository lacks (a partial clone's, never fetched). A
/// blob that no tree holds, named by a tag (`git tag leak <blob>`) or an annotated tag's
/// target, is listed too, under a placeholder. git's output is read as it comes: only the
/// list of distinct blobs is held.
pub fn history_blobs(
    top: &Path,
    revs: &Revisions,
) -> Result<(Vec<HistoryBlob>, Vec<String>), GitError> {
    let mut args = vec![
        "rev-list".to_string(),
        "--objects".to_string(),
        "--filter=object:type=blob".to_string(),
        // The commits and tags the refs name are listed otherwise, whatever the filter.
        "--filter-provided-objects".to_string(),
        "--missing=print".to_string(),
    ];
    args.extend(revs.args()?);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (mut blobs, mut missing) = (Vec::new(), Vec::new());
    each_line(top, &args, MAX_LINE, |line| {
        let line = String::from_utf8_lossy(line);
        if let Some(oid) = line.strip_prefix('?') {
            missing.push(oid.to_string());
            return;
        }
        let (oid, path) = line.split_once(' ').unwrap_or((&line, ""));
        if !oid.is_empty() {
            blobs.push(HistoryBlob {
                oid: oid.to_string(),
                path: path.to_string(),
                in_tree: !path.is_empty(),
            });
        }
    })?;
    if blobs.iter().any(|b| !b.in_tree) {
        let names = tag_names(top)?;
        for blob in blobs.iter_mut().filter(|b| !b.in_tree) {
            blob.path = pathless(&blob.oid, names.get(&blob.oid).map(String::as_str));
        }
    }
    Ok((blobs, missing))
}

/// The placeholder path of a blob in no tree: the ref that names it, else its short id.
pub(crate) fn pathless(oid: &str, reference: Option<&str>) -> String {
    match reference {
        Some(name) => match name.strip_prefix("refs/tags/") {
            Some(tag) => format!("<blob reachable from tag {tag}>"),
            None => format!("<blob reachable from {name}>"),
        },
        None => format!("<blob {}>", &oid[..oid.len().min(10)]),
    }
}

/// For every blob a ref names, directly or through one annotated tag, the first such ref.
fn tag_names(top: &Path) -> Result<std::collections::HashMap<String, String>, GitError> {
    let mut names = std::collections::HashMap::new();
    for r in refs(top)? {
        let target = match (r.kind.as_str(), r.peeled_kind.as_str()) {
            ("blob", _) => r.oid,
            (_, "blob") => r.peeled,
            _ => continue,
        };
        names.entry(target).or_insert(r.name);
    }
    Ok(names)
}

/// The kind of an object of the repository that a history scan reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Commit,
    Blob,
    Tag,
}

/// Every commit, blob and annotated tag the repository holds (its packs, its loose
/// objects and its alternates'), whether a ref reaches it or not: an amended-away commit,
/// a dropped stash, a blob once added and never committed. Read as git lists them.
pub fn all_objects(top: &Path) -> Result<Vec<(String, Kind)>, GitError> {
    let mut objects = Vec::new();
    let args = [
        "cat-file",
        "--batch-all-objects",
        "--unordered",
        "--batch-check=%(objectname) %(objecttype)",
    ];
    each_line(top, &args, MAX_LINE, |line| {
        let line = String::from_utf8_lossy(line);
        let kind = match line.split_once(' ') {
            Some((oid, "commit")) => Some((oid, Kind::Commit)),
            Some((oid, "blob")) => Some((oid, Kind::Blob)),
            Some((oid, "tag")) => Some((oid, Kind::Tag)),
            _ => None,
        };
        if let Some((oid, kind)) = kind {
            objects.push((oid.to_string(), kind));
        }
    })?;
    Ok(objects)
}

/// The blobs the index of the working tree at `top` holds: staged, not committed, and
/// what `scan --staged` reads. None in a bare repository.
pub fn index_blobs(top: &Path) -> Vec<String> {
    let mut blobs = Vec::new();
    let read = each_record(
        top,
        &["ls-files", "--stage", "-z"],
        Record {
            end: b'\0',
            max: MAX_LINE,
            input: None,
        },
        |record| {
            // <mode> <oid> <stage>\t<path>
            let text = String::from_utf8_lossy(record);
            if let Some(oid) = text.split(' ').nth(1) {
                blobs.push(oid.to_string());
            }
        },
    );
    if read.is_err() {
        blobs.clear();
    }
    blobs
}

/// A ref: its name, the object it names, and, for an annotated tag, the object the tag
/// names in the end (through tags of tags).
#[derive(Clone, Debug)]
pub struct Ref {
    pub name: String,
    pub oid: String,
    /// The kind of `oid`: `commit`, `tag`, `blob` or `tree`.
    pub kind: String,
    /// For a tag, what it peels to, and its kind; else empty.
    pub peeled: String,
    pub peeled_kind: String,
}

/// Every ref of the repository.
pub fn refs(top: &Path) -> Result<Vec<Ref>, GitError> {
    let mut refs = Vec::new();
    let format = "--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname) %(refname)";
    each_line(top, &["for-each-ref", format], MAX_LINE, |line| {
        let line = String::from_utf8_lossy(line);
        let fields: Vec<&str> = line.splitn(5, ' ').collect();
        if let [kind, oid, peeled_kind, peeled, name] = fields[..] {
            refs.push(Ref {
                name: name.to_string(),
                oid: oid.to_string(),
                kind: kind.to_string(),
                peeled: peeled.to_string(),
                peeled_kind: peeled_kind.to_string(),
            });
        }
    })?;
    Ok(refs)
}

/// What one `git cat-file --batch-check=FORMAT` answers for `names`, a line each.
fn objects_batch_check(top: &Path, names: &[String], format: &str) -> Result<String, GitError> {
    let check = format!("--batch-check={format}");
    let mut child = command(top, &["cat-file", &check])?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| error(format!("cannot run git cat-file: {e}")))?;
    let input: String = names.iter().map(|n| format!("{n}\n")).collect();
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| error(format!("cannot run git cat-file: {e}")))?;
    let _ = writer.join();
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A path as git writes it in `objects/info/alternates`, which git C-quotes
/// (`"caf\303\251"`) when it has unusual bytes. (Paths from `git log` and `git diff` come
/// with `-z`, as they are.)
pub(crate) fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The header of a commit: read once, however many blobs the commit adds.
#[derive(Debug)]
struct Header {
    id: String,
    author: String,
    date: String,
}

/// The longest author (name and e-mail) kept, in characters: a commit can name one of
/// megabytes, and its blobs would each carry it.
const AUTHOR_CHARS: usize = 200;

/// For every blob, at each path it has, the oldest commit that adds it there: each
/// commit's header held once, and for each blob, which header and the path.
#[derive(Debug, Default)]
pub struct FirstCommits {
    headers: Vec<Header>,
    blobs: std::collections::HashMap<String, Vec<(usize, String)>>,
}

impl FirstCommits {
    /// The commit `id`, found in the history read, said to hold `path`.
    pub fn commit_by_id(&self, id: &str, path: &str) -> Option<Commit> {
        let at = self.headers.iter().position(|h| h.id == id)?;
        Some(self.commit(at, path))
    }

    /// The commit that first added the blob `oid`, with the blob's first path in it.
    pub fn first(&self, oid: &str) -> Option<Commit> {
        self.places(oid)
            .next()
            .map(|(at, path)| self.commit(at, path))
    }

    /// Each path the blob `oid` has, with the oldest commit that adds it there: that
    /// commit's place in the log (older first), for [`Self::commit`].
    pub fn places<'a>(&'a self, oid: &str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        let places = self.blobs.get(oid).map_or(&[][..], Vec::as_slice);
        places.iter().map(|(at, path)| (*at, path.as_str()))
    }

    /// The id of the log's commit at `at`, below [`Self::len`]. A merge is in the log
    /// once for each of its parents.
    pub fn id(&self, at: usize) -> &str {
        &self.headers[at].id
    }

    /// Every blob the log's commits add at some path, each once, in no set order.
    pub fn blob_ids(&self) -> impl Iterator<Item = &str> {
        self.blobs.keys().map(String::as_str)
    }

    /// Forgets which blob is where, once the places are taken: the commits are kept.
    pub fn forget_places(&mut self) {
        self.blobs = Default::default();
    }

    /// How many commits the log holds.
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// The log's commit at `at` (an index into its headers, below [`Self::len`]), with
    /// `path`.
    pub fn commit(&self, at: usize, path: &str) -> Commit {
        let header = &self.headers[at];
        Commit {
            id: header.id.clone(),
            author: header.author.clone(),
            date: header.date.clone(),
            path: path.to_string(),
            versions: 1,
            unreachable: false,
        }
    }
}

/// For every blob, the oldest commit of the revisions that adds it at each of its paths,
/// in one pass over the history.
pub fn first_commits(top: &Path, revs: &Revisions) -> Result<FirstCommits, GitError> {
    log_places(top, revs.args()?, None)
}

/// The places of the blobs of the commits `ids` and their ancestors that no ref reaches
/// (commits only the reflog, a dropped stash, or nothing holds).
pub fn unreachable_places(top: &Path, ids: &[String]) -> Result<FirstCommits, GitError> {
    if ids.is_empty() {
        return Ok(FirstCommits::default());
    }
    let mut input = Vec::new();
    for id in ids {
        input.extend_from_slice(id.as_bytes());
        input.push(b'\n');
    }
    let revs = ["--stdin", "--not", "--all"].map(String::from).to_vec();
    log_places(top, revs, Some(input))
}

/// `git log --raw` over `revs` (and the revisions of `input`, with `--stdin`), read as
/// [`LogRecords`].
fn log_places(
    top: &Path,
    revs: Vec<String>,
    input: Option<Vec<u8>>,
) -> Result<FirstCommits, GitError> {
    let mut args = vec![
        "log".to_string(),
        "--reverse".to_string(),
        "--raw".to_string(),
        // Merges too, against each parent: a blob may first appear in a conflict
        // resolution. (Not `-m`, whose format `log.diffMerges` may change.)
        "--diff-merges=separate".to_string(),
        "--no-abbrev".to_string(),
        "--no-renames".to_string(),
        // Whatever `log.showRoot` and `i18n.logOutputEncoding` say.
        "--root".to_string(),
        "--encoding=UTF-8".to_string(),
        // The author last: a line cut short cuts only the author.
        "--format=%x01%H%x00%aI%x00%an <%ae>".to_string(),
        // Paths as they are, never C-quoted.
        "-z".to_string(),
    ];
    args.extend(revs);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Read as it comes: one record per file a commit changes can be millions of them.
    let mut log = LogRecords::default();
    let record = Record {
        end: b'\0',
        max: MAX_LINE,
        input,
    };
    each_record(top, &args, record, |record| log.take(record))?;
    Ok(log.found)
}

/// `git log -z --raw --format=%x01%H%x00%aI%x00%an <%ae>`, record by record (each ended by
/// a NUL): a commit's id (after `\x01`), date and author, then for each file it changes
/// `:<modes> <old id> <new id> <status>` and the path as it is, never quoted.
#[derive(Debug, Default)]
struct LogRecords {
    found: FirstCommits,
    /// The commit the file records belong to: an index into `found.headers`.
    commit: Option<usize>,
    next: Next,
}

/// What the next record of `git log -z` is.
#[derive(Debug, Default)]
enum Next {
    /// A commit's id, or a file's `:<modes> <ids> <status>`.
    #[default]
    Any,
    Date {
        id: String,
    },
    Author {
        id: String,
        date: String,
    },
    /// The path of the blob `new`.
    Path {
        new: String,
    },
    /// The path of a file that is no blob to read: a deletion's, or a submodule's.
    Skip,
}

impl LogRecords {
    fn take(&mut self, record: &[u8]) {
        let text = || String::from_utf8_lossy(record).into_owned();
        self.next = match std::mem::take(&mut self.next) {
            Next::Date { id } => Next::Author { id, date: text() },
            Next::Author { id, date } => {
                let author = cut(&text(), AUTHOR_CHARS);
                self.found.headers.push(Header { id, author, date });
                self.commit = Some(self.found.headers.len() - 1);
                Next::Any
            }
            Next::Path { new } => {
                if let Some(commit) = self.commit {
                    let path = text();
                    let places = self.found.blobs.entry(new).or_default();
                    if !places.iter().any(|(_, p)| *p == path) {
                        places.push((commit, path));
                    }
                }
                Next::Any
            }
            Next::Skip => Next::Any,
            Next::Any => Self::first(record),
        };
    }

    /// A commit's id or a file's record; the first file's follows a line break.
    fn first(record: &[u8]) -> Next {
        match record.strip_prefix(b"\n").unwrap_or(record) {
            [1, id @ ..] => Next::Date {
                id: String::from_utf8_lossy(id).into_owned(),
            },
            // :100644 100644 <old> <new> M
            [b':', meta @ ..] => {
                let meta = String::from_utf8_lossy(meta);
                let fields: Vec<&str> = meta.split(' ').collect();
                match fields[..] {
                    [_, "000000" | "160000", ..] => Next::Skip,
                    [_, _, _, new, ..] => Next::Path {
                        new: new.to_string(),
                    },
                    _ => Next::Any,
                }
            }
            _ => Next::Any,
        }
    }
}

/// `text` cut to `chars` characters, an ellipsis marking the cut.
fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Whether the repository is a partial clone, which may lack objects its promisor remote
/// has: `extensions.partialClone` set, or a remote marked `promisor`.
pub fn is_partial_clone(top: &Path) -> bool {
    let set = |args: &[&str]| git(top, args).is_ok_and(|out| !one_line(out).is_empty());
    set(&["config", "--get", "extensions.partialClone"])
        || git(
            top,
            &[
                "config",
                "--type=bool",
                "--get-regexp",
                r"^remote\..*\.promisor$",
            ],
        )
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out)
                .lines()
                .any(|l| l.ends_with(" true"))
        })
}

/// The repository's object format: `sha1` or `sha256`.
pub fn object_format(top: &Path) -> Result<String, GitError> {
    Ok(one_line(git(top, &["rev-parse", "--show-object-format"])?))
}

/// Whether the repository is a shallow clone, whose history is cut short.
pub fn is_shallow(top: &Path) -> bool {
    git(top, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|out| one_line(out) == "true")
}

/// Where the repository comes from and which revision is checked out, for SARIF's
/// `versionControlProvenance`: the `origin` remote's URL, else the working tree's file URI.
pub fn provenance(top: &Path) -> Option<(String, String)> {
    let revision = one_line(git(top, &["rev-parse", "HEAD"]).ok()?);
    let uri = git(top, &["remote", "get-url", "origin"])
        .ok()
        .map(one_line)
        .filter(|u| u.contains("://"))
        .unwrap_or_else(|| format!("file://{}", top.display()));
    Some((uri, revision))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_names_another_tag_only_by_a_full_header() {
        let inner = "a".repeat(40);
        let object = |text: &str| Object::Held(text.as_bytes().to_vec());
        let tag = format!("object {inner}\ntype tag\ntag v1\n\nmessage\n");
        assert_eq!(tagged_tag(object(&tag)), Some(inner.clone()));
        for text in [
            format!("object {inner}\ntype commit\ntag v1\n"),
            format!("object {inner}\n"),
            "object HEAD:secret.txt\ntype tag\n".to_string(),
            format!("tree {inner}\ntype tag\n"),
        ] {
            assert_eq!(tagged_tag(object(&text)), None, "{text}");
        }
        assert_eq!(tagged_tag(Object::Missing), None);
    }

    #[test]
    fn long_lines_are_cut_and_the_rest_skipped() {
        let input = format!("short\n{}\nlast", "x".repeat(100));
        // A buffer smaller than a line: the cut holds across refills.
        let mut reader = BufReader::with_capacity(7, input.as_bytes());
        let mut lines = Vec::new();
        read_lines(&mut reader, b'\n', 10, &mut |l| lines.push(l.to_vec())).unwrap();
        assert_eq!(lines, [&b"short"[..], &[b'x'; 10][..], &b"last"[..]]);
    }

    #[test]
    fn an_author_is_cut_to_its_first_characters() {
        let mut log = LogRecords::default();
        let author = format!("{} <e>", "é".repeat(300));
        for record in ["\u{1}id", "2026-01-01", &author] {
            log.take(record.as_bytes());
        }
        let header = &log.found.headers[0];
        assert_eq!(header.author.chars().count(), AUTHOR_CHARS + 1);
        assert!(header.author.ends_with('…'));
        assert_eq!(header.date, "2026-01-01");
        assert_eq!(cut("short", AUTHOR_CHARS), "short");
    }

    #[test]
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("plain.sh"), "plain.sh");
        assert_eq!(unquote("\"caf\\303\\251 dir.sh\""), "café dir.sh");
        assert_eq!(unquote("\"a\\tb\\\"c\\\\\""), "a\tb\"c\\");
    }

    #[test]
    fn log_records_give_each_blob_its_first_commit_and_its_path_as_it_is() {
        let (old, new) = ("0".repeat(40), "b".repeat(40));
        let meta = |first: &str, blob: &str| format!("{first}:000000 100644 {old} {blob} A");
        let mut log = LogRecords::default();
        let records = [
            "\u{1}c1".to_string(),
            "2026-01-01".to_string(),
            "A <a@x>".to_string(),
            meta("\n", &new),
            "\nodd \"name\"\tx\\y".to_string(),
            "\u{1}c2".to_string(),
            "2026-01-02".to_string(),
            "B <b@x>".to_string(),
            meta("\n", &new),
            "later.txt".to_string(),
            meta("", &"c".repeat(40)),
            "caf\u{e9}.sh".to_string(),
        ];
        for record in &records {
            log.take(record.as_bytes());
        }
        let first = log.found.first(&new).unwrap();
        assert_eq!(
            (first.id.as_str(), first.author.as_str()),
            ("c1", "A <a@x>")
        );
        assert_eq!(first.path, "\nodd \"name\"\tx\\y");
        assert_eq!(
            log.found.first(&"c".repeat(40)).unwrap().path,
            "caf\u{e9}.sh"
        );
        assert_eq!(log.found.first(&"c".repeat(40)).unwrap().date, "2026-01-02");
    }

    #[test]
    fn log_records_give_a_blob_each_of_its_paths_but_no_deletion_or_submodule() {
        let (zero, blob, sub) = ("0".repeat(40), "b".repeat(40), "c".repeat(40));
        let mut log = LogRecords::default();
        let records = [
            "\u{1}c1".to_string(),
            "2026-01-01".to_string(),
            "A <a@x>".to_string(),
            format!("\n:000000 100644 {zero} {blob} A"),
            "ignored/a.env".to_string(),
            format!(":000000 160000 {zero} {sub} A"),
            "vendor/lib".to_string(),
            "\u{1}c2".to_string(),
            "2026-01-02".to_string(),
            "B <b@x>".to_string(),
            format!("\n:000000 100644 {zero} {blob} A"),
            "src/prod.env".to_string(),
            format!(":100644 000000 {blob} {zero} D"),
            "ignored/a.env".to_string(),
            format!(":000000 100644 {zero} {blob} A"),
            "src/prod.env".to_string(),
        ];
        for record in &records {
            log.take(record.as_bytes());
        }
        let places: Vec<(usize, &str)> = log.found.places(&blob).collect();
        assert_eq!(places, [(0, "ignored/a.env"), (1, "src/prod.env")]);
        assert_eq!(log.found.places(&sub).count(), 0, "a submodule is no blob");
        assert_eq!(
            log.found.places(&zero).count(),
            0,
            "a deletion adds nothing"
        );
        assert_eq!((log.found.len(), log.found.id(1)), (2, "c2"));
    }

    #[test]
    fn raw_diff_entries_give_the_new_blob_and_path() {
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let out = format!(
            ":000000 100644 {a} {b} A\0café:2\0\
             :100644 100644 {a} {b} R100\0old\0new\0\
             :000000 160000 {a} {b} A\0sub\0"
        );
        let mut bytes = out.into_bytes();
        // A name that is not UTF-8.
        bytes.extend_from_slice(format!(":000000 100644 {a} {b} A\0").as_bytes());
        bytes.extend_from_slice(b"x\xFF\0");
        let staged = parse_raw(&bytes);
        let paths: Vec<&Path> = staged.iter().map(|s| s.path.as_path()).collect();
        assert_eq!(paths[..2], [Path::new("café:2"), Path::new("new")]);
        assert_eq!(staged.len(), 3, "the submodule is not a blob");
        assert!(staged.iter().all(|s| s.oid == b));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert_eq!(staged[2].path.as_os_str().as_bytes(), b"x\xFF");
        }
    }

    #[test]
    fn every_git_command_is_hardened() {
        let args = |args: &[&str]| -> Vec<String> {
            command(Path::new("."), args)
                .unwrap()
                .get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        };
        let log = args(&["log", "--raw"]);
        for wanted in ["--no-pager", "--no-optional-locks", "core.fsmonitor=false"] {
            assert!(log.iter().any(|a| a == wanted), "{wanted}: {log:?}");
        }
        let at = log.iter().position(|a| a == "log").unwrap();
        assert!(log[..at].iter().any(|a| a == "core.hooksPath=/dev/null"));
        assert_eq!(
            log[at + 1..at + 4],
            ["--no-ext-diff", "--no-textconv", "--no-show-signature"]
        );
        assert_eq!(log.last().unwrap(), "--raw");
        let envs: Vec<_> = command(Path::new("."), &["cat-file"])
            .unwrap()
            .get_envs()
            .map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned())))
            .collect();
        assert!(envs.contains(&("GIT_NO_LAZY_FETCH".into(), Some("1".into()))));
        assert!(envs.contains(&("SSH_ASKPASS".into(), None)));
        // `install-hook` asks rev-parse where hooks go: the answer is the repository's.
        assert!(!args(&["rev-parse", "--git-path", "hooks"])
            .iter()
            .any(|a| a.starts_with("core.hooksPath")));
    }

    #[test]
    fn git_is_found_in_absolute_directories_only() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join(PROGRAM);
        std::fs::write(&fake, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let relative = std::ffi::OsString::from(".:relative/dir:");
        assert_eq!(find_program(&relative), None);
        let mut path = relative;
        path.push(":");
        path.push(dir.path());
        assert_eq!(find_program(&path), Some(fake));
    }

    #[test]
    fn a_blob_in_no_tree_is_named_by_its_ref_or_its_id() {
        let oid = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d";
        assert_eq!(
            pathless(oid, Some("refs/tags/leak")),
            "<blob reachable from tag leak>"
        );
        assert_eq!(
            pathless(oid, Some("refs/heads/x")),
            "<blob reachable from refs/heads/x>"
        );
        assert_eq!(pathless(oid, None), "<blob 1a2b3c4d5e>");
    }

    #[test]
    fn option_like_revisions_are_refused() {
        let revs = Revisions {
            branch: Some("--output=/tmp/x".into()),
            ..Revisions::default()
        };
        assert!(revs.args().is_err());
        for without in [Without::Rev("--all".into()), Without::Remote("-x".into())] {
            let revs = Revisions {
                tips: vec!["a".into()],
                without: vec![without],
                ..Revisions::default()
            };
            assert!(revs.args().is_err(), "{revs:?}");
        }
        assert!(Revisions::range("main..--output=x")
            .unwrap()
            .args()
            .is_err());
    }

    #[test]
    fn ranges_and_pushes_are_rev_list_arguments() {
        let range = Revisions::range("base..head").unwrap();
        assert_eq!(range.args().unwrap(), ["head", "^base"]);
        assert!(range.is_range() && !Revisions::default().is_range());
        for wrong in ["main", "..head", "base..", "a...b"] {
            assert!(Revisions::range(wrong).is_err(), "{wrong}");
        }
        let push = Revisions {
            tips: vec!["n1".into(), "n2".into()],
            without: vec![
                Without::AllRefs,
                Without::Rev("old".into()),
                Without::Remote("origin".into()),
            ],
            ..Revisions::default()
        };
        assert_eq!(
            push.args().unwrap(),
            ["n1", "n2", "--not", "--all", "old", "--remotes=origin"]
        );
        assert!(push.is_range());
    }
}
