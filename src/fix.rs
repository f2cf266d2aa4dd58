//! `tokenlint audit --fix`: what is safe and reversible, done, and the rest said.
//!
//! It chmods token files to 0600 and stores to 0700, and moves token files downloaded to
//! `~`, `~/Downloads` or `~/Desktop` (and, with `--migrate-legacy`, the legacy store's)
//! into the current store. A move never overwrites: the file is hard-linked under its new
//! name, which fails if that name is taken, then unlinked; across file systems it is
//! copied to a new file (`O_EXCL`), synced, then removed. Links are never followed: a
//! token file that is a symbolic link, or a store that is one, is left alone and reported.
//! A file with other hard links is copied, never linked into the store or chmodded: its
//! other links share its inode, and may lie outside `$HOME`.
//!
//! It never edits shell history or start-up files, never deletes a token that has expired
//! (it must be revoked first) and touches nothing outside `$HOME` and the stores: each of
//! these is an [`ActionRow`] that says what is left and how to finish it.

use std::path::{Path, PathBuf};

use crate::audit::{Audited, Found, Origin};
use crate::options::FixRequest;
use crate::report::ActionRow;
use crate::rules::BuiltinRule;
use crate::store::Stores;
use crate::token::TokenKind;
use crate::token_file::{self, Layout};

/// What `--fix` will do, before it is done. No `Debug`: a move holds a token file's bytes.
enum Step {
    /// chmod 600 a token file.
    ChmodFile(PathBuf),
    /// chmod 700 a store directory.
    ChmodDir(PathBuf),
    /// Move a token file, whose audited content is `data`, to `to`; or, when `to` holds
    /// the same bytes already (`duplicate`), remove it.
    Move {
        from: PathBuf,
        data: Vec<u8>,
        to: PathBuf,
        duplicate: bool,
    },
    /// Nothing can be done: why, and how to finish.
    Left {
        path: String,
        reason: String,
        how: String,
    },
}

/// Plans and, unless `--dry-run`, carries out the fixes of `audited`: one row per step,
/// saying what was done (or would be), or what is left and how to finish it.
pub(crate) fn fix(audited: &Audited, stores: &Stores, request: FixRequest) -> Vec<ActionRow> {
    let steps = plan(audited, stores, request);
    steps
        .into_iter()
        .map(|step| match request.dry_run {
            true => planned(step),
            false => carry_out(step),
        })
        .collect()
}

/// The rows for what a fix cannot do about `audited`'s findings in shell history,
/// start-up files and the environment: for the table after the fixes.
pub(crate) fn left_by_findings(audited: &Audited) -> Vec<ActionRow> {
    let outcome = &audited.outcome;
    outcome
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .filter_map(|f| {
            let reason = match BuiltinRule::from_id(&f.rule_id)? {
                BuiltinRule::InShellHistory => "shell history",
                BuiltinRule::InStartupFile => "start-up or config file",
                BuiltinRule::InEnvironment => "environment variable",
                _ => return None,
            };
            let path = match f.path.starts_with('$') {
                true => f.path.clone(),
                false => format!("{}:{}", f.path, f.position.line),
            };
            Some(left(path, reason, &how_for(f)))
        })
        .collect()
}

/// How to finish what a finding of a place says: its own advice, which starts at
/// "delete line" (a stored token's name, before it, may hold anything); a variable's whole
/// message.
fn how_for(f: &crate::finding::Finding) -> String {
    match f.message.rfind(": delete line ") {
        Some(at) if !f.path.starts_with('$') => f.message[at + 2..].to_string(),
        _ => f.message.clone(),
    }
}

fn left(path: String, reason: &str, how: &str) -> ActionRow {
    ActionRow {
        action: format!("left: {reason}"),
        path,
        to: None,
        detail: how.to_string(),
        done: false,
    }
}

/// The steps, in order: stores first, then each token file.
fn plan(audited: &Audited, stores: &Stores, request: FixRequest) -> Vec<Step> {
    let mut steps: Vec<Step> = audited
        .loose_stores
        .iter()
        .map(|dir| match is_link(dir) {
            true => Step::Left {
                path: dir.display().to_string(),
                reason: "store is a symbolic link".into(),
                how: "run `chmod 700` on the directory it points to".into(),
            },
            false => Step::ChmodDir(dir.clone()),
        })
        .collect();
    let target = current_store(stores);
    let mut taken: Vec<PathBuf> = Vec::new();
    for found in &audited.found {
        steps.extend(file_step(
            found,
            audited,
            target.as_deref(),
            request,
            &mut taken,
        ));
    }
    if !cfg!(unix) {
        for step in &mut steps {
            if !matches!(step, Step::Left { .. }) {
                *step = Step::Left {
                    path: step_path(step),
                    reason: "not on Unix".into(),
                    how: "`audit --fix` changes files on Unix only: fix this by hand".into(),
                };
            }
        }
    }
    steps
}

fn step_path(step: &Step) -> String {
    match step {
        Step::ChmodFile(p) | Step::ChmodDir(p) | Step::Move { from: p, .. } => {
            p.display().to_string()
        }
        Step::Left { path, .. } => path.clone(),
    }
}

/// The store new files go to: `$REMOTIVE_CONFIG_DIR` (absolute), else
/// `$XDG_CONFIG_HOME/remotive`, else `~/.config/remotive`: the first store the
/// environment names that is not the legacy one.
fn current_store(stores: &Stores) -> Option<PathBuf> {
    stores
        .dirs
        .iter()
        .find(|d| !d.legacy)
        .map(|d| d.path.clone())
}

/// What to do with one token file: nothing, or its steps.
fn file_step(
    found: &Found,
    audited: &Audited,
    target: Option<&Path>,
    request: FixRequest,
    taken: &mut Vec<PathBuf>,
) -> Vec<Step> {
    let shown = found.shown.clone();
    let leave = |reason: &str, how: String| Step::Left {
        path: shown.clone(),
        reason: reason.to_string(),
        how,
    };
    let expired = audited
        .outcome
        .findings
        .iter()
        .any(|f| f.path == found.shown && f.rule_id == BuiltinRule::Expired.id());
    let wants_move = match found.origin {
        Origin::Downloaded => true,
        Origin::Store { legacy: true } => request.migrate_legacy,
        Origin::Store { legacy: false } | Origin::Elsewhere => false,
    };
    let needs_something =
        found.loose || wants_move || expired || found.origin == (Origin::Store { legacy: true });
    if found.origin == Origin::Elsewhere {
        return vec![leave(
            "outside $HOME's download folders and the stores",
            "`--fix` does not touch it: move it into the store or delete it yourself".into(),
        )];
    }
    if !needs_something {
        return Vec::new();
    }
    if is_link(&found.path) {
        return vec![leave(
            "symbolic link",
            "`--fix` never follows links: fix the file it points to, or remove the link".into(),
        )];
    }
    if found.path.parent().is_some_and(is_link) {
        // `~/Downloads` (or a store) that is a link may point anywhere, outside `$HOME` too.
        return vec![leave(
            "in a folder that is a symbolic link",
            "`--fix` never follows links, which may lead outside $HOME: fix the file where the \
             link points yourself"
                .into(),
        )];
    }
    if expired {
        return vec![leave("expired", revoke_step(&found.file))];
    }
    if found.origin == (Origin::Store { legacy: true }) && !request.migrate_legacy {
        // Left where older CLIs read it, but no longer readable by others.
        let chmod = found.loose.then(|| Step::ChmodFile(found.path.clone()));
        let left = leave(
            "legacy store",
            "older CLIs still read it: run `tokenlint audit --fix --migrate-legacy` to move it \
             into the store"
                .into(),
        );
        return chmod.into_iter().chain([left]).collect();
    }
    if !wants_move {
        return vec![Step::ChmodFile(found.path.clone())];
    }
    let Some(store) = target else {
        return vec![leave("no store", "set HOME or REMOTIVE_CONFIG_DIR".into())];
    };
    if is_link(store) {
        // As its chmod, a move never goes through a link: it may point anywhere.
        return vec![leave(
            "store is a symbolic link",
            "`--fix` never moves a token through a link: move it yourself into the directory \
             the store points to, if that directory is yours and no one else can write to it"
                .into(),
        )];
    }
    if let Some(step) = same_token_in_store(found, audited, store) {
        return vec![step];
    }
    let Some(name) = store_name(found) else {
        return vec![leave(
            "not a complete token file",
            "it cannot be filed in the store: delete it, or fetch a new token file".into(),
        )];
    };
    let to = store.join(name);
    if taken.contains(&to) {
        return vec![leave(
            "same name as another file being moved",
            format!("move it yourself to {} under another name", store.display()),
        )];
    }
    taken.push(to.clone());
    let there = to.symlink_metadata().is_ok();
    let limit = token_file::MAX_TOKEN_FILE as u64 + 1;
    let same = |(data, _): (Vec<u8>, bool)| data == found.data;
    if there && !crate::confine::read_regular(&to, limit).is_ok_and(same) {
        return vec![leave(
            "a different file by this name is in the store",
            format!(
                "compare it with {} and delete the one you do not need",
                to.display()
            ),
        )];
    }
    vec![Step::Move {
        from: found.path.clone(),
        data: found.data.clone(),
        to,
        duplicate: there,
    }]
}

/// How to revoke an expired token, then be rid of its file. remotivelabs-cli (0.42) revokes
/// a service account's token (`remotive cloud service-accounts tokens revoke`, which also
/// deletes it from the store), but has no command for a personal token: that is done on
/// RemotiveCloud's tokens page. The name goes into the command only when it is a plain
/// word (it comes from a hostile file); else the command holds `<name>`.
fn revoke_step(file: &token_file::TokenFile) -> String {
    let shown = crate::hygiene::display_name(file);
    match file.kind() {
        Some(TokenKind::ServiceAccount) => {
            let name = file
                .name
                .as_deref()
                .filter(|n| !n.is_empty() && safe_name(n) == *n)
                .unwrap_or("<name>");
            format!(
                "revoke the service-account token {shown} with \
                 `remotive cloud service-accounts tokens revoke {name} --service-account \
                 <account> --project <project>`, then delete this file if it is still here"
            )
        }
        _ => format!(
            "revoke the personal token {shown} on RemotiveCloud's tokens page (account menu, \
             Tokens; the CLI has no command for it), then delete this file"
        ),
    }
}

/// What to do with a download whose token a file in `store` holds already: remove it
/// when the two are byte-identical, else leave it (two files with one token are one too
/// many, and which to keep is the user's call). `None` when the store lacks the token.
fn same_token_in_store(found: &Found, audited: &Audited, store: &Path) -> Option<Step> {
    let token = found.file.token.as_ref()?;
    let kept = audited.found.iter().find(|f| {
        f.path.parent() == Some(store)
            && f.path != found.path
            && f.file
                .token
                .as_ref()
                .is_some_and(|t| t.value == token.value)
    })?;
    Some(match kept.data == found.data {
        true => Step::Move {
            from: found.path.clone(),
            data: found.data.clone(),
            to: kept.path.clone(),
            duplicate: true,
        },
        false => Step::Left {
            path: found.shown.clone(),
            reason: "the store holds this token already".into(),
            how: format!("{} holds it: delete this copy", kept.path.display()),
        },
    })
}

/// The name the file gets in the store: its own when it follows the CLI's naming, else
/// `personal-token-<name>.json` or `service-account-token-<name>.json`, the name made safe
/// (the file is hostile: its name cannot hold `/` or `..`). `None` for a file with no
/// token, an unknown kind, or the legacy plaintext layout.
fn store_name(found: &Found) -> Option<String> {
    let file = &found.file;
    if file.token.is_none() || file.layout == Layout::Plaintext || !file.problems.is_empty() {
        return None;
    }
    let own = found.path.file_name()?.to_str()?;
    // A name that holds a token (`%2F` for its slash) would file the token in the store's
    // listing: such a file gets a name of its own.
    let holds_token = matches!(crate::token::redact_tokens(own), std::borrow::Cow::Owned(_));
    if token_file::is_token_file_name(own)
        && own != token_file::LEGACY_PLAINTEXT_NAME
        && !holds_token
    {
        return Some(own.to_string());
    }
    let stem = match file.kind()? {
        TokenKind::Personal => "personal-token",
        TokenKind::ServiceAccount => "service-account-token",
    };
    let name = file.name.as_deref().map(safe_name).unwrap_or_default();
    let name = if name.is_empty() {
        "downloaded".to_string()
    } else {
        name
    };
    Some(format!("{stem}-{name}.json"))
}

/// `name` kept to ASCII letters, digits, `-` and `_` (anything else a `-`), at most 64 of
/// them, with no `-` at either end: never a path separator, a dot, or a control character.
pub(crate) fn safe_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || c == '_' {
            true => c,
            false => '-',
        })
        .take(64)
        .collect();
    let mut out = String::new();
    for c in mapped.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

fn is_link(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
}

/// The row of a step planned, not done (`--dry-run`).
fn planned(step: Step) -> ActionRow {
    let mut row = describe(&step);
    row.done = false;
    row
}

/// What the row of a step says when it is done.
fn describe(step: &Step) -> ActionRow {
    match step {
        Step::ChmodFile(p) => row("chmod", p, None, "600"),
        Step::ChmodDir(p) => row("chmod", p, None, "700"),
        Step::Move {
            from,
            to,
            duplicate,
            ..
        } => moved_row(from, to, *duplicate),
        Step::Left { path, reason, how } => left(path.clone(), reason, how),
    }
}

fn row(action: &str, path: &Path, to: Option<&Path>, detail: &str) -> ActionRow {
    ActionRow {
        action: action.to_string(),
        path: path.display().to_string(),
        to: to.map(|t| t.display().to_string()),
        detail: detail.to_string(),
        done: true,
    }
}

/// Carries out one step: its row says what was done, or, when it failed, why it is left.
fn carry_out(step: Step) -> ActionRow {
    let done = describe(&step);
    let result = match &step {
        Step::ChmodFile(p) => unix::chmod_file(p),
        Step::ChmodDir(p) => unix::chmod_dir(p),
        Step::Move { from, data, to, .. } => return moved(from, data, to),
        Step::Left { .. } => return done,
    };
    match result {
        Ok(()) => done,
        Err(e) => left(done.path, "could not chmod", &e.to_string()),
    }
}

/// The row of a file moved to `to`, or removed as a `duplicate` of it.
fn moved_row(from: &Path, to: &Path, duplicate: bool) -> ActionRow {
    match duplicate {
        true => row(
            "removed",
            from,
            Some(to),
            "a byte-identical copy is in the store already",
        ),
        false => row("moved", from, Some(to), "into the store, mode 0600"),
    }
}

fn moved(from: &Path, data: &[u8], to: &Path) -> ActionRow {
    let shown = from.display().to_string();
    match unix::move_file(from, data, to) {
        Ok(Moved::Done) => moved_row(from, to, false),
        Ok(Moved::Copied) => row(
            "moved",
            from,
            Some(to),
            "copied into the store, mode 0600; it had other hard links, which still hold the \
             token and were left as they were",
        ),
        Ok(Moved::Duplicate) => moved_row(from, to, true),
        Ok(Moved::Conflict) => left(
            shown,
            "a different file by this name is in the store",
            &format!(
                "compare it with {} and delete the one you do not need",
                to.display()
            ),
        ),
        Ok(Moved::Changed) => left(
            shown,
            "changed since it was read",
            "run `tokenlint audit --fix` again",
        ),
        Err(e) => left(
            shown,
            "could not move",
            &format!("{}: {e}", to.parent().unwrap_or(to).display()),
        ),
    }
}

/// How a move ended, short of an error.
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(not(unix), allow(dead_code))]
pub(crate) enum Moved {
    Done,
    /// Copied, not linked, since the file had other hard links: they keep the token.
    Copied,
    /// The store held the same bytes under that name: the copy was removed.
    Duplicate,
    /// The store holds a different file under that name: both are left.
    Conflict,
    /// The file is no longer what was audited (or is now a link): left.
    Changed,
}

#[cfg(unix)]
mod unix {
    use std::fs::{self, File, OpenOptions};
    use std::io::{self, Read, Write};
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
    use std::path::Path;

    use super::Moved;

    /// chmod 600 the file at `path`, unless it has other hard links: they share its
    /// mode, and one may lie outside `$HOME` and the stores, where `--fix` changes nothing.
    pub(super) fn chmod_file(path: &Path) -> io::Result<()> {
        let file = crate::confine::open_no_follow(path)?;
        if file.metadata()?.nlink() > 1 {
            return Err(io::Error::other(
                "it has other hard links, which a chmod would change too: list them with \
                 `find / -xdev -samefile <this file>`, then run `chmod 600` on it yourself if \
                 every link is yours",
            ));
        }
        file.set_permissions(fs::Permissions::from_mode(0o600))
    }

    pub(super) fn chmod_dir(path: &Path) -> io::Result<()> {
        let dir = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_DIRECTORY)
            .open(path)?;
        dir.set_permissions(fs::Permissions::from_mode(0o700))
    }

    /// Moves `from`, which must still hold `data`, to `to`, never overwriting.
    pub(super) fn move_file(from: &Path, data: &[u8], to: &Path) -> io::Result<Moved> {
        let mut now = Vec::new();
        let limit = crate::token_file::MAX_TOKEN_FILE as u64 + 1;
        let Ok(source) = crate::confine::open_no_follow(from) else {
            return Ok(Moved::Changed);
        };
        let read = source.metadata()?;
        source.take(limit).read_to_end(&mut now)?;
        if now != data {
            return Ok(Moved::Changed);
        }
        // A file with other hard links is copied: a link to it in the store, and its
        // chmod, would reach those others, which may lie outside `$HOME`.
        let shared = read.nlink() > 1;
        let store = to.parent().expect("a store file has a parent");
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(store)?;
        if to.symlink_metadata().is_ok() {
            return existing(from, data, to);
        }
        let linked = match super::forced_copy() || shared {
            true => Err(io::Error::from_raw_os_error(libc::EXDEV)),
            false => fs::hard_link(from, to),
        };
        match linked {
            Ok(()) => {
                if !linked_is_read(to, (read.dev(), read.ino()))? {
                    return Ok(Moved::Changed);
                }
                fs::remove_file(from)?;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return existing(from, data, to),
            Err(e) if copy_instead(&e) => copy(from, data, to)?,
            Err(e) => return Err(e),
        }
        File::open(store)?.sync_all()?;
        Ok(match shared {
            true => Moved::Copied,
            false => Moved::Done,
        })
    }

    /// Whether the file just linked at `to` is the one read, `(device, inode)`; if so it
    /// is made 0600. If not, `from` was swapped after it was read (for a link, or another
    /// file), and the link is removed: the store never gets what was not audited.
    pub(super) fn linked_is_read(to: &Path, read: (u64, u64)) -> io::Result<bool> {
        let stored = crate::confine::open_no_follow(to)
            .ok()
            .filter(|f| f.metadata().is_ok_and(|m| (m.dev(), m.ino()) == read));
        match stored {
            Some(file) => file
                .set_permissions(fs::Permissions::from_mode(0o600))
                .map(|()| true),
            None => fs::remove_file(to).map(|()| false),
        }
    }

    /// Whether a failed hard link calls for a copy: across file systems, or where the
    /// file system has no hard links.
    fn copy_instead(e: &io::Error) -> bool {
        matches!(
            e.raw_os_error(),
            Some(libc::EXDEV) | Some(libc::EPERM) | Some(libc::ENOTSUP) | Some(libc::EMLINK)
        )
    }

    /// Writes `data` to `to`, a new file (never one that exists, never through a link),
    /// 0600, syncs it, then removes `from`. A partial copy is removed.
    pub(super) fn copy(from: &Path, data: &[u8], to: &Path) -> io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(to)?;
        let written = file
            .write_all(data)
            .and_then(|()| file.set_permissions(fs::Permissions::from_mode(0o600)))
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(to);
            return Err(e);
        }
        fs::remove_file(from)
    }

    /// `to` exists: the copy at `from` is removed when the two are byte-identical.
    fn existing(from: &Path, data: &[u8], to: &Path) -> io::Result<Moved> {
        let mut there = Vec::new();
        let limit = data.len() as u64 + 1;
        match crate::confine::open_no_follow(to) {
            Ok(f) => f.take(limit).read_to_end(&mut there)?,
            Err(_) => return Ok(Moved::Conflict),
        };
        if there != data {
            return Ok(Moved::Conflict);
        }
        fs::remove_file(from)?;
        Ok(Moved::Duplicate)
    }
}

#[cfg(not(unix))]
mod unix {
    use std::io;
    use std::path::Path;

    use super::Moved;

    fn unsupported() -> io::Error {
        io::Error::new(
            io::ErrorKind::Unsupported,
            "`audit --fix` works on Unix only",
        )
    }

    pub(super) fn chmod_file(_: &Path) -> io::Result<()> {
        Err(unsupported())
    }

    pub(super) fn chmod_dir(_: &Path) -> io::Result<()> {
        Err(unsupported())
    }

    pub(super) fn move_file(_: &Path, _: &[u8], _: &Path) -> io::Result<Moved> {
        Err(unsupported())
    }
}

/// A test seam: with `TOKENLINT_TEST_FORCE_COPY` set, a move copies as it would across
/// file systems, so that tests reach that path without a second mount.
#[cfg(unix)]
fn forced_copy() -> bool {
    std::env::var_os("TOKENLINT_TEST_FORCE_COPY").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_a_hostile_file_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_name("my laptop"), "my-laptop");
        assert_eq!(safe_name(".."), "");
        assert_eq!(safe_name("a/b\\c\u{1b}[31m"), "a-b-c-31m");
        assert_eq!(safe_name(&"x".repeat(100)).len(), 64);
    }

    #[cfg(unix)]
    #[test]
    fn a_copy_across_file_systems_never_overwrites_and_removes_the_source() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.json");
        let to = dir.path().join("store/a.json");
        std::fs::write(&from, b"data").unwrap();
        std::fs::create_dir(dir.path().join("store")).unwrap();
        std::fs::write(&to, b"other").unwrap();
        let err = unix::copy(&from, b"data", &to).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&to).unwrap(), b"other");
        assert!(from.exists());
        assert_eq!(
            unix::move_file(&from, b"data", &to).unwrap(),
            Moved::Conflict
        );
        assert_eq!(
            unix::move_file(&from, b"changed", &to).unwrap(),
            Moved::Changed
        );
        std::fs::remove_file(&to).unwrap();
        unix::copy(&from, b"data", &to).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"data");
        let mode = std::fs::metadata(&to).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!from.exists());
    }

    /// Regression: a download swapped for another file (or a link) between its check and
    /// its hard link into the store was filed, unaudited. The link is checked to be the
    /// file read, and removed when it is not.
    #[cfg(unix)]
    #[test]
    fn a_file_swapped_after_it_was_read_is_not_filed() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let read = dir.path().join("read.json");
        let swapped = dir.path().join("swapped.json");
        std::fs::write(&read, b"audited").unwrap();
        std::fs::write(&swapped, b"hostile").unwrap();
        let m = std::fs::metadata(&read).unwrap();
        let to = dir.path().join("to.json");
        std::fs::hard_link(&swapped, &to).unwrap();
        assert!(!unix::linked_is_read(&to, (m.dev(), m.ino())).unwrap());
        assert!(to.symlink_metadata().is_err());
        std::os::unix::fs::symlink(&read, &to).unwrap();
        assert!(!unix::linked_is_read(&to, (m.dev(), m.ino())).unwrap());
        assert!(to.symlink_metadata().is_err());
        std::fs::hard_link(&read, &to).unwrap();
        assert!(unix::linked_is_read(&to, (m.dev(), m.ino())).unwrap());
        let mode = std::fs::metadata(&to).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
