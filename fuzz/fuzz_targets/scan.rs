#![no_main]
//! The scanner on arbitrary bytes: no panic, and every finding points inside the input.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tokenlint::rules::RuleSet;
use tokenlint::scan::{Scanner, Scratch};

fuzz_target!(|data: &[u8]| {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner = SCANNER.get_or_init(|| Scanner::new(&RuleSet::load(&[]).unwrap(), true).unwrap());
    for f in scanner.scan("fuzz", data, &mut Scratch::default()) {
        assert!(f.position.line >= 1 && f.position.column >= 1);
        assert!((f.position.end_line, f.position.end_column) >= (f.position.line, f.position.column));
        if let Some(span) = &f.span {
            assert!(span.end <= data.len());
        }
    }
});
