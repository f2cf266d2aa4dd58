#![no_main]
//! Large files are scanned in overlapping windows, read from a file or slices of a file held
//! whole: on any input, with any window size,
//! the findings are those of the input scanned whole, at the same places.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tokenlint::finding::{Encoding, Finding};
use tokenlint::rules::RuleSet;
use tokenlint::scan::{Scanner, Scratch};

fuzz_target!(|input: (u16, u8, u16, &[u8])| {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    // The built-in rules, and custom ones gated by a keyword or with matches that could
    // overlap.
    let scanner = SCANNER.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/window-rules");
        Scanner::new(&RuleSet::load(&[dir]).unwrap(), true).unwrap()
    });
    let (size, context, piece, data) = input;
    let whole: Vec<_> = scanner
        .scan("fuzz", data, &mut Scratch::default())
        .into_iter()
        .filter(compared)
        .map(key)
        .collect();
    // At most about 32 windows, so that each run stays quick.
    let size = (4 + usize::from(size)).max(data.len() / 32);
    let windowed: Vec<_> = tokenlint::fuzzing::scan_in_windows(
        scanner,
        data,
        size,
        usize::from(context),
        usize::from(piece),
    )
    .into_iter()
    .filter(compared)
    .map(key)
    .collect();
    assert_eq!(whole, windowed);
    // Held whole, its windows slices of it.
    let held: Vec<_> =
        tokenlint::fuzzing::scan_held_in_windows(scanner, data, size, usize::from(context))
            .into_iter()
            .filter(compared)
            .map(key)
            .collect();
    assert_eq!(whole, held);
});

/// Every finding is compared but one kind, a known difference (see the README): matches
/// of a rule that can overlap itself, in decoded base64 that crosses a window's start,
/// follow one another from where the window decodes the run, not from the run's start.
fn compared(f: &Finding) -> bool {
    !(f.rule_id == "test-capital-run" && f.encoding.contains(&Encoding::Base64))
}

/// What must be the same: where, which rule, and what it says.
fn key(
    f: Finding,
) -> (
    String,
    usize,
    usize,
    usize,
    usize,
    Option<std::ops::Range<usize>>,
    String,
) {
    (
        f.rule_id,
        f.position.line,
        f.position.column,
        f.position.end_line,
        f.position.end_column,
        f.span,
        f.message,
    )
}
