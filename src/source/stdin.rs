//! Standard input, `-`: read into memory up to a window's worth, spooled beyond.

use std::io::{Read, Write};

use super::walk::LARGE;
use crate::check::Checker;
use crate::item::{Data, Item, OpenFile};
use crate::outcome::Outcome;
use crate::scan::Scratch;

/// Scans standard input, shown as `<stdin>`. Up to a window's worth is scanned in
/// memory; more is first copied to a temporary file (removed at once) and scanned in
/// windows like a large file, so that memory stays bounded.
pub(super) fn scan(checker: &Checker) -> std::io::Result<Outcome> {
    let mut stdin = std::io::stdin().lock();
    let mut data = Vec::new();
    (&mut stdin).take(LARGE).read_to_end(&mut data)?;
    let mut scratch = Scratch::default();
    if (data.len() as u64) < LARGE || !checker.windowed() {
        stdin.read_to_end(&mut data)?;
        return Ok(checker.check_item(stdin_item(Data::Held(&data)), &mut scratch));
    }
    let mut spool = crate::output::spool_file()?;
    spool.write_all(&data)?;
    std::io::copy(&mut stdin, &mut spool)?;
    let data = Data::File(OpenFile {
        file: &spool,
        limit: u64::MAX,
        buf: &mut data,
    });
    Ok(checker.check_item(stdin_item(data), &mut scratch))
}

fn stdin_item(data: Data<'_>) -> Item<'_> {
    Item {
        path: None,
        shown: "<stdin>",
        data,
    }
}
