//! `tokenlint audit` against a fake `$HOME`, and the token-file rules of `scan`: each test
//! builds its home in a temp directory. Tokens are built here, never written out.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common;
use common::{snapshot, token};

/// A token file in the current CLI's layout.
pub(crate) fn current(name: &str, token: &str, created: &str, expires: &str) -> String {
    let kind = if token.starts_with("pa") {
        "authorized_user"
    } else {
        "service_account"
    };
    format!(
        "{{\n  \"version\": \"1.0\",\n  \"type\": \"{kind}\",\n  \"name\": \"{name}\",\n  \"token\": \"{token}\",\n  \
         \"created\": \"{created}T09:30:00.000+01:00\",\n  \"expires\": \"{expires}\",\n  \
         \"account\": {{\"email\": \"dev@example.com\"}}\n}}\n"
    )
}

/// The older four-field layout.
fn older(name: &str, token: &str, created: &str, expires: &str) -> String {
    format!(
        "{{\"expires\": \"{expires}\", \"token\": \"{token}\", \"created\": \"{created}\", \"name\": \"{name}\"}}\n"
    )
}

pub(crate) struct Home {
    tmp: tempfile::TempDir,
    pub(crate) env: Vec<(&'static str, String)>,
}

impl Home {
    pub(crate) fn new() -> Home {
        Home {
            tmp: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes a file with `mode` (on Unix), creating its directories with 0700.
    pub(crate) fn write(&self, rel: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        set_mode(&path, mode);
        let mut dir = path.parent().unwrap();
        while dir != self.path() {
            set_mode(dir, 0o700);
            dir = dir.parent().unwrap();
        }
        path
    }

    pub(crate) fn cmd(&self, args: &[&str]) -> common::Tokenlint {
        let mut cmd = common::Tokenlint::new(self.path());
        cmd.args(args).env("HOME", self.path());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    pub(crate) fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.run(args);
        let doc = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code().unwrap(), doc)
    }

    /// `(file name, rule id)` of every finding of a JSON run.
    pub(crate) fn rules(&self, args: &[&str]) -> Vec<(String, String)> {
        let (_, doc) = self.json(args);
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let path = f["path"].as_str().unwrap();
                let name = Path::new(path).file_name().unwrap().to_string_lossy();
                (
                    name.into_owned(),
                    f["rule_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

pub(crate) fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }
    let _ = (path, mode);
}

pub(crate) const NOW: &[&str] = &["--now", "2026-11-29"];

fn args<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    let mut all: Vec<&str> = head.to_vec();
    all.extend_from_slice(NOW);
    all.extend_from_slice(tail);
    all
}

#[test]
fn a_healthy_store_is_clean() {
    let home = Home::new();
    let t = token("pa", 1);
    home.write(
        ".config/remotive/personal-token-laptop-dev@example.com.json",
        &current("laptop", &t, "2026-11-01", "2027-05-01"),
        0o600,
    );
    let (code, doc) = home.json(&args(&["audit", "--format", "json"], &[]));
    assert_eq!(code, 0, "{doc}");
    assert!(doc["findings"].as_array().unwrap().is_empty(), "{doc}");
    let rows = doc["token_files"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "laptop");
    assert_eq!(rows[0]["kind"], "personal");
    assert_eq!(rows[0]["days_left"], 153);
    assert_eq!(rows[0]["status"], serde_json::json!(["ok"]));
    assert!(!doc.to_string().contains(&t[6..]));
}

#[test]
fn stores_follow_the_environment() {
    let home = Home::new();
    let t = token("sa", 2);
    let text = current("ci", &t, "2026-11-01", "2027-05-01");
    home.write(
        "custom/service-account-token-ci-dev@example.com.json",
        &text,
        0o600,
    );
    home.write(
        "xdg/remotive/service-account-token-ci-dev@example.com.json",
        &text,
        0o600,
    );
    // Without the variables, neither place is a store: only the files directly in ~ and
    // in ~/Downloads and ~/Desktop are looked at, so an explicit PATH finds them.
    let outside = home.rules(&args(&["audit", "--format", "json", "custom", "xdg"], &[]));
    let outside: Vec<&str> = outside.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        outside
            .iter()
            .filter(|r| **r == "token-file-outside-store")
            .count(),
        2
    );
    let mut with_env = Home {
        tmp: home.tmp,
        env: Vec::new(),
    };
    let root = with_env.path().to_path_buf();
    with_env.env.push((
        "REMOTIVE_CONFIG_DIR",
        root.join("custom").display().to_string(),
    ));
    with_env
        .env
        .push(("XDG_CONFIG_HOME", root.join("xdg").display().to_string()));
    let (code, doc) = with_env.json(&args(&["audit", "--format", "json"], &[]));
    let rows = doc["token_files"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{doc}");
    let rules = common::finding_strings(&doc, "rule_id");
    assert_eq!(rules, ["duplicate-token-file"], "{doc}");
    assert_eq!(code, 0, "a note does not fail the run");
    // A relative REMOTIVE_CONFIG_DIR is ignored, as the CLI ignores it.
    with_env.env[0].1 = "custom".to_string();
    let (_, doc) = with_env.json(&args(&["audit", "--format", "json"], &[]));
    assert_eq!(doc["token_files"].as_array().unwrap().len(), 1, "{doc}");
}

#[test]
fn downloads_desktop_and_home_are_outside_the_store() {
    let home = Home::new();
    let t = token("pa", 3);
    let text = current("laptop", &t, "2026-11-01", "2027-05-01");
    home.write("Downloads/personal-token-laptop.json", &text, 0o600);
    home.write("Desktop/renamed.json", &text, 0o600);
    home.write("Documents/deep/personal-token-laptop.json", &text, 0o600);
    home.write("cloud.secret.token", &format!("{t}\n"), 0o600);
    let got = home.rules(&args(&["audit", "--format", "json"], &[]));
    let names: Vec<(&str, &str)> = got.iter().map(|(n, r)| (n.as_str(), r.as_str())).collect();
    assert!(
        names.contains(&("renamed.json", "token-file-outside-store")),
        "{names:?}"
    );
    assert!(names.contains(&("personal-token-laptop.json", "token-file-outside-store")));
    assert!(names.contains(&("cloud.secret.token", "legacy-plaintext-token-file")));
    assert!(names.iter().any(|(_, r)| *r == "duplicate-token-file"));
    // ~/Documents is not looked at unless named.
    let (_, doc) = home.json(&args(&["audit", "--format", "json"], &[]));
    assert!(!doc.to_string().contains("Documents"));
    assert!(home
        .json(&args(&["audit", "--format", "json", "Documents"], &[]))
        .1
        .to_string()
        .contains("Documents"));
}

#[cfg(unix)]
#[test]
fn permissions_are_checked_and_the_fix_names_chmod() {
    let home = Home::new();
    let t = token("pa", 4);
    let path = home.write(
        ".config/remotive/personal-token-laptop.json",
        &current("laptop", &t, "2026-11-01", "2027-05-01"),
        0o644,
    );
    set_mode(&home.path().join(".config/remotive"), 0o755);
    let (code, doc) = home.json(&args(&["audit", "--format", "json"], &[]));
    assert_eq!(code, 1);
    let messages: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "token-file-permissions")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{doc}");
    assert!(messages
        .iter()
        .any(|m| m.contains(&format!("chmod 600 {}", path.display()))));
    assert!(messages
        .iter()
        .any(|m| m.contains("chmod 700") && m.contains("mode 0755")));
    // `scan` does not check permissions.
    let scanned = home.rules(&args(
        &["scan", "--format", "json", "--no-ignore", ".config"],
        &[],
    ));
    assert!(
        scanned.iter().all(|(_, r)| r != "token-file-permissions"),
        "{scanned:?}"
    );
}

#[test]
fn the_legacy_store_is_a_store_with_a_note() {
    let home = Home::new();
    let t = token("sa", 5);
    home.write(
        ".config/.remotive/service-account-ci-deploy-token.json",
        &older("deploy", &t, "2026-11-01", "2027-05-01"),
        0o600,
    );
    let got = home.rules(&args(&["audit", "--format", "json"], &[]));
    assert_eq!(
        got,
        [(
            "service-account-ci-deploy-token.json".to_string(),
            "legacy-token-store".to_string()
        )]
    );
}

#[test]
fn date_rules_and_thresholds() {
    let home = Home::new();
    let store = ".config/remotive";
    home.write(
        &format!("{store}/personal-token-expired.json"),
        &current("expired", &token("pa", 6), "2026-01-01", "2026-11-28"),
        0o600,
    );
    home.write(
        &format!("{store}/personal-token-soon.json"),
        &current("soon", &token("pa", 7), "2026-11-01", "2026-12-13"),
        0o600,
    );
    home.write(
        &format!("{store}/personal-token-old.json"),
        &older("old", &token("pa", 8), "2026-08-30", "2027-03-01"),
        0o600,
    );
    home.write(
        &format!("{store}/personal-token-long.json"),
        &older("long", &token("pa", 9), "2026-11-01", "2027-11-02"),
        0o600,
    );
    let mut got = home.rules(&args(&["audit", "--format", "json"], &[]));
    got.sort();
    let got: Vec<(&str, &str)> = got.iter().map(|(n, r)| (n.as_str(), r.as_str())).collect();
    assert_eq!(
        got,
        [
            ("personal-token-expired.json", "token-expired"),
            ("personal-token-long.json", "token-lifetime-too-long"),
            ("personal-token-old.json", "token-rotation-overdue"),
            ("personal-token-soon.json", "token-expiring-soon"),
        ]
    );
    // Flags move the thresholds.
    let relaxed = home.rules(&args(
        &["audit", "--format", "json"],
        &[
            "--expiring-soon-days",
            "13",
            "--rotation-days",
            "91",
            "--max-lifetime-days",
            "400",
        ],
    ));
    let relaxed: Vec<&str> = relaxed.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(relaxed, ["token-expired"]);
}

#[test]
fn findings_point_at_the_field_concerned() {
    let home = Home::new();
    let t = token("pa", 10);
    home.write(
        "repo/.remotive/personal-token-ci.json",
        &current("ci", &t, "2023-06-21", "2033-06-21"),
        0o600,
    );
    let (code, doc) = home.json(&args(&["scan", "--format", "json", "repo"], &[]));
    assert_eq!(code, 1);
    let at: Vec<(String, u64, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            ("token-file-outside-store".to_string(), 5, 13),
            ("token-rotation-overdue".to_string(), 6, 15),
            ("token-lifetime-too-long".to_string(), 7, 15),
        ],
        "the token is reported once, as a token file"
    );
}

#[test]
fn broken_and_foreign_token_files() {
    let home = Home::new();
    home.write("repo/personal-token-x.json", "{\"token\": ", 0o600);
    home.write(
        "repo/config.json",
        "{\"token\": \"ghp_abc\", \"expires\": \"2020-01-01\"}",
        0o600,
    );
    home.write(
        "repo/service-account-token-y.json",
        "{\"name\": \"y\"}",
        0o600,
    );
    let got = home.rules(&args(&["scan", "--format", "json", "repo"], &[]));
    let got: Vec<(&str, &str)> = got.iter().map(|(n, r)| (n.as_str(), r.as_str())).collect();
    assert_eq!(
        got,
        [
            ("personal-token-x.json", "token-file-invalid"),
            ("service-account-token-y.json", "token-file-invalid"),
        ]
    );
}

#[test]
fn a_hard_coded_token_is_named_from_the_store() {
    let home = Home::new();
    let t = token("pa", 11);
    home.write(
        ".config/remotive/personal-token-laptop.json",
        &current("laptop", &t, "2026-01-01", "2026-11-01"),
        0o600,
    );
    home.write(
        "repo/run.sh",
        &format!("export REMOTIVE_CLOUD_AUTH_TOKEN={t}\n"),
        0o600,
    );
    let (_, doc) = home.json(&args(&["scan", "--format", "json", "repo"], &[]));
    let message = doc["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "the personal token \"laptop\" in the local token store (created 2026-01-01, expires 2026-11-01, expired)"
        ),
        "{message}"
    );
    let (_, doc) = home.json(&args(
        &["scan", "--format", "json", "--no-store", "repo"],
        &[],
    ));
    assert!(!doc["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("laptop"));
}

#[test]
fn audit_snapshots() {
    let home = Home::new();
    let store = ".config/remotive";
    home.write(
        &format!("{store}/personal-token-laptop-dev@example.com.json"),
        &current("laptop", &token("pa", 20), "2026-09-01", "2027-03-01"),
        0o600,
    );
    home.write(
        &format!("{store}/service-account-token-ci-dev@example.com.json"),
        &current("ci", &token("sa", 21), "2025-12-05", "2026-12-05"),
        0o600,
    );
    home.write(
        "Downloads/personal-token-old.json",
        &older("old", &token("pa", 22), "2025-01-10", "2026-01-10"),
        0o600,
    );
    let normalize = |out: &Output| {
        String::from_utf8_lossy(&out.stdout).replace(&home.path().display().to_string(), "[HOME]")
    };
    let text = home.run(&args(&["audit", "--color", "never"], &[]));
    assert_eq!(text.status.code(), Some(1));
    snapshot("audit.txt", &normalize(&text));
    let json = home.run(&args(&["audit", "--format", "json"], &[]));
    // Fingerprints hash the path, which holds the temp directory.
    let fingerprints = regex::Regex::new(r#""fingerprint": "[0-9a-f]{32}""#).unwrap();
    let json = normalize(&json).replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    let json = fingerprints.replace_all(&json, r#""fingerprint": "[FINGERPRINT]""#);
    snapshot("audit.json", &json);
    for t in [token("pa", 20), token("sa", 21), token("pa", 22)] {
        assert!(!json.contains(&t[6..]));
    }
}

#[test]
fn regression_invalid_token_files_never_quote_a_token() {
    let home = Home::new();
    let t = token("pa", 50);
    home.write("repo/personal-token-a.json", &format!("\"{t}\"\n"), 0o600);
    home.write(
        "repo/personal-token-b.json",
        &format!(
            "{{\"token\": \"{t}\", \"type\": \"{t}\", \"created\": \"{t}\", \"name\": \"x {t}\"}}"
        ),
        0o600,
    );
    for format in common::FORMATS {
        let out = home.run(&args(&["scan", "--format", format, "repo"], &[]));
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("token-file-invalid"), "{format}: {all}");
        assert!(!all.contains(&t[6..]), "{format} quotes the token:\n{all}");
    }
}

#[test]
fn regression_other_tokens_in_a_token_file_are_masked_in_every_snippet() {
    let home = Home::new();
    let (t, u) = (token("pa", 51), token("pa", 52));
    home.write(
        "repo/personal-token-ci.json",
        &format!("{{\"name\":\"ci\",\"token\":\"{t}\",\"created\":\"2026-01-01\",\"previous\":\"{u}\",\"expires\":\"2026-12-01\"}}\n"),
        0o600,
    );
    let out = home.run(&args(&["scan", "--color", "never", "repo"], &[]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("token-rotation-overdue") && stdout.contains("token-expiring-soon"));
    for group in u[6..].split('-').chain(t[6..].split('-')).skip(1).take(6) {
        assert!(!stdout.contains(group), "{group} shows:\n{stdout}");
    }
}

#[test]
fn regression_a_token_in_plain_config_json_is_named_from_the_store() {
    let home = Home::new();
    let t = token("pa", 53);
    home.write(
        ".config/remotive/personal-token-ok.json",
        &current("ok", &t, "2026-11-01", "2027-05-01"),
        0o600,
    );
    home.write(
        "repo/config.json",
        &format!("{{\"url\": \"https://example.test\", \"token\": \"{t}\"}}"),
        0o600,
    );
    let (_, doc) = home.json(&args(&["scan", "--format", "json", "repo"], &[]));
    let findings = doc["findings"].as_array().unwrap();
    let rules = common::finding_strings(&doc, "rule_id");
    assert_eq!(rules, ["token-file-outside-store"], "{doc}");
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains("the personal token \"ok\" in the local token store"));
}

#[test]
fn regression_repeated_tokens_have_distinct_fingerprints() {
    let home = Home::new();
    let t = token("pa", 54);
    home.write("repo/x.sh", &format!("a={t}\nb={t}\n"), 0o600);
    let (_, doc) = home.json(&args(&["scan", "--format", "json", "repo"], &[]));
    let fps: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 2);
    assert_ne!(fps[0], fps[1]);
}

/// `audit` in JSON, with the configuration `cfg/tokenlint.toml`.
const AUDIT_WITH_CONFIG: [&str; 5] = [
    "audit",
    "--format",
    "json",
    "--config",
    "cfg/tokenlint.toml",
];

/// A home whose store directory and token file others can read, with a copy of the token
/// file in `~/Downloads`: a finding of every rule that only `audit` checks.
fn shared_machine(seed: u32) -> Home {
    let home = Home::new();
    let file = current("laptop", &token("pa", seed), "2026-11-01", "2027-05-01");
    home.write(".config/remotive/personal-token-laptop.json", &file, 0o644);
    home.write("Downloads/personal-token-laptop.json", &file, 0o600);
    set_mode(&home.path().join(".config/remotive"), 0o755);
    home
}

/// `audit` built its permission and duplicate findings past the allowlist, and had no
/// `--show-suppressed` to show what it suppressed.
#[test]
fn regression_the_allowlist_applies_to_every_audit_rule() {
    let home = shared_machine(41);
    let rules = [
        "token-file-permissions",
        "duplicate-token-file",
        "token-file-outside-store",
    ];
    let quoted: Vec<String> = rules.iter().map(|r| format!("\"{r}\"")).collect();
    let config = format!(
        "[[allowlist]]\nrules = [{}]\nreason = \"a shared test machine\"\n",
        quoted.join(", ")
    );
    home.write("cfg/tokenlint.toml", &config, 0o600);
    let (code, doc) = home.json(&args(&AUDIT_WITH_CONFIG, &[]));
    assert_eq!(doc["findings"], serde_json::json!([]), "{doc}");
    assert_eq!(code, 0);
    let (_, doc) = home.json(&args(&AUDIT_WITH_CONFIG, &["--show-suppressed"]));
    let mut shown = common::finding_strings(&doc, "rule_id");
    shown.sort_unstable();
    shown.dedup();
    let mut want = rules.to_vec();
    want.sort_unstable();
    assert_eq!(shown, want, "{doc}");
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["suppression"].is_object()),
        "{doc}"
    );
}

/// Every finding `audit` makes goes through the checker's finishing step, which gives it
/// its final fingerprint before the allowlist sees it: an entry that names the
/// fingerprints `audit` reports, the store directory's and the duplicate's included,
/// suppresses each of them.
#[cfg(unix)]
#[test]
fn the_allowlist_accepts_audit_findings_by_their_reported_fingerprints() {
    let home = shared_machine(43);
    home.write("cfg/tokenlint.toml", "", 0o600);
    let (_, doc) = home.json(&args(&AUDIT_WITH_CONFIG, &[]));
    let mut rules = common::finding_strings(&doc, "rule_id");
    rules.sort_unstable();
    let want = [
        "duplicate-token-file",
        "token-file-outside-store",
        "token-file-permissions",
        "token-file-permissions",
    ];
    assert_eq!(rules, want, "{doc}");
    let quoted: Vec<String> = common::finding_strings(&doc, "fingerprint")
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect();
    let config = format!("[[allowlist]]\nfingerprints = [{}]\n", quoted.join(", "));
    home.write("cfg/tokenlint.toml", &config, 0o600);
    let (code, doc) = home.json(&args(&AUDIT_WITH_CONFIG, &[]));
    assert_eq!(doc["findings"], serde_json::json!([]), "{doc}");
    assert_eq!((code, doc["summary"]["suppressed"].as_u64()), (0, Some(4)));
}

/// A token file linked into a store was skipped.
#[cfg(unix)]
#[test]
fn regression_a_linked_token_file_in_a_store_is_checked() {
    let home = Home::new();
    let t = token("pa", 42);
    home.write(
        "vault/personal-token-old.json",
        &current("old", &t, "2025-01-01", "2025-06-01"),
        0o600,
    );
    home.write(".config/remotive/keep", "", 0o600);
    std::os::unix::fs::symlink(
        home.path().join("vault/personal-token-old.json"),
        home.path().join(".config/remotive/personal-token-old.json"),
    )
    .unwrap();
    let (_, doc) = home.json(&args(&["audit", "--format", "json"], &[]));
    // Checked as the file it links to, which lies outside the store.
    assert_eq!(
        common::finding_strings(&doc, "rule_id"),
        ["token-file-outside-store", "token-expired"]
    );
    let rows = doc["token_files"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{doc}");
    assert!(rows[0]["path"]
        .as_str()
        .unwrap()
        .ends_with(".config/remotive/personal-token-old.json"));
}

/// A 3 GB sparse file named like a token file cost 3.15 GB: a candidate is read up to
/// 1 MiB, and one larger is too large to be a token file.
#[cfg(unix)]
#[test]
fn regression_a_huge_token_file_is_never_read_whole() {
    let home = Home::new();
    for rel in [
        "Downloads/personal-token-x.json",
        ".config/remotive/personal-token-y.json",
    ] {
        let path = home.write(rel, "", 0o600);
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(2 << 30)
            .unwrap();
    }
    // In 1 GiB of address space, where reading either file whole fails.
    let out = common::Tokenlint::via(home.path(), "sh")
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(common::BIN)
        .args(args(&["audit", "--format", "json"], &[]))
        .env("HOME", home.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let got: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{doc}");
    for (rule, message) in got {
        assert_eq!(rule, "token-file-invalid");
        assert!(
            message.contains("too large to be a token file"),
            "{message}"
        );
    }
}
