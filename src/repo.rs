//! Which repository git would read, and whether it is this working tree's own.
//!
//! A directory someone sent can hold a `.git` *file* (`gitdir: /home/me/private/.git`), a
//! `.git/commondir`, or a `.git/refs` link that hands git another repository: the user's
//! own private one. `scan --history` would then print its authors, paths and lines, and
//! `install-hook` would write into it. So the git directory must lie inside the working
//! tree, or be one of the things git and its users make: a linked worktree's (`git
//! worktree add`), a submodule's (under `modules/` of the git directory of a repository or
//! linked worktree around this one), or the directory a `.git` symlink leads to when it lies
//! in no other working tree (Google's `repo` makes those). A `GIT_DIR`, or
//! `TOKENLINT_TRUST_GIT_DIR=1`, in the environment is the user's choice (git sets neither
//! for a hook, and a repository can set neither) and is honoured.
//!
//! A repository without a working tree (a bare one: a server's, a `--mirror` clone) is
//! its own when git found it where it was asked, at or above that directory, sharing no
//! other repository's files (no `commondir`) and linking no ref out of it.
//!
//! Only the files git reads to find refs and objects must not be linked out: `hooks/`,
//! `logs/` or `info/exclude` shared from the user's dotfiles are the user's own.
//!
//! git also blocks, for ever, on a file of the git directory that is a FIFO (its
//! `info/exclude`, its `config`, a file that config includes): those are looked at before
//! any git command runs, and refused.

use std::path::{Path, PathBuf};

use crate::git::{self, GitError};
use crate::shown::clean_path as shown;

/// A repository: its top, its git directory and the git directory all its worktrees
/// share, all absolute and with their links resolved.
#[derive(Clone, Debug)]
pub(crate) struct Repo {
    /// The top of the working tree; for a repository without one (a bare repository, a
    /// `--mirror` clone, a git directory named itself), its git directory: where git runs,
    /// and what the report's paths are relative to.
    pub top: PathBuf,
    pub git_dir: PathBuf,
    pub common: PathBuf,
    /// No working tree: `top` is the git directory.
    pub bare: bool,
    /// Where git was asked from, links resolved: a bare repository must hold it.
    from: PathBuf,
}

/// The repository around `dir`, refused when its git directory is another repository's.
pub(crate) fn open(dir: &Path) -> Result<Repo, GitError> {
    let repo = open_unchecked(dir)?;
    repo.check_own()?;
    Ok(repo)
}

/// The repository around `dir`, which must have a working tree (`scan --staged` reads
/// its index).
pub(crate) fn open_work_tree(dir: &Path) -> Result<Repo, GitError> {
    let repo = open(dir)?;
    if repo.bare {
        return Err(GitError {
            message: format!(
                "{} is a git directory with no working tree (a bare repository?)",
                shown(&repo.git_dir)
            ),
            help: Some("run it inside a working tree".into()),
        });
    }
    Ok(repo)
}

/// Refuses `dir`, named with `--git-dir`, unless it is a git directory: the one git finds
/// from it.
pub(crate) fn require_git_dir(dir: &Path) -> Result<(), GitError> {
    let not_one = || GitError {
        message: format!("{} is not a git directory", shown(dir)),
        help: Some(
            "name a bare repository, a `--mirror` clone or a `.git` directory; for a working \
             tree, give its path instead"
                .into(),
        ),
    };
    let out = git::git(dir, &["rev-parse", "--absolute-git-dir"]).map_err(|_| not_one())?;
    let found = git::path_line(out)?;
    match (found.canonicalize(), dir.canonicalize()) {
        (Ok(found), Ok(named)) if found == named => Ok(()),
        _ => Err(not_one()),
    }
}

/// The directory a report of the history of the repository around `dir` is relative to:
/// the top of its working tree, else its git directory.
pub(crate) fn report_top(dir: &Path) -> Option<PathBuf> {
    git::toplevel(dir).ok().or_else(|| {
        git::git(dir, &["rev-parse", "--absolute-git-dir"])
            .and_then(git::path_line)
            .ok()
    })
}

/// The repository around `dir`, whatever its git directory is (for `install-hook
/// --force`); still refused when git would block on one of its files.
pub(crate) fn open_unchecked(dir: &Path) -> Result<Repo, GitError> {
    refuse_blocking_files(dir)?;
    let ask = |what: &[&str]| -> Result<Vec<u8>, GitError> {
        git::git(
            dir,
            &[&["rev-parse", "--path-format=absolute"], what].concat(),
        )
        .map_err(|e| GitError {
            help: Some("run it inside a git repository, or name one with --git-dir".into()),
            ..e
        })
    };
    // One git for three answers, a line each: a path with a line break is refused.
    let out = ask(&[
        "--absolute-git-dir",
        "--git-common-dir",
        "--is-inside-work-tree",
    ])?;
    let lines: Vec<&[u8]> = out
        .strip_suffix(b"\n")
        .unwrap_or(&out)
        .split(|b| *b == b'\n')
        .collect();
    let [git_dir, common, inside] = lines[..] else {
        return Err(GitError {
            message: "refused: git named a git directory with a line break".into(),
            help: None,
        });
    };
    let path = |line: &[u8]| -> Result<PathBuf, GitError> {
        let path = git::path_line(line.to_vec())?;
        Ok(path.canonicalize().unwrap_or(path))
    };
    let (git_dir, common) = (path(git_dir)?, path(common)?);
    let bare = inside != b"true";
    let top = match bare {
        true => git_dir.clone(),
        false => path(&ask(&["--show-toplevel"])?)?,
    };
    let from = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    Ok(Repo {
        top,
        git_dir,
        common,
        bare,
        from,
    })
}

impl Repo {
    /// Refuses a git directory that is not this working tree's own, and one whose refs or
    /// objects are linked out of it; unless `GIT_DIR` names it.
    pub(crate) fn check_own(&self) -> Result<(), GitError> {
        if trusted() {
            return Ok(());
        }
        if self.bare {
            return self.check_own_git_dir();
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

    /// Whether the repository is a shallow clone, whose history is cut short. Answered as
    /// git answers `rev-parse --is-shallow-repository` (`is_repository_shallow`): its
    /// common directory's `shallow` file can be opened for reading. Looked at, not asked
    /// of another git: a push's hook starts as few processes as it can. Opened without
    /// blocking, should it be a FIFO (git would block on it: [`open`] refuses one). With a
    /// `GIT_SHALLOW_FILE` in the environment (`receive-pack` names a temporary one for a
    /// push of a shallow history), git is asked: that file is what it reads.
    pub(crate) fn is_shallow(&self) -> bool {
        if std::env::var_os("GIT_SHALLOW_FILE").is_some() {
            return git::is_shallow(&self.top);
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        options.open(self.common.join("shallow")).is_ok()
    }

    /// A repository without a working tree is its own when git found it where it was
    /// asked, at or above that directory (not through a `.git` file naming it), shares no
    /// other's files (no `commondir`), and links none of its refs out of it.
    fn check_own_git_dir(&self) -> Result<(), GitError> {
        if !self.from.starts_with(&self.git_dir) {
            return Err(foreign(&format!(
                "{} hands git the repository {}, which does not hold it",
                shown(&self.from),
                shown(&self.git_dir)
            )));
        }
        if self.common != self.git_dir {
            return Err(foreign(&format!(
                "{} shares the files of the repository {}",
                shown(&self.git_dir),
                shown(&self.common)
            )));
        }
        self.refuse_links_out(std::slice::from_ref(&self.git_dir))
    }

    /// Refuses refs, `HEAD` or an index linked out of `roots`, where the repository's files
    /// lie: `git-new-workdir` does that, and so could a stranger. Objects may lie anywhere,
    /// as alternates may: only what the refs name is read.
    fn refuse_links_out(&self, roots: &[PathBuf]) -> Result<(), GitError> {
        let read = [
            (&self.git_dir, "HEAD"),
            (&self.git_dir, "index"),
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
        if self.is_submodule() || self.is_linked_dot_git() {
            return Some(vec![self.git_dir.clone()]);
        }
        None
    }

    /// `git worktree add` made it: the git directory is `<common>/worktrees/<name>`, and
    /// its `gitdir` file points back at this working tree's `.git` file.
    fn is_linked_worktree(&self) -> bool {
        is_worktree_of(&self.git_dir, &self.common, &self.top)
    }

    /// `git submodule` made it: the git directory lies under `modules/` of the git
    /// directory of a repository whose working tree holds this one: a `.git` directory, or
    /// a linked worktree's. `modules/` is not followed if it is a link.
    fn is_submodule(&self) -> bool {
        self.common == self.git_dir
            && self.top.ancestors().skip(1).any(|above| {
                own_git_dir(above).is_some_and(|g| self.git_dir.starts_with(g.join("modules")))
            })
    }

    /// The user linked `.git` to a git directory elsewhere (Google's `repo` does): only a
    /// user makes a `.git` link, for git refuses to check one out. An archive could hold
    /// one, so the directory it leads to must lie in no other repository's working tree.
    fn is_linked_dot_git(&self) -> bool {
        let dot_git = self.top.join(".git");
        dot_git.symlink_metadata().is_ok_and(|m| m.is_symlink())
            && self.common == self.git_dir
            && self
                .git_dir
                .ancestors()
                .skip(1)
                .all(|above| above.join(".git").symlink_metadata().is_err())
    }
}

/// Whether `git_dir` is `<common>/worktrees/<name>`, made by `git worktree add` for the
/// working tree `top`: its `gitdir` file points back at `top/.git`, which only git (or the
/// user) writes into `common`.
fn is_worktree_of(git_dir: &Path, common: &Path, top: &Path) -> bool {
    let worktrees = common.join("worktrees").canonicalize();
    let back = read_small(&git_dir.join("gitdir"));
    git_dir.parent().map(Path::to_path_buf) == worktrees.ok()
        && back.is_some_and(|b| {
            let back = PathBuf::from(b.trim_end_matches(['\n', '\r']));
            back.canonicalize().ok() == top.join(".git").canonicalize().ok()
        })
}

/// The git directory of the working tree `top`, when it is its own: a `.git` directory,
/// or the linked worktree's that its `.git` file names. Links resolved.
fn own_git_dir(top: &Path) -> Option<PathBuf> {
    let dot_git = top.join(".git");
    let meta = dot_git.symlink_metadata().ok()?;
    if meta.is_dir() {
        return dot_git.canonicalize().ok();
    }
    let git_dir = gitfile_target(&dot_git).filter(|_| meta.is_file())?;
    let common = git_dir.parent()?.parent()?;
    is_worktree_of(&git_dir, common, top).then_some(git_dir)
}

/// Whether the user said, in the environment, which git directory to read: `GIT_DIR`, or
/// `TOKENLINT_TRUST_GIT_DIR=1`. A scanned repository can set neither.
fn trusted() -> bool {
    std::env::var_os("GIT_DIR").is_some_and(|v| !v.is_empty())
        || std::env::var_os(TRUST_VAR).is_some_and(|v| v == "1")
}

/// The environment variable with which the user vouches for the git directory.
pub(crate) const TRUST_VAR: &str = "TOKENLINT_TRUST_GIT_DIR";

fn foreign(message: &str) -> GitError {
    GitError {
        message: format!("refused: {message}"),
        help: Some(
            "a directory from elsewhere can name another repository, yours, for git to read; \
             if this one is yours, run with TOKENLINT_TRUST_GIT_DIR=1 in the environment \
             (a pre-commit hook's included), or name it: GIT_DIR=<git directory> \
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
    let roots = top.filter(|_| !trusted()).map(|top| {
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
        self.entries(git_dir, top_level, &mut |_| {})?;
        self.entries(&git_dir.join("info"), in_info, &mut |_| {})?;
        self.entries(&git_dir.join("reftable"), |_| Reach::Inside, &mut |_| {})?;
        self.tree(&git_dir.join("refs"))?;
        let mut worktrees = Vec::new();
        self.entries(&git_dir.join("worktrees"), |_| Reach::Inside, &mut |e| {
            worktrees.push(e)
        })?;
        for worktree in worktrees {
            self.entries(&worktree, top_level, &mut |_| {})?;
            self.tree(&worktree.join("refs"))?;
        }
        Ok(())
    }

    /// An object directory: its indexes, its packs, its loose objects' 256 fan-out
    /// directories, and the object directories its `info/alternates` names, which may
    /// lie anywhere (`git clone --reference`).
    fn objects(&self, objects: &Path, depth: usize) -> Result<(), GitError> {
        let mut fan_out = Vec::new();
        self.entries(objects, anywhere, &mut |e| fan_out.push(e))?;
        for sub in [
            "info",
            "info/commit-graphs",
            "pack",
            "pack/multi-pack-index.d",
        ] {
            self.entries(&objects.join(sub), anywhere, &mut |_| {})?;
        }
        for dir in fan_out.iter().filter(|d| is_fan_out(d)) {
            self.entries(dir, anywhere, &mut |_| {})?;
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
            self.entries(&dir, |_| Reach::Inside, &mut |sub| pending.push(sub))?;
        }
        Ok(())
    }

    /// Refuses an entry of `dir` that is neither a regular file nor a directory, nor a link
    /// to one, as far as `reach` lets it lead; hands each real directory among them to
    /// `subdir`. A directory that cannot be read is git's affair.
    fn entries(
        &self,
        dir: &Path,
        reach: fn(&std::ffi::OsStr) -> Reach,
        subdir: &mut dyn FnMut(PathBuf),
    ) -> Result<(), GitError> {
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
                self.link(&path, reach(&entry.file_name()))?;
            } else if !kind.is_file() {
                return Err(irregular(&path));
            }
        }
        Ok(())
    }

    /// A link must lead to a regular file or a directory, and as far as `reach` says. One
    /// that leads nowhere is as good as absent.
    fn link(&self, path: &Path, reach: Reach) -> Result<(), GitError> {
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(());
        };
        if !meta.is_file() && !meta.is_dir() {
            return Err(irregular(path));
        }
        match reach {
            Reach::Anywhere => return Ok(()),
            Reach::SmallFile if meta.is_file() && meta.len() <= LINKED_FILE_CAP => return Ok(()),
            Reach::SmallFile => return Err(not_small(path)),
            Reach::Inside => {}
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

/// How far a link in the git directory may lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// Inside the repository: git reads refs and objects through it, another repository's
    /// if it led there.
    Inside,
    /// To a regular file of at most [`LINKED_FILE_CAP`] bytes, anywhere: git reads it
    /// whole, and must not block on it (`config`, `info/exclude` shared from dotfiles).
    SmallFile,
    /// Anywhere: git reads nothing through it in the commands tokenlint runs (`hooks/`,
    /// `logs/`, `description`), or reads only what the refs name (objects).
    Anywhere,
}

/// The largest file a `config` or `info/exclude` link may lead to.
const LINKED_FILE_CAP: u64 = 16 << 20;

/// How far a link among a git directory's entries may lead, by its name.
fn top_level(name: &std::ffi::OsStr) -> Reach {
    match name.to_str().unwrap_or("") {
        "HEAD" | "commondir" | "gitdir" | "index" | "packed-refs" | "shallow" | "refs"
        | "reftable" | "worktrees" | "modules" => Reach::Inside,
        "config" | "config.worktree" => Reach::SmallFile,
        _ => Reach::Anywhere,
    }
}

/// How far a link among the entries of a git directory's `info/` may lead.
fn in_info(name: &std::ffi::OsStr) -> Reach {
    match name.to_str().unwrap_or("") {
        "exclude" | "attributes" => Reach::SmallFile,
        _ => Reach::Anywhere,
    }
}

fn anywhere(_: &std::ffi::OsStr) -> Reach {
    Reach::Anywhere
}

fn not_small(path: &Path) -> GitError {
    GitError {
        message: format!(
            "refused: {} is a link to something other than a regular file of at most {} MiB",
            shown(path),
            LINKED_FILE_CAP >> 20
        ),
        help: Some("make it a regular file, or a link to one".into()),
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

/// The git directory git would find from `dir`, and the directory that owns it: `GIT_DIR`
/// (then none is known), else, as git looks, the first `.git` above (owned by the working
/// tree around it) or the first directory that is a git directory itself (a bare
/// repository, which owns itself).
fn git_dir_before_git(dir: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    if let Some(env) = std::env::var_os("GIT_DIR").filter(|v| !v.is_empty()) {
        return Some((dir.join(env), None));
    }
    let start = std::path::absolute(dir).ok()?;
    for above in start.ancestors() {
        let dot_git = above.join(".git");
        if dot_git.symlink_metadata().is_ok() {
            return dot_git_target(&dot_git, above);
        }
        if looks_like_git_dir(above) {
            return Some((above.to_path_buf(), Some(above.to_path_buf())));
        }
    }
    None
}

/// The git directory a `.git` entry in `top` stands for, owned by `top`.
fn dot_git_target(dot_git: &Path, top: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let top = top.to_path_buf();
    match std::fs::metadata(dot_git) {
        Ok(m) if m.is_dir() => Some((dot_git.to_path_buf(), Some(top))),
        Ok(m) if m.is_file() => {
            let named = gitdir_line(&read_small(dot_git)?)?;
            Some((top.join(named), Some(top)))
        }
        _ => None,
    }
}

/// Whether `dir` is a git directory as git tells one: `HEAD`, `objects` and `refs` in it.
fn looks_like_git_dir(dir: &Path) -> bool {
    ["HEAD", "objects", "refs"]
        .iter()
        .all(|name| dir.join(name).symlink_metadata().is_ok())
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
        assert!(check.entries(dir.path(), anywhere, &mut |_| {}).is_ok());
        let _other = std::os::unix::net::UnixListener::bind(dir.path().join("other.ipc")).unwrap();
        let refused = check
            .entries(dir.path(), anywhere, &mut |_| {})
            .unwrap_err();
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
