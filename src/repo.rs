//! Which repository git would read, and whether it is this working tree's own.
//!
//! A directory someone sent can hold a `.git` *file* (`gitdir: /home/me/private/.git`), a
//! `.git/commondir`, or a `.git/refs` link that hands git another repository: the user's
//! own private one. `scan --history` would then print its authors, paths and lines, and
//! `install-hook` would write into it. So the git directory must lie inside the working
//! tree, or be one of two things git itself makes: a linked worktree's (`git worktree
//! add`) or a submodule's (under `.git/modules/` of a repository around this one). A
//! `GIT_DIR` in the environment is the user's choice (git sets it for a hook) and is
//! honoured.
//!
//! git also blocks, for ever, on a file of the git directory that is a FIFO (its
//! `info/exclude`, its `config`, a file that config includes): those are looked at before
//! any git command runs, and refused.

use std::path::{Path, PathBuf};

use crate::git::{self, GitError};
use crate::hook::shown;

/// A repository with a working tree: its top, its git directory and the git directory
/// all its worktrees share, all absolute and with their links resolved.
#[derive(Clone, Debug)]
pub(crate) struct Repo {
    pub top: PathBuf,
    pub git_dir: PathBuf,
    pub common: PathBuf,
}

/// The repository around `dir`, refused when its git directory is another repository's.
pub(crate) fn open(dir: &Path) -> Result<Repo, GitError> {
    let repo = open_unchecked(dir)?;
    repo.check_own()?;
    Ok(repo)
}

/// The repository around `dir`, whatever its git directory is (for `install-hook
/// --force`); still refused when git would block on one of its files.
pub(crate) fn open_unchecked(dir: &Path) -> Result<Repo, GitError> {
    refuse_blocking_files(dir)?;
    let ask = |what: &[&str]| -> Result<PathBuf, GitError> {
        let out = git::git(
            dir,
            &[&["rev-parse", "--path-format=absolute"], what].concat(),
        )?;
        let path = git::path_line(out)?;
        Ok(path.canonicalize().unwrap_or(path))
    };
    let top = ask(&["--show-toplevel"]).map_err(|e| GitError {
        help: Some("run it inside a git repository".into()),
        ..e
    })?;
    Ok(Repo {
        top,
        git_dir: ask(&["--absolute-git-dir"])?,
        common: ask(&["--git-common-dir"])?,
    })
}

impl Repo {
    /// Refuses a git directory that is not this working tree's own, and one whose refs or
    /// objects are linked out of it; unless `GIT_DIR` names it.
    pub(crate) fn check_own(&self) -> Result<(), GitError> {
        if std::env::var_os("GIT_DIR").is_some_and(|v| !v.is_empty()) {
            return Ok(());
        }
        let dot_git = self.top.join(".git");
        if gitfile_target(&dot_git).as_deref() != Some(self.git_dir.as_path()) {
            return Err(foreign(&format!(
                "git reads the repository {}, which is not the working tree's own {}",
                shown(&self.git_dir),
                shown(&dot_git)
            )));
        }
        let roots = self.own_roots().ok_or_else(|| {
            foreign(&format!(
                "{} hands git the repository {}, which lies outside the working tree {} and \
                 is neither a linked worktree's nor a submodule's",
                shown(&dot_git),
                shown(&self.common),
                shown(&self.top)
            ))
        })?;
        self.refuse_links_out(&roots)
    }

    /// Refuses refs, objects, `HEAD` or an index linked out of `roots`, where the
    /// repository's files lie: `git-new-workdir` does that, and so could a stranger.
    fn refuse_links_out(&self, roots: &[PathBuf]) -> Result<(), GitError> {
        let read = [
            (&self.git_dir, "HEAD"),
            (&self.git_dir, "index"),
            (&self.common, "objects"),
            (&self.common, "refs"),
            (&self.common, "packed-refs"),
            (&self.common, "reftable"),
        ];
        for (base, name) in read {
            let path = base.join(name);
            let Ok(real) = path.canonicalize() else {
                continue;
            };
            if !roots.iter().any(|root| real.starts_with(root)) {
                return Err(foreign(&format!(
                    "{} is a link to {}, outside the repository",
                    shown(&path),
                    shown(&real)
                )));
            }
        }
        Ok(())
    }

    /// Where the repository's files may lie: inside the working tree; or, for a linked
    /// worktree, in the main repository's git directory; or, for a submodule, in its own
    /// git directory. `None` for any other repository.
    fn own_roots(&self) -> Option<Vec<PathBuf>> {
        if self.git_dir.starts_with(&self.top) && self.common.starts_with(&self.top) {
            return Some(vec![self.top.clone()]);
        }
        if self.is_linked_worktree() {
            return Some(vec![self.common.clone()]);
        }
        self.is_submodule().then(|| vec![self.git_dir.clone()])
    }

    /// `git worktree add` made it: the git directory is `<common>/worktrees/<name>`, and
    /// its `gitdir` file points back at this working tree's `.git` file.
    fn is_linked_worktree(&self) -> bool {
        let worktrees = self.common.join("worktrees").canonicalize();
        let back = read_small(&self.git_dir.join("gitdir"));
        self.git_dir.parent().map(Path::to_path_buf) == worktrees.ok()
            && back.is_some_and(|b| {
                let back = PathBuf::from(b.trim_end_matches(['\n', '\r']));
                back.canonicalize().ok() == self.top.join(".git").canonicalize().ok()
            })
    }

    /// `git submodule` made it: the git directory lies under `.git/modules/` of a
    /// repository whose working tree holds this one.
    fn is_submodule(&self) -> bool {
        self.common == self.git_dir
            && self.top.ancestors().skip(1).any(|above| {
                let modules = above.join(".git/modules");
                above.join(".git").is_dir()
                    && modules
                        .canonicalize()
                        .is_ok_and(|m| self.git_dir.starts_with(m))
            })
    }
}

fn foreign(message: &str) -> GitError {
    GitError {
        message: format!("refused: {message}"),
        help: Some(
            "a directory from elsewhere can name another repository, yours, for git to read; \
             if this one is yours, name it explicitly: GIT_DIR=<git directory> \
             GIT_WORK_TREE=<working tree>"
                .into(),
        ),
    }
}

/// The git directory a `.git` entry stands for: the directory itself, or the one its
/// `gitdir:` line names (relative to the working tree), with links resolved.
fn gitfile_target(dot_git: &Path) -> Option<PathBuf> {
    let meta = std::fs::metadata(dot_git).ok()?;
    if meta.is_dir() {
        return dot_git.canonicalize().ok();
    }
    let named = gitdir_line(&read_small(dot_git)?)?;
    dot_git.parent()?.join(named).canonicalize().ok()
}

/// The path of a `.git` file's `gitdir: <path>` line.
fn gitdir_line(text: &str) -> Option<PathBuf> {
    let line = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
}

/// The text of a small regular file; `None` for anything else.
fn read_small(path: &Path) -> Option<String> {
    crate::confine::read_text(
        path,
        &crate::confine::Scope::Anywhere,
        crate::confine::TEXT_CAP,
    )
    .ok()
}

/// Files of a git directory that git reads as they are: a FIFO among them blocks git for
/// ever, a device feeds it without end.
const READ_BY_GIT: &[&str] = &[
    "HEAD",
    "config",
    "config.worktree",
    "commondir",
    "index",
    "packed-refs",
    "shallow",
    "info/exclude",
    "info/attributes",
    "objects/info/alternates",
];

/// Refuses, before any git command runs in `dir`, a file git would read there that is not
/// a regular file: git is found here as git finds it, roughly, and what is looked at is
/// only looked at. Besides the files named above and the config files they include, every
/// entry of the directories git opens files in by name is looked at (see [`Irregular`]).
fn refuse_blocking_files(dir: &Path) -> Result<(), GitError> {
    let Some((git_dir, top)) = git_dir_before_git(dir) else {
        return Ok(());
    };
    let common = read_small(&git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim_end_matches(['\n', '\r'])))
        .unwrap_or_else(|| git_dir.clone());
    let mut files: Vec<PathBuf> = [&git_dir, &common]
        .iter()
        .flat_map(|d| READ_BY_GIT.iter().map(|name| d.join(name)))
        .collect();
    for config in ["config", "config.worktree"] {
        included(&common.join(config), &mut files, 0);
        included(&git_dir.join(config), &mut files, 0);
    }
    if let Some(path) = files.iter().find(|f| is_irregular(f)) {
        return Err(irregular(path));
    }
    let roots = top.map(|top| {
        [top, git_dir.clone(), common.clone()]
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()))
            .collect()
    });
    let check = Irregular { roots };
    check.git_dir(&git_dir)?;
    if common != git_dir {
        check.git_dir(&common)?;
    }
    check.objects(&common.join("objects"), 0)
}

fn irregular(path: &Path) -> GitError {
    GitError {
        message: format!(
            "refused: {} is not a regular file (a FIFO or a device?); git would block \
             reading it",
            shown(path)
        ),
        help: Some("remove it, or make it a regular file".into()),
    }
}

fn is_irregular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// Looks at every entry of the directories in which git opens files by name (a ref that
/// `HEAD` names, a pack, the commit-graph, a loose object): each must be a regular file or
/// a directory, for git opens a FIFO and waits on it for ever. A symbolic link must lead
/// to one of those too, and, unless `roots` is `None`, inside them: the repository's own
/// files lie nowhere else. It costs one `readdir` per directory and no `stat` (the kind
/// of an entry comes with it), a few milliseconds for tens of thousands of loose objects.
struct Irregular {
    /// The working tree, the git directory and the common one, with links resolved;
    /// `None` when `GIT_DIR` names the git directory: the user's choice.
    roots: Option<Vec<PathBuf>>,
}

/// The socket of git's own fsmonitor daemon (macOS, Windows), in the git directory: only
/// the fsmonitor, which tokenlint turns off, talks to it.
const FSMONITOR_SOCKET: &str = "fsmonitor--daemon.ipc";

/// How many alternates deep objects are looked at: git's own limit is 5.
const ALTERNATES_DEPTH: usize = 5;

impl Irregular {
    /// A git directory: its top, `info/`, `reftable/`, `refs/` all through, and each
    /// linked worktree's directory and refs.
    fn git_dir(&self, git_dir: &Path) -> Result<(), GitError> {
        for sub in ["", "info", "reftable"] {
            self.entries(&git_dir.join(sub), &mut |_| {})?;
        }
        self.tree(&git_dir.join("refs"))?;
        let mut worktrees = Vec::new();
        self.entries(&git_dir.join("worktrees"), &mut |e| worktrees.push(e))?;
        for worktree in worktrees {
            self.entries(&worktree, &mut |_| {})?;
            self.tree(&worktree.join("refs"))?;
        }
        Ok(())
    }

    /// An object directory: its indexes, its packs, its loose objects' 256 fan-out
    /// directories, and the object directories its `info/alternates` names, which may
    /// lie anywhere (`git clone --reference`).
    fn objects(&self, objects: &Path, depth: usize) -> Result<(), GitError> {
        let mut fan_out = Vec::new();
        self.entries(objects, &mut |e| fan_out.push(e))?;
        for sub in [
            "info",
            "info/commit-graphs",
            "pack",
            "pack/multi-pack-index.d",
        ] {
            self.entries(&objects.join(sub), &mut |_| {})?;
        }
        for dir in fan_out.iter().filter(|d| is_fan_out(d)) {
            self.entries(dir, &mut |_| {})?;
        }
        if depth >= ALTERNATES_DEPTH {
            return Ok(());
        }
        let anywhere = Irregular { roots: None };
        for alternate in alternates(objects) {
            anywhere.objects(&alternate, depth + 1)?;
        }
        Ok(())
    }

    /// Every directory under `dir`, `dir` included: links are looked at, not followed.
    fn tree(&self, dir: &Path) -> Result<(), GitError> {
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            self.entries(&dir, &mut |sub| pending.push(sub))?;
        }
        Ok(())
    }

    /// Refuses an entry of `dir` that is neither a regular file nor a directory, nor a link
    /// to one inside the roots; hands each real directory among them to `subdir`. A
    /// directory that cannot be read is git's affair.
    fn entries(&self, dir: &Path, subdir: &mut dyn FnMut(PathBuf)) -> Result<(), GitError> {
        let Ok(listing) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in listing.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if entry.file_name() == FSMONITOR_SOCKET {
                continue;
            }
            if kind.is_dir() {
                subdir(path);
            } else if kind.is_symlink() {
                self.link(&path)?;
            } else if !kind.is_file() {
                return Err(irregular(&path));
            }
        }
        Ok(())
    }

    /// A link must lead to a regular file or a directory, inside the roots. One that leads
    /// nowhere is as good as absent.
    fn link(&self, path: &Path) -> Result<(), GitError> {
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(());
        };
        if !meta.is_file() && !meta.is_dir() {
            return Err(irregular(path));
        }
        let (Some(roots), Ok(real)) = (&self.roots, path.canonicalize()) else {
            return Ok(());
        };
        if roots.iter().any(|root| real.starts_with(root)) {
            return Ok(());
        }
        Err(foreign(&format!(
            "{} is a link to {}, outside the repository",
            shown(path),
            shown(&real)
        )))
    }
}

/// Whether `dir` is one of the 256 directories of loose objects, `objects/00` to `ff`.
fn is_fan_out(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The object directories `objects/info/alternates` names that are directories (git skips
/// the rest), relative ones from `objects`.
fn alternates(objects: &Path) -> Vec<PathBuf> {
    let Some(text) = read_small(&objects.join("info/alternates")) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| objects.join(git::unquote(l)))
        .filter(|p| p.is_dir())
        .collect()
}

/// The git directory git would find from `dir`, and the working tree around it: `GIT_DIR`
/// (then no working tree is known), else the first `.git` above.
fn git_dir_before_git(dir: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    if let Some(env) = std::env::var_os("GIT_DIR").filter(|v| !v.is_empty()) {
        return Some((dir.join(env), None));
    }
    let start = std::path::absolute(dir).ok()?;
    let dot_git = start
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| g.symlink_metadata().is_ok())?;
    let top = dot_git.parent()?.to_path_buf();
    match std::fs::metadata(&dot_git) {
        Ok(m) if m.is_dir() => Some((dot_git, Some(top))),
        Ok(m) if m.is_file() => {
            let named = gitdir_line(&read_small(&dot_git)?)?;
            Some((top.join(named), Some(top)))
        }
        _ => None,
    }
}

/// How deep `include.path`s are followed: git's own limit is 10.
const INCLUDE_DEPTH: usize = 10;

/// Adds the files that the git config file `config` includes (`include.path`,
/// `includeIf.<condition>.path`), and those they include, to `files`. Read roughly: a
/// path missed here is a FIFO git may block on, never one tokenlint reads.
fn included(config: &Path, files: &mut Vec<PathBuf>, depth: usize) {
    if depth > INCLUDE_DEPTH {
        return;
    }
    let Some(text) = read_small(config) else {
        return;
    };
    let base = config.parent().unwrap_or(Path::new("."));
    let mut in_include = false;
    for line in text.lines().map(str::trim) {
        if let Some(section) = line.strip_prefix('[') {
            let name = section.to_ascii_lowercase();
            in_include = name.starts_with("include]") || name.starts_with("includeif ");
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if !in_include || !key.trim().eq_ignore_ascii_case("path") {
            continue;
        }
        let path = include_path(base, value.trim().trim_matches('"'));
        included(&path, files, depth + 1);
        files.push(path);
    }
}

/// An include's path as git resolves it: `~/` is the home directory, a relative path is
/// relative to the including file.
fn include_path(base: &Path, value: &str) -> PathBuf {
    match value.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => base.join(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gitdir_line_is_read() {
        assert_eq!(
            gitdir_line("gitdir: ../x/.git\n"),
            Some(PathBuf::from("../x/.git"))
        );
        assert_eq!(gitdir_line("nothing"), None);
        assert_eq!(gitdir_line("gitdir:   \n"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_is_refused_but_the_fsmonitor_daemon_s() {
        let dir = tempfile::tempdir().unwrap();
        let check = Irregular { roots: None };
        let _daemon =
            std::os::unix::net::UnixListener::bind(dir.path().join(FSMONITOR_SOCKET)).unwrap();
        assert!(check.entries(dir.path(), &mut |_| {}).is_ok());
        let _other = std::os::unix::net::UnixListener::bind(dir.path().join("other.ipc")).unwrap();
        let refused = check.entries(dir.path(), &mut |_| {}).unwrap_err();
        assert!(refused.message.contains("other.ipc"), "{}", refused.message);
    }

    #[test]
    fn config_includes_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(
            p.join("config"),
            "[core]\n\tpath = no\n[include]\n\tpath = one.inc\n\
             [includeIf \"gitdir:/x/\"]\n\tpath = \"/abs/two\"\n",
        )
        .unwrap();
        std::fs::write(p.join("one.inc"), "[include]\npath = ../three\n").unwrap();
        let mut files = Vec::new();
        included(&p.join("config"), &mut files, 0);
        assert_eq!(
            files,
            [
                p.join("../three"),
                p.join("one.inc"),
                PathBuf::from("/abs/two")
            ]
        );
    }
}
