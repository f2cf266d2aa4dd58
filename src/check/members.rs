//! The members of archives and compressed files, checked as files are: every source's
//! items go through [`Checker::check_item`], which opens an archive (see
//! [`crate::archive`]) and checks each member here, keyed and shown as the archive's path,
//! `!`, and the member's path inside it. A member is held when small and read in windows
//! when large, as a file is, so that memory stays bounded.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::Checker;
use crate::archive::{self, Expanded, Input, Kind, Visitor};
use crate::finding::Finding;
use crate::item::Data;
use crate::outcome::{Outcome, ScanError};
use crate::scan::stream::WINDOW;
use crate::scan::Scratch;

impl Checker<'_> {
    /// The kind of archive `data` is, when archives are read.
    pub(super) fn archive_kind(&self, data: &Data) -> Option<Kind> {
        if self.settings.archives.depth == 0 {
            return None;
        }
        match data {
            Data::Held(bytes) => archive::sniff(bytes),
            Data::File(open) => archive::sniff(&file_head(open.file).ok()?),
        }
    }

    /// The findings in the members of the archive `data`, of kind `kind`, found at `path`
    /// and shown as `shown`, and whether it was read or is to be scanned as a plain file.
    pub(super) fn check_archive(
        &self,
        path: Option<&Path>,
        shown: &str,
        data: &Data,
        kind: Kind,
        scratch: &mut Scratch,
    ) -> (Outcome, Expanded) {
        let input = match data {
            Data::Held(bytes) => Input::Held(bytes),
            Data::File(open) => Input::File(open.file, open.limit),
        };
        let mut members = Members {
            checker: self,
            key: self.item_key(path, shown),
            shown,
            scratch,
            outcome: Outcome::default(),
        };
        let expanded = archive::expand(input, kind, shown, &self.settings.archives, &mut members);
        (members.outcome, expanded)
    }
}

/// The first bytes of a file, enough to tell an archive.
fn file_head(file: &File) -> io::Result<Vec<u8>> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(archive::SNIFF);
    reader.take(archive::SNIFF as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Checks the members of one archive, gathering their findings and warnings.
struct Members<'c, 'a> {
    checker: &'c Checker<'c>,
    /// The archive's key and shown name, which its members' start with.
    key: String,
    shown: &'a str,
    scratch: &'a mut Scratch,
    outcome: Outcome,
}

impl Visitor for Members<'_, '_> {
    fn member(&mut self, label: &str, head: &[u8], rest: &mut dyn Read) -> io::Result<()> {
        let shown = format!("{}!{label}", self.shown);
        let key = format!("{}!{label}", self.key);
        let windowed = self.checker.windowed();
        let mut data = head.to_vec();
        let read = if windowed {
            let room = (WINDOW as u64).saturating_sub(data.len() as u64);
            rest.take(room).read_to_end(&mut data)
        } else {
            // A custom rule without bounded matches: the member is held whole, as a file is.
            rest.read_to_end(&mut data)
        };
        if read.is_err() || !windowed || data.len() < WINDOW {
            let checked = self.checker.check_keyed(
                None,
                &shown,
                &|| key.clone(),
                &data,
                self.scratch,
                super::TokenFiles::Recognised,
            );
            self.found(label, checked.findings, data.len() as u64);
            return read.map(|_| ());
        }
        let (findings, bytes, result) = self.windows(&key, &shown, data, rest);
        self.found(label, findings, bytes);
        match result {
            // The member could not be read again: the archive's other members can.
            Err(err) if err.kind() == io::ErrorKind::Unsupported => {
                self.warn(label, format!("not scanned to its end: {err}"));
                Ok(())
            }
            result => result,
        }
    }

    fn warn(&mut self, label: &str, message: String) {
        let path = match label {
            "" => self.shown.to_string(),
            label => format!("{}!{label}", self.shown),
        };
        self.outcome.errors.push(ScanError { path, message });
    }
}

impl Members<'_, '_> {
    /// The findings in the member labelled `label`, of `bytes` bytes.
    fn found(&mut self, label: &str, findings: Vec<Finding>, bytes: u64) {
        let member = |mut f: Finding| {
            f.member = Some(label.to_string());
            f
        };
        self.outcome
            .findings
            .extend(findings.into_iter().map(member));
        self.outcome.files += 1;
        self.outcome.bytes += bytes;
    }

    /// A large member, whose first bytes are `head` and the rest in `rest`, read in
    /// windows: its findings, the bytes read and how the reading ended.
    fn windows(
        &mut self,
        key: &str,
        shown: &str,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> (Vec<Finding>, u64, io::Result<()>) {
        let replay = Replay {
            head,
            rest: RefCell::new(rest),
            read: Cell::new(0),
            streamed: Cell::new(false),
        };
        let mut buf = Vec::new();
        let (findings, result) = self.checker.check_windows(
            key,
            shown,
            |skip| replay.open(skip),
            &mut buf,
            self.scratch,
        );
        (findings, replay.read.get(), result)
    }
}

/// A member read once as a stream, whose first bytes are held: it may be opened again from
/// any offset in them until the stream itself has been read. The scanner opens a view once
/// to sniff its first bytes and once to read it; a rule set whose keywords decide which
/// rules run, or UTF-16 text that is binary too, needs a third pass, which a stream cannot
/// give: its error then ends the member's scan, with a warning.
struct Replay<'r> {
    head: Vec<u8>,
    rest: RefCell<&'r mut dyn Read>,
    /// The most bytes read of the member.
    read: Cell<u64>,
    streamed: Cell<bool>,
}

impl<'r> Replay<'r> {
    fn open(&self, skip: u64) -> io::Result<ReplayReader<'_, 'r>> {
        if self.streamed.get() {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a large member of an archive is read once, and these rules need another pass \
                 over it",
            ));
        }
        let at = usize::try_from(skip).map_or(self.head.len(), |s| s.min(self.head.len()));
        Ok(ReplayReader {
            replay: self,
            at,
            total: at as u64,
        })
    }
}

struct ReplayReader<'a, 'r> {
    replay: &'a Replay<'r>,
    /// Where in the held bytes reading goes on.
    at: usize,
    /// Bytes of the member read so far, from its start.
    total: u64,
}

impl Read for ReplayReader<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let held = &self.replay.head[self.at..];
        let n = if held.is_empty() {
            self.replay.streamed.set(true);
            self.replay.rest.borrow_mut().read(buf)?
        } else {
            let n = held.len().min(buf.len());
            buf[..n].copy_from_slice(&held[..n]);
            self.at += n;
            n
        };
        self.total += n as u64;
        self.replay.read.set(self.replay.read.get().max(self.total));
        Ok(n)
    }
}
