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
];

/// The environment of every git command: no lazy fetch of an object a partial clone lacks
/// (and no transport at all, for a git older than `GIT_NO_LAZY_FETCH`), no prompt, no
/// pager, no lock taken only to refresh the index, no replaced object. `GIT_DIR`, `GIT_INDEX_FILE` and
/// `GIT_WORK_TREE`, which git sets for a hook, are left as they are.
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

/// `git ARGS` in `dir`, built so that it runs no command the repository chose: the one
/// way tokenlint starts git.
pub(crate) fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
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
    cmd
}

/// Runs `git ARGS` in `dir` and returns its standard output.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(dir, args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| error(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(error(format!(
            "`git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    Ok(out.stdout)
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

/// One `git cat-file --batch` for the whole run.
struct CatFile {
    child: Child,
    /// `None` once handed to a feeding thread.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    fn new(top: &Path) -> Result<CatFile, GitError> {
        let mut child = command(top, &["cat-file", "--batch", "-Z"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| error(format!("cannot run git cat-file: {e}")))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
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
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            Object::Spooled(spool, size)
        } else {
            let mut data = vec![0; size as usize];
            self.stdout.read_exact(&mut data)?;
            Object::Held(data)
        };
        let mut terminator = [0u8; 1];
        self.stdout.read_exact(&mut terminator)?;
        Ok(object)
    }
}

/// Reads the objects `oids` name, in order, through one `git cat-file --batch` that is
/// fed by a thread of its own, so that no request waits for the previous answer. `each`
/// gets every object's index and content; one of `spool_from` bytes or more is spooled to
/// a temporary file, never held.
pub fn read_all(
    top: &Path,
    oids: Vec<String>,
    spool_from: u64,
    mut each: impl FnMut(usize, Object),
) -> Result<(), GitError> {
    let mut cat = CatFile::new(top)?;
    let count = oids.len();
    let mut stdin = cat.stdin.take().expect("a fresh cat-file has its input");
    let writer = std::thread::spawn(move || -> io::Result<()> {
        let mut out = io::BufWriter::new(&mut stdin);
        for oid in oids {
            out.write_all(oid.as_bytes())?;
            out.write_all(b"\0")?;
        }
        out.flush()?;
        drop(out);
        drop(stdin);
        Ok(())
    });
    for i in 0..count {
        let object = cat
            .receive(spool_from)
            .map_err(|e| error(format!("cannot read from git cat-file: {e}")))?;
        each(i, object);
    }
    writer
        .join()
        .map_err(|_| error("the thread feeding git cat-file panicked"))?
        .map_err(|e| error(format!("cannot write to git cat-file: {e}")))?;
    Ok(())
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
            crate::hook::shown(&path_of_bytes(line))
        )));
    }
    Ok(path_of_bytes(line))
}

/// A blob of the history, with the path it was found under.
#[derive(Clone, Debug)]
pub struct HistoryBlob {
    pub oid: String,
    pub path: String,
}

/// Which history to read: all refs, or one branch, optionally after a revision.
#[derive(Clone, Debug, Default)]
pub struct Revisions {
    pub branch: Option<String>,
    pub since: Option<String>,
}

impl Revisions {
    /// The revision arguments; a value that git would read as an option is refused.
    fn args(&self) -> Result<Vec<String>, GitError> {
        for value in [&self.branch, &self.since].into_iter().flatten() {
            if value.starts_with('-') || value.is_empty() {
                return Err(error(format!("`{value}` is not a revision")));
            }
        }
        let mut args = vec![self.branch.clone().unwrap_or_else(|| "--all".to_string())];
        if let Some(since) = &self.since {
            args.push(format!("^{since}"));
        }
        Ok(args)
    }
}

/// Every blob reachable from the revisions, each once, with a path it has in some commit;
/// and the ids of the blobs the repository lacks (a partial clone's, never fetched).
pub fn history_blobs(
    top: &Path,
    revs: &Revisions,
) -> Result<(Vec<HistoryBlob>, Vec<String>), GitError> {
    let mut args = vec![
        "rev-list".to_string(),
        "--objects".to_string(),
        "--filter=object:type=blob".to_string(),
        "--missing=print".to_string(),
    ];
    args.extend(revs.args()?);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git(top, &args)?;
    let text = String::from_utf8_lossy(&out);
    let missing = text
        .lines()
        .filter_map(|l| l.strip_prefix('?'))
        .map(str::to_string)
        .collect();
    let blobs = text
        .lines()
        .filter_map(|line| {
            let (oid, path) = line.split_once(' ')?;
            (!path.is_empty()).then(|| HistoryBlob {
                oid: oid.to_string(),
                path: path.to_string(),
            })
        })
        .collect();
    Ok((blobs, missing))
}

/// A path as git prints it: C-quoted (`"caf\303\251"`) when it has unusual bytes.
fn unquote(path: &str) -> String {
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

/// The commit that first added a blob.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Commit {
    pub id: String,
    pub author: String,
    pub date: String,
    /// The path the blob had in that commit.
    pub path: String,
}

/// For every blob, the oldest commit of the revisions that adds it, in one pass over the
/// history.
pub fn first_commits(
    top: &Path,
    revs: &Revisions,
) -> Result<std::collections::HashMap<String, Commit>, GitError> {
    let mut found = std::collections::HashMap::new();
    let mut args = vec![
        "log".to_string(),
        "--reverse".to_string(),
        "--raw".to_string(),
        // Merges too: a blob may first appear in a conflict resolution.
        "-m".to_string(),
        "--no-abbrev".to_string(),
        "--no-renames".to_string(),
        // Whatever `log.showRoot` and `i18n.logOutputEncoding` say.
        "--root".to_string(),
        "--encoding=UTF-8".to_string(),
        "--format=%x01%H%x00%an <%ae>%x00%aI".to_string(),
    ];
    args.extend(revs.args()?);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git(top, &args)?;
    let text = String::from_utf8_lossy(&out);
    let mut commit: Option<(&str, &str, &str)> = None;
    for line in text.lines() {
        if let Some(header) = line.strip_prefix('\u{1}') {
            let mut parts = header.split('\0');
            commit = match (parts.next(), parts.next(), parts.next()) {
                (Some(id), Some(author), Some(date)) => Some((id, author, date)),
                _ => None,
            };
            continue;
        }
        // :100644 100644 <old> <new> M\tpath
        let (Some(meta), Some((id, author, date))) = (line.strip_prefix(':'), commit) else {
            continue;
        };
        let Some((fields, path)) = meta.split_once('\t') else {
            continue;
        };
        let Some(new) = fields.split(' ').nth(3) else {
            continue;
        };
        if !found.contains_key(new) {
            found.insert(
                new.to_string(),
                Commit {
                    id: id.to_string(),
                    author: author.to_string(),
                    date: date.to_string(),
                    path: unquote(path),
                },
            );
        }
    }
    Ok(found)
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
    fn quoted_paths_are_unquoted() {
        assert_eq!(unquote("plain.sh"), "plain.sh");
        assert_eq!(unquote("\"caf\\303\\251 dir.sh\""), "café dir.sh");
        assert_eq!(unquote("\"a\\tb\\\"c\\\\\""), "a\tb\"c\\");
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
    fn option_like_revisions_are_refused() {
        let revs = Revisions {
            branch: Some("--output=/tmp/x".into()),
            since: None,
        };
        assert!(revs.args().is_err());
    }
}
