//! What a push adds, as git hands it to a hook: `pre-receive`'s `<old> <new> <ref>`
//! lines on the server, `pre-push`'s `<local ref> <local sha> <remote ref> <remote sha>`
//! on the client. Each becomes a [`Revisions`] (only the commits the other side does not
//! have), which the history scan reads like any range: a push is judged by the same scan
//! as `scan --history --range`, never a second one.
//!
//! Also here: the push options a pusher sends (`git push -o tokenlint.allow=<reason>`) and
//! who pushed, for the server's audit line. All of it comes from the pusher, so it is
//! hostile: ids must be object ids, lines are bounded, and text is cleaned when shown.

use std::io::BufRead;
use std::time::Duration;

use crate::git::{GitError, Revisions, Without};

/// Which push hook runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushHook {
    /// The server's, before any ref moves.
    PreReceive,
    /// The client's, before anything is sent: the remote's name and URL, as git passes
    /// them.
    PrePush {
        remote: Option<String>,
        url: Option<String>,
    },
}

/// What a hook does when judging takes longer than its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnTimeout {
    /// Refuse the push: fail closed.
    #[default]
    Refuse,
    /// Accept it, with a warning: fail open.
    Accept,
}

/// How long a hook may judge, and what happens past that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub time: Duration,
    pub on_timeout: OnTimeout,
}

/// The longest line of a hook's input kept: three ids and a ref name fit many times.
const MAX_LINE: u64 = 8 << 10;

/// The most lines read: more refs than any push updates.
const MAX_LINES: usize = 100_000;

/// The lines of a hook's standard input, each at most [`MAX_LINE`] bytes (a longer one is
/// refused), blank ones left out.
pub(crate) fn read_lines(input: &mut impl BufRead) -> Result<Vec<String>, GitError> {
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let read = std::io::Read::take(&mut *input, MAX_LINE + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| bad(&format!("cannot read the hook's input: {e}")))?;
        if read == 0 {
            return Ok(lines);
        }
        if line.len() as u64 > MAX_LINE || lines.len() >= MAX_LINES {
            return Err(bad("the hook's input has a line or lines beyond any push"));
        }
        let line = String::from_utf8_lossy(&line).trim().to_string();
        if !line.is_empty() {
            lines.push(line);
        }
    }
}

fn bad(message: &str) -> GitError {
    GitError {
        message: message.to_string(),
        help: Some("tokenlint hook reads what git hands a hook on standard input".into()),
    }
}

/// An object id as git writes one: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
fn object_id(text: &str) -> Result<&str, GitError> {
    let hex = text
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match (text.len(), hex) {
        (40 | 64, true) => Ok(text),
        _ => Err(bad(&format!(
            "`{}` is not an object id",
            crate::shown::clean(text)
        ))),
    }
}

/// Whether `id` is git's id of nothing: a created ref's old value, a deleted one's new.
fn is_zero(id: &str) -> bool {
    id.bytes().all(|b| b == b'0')
}

/// The commits a push adds that no ref of the server has, from `pre-receive`'s lines: each
/// new value `--not --all`, the refs as they were before the push. A deleted ref adds
/// nothing; a force push only its new commits. `None` when nothing is to be read.
pub(crate) fn pre_receive(lines: &[String]) -> Result<Option<Revisions>, GitError> {
    let mut tips = Vec::new();
    for line in lines {
        let [old, new, _name] = fields(line)?;
        object_id(old)?;
        if !is_zero(object_id(new)?) {
            tips.push(new.to_string());
        }
    }
    // A mirror push names one commit under many refs: each is read once.
    tips.sort_unstable();
    tips.dedup();
    Ok((!tips.is_empty()).then(|| Revisions {
        tips,
        without: vec![Without::AllRefs],
        ..Revisions::default()
    }))
}

/// The commits a push sends that the remote does not have, from `pre-push`'s lines:
/// `<remote sha>..<local sha>`, and in any case nothing the remote's tracking refs reach
/// (`--not --remotes=<remote>`). A deletion sends nothing. A remote commit this clone
/// lacks is for the caller to leave out.
pub(crate) fn pre_push(
    lines: &[String],
    remote: Option<&str>,
) -> Result<Option<Revisions>, GitError> {
    let mut revs = Revisions::default();
    for line in lines {
        let [_local_ref, local, _remote_ref, theirs] = fields(line)?;
        if is_zero(object_id(local)?) {
            continue;
        }
        revs.tips.push(local.to_string());
        if !is_zero(object_id(theirs)?) {
            revs.without.push(Without::Rev(theirs.to_string()));
        }
    }
    if revs.tips.is_empty() {
        return Ok(None);
    }
    if let Some(remote) = remote.filter(|r| !r.is_empty()) {
        revs.without.push(Without::Remote(remote.to_string()));
    }
    Ok(Some(revs))
}

/// What pre-commit's `pre-push` stage says is pushed, in its environment, instead of
/// standard input (which it keeps): `PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF`; or, for a
/// new branch with its root commit, `PRE_COMMIT_LOCAL_BRANCH` without what
/// `PRE_COMMIT_REMOTE_NAME`'s tracking refs reach. `None` outside pre-commit.
pub(crate) fn pre_commit_push(var: impl Fn(&str) -> Option<String>) -> Option<Revisions> {
    if let (Some(from), Some(to)) = (var("PRE_COMMIT_FROM_REF"), var("PRE_COMMIT_TO_REF")) {
        return Some(Revisions {
            branch: Some(to),
            since: Some(from),
            ..Revisions::default()
        });
    }
    let (local, remote) = (
        var("PRE_COMMIT_LOCAL_BRANCH")?,
        var("PRE_COMMIT_REMOTE_NAME")?,
    );
    Some(Revisions {
        tips: vec![local],
        without: vec![Without::Remote(remote)],
        ..Revisions::default()
    })
}

/// A line's `N` space-separated fields; a ref name has no space.
fn fields<const N: usize>(line: &str) -> Result<[&str; N], GitError> {
    let parts: Vec<&str> = line.split(' ').collect();
    parts.try_into().map_err(|_| {
        bad(&format!(
            "expected {N} fields in the line `{}`",
            crate::shown::clean(line)
        ))
    })
}

/// The push option that asks to accept the push whatever is found.
pub const BYPASS_OPTION: &str = "tokenlint.allow";

/// The most push options looked at.
const MAX_PUSH_OPTIONS: usize = 100;

/// The reason given with `git push -o tokenlint.allow=<reason>`, from the push options git
/// hands `pre-receive` (`GIT_PUSH_OPTION_COUNT`, `GIT_PUSH_OPTION_<n>`); `Some("")` when
/// it has none.
pub(crate) fn bypass_reason(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let count: usize = var("GIT_PUSH_OPTION_COUNT")?.parse().ok()?;
    (0..count.min(MAX_PUSH_OPTIONS))
        .filter_map(|n| var(&format!("GIT_PUSH_OPTION_{n}")))
        .find_map(|option| {
            let rest = option.strip_prefix(BYPASS_OPTION)?;
            match rest.strip_prefix('=') {
                Some(reason) => Some(reason.trim().to_string()),
                None => rest.is_empty().then(String::new),
            }
        })
}

/// Who pushed, as the forge says: GitLab's `GL_USERNAME`, GitHub Enterprise's
/// `GITHUB_USER`, Gitea's and Forgejo's `GITEA_PUSHER_NAME`, else the account, `USER`.
pub(crate) fn pusher(var: impl Fn(&str) -> Option<String>) -> String {
    ["GL_USERNAME", "GITHUB_USER", "GITEA_PUSHER_NAME", "USER"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "an unknown pusher".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: &str = "0000000000000000000000000000000000000000";

    fn id(c: char) -> String {
        c.to_string().repeat(40)
    }

    fn lines(text: &str) -> Vec<String> {
        read_lines(&mut text.as_bytes()).unwrap()
    }

    #[test]
    fn pre_receive_reads_new_tips_without_what_the_server_has() {
        let (a, b, c) = (id('a'), id('b'), id('c'));
        let input = format!(
            "{ZERO} {a} refs/heads/new\n\n{b} {c} refs/heads/main\n{a} {ZERO} refs/heads/gone\n\
             {ZERO} {c} refs/tags/v1\n"
        );
        let revs = pre_receive(&lines(&input)).unwrap().unwrap();
        assert_eq!(revs.tips, [a.clone(), c]);
        assert_eq!(revs.without, [Without::AllRefs]);
        // Only deletions: nothing to read.
        let deleted = format!("{a} {ZERO} refs/heads/gone\n");
        assert!(pre_receive(&lines(&deleted)).unwrap().is_none());
    }

    #[test]
    fn hostile_hook_input_is_refused() {
        let a = id('a');
        for line in [
            format!("{a} --all refs/heads/x"),
            format!("{a} {} refs/heads/x", "A".repeat(40)),
            format!("{a} {a}"),
            format!("{a} {a} refs/heads/x extra"),
        ] {
            assert!(pre_receive(std::slice::from_ref(&line)).is_err(), "{line}");
        }
        let long = "x".repeat(MAX_LINE as usize + 1);
        assert!(read_lines(&mut long.as_bytes()).is_err());
    }

    #[test]
    fn pre_push_reads_what_the_remote_lacks() {
        let (local, theirs, unknown) = (id('1'), id('2'), id('3'));
        let input = format!(
            "refs/heads/main {local} refs/heads/main {theirs}\n\
             refs/heads/new {local} refs/heads/new {ZERO}\n\
             refs/heads/f {local} refs/heads/f {unknown}\n\
             (delete) {ZERO} refs/heads/old {theirs}\n"
        );
        let revs = pre_push(&lines(&input), Some("origin")).unwrap().unwrap();
        assert_eq!(revs.tips.len(), 3);
        assert_eq!(
            revs.without,
            [
                Without::Rev(theirs.clone()),
                Without::Rev(unknown),
                Without::Remote("origin".into())
            ]
        );
        let deletion = format!("(delete) {ZERO} refs/heads/old {theirs}\n");
        assert!(pre_push(&lines(&deletion), None).unwrap().is_none());
    }

    #[test]
    fn pre_commit_says_what_is_pushed_in_its_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let range = pre_commit_push(env(&[
            ("PRE_COMMIT_FROM_REF", "aaa"),
            ("PRE_COMMIT_TO_REF", "bbb"),
        ]))
        .unwrap();
        assert_eq!(
            (range.branch.as_deref(), range.since.as_deref()),
            (Some("bbb"), Some("aaa"))
        );
        let new = pre_commit_push(env(&[
            ("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/x"),
            ("PRE_COMMIT_REMOTE_NAME", "origin"),
        ]))
        .unwrap();
        assert_eq!(new.without, [Without::Remote("origin".into())]);
        assert!(pre_commit_push(env(&[])).is_none());
    }

    #[test]
    fn the_bypass_option_and_the_pusher_are_read() {
        let env = |pairs: Vec<(&'static str, &'static str)>| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let options = vec![
            ("GIT_PUSH_OPTION_COUNT", "2"),
            ("GIT_PUSH_OPTION_0", "ci.skip"),
            ("GIT_PUSH_OPTION_1", "tokenlint.allow=revoked already"),
        ];
        assert_eq!(
            bypass_reason(env(options)).as_deref(),
            Some("revoked already")
        );
        let bare = vec![
            ("GIT_PUSH_OPTION_COUNT", "1"),
            ("GIT_PUSH_OPTION_0", "tokenlint.allow"),
        ];
        assert_eq!(bypass_reason(env(bare)).as_deref(), Some(""));
        let other = vec![
            ("GIT_PUSH_OPTION_COUNT", "1"),
            ("GIT_PUSH_OPTION_0", "tokenlint.allowx=1"),
        ];
        assert_eq!(bypass_reason(env(other)), None);
        assert_eq!(bypass_reason(env(vec![])), None);
        let forge = vec![("USER", "git"), ("GL_USERNAME", "alice")];
        assert_eq!(pusher(env(forge)), "alice");
        assert_eq!(pusher(env(vec![])), "an unknown pusher");
    }
}
