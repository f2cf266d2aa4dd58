//! Token hygiene: what is wrong with a token file beyond the token being written down.
//! Where it lies, whether it has expired or soon will, how old it is, how long it was
//! issued for, and who can read it.
//!
//! The checks return [`Problem`]s: a rule, the field the finding points at, and the
//! values for the rule's message. Turning them into findings is the caller's business.

use std::path::Path;

use chrono::NaiveDate;

use crate::rules::{BuiltinRule, RuleSet};
use crate::token_file::{Layout, TokenFile};

/// The hygiene thresholds, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub expiring_soon_days: i64,
    pub rotation_days: i64,
    pub max_lifetime_days: i64,
}

/// The thresholds the command line or the configuration set, in days; `None` leaves the
/// rule file's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThresholdOverrides {
    pub expiring_soon_days: Option<u32>,
    pub rotation_days: Option<u32>,
    pub max_lifetime_days: Option<u32>,
}

impl Thresholds {
    /// The defaults of the rule files, each overridden where `overrides` says.
    pub fn new(set: &RuleSet, overrides: ThresholdOverrides) -> Thresholds {
        let days = |rule: BuiltinRule, over: Option<u32>, fallback: u32| {
            i64::from(
                over.or_else(|| set.builtin(rule).and_then(|r| r.default_days))
                    .unwrap_or(fallback),
            )
        };
        Thresholds {
            expiring_soon_days: days(BuiltinRule::ExpiringSoon, overrides.expiring_soon_days, 14),
            rotation_days: days(BuiltinRule::RotationOverdue, overrides.rotation_days, 90),
            max_lifetime_days: days(
                BuiltinRule::LifetimeTooLong,
                overrides.max_lifetime_days,
                365,
            ),
        }
    }
}

/// The part of a token file a finding points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The `token` value (location, permissions, duplicates).
    Token,
    /// The `created` value (rotation).
    Created,
    /// The `expires` value (expiry, lifetime).
    Expires,
}

/// One thing wrong with a token file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub rule: BuiltinRule,
    pub anchor: Anchor,
    /// Values for the rule message's `{placeholders}`.
    pub values: Vec<(&'static str, String)>,
}

impl Problem {
    pub(crate) fn new(
        rule: BuiltinRule,
        anchor: Anchor,
        values: Vec<(&'static str, String)>,
    ) -> Problem {
        Problem {
            rule,
            anchor,
            values,
        }
    }
}

/// Where a token file lies, as far as the stores go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whereabouts {
    InStore {
        legacy: bool,
    },
    OutsideStore,
    /// Standard input: nobody knows.
    Unknown,
}

/// The problems of where the file lies and of its shape. Legacy-store notes are for
/// `audit` only (`audit` is true).
pub fn file_problems(file: &TokenFile, whereabouts: Whereabouts, audit: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    // A file without a token is only invalid: there is nothing to revoke or move.
    let Some(token) = file.token.as_ref().map(|t| t.value.redacted()) else {
        return invalid_problem(file).into_iter().collect();
    };
    if file.layout == Layout::Plaintext {
        problems.push(Problem::new(
            BuiltinRule::LegacyPlaintext,
            Anchor::Token,
            vec![("token", token)],
        ));
    } else if whereabouts == Whereabouts::OutsideStore {
        problems.push(Problem::new(
            BuiltinRule::OutsideStore,
            Anchor::Token,
            vec![("token", token)],
        ));
    }
    if audit && whereabouts == (Whereabouts::InStore { legacy: true }) {
        problems.push(Problem::new(
            BuiltinRule::LegacyStore,
            Anchor::Token,
            vec![],
        ));
    }
    problems.extend(invalid_problem(file));
    problems
}

/// The `token-file-invalid` problem of a file that is not a complete, valid token file.
fn invalid_problem(file: &TokenFile) -> Option<Problem> {
    (!file.problems.is_empty()).then(|| {
        Problem::new(
            BuiltinRule::Invalid,
            Anchor::Token,
            vec![("problem", file.problems.join("; "))],
        )
    })
}

/// The problems of the file's dates, as of `today`.
pub fn date_problems(file: &TokenFile, today: NaiveDate, t: &Thresholds) -> Vec<Problem> {
    let mut problems = Vec::new();
    let name = display_name(file);
    let expires = file.expires.as_ref().map(|f| f.value);
    let created = file.created.as_ref().map(|f| f.value);
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(expires) = expires {
        let left = (expires - today).num_days();
        if left < 0 {
            problems.push(Problem::new(
                BuiltinRule::Expired,
                Anchor::Expires,
                vec![
                    ("name", name),
                    ("expires", date(expires)),
                    ("days", days(-left)),
                ],
            ));
            // An expired token needs deleting; how old it is no longer matters.
            return problems;
        }
        if left <= t.expiring_soon_days {
            problems.push(Problem::new(
                BuiltinRule::ExpiringSoon,
                Anchor::Expires,
                vec![
                    ("name", name.clone()),
                    ("expires", date(expires)),
                    ("days", days(left)),
                ],
            ));
        }
    }
    if let Some(created) = created {
        let age = (today - created).num_days();
        if age > t.rotation_days {
            problems.push(Problem::new(
                BuiltinRule::RotationOverdue,
                Anchor::Created,
                vec![
                    ("name", name.clone()),
                    ("created", date(created)),
                    ("days", days(age)),
                ],
            ));
        }
    }
    if let (Some(created), Some(expires)) = (created, expires) {
        let lifetime = (expires - created).num_days();
        if lifetime > t.max_lifetime_days {
            problems.push(Problem::new(
                BuiltinRule::LifetimeTooLong,
                Anchor::Expires,
                vec![
                    ("name", name),
                    ("created", date(created)),
                    ("expires", date(expires)),
                    ("days", days(lifetime)),
                ],
            ));
        }
    }
    problems
}

/// How messages name a token file's token: its `name` in quotes, or "(unnamed)".
pub fn display_name(file: &TokenFile) -> String {
    file.name.as_deref().map_or_else(
        || "(unnamed)".to_string(),
        |n| format!("\"{}\"", clean_text(n)),
    )
}

/// Text from a token file, fit to print: see [`crate::token::printable`].
pub fn clean_text(text: &str) -> String {
    crate::token::printable(text, 64)
}

/// "1 day", "N days".
fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// What a path that must be private is: the mode it should have differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrivatePath {
    /// A token store directory: mode 0700 wanted.
    StoreDir,
    /// A token file: mode 0600 wanted.
    TokenFile,
}

/// A token file or store directory that the group or others can read or write.
#[cfg(unix)]
pub fn permission_problem(path: &Path, kind: PrivatePath) -> Option<Problem> {
    use std::os::unix::fs::PermissionsExt;
    let mode = path.metadata().ok()?.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        return None;
    }
    let (what, want) = match kind {
        PrivatePath::StoreDir => ("token store directory", "700"),
        PrivatePath::TokenFile => ("token file", "600"),
    };
    Some(Problem::new(
        BuiltinRule::Permissions,
        Anchor::Token,
        vec![
            ("what", what.to_string()),
            ("mode", format!("{mode:04o}")),
            ("want", want.to_string()),
            ("path", shell_quote(&path.display().to_string())),
        ],
    ))
}

#[cfg(not(unix))]
pub fn permission_problem(_path: &Path, _kind: PrivatePath) -> Option<Problem> {
    None
}

/// `path` quoted for a POSIX shell when it needs quoting, by `shlex`, which also quotes
/// what an interactive shell or fish would expand (`~`, `!`, `^`, `{`, `\`). A path with
/// a NUL in it, which no shell argument can hold, is single-quoted as it stands.
#[cfg(unix)]
fn shell_quote(path: &str) -> String {
    match shlex::try_quote(path) {
        Ok(quoted) => quoted.into_owned(),
        // `QuoteError::Nul`, the only error there is.
        Err(_) => format!("'{}'", path.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Secret;
    use crate::token_file::Field;

    const T: Thresholds = Thresholds {
        expiring_soon_days: 14,
        rotation_days: 90,
        max_lifetime_days: 365,
    };

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn file(created: &str, expires: &str) -> TokenFile {
        TokenFile {
            layout: Layout::Json,
            name: Some("laptop".into()),
            email: None,
            token: Some(Field {
                value: Secret::from_match(b"pa1.0/synthetic"),
                span: 0..0,
            }),
            created: Some(Field {
                value: day(created),
                span: 0..0,
            }),
            expires: Some(Field {
                value: day(expires),
                span: 0..0,
            }),
            problems: vec![],
        }
    }

    fn rules(created: &str, expires: &str, today: &str) -> Vec<BuiltinRule> {
        date_problems(&file(created, expires), day(today), &T)
            .into_iter()
            .map(|p| p.rule)
            .collect()
    }

    #[test]
    fn expiry_edges() {
        let created = "2026-11-01";
        assert_eq!(
            rules(created, "2026-11-29", "2026-11-29"),
            [BuiltinRule::ExpiringSoon],
            "expires today"
        );
        assert_eq!(
            rules(created, "2026-11-28", "2026-11-29"),
            [BuiltinRule::Expired],
            "expired yesterday"
        );
        assert_eq!(
            rules(created, "2026-11-30", "2026-11-29"),
            [BuiltinRule::ExpiringSoon],
            "tomorrow"
        );
        assert_eq!(
            rules(created, "2026-12-13", "2026-11-29"),
            [BuiltinRule::ExpiringSoon],
            "14 days out"
        );
        assert!(
            rules(created, "2026-12-14", "2026-11-29").is_empty(),
            "15 days out"
        );
    }

    #[test]
    fn rotation_edges() {
        let expires = "2027-06-01";
        assert!(
            rules("2026-08-31", expires, "2026-11-29").is_empty(),
            "exactly 90 days ago"
        );
        assert_eq!(
            rules("2026-08-30", expires, "2026-11-29"),
            [BuiltinRule::RotationOverdue],
            "91 days ago"
        );
    }

    #[test]
    fn lifetime_edges() {
        let today = "2026-11-29";
        assert!(
            rules("2026-11-01", "2027-11-01", today).is_empty(),
            "exactly 365 days"
        );
        assert_eq!(
            rules("2026-11-01", "2027-11-02", today),
            [BuiltinRule::LifetimeTooLong],
            "366 days"
        );
        // The docs' example: issued for ten years, created long ago.
        assert_eq!(
            rules("2023-06-21", "2033-06-21", today),
            [BuiltinRule::RotationOverdue, BuiltinRule::LifetimeTooLong]
        );
    }

    #[test]
    fn an_expired_token_is_only_expired() {
        assert_eq!(
            rules("2020-01-01", "2030-01-01", "2031-01-01"),
            [BuiltinRule::Expired]
        );
    }

    #[test]
    fn messages_carry_the_values() {
        let p = &date_problems(&file("2026-11-01", "2026-11-28"), day("2026-11-29"), &T)[0];
        assert_eq!(
            p.values,
            vec![
                ("name", "\"laptop\"".to_string()),
                ("expires", "2026-11-28".to_string()),
                ("days", "1 day".to_string())
            ]
        );
    }

    #[test]
    fn location_problems() {
        let f = file("2026-11-01", "2027-01-01");
        let ids = |w, audit| -> Vec<BuiltinRule> {
            file_problems(&f, w, audit)
                .into_iter()
                .map(|p| p.rule)
                .collect()
        };
        assert_eq!(
            ids(Whereabouts::OutsideStore, false),
            [BuiltinRule::OutsideStore]
        );
        assert!(ids(Whereabouts::InStore { legacy: false }, true).is_empty());
        assert_eq!(
            ids(Whereabouts::InStore { legacy: true }, true),
            [BuiltinRule::LegacyStore]
        );
        assert!(ids(Whereabouts::InStore { legacy: true }, false).is_empty());
        let mut plain = f.clone();
        plain.layout = Layout::Plaintext;
        assert_eq!(
            file_problems(&plain, Whereabouts::OutsideStore, false)[0].rule,
            BuiltinRule::LegacyPlaintext
        );
    }

    #[cfg(unix)]
    #[test]
    fn permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("personal-token-x.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(permission_problem(&path, PrivatePath::TokenFile).is_none());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = permission_problem(&path, PrivatePath::TokenFile).unwrap();
        assert!(p.values.contains(&("mode", "0644".to_string())));
        assert!(p.values.contains(&("want", "600".to_string())));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(permission_problem(dir.path(), PrivatePath::StoreDir).is_some());
    }

    #[test]
    fn names_are_cleaned() {
        // Built here: the source holds no token.
        let t = &format!("pa1.0/{}-76543210", ["0F1E2D3C"; 7].join("-"));
        assert_eq!(clean_text("ci\u{1b}[31mRED\nx"), "ci [31mRED x");
        let named = clean_text(&format!("token {t} here"));
        assert!(!named.contains(&t[6..14]), "{named}");
        assert!(named.starts_with("token pa1.0/0F1E…3210 here"), "{named}");
        assert!(crate::token::is_token(t), "{t}");
        assert_eq!(clean_text(&"x".repeat(100)).chars().count(), 65);
    }

    #[cfg(unix)]
    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/home/me/x.json"), "/home/me/x.json");
        assert_eq!(
            shell_quote("/tmp/.tmpAb3_x/.config/remotive/personal-token-a@b.json"),
            "/tmp/.tmpAb3_x/.config/remotive/personal-token-a@b.json"
        );
        for path in [
            "/home/m e/it's.json",
            "~/x",
            "/a/b!c",
            "/a/{b,c}",
            "/a\\b\n",
        ] {
            let quoted = shell_quote(path);
            assert_ne!(quoted, path);
            assert_eq!(
                shlex::split(&quoted),
                Some(vec![path.to_string()]),
                "{quoted}"
            );
        }
        assert_eq!(shell_quote("/a\0b's"), "'/a\0b'\\''s'");
    }
}
