//! `tokenlint install-hook`: writes the plain git pre-commit hook (or, with `--pre-push`,
//! the pre-push one). The hooks directory and
//! the hook already there come from the repository, so neither is trusted: a symlinked hook
//! is replaced, never written through, and a `core.hooksPath` outside the repository is
//! used only with `--force`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::confine::resolved;
use crate::git::{self, GitError};

/// How to install tokenlint, as the README says: a macro, so that [`HOOK`] can include it.
macro_rules! install_command {
    () => {
        "cargo install --locked --git https://github.com/tokenlint/tokenlint tokenlint"
    };
}

/// The hook `install-hook` writes. `--` ends the options: nothing after it is one.
pub(crate) const HOOK: &str = concat!(
    "#!/bin/sh\n",
    "# Installed by `tokenlint install-hook`: refuse commits that stage a RemotiveCloud token.\n",
    "if ! command -v tokenlint >/dev/null 2>&1; then\n",
    "  echo 'tokenlint: not on PATH; install it (",
    install_command!(),
    ") or skip with git commit --no-verify' >&2\n",
    "  exit 1\n",
    "fi\n",
    "exec tokenlint scan --staged --hook --\n",
);

/// The pre-push hook `install-hook --pre-push` writes: git's arguments (the remote's name
/// and URL) passed on, its standard input read by tokenlint.
pub(crate) const PRE_PUSH_HOOK: &str = concat!(
    "#!/bin/sh\n",
    "# Installed by `tokenlint install-hook --pre-push`: refuse pushes of commits that hold a\n",
    "# RemotiveCloud token.\n",
    "if ! command -v tokenlint >/dev/null 2>&1; then\n",
    "  echo 'tokenlint: not on PATH; install it (",
    install_command!(),
    ") or skip with git push --no-verify' >&2\n",
    "  exit 1\n",
    "fi\n",
    "exec tokenlint hook pre-push -- \"$@\"\n",
);

/// Which git hook `install-hook` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GitHook {
    /// `pre-commit`: `scan --staged`.
    #[default]
    PreCommit,
    /// `pre-push`: `hook pre-push`.
    PrePush,
}

impl GitHook {
    /// The hook's file name, as git looks for it.
    pub fn name(self) -> &'static str {
        match self {
            GitHook::PreCommit => "pre-commit",
            GitHook::PrePush => "pre-push",
        }
    }

    fn script(self) -> &'static str {
        match self {
            GitHook::PreCommit => HOOK,
            GitHook::PrePush => PRE_PUSH_HOOK,
        }
    }

    /// The line that chains tokenlint from a hook of this name that exists already.
    fn chained(self) -> &'static str {
        match self {
            GitHook::PreCommit => "tokenlint scan --staged || exit 1",
            GitHook::PrePush => {
                "tokenlint hook pre-push -- \"$@\" || exit 1 (git's input read once)"
            }
        }
    }
}

/// Writes the `pre-commit` (or `pre-push`) hook of the repository around `dir` and returns
/// its path. An existing hook is replaced, and a hooks directory outside the repository
/// used, only with `force`.
pub(crate) fn install_hook(dir: &Path, force: bool, hook: GitHook) -> Result<PathBuf, GitError> {
    let repo = crate::repo::open_unchecked(dir)?;
    if !force {
        repo.check_own().map_err(|e| GitError {
            help: Some(format!(
                "{}; or write the hook there anyway with `tokenlint install-hook --force`",
                e.help.as_deref().unwrap_or_default()
            )),
            ..e
        })?;
    }
    let hooks = resolved(&git::hooks_dir(dir)?);
    let inside = [&repo.common, &repo.top]
        .into_iter()
        .any(|root| hooks.starts_with(resolved(root)));
    if !inside && !force {
        return Err(GitError {
            message: format!(
                "core.hooksPath points outside this repository: {}",
                shown(&hooks)
            ),
            help: Some(
                "a hook there may run for other repositories too; write it anyway with \
                 `tokenlint install-hook --force`, or unset core.hooksPath"
                    .into(),
            ),
        });
    }
    let path = hooks.join(hook.name());
    // A link counts as a hook even when it points nowhere.
    if path.symlink_metadata().is_ok() && !force {
        return Err(GitError {
            message: format!("a {} hook exists already: {}", hook.name(), shown(&path)),
            help: Some(format!(
                "replace it with `tokenlint install-hook --force`, or chain tokenlint from it: \
                 add the line `{}`",
                hook.chained()
            )),
        });
    }
    std::fs::create_dir_all(&hooks).map_err(|e| failed("create", &hooks, &e))?;
    replace(&hooks, &path, hook.script()).map_err(|e| failed("write", &path, &e))?;
    Ok(path)
}

pub(crate) use crate::shown::clean_path as shown;

fn failed(what: &str, path: &Path, e: &io::Error) -> GitError {
    GitError {
        message: format!("cannot {what} {}: {e}", shown(path)),
        help: None,
    }
}

/// Writes the hook to a new file in `dir`, then renames it over `path`: a link at `path`
/// is replaced, and what it points to is left as it is.
fn replace(dir: &Path, path: &Path, script: &str) -> io::Result<()> {
    let mut file = tempfile::Builder::new()
        .prefix(".hook.tokenlint-")
        .tempfile_in(dir)?;
    file.write_all(script.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o755))?;
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_ends_its_options_and_names_the_readme_install_command() {
        assert!(HOOK.contains("exec tokenlint scan --staged --hook --\n"));
        assert!(HOOK.contains(install_command!()));
        assert!(!HOOK.contains("cargo install tokenlint"));
        assert!(include_str!("../README.md").contains(install_command!()));
    }

    #[test]
    fn resolved_paths_are_plain() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("sub")).unwrap();
        let path = real.join("sub/../.git/./hooks");
        assert_eq!(resolved(&path), real.join(".git/hooks"));
    }
}
