//! `tokenlint audit`: this machine's token files. It looks in every token store that
//! exists, in the places a downloaded token file lands (`~/Downloads`, `~/Desktop`, files
//! directly in `~`), and in the paths it is given, with no ignore files.
//!
//! Beyond what `scan` checks, it checks who can read the files and the stores, notes the
//! legacy store, and reports token files that hold the same token. It also looks in the
//! places a token lingers outside token files (`places.rs`): shell history, start-up,
//! environment and credential files, and the process environment. `audit --fix`
//! (`fix.rs`) works from what this finds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::check::{Checker, Subject};
use crate::finding::Finding;
use crate::hygiene::{self, Anchor, PrivatePath, Problem};
use crate::outcome::{Outcome, ScanError};
use crate::places::{self, Environment, Place};
use crate::report::TokenFileRow;
use crate::rules::BuiltinRule;
use crate::scan::Scratch;
use crate::store::{read_regular, StoreIndex, Stores, MAX_CANDIDATE};
use crate::token_file::{self, TokenFile};
use crate::Error;

/// What an audit found: the findings, and a row for every token file.
pub struct Audited {
    pub outcome: Outcome,
    pub token_files: Vec<TokenFileRow>,
    /// The token files found, for `--fix`.
    pub(crate) found: Vec<Found>,
    /// The existing store directories that others can read, for `--fix`.
    pub(crate) loose_stores: Vec<PathBuf>,
}

/// What the machine holds beyond the stores: the paths given, the root of the system's
/// `etc/` (none with `--no-system`), and the process environment.
pub(crate) struct Machine<'a> {
    pub(crate) extra: &'a [PathBuf],
    pub(crate) system_root: Option<&'a Path>,
    pub(crate) environment: &'a Environment,
}

/// Where a token file was found, which decides what `--fix` may do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// In a token store.
    Store { legacy: bool },
    /// Directly in `~`, `~/Downloads` or `~/Desktop`: where a downloaded file lands.
    Downloaded,
    /// Anywhere else: a path given on the command line.
    Elsewhere,
}

/// A file to look at, and how closely.
struct Candidate {
    path: PathBuf,
    look: Look,
}

/// How closely a candidate is read. A file found in more than one place is read as
/// closely as any of them asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Look {
    /// In home, Downloads or Desktop: a file not named like a token file is read only
    /// when it is small enough to be one.
    Glance,
    /// In a token store, or a path given: every file is read, up to [`MAX_CANDIDATE`].
    Full,
}

/// A token file found, kept for the duplicate check and `--fix`.
pub(crate) struct Found {
    pub(crate) path: PathBuf,
    pub(crate) shown: String,
    pub(crate) data: Vec<u8>,
    pub(crate) file: TokenFile,
    secrets: Vec<(std::ops::Range<usize>, String)>,
    pub(crate) origin: Origin,
    /// Others can read it (following a link, as the permission check does).
    pub(crate) loose: bool,
}

impl Found {
    /// The file, for findings made about it here.
    fn subject(&self) -> Subject<'_> {
        Subject {
            path: &self.path,
            shown: &self.shown,
            data: &self.data,
            file: Some(&self.file),
            secrets: &self.secrets,
        }
    }
}

pub(crate) fn audit(machine: &Machine, checker: &Checker) -> Result<Audited, Error> {
    let extra = machine.extra;
    if let Some((path, source)) = extra
        .iter()
        .find_map(|p| p.symlink_metadata().err().map(|e| (p, e)))
    {
        return Err(Error::Path {
            path: path.clone(),
            error: source,
        });
    }
    let settings = checker.settings();
    let mut outcome = Outcome::default();
    let mut candidates = Vec::new();
    let mut loose_stores = Vec::new();
    for store in settings.stores.existing() {
        if let Some(problem) = hygiene::permission_problem(&store.path, PrivatePath::StoreDir) {
            loose_stores.push(store.path.clone());
            let subject = Subject {
                path: &store.path,
                shown: &shown(&store.path),
                data: &[],
                file: None,
                secrets: &[],
            };
            outcome
                .findings
                .extend(checker.findings_of(&subject, &[problem]));
        }
        list_dir(
            &store.path,
            Look::Full,
            &mut candidates,
            &mut outcome.errors,
        );
    }
    if let Some(home) = &settings.stores.home {
        for dir in [home.join("Downloads"), home.join("Desktop"), home.clone()] {
            if dir.is_dir() {
                list_dir(&dir, Look::Glance, &mut candidates, &mut outcome.errors);
            }
        }
    }
    for path in extra {
        walk_all(path, &mut candidates, &mut outcome.errors);
    }
    let places = match &settings.stores.home {
        Some(home) => places::places(home, machine.system_root),
        None => Vec::new(),
    };
    // A place is read as a place, not as a token file: its tokens are its own findings.
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let place_paths: Vec<PathBuf> = places.iter().map(|p| real(&p.path)).collect();
    let mut candidates = dedup(candidates);
    candidates.retain(|c| !place_paths.contains(&real(&c.path)));
    let mut found: Vec<Found> = Vec::new();
    let mut scratch = Scratch::default();
    for c in candidates {
        let Some(data) = read(&c, &mut outcome.errors) else {
            continue;
        };
        let shown = shown(&c.path);
        let checked = checker.check(Some(&c.path), &shown, &data, &mut scratch);
        outcome.files += 1;
        outcome.bytes += data.len() as u64;
        let mut findings = checked.findings;
        if let Some(file) = checked.token_file {
            let mut found_file = Found {
                origin: origin(&c.path, &settings.stores),
                path: c.path,
                shown,
                data,
                file,
                secrets: checked.secrets,
                loose: false,
            };
            if let Some(problem) =
                hygiene::permission_problem(&found_file.path, PrivatePath::TokenFile)
            {
                found_file.loose = true;
                findings.extend(checker.findings_of(&found_file.subject(), &[problem]));
            }
            found.push(found_file);
        }
        outcome.findings.extend(findings);
    }
    outcome.findings.extend(duplicates(&found, checker));
    audit_places(&places, machine.environment, checker, &mut outcome);
    let rows = found
        .iter()
        .map(|f| row(&f.shown, &f.file, &outcome.findings, settings.today))
        .collect();
    Ok(Audited {
        outcome,
        token_files: rows,
        found,
        loose_stores,
    })
}

/// The places a token lingers outside token files, and the process environment; the
/// tokens found there are named from the stores.
fn audit_places(places: &[Place], env: &Environment, checker: &Checker, outcome: &mut Outcome) {
    let index = StoreIndex::load(&checker.settings().stores);
    outcome.merge(places::check_places(places, checker, &index));
    outcome
        .findings
        .extend(places::check_environment(env, checker, &index));
}

/// Where the token file at `path` lies: in a store, where a download lands, or elsewhere.
fn origin(path: &Path, stores: &Stores) -> Origin {
    if let Some(store) = stores.containing(path) {
        return Origin::Store {
            legacy: store.legacy,
        };
    }
    let parent = path.parent();
    let landed = stores.home.as_ref().is_some_and(|home| {
        [home.join("Downloads"), home.join("Desktop"), home.clone()]
            .iter()
            .any(|dir| parent == Some(dir.as_path()))
    });
    match landed {
        true => Origin::Downloaded,
        false => Origin::Elsewhere,
    }
}

/// The files directly in `dir`.
fn list_dir(dir: &Path, look: Look, out: &mut Vec<Candidate>, errors: &mut Vec<ScanError>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push(error(dir, &e)),
    };
    for entry in entries.flatten() {
        // A link to a file is checked as the file: a store may link its token files.
        if entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink())
            && entry.path().metadata().is_ok_and(|m| m.is_file())
        {
            out.push(Candidate {
                path: entry.path(),
                look,
            });
        }
    }
}

/// Every regular file under `path`, ignore files or not.
fn walk_all(path: &Path, out: &mut Vec<Candidate>, errors: &mut Vec<ScanError>) {
    let walker = ignore::WalkBuilder::new(path)
        .standard_filters(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => out.push(Candidate {
                path: e.into_path(),
                look: Look::Full,
            }),
            Ok(_) => {}
            Err(e) => errors.push(ScanError {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
}

/// Each file once, however many places named it, in path order.
fn dedup(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut by_path: BTreeMap<PathBuf, Candidate> = BTreeMap::new();
    for c in candidates {
        let key = c.path.canonicalize().unwrap_or_else(|_| c.path.clone());
        let entry = by_path.entry(key).or_insert(Candidate {
            path: c.path.clone(),
            look: Look::Glance,
        });
        entry.look = entry.look.max(c.look);
    }
    by_path.into_values().collect()
}

/// The file's content, or its first [`MAX_CANDIDATE`] bytes: never more, since a token
/// file is tiny (and one too large is reported as such). A file neither named like a token
/// file nor looked in on purpose is read only when it is small enough to be one.
fn read(c: &Candidate, errors: &mut Vec<ScanError>) -> Option<Vec<u8>> {
    let name = c.path.file_name()?.to_string_lossy();
    let named = token_file::is_token_file_name(&name);
    let limit = if c.look == Look::Full || named {
        MAX_CANDIDATE
    } else {
        token_file::MAX_TOKEN_FILE as u64
    };
    let (data, more) = read_regular(&c.path, limit)
        .map_err(|e| errors.push(error(&c.path, &e)))
        .ok()?;
    if !more {
        return Some(data);
    }
    if !named && c.look == Look::Glance {
        return None;
    }
    if !named {
        errors.push(ScanError {
            path: shown(&c.path),
            message: format!(
                "only its first {} MiB was read: it is too large to be a token file \
                 (`tokenlint scan` reads all of it)",
                MAX_CANDIDATE >> 20
            ),
        });
    }
    Some(data)
}

fn error(path: &Path, e: &std::io::Error) -> ScanError {
    ScanError {
        path: shown(path),
        message: e.to_string(),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// One finding for every token held by more than one file, at the first of them.
fn duplicates(found: &[Found], checker: &Checker) -> Vec<Finding> {
    let mut by_token: BTreeMap<String, Vec<&Found>> = BTreeMap::new();
    for f in found {
        if let Some(token) = &f.file.token {
            by_token.entry(token.value.hash()).or_default().push(f);
        }
    }
    let mut findings = Vec::new();
    for group in by_token.values().filter(|g| g.len() > 1) {
        let first = group[0];
        let others: Vec<&str> = group[1..].iter().map(|f| f.shown.as_str()).collect();
        let problem = Problem::new(
            BuiltinRule::Duplicate,
            Anchor::Token,
            vec![("other", others.join(", "))],
        );
        findings.extend(checker.findings_of(&first.subject(), &[problem]));
    }
    findings
}

/// The table row of a token file: what it is, and what is wrong with it, worst first.
fn row(shown: &str, file: &TokenFile, findings: &[Finding], today: NaiveDate) -> TokenFileRow {
    let mut labels: Vec<(usize, &str)> = findings
        .iter()
        .filter(|f| f.path == shown)
        .filter_map(|f| BuiltinRule::from_id(&f.rule_id)?.status())
        .collect();
    labels.sort();
    labels.dedup();
    let mut status: Vec<String> = labels.into_iter().map(|(_, l)| l.to_string()).collect();
    if status.is_empty() {
        status.push("ok".to_string());
    }
    TokenFileRow {
        path: shown.to_string(),
        name: file.name.as_deref().map(hygiene::clean_text),
        kind: file.kind(),
        created: file.created.as_ref().map(|f| f.value),
        expires: file.expires.as_ref().map(|f| f.value),
        days_left: file.expires.as_ref().map(|f| (f.value - today).num_days()),
        status,
    }
}
