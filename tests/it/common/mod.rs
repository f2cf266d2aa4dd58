//! Helpers shared by the integration tests: synthetic tokens built in code, base64, and
//! file snapshots; the hermetic runner is in `runner.rs`.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

mod runner;
pub use runner::*;

/// Every `--format`, for the tests that hold for all of them (redaction above all).
pub const FORMATS: [&str; 8] = [
    "text", "json", "sarif", "github", "concise", "gitlab", "rdjson", "junit",
];

/// A synthetic token of `kind` (`pa` or `sa`): eight groups of hex derived from `seed`.
pub fn token(kind: &str, seed: u32) -> String {
    let groups: Vec<String> = (0..8u32)
        .map(|i| {
            format!(
                "{:08X}",
                seed.wrapping_mul(2_654_435_761).rotate_left(i * 4) ^ i
            )
        })
        .collect();
    format!("{kind}1.0/{}", groups.join("-"))
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    tokenlint::fuzzing::base64_encode(data)
}

/// `data` as lowercase hex digits.
pub fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// `data` percent-encoded, every byte.
pub fn percent(data: &[u8]) -> String {
    data.iter().map(|b| format!("%{b:02X}")).collect()
}

/// `encoded` wrapped at `width` characters a line, each line after `indent` and ended by
/// `eol`.
pub fn wrap(encoded: &str, width: usize, indent: &str, eol: &str) -> String {
    tokenlint::fuzzing::wrapped(encoded, width, indent, eol)
}

/// UTF-16LE with a byte-order mark.
pub fn utf16le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// Compares `actual` with `tests/snapshots/NAME`; `TOKENLINT_BLESS=1` rewrites it.
pub fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("TOKENLINT_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "snapshot {name} differs; re-bless with TOKENLINT_BLESS=1 cargo test\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// Runs git in `dir` as a test identity, and asserts it succeeded.
pub fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.test"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A fresh git repository in a temporary directory.
pub fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    dir
}

/// The paths of the findings in a JSON report, in order.
pub fn finding_paths(doc: &serde_json::Value) -> Vec<&str> {
    finding_strings(doc, "path")
}

/// The path, line and rule id of every finding in a JSON report, in order.
pub fn finding_places(doc: &serde_json::Value) -> Vec<(String, u64, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One string field of every finding in a JSON report, in order.
pub fn finding_strings<'a>(doc: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[field].as_str().unwrap())
        .collect()
}

/// A custom rule file `acme-any` whose pattern is `regex`.
pub fn acme_rule(regex: &str) -> String {
    [
        "id = \"acme-any\"\nseverity = \"error\"\nmessage = \"ACME {secret}\"\n",
        &format!("[pattern]\nkeywords = [\"acme_\"]\nregex = '{regex}'\n"),
        "[docs]\nsummary = \"An ACME key.\"\nwhy = \"It grants access.\"\nfix = \"Revoke it.\"\n",
        "references = []\n[sarif]\ntags = []\nprecision = \"high\"\nsecurity-severity = 5.0\n",
        "[examples]\npositive = [\"acme_abc\"]\nnegative = [\"acme\"]\n",
    ]
    .concat()
}
