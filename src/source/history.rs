//! `scan --history`: every object of the history. The blobs that the revisions reach, each
//! judged at every path it has in their commits (but the ignored ones), and each read and
//! scanned once; every commit's message, author and committer, at `<commit message>`;
//! every annotated tag's message, at `<tag message>`. A scan of every ref's history
//! reads what no ref reaches too (an amended-away commit, a dropped stash, a blob added
//! and never committed): such findings are labelled `unreachable`.
//!
//! Objects are read through one long-lived `git cat-file --batch`, and scanned in
//! parallel batches of bounded size; a blob too large for a batch is spooled to a
//! temporary file and scanned in windows. A finding names the commit that first added
//! its secret at its place: a token deleted later is still in the history, and still
//! leaked. The same secret at the same place in several versions (of a file, of commits'
//! messages) is one finding, which counts them. A range's blob findings are judged by
//! `introduced.rs`: only the secrets new to their files count.
//!
//! Every ref's history is read otherwise (`list_whole`): every object of the repository
//! is read at once and scanned at no place of its own, while `git log` finds the places
//! (the packs' objects in this process, by `packs.rs`, in pack order; the others through
//! `git cat-file`); only the objects with something to judge are read again and judged
//! at their places. A repository this cannot list so (a partial clone, replaced objects,
//! a ref naming a tree or a blob, a shallow clone) is read as a range is.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::ignore::ProjectIgnore;
use super::introduced;
use super::packs;
use super::walk;
use crate::check::Checker;
use crate::finding::Finding;
use crate::git::{self, FirstCommits, HistoryBlob, Judging, Kind, Object, Revisions};
use crate::item::{Data, Item, OpenFile};
use crate::outcome::{Outcome, ScanError};
use crate::scan::Scratch;
use crate::Error;

/// Blob bytes read before a batch is scanned: memory stays bounded whatever the history
/// (three batches at most are held: one read, one waiting, one scanned).
const BATCH_BYTES: usize = 8 << 20;

/// The place of a commit's findings: its message, author and committer, as
/// `git cat-file -p` shows the commit (its lines are the report's).
const COMMIT_MESSAGE: &str = "<commit message>";

/// The place of an annotated tag's findings, as `git cat-file -p` shows the tag.
const TAG_MESSAGE: &str = "<tag message>";

/// Where an object's findings are reported: a blob is judged at each path it has.
#[derive(Clone, Debug)]
struct Place {
    /// The path shown: the blob's path, or a placeholder in angle brackets.
    shown: String,
    /// The commit that first added the blob there, or whose message it is, or that the
    /// tag names: its place in [`Logs`], older first.
    commit: Option<usize>,
    note: Note,
    /// Whether `shown` is a file's path; else it names a git object (a commit's or a tag's
    /// message, a blob in no tree), which no report may take for a file.
    file: bool,
}

/// What a finding's message says of its place beyond the commit.
#[derive(Clone, Debug)]
enum Note {
    None,
    /// A blob that no tree holds, which a ref names.
    InNoTree,
    /// An object that no ref reaches.
    Unreachable(String),
    /// The message of the tag object `oid`, which the ref `name` names.
    Tag {
        name: String,
        oid: String,
    },
}

/// An object to read, and the places where it is judged.
#[derive(Debug)]
struct Wanted {
    oid: String,
    places: Vec<Place>,
}

/// A finding of the place `place` of the object `wanted` (indexes).
struct Found {
    wanted: usize,
    place: usize,
    finding: Finding,
}

/// Which commit added which blob where: the revisions' log, then the log of the commits
/// no ref reaches.
#[derive(Default)]
struct Logs {
    reachable: FirstCommits,
    unreachable: FirstCommits,
}

impl Logs {
    /// The commit at `at`, the blob's path in it `path`.
    fn commit(&self, at: usize, path: &str) -> crate::finding::Commit {
        match at.checked_sub(self.reachable.len()) {
            None => self.reachable.commit(at, path),
            Some(at) => {
                let mut commit = self.unreachable.commit(at, path);
                commit.unreachable = true;
                commit
            }
        }
    }
}

/// Scans every object of the history of the repository around `dir` that `revs` reach
/// (and, for every ref's history, those no ref reaches).
pub(super) fn scan(
    dir: &Path,
    revs: &Revisions,
    checker: &Checker,
    ignore: &ProjectIgnore,
) -> Result<Outcome, Error> {
    let repo = crate::repo::open(dir)?;
    let top = repo.top.clone();
    let judging = revs.is_range() && revs.judging == Judging::Introduced;
    let ahead = if judging {
        introduced::ReadAhead::start(&top, revs)
    } else {
        introduced::ReadAhead::none()
    };
    let pushed_tags = revs.verify(&top)?;
    // The longest of git's parts: started first.
    let mut log = Some(spawned_log(&top, revs));
    let mut outcome = Outcome::default();
    let shallow = repo.is_shallow();
    if shallow {
        outcome.errors.push(ScanError {
            path: top.display().to_string(),
            message: "a shallow clone: the history before its first commit is not scanned".into(),
        });
    }
    let whole = match revs.is_whole() && !shallow {
        true => list_whole(
            &top,
            &repo.common,
            revs,
            &mut log,
            checker,
            &mut outcome,
            ignore,
        )?,
        false => None,
    };
    let (logs, wanted, mut missing) = match (whole, log) {
        (Some((logs, wanted)), _) => (logs, wanted, Vec::new()),
        (None, log) => list(&top, revs, ignore, judging, log, &pushed_tags)?,
    };
    let found = scan_objects(&top, &wanted, checker, &mut outcome, &mut missing)?;
    outcome.errors.extend(not_in_clone(&top, &missing)?);
    if !judging {
        outcome
            .findings
            .extend(once_per_place(found, &wanted, &logs));
        return Ok(outcome);
    }
    // The messages a range brings are its own; its blobs' secrets may be older.
    let (blobs, messages): (Vec<Found>, Vec<Found>) = found
        .into_iter()
        .partition(|f| is_blob_place(&wanted[f.wanted].places[f.place]));
    outcome
        .findings
        .extend(once_per_place(messages, &wanted, &logs));
    let in_no_tree: HashSet<&str> = wanted
        .iter()
        .filter(|w| w.places.iter().any(|p| matches!(p.note, Note::InNoTree)))
        .map(|w| w.oid.as_str())
        .collect();
    let scanned: HashSet<&str> = wanted.iter().map(|w| w.oid.as_str()).collect();
    // Each blob's findings once: `introduced` finds where the range brought them.
    let found: Vec<(String, Finding)> = blobs
        .into_iter()
        .filter(|f| f.place == 0)
        .map(|f| (wanted[f.wanted].oid.clone(), f.finding))
        .collect();
    let range = introduced::Range {
        top: &top,
        revs,
        checker,
        ignore,
        commits: &logs.reachable,
        scanned: &scanned,
    };
    let placed = introduced::judge(&range, ahead, found, &mut outcome)?;
    outcome
        .findings
        .extend(placed.into_iter().map(|(oid, f, commit)| {
            let place = Place {
                shown: commit
                    .as_ref()
                    .map_or_else(|| f.path.clone(), |c| c.path.clone()),
                commit: None,
                note: if in_no_tree.contains(oid.as_str()) {
                    Note::InNoTree
                } else {
                    Note::None
                },
                file: !in_no_tree.contains(oid.as_str()),
            };
            let mut finding = described(f, &place, 1, &logs);
            if let Some(commit) = commit {
                finding.set_file_path(&commit.path);
                finding
                    .message
                    .push_str(&added_in(&commit, "added in commit"));
                finding.commit = Some(commit);
            }
            finding
        }));
    Ok(outcome)
}

/// Whether a place is a blob's path, not a commit's or a tag's message.
fn is_blob_place(place: &Place) -> bool {
    place.file || matches!(place.note, Note::InNoTree)
}

/// ` (added in commit 1a2b3c4d5e by A <a@x> on 2026-01-01)`.
fn added_in(commit: &crate::finding::Commit, how: &str) -> String {
    format!(
        " ({how} {} by {} on {})",
        short(&commit.id),
        commit.author,
        &commit.date[..commit.date.len().min(10)]
    )
}

/// Scans the blobs through one `git cat-file --batch`, each at its one path, and returns
/// each finding with its blob's id; adds the ids of the blobs git lacks to `missing`.
/// For no blob, no git is started (a push's range most often moves no older blob).
pub(super) fn scan_blobs(
    top: &Path,
    blobs: &[HistoryBlob],
    checker: &Checker,
    outcome: &mut Outcome,
    missing: &mut Vec<String>,
) -> Result<Vec<(String, Finding)>, Error> {
    if blobs.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Wanted> = blobs
        .iter()
        .map(|b| Wanted {
            oid: b.oid.clone(),
            places: vec![Place {
                shown: b.path.clone(),
                commit: None,
                note: Note::None,
                file: true,
            }],
        })
        .collect();
    let found = scan_objects(top, &wanted, checker, outcome, missing)?;
    Ok(found
        .into_iter()
        .map(|f| (wanted[f.wanted].oid.clone(), f.finding))
        .collect())
}

/// Runs `job` on a thread of its own, to be joined with [`joined`].
fn spawned<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, git::GitError> + Send + 'static,
) -> std::thread::JoinHandle<Result<T, git::GitError>> {
    std::thread::spawn(job)
}

fn joined<T>(
    handle: std::thread::JoinHandle<Result<T, git::GitError>>,
    what: &str,
) -> Result<T, Error> {
    let result = handle.join().map_err(|_| {
        Error::Git(git::GitError {
            message: format!("the thread reading {what} panicked"),
            help: None,
        })
    })?;
    Ok(result?)
}

/// The log of the revisions' commits, read on a thread of its own.
type LogThread = std::thread::JoinHandle<Result<FirstCommits, git::GitError>>;

/// Starts reading the log of `revs`: which commit added which blob where.
fn spawned_log(top: &Path, revs: &Revisions) -> LogThread {
    let (top, revs) = (top.to_path_buf(), revs.clone());
    spawned(move || git::first_commits(&top, &revs))
}

/// What the history's listing found, before places are made of it.
struct Listed<'a> {
    log: FirstCommits,
    blobs: Vec<HistoryBlob>,
    missing: Vec<String>,
    refs: Vec<git::Ref>,
    /// The pushed tips that are annotated tags ([`Revisions::verify`]).
    pushed_tags: &'a [git::Ref],
    /// For every ref's history: every object of the repository, and the index's blobs.
    every: Option<(&'a [Listing], Vec<String>)>,
    /// Which of the blobs to read, once placed (the others are never held).
    keep: &'a mut dyn FnMut(&Wanted) -> bool,
}

/// An object of the repository and its kind, as [`git::all_objects`] lists them.
type Listing = (String, Kind);

/// What to read and where to judge it: the blobs the revisions reach, at every path
/// the ignore file does not ignore; their commits; the annotated tags; and, for every
/// ref's history, the objects no ref reaches. Also the ids of the blobs git lacks.
/// `pushed_tags` are the tips that are annotated tags ([`Revisions::verify`]).
fn list(
    top: &Path,
    revs: &Revisions,
    ignore: &ProjectIgnore,
    judging: bool,
    log: Option<LogThread>,
    pushed_tags: &[git::Ref],
) -> Result<(Logs, Vec<Wanted>, Vec<String>), Error> {
    let log = log.unwrap_or_else(|| spawned_log(top, revs));
    let every = revs.is_whole().then(|| {
        let top = top.to_path_buf();
        spawned(move || git::all_objects(&top))
    });
    let staged = revs.is_whole().then(|| {
        let top = top.to_path_buf();
        spawned(move || Ok(git::index_blobs(&top)))
    });
    let (blobs, missing) = git::history_blobs(top, revs)?;
    // A push's range leaves out what every ref reaches: no ref's tag names its commits.
    let refs = match revs.leaves_out_every_ref() {
        true => Vec::new(),
        false => git::refs(top)?,
    };
    let log = joined(log, "`git log`")?;
    let every = every.map(|e| joined(e, "every object")).transpose()?;
    let staged = staged.map_or(Ok(Vec::new()), |s| joined(s, "the index"))?;
    let listed = Listed {
        log,
        blobs,
        missing,
        refs,
        pushed_tags,
        every: every.as_deref().map(|every| (every, staged)),
        keep: &mut |_| true,
    };
    placed(top, revs, ignore, judging, listed)
}

/// The places of what `listed` holds, as [`list`] returns them.
fn placed(
    top: &Path,
    revs: &Revisions,
    ignore: &ProjectIgnore,
    judging: bool,
    listed: Listed,
) -> Result<(Logs, Vec<Wanted>, Vec<String>), Error> {
    let Listed {
        log,
        blobs,
        missing,
        refs,
        pushed_tags,
        every,
        keep,
    } = listed;
    let mut logs = Logs {
        reachable: log,
        ..Logs::default()
    };
    let judged = |path: &str| !ignore.ignores(&top.join(path));
    let mut wanted: Vec<Wanted> = blobs
        .iter()
        .filter_map(|blob| blob_places(blob, &logs.reachable, &judged))
        .filter(|w| keep(w))
        .collect();
    let commits = commit_places(&logs.reachable, 0, &mut wanted);
    let mut tags = tag_places(&refs, &commits, revs.is_whole(), &mut wanted);
    // A push's new tags are no refs yet: each is read whatever commit it names.
    tags.extend(tag_places(pushed_tags, &commits, true, &mut wanted));
    if let Some((every, staged)) = every {
        // A staged blob is the index's, which `scan --staged` reads: not unreachable.
        let known_blobs: HashSet<&str> = blobs
            .iter()
            .map(|b| b.oid.as_str())
            .chain(missing.iter().map(String::as_str))
            .chain(staged.iter().map(String::as_str))
            .collect();
        let lost: Vec<String> = every
            .iter()
            .filter(|(oid, kind)| *kind == Kind::Commit && !commits.contains_key(oid.as_str()))
            .map(|(oid, _)| oid.clone())
            .collect();
        logs.unreachable = git::unreachable_places(top, &lost)?;
        let known = Known {
            blobs: &known_blobs,
            commits: &commits,
            tags: &tags,
        };
        unreachable_places(every, &known, &logs, &judged, &mut wanted);
    }
    // Only the commits are named from here on, unless a range's findings are judged.
    if !judging {
        logs.reachable.forget_places();
    }
    logs.unreachable.forget_places();
    Ok((logs, wanted, missing))
}

/// The place where every object of a whole history is scanned first, before its places
/// are known: the scan does not depend on the place (see [`judge`]).
const UNPLACED: &str = "<history object>";

/// What the first scan of an object, at [`UNPLACED`], told: what it counts for, and
/// whether it is to be judged again at its places.
#[derive(Clone, Copy)]
struct Unplaced {
    files: u64,
    bytes: u64,
    again: bool,
}

/// [`list`] for every ref's history, without the walk of every tree: every object of the
/// repository is read once, in the order of its packs, and scanned at [`UNPLACED`] while
/// `git log` lists the places (its `--raw` diffs name every blob of every commit's tree
/// at each path, where some commit adds it). Only the objects with a finding or a
/// warning there, an archive, a large blob, or a place named like a token file are
/// returned, to be judged again at their places as [`list`]'s are; the others are counted
/// in `outcome`. `None` for a repository whose history this cannot list alike: a partial
/// clone (which lacks objects), replaced objects, or a ref that names a tree or a blob.
fn list_whole(
    top: &Path,
    common: &Path,
    revs: &Revisions,
    log: &mut Option<LogThread>,
    checker: &Checker,
    outcome: &mut Outcome,
    ignore: &ProjectIgnore,
) -> Result<Option<(Logs, Vec<Wanted>)>, Error> {
    let refs = git::refs(top)?;
    let unusual = refs.iter().any(|r| {
        let names_no_commit = [&r.kind, &r.peeled_kind]
            .iter()
            .any(|kind| *kind == "blob" || *kind == "tree");
        r.name.starts_with("refs/replace/") || names_no_commit
    });
    let log = match log.take() {
        Some(log) if !unusual && !git::is_partial_clone(top) => log,
        other => {
            *log = other;
            return Ok(None);
        }
    };
    let staged = {
        let top = top.to_path_buf();
        spawned(move || Ok(git::index_blobs(&top)))
    };
    let every = {
        let top = top.to_path_buf();
        spawned(move || git::all_objects(&top))
    };
    let objects = packs::object_dir(common, &git::object_format(top)?);
    let (every, unplaced) = scan_unplaced(top, objects.as_deref(), every, checker)?;
    let log = joined(log, "`git log`")?;
    let staged = joined(staged, "the index")?;
    let mut ids: Vec<&str> = log.blob_ids().collect();
    ids.sort_unstable();
    let blobs = ids
        .into_iter()
        .map(|oid| HistoryBlob {
            oid: oid.to_string(),
            path: String::new(),
            in_tree: true,
        })
        .collect();
    let unplaced: HashMap<&str, Unplaced> = every
        .iter()
        .map(|(oid, _)| oid.as_str())
        .zip(unplaced)
        .collect();
    // An object git did not list is read again: git tells whether it lacks it.
    let mut again = |w: &Wanted| match unplaced.get(w.oid.as_str()) {
        Some(u) if !u.again && !w.places.iter().any(|p| is_token_file_place(&p.shown)) => {
            outcome.files += u.files;
            outcome.bytes += u.bytes;
            false
        }
        _ => true,
    };
    let listed = Listed {
        log,
        blobs,
        missing: Vec::new(),
        refs,
        pushed_tags: &[],
        every: Some((&every, staged)),
        keep: &mut again,
    };
    let (logs, mut wanted, _) = placed(top, revs, ignore, false, listed)?;
    wanted.retain(again);
    Ok(Some((logs, wanted)))
}

/// Whether the place `shown` is named like a token file, which its name makes one.
fn is_token_file_place(shown: &str) -> bool {
    let name = shown.rsplit('/').next().unwrap_or_default();
    crate::token_file::is_token_file_name(name)
}

/// Reads and scans each object of `every` at [`UNPLACED`]: what each told, in order.
/// Those of the packs of `objects` are read in this process ([`packs`]), and the others
/// (loose objects, large ones, an alternate's, those a pack could not give) through `git
/// cat-file`. An object git does not give is to be read again.
fn scan_unplaced(
    top: &Path,
    objects: Option<&Path>,
    every: std::thread::JoinHandle<Result<Vec<Listing>, git::GitError>>,
    checker: &Checker,
) -> Result<(Vec<Listing>, Vec<Unplaced>), Error> {
    let path = top.join(UNPLACED);
    let unpacked = std::sync::Mutex::new(HashMap::new());
    if let Some(objects) = objects {
        let each = |scratch: &mut Scratch, oid: &str, _: Kind, data: &[u8]| {
            // Left to git, which spools it: scanned in windows, as every large blob is.
            if data.len() as u64 >= walk::SPOOL_FROM {
                return;
            }
            let item = Item {
                path: Some(&path),
                shown: UNPLACED,
                data: Data::Held(data),
            };
            let told = told(checker.check_item(item, scratch), Some(data));
            let mut unpacked = unpacked
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            unpacked.insert(oid.to_string(), told);
        };
        // A pack that could not be read whole is read by git, which says what is wrong.
        // Every core: `git log`, which finds the places meanwhile, ends first.
        let _ = packs::each_object(objects, rayon::current_num_threads(), &each);
    }
    let unpacked = unpacked
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let every = joined(every, "every object")?;
    let unknown = Unplaced {
        files: 0,
        bytes: 0,
        again: true,
    };
    let mut told_of = vec![unknown; every.len()];
    let mut rest = Vec::new();
    for (at, (oid, _)) in every.iter().enumerate() {
        match unpacked.get(oid.as_str()) {
            Some(unplaced) => told_of[at] = *unplaced,
            None => rest.push(at),
        }
    }
    drop(unpacked);
    let oids: Vec<&str> = rest.iter().map(|&at| every[at].0.as_str()).collect();
    let judge =
        |_: usize, held: Option<&[u8]>, check: &mut Check| told(check(&path, UNPLACED), held);
    read_scanned(top, &oids, checker, &judge, |at, judged| {
        if let Some(judged) = judged {
            told_of[rest[at]] = judged;
        }
    })?;
    Ok((every, told_of))
}

/// What an object's scan at [`UNPLACED`] told, `held` its bytes (`None`: spooled).
fn told(checked: Outcome, held: Option<&[u8]>) -> Unplaced {
    // An archive's members are judged by names the place may make token files of.
    let opaque = held.is_none_or(|data| crate::archive::sniff(data).is_some());
    Unplaced {
        files: checked.files,
        bytes: checked.bytes,
        again: opaque || !checked.findings.is_empty() || !checked.errors.is_empty(),
    }
}

/// Where the blob is judged: at each path the log has it at and the ignore file does
/// not ignore, with the commit that first added it there; a blob in no tree at its
/// placeholder. `None` when every path is ignored.
fn blob_places(
    blob: &HistoryBlob,
    log: &FirstCommits,
    judged: &impl Fn(&str) -> bool,
) -> Option<Wanted> {
    let place = |shown: &str, commit, note: Note| Place {
        shown: shown.to_string(),
        commit,
        file: !matches!(note, Note::InNoTree),
        note,
    };
    let mut places: Vec<Place> = log
        .places(&blob.oid)
        .filter(|(_, path)| judged(path))
        .map(|(at, path)| place(path, Some(at), Note::None))
        .collect();
    if !blob.in_tree {
        places.push(place(&blob.path, None, Note::InNoTree));
    } else if log.places(&blob.oid).next().is_none() && judged(&blob.path) {
        // In a tree of the revisions, yet added by none of their commits' diffs.
        places.push(place(&blob.path, None, Note::None));
    }
    (!places.is_empty()).then(|| Wanted {
        oid: blob.oid.clone(),
        places,
    })
}

/// Adds each commit of `log` (a merge is in it once per parent) at [`COMMIT_MESSAGE`],
/// its place in [`Logs`] offset by `offset`, its note `note`; returns the place of each.
fn commit_places<'a>(
    log: &'a FirstCommits,
    offset: usize,
    wanted: &mut Vec<Wanted>,
) -> HashMap<&'a str, usize> {
    let mut commits = HashMap::new();
    for at in 0..log.len() {
        let id = log.id(at);
        if commits.insert(id, offset + at).is_some() {
            continue;
        }
        let note = if offset > 0 {
            Note::Unreachable(id.to_string())
        } else {
            Note::None
        };
        wanted.push(Wanted {
            oid: id.to_string(),
            places: vec![Place {
                shown: COMMIT_MESSAGE.to_string(),
                commit: Some(offset + at),
                note,
                file: false,
            }],
        });
    }
    commits.shrink_to_fit();
    commits
}

/// Adds each annotated tag a ref names, at [`TAG_MESSAGE`], with the commit it names:
/// every tag for every ref's history, else those that name a commit of the revisions.
/// Returns the tag objects added.
fn tag_places(
    refs: &[git::Ref],
    commits: &HashMap<&str, usize>,
    whole: bool,
    wanted: &mut Vec<Wanted>,
) -> HashSet<String> {
    let mut tags = HashSet::new();
    for r in refs.iter().filter(|r| r.kind == "tag") {
        let commit = commits.get(r.peeled.as_str()).copied();
        if !(whole || commit.is_some()) || !tags.insert(r.oid.clone()) {
            continue;
        }
        let name = r.name.strip_prefix("refs/tags/").unwrap_or(&r.name);
        wanted.push(Wanted {
            oid: r.oid.clone(),
            places: vec![Place {
                shown: TAG_MESSAGE.to_string(),
                commit,
                note: Note::Tag {
                    name: name.to_string(),
                    oid: r.oid.clone(),
                },
                file: false,
            }],
        });
    }
    tags
}

/// The objects some ref reaches.
struct Known<'a> {
    blobs: &'a HashSet<&'a str>,
    commits: &'a HashMap<&'a str, usize>,
    tags: &'a HashSet<String>,
}

/// Adds the objects of `every` that no ref reaches: a commit at [`COMMIT_MESSAGE`], a
/// blob at each path an unreachable commit gives it (else at a placeholder), a tag at
/// [`TAG_MESSAGE`].
fn unreachable_places(
    every: &[(String, Kind)],
    known: &Known,
    logs: &Logs,
    judged: &impl Fn(&str) -> bool,
    wanted: &mut Vec<Wanted>,
) {
    let offset = logs.reachable.len();
    let commits = commit_places(&logs.unreachable, offset, wanted);
    for (oid, kind) in every {
        let note = Note::Unreachable(oid.clone());
        let places = match kind {
            Kind::Blob if !known.blobs.contains(oid.as_str()) => {
                let mut places: Vec<Place> = logs
                    .unreachable
                    .places(oid)
                    .filter(|(_, path)| judged(path))
                    .map(|(at, path)| Place {
                        shown: path.to_string(),
                        commit: Some(offset + at),
                        note: note.clone(),
                        file: true,
                    })
                    .collect();
                if logs.unreachable.places(oid).next().is_none() {
                    places.push(Place {
                        shown: format!("<unreachable blob {}>", short(oid)),
                        commit: None,
                        note,
                        file: false,
                    });
                }
                places
            }
            Kind::Tag if !known.tags.contains(oid) => vec![Place {
                shown: TAG_MESSAGE.to_string(),
                commit: None,
                note,
                file: false,
            }],
            // Listed by the log of the unreachable commits, above; one it missed.
            Kind::Commit
                if !known.commits.contains_key(oid.as_str())
                    && !commits.contains_key(oid.as_str()) =>
            {
                vec![Place {
                    shown: COMMIT_MESSAGE.to_string(),
                    commit: None,
                    note,
                    file: false,
                }]
            }
            _ => continue,
        };
        if !places.is_empty() {
            wanted.push(Wanted {
                oid: oid.clone(),
                places,
            });
        }
    }
}

/// An object id cut to ten digits, as reports show it.
fn short(oid: &str) -> &str {
    &oid[..oid.len().min(10)]
}

/// Held objects waiting to be scanned, each with its index in the list.
type Batch = Vec<(usize, Vec<u8>)>;

/// A check of an object as found at a path and shown under a name.
type Check<'a> = dyn FnMut(&Path, &str) -> Outcome + 'a;

/// What makes an `R` of an object: given its index, its bytes when held (not when
/// spooled), and its check.
type Judge<'a, R> = dyn Fn(usize, Option<&[u8]>, &mut Check) -> R + Sync + 'a;

/// Reads the objects through one `git cat-file --batch` and judges each at its places,
/// adding its findings and what was scanned to `outcome`; adds the ids of the objects
/// git does not have to `missing`.
fn scan_objects(
    top: &Path,
    wanted: &[Wanted],
    checker: &Checker,
    outcome: &mut Outcome,
    missing: &mut Vec<String>,
) -> Result<Vec<Found>, Error> {
    let oids: Vec<&str> = wanted.iter().map(|w| w.oid.as_str()).collect();
    let mut found: Vec<Found> = Vec::new();
    let judged =
        |at: usize, _: Option<&[u8]>, check: &mut Check| judge(top, at, &wanted[at], check);
    read_scanned(top, &oids, checker, &judged, |at, judged| match judged {
        Some((more, checked)) => {
            found.extend(more);
            outcome.merge(checked);
        }
        None => missing.push(wanted[at].oid.clone()),
    })?;
    Ok(found)
}

/// Reads the objects `oids` name through one `git cat-file --batch` and hands what
/// `judge` makes of each (given its index, its bytes when held, and its check) to `sink`,
/// with its index; `None` for an object git does not have. Those held in memory are judged
/// in parallel batches, by a thread of their own while the next batch is read (git never
/// waits for a scan, nor a scan for git, and at most three batches are held); those
/// spooled one at a time, in windows, as they come.
fn read_scanned<R: Send>(
    top: &Path,
    oids: &[&str],
    checker: &Checker,
    judge: &Judge<R>,
    sink: impl FnMut(usize, Option<R>) + Send,
) -> Result<(), Error> {
    if oids.is_empty() {
        return Ok(());
    }
    let progress = progress_bar(oids.len());
    let sink = std::sync::Mutex::new(sink);
    let give = |at: usize, judged: Option<R>| {
        let mut sink = sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sink(at, judged);
    };
    let read = std::thread::scope(|scope| {
        let (batches, received) = std::sync::mpsc::sync_channel::<Batch>(1);
        let give = &give;
        let scanner = scope.spawn(move || {
            for mut batch in received {
                for (at, judged) in scan_batch(&mut batch, checker, judge) {
                    give(at, Some(judged));
                }
            }
        });
        let mut batch: Batch = Vec::new();
        let mut batch_bytes = 0;
        // The window buffer of large blobs, which are scanned one at a time, never batched.
        let (mut window, mut scratch) = (Vec::new(), Scratch::default());
        let read = git::read_all(top, oids, walk::SPOOL_FROM, |at, object| {
            progress.inc(1);
            match object {
                Object::Held(data) => {
                    batch_bytes += data.len();
                    batch.push((at, data));
                }
                Object::Spooled(file, limit) => {
                    let judged = judge(at, None, &mut |path: &Path, shown: &str| {
                        let data = Data::File(OpenFile {
                            file: &file,
                            limit,
                            buf: &mut window,
                        });
                        let item = Item {
                            path: Some(path),
                            shown,
                            data,
                        };
                        checker.check_item(item, &mut scratch)
                    });
                    give(at, Some(judged));
                }
                Object::Missing => give(at, None),
            }
            if batch_bytes >= BATCH_BYTES {
                // Fails only if the scanning thread panicked, which joining it reports.
                let _ = batches.send(std::mem::take(&mut batch));
                batch_bytes = 0;
            }
        });
        let _ = batches.send(batch);
        drop(batches);
        scanner
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        read
    });
    read?;
    progress.finish_and_clear();
    Ok(())
}

/// Judges the objects of `batch` (held, with their index) in parallel, and empties it.
fn scan_batch<R: Send>(batch: &mut Batch, checker: &Checker, judge: &Judge<R>) -> Vec<(usize, R)> {
    let judged = batch
        .par_iter()
        .map_init(Scratch::default, |scratch, (at, data)| {
            let check = &mut |path: &Path, shown: &str| {
                let item = Item {
                    path: Some(path),
                    shown,
                    data: Data::Held(data),
                };
                checker.check_item(item, scratch)
            };
            (*at, judge(*at, Some(data), check))
        })
        .collect();
    batch.clear();
    judged
}

/// The findings of the object at `at` in the list, `wanted`, judged at each of its
/// places by `check` (which checks it as found at a path and shown under a name); and
/// what was scanned of it, counted once. The scan does not depend on the place, but what
/// is made of a match does (keys, the allowlist, the token-file rules): an object is
/// checked again at another place only if it holds a finding, or that place is named
/// like a token file. Most objects have one place, and no finding.
fn judge(
    top: &Path,
    at: usize,
    wanted: &Wanted,
    mut check: impl FnMut(&Path, &str) -> Outcome,
) -> (Vec<Found>, Outcome) {
    let mut found = Vec::new();
    let mut scanned = Outcome::default();
    for (i, place) in wanted.places.iter().enumerate() {
        if i > 0 && found.is_empty() && !is_token_file_place(&place.shown) {
            continue;
        }
        let mut checked = check(&top.join(&place.shown), &place.shown);
        found.extend(checked.findings.drain(..).map(|finding| Found {
            wanted: at,
            place: i,
            finding,
        }));
        if i == 0 {
            scanned = checked;
        }
    }
    (found, scanned)
}

/// One finding per secret and place: the findings with one fingerprint (rule, place,
/// secret) are the same secret in several versions, reported once, as found in the
/// oldest commit, with their count.
fn once_per_place(found: Vec<Found>, wanted: &[Wanted], logs: &Logs) -> Vec<Finding> {
    let order = |f: &Found| {
        wanted[f.wanted].places[f.place]
            .commit
            .unwrap_or(usize::MAX)
    };
    let mut kept: Vec<(Found, usize)> = Vec::new();
    let mut by_fingerprint: HashMap<String, usize> = HashMap::new();
    for f in found {
        if f.finding.fingerprint.is_empty() {
            kept.push((f, 1));
            continue;
        }
        match by_fingerprint.entry(f.finding.fingerprint.clone()) {
            std::collections::hash_map::Entry::Occupied(at) => {
                let (oldest, versions) = &mut kept[*at.get()];
                *versions += 1;
                if order(&f) < order(oldest) {
                    *oldest = f;
                }
            }
            std::collections::hash_map::Entry::Vacant(at) => {
                at.insert(kept.len());
                kept.push((f, 1));
            }
        }
    }
    kept.into_iter()
        .map(|(f, versions)| {
            described(f.finding, &wanted[f.wanted].places[f.place], versions, logs)
        })
        .collect()
}

/// A finding of a history object, named after its place: the commit that first added
/// it there (or whose message it is), how many versions hold it, and what the place is.
fn described(mut finding: Finding, place: &Place, versions: usize, logs: &Logs) -> Finding {
    finding.in_file = place.file;
    let mut tagged = String::new();
    if let Some(at) = place.commit {
        let mut commit = logs.commit(at, &place.shown);
        commit.versions = versions;
        let how = if !place.file && place.shown == COMMIT_MESSAGE {
            "in commit"
        } else {
            "added in commit"
        };
        if !place.file && place.shown == TAG_MESSAGE {
            // The commit's author is not the tagger: the tag's own lines name the tagger.
            tagged = format!(", which tags commit {}", short(&commit.id));
        } else {
            finding.message.push_str(&added_in(&commit, how));
        }
        finding.commit = Some(commit);
    }
    if versions > 1 {
        finding
            .message
            .push_str(&format!(" (the same in {versions} versions)"));
    }
    match &place.note {
        Note::None => {}
        Note::InNoTree => finding
            .message
            .push_str(" (in no commit: a tag or another ref names the blob itself)"),
        Note::Unreachable(oid) => finding.message.push_str(&format!(
            " (unreachable: no ref reaches object {}; only the reflog, a stash's history or \
             nothing holds it, until git prunes it)",
            short(oid)
        )),
        Note::Tag { name, oid } => finding.message.push_str(&format!(
            " (in the message of tag {name}, object {}{tagged})",
            short(oid)
        )),
    }
    finding
}

/// A progress bar over `count` objects, drawn only when standard error is a terminal:
/// nothing in CI logs.
fn progress_bar(count: usize) -> indicatif::ProgressBar {
    let progress = indicatif::ProgressBar::with_draw_target(
        Some(count as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} scanning history {pos}/{len} objects {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    progress
}

/// How many missing objects are named one by one; the rest are counted.
const NAMED_MISSING: usize = 10;

/// Warnings for the blobs a partial clone lacks: they are neither fetched nor scanned. In
/// a repository that is not a partial clone, a blob git cannot read is lost or corrupt,
/// and its token would pass unseen: an error.
pub(super) fn not_in_clone(top: &Path, missing: &[String]) -> Result<Vec<ScanError>, Error> {
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let mut named: Vec<String> = missing.iter().take(NAMED_MISSING).cloned().collect();
    if missing.len() > NAMED_MISSING {
        named.push(format!("{} more", missing.len() - NAMED_MISSING));
    }
    if !git::is_partial_clone(top) {
        return Err(Error::Git(git::GitError {
            message: format!(
                "cannot read objects of the history: {}; this repository is not a partial \
                 clone, so they are lost or corrupt, and were not scanned",
                named.join(", ")
            ),
            help: Some("`git fsck` checks the repository".into()),
        }));
    }
    Ok(named
        .into_iter()
        .map(|oid| ScanError {
            path: top.display().to_string(),
            message: format!(
                "object {oid} is not in this clone (a partial clone?): not fetched, not scanned"
            ),
        })
        .collect())
}
