//! Git: what is staged, read from the index (not the working tree, which may differ), the
//! history, and where the hooks are.
//!
//! Blobs are read through one long-lived `git cat-file --batch`, never one process per
//! file.

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

/// Runs `git ARGS` in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
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
        .map(|out| PathBuf::from(one_line(out)))
        .map_err(|e| GitError {
            help: Some("run it inside a git repository".into()),
            ..e
        })
}

/// The staged files that a commit would add or change, relative to the top of the
/// working tree: added, copied, modified and renamed (under their new name); not deleted.
pub fn staged_files(top: &Path) -> Result<Vec<String>, GitError> {
    let out = git(
        top,
        &[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=ACMRT",
        ],
    )?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// One `git cat-file --batch` for the whole run.
pub struct CatFile {
    child: Child,
    /// `None` once handed to a feeding thread.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    pub fn new(top: &Path) -> Result<CatFile, GitError> {
        let mut child = Command::new("git")
            .current_dir(top)
            .args(["cat-file", "--batch", "-Z"])
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

    /// The content of the object `spec` names (`:path` for the staged blob), or `None`
    /// when git has no such object.
    pub fn read(&mut self, spec: &str) -> io::Result<Option<Vec<u8>>> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file's input is closed"))?;
        stdin.write_all(spec.as_bytes())?;
        stdin.write_all(b"\0")?;
        stdin.flush()?;
        self.receive()
    }

    /// The answer to the next request.
    fn receive(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut header = Vec::new();
        self.stdout.read_until(0, &mut header)?;
        let header = String::from_utf8_lossy(&header);
        let header = header.trim_end_matches('\0');
        let mut fields = header.rsplitn(3, ' ');
        let (Some(size), Some(kind)) = (fields.next(), fields.next()) else {
            return Err(io::Error::other(format!("git cat-file said `{header}`")));
        };
        if kind == "missing" || size == "missing" || header.ends_with(" missing") {
            return Ok(None);
        }
        let size: usize = size
            .parse()
            .map_err(|_| io::Error::other(format!("git cat-file said `{header}`")))?;
        let mut data = vec![0; size];
        self.stdout.read_exact(&mut data)?;
        let mut terminator = [0u8; 1];
        self.stdout.read_exact(&mut terminator)?;
        Ok(Some(data))
    }
}

/// Reads the objects `specs` name, in order, through one `git cat-file --batch` that is
/// fed by a thread of its own, so that no request waits for the previous answer. `each`
/// gets every spec's index and content (`None` when git has no such object).
pub fn read_all(
    top: &Path,
    specs: Vec<String>,
    mut each: impl FnMut(usize, Option<Vec<u8>>),
) -> Result<(), GitError> {
    let mut cat = CatFile::new(top)?;
    let count = specs.len();
    let mut stdin = cat.stdin.take().expect("a fresh cat-file has its input");
    let writer = std::thread::spawn(move || -> io::Result<()> {
        let mut out = io::BufWriter::new(&mut stdin);
        for spec in specs {
            out.write_all(spec.as_bytes())?;
            out.write_all(b"\0")?;
        }
        out.flush()?;
        drop(out);
        drop(stdin);
        Ok(())
    });
    for i in 0..count {
        let data = cat
            .receive()
            .map_err(|e| error(format!("cannot read from git cat-file: {e}")))?;
        each(i, data);
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

/// Where git looks for hooks (`core.hooksPath` honoured) and the git directory that all
/// worktrees of the repository share, both absolute.
pub(crate) fn hook_dirs(dir: &Path) -> Result<(PathBuf, PathBuf), GitError> {
    let out = git(
        dir,
        &[
            "rev-parse",
            "--path-format=absolute",
            "--git-path",
            "hooks",
            "--git-common-dir",
        ],
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut lines = text.lines().map(PathBuf::from);
    match (lines.next(), lines.next()) {
        (Some(hooks), Some(common)) => Ok((hooks, common)),
        _ => Err(error("`git rev-parse` did not say where the hooks are")),
    }
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
/// and how many blobs the repository lacks (a partial clone).
pub fn history_blobs(top: &Path, revs: &Revisions) -> Result<(Vec<HistoryBlob>, usize), GitError> {
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
    let missing = text.lines().filter(|l| l.starts_with('?')).count();
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
    fn option_like_revisions_are_refused() {
        let revs = Revisions {
            branch: Some("--output=/tmp/x".into()),
            since: None,
        };
        assert!(revs.args().is_err());
    }
}
