//! Git: what is staged, read from the index (not the working tree, which may differ), and
//! the pre-commit hook that scans it.
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
    stdin: ChildStdin,
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
            stdin,
            stdout,
        })
    }

    /// The content of the object `spec` names (`:path` for the staged blob), or `None`
    /// when git has no such object.
    pub fn read(&mut self, spec: &str) -> io::Result<Option<Vec<u8>>> {
        self.stdin.write_all(spec.as_bytes())?;
        self.stdin.write_all(b"\0")?;
        self.stdin.flush()?;
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

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The hook `install-hook` writes.
pub const HOOK: &str = "#!/bin/sh\n\
# Installed by `tokenlint install-hook`: refuse commits that stage a RemotiveCloud token.\n\
if ! command -v tokenlint >/dev/null 2>&1; then\n\
  echo 'tokenlint: not on PATH; install it (cargo install tokenlint) or skip with git commit --no-verify' >&2\n\
  exit 1\n\
fi\n\
exec tokenlint scan --staged\n";

/// Writes `.git/hooks/pre-commit` (or where `core.hooksPath` points). An existing hook is
/// replaced only with `force`.
pub fn install_hook(dir: &Path, force: bool) -> Result<PathBuf, GitError> {
    let hooks = PathBuf::from(one_line(git(dir, &["rev-parse", "--git-path", "hooks"])?));
    let hooks = if hooks.is_relative() {
        dir.join(hooks)
    } else {
        hooks
    };
    let path = hooks.join("pre-commit");
    if path.exists() && !force {
        return Err(GitError {
            message: format!("a pre-commit hook exists already: {}", path.display()),
            help: Some(
                "replace it with `tokenlint install-hook --force`, or chain tokenlint from it: \
                 add the line `tokenlint scan --staged || exit 1`"
                    .into(),
            ),
        });
    }
    std::fs::create_dir_all(&hooks)
        .map_err(|e| error(format!("cannot create {}: {e}", hooks.display())))?;
    std::fs::write(&path, HOOK)
        .map_err(|e| error(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| error(format!("cannot make {} executable: {e}", path.display())))?;
    }
    Ok(path)
}
