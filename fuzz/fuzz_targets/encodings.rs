#![no_main]
//! A token planted in every encoding the scanner decodes (wrapped base64, hex, percent-encoded
//! bytes, UTF-16 without a byte-order mark, UTF-32), after arbitrary bytes, is always found.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tokenlint::rules::RuleSet;
use tokenlint::scan::Scanner;

fuzz_target!(|data: &[u8]| {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner = SCANNER.get_or_init(|| Scanner::new(&RuleSet::load(&[]).unwrap(), true).unwrap());
    tokenlint::fuzzing::encodings(scanner, data);
});
