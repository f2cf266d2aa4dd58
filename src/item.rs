//! One thing to check, as every source hands it to the checker: bytes held in memory, or
//! a file too large to hold, read in windows; found at a path (none for standard input)
//! and shown under a name. [`crate::check::Checker::check_item`] checks it. It lies below
//! both `source` and `check`, so that neither depends on the other through it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::git::Object;

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
    File(OpenFile<'a>),
}

/// A file to read from its start, up to `limit` bytes, with `buf` as the window's buffer.
pub(crate) struct OpenFile<'a> {
    pub file: &'a File,
    pub limit: u64,
    pub buf: &'a mut Vec<u8>,
}

impl<'a> Item<'a> {
    /// A blob git handed over, found at `path` and shown as `shown`: held in memory, or
    /// spooled and read in windows with `buf` as the window's buffer. `None` for a blob
    /// git does not have.
    pub(crate) fn from_object(
        path: &'a Path,
        shown: &'a str,
        object: &'a Object,
        buf: &'a mut Vec<u8>,
    ) -> Option<Item<'a>> {
        let data = match object {
            Object::Held(data) => Data::Held(data),
            Object::Spooled(file, limit) => Data::File(OpenFile {
                file,
                limit: *limit,
                buf,
            }),
            Object::Missing => return None,
        };
        Some(Item {
            path: Some(path),
            shown,
            data,
        })
    }
}

impl<'a> OpenFile<'a> {
    /// The file read back whole into `buf`, up to `limit` bytes, and the error that ended
    /// the read early, if one did.
    pub(crate) fn read_whole(self) -> (&'a [u8], Option<io::Error>) {
        self.buf.clear();
        let mut reader = self.file;
        let read = reader
            .seek(SeekFrom::Start(0))
            .and_then(|_| reader.take(self.limit).read_to_end(self.buf));
        (self.buf, read.err())
    }
}
