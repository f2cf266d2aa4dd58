//! One file, every rule: the pattern rules through the scanner, then, when the file is a
//! token file, the token-file and hygiene rules in its place. The walker, standard input
//! and `audit` all check files through a [`Checker`].

mod members;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::archive::{ArchiveLimits, Expanded};
use crate::finding::{fingerprint, nth_fingerprint, Encoding, Finding};
use crate::hygiene::{self, Anchor, Problem, Thresholds, Whereabouts};
use crate::item::{Data, Item, OpenFile};
use crate::outcome::{Outcome, ScanError};
use crate::rules::{BuiltinRule, RuleError, RuleSet};
use crate::scan::stream::Windows;
use crate::scan::{self, Match, Scanner, Scratch};
use crate::store::{StoreIndex, Stores};
use crate::suppress::{self, Allowlist};
use crate::token::{Secret, TokenKind};
use crate::token_file::{self, TokenFile};

/// What the checks need beyond the rules.
#[derive(Debug)]
pub struct Settings {
    /// "Today", for the date rules.
    pub today: NaiveDate,
    pub thresholds: Thresholds,
    pub stores: Stores,
    /// The local stores' tokens, to say which token a hard-coded one is (`None`: don't).
    pub store_index: Option<StoreIndex>,
    /// `audit` rules too: legacy store, and (by the caller) permissions and duplicates.
    pub audit: bool,
    /// Redact secrets in messages and snippets (false only with `--no-redact`).
    pub redact: bool,
    /// The current directory, and the directory paths are keyed from (see
    /// [`Finding::key`]).
    pub cwd: PathBuf,
    pub project_root: PathBuf,
    /// The configuration's allowlist.
    pub allowlist: Allowlist,
    /// Honour `gitleaks:allow` and `pragma: allowlist secret` too.
    pub foreign_markers: bool,
    /// How deep, how large and how many members of archives are read.
    pub archives: ArchiveLimits,
}

pub struct Checker<'r> {
    scanner: Scanner,
    rules: &'r RuleSet,
    settings: Settings,
}

/// A file or directory that findings are made about outside [`Checker::check`]: its
/// path, how it is shown, its content (empty for a directory), the token file it is if it
/// is one, and the secrets its snippets must mask (see [`Checked::secrets`]).
#[derive(Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub(crate) path: &'a Path,
    pub(crate) shown: &'a str,
    pub(crate) data: &'a [u8],
    pub(crate) file: Option<&'a TokenFile>,
    pub(crate) secrets: &'a [(Range<usize>, String)],
}

/// A file's findings, and the token file it is, if it is one.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub token_file: Option<TokenFile>,
    /// Every secret the scanner found in the file's bytes, shown redacted: what a snippet
    /// of the file must mask.
    pub secrets: Vec<(Range<usize>, String)>,
}

impl<'r> Checker<'r> {
    pub fn new(rules: &'r RuleSet, settings: Settings) -> Result<Checker<'r>, RuleError> {
        Ok(Checker {
            scanner: Scanner::new(rules, settings.redact)?,
            rules,
            settings,
        })
    }

    /// Large files can be read in windows: every rule's matches have a bounded length.
    pub fn windowed(&self) -> bool {
        self.scanner.window_overlap(0).is_some()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every finding in `data`, the content of the file at `path` (`None` for standard
    /// input), shown as `shown`.
    pub fn check(
        &self,
        path: Option<&Path>,
        shown: &str,
        data: &[u8],
        scratch: &mut Scratch,
    ) -> Checked {
        self.check_as(path, shown, data, scratch, TokenFiles::Recognised)
    }

    /// [`Checker::check`], the file taken for a token file when it is one, or never.
    fn check_as(
        &self,
        path: Option<&Path>,
        shown: &str,
        data: &[u8],
        scratch: &mut Scratch,
        token_files: TokenFiles,
    ) -> Checked {
        // Made only for a file with findings: most files have none.
        let key_of = || self.item_key(path, shown);
        self.check_keyed(path, shown, &key_of, data, scratch, token_files)
    }

    /// [`Checker::check`], the findings keyed `key_of()` (see [`Finding::key`]).
    fn check_keyed(
        &self,
        path: Option<&Path>,
        shown: &str,
        key_of: &dyn Fn() -> String,
        data: &[u8],
        scratch: &mut Scratch,
        token_files: TokenFiles,
    ) -> Checked {
        let mut key: Option<String> = None;
        let mut seen = HashMap::new();
        let mut cap = Cap::default();
        let mut findings = Vec::new();
        // Only a token file's snippets need them, and a token file is small.
        let mut secrets: Vec<(Range<usize>, String)> = Vec::new();
        let small = data.len() <= token_file::MAX_TOKEN_FILE;
        self.scan_held(data, scratch, &mut |m| {
            if let (true, Some(span)) = (small, &m.span) {
                secrets.push((span.clone(), self.shown(&m.secret)));
            }
            let mut f = self.scanner.finding(shown, m);
            let key = key.get_or_insert_with(key_of);
            self.finish(key, data, std::slice::from_mut(&mut f), &mut seen);
            findings.extend(cap.admit(f));
        });
        let name = path.and_then(Path::file_name).map(|n| n.to_string_lossy());
        let candidate = token_files == TokenFiles::Recognised
            && (!findings.is_empty()
                || name.as_deref().is_some_and(token_file::is_token_file_name));
        let token_file = candidate
            .then(|| token_file::recognise(name.as_deref().unwrap_or(""), data))
            .flatten();
        if let Some(file) = &token_file {
            // One finding per problem: the file's own token is reported as a token file.
            if let Some(token) = &file.token {
                findings.retain(|f| f.secret.as_ref() != Some(&token.value));
            }
            let whereabouts = self.whereabouts(path);
            let mut problems = hygiene::file_problems(file, whereabouts, self.settings.audit);
            problems.extend(hygiene::date_problems(
                file,
                self.settings.today,
                &self.settings.thresholds,
            ));
            let mut more = self.problem_findings(shown, data, Some(file), &problems, &secrets);
            self.finish(key.get_or_insert_with(key_of), data, &mut more, &mut seen);
            findings.extend(more);
        }
        cap.summarise(&mut findings);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Checked {
            findings,
            token_file,
            secrets,
        }
    }

    /// Hands every match in `data`, a file held whole, to `emit`, with spans in `data`. A
    /// file larger than [`HELD_WINDOW`] is scanned in windows of that size when the rules
    /// allow, with the same findings (see [`crate::scan::stream`]):
    /// every match in a part scanned at once is held, with its redacted text, while the
    /// part's snippets are made, and a rule matching any two letters finds over a million
    /// in a file of 4 MB.
    fn scan_held(&self, data: &[u8], scratch: &mut Scratch, emit: &mut dyn FnMut(Match)) {
        if data.len() <= HELD_WINDOW || !self.windowed() {
            return self.scanner.scan_each(data, scratch, emit);
        }
        let windows = Windows {
            size: HELD_WINDOW,
            ..Windows::DEFAULT
        };
        let each = |_: &[u8], offset: usize, mut m: Match| {
            if let Some(span) = &mut m.span {
                *span = span.start + offset..span.end + offset;
            }
            emit(m);
        };
        self.scanner.scan_held_windows(data, windows, scratch, each);
    }

    /// The item's findings, and what could not be read of it.
    pub(crate) fn check_item(&self, item: Item, scratch: &mut Scratch) -> Outcome {
        let Item { path, shown, data } = item;
        let archive = self.archive_kind(&data);
        let mut opened = None;
        if let Some(kind) = archive {
            let (outcome, expanded) = self.check_archive(path, shown, &data, kind, scratch);
            if expanded == Expanded::Read {
                return outcome;
            }
            // Corrupt: its bytes are scanned as a plain file's, and its members' findings kept.
            opened = Some(outcome);
        }
        let mut outcome = self.check_plain(path, shown, data, scratch);
        outcome.merge(opened.unwrap_or_default());
        outcome
    }

    /// The findings of an item that is no archive, or a corrupt one.
    fn check_plain(
        &self,
        path: Option<&Path>,
        shown: &str,
        data: Data,
        scratch: &mut Scratch,
    ) -> Outcome {
        let (findings, bytes, err) = match data {
            Data::Held(data) => {
                let checked = self.check(path, shown, data, scratch);
                (checked.findings, data.len() as u64, None)
            }
            Data::File(file) if self.windowed() => {
                self.check_large(&self.item_key(path, shown), shown, file, scratch)
            }
            Data::File(file) => {
                // A custom rule (given with `--rules`) whose matches have no bounded
                // length: a window could cut a match in two, so the file is read back whole
                // and scanned at once. This holds the whole content in memory, the price
                // of such a rule, which only the user can choose.
                let (data, err) = file.read_whole();
                let checked = self.check(path, shown, data, scratch);
                (checked.findings, data.len() as u64, err)
            }
        };
        let mut outcome = Outcome {
            findings,
            files: 1,
            bytes,
            ..Outcome::default()
        };
        if let Some(err) = err {
            outcome.errors.push(ScanError {
                path: shown.to_string(),
                message: format!("read error after {bytes} bytes: {err}"),
            });
        }
        outcome
    }

    /// Every finding of the pattern rules in a large file keyed `key` (see
    /// [`Finding::key`]) and shown as `shown`, read window by window, so that memory stays
    /// bounded. A file this large is never a token file. A read error ends the scan early;
    /// the findings made until then are kept.
    fn check_large(
        &self,
        key: &str,
        shown: &str,
        open_file: OpenFile,
        scratch: &mut Scratch,
    ) -> (Vec<Finding>, u64, Option<io::Error>) {
        let OpenFile { file, limit, buf } = open_file;
        let open = |skip: u64| {
            let mut reader: &File = file;
            reader.seek(SeekFrom::Start(skip))?;
            Ok(reader.take(limit.saturating_sub(skip)))
        };
        let (findings, result) = self.check_windows(key, shown, open, buf, scratch);
        let read = (&mut &*file).stream_position().unwrap_or(0);
        (findings, read, result.err())
    }

    /// Every finding of the pattern rules in the view that `open(skip)` reads from byte
    /// `skip` on, window by window in `buf`, keyed `key` and shown as `shown`.
    fn check_windows<R: Read>(
        &self,
        key: &str,
        shown: &str,
        open: impl FnMut(u64) -> io::Result<R>,
        buf: &mut Vec<u8>,
        scratch: &mut Scratch,
    ) -> (Vec<Finding>, io::Result<()>) {
        let mut seen = HashMap::new();
        let mut cap = Cap::default();
        let mut findings = Vec::new();
        let mut each = |window: &[u8], offset: usize, m: Match| {
            let mut f = self.scanner.finding(shown, m);
            self.finish(key, window, std::slice::from_mut(&mut f), &mut seen);
            if let Some(span) = &mut f.span {
                *span = span.start + offset..span.end + offset;
            }
            findings.extend(cap.admit(f));
        };
        let result =
            self.scanner
                .scan_file_windows(open, buf, Windows::DEFAULT, scratch, &mut each);
        cap.summarise(&mut findings);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // The list grew by doubling; what it holds is kept until the report is written.
        findings.shrink_to_fit();
        (findings, result)
    }

    /// The findings for `problems` of `subject`, found outside [`Checker::check`]
    /// (`audit`'s permission and duplicate checks), finished as `check` finishes its own.
    pub(crate) fn findings_of(&self, subject: &Subject, problems: &[Problem]) -> Vec<Finding> {
        let Subject {
            path,
            shown,
            data,
            file,
            secrets,
        } = *subject;
        let mut findings = self.problem_findings(shown, data, file, problems, secrets);
        self.finish(&self.key(path), data, &mut findings, &mut HashMap::new());
        findings
    }

    /// The findings of `item`, with each that `recast` turns into a [`Problem`] made a
    /// finding of that problem's rule instead, in the same place, about the same secret
    /// (`audit`'s places: a token in shell history is `token-in-shell-history`). A
    /// finding whose new rule is disabled stays as it was. A file read in windows keeps no
    /// spans, and its recast findings only the allowlist can suppress.
    pub(crate) fn check_recast(
        &self,
        item: Item,
        scratch: &mut Scratch,
        recast: &dyn Fn(&Finding) -> Option<Problem>,
    ) -> Outcome {
        let (path, shown) = (item.path, item.shown);
        let held = match item.data {
            Data::Held(data) => Some(data),
            Data::File(_) => None,
        };
        let mut outcome = match held {
            // A place is never a token file, whatever its content.
            Some(data) => Outcome {
                findings: self
                    .check_as(path, shown, data, scratch, TokenFiles::Ignored)
                    .findings,
                files: 1,
                bytes: data.len() as u64,
                ..Outcome::default()
            },
            None => self.check_item(item, scratch),
        };
        let mut made = Vec::new();
        outcome.findings.retain(|f| {
            let Some(new) = recast(f).and_then(|p| self.recast_one(f, &p, held.is_some())) else {
                return true;
            };
            made.push(new);
            false
        });
        let key = self.item_key(path, shown);
        self.finish(&key, held.unwrap_or(&[]), &mut made, &mut HashMap::new());
        outcome.findings.extend(made);
        outcome
    }

    /// `f` as a finding of `problem`'s rule, not yet finished; `None` when that rule is
    /// not active.
    fn recast_one(&self, f: &Finding, problem: &Problem, keep_span: bool) -> Option<Finding> {
        let new = self
            .finding(&f.path, problem, f.secret.as_ref())?
            .about(f.secret.clone(), f.encoding.clone());
        Some(new.at(crate::finding::Place {
            position: f.position,
            span: f.span.clone().filter(|_| keep_span),
            snippet: f.snippet.clone(),
        }))
    }

    /// Finished findings for `problems`, each about its secret, of something that is not
    /// a file (`audit`'s environment variables), keyed and shown as `key`.
    pub(crate) fn loose_findings(
        &self,
        key: &str,
        problems: &[(Problem, Option<Secret>)],
    ) -> Vec<Finding> {
        let mut findings: Vec<Finding> = problems
            .iter()
            .filter_map(|(p, secret)| self.finding(key, p, secret.as_ref()))
            .collect();
        self.finish(key, &[], &mut findings, &mut HashMap::new());
        findings
    }

    /// The finishing step of every finding a checker makes: cross-references,
    /// fingerprints and suppresses a file's findings, keyed `key`: a window's of it when
    /// the file is read in windows, with `seen` carried over.
    fn finish(
        &self,
        key: &str,
        data: &[u8],
        findings: &mut [Finding],
        seen: &mut HashMap<u128, usize>,
    ) {
        if findings.is_empty() {
            return;
        }
        self.cross_reference(findings);
        for f in findings.iter_mut() {
            let base = fingerprint(&f.rule_id, key, f.secret.as_ref());
            // Keyed by the fingerprint's 16 bytes, not a copy of its text, since a file
            // may hold a great many.
            let bits = u128::from_str_radix(&base, 16).expect("a fingerprint is 32 hex digits");
            let repeat = seen.entry(bits).or_insert(0);
            f.fingerprint = match *repeat {
                0 => base,
                n => nth_fingerprint(&base, n),
            };
            *repeat += 1;
            f.key = key.to_string();
        }
        self.suppress(data, findings);
    }

    /// The key of an item found at `path` and shown as `shown`: `shown` for standard input.
    fn item_key(&self, path: Option<&Path>, shown: &str) -> String {
        path.map_or_else(|| shown.to_string(), |p| self.key(p))
    }

    /// `path` relative to the project root, with `/` separators; absolute outside it.
    pub fn key(&self, path: &Path) -> String {
        let absolute = normalize(&self.settings.cwd.join(path));
        let relative = absolute
            .strip_prefix(&self.settings.project_root)
            .unwrap_or(&absolute);
        relative
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/")
    }

    /// `finding`, found in a file's bytes at another path, as it stands at the file keyed
    /// `key` (the same bytes): keyed and fingerprinted there (an archive's member keeps
    /// its `!member`), and the allowlist asked again for that key. An inline marker is in
    /// the bytes and still holds; an entry that needs the source line cannot be asked, and
    /// does not accept it: never a token waved through for another path's sake.
    pub(crate) fn at_key(&self, mut finding: Finding, key: &str) -> Finding {
        let key = match &finding.member {
            Some(member) => format!("{key}!{member}"),
            None => key.to_string(),
        };
        if finding.key == key {
            return finding;
        }
        finding.fingerprint = rekeyed_fingerprint(&finding, &key);
        finding.key = key;
        let marked = finding
            .suppression
            .as_ref()
            .is_some_and(|s| s.kind == crate::finding::SuppressionKind::InSource);
        if !marked {
            let path = self.settings.project_root.join(&finding.key);
            finding.suppression = self.settings.allowlist.suppression(&finding, &path, None);
        }
        finding
    }

    /// Marks the findings that an inline marker or the allowlist accepts. Only the lines
    /// of the findings are read, never the whole file again.
    fn suppress(&self, data: &[u8], findings: &mut [Finding]) {
        let settings = &self.settings;
        for f in findings.iter_mut() {
            // Lines of a decoded (UTF-16) view are not lines of the bytes: no span, no line.
            let (line, previous) = match &f.span {
                Some(span) => lines_around(data, span.start),
                None => (None, None),
            };
            if let Some(line) = &line {
                f.suppression = suppress::inline(
                    line,
                    previous.as_deref(),
                    &f.rule_id,
                    settings.foreign_markers,
                );
            }
            if f.suppression.is_none() && !settings.allowlist.is_empty() {
                let path = settings.project_root.join(&f.key);
                f.suppression = settings.allowlist.suppression(f, &path, line.as_deref());
            }
        }
    }

    fn whereabouts(&self, path: Option<&Path>) -> Whereabouts {
        match path.map(|p| self.settings.stores.containing(p)) {
            None => Whereabouts::Unknown,
            Some(None) => Whereabouts::OutsideStore,
            Some(Some(store)) => Whereabouts::InStore {
                legacy: store.legacy,
            },
        }
    }

    /// Findings for `problems` of the file or directory shown as `shown`, whose content is
    /// `data`, and which is the token file `file` if it is one; not yet finished. Each
    /// points at the field its problem is about, else at the start.
    fn problem_findings(
        &self,
        shown: &str,
        data: &[u8],
        file: Option<&TokenFile>,
        problems: &[Problem],
        others: &[(Range<usize>, String)],
    ) -> Vec<Finding> {
        let token = file.and_then(|f| f.token.as_ref());
        let secret = token.map(|t| t.value.clone());
        let mut secrets: Vec<(Range<usize>, String)> = token
            .map(|t| (t.span.clone(), self.shown(&t.value)))
            .into_iter()
            .chain(others.iter().cloned())
            .collect();
        secrets.sort_by_key(|(r, _)| (r.start, r.end));
        problems
            .iter()
            .filter_map(|p| {
                let finding = self.finding(shown, p, secret.as_ref())?;
                let span = file.and_then(|file| match p.anchor {
                    Anchor::Token => file.token.as_ref().map(|t| t.span.clone()),
                    Anchor::Created => file.created.as_ref().map(|f| f.span.clone()),
                    Anchor::Expires => file.expires.as_ref().map(|f| f.span.clone()),
                });
                Some(
                    match span.filter(|s| !s.is_empty() && s.end <= data.len()) {
                        Some(span) => finding.at(scan::place(data, &span, &secrets)),
                        None => finding,
                    },
                )
            })
            .collect()
    }

    /// The finding for `problem` of the file or directory shown as `shown`, at its start
    /// (1:1) and without a snippet; `None` when the rule is not active.
    fn finding(&self, shown: &str, problem: &Problem, secret: Option<&Secret>) -> Option<Finding> {
        let rule = self.rules.builtin(problem.rule)?;
        let values: Vec<(&str, &str)> = problem
            .values
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let message = problem.rule.message(rule, &values);
        Some(
            Finding::new(problem.rule.id(), rule.severity, shown, message)
                .about(secret.cloned(), vec![Encoding::Plain]),
        )
    }

    /// Says which token a hard-coded token, or a token file outside the store, holds,
    /// when a local store holds it too.
    fn cross_reference(&self, findings: &mut [Finding]) {
        let Some(index) = &self.settings.store_index else {
            return;
        };
        if index.is_empty() {
            return;
        }
        let hygiene_rule =
            |id: &str| BuiltinRule::from_id(id).is_some_and(|r| !r.names_stored_token());
        for f in findings.iter_mut().filter(|f| !hygiene_rule(&f.rule_id)) {
            let Some(stored) = f.secret.as_ref().and_then(|s| index.get(&s.hash())) else {
                continue;
            };
            f.message.push_str(&format!(
                " — it is {}",
                describe(&stored.file, self.settings.today)
            ));
        }
    }

    fn shown(&self, secret: &Secret) -> String {
        if self.settings.redact {
            secret.redacted()
        } else {
            secret.expose().to_string()
        }
    }
}

/// The fingerprint `finding` would have had keyed `key`: the same rule and secret, and
/// the same repeat of them in its file ([`nth_fingerprint`]) as under its own key.
fn rekeyed_fingerprint(finding: &Finding, key: &str) -> String {
    let secret = finding.secret.as_ref();
    let old = fingerprint(&finding.rule_id, &finding.key, secret);
    let new = fingerprint(&finding.rule_id, key, secret);
    if finding.fingerprint == old {
        return new;
    }
    // A file's findings are capped, so its repeats are few.
    match (1..MAX_FINDINGS).find(|&n| nth_fingerprint(&old, n) == finding.fingerprint) {
        Some(n) => nth_fingerprint(&new, n),
        None => new,
    }
}

/// Whether [`Checker::check_keyed`] takes a file for a token file when it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenFiles {
    Recognised,
    /// `audit`'s places: a token there is a token in that place.
    Ignored,
}

/// Files held whole but larger than this are scanned in windows of this size (see
/// [`Checker::check`]), so that what a scan holds of their matches stays bounded.
const HELD_WINDOW: usize = 256 << 10;

/// The most findings of one rule for one secret that a file reports, suppressed or not;
/// one more finding counts the rest. A file that repeats a token millions of times
/// would otherwise hold millions of findings, in memory and in every report.
pub const MAX_REPEATS: usize = 100;

/// The most findings a file reports, counted apart for suppressed findings and the others
/// (summaries of repeats included); one more finding, where the first of the rest was,
/// counts the rest. A rule that matches any two letters, or a file of 200,000 distinct
/// tokens, would otherwise hold hundreds of thousands of findings. A thousand is more than
/// anyone reads of one file, and keeps a file's findings under a megabyte or so.
pub const MAX_FINDINGS: usize = 1000;

/// A rule id and a secret hashed to 128 bits with this run's random keys, and whether the
/// finding is suppressed: 17 bytes per finding where copies of the rule id and the
/// secret took some 150, and no file can choose two secrets that collide.
type RepeatKey = (u64, u64, bool);

/// Caps a file's findings as they are made, in file order: the first [`MAX_REPEATS`] of
/// each rule and secret, and the first [`MAX_FINDINGS`] in all; the first of the rest of
/// each kind becomes a summary. Findings are handed over one at a time, so that those
/// dropped are never held.
#[derive(Default)]
struct Cap {
    /// Two hashers with keys of their own: a [`RepeatKey`]'s 128 bits.
    hashers: [std::hash::RandomState; 2],
    /// By rule, secret and whether it is suppressed: how many were seen, and where the
    /// summary of the rest is, in `over`.
    seen: HashMap<RepeatKey, (usize, Option<usize>)>,
    /// The first finding past the cap of each kind, and how many were past it.
    over: Vec<(Finding, usize)>,
    /// How many findings are kept, summaries of repeats included: not suppressed, and
    /// suppressed.
    kept: [usize; 2],
    /// The first finding past [`MAX_FINDINGS`], not suppressed and suppressed, and how
    /// many were past it.
    rest: [Option<(Finding, usize)>; 2],
}

impl Cap {
    /// `f`, unless it is past a cap: then it is counted in a summary.
    fn admit(&mut self, f: Finding) -> Option<Finding> {
        let side = usize::from(f.suppression.is_some());
        let full = self.kept[side] >= MAX_FINDINGS;
        if let Some(secret) = &f.secret {
            let [a, b] = self
                .hashers
                .each_ref()
                .map(|h| std::hash::BuildHasher::hash_one(h, (&f.rule_id, secret.expose())));
            let key = (a, b, side == 1);
            // Once the file is full, a new secret is not remembered: it is only counted.
            let entry = match full {
                false => Some(self.seen.entry(key).or_insert((0, None))),
                true => self.seen.get_mut(&key),
            };
            if let Some((count, summary)) = entry {
                *count += 1;
                if *count > MAX_REPEATS {
                    match summary {
                        Some(i) => {
                            self.over[*i].1 += 1;
                            return None;
                        }
                        None if !full => {
                            *summary = Some(self.over.len());
                            self.over.push((f, 1));
                            self.kept[side] += 1;
                            return None;
                        }
                        None => {}
                    }
                }
            }
        }
        if !full {
            self.kept[side] += 1;
            return Some(f);
        }
        match &mut self.rest[side] {
            Some((first, more)) => {
                *more += 1;
                // The summary stands for the worst of the rest.
                first.severity = first.severity.max(f.severity);
            }
            none => *none = Some((f, 1)),
        }
        None
    }

    /// Adds to `findings` one finding for the rest of each kind past a cap, where the
    /// first of them was.
    fn summarise(self, findings: &mut Vec<Finding>) {
        for (mut summary, more) in self.over {
            summary.message = format!(
                "{} … and {more} more of the same token in this file",
                summary.message
            );
            findings.push(summary);
        }
        for (mut summary, more) in self.rest.into_iter().flatten() {
            summary.message = format!(
                "{} … and {more} more findings in this file; the file was not reported in full",
                summary.message
            );
            findings.push(summary);
        }
    }
}

/// The line holding byte `at` of `data`, and the line before it, without line ends; at
/// most `REACH` bytes of each on either side of `at`, for minified or binary files.
fn lines_around(data: &[u8], at: usize) -> (Option<String>, Option<String>) {
    const REACH: usize = 4096;
    let text = |range: Range<usize>| {
        let mut end = range.end;
        if end > range.start && data[end - 1] == b'\r' {
            end -= 1;
        }
        String::from_utf8_lossy(&data[range.start..end]).into_owned()
    };
    let floor = at.saturating_sub(REACH);
    let start = memchr::memrchr(b'\n', &data[floor..at]).map_or(floor, |i| floor + i + 1);
    let ceiling = (at + REACH).min(data.len());
    let end = memchr::memchr(b'\n', &data[at..ceiling]).map_or(ceiling, |i| at + i);
    let previous = (start > 0 && data[start - 1] == b'\n').then(|| {
        let newline = start - 1;
        let floor = newline.saturating_sub(REACH);
        let from = memchr::memrchr(b'\n', &data[floor..newline]).map_or(floor, |i| floor + i + 1);
        text(from..newline)
    });
    (Some(text(start..end)), previous)
}

pub use crate::confine::normalize;

/// "the personal token "laptop" (created 2026-01-02, expires 2027-01-02, expired)".
pub fn describe(file: &TokenFile, today: NaiveDate) -> String {
    let kind = file.kind().map_or("token", |k| match k {
        TokenKind::Personal => "personal token",
        TokenKind::ServiceAccount => "service-account token",
    });
    let mut facts = Vec::new();
    if let Some(c) = &file.created {
        facts.push(format!("created {}", c.value));
    }
    if let Some(e) = &file.expires {
        facts.push(format!("expires {}", e.value));
        if today > e.value {
            facts.push("expired".to_string());
        }
    }
    let mut text = format!(
        "the {kind} {} in the local token store",
        hygiene::display_name(file)
    );
    if !facts.is_empty() {
        text.push_str(&format!(" ({})", facts.join(", ")));
    }
    text
}
