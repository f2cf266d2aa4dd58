//! The CLI's token stores: where they are, resolved from the environment as the CLI
//! resolves them, and what they hold.
//!
//! The CLI uses `$REMOTIVE_CONFIG_DIR` (absolute paths only), else
//! `$XDG_CONFIG_HOME/remotive`, else `~/.config/remotive`, and migrates files out of the
//! legacy `~/.config/.remotive`. Each of them counts as a store. A project's own
//! `.remotive/` folder is a workspace, not a store.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::confine::Scope;
use crate::token_file::{self, TokenFile};

/// One token store directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDir {
    /// As resolved from the environment.
    pub path: PathBuf,
    /// The same, with symbolic links resolved, when it exists.
    canonical: Option<PathBuf>,
    /// `~/.config/.remotive`, which current CLIs migrate away from.
    pub legacy: bool,
    /// Where its files may lie: a store a configuration of the scanned tree names holds
    /// no link out of that configuration's directory.
    pub scope: Scope,
}

/// Every token store this environment names.
#[derive(Clone, Debug, Default)]
pub struct Stores {
    pub dirs: Vec<StoreDir>,
    /// The user's home directory, if known.
    pub home: Option<PathBuf>,
}

impl Stores {
    /// The stores named by this process's environment.
    pub fn from_env() -> Stores {
        Stores::resolve(|key| std::env::var_os(key))
    }

    /// The stores named by `env`.
    pub fn resolve(env: impl Fn(&str) -> Option<OsString>) -> Stores {
        let set = |key: &str| env(key).filter(|v| !v.is_empty()).map(PathBuf::from);
        let home = set("HOME");
        let mut dirs = Vec::new();
        if let Some(dir) = set("REMOTIVE_CONFIG_DIR").filter(|p| p.is_absolute()) {
            dirs.push(dir);
        }
        if let Some(xdg) = set("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
            dirs.push(xdg.join("remotive"));
        }
        let legacy = home.as_ref().map(|h| h.join(".config/.remotive"));
        if let Some(home) = &home {
            dirs.push(home.join(".config/remotive"));
        }
        dirs.extend(legacy.clone());
        let mut stores = Stores {
            dirs: Vec::new(),
            home,
        };
        for path in dirs {
            if stores.dirs.iter().all(|d| d.path != path) {
                stores.dirs.push(StoreDir {
                    canonical: path.canonicalize().ok(),
                    legacy: Some(&path) == legacy.as_ref(),
                    scope: Scope::Anywhere,
                    path,
                });
            }
        }
        stores
    }

    /// Adds more store directories (from the configuration), whose files lie in `scope`.
    pub fn add(&mut self, dirs: impl IntoIterator<Item = PathBuf>, scope: &Scope) {
        for path in dirs {
            if self.dirs.iter().all(|d| d.path != path) {
                self.dirs.push(StoreDir {
                    canonical: path.canonicalize().ok(),
                    legacy: false,
                    scope: scope.clone(),
                    path,
                });
            }
        }
    }

    /// The store `file` lies in, if any. Symbolic links are resolved on both sides.
    pub fn containing(&self, file: &Path) -> Option<&StoreDir> {
        let file = file.canonicalize().ok().or_else(|| absolute(file))?;
        self.dirs.iter().find(|d| {
            d.canonical.as_deref().is_some_and(|c| file.starts_with(c)) || file.starts_with(&d.path)
        })
    }

    /// The stores that exist.
    pub fn existing(&self) -> impl Iterator<Item = &StoreDir> {
        self.dirs.iter().filter(|d| d.canonical.is_some())
    }

    /// Every token file directly inside the existing stores, read once.
    pub fn token_files(&self) -> Vec<(PathBuf, TokenFile)> {
        let mut files = Vec::new();
        for dir in self.existing() {
            let Ok(entries) = std::fs::read_dir(&dir.path) else {
                continue;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                // A link out of the store's scope is not read.
                if let Some(file) = read_token_file_in(&path, &dir.scope) {
                    files.push((path, file));
                }
            }
        }
        files
    }
}

fn absolute(path: &Path) -> Option<PathBuf> {
    std::env::current_dir().ok().map(|cwd| cwd.join(path))
}

/// The token file at `path`, which must lie in `scope`, if it is a regular file and is
/// one. No more is read than tells a token file from a file too large to be one.
fn read_token_file_in(path: &Path, scope: &Scope) -> Option<TokenFile> {
    let name = path.file_name()?.to_string_lossy();
    let limit = token_file::MAX_TOKEN_FILE as u64 + 1;
    let (data, _) = crate::confine::read_in(path, scope, limit).ok()?;
    token_file::recognise(&name, &data)
}

/// The most of a candidate token file that is ever read: token files are tiny, and a
/// file named like one can be a sparse file of gigabytes.
pub const MAX_CANDIDATE: u64 = 1 << 20;

pub(crate) use crate::confine::read_regular;

/// What the stores know about a token, found by the hash of the token.
#[derive(Clone, Debug)]
pub struct StoredToken {
    pub path: PathBuf,
    pub file: TokenFile,
}

/// The tokens of the local stores by hash, for telling which token a hard-coded one is.
#[derive(Clone, Debug, Default)]
pub struct StoreIndex {
    by_hash: HashMap<String, StoredToken>,
}

impl StoreIndex {
    pub fn load(stores: &Stores) -> StoreIndex {
        let mut by_hash = HashMap::new();
        for (path, file) in stores.token_files() {
            if let Some(token) = &file.token {
                by_hash
                    .entry(token.value.hash())
                    .or_insert(StoredToken { path, file });
            }
        }
        StoreIndex { by_hash }
    }

    pub fn get(&self, secret_hash: &str) -> Option<&StoredToken> {
        self.by_hash.get(secret_hash)
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |key| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| OsString::from(v))
        }
    }

    fn paths(stores: &Stores) -> Vec<String> {
        stores
            .dirs
            .iter()
            .map(|d| d.path.display().to_string())
            .collect()
    }

    #[test]
    fn resolved_as_the_cli_resolves_them() {
        let s = Stores::resolve(env(&[("HOME", "/h")]));
        assert_eq!(paths(&s), ["/h/.config/remotive", "/h/.config/.remotive"]);
        assert!(s.dirs[1].legacy && !s.dirs[0].legacy);
        let s = Stores::resolve(env(&[
            ("HOME", "/h"),
            ("XDG_CONFIG_HOME", "/x"),
            ("REMOTIVE_CONFIG_DIR", "/r"),
        ]));
        assert_eq!(
            paths(&s),
            [
                "/r",
                "/x/remotive",
                "/h/.config/remotive",
                "/h/.config/.remotive"
            ]
        );
    }

    #[test]
    fn relative_config_dirs_are_ignored() {
        let s = Stores::resolve(env(&[
            ("HOME", "/h"),
            ("REMOTIVE_CONFIG_DIR", "rel/dir"),
            ("XDG_CONFIG_HOME", ""),
        ]));
        assert_eq!(paths(&s), ["/h/.config/remotive", "/h/.config/.remotive"]);
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("personal-token-fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        // Opened non-blocking: a FIFO with no writer is refused, not waited on.
        let err = read_regular(&fifo, 10).unwrap_err();
        assert_eq!(err.to_string(), "refused: it is not a regular file");
        assert!(read_regular(Path::new("/dev/zero"), 10).is_err());
        assert!(read_token_file_in(&fifo, &Scope::Anywhere).is_none());
        let file = dir.path().join("personal-token-big.json");
        std::fs::write(&file, "x".repeat(100)).unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), (vec![b'x'; 10], true));
        assert_eq!(read_regular(&file, 100).unwrap(), (vec![b'x'; 100], false));
    }

    #[test]
    fn containing_resolves_links_and_rejects_workspaces() {
        let home = tempfile::tempdir().unwrap();
        let store = home.path().join(".config/remotive");
        std::fs::create_dir_all(&store).unwrap();
        std::fs::write(store.join("personal-token-a.json"), "{}").unwrap();
        let workspace = home.path().join("project/.remotive");
        std::fs::create_dir_all(&workspace).unwrap();
        std::fs::write(workspace.join("personal-token-a.json"), "{}").unwrap();
        let h = home.path().to_string_lossy().into_owned();
        let stores = Stores::resolve(env(&[("HOME", &h)]));
        assert!(stores
            .containing(&store.join("personal-token-a.json"))
            .is_some());
        assert!(stores
            .containing(&workspace.join("personal-token-a.json"))
            .is_none());
        #[cfg(unix)]
        {
            let link = home.path().join("link");
            std::os::unix::fs::symlink(&store, &link).unwrap();
            assert!(stores
                .containing(&link.join("personal-token-a.json"))
                .is_some());
        }
    }
}
