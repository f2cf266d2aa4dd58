#![no_main]
//! The token-file parser, by name and by content, and the date parser.

use libfuzzer_sys::fuzz_target;
use tokenlint::token_file::{parse_date, recognise};

fuzz_target!(|data: &[u8]| {
    for name in ["personal-token-x.json", "config.json", "cloud.secret.token"] {
        if let Some(file) = recognise(name, data) {
            for span in [file.token.map(|t| t.span), file.created.map(|c| c.span), file.expires.map(|e| e.span)]
                .into_iter()
                .flatten()
            {
                assert!(span.end <= data.len());
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_date(text);
    }
});
