//! Hostile and odd input: devices, empty files, NULs, very long lines, many findings.
//! Each case names the exit code and the message it must give.

use std::fs;

mod common;
use common::{token, tokenlint};

#[cfg(unix)]
#[test]
fn devices_named_on_the_command_line_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = tokenlint(dir.path(), &["scan", "/dev/zero", "/dev/null"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/dev/zero: not a regular file"), "{stderr}");
}

#[test]
fn empty_files_and_files_of_nuls() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty"), "").unwrap();
    fs::write(dir.path().join("nuls"), vec![0u8; 1 << 20]).unwrap();
    let mut tail = vec![0u8; 4096];
    tail.extend_from_slice(token("pa", 1).as_bytes());
    fs::write(dir.path().join("nuls-then-token"), tail).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 3);
    assert_eq!(doc["findings"][0]["path"], "nuls-then-token");
}

#[test]
fn a_100_mb_single_line_file() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("sa", 2);
    let chunk = "a.b(c,d);var e=f[g]||{};".repeat(40_000);
    let mut text = String::with_capacity(100 << 20);
    while text.len() < 50 << 20 {
        text.push_str(&chunk);
    }
    text.push_str(&format!("k=\"{t}\";"));
    while text.len() < 100 << 20 {
        text.push_str(&chunk);
    }
    fs::write(dir.path().join("huge.min.js"), &text).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["line"], 1);
    assert_eq!(
        f["column"].as_u64().unwrap() as usize,
        text.find(&t).unwrap() + 1
    );
}

#[test]
fn sarif_keeps_githubs_limit_of_25000_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..25_010u32 {
        text.push_str(&token("pa", i));
        text.push('\n');
    }
    fs::write(dir.path().join("many.txt"), text).unwrap();
    let out = tokenlint(dir.path(), &["scan", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &doc["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 25_000);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("10 of 25010 results were left out"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("were left out"));
}
