#![no_main]
//! The scanner on arbitrary bytes: no panic, every finding points inside the input, and its
//! regex finds the same behind the lead bytes as alone.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tokenlint::rules::RuleSet;
use tokenlint::scan::{Scanner, Scratch};

fuzz_target!(|data: &[u8]| {
    static SCANNERS: OnceLock<(Scanner, Scanner)> = OnceLock::new();
    let (scanner, alone) = SCANNERS.get_or_init(|| {
        let scanner = || Scanner::new(&RuleSet::load(&[]).unwrap(), true).unwrap();
        (scanner(), tokenlint::fuzzing::searching_without_lead_bytes(scanner()).0)
    });
    let findings = scanner.scan("fuzz", data, &mut Scratch::default());
    for f in &findings {
        assert!(f.position.line >= 1 && f.position.column >= 1);
        assert!((f.position.end_line, f.position.end_column) >= (f.position.line, f.position.column));
        if let Some(span) = &f.span {
            assert!(span.end <= data.len());
        }
    }
    let key = |f: &tokenlint::finding::Finding| (f.rule_id.clone(), f.position.clone(), f.span.clone());
    let by_regex_alone = alone.scan("fuzz", data, &mut Scratch::default());
    assert!(findings.iter().map(key).eq(by_regex_alone.iter().map(key)));
});
