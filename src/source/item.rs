//! One thing to check, as every source hands it to the checker: bytes held in memory, or
//! a file too large to hold, read in windows; found at a path (none for standard input)
//! and shown under a name.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::check::Checker;
use crate::outcome::{Outcome, ScanError};
use crate::scan::Scratch;

pub(crate) struct Item<'a> {
    /// Where the bytes are found, for keys and the token-file rules: `None` for
    /// standard input.
    pub path: Option<&'a Path>,
    /// The name reports show.
    pub shown: &'a str,
    pub data: Data<'a>,
}

pub(crate) enum Data<'a> {
    Held(&'a [u8]),
    /// A file to read from its start, up to `limit` bytes, with `buf` as the window's
    /// buffer.
    File {
        file: &'a File,
        limit: u64,
        buf: &'a mut Vec<u8>,
    },
}

impl Item<'_> {
    /// The item's findings, and what could not be read of it.
    pub(crate) fn check(self, checker: &Checker, scratch: &mut Scratch) -> Outcome {
        match self.data {
            Data::Held(data) => Outcome {
                findings: checker.check(self.path, self.shown, data, scratch).findings,
                files: 1,
                bytes: data.len() as u64,
                ..Outcome::default()
            },
            Data::File { file, limit, buf } => {
                check_file(checker, self.path, self.shown, file, limit, buf, scratch)
            }
        }
    }
}

/// Up to `limit` bytes of `file`, in windows.
fn check_file(
    checker: &Checker,
    path: Option<&Path>,
    shown: &str,
    file: &File,
    limit: u64,
    buf: &mut Vec<u8>,
    scratch: &mut Scratch,
) -> Outcome {
    let (findings, bytes, err) = if checker.windowed() {
        let key = path.map_or_else(|| shown.to_string(), |p| checker.key(p));
        checker.check_large(&key, shown, file, limit, buf, scratch)
    } else {
        // A custom rule (given with `--rules`) whose matches have no bounded length: a
        // window could cut a match in two, so the file is read back whole into `buf` and
        // scanned at once. This holds the whole content in memory, the price of such a
        // rule, which only the user can choose.
        buf.clear();
        let mut reader = file;
        let read = reader
            .seek(SeekFrom::Start(0))
            .and_then(|_| reader.take(limit).read_to_end(buf));
        let checked = checker.check(path, shown, buf, scratch);
        (checked.findings, buf.len() as u64, read.err())
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

/// A blob git handed over, found at `path` and shown as `shown`, checked: held in memory,
/// or spooled and read in windows. `None` for a blob git does not have.
pub(crate) fn check_object(
    checker: &Checker,
    path: &Path,
    shown: &str,
    object: crate::git::Object,
    buf: &mut Vec<u8>,
    scratch: &mut Scratch,
) -> Option<Outcome> {
    let data = match &object {
        crate::git::Object::Held(data) => Data::Held(data),
        crate::git::Object::Spooled(file, limit) => Data::File {
            file,
            limit: *limit,
            buf,
        },
        crate::git::Object::Missing => return None,
    };
    let item = Item {
        path: Some(path),
        shown,
        data,
    };
    Some(item.check(checker, scratch))
}
