#![no_main]
//! The configuration and rule-file parsers: errors, never panics.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = tokenlint::config::Config::parse("fuzz.toml", text) {
            let mut rules = tokenlint::rules::RuleSet::load(&[]).unwrap();
            let _ = config.apply_to_rules(&mut rules);
            let _ = tokenlint::suppress::Allowlist::new(&config, &rules);
        }
        tokenlint::fuzzing::rule_file(text);
    }
});
