//! The rule files in `rules/`, compiled into the binary.
//!
//! The list is written out by hand so that adding a rule is a visible change; the test
//! `every_rule_file_is_compiled_in` fails when a file in `rules/` is missing here.

macro_rules! rule {
    ($file:literal) => {
        (
            $file,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $file)),
        )
    };
}

/// `(file name, file text)` of every built-in rule, in the order `tokenlint rules` lists them.
pub(crate) const BUILTIN_RULES: &[(&str, &str)] = &[
    rule!("remotive-personal-access-token.toml"),
    rule!("remotive-service-account-token.toml"),
    rule!("token-file-outside-store.toml"),
    rule!("legacy-plaintext-token-file.toml"),
    rule!("token-file-invalid.toml"),
    rule!("token-expired.toml"),
    rule!("token-expiring-soon.toml"),
    rule!("token-rotation-overdue.toml"),
    rule!("token-lifetime-too-long.toml"),
    rule!("token-file-permissions.toml"),
    rule!("legacy-token-store.toml"),
    rule!("duplicate-token-file.toml"),
    rule!("stale-baseline-entry.toml"),
];

#[cfg(test)]
mod tests {
    use super::BUILTIN_RULES;

    #[test]
    fn every_rule_file_is_compiled_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut compiled: Vec<String> = BUILTIN_RULES.iter().map(|(f, _)| f.to_string()).collect();
        compiled.sort();
        assert!(!compiled.is_empty());
        assert_eq!(on_disk, compiled, "rules/ and BUILTIN_RULES disagree");
    }
}
