//! A range scan (`--since`, and a push's hooks) judges what the range introduces, not
//! every secret of the files it touches: a file that already held a token, accepted
//! earlier, would otherwise refuse every later change to it.
//!
//! Blobs are still scanned whole (base64, UTF-16 and the other decoders need the whole
//! content). A finding then counts only when its secret is new to its path: when the same
//! rule finds the same secret in that path's version in no parent of the commit that
//! brought the blob. A renamed file keeps its path (git's rename detection, `-M`, on the
//! commit's diff against each parent); a secret copied or moved to another file is new
//! there. The findings left out are counted, for the report to say so.

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::Stdio;

use super::history;
use super::ignore::ProjectIgnore;
use crate::check::Checker;
use crate::finding::{Commit, Finding};
use crate::git::{self, FirstCommits, GitError, HistoryBlob, Revisions};
use crate::outcome::{Outcome, ScanError};
use crate::Error;

/// A finding with its blob's id and the commit it is reported at (`None` when no commit
/// of the range brought the blob: one a tag names).
pub(super) type Placed = (String, Finding, Option<Commit>);

/// What a rule found: its id and the secret's hash (none for a finding about no secret).
type Key = (String, Option<String>);

/// A range the history scan read, and what it read of it.
pub(super) struct Range<'a> {
    pub(super) top: &'a Path,
    pub(super) revs: &'a Revisions,
    pub(super) checker: &'a Checker<'a>,
    pub(super) ignore: &'a ProjectIgnore,
    /// The commit that first added each blob.
    pub(super) commits: &'a FirstCommits,
    /// The ids of the blobs the history scan read: those that the revisions left out are
    /// not among them, though a commit of the range may bring one to a new path (a copy
    /// of an older file, a file restored as it was).
    pub(super) scanned: &'a HashSet<&'a str>,
}

/// The places of every blob of a range, read on a thread of their own while the history
/// scan reads the range's objects: a push's hook then waits for git once, not three times.
/// Only for a range of at most [`AHEAD_COMMITS`] commits whose diffs' places take at
/// most [`AHEAD_BYTES`], so that memory stays bounded; past that, only its
/// commits are read ahead, and the places of the blobs asked about afterwards, as they
/// would be anyway. Should git fail, all is read again afterwards, and fails there.
pub(super) struct ReadAhead(Option<std::thread::JoinHandle<Option<Ahead>>>);

/// What was read ahead.
enum Ahead {
    Places(Places),
    /// The range's commits, parents first, and each one's parents.
    Commits(Vec<String>, Vec<Vec<String>>),
}

/// The most commits a range may have for its places to be read ahead.
const AHEAD_COMMITS: usize = 2_000;

/// The most bytes of places kept while reading ahead, their paths counted (a hostile push
/// may name long ones): a few megabytes.
const AHEAD_BYTES: usize = 4 << 20;

/// What a place kept costs besides its paths: its key, its blob's id, its parents' slots.
const PLACE_BYTES: usize = 160;

/// No cap on the places kept: only those of the blobs asked about are.
const NO_CAP: usize = usize::MAX;

impl ReadAhead {
    /// Nothing read ahead: the places are read when asked for.
    pub(super) fn none() -> ReadAhead {
        ReadAhead(None)
    }

    /// Starts reading the places of every blob of the range `revs`.
    pub(super) fn start(top: &Path, revs: &Revisions) -> ReadAhead {
        let (top, revs) = (top.to_path_buf(), revs.clone());
        ReadAhead(Some(std::thread::spawn(move || {
            let (commits, parents) = range_commits(&top, &revs).ok()?;
            if commits.len() > AHEAD_COMMITS {
                return Some(Ahead::Commits(commits, parents));
            }
            let read = Places::of_commits(&top, &commits, &parents, &|_| true, AHEAD_BYTES);
            Some(match read {
                Ok(places) => Ahead::Places(places),
                Err(_) => Ahead::Commits(commits, parents),
            })
        })))
    }

    /// The places of the blobs `wanted`: those read ahead, or read now.
    fn places(
        self,
        top: &Path,
        revs: &Revisions,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Places, GitError> {
        match self.0.and_then(|read| read.join().ok().flatten()) {
            Some(Ahead::Places(mut places)) => {
                places.by_blob.retain(|blob, _| wanted(blob));
                Ok(places)
            }
            Some(Ahead::Commits(commits, parents)) => {
                Places::of_commits(top, &commits, &parents, wanted, NO_CAP)
            }
            None => {
                let (commits, parents) = range_commits(top, revs)?;
                Places::of_commits(top, &commits, &parents, wanted, NO_CAP)
            }
        }
    }
}

/// Keeps the findings of `found` (each with its blob's id) whose secret is new to its
/// path, each at the first commit of the range that brought it there, and adds those of
/// the older blobs the range brings to new paths; adds the number of distinct older
/// secrets (path, rule and secret) not judged to `outcome.older`.
pub(super) fn judge(
    range: &Range,
    ahead: ReadAhead,
    mut found: Vec<(String, Finding)>,
    outcome: &mut Outcome,
) -> Result<Vec<Placed>, Error> {
    let with_findings: HashSet<String> = found.iter().map(|(oid, _)| oid.clone()).collect();
    let scanned = range.scanned;
    let wanted = |oid: &str| with_findings.contains(oid) || !scanned.contains(oid);
    let places = ahead.places(range.top, range.revs, &wanted)?;
    if !places.renames_detected {
        outcome.errors.push(ScanError {
            path: range.top.display().to_string(),
            message: "a partial clone lacks blobs that git's rename detection needs: a \
                      renamed file's secrets were judged as new"
                .into(),
        });
    }
    let moved = moved_blobs(range, &places, scanned);
    let mut missing = Vec::new();
    found.extend(history::scan_blobs(
        range.top,
        &moved,
        range.checker,
        outcome,
        &mut missing,
    )?);
    outcome
        .errors
        .extend(history::not_in_clone(range.top, &missing)?);
    let mut verdicts = Verdicts {
        range,
        held: secrets_before(range.top, &places, range.checker)?,
        places: &places,
        older: HashSet::new(),
        placed: Vec::new(),
    };
    for (oid, finding) in found {
        verdicts.judge(oid, finding);
    }
    outcome.older += verdicts.older.len();
    Ok(verdicts.placed)
}

/// The findings judged so far.
struct Verdicts<'a> {
    range: &'a Range<'a>,
    places: &'a Places,
    held: Held,
    /// The older secrets not judged: path, rule and secret.
    older: HashSet<(String, Key)>,
    placed: Vec<Placed>,
}

impl Verdicts<'_> {
    /// Places the finding at each path (not one the ignore file leaves out) where the
    /// range brought its secret first, or counts it as older when no parent lacked it.
    fn judge(&mut self, oid: String, finding: Finding) {
        let commits = self.range.commits;
        let Some(brought) = self.places.by_blob.get(&oid) else {
            let commit = commits.first(&oid);
            self.placed.push((oid, finding, commit));
            return;
        };
        let key = key_of(&finding);
        let new_at: Vec<&Place> = brought
            .iter()
            .filter(|p| p.is_new(&oid, &key, &self.held))
            .collect();
        if new_at.is_empty() {
            if finding.suppression.is_none() {
                self.older.insert((brought[0].path.clone(), key));
            }
            return;
        }
        let ignored = |p: &Place| self.range.ignore.ignores(&self.range.top.join(&p.path));
        let mut paths = HashSet::new();
        for place in new_at {
            if ignored(place) || !paths.insert(place.path.as_str()) {
                continue;
            }
            let id = &self.places.commits[place.commit];
            // Most often the commit that first added the blob, found without a search.
            let commit = match commits.first(&oid) {
                Some(first) if &first.id == id => Some(Commit {
                    path: place.path.clone(),
                    ..first
                }),
                first => commits.commit_by_id(id, &place.path).or(first),
            };
            // The blob was scanned at one of its paths: the allowlist may say otherwise here.
            let key = self.range.checker.key(&self.range.top.join(&place.path));
            let finding = self.range.checker.at_key(finding.clone(), &key);
            self.placed.push((oid.clone(), finding, commit));
        }
    }
}

/// The blobs that the history scan did not read, since the revisions leave them out,
/// and that a commit of the range brings to a path where no parent had them: each once,
/// at such a path, unless the project's ignore file leaves that path out.
fn moved_blobs(range: &Range, places: &Places, scanned: &HashSet<&str>) -> Vec<HistoryBlob> {
    places
        .by_blob
        .iter()
        .filter(|(blob, _)| !scanned.contains(blob.as_str()))
        .filter_map(|(blob, brought)| {
            brought
                .iter()
                .find(|p| p.is_new_blob(blob) && !range.ignore.ignores(&range.top.join(&p.path)))
                .map(|place| HistoryBlob {
                    oid: blob.clone(),
                    path: place.path.clone(),
                    in_tree: true,
                })
        })
        .collect()
}

fn key_of(finding: &Finding) -> Key {
    (
        finding.rule_id.clone(),
        finding.secret.as_ref().map(|s| s.hash()),
    )
}

/// What a parent of a commit had at the path of one of its blobs.
#[derive(Debug, PartialEq, Eq)]
enum Before {
    /// Nothing, or not a file: the path is added (or copied) by the commit.
    Nothing,
    /// The same blob: the diff against this parent does not name the path.
    Same,
    /// Another blob, at `path` (the old name of a renamed file).
    Blob { oid: String, path: String },
}

/// A blob of the range at the path where a commit brought it, and what each of the
/// commit's parents had there.
#[derive(Debug)]
struct Place {
    /// An index into [`Places::commits`].
    commit: usize,
    path: String,
    before: Vec<Before>,
}

impl Place {
    /// Whether no parent had the blob `blob` at the path.
    fn is_new_blob(&self, blob: &str) -> bool {
        self.before.iter().all(|before| match before {
            Before::Nothing => true,
            Before::Same => false,
            Before::Blob { oid, .. } => oid != blob,
        })
    }

    /// Whether the finding `key` of the blob `blob` is in no parent's version of the path.
    fn is_new(&self, blob: &str, key: &Key, held: &Held) -> bool {
        self.is_new_blob(blob)
            && self.before.iter().all(|before| match before {
                Before::Blob { oid, .. } => !held.get(oid).is_some_and(|keys| keys.contains(key)),
                Before::Nothing | Before::Same => true,
            })
    }
}

/// What the findings of each older blob are.
type Held = HashMap<String, HashSet<Key>>;

/// Scans, through one `git cat-file --batch` and the same checker, the parents' versions
/// of the paths that the range's blobs with findings were brought to.
fn secrets_before(top: &Path, places: &Places, checker: &Checker) -> Result<Held, Error> {
    let mut seen = HashSet::new();
    let blobs: Vec<HistoryBlob> = places
        .by_blob
        .iter()
        .flat_map(|(blob, brought)| brought.iter().map(move |p| (blob, p)))
        .flat_map(|(blob, place)| {
            place.before.iter().filter_map(move |before| match before {
                Before::Blob { oid, path } if oid != blob => Some((oid, path)),
                _ => None,
            })
        })
        .filter(|(oid, _)| seen.insert(*oid))
        .map(|(oid, path)| HistoryBlob {
            oid: oid.clone(),
            path: path.clone(),
            in_tree: true,
        })
        .collect();
    // A parent's version that cannot be read holds nothing known: what the range brings
    // is then judged whole, never waved through.
    let (mut ignored, mut missing) = (Outcome::default(), Vec::new());
    let found = history::scan_blobs(top, &blobs, checker, &mut ignored, &mut missing)?;
    let mut held = Held::new();
    for (oid, finding) in found {
        held.entry(oid).or_default().insert(key_of(&finding));
    }
    Ok(held)
}

/// Where the range's commits brought the blobs asked about.
#[derive(Debug, Default)]
struct Places {
    /// The range's commits, parents before children.
    commits: Vec<String>,
    /// For each blob, the places it was brought to, in the order of `commits`.
    by_blob: HashMap<String, Vec<Place>>,
    /// Whether git's rename detection could run (a partial clone may lack the blobs).
    renames_detected: bool,
}

/// The all-zero id git writes for no object (as long as the repository's ids).
fn is_null(oid: &str) -> bool {
    oid.bytes().all(|b| b == b'0')
}

/// The mode of a submodule's entry: a commit, not a blob.
const GITLINK: &str = "160000";

impl Places {
    /// Reads the diff of each of the range's commits (parents first) against each of its
    /// `parents` (one `git diff-tree --stdin -M`), keeping the places of the blobs `wanted`;
    /// refused past `cap` bytes of places.
    fn of_commits(
        top: &Path,
        commits: &[String],
        parents: &[Vec<String>],
        wanted: &dyn Fn(&str) -> bool,
        cap: usize,
    ) -> Result<Places, GitError> {
        // One line of input per (commit, parent); a root commit's alone, against nothing.
        let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
        let mut input = Vec::new();
        for (i, (commit, parents)) in commits.iter().zip(parents).enumerate() {
            if parents.is_empty() {
                pairs.push((i, None));
                input.extend_from_slice(format!("{commit}\n").as_bytes());
            }
            for (p, parent) in parents.iter().enumerate() {
                pairs.push((i, Some(p)));
                input.extend_from_slice(format!("{commit} {parent}\n").as_bytes());
            }
        }
        // Rename detection compares the contents of added and deleted files: a partial
        // clone may lack them, and git may not fetch them. Without it, a renamed file's
        // secrets are judged as new, never waved through.
        let mut renames_detected = true;
        let diffs = |renames| {
            read_diffs(
                top,
                &input,
                Diffs::new(&pairs, parents, wanted, cap),
                renames,
            )
        };
        let diffs = match diffs("-M") {
            Err(_) if git::is_partial_clone(top) => {
                renames_detected = false;
                diffs("--no-renames")?
            }
            read => read?,
        };
        if diffs.over_cap {
            return Err(GitError {
                message: format!("the diffs' places take more than {cap} bytes"),
                help: None,
            });
        }
        let mut places = Places {
            commits: commits.to_vec(),
            by_blob: HashMap::new(),
            renames_detected,
        };
        for ((commit, path), Brought { blob, before }) in diffs.found {
            let before = before
                .into_iter()
                .map(|b| b.unwrap_or(Before::Same))
                .collect();
            places.by_blob.entry(blob).or_default().push(Place {
                commit,
                path,
                before,
            });
        }
        for brought in places.by_blob.values_mut() {
            brought.sort_by(|a, b| (a.commit, &a.path).cmp(&(b.commit, &b.path)));
        }
        Ok(places)
    }
}

/// Each commit's diff against each of its parents, as `input` asks for them (`renames`:
/// `-M` or `--no-renames`), read into `diffs`.
fn read_diffs<'a>(
    top: &Path,
    input: &[u8],
    mut diffs: Diffs<'a>,
    renames: &str,
) -> Result<Diffs<'a>, GitError> {
    diff_tree(top, input.to_vec(), renames, |record| diffs.take(record))?;
    Ok(diffs)
}

/// The range's commits, parents first, and each one's parents.
fn range_commits(
    top: &Path,
    revs: &Revisions,
) -> Result<(Vec<String>, Vec<Vec<String>>), GitError> {
    let mut args = vec![
        "rev-list".to_string(),
        "--topo-order".to_string(),
        "--reverse".to_string(),
        "--parents".to_string(),
    ];
    args.extend(revs.args()?);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git::git(top, &args)?;
    let (mut commits, mut parents) = (Vec::new(), Vec::new());
    for line in String::from_utf8_lossy(&out).lines() {
        let mut ids = line.split(' ').map(str::to_string);
        if let Some(commit) = ids.next() {
            commits.push(commit);
            parents.push(ids.collect());
        }
    }
    Ok((commits, parents))
}

/// Runs `git diff-tree --stdin` on `input`, fed by a thread of its own, and hands each
/// NUL-ended record of its output to `each` as it comes. `renames` is `-M` or
/// `--no-renames`.
fn diff_tree(
    top: &Path,
    input: Vec<u8>,
    renames: &str,
    mut each: impl FnMut(&[u8]),
) -> Result<(), GitError> {
    let args = [
        "diff-tree",
        "--stdin",
        "-r",
        renames,
        "--raw",
        "-z",
        "--no-abbrev",
        // A header for every line of input, even one whose diff is empty.
        "--always",
        "--root",
    ];
    let failed = |what: String| GitError {
        message: format!("git diff-tree: {what}"),
        help: None,
    };
    let mut child = git::command(top, &args)?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("cannot run it: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let read = git::read_lines(&mut stdout, b'\0', git::MAX_LINE, &mut each);
    drop(stdout);
    let status = child.wait();
    let wrote = writer
        .join()
        .map_err(|_| failed("its feeder panicked".into()))?;
    read.map_err(|e| failed(format!("cannot read its output: {e}")))?;
    wrote.map_err(|e| failed(format!("cannot write to it: {e}")))?;
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(failed(format!("it failed ({s})"))),
        Err(e) => Err(failed(e.to_string())),
    }
}

/// `git diff-tree --stdin -z --raw --always` output, record by record: a commit's id for
/// each line of input, then `:<old mode> <new mode> <old id> <new id> <status>` and one
/// path (two, old and new, for a rename or a copy) for each file the diff changes.
struct Diffs<'a> {
    /// What each line of input compared: a commit, and which of its parents.
    pairs: &'a [(usize, Option<usize>)],
    parents: &'a [Vec<String>],
    /// Whether the places of a blob are asked about.
    wanted: &'a dyn Fn(&str) -> bool,
    /// The index in `pairs` of the diff being read.
    pair: Option<usize>,
    /// The entry whose path (or paths) come next.
    entry: Option<Entry>,
    /// For each (commit, path) of a wanted blob: the blob, and what each parent had.
    found: HashMap<(usize, String), Brought>,
    /// The most bytes of places kept ([`PLACE_BYTES`] each, and their paths); past it,
    /// none more is, and `over_cap` says so.
    cap: usize,
    kept: usize,
    over_cap: bool,
}

/// A wanted blob at a commit's path, and what each parent had there, as far as read:
/// `None` for a parent whose diff does not name the path.
#[derive(Debug)]
struct Brought {
    blob: String,
    before: Vec<Option<Before>>,
}

/// A file of a diff, read up to its paths.
struct Entry {
    old: Option<String>,
    new: String,
    renamed: bool,
    /// Paths still to come: two for a rename or a copy.
    paths: Vec<String>,
    two: bool,
}

impl<'a> Diffs<'a> {
    fn new(
        pairs: &'a [(usize, Option<usize>)],
        parents: &'a [Vec<String>],
        wanted: &'a dyn Fn(&str) -> bool,
        cap: usize,
    ) -> Diffs<'a> {
        Diffs {
            pairs,
            parents,
            wanted,
            pair: None,
            entry: None,
            found: HashMap::new(),
            cap,
            kept: 0,
            over_cap: false,
        }
    }

    fn take(&mut self, record: &[u8]) {
        if let Some(mut entry) = self.entry.take() {
            entry
                .paths
                .push(String::from_utf8_lossy(record).into_owned());
            if entry.two && entry.paths.len() < 2 {
                self.entry = Some(entry);
            } else {
                self.keep(entry);
            }
            return;
        }
        let record = record.strip_prefix(b"\n").unwrap_or(record);
        match record.strip_prefix(b":") {
            Some(meta) => self.entry = Self::entry(&String::from_utf8_lossy(meta)),
            None if !record.is_empty() => self.pair = Some(self.pair.map_or(0, |p| p + 1)),
            None => {}
        }
    }

    /// `<old mode> <new mode> <old id> <new id> <status>`; an entry whose paths are
    /// read and dropped when it is no blob of ours.
    fn entry(meta: &str) -> Option<Entry> {
        let [old_mode, new_mode, old, new, status] = meta.split(' ').collect::<Vec<_>>()[..] else {
            return None;
        };
        let kind = status.chars().next().unwrap_or('?');
        let two = matches!(kind, 'R' | 'C');
        let keeps_old = matches!(kind, 'M' | 'T' | 'R') && old_mode != GITLINK && !is_null(old);
        Some(Entry {
            old: keeps_old.then(|| old.to_string()),
            new: if new_mode == GITLINK || is_null(new) {
                String::new()
            } else {
                new.to_string()
            },
            renamed: kind == 'R',
            paths: Vec::new(),
            two,
        })
    }

    fn keep(&mut self, entry: Entry) {
        let Some(&(commit, parent)) = self.pair.and_then(|p| self.pairs.get(p)) else {
            return;
        };
        if entry.new.is_empty() || !(self.wanted)(&entry.new) {
            return;
        }
        let Entry {
            old,
            new,
            renamed,
            mut paths,
            ..
        } = entry;
        let Some(path) = paths.pop() else {
            return;
        };
        let old_path = if renamed {
            paths.pop().unwrap_or_else(|| path.clone())
        } else {
            path.clone()
        };
        let count = self.parents[commit].len();
        let cost = PLACE_BYTES + path.len() + old_path.len();
        if self.over_cap || self.kept.saturating_add(cost) > self.cap {
            self.over_cap = true;
            return;
        }
        self.kept += cost;
        let key = (commit, path);
        let brought = self.found.entry(key).or_insert_with(|| Brought {
            blob: new,
            before: (0..count).map(|_| None).collect(),
        });
        if let Some(slot) = parent.and_then(|p| brought.before.get_mut(p)) {
            *slot = Some(match old {
                Some(oid) => Before::Blob {
                    oid,
                    path: old_path,
                },
                None => Before::Nothing,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diffs<'a>(
        pairs: &'a [(usize, Option<usize>)],
        parents: &'a [Vec<String>],
        wanted: &'a dyn Fn(&str) -> bool,
        records: &[&str],
    ) -> HashMap<(usize, String), Brought> {
        let mut diffs = Diffs::new(pairs, parents, wanted, NO_CAP);
        for record in records {
            diffs.take(record.as_bytes());
        }
        diffs.found
    }

    #[test]
    fn a_merge_diff_gives_each_parent_its_version() {
        let (a, b, c, z) = (
            "a".repeat(40),
            "b".repeat(40),
            "c".repeat(40),
            "0".repeat(40),
        );
        let parents = vec![vec!["p1".to_string(), "p2".to_string()]];
        let pairs = [(0, Some(0)), (0, Some(1))];
        let wanted = |oid: &str| oid == b;
        let m = |old: &str, status: &str| format!(":100644 100644 {old} {b} {status}");
        let found = diffs(
            &pairs,
            &parents,
            &wanted,
            &[
                "m",
                &m(&a, "M"),
                "x.txt",
                &format!(":100644 100644 {a} {c} M"),
                "other.txt",
                &m(&c, "R090"),
                "old.txt",
                "new.txt",
                "m",
                &m(&z, "A"),
                "new.txt",
            ],
        );
        let Brought { blob, before: x } = &found[&(0, "x.txt".to_string())];
        assert_eq!(blob, &b);
        let x_old = Before::Blob {
            oid: a.clone(),
            path: "x.txt".into(),
        };
        assert_eq!(
            x,
            &[Some(x_old), None],
            "unchanged against the second parent"
        );
        let renamed = Before::Blob {
            oid: c.clone(),
            path: "old.txt".into(),
        };
        let new = &found[&(0, "new.txt".to_string())].before;
        assert_eq!(new, &[Some(renamed), Some(Before::Nothing)]);
        assert_eq!(found.len(), 2, "other.txt's blob is not asked about");
    }

    #[test]
    fn places_past_the_cap_are_not_kept_and_said_so() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let parents = vec![vec![]];
        let pairs = [(0, None)];
        let wanted = |_: &str| true;
        let added = |blob: &str| format!(":000000 100644 {} {blob} A", "0".repeat(40));
        let records = ["c", &added(&a), "one.txt", &added(&b), "two.txt"];
        let place = PLACE_BYTES + 2 * "one.txt".len();
        let mut diffs = Diffs::new(&pairs, &parents, &wanted, place);
        for record in records {
            diffs.take(record.as_bytes());
        }
        assert!(diffs.over_cap);
        assert_eq!(diffs.found.len(), 1);
        // A long path costs its length: it alone goes past a cap that holds two short ones.
        let long = format!("{}.txt", "d/".repeat(PLACE_BYTES));
        let mut diffs = Diffs::new(&pairs, &parents, &wanted, 2 * place);
        for record in ["c", &added(&a), &long] {
            diffs.take(record.as_bytes());
        }
        assert!(diffs.over_cap);
        assert!(diffs.found.is_empty());
        let mut uncapped = Diffs::new(&pairs, &parents, &wanted, 2 * place);
        for record in records {
            uncapped.take(record.as_bytes());
        }
        assert!(!uncapped.over_cap);
        assert_eq!(uncapped.found.len(), 2);
    }

    #[test]
    fn a_secret_is_new_only_when_no_parent_holds_it() {
        let key: Key = ("rule".into(), Some("h".into()));
        let held: Held = [("old".to_string(), [key.clone()].into())].into();
        let blob = |oid: &str| Before::Blob {
            oid: oid.into(),
            path: "p".into(),
        };
        let place = |before| Place {
            commit: 0,
            path: "p".into(),
            before,
        };
        assert!(place(vec![]).is_new("b", &key, &held), "a root commit");
        assert!(place(vec![Before::Nothing]).is_new("b", &key, &held));
        assert!(place(vec![blob("other")]).is_new("b", &key, &held));
        assert!(!place(vec![blob("old")]).is_new("b", &key, &held));
        assert!(!place(vec![blob("b")]).is_new("b", &key, &held));
        assert!(!place(vec![Before::Nothing, Before::Same]).is_new("b", &key, &held));
        assert!(!place(vec![blob("other"), blob("old")]).is_new("b", &key, &held));
        let other: Key = ("rule".into(), Some("h2".into()));
        assert!(place(vec![blob("old")]).is_new("b", &other, &held));
    }
}
