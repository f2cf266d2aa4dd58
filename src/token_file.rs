//! The RemotiveCloud token file: how to recognise one, and what it holds.
//!
//! The CLI writes JSON files (`version`, `type`, `name`, `token`, `created`, `expires`,
//! `account.email`; older ones only `expires`, `token`, `created`, `name`), and very old
//! CLIs a plaintext `cloud.secret.token`. A file is a token file by its name, or by its
//! content: a JSON object whose `token` is a RemotiveCloud token.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::token::{self, Secret, TokenKind};

/// The legacy plaintext token file of very old CLIs.
pub const LEGACY_PLAINTEXT_NAME: &str = "cloud.secret.token";

/// Token files are tiny; a larger file is not parsed as one.
pub const MAX_TOKEN_FILE: usize = 64 * 1024;

/// Which file layout a token file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// JSON, current or older.
    Json,
    /// `cloud.secret.token`: the token alone.
    Plaintext,
}

/// A field of a token file: its value and the byte range of the value in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A recognised token file. Fields the file lacks, or that do not parse, are `None`, and
/// `problems` says what is wrong.
#[derive(Clone, Debug)]
pub struct TokenFile {
    pub layout: Layout,
    pub name: Option<String>,
    pub email: Option<String>,
    pub token: Option<Field<Secret>>,
    pub created: Option<Field<NaiveDate>>,
    pub expires: Option<Field<NaiveDate>>,
    /// Why the file is not a complete, valid token file (empty when it is).
    pub problems: Vec<String>,
}

impl TokenFile {
    pub fn kind(&self) -> Option<TokenKind> {
        self.token
            .as_ref()
            .and_then(|t| token::kind(t.value.expose()))
    }
}

/// Whether a file name is one the CLI gives token files, in any of its versions.
pub fn is_token_file_name(name: &str) -> bool {
    let json = |stem: &str| {
        name.strip_suffix(".json")
            .is_some_and(|s| s.len() > stem.len())
    };
    name == LEGACY_PLAINTEXT_NAME
        || (name.starts_with("personal-token-") && json("personal-token-"))
        || (name.starts_with("service-account-token-") && json("service-account-token-"))
        || (name.starts_with("service-account-")
            && name.ends_with("-token.json")
            && name.len() > "service-account--token.json".len())
}

/// The file as a token file, if it is one: by its name, or by its content.
/// `name` is the file name alone.
pub fn recognise(name: &str, data: &[u8]) -> Option<TokenFile> {
    let by_name = is_token_file_name(name);
    if data.len() > MAX_TOKEN_FILE {
        return by_name.then(|| broken(Layout::Json, "the file is too large to be a token file"));
    }
    if name == LEGACY_PLAINTEXT_NAME {
        return Some(plaintext(data));
    }
    let parsed = parse_json(data, by_name);
    match parsed {
        Ok(file) if file.token.is_some() || by_name => Some(file),
        Ok(_) => None,
        Err(problem) => by_name.then(|| broken(Layout::Json, &problem)),
    }
}

fn broken(layout: Layout, problem: &str) -> TokenFile {
    TokenFile {
        layout,
        name: None,
        email: None,
        token: None,
        created: None,
        expires: None,
        problems: vec![problem.to_string()],
    }
}

fn plaintext(data: &[u8]) -> TokenFile {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(data.len());
    let end = data
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    let mut file = broken(Layout::Plaintext, "");
    file.problems.clear();
    match std::str::from_utf8(&data[start..end]) {
        Ok(token) if token::is_token(token) => {
            file.token = Some(Field {
                value: Secret::from_match(token.as_bytes()),
                span: start..end,
            });
        }
        _ => file
            .problems
            .push("it does not hold a RemotiveCloud token".to_string()),
    }
    file
}

/// The JSON layouts, as serde sees them. Unknown fields are allowed: the CLI adds some.
#[derive(Deserialize)]
struct RawTokenFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    account: Option<RawAccount>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawAccount {
    #[serde(default)]
    email: Option<String>,
}

/// A JSON token file. `Err` when the data is not a JSON object of the expected shape;
/// `Ok` with `token: None` when it is JSON but holds no RemotiveCloud token. A file that
/// is a token file by its content alone, and has none of the CLI's other fields, is not
/// faulted for lacking them.
fn parse_json(data: &[u8], by_name: bool) -> Result<TokenFile, String> {
    let raw: RawTokenFile = serde_json::from_slice(data).map_err(|e| json_problem(&e))?;
    // Spans are byte offsets into `data` itself: serde skips unknown fields without
    // checking their UTF-8, so a lossy copy of the text could be longer than the file.
    let text = data;
    let mut problems = Vec::new();
    let token = match raw.token {
        Some(t) if token::is_token(&t) => Some(Field {
            span: top_level_value(text, "token").unwrap_or(0..0),
            value: Secret::from_match(t.as_bytes()),
        }),
        Some(_) => {
            problems.push("its `token` is not a RemotiveCloud token".to_string());
            None
        }
        None => {
            problems.push("it has no `token`".to_string());
            None
        }
    };
    if token.is_none() {
        // Not a token file by content; by name, a broken one.
        return Ok(TokenFile {
            layout: Layout::Json,
            name: raw.name,
            email: None,
            token: None,
            created: None,
            expires: None,
            problems,
        });
    }
    let cli_shaped = by_name
        || raw.created.is_some()
        || raw.expires.is_some()
        || raw.kind.is_some()
        || raw.version.is_some();
    let mut missing = Vec::new();
    let created = date_field(text, "created", raw.created, &mut missing);
    let expires = date_field(text, "expires", raw.expires, &mut missing);
    if cli_shaped {
        problems.extend(missing);
    }
    if let (Some(kind), Some(t)) = (raw.kind.as_deref(), &token) {
        let (expected, what) = match token::kind(t.value.expose()) {
            Some(TokenKind::Personal) => ("authorized_user", "a personal"),
            _ => ("service_account", "a service-account"),
        };
        if kind != expected {
            problems.push(format!(
                "its `type` is not `{expected}`, though the token is {what} token"
            ));
        }
    }
    Ok(TokenFile {
        layout: Layout::Json,
        name: raw.name,
        email: raw.account.and_then(|a| a.email),
        token,
        created,
        expires,
        problems,
    })
}

/// What is wrong with JSON that serde rejected, without quoting the file: serde's own
/// messages quote values, and a value may be a token.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof => "it is not valid JSON",
        Category::Data => "it is not a JSON object with the fields of a token file",
        Category::Io => "it cannot be read",
    };
    format!("{what} (line {}, column {})", e.line(), json_column(e))
}

/// The 1-based column of a JSON error, as every other location tokenlint prints. serde
/// counts the characters read on the line: the column of the character at fault, but at
/// the end of the input the column of the last character (0 after a line end), one short
/// of where the missing text should be.
fn json_column(e: &serde_json::Error) -> usize {
    match e.classify() {
        serde_json::error::Category::Eof => e.column() + 1,
        _ => e.column().max(1),
    }
}

fn date_field(
    text: &[u8],
    key: &str,
    value: Option<String>,
    problems: &mut Vec<String>,
) -> Option<Field<NaiveDate>> {
    let Some(value) = value else {
        problems.push(format!("it has no `{key}`"));
        return None;
    };
    match parse_date(&value) {
        Some(date) => Some(Field {
            value: date,
            span: top_level_value(text, key).unwrap_or(0..0),
        }),
        None => {
            problems.push(format!("its `{key}` is not an ISO 8601 date"));
            None
        }
    }
}

/// An ISO 8601 date or date-time, reduced to its date as the CLI does: the date as
/// written, in the offset it was written in.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.date_naive());
    }
    let naive = text.trim_end_matches('Z');
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())
    .map(|dt| dt.date())
}

/// The byte range of the string value of `key` in the top-level object of `text`: not a
/// key of the same name in a nested object, and found however the key is escaped.
fn top_level_value(bytes: &[u8], key: &str) -> Option<Range<usize>> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let end = string_end(bytes, i)?;
                let after = skip_space(bytes, end + 1);
                if depth == 1 && bytes.get(after) == Some(&b':') {
                    let name: Option<String> = serde_json::from_slice(&bytes[i..=end]).ok();
                    let value = skip_space(bytes, after + 1);
                    if name.as_deref() == Some(key) && bytes.get(value) == Some(&b'"') {
                        let value_end = string_end(bytes, value)?;
                        return Some(value + 1..value_end);
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(kind: &str) -> String {
        let groups: Vec<String> = (1..=8u32)
            .map(|i| format!("{:08X}", i * 0x1111_1111))
            .collect();
        format!("{kind}1.0/{}", groups.join("-"))
    }

    #[test]
    fn names() {
        for name in [
            "personal-token-laptop-me@example.com.json",
            "personal-token-laptop.json",
            "service-account-token-ci-me@example.com.json",
            "service-account-ci-deploy-token.json",
            "cloud.secret.token",
        ] {
            assert!(is_token_file_name(name), "{name}");
        }
        for name in [
            "personal-token-.json",
            "personal-token-x.json.bak",
            "service-account.json",
            "token.json",
            "cloud.secret.token.txt",
        ] {
            assert!(!is_token_file_name(name), "{name}");
        }
    }

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("2033-06-21"), d(2033, 6, 21));
        assert_eq!(parse_date("2023-06-21T13:01:19.447+02:00"), d(2023, 6, 21));
        // The date as written, not converted to UTC.
        assert_eq!(parse_date("2023-06-21T00:30:00+02:00"), d(2023, 6, 21));
        assert_eq!(parse_date("2023-06-21T23:59:59Z"), d(2023, 6, 21));
        assert_eq!(parse_date("2023-06-21T13:01:19.447"), d(2023, 6, 21));
        assert_eq!(parse_date("21/06/2023"), None);
        assert_eq!(parse_date("2023-02-30"), None);
    }

    fn current(t: &str) -> String {
        format!(
            r#"{{
  "version": "1.0",
  "type": "authorized_user",
  "name": "laptop",
  "token": "{t}",
  "created": "2023-06-21T13:01:19.447+02:00",
  "expires": "2033-06-21",
  "account": {{ "email": "me@example.com" }}
}}"#
        )
    }

    #[test]
    fn current_layout() {
        let t = token("pa");
        let text = current(&t);
        let file = recognise("anything.txt", text.as_bytes()).unwrap();
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(file.name.as_deref(), Some("laptop"));
        assert_eq!(file.email.as_deref(), Some("me@example.com"));
        assert_eq!(file.kind(), Some(TokenKind::Personal));
        let tok = file.token.unwrap();
        assert_eq!(&text[tok.span.clone()], t);
        let expires = file.expires.unwrap();
        assert_eq!(&text[expires.span], "2033-06-21");
        assert_eq!(
            file.created.unwrap().value,
            NaiveDate::from_ymd_opt(2023, 6, 21).unwrap()
        );
    }

    #[test]
    fn older_layout() {
        let t = token("sa");
        let text = format!(
            r#"{{"expires": "2024-06-21", "token": "{t}", "created": "2023-06-21", "name": "ci"}}"#
        );
        let file = recognise("service-account-ci-deploy-token.json", text.as_bytes()).unwrap();
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(file.kind(), Some(TokenKind::ServiceAccount));
    }

    #[test]
    fn broken_files_are_token_files_by_name_only() {
        let bad = b"{\"token\": ";
        let file = recognise("personal-token-x.json", bad).unwrap();
        assert!(
            file.problems[0].contains("not valid JSON"),
            "{:?}",
            file.problems
        );
        assert!(recognise("notes.json", bad).is_none());
    }

    #[test]
    fn a_json_without_a_remotive_token_is_not_a_token_file() {
        let other = br#"{"token": "ghp_abcdef", "expires": "2030-01-01"}"#;
        assert!(recognise("config.json", other).is_none());
        let named = recognise("personal-token-x.json", other).unwrap();
        assert!(named.token.is_none());
        assert!(named.problems[0].contains("not a RemotiveCloud token"));
    }

    #[test]
    fn missing_and_bad_fields_are_problems() {
        let t = token("pa");
        let text = format!(r#"{{"token": "{t}", "created": "yesterday"}}"#);
        let file = recognise("x.json", text.as_bytes()).unwrap();
        assert!(file.expires.is_none() && file.created.is_none());
        assert_eq!(file.problems.len(), 2, "{:?}", file.problems);
        let text = format!(
            r#"{{"token": "{t}", "type": "service_account", "created": "2024-01-01", "expires": "2024-02-01"}}"#
        );
        let file = recognise("x.json", text.as_bytes()).unwrap();
        assert!(
            file.problems[0].contains("`type` is not `authorized_user`"),
            "{:?}",
            file.problems
        );
    }

    #[test]
    fn fields_are_found_at_the_top_level_only() {
        let t = token("pa");
        let text = format!(
            r#"{{"meta": {{"token": "x", "expires": "1999-01-01"}}, "\u0074oken": "{t}", "expires": "2030-01-01"}}"#
        );
        let file = recognise("personal-token-x.json", text.as_bytes()).unwrap();
        assert_eq!(&text[file.token.unwrap().span], t);
        assert_eq!(&text[file.expires.unwrap().span], "2030-01-01");
    }

    #[test]
    fn problems_never_quote_the_file() {
        let t = token("pa");
        for text in [
            format!("\"{t}\""),
            format!(
                r#"{{"token": "{t}", "type": "{t}", "created": "{t}", "expires": "2030-01-01"}}"#
            ),
            format!(r#"{{"token": "{t}", "account": "{t}"}}"#),
        ] {
            let file = recognise("personal-token-x.json", text.as_bytes()).unwrap();
            assert!(!file.problems.is_empty(), "{text}");
            assert!(
                !file.problems.join(" ").contains(&t[6..14]),
                "{:?}",
                file.problems
            );
        }
    }

    #[test]
    fn a_token_in_plain_config_json_is_a_token_file_without_other_faults() {
        let t = token("pa");
        let text = format!(r#"{{"url": "https://example.test", "token": "{t}"}}"#);
        let file = recognise("config.json", text.as_bytes()).unwrap();
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        let named = recognise("personal-token-x.json", text.as_bytes()).unwrap();
        assert_eq!(named.problems.len(), 2);
    }

    #[test]
    fn regression_spans_stay_inside_files_with_invalid_utf8() {
        // Found by the token_file fuzz target: serde skips an unknown field without checking
        // its UTF-8, and spans measured on a lossy copy ran past the end of the file.
        let t = token("pa");
        let mut data = b"{\"junk\": \"".to_vec();
        data.extend_from_slice(&[0x99; 40]);
        data.extend_from_slice(
            format!("\", \"token\": \"{t}\", \"expires\": \"2030-01-01\"}}").as_bytes(),
        );
        let file = recognise("personal-token-x.json", &data).unwrap();
        let span = file.token.unwrap().span;
        assert_eq!(&data[span], t.as_bytes());
        let mut plain = vec![0x99u8; 10];
        plain.extend_from_slice(b"\n");
        assert!(recognise(LEGACY_PLAINTEXT_NAME, &plain)
            .unwrap()
            .token
            .is_none());
    }

    #[test]
    fn broken_json_columns_are_1_based() {
        let problem = |text: &str| recognise("personal-token-x.json", text.as_bytes()).unwrap();
        let at = |text: &str| problem(text).problems[0].clone();
        // The character at fault: `x` is the 11th character.
        assert!(at("{\"token\": x}").ends_with("(line 1, column 11)"));
        assert!(at("{\"a\" 1}").ends_with("(line 1, column 6)"));
        // The end of the input: just past its last character, never column 0.
        assert!(at("{\"token\":").ends_with("(line 1, column 10)"));
        assert!(at("\n").ends_with("(line 2, column 1)"), "{}", at("\n"));
    }

    #[test]
    fn plaintext_legacy_file() {
        let t = token("pa");
        let file = recognise(LEGACY_PLAINTEXT_NAME, format!("{t}\n").as_bytes()).unwrap();
        assert_eq!(file.layout, Layout::Plaintext);
        assert_eq!(file.token.unwrap().span, 0..t.len());
        let empty = recognise(LEGACY_PLAINTEXT_NAME, b"").unwrap();
        assert!(!empty.problems.is_empty());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = token("pa");
        let file = recognise("x.json", current(&t).as_bytes()).unwrap();
        assert!(!format!("{file:?}").contains(&t[6..]));
    }
}
