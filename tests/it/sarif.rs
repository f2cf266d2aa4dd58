//! SARIF and GitHub output: the SARIF 2.1.0 schema, what GitHub code scanning needs, one
//! pinned document, and the promise that no format ever carries a planted secret.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common;
use common::{base64, hex, percent, snapshot, token, utf16le, wrap};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

fn tokenlint(cwd: &Path, home: &Path, args: &[&str]) -> Output {
    common::Tokenlint::new(cwd)
        .args(args)
        .env("HOME", home)
        .output()
        .unwrap()
}

fn sarif_of(cwd: &Path, args: &[&str]) -> Value {
    let out = tokenlint(cwd, Path::new("/nonexistent-home"), args);
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn leaky_sarif() -> Value {
    sarif_of(
        Path::new(FIXTURES),
        &["scan", "--now", "2026-11-29", "--format", "sarif", "leaky"],
    )
}

fn validate(doc: &Value) {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(format!("{FIXTURES}/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let doc = leaky_sarif();
    validate(&doc);
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
}

#[test]
fn every_rule_once_with_help_and_security_severity() {
    let doc = leaky_sarif();
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tokenlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let set = tokenlint::rules::RuleSet::load(&[]).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = set.rules().iter().map(|r| r.id()).collect();
    assert_eq!(ids, expected, "every rule exactly once, in order");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                !rule[field]["text"].as_str().unwrap().is_empty(),
                "{id} {field}"
            );
        }
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{id}");
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What to do instead"));
        assert!(rule["name"]
            .as_str()
            .unwrap()
            .chars()
            .next()
            .unwrap()
            .is_uppercase());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        let props = &rule["properties"];
        let tags: Vec<&str> = props["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(&tags[..2], ["security", "secret"], "{id}");
        let severity: f64 = props["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity));
        assert!(props["precision"].is_string());
    }
}

#[test]
fn results_point_into_the_repository() {
    let doc = leaky_sarif();
    let run = &doc["runs"][0];
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with("/fixtures/leaky/"),
        "{root}"
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 15);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let artifact = &physical["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let uri = artifact["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains('\\') && !uri.contains(' '),
            "{uri}"
        );
        let region = &physical["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        // A finding about a whole file (a broken token file) has a line but no columns.
        if let Some(start) = region["startColumn"].as_u64() {
            let end = region["endColumn"].as_u64().unwrap();
            assert!(start >= 1);
            if region["startLine"] == region["endLine"] {
                assert!(end > start, "{r}");
            }
        }
        let fp = r["partialFingerprints"]["tokenlint/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 32);
    }
    // The token file named with an e-mail address: `@` is percent-encoded.
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == ".remotive/personal-token-ci-dev%40example.com.json"
    ));
    // A binary file's region has no snippet.
    let sqlite = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/cache.sqlite"
        })
        .unwrap();
    assert!(sqlite["locations"][0]["physicalLocation"]["region"]["snippet"].is_null());
}

#[test]
fn category_and_notifications() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a b.txt"), token("pa", 1)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
    let doc = sarif_of(
        dir.path(),
        &[
            "scan",
            "-L",
            "--format",
            "sarif",
            "--sarif-category",
            "tokenlint/frontend",
            ".",
        ],
    );
    validate(&doc);
    let run = &doc["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "tokenlint/frontend/");
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a%20b.txt"
    );
    #[cfg(unix)]
    {
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["level"], "warning");
    }
}

#[test]
fn audit_sarif_uses_absolute_uris() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join(".config/remotive");
    fs::create_dir_all(&store).unwrap();
    let t = token("pa", 2);
    fs::write(
        store.join("personal-token-x.json"),
        format!("{{\"name\": \"x\", \"token\": \"{t}\", \"created\": \"2020-01-01\", \"expires\": \"2021-01-01\"}}"),
    )
    .unwrap();
    let out = tokenlint(home.path(), home.path(), &["audit", "--format", "sarif"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&doc);
    let run = &doc["runs"][0];
    assert!(run["originalUriBaseIds"].is_null());
    let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(artifact["uri"].as_str().unwrap().starts_with("file:///"));
    assert!(artifact["uriBaseId"].is_null());
}

/// Regression: a token in the environment became a result at
/// `file:///<cwd>/%24REMOTIVE_CLOUD_AUTH_TOKEN`, a file that does not exist, and a GitHub
/// annotation on `file=$REMOTIVE_CLOUD_AUTH_TOKEN`. A variable is a logical location.
#[test]
fn regression_a_variable_is_a_logical_location_not_a_file() {
    let home = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        common::Tokenlint::new(home.path())
            .args(["audit", "--no-system", "--format", format])
            .env("HOME", home.path())
            .env("CI", "true")
            .env("REMOTIVE_CLOUD_AUTH_TOKEN", token("pa", 7))
            .output()
            .unwrap()
    };
    let doc: Value = serde_json::from_slice(&run("sarif").stdout).unwrap();
    validate(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "token-in-environment")
        .unwrap_or_else(|| panic!("{doc}"));
    let location = &result["locations"][0];
    assert!(location["physicalLocation"].is_null(), "{location}");
    assert_eq!(
        location["logicalLocations"],
        serde_json::json!([{
            "name": "REMOTIVE_CLOUD_AUTH_TOKEN",
            "fullyQualifiedName": "env:REMOTIVE_CLOUD_AUTH_TOKEN",
            "kind": "variable"
        }])
    );
    assert!(!doc.to_string().contains("%24REMOTIVE"), "{doc}");
    let github = String::from_utf8(run("github").stdout).unwrap();
    let line = github
        .lines()
        .find(|l| l.contains("token-in-environment"))
        .unwrap_or_else(|| panic!("{github}"));
    assert!(
        line.starts_with("::warning title=token-in-environment::"),
        "{line}"
    );
}

#[test]
fn no_format_ever_carries_a_planted_secret() {
    let home = tempfile::tempdir().unwrap();
    let repo = home.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    let tokens: Vec<String> = (0..15)
        .map(|i| token(if i % 2 == 0 { "pa" } else { "sa" }, 100 + i))
        .collect();
    let w = |name: &str, data: Vec<u8>| fs::write(repo.join(name), data).unwrap();
    w(
        "plain.sh",
        format!("export T={}\nB={} {}\n", tokens[0], tokens[1], tokens[1]).into_bytes(),
    );
    w(
        "escaped.json",
        format!("{{\"t\": \"{}\"}}", tokens[2].replace('/', "\\/")).into_bytes(),
    );
    w(
        "url.txt",
        format!("?t={}", tokens[3].replace('/', "%2F")).into_bytes(),
    );
    w(
        "secret.yaml",
        format!("data:\n  t: {}\n", base64(tokens[4].as_bytes())).into_bytes(),
    );
    w("win.ps1", utf16le(&format!("$t = '{}'", tokens[5])));
    w(
        "personal-token-ci.json",
        format!("{{\"name\": \"ci\", \"token\": \"{}\", \"created\": \"2020-01-01\", \"expires\": \"2030-01-01\"}}", tokens[6])
            .into_bytes(),
    );
    // The encodings decoded since: each is found, and redacted like the others.
    let encoded = [
        (
            "wrapped.b64",
            wrap(&base64(tokens[7].as_bytes()), 76, "", "\n").into_bytes(),
            "base64",
        ),
        (
            "dump.hex",
            wrap(&hex(tokens[8].as_bytes()), 60, "", "\n").into_bytes(),
            "hex",
        ),
        (
            "u.json",
            format!("{{\"t\": \"{}\"}}", tokens[9].replace('/', "\\u002F")).into_bytes(),
            "json-escaped",
        ),
        (
            "page.html",
            format!("<a href=\"?t={}\">", tokens[10].replace('/', "&#x2F;")).into_bytes(),
            "html-escaped",
        ),
        (
            "access.log",
            format!("GET /?t={}\n", percent(tokens[11].as_bytes())).into_bytes(),
            "percent-encoded",
        ),
        (
            "nobom.ps1",
            utf16le(&format!("$t = '{}'\r\n", tokens[12]))[2..].to_vec(),
            "utf16le",
        ),
        (
            "utf32.txt",
            [0xFF, 0xFE, 0, 0]
                .into_iter()
                .chain(
                    format!("t = {}\n", tokens[13])
                        .chars()
                        .flat_map(|c| u32::from(c).to_le_bytes()),
                )
                .collect(),
            "utf32le",
        ),
        (
            "double.txt",
            format!("?t={}", tokens[14].replace('/', "%252F")).into_bytes(),
            "percent-encoded",
        ),
    ];
    for (name, data, _) in &encoded {
        w(name, data.clone());
    }
    let out = tokenlint(home.path(), home.path(), &["scan", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, _, encoding) in &encoded {
        let result = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .ends_with(name)
            })
            .unwrap_or_else(|| panic!("{name} is not found"));
        assert_eq!(
            result["properties"]["encoding"],
            serde_json::json!([encoding]),
            "{name}"
        );
    }
    let mut outputs = Vec::new();
    for format in common::FORMATS {
        for command in ["scan", "audit"] {
            let mut args = vec![command, "--format", format, "--color", "never"];
            if command == "audit" {
                args.push("repo");
            }
            let out = tokenlint(home.path(), home.path(), &args);
            assert!(out.status.code().unwrap() < 2);
            outputs.push((format!("{command} {format}"), out));
        }
    }
    for (what, out) in &outputs {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.len() > 100, "{what} printed nearly nothing");
        for t in &tokens {
            for form in [
                t.clone(),
                t[6..].to_string(),
                base64(t.as_bytes())[8..60].to_string(),
                hex(t.as_bytes())[12..60].to_string(),
                percent(t.as_bytes())[18..90].to_string(),
            ] {
                assert!(!all.contains(&form), "{what} carries a planted secret");
            }
        }
    }
    // ... unless asked to.
    let out = tokenlint(
        home.path(),
        home.path(),
        &["scan", "--format", "json", "--no-redact"],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&tokens[0]));
}

#[test]
fn github_annotations() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a,b.sh"),
        format!("x\n  T={}\n", token("sa", 3)),
    )
    .unwrap();
    let out = tokenlint(
        dir.path(),
        Path::new("/nonexistent-home"),
        &["scan", "--format", "github"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=a%2Cb.sh,line=2,col=5,endLine=2,endColumn=82,title=remotive-service-account-token::"),
        "{line}"
    );
    assert!(line.contains("service-account token sa1.0/"));
}

#[test]
fn pinned_sarif_document() {
    let doc = leaky_sarif();
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    let root = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    text = text.replace(&root, "[ROOT]/");
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    text = text.replace(&version, "\"[VERSION]\"");
    snapshot("leaky.sarif", &(text + "\n"));
}

/// A commit's message is no file: SARIF gives it a logical location and no made-up file
/// URI, and a GitHub annotation names no file. A real file named like the placeholder
/// is still a file.
#[test]
fn regression_a_commit_message_is_a_logical_location_not_a_file() {
    use crate::git::{commit_all, git_out};
    let dir = common::repo();
    let p = dir.path();
    fs::write(
        p.join("<commit message>"),
        format!("t={}\n", token("pa", 31)),
    )
    .unwrap();
    commit_all(p, &format!("deploy\n\nwith {}", token("pa", 32)));
    let id = git_out(p, &["rev-parse", "HEAD"]);
    let run = |format: &str| common::tokenlint(p, &["scan", "--history", "--format", format]);
    let doc: Value = serde_json::from_slice(&run("sarif").stdout).unwrap();
    validate(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{doc}");
    let (objects, files): (Vec<&Value>, Vec<&Value>) = results
        .iter()
        .partition(|r| r["locations"][0]["physicalLocation"].is_null());
    assert_eq!(objects.len(), 1, "{doc}");
    assert_eq!(
        objects[0]["locations"][0]["logicalLocations"],
        serde_json::json!([{
            "name": "<commit message>",
            "fullyQualifiedName": format!("git:{id}:<commit message>"),
            "kind": "object"
        }])
    );
    assert_eq!(
        files[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Ccommit%20message%3E",
        "{doc}"
    );
    let github = String::from_utf8(run("github").stdout).unwrap();
    let lines: Vec<&str> = github.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), 2, "{github}");
    assert!(
        lines.iter().any(
            |l| l.starts_with("::error title=") && l.contains("::<commit message>: hard-coded")
        ),
        "{github}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=<commit message>,")),
        "{github}"
    );
}
