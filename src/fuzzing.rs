//! Entry points for the fuzz targets in `fuzz/`: the parsers and decoders, reachable from
//! outside the crate without making them part of its API.

#![doc(hidden)]

use crate::scan::decode;

/// Decoders on arbitrary bytes: UTF-16, base64 run detection and decoding.
pub fn decoders(data: &[u8]) {
    let _ = decode::utf16_text(data);
    let mut decoded = Vec::new();
    let mut runs = Vec::new();
    let min = 16 + usize::from(data.first().copied().unwrap_or(0) % 100);
    decode::base64_runs(data, 0..data.len(), min, |run| runs.push(run));
    for run in runs {
        assert!(run.end <= data.len() && run.len() >= min);
        decode::base64_decode(&data[run], &mut decoded);
    }
    decode::base64_decode(data, &mut decoded);
    assert!(decoded.len() <= data.len() / 4 * 3 + 3);
}

/// A rule file's text.
pub fn rule_file(text: &str) {
    let _ = crate::rules::parse_rule("fuzz.toml", text);
}
