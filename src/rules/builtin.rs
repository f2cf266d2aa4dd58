//! The built-in rules: one [`BuiltinRule`] variant per file in `rules/`, compiled into
//! the binary. Code names a built-in rule by its variant, never by a string, so that a
//! misspelt id fails to compile instead of silently dropping findings.
//!
//! The list is written out by hand so that adding a rule is a visible change; the test
//! `every_variant_has_its_rule_file` fails when a file in `rules/` has no variant, or a
//! rule's message and the values its code fills disagree.

macro_rules! builtin_rules {
    ($($(#[$doc:meta])* $variant:ident = $id:literal,)*) => {
        /// A rule that tokenlint ships, in the order `tokenlint rules` lists them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum BuiltinRule {
            $($(#[$doc])* $variant,)*
        }

        impl BuiltinRule {
            /// Every built-in rule, in the order `tokenlint rules` lists them.
            pub const ALL: &'static [BuiltinRule] = &[$(BuiltinRule::$variant,)*];

            /// The rule's id, which is its file's name in `rules/` without `.toml`.
            pub fn id(self) -> &'static str {
                match self {
                    $(BuiltinRule::$variant => $id,)*
                }
            }

            /// The text of the rule's file.
            pub(crate) fn text(self) -> &'static str {
                match self {
                    $(BuiltinRule::$variant => include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".toml"
                    )),)*
                }
            }
        }
    };
}

builtin_rules! {
    /// A hard-coded personal access token (a pattern rule).
    PersonalAccessToken = "remotive-personal-access-token",
    /// A hard-coded service-account token (a pattern rule).
    ServiceAccountToken = "remotive-service-account-token",
    OutsideStore = "token-file-outside-store",
    LegacyPlaintext = "legacy-plaintext-token-file",
    Invalid = "token-file-invalid",
    Expired = "token-expired",
    ExpiringSoon = "token-expiring-soon",
    RotationOverdue = "token-rotation-overdue",
    LifetimeTooLong = "token-lifetime-too-long",
    Permissions = "token-file-permissions",
    LegacyStore = "legacy-token-store",
    Duplicate = "duplicate-token-file",
    /// A token in a shell's or REPL's history file (checked by `audit`, `src/places.rs`).
    InShellHistory = "token-in-shell-history",
    /// A token in a start-up, environment or credential file (`audit`, `src/places.rs`).
    InStartupFile = "token-in-startup-file",
    /// A token, or a deprecated variable, in the process environment (`audit`).
    InEnvironment = "token-in-environment",
    /// A baseline entry that matches no finding (checked in `src/baseline.rs`).
    StaleBaselineEntry = "stale-baseline-entry",
}

impl BuiltinRule {
    /// The built-in rule with this id, if one has it.
    pub fn from_id(id: &str) -> Option<BuiltinRule> {
        BuiltinRule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The `{placeholders}` the code fills in the rule's message, in the order it fills
    /// them.
    pub(crate) fn placeholders(self) -> &'static [&'static str] {
        use BuiltinRule::*;
        match self {
            PersonalAccessToken | ServiceAccountToken => &["secret"],
            OutsideStore | LegacyPlaintext => &["token"],
            Invalid => &["problem"],
            Expired | ExpiringSoon => &["name", "expires", "days"],
            RotationOverdue => &["name", "created", "days"],
            LifetimeTooLong => &["name", "created", "expires", "days"],
            Permissions => &["what", "mode", "want", "path"],
            LegacyStore => &[],
            Duplicate => &["other"],
            InShellHistory | InStartupFile => &["line", "place", "stored", "todo"],
            InEnvironment => &["variable", "problem"],
            StaleBaselineEntry => &["rule", "path", "baseline"],
        }
    }

    /// The rule's message filled with `values`, which must be exactly its
    /// [`placeholders`](BuiltinRule::placeholders), in order.
    pub(crate) fn message(self, rule: &super::Rule, values: &[(&str, &str)]) -> String {
        debug_assert!(
            values
                .iter()
                .map(|(k, _)| *k)
                .eq(self.placeholders().iter().copied()),
            "{} fills {values:?}",
            self.id()
        );
        rule.message_with(values)
    }

    /// What the `audit` table's status column says of a token file with a finding of
    /// this rule, and its rank there: the worst comes first. `None` for the rules that
    /// are not about a token file's state.
    pub fn status(self) -> Option<(usize, &'static str)> {
        use BuiltinRule::*;
        Some(match self {
            LegacyPlaintext => (0, "legacy plaintext file"),
            OutsideStore => (1, "outside the store"),
            Permissions => (2, "readable by others"),
            Expired => (3, "expired"),
            Invalid => (4, "invalid"),
            ExpiringSoon => (5, "expires soon"),
            RotationOverdue => (6, "rotation overdue"),
            LifetimeTooLong => (7, "lifetime too long"),
            Duplicate => (8, "duplicate"),
            LegacyStore => (9, "legacy store"),
            PersonalAccessToken | ServiceAccountToken | StaleBaselineEntry | InShellHistory
            | InStartupFile | InEnvironment => return None,
        })
    }

    /// Whether a finding of this rule may hold a token that a local store holds too, and
    /// so says which stored token it is: the pattern rules, and the token files outside
    /// the store.
    pub(crate) fn names_stored_token(self) -> bool {
        use BuiltinRule::*;
        matches!(
            self,
            PersonalAccessToken | ServiceAccountToken | OutsideStore | LegacyPlaintext
        )
    }
}

#[cfg(test)]
mod tests {
    use super::BuiltinRule;

    /// The `{name}`s of a message, in order.
    fn placeholders(message: &str) -> Vec<&str> {
        message
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_variant_has_its_rule_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut variants: Vec<String> = BuiltinRule::ALL
            .iter()
            .map(|r| format!("{}.toml", r.id()))
            .collect();
        variants.sort();
        assert_eq!(on_disk, variants, "rules/ and BuiltinRule disagree");
        for &rule in BuiltinRule::ALL {
            let parsed = super::super::parse_rule(rule.id(), rule.text()).unwrap();
            assert_eq!(parsed.id(), rule.id(), "the id in rules/{}.toml", rule.id());
            assert_eq!(BuiltinRule::from_id(rule.id()), Some(rule));
            let mut used = placeholders(&parsed.message);
            used.sort_unstable();
            used.dedup();
            let mut filled = rule.placeholders().to_vec();
            filled.sort_unstable();
            assert_eq!(used, filled, "the placeholders of {}", rule.id());
        }
    }
}
