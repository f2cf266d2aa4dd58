//! CLI snapshots: each `tests/cmd/*.toml` names the arguments and the exit code, and its
//! `.stdout`/`.stderr` files pin the output. Re-bless with
//! `TRYCMD=overwrite cargo test --test it cli::`.

#[test]
fn cli_snapshots() {
    // Each case starts from an empty environment (`env.inherit = false`, checked below) and
    // gets only these: no token store, no colour, no CI, and a fixed "today" in its
    // arguments: the same output on every machine, every day.
    let home = tempfile::tempdir().unwrap();
    trycmd::TestCases::new()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path().to_str().unwrap())
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}

#[test]
fn every_cli_case_starts_from_an_empty_environment() {
    let cases = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cmd")).unwrap();
    let mut checked = 0;
    for path in cases.map(|e| e.unwrap().path()) {
        if path.extension().is_some_and(|e| e == "toml") {
            let case: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
            let inherit = case.get("env").and_then(|env| env.get("inherit"));
            assert_eq!(
                inherit,
                Some(&toml::Value::Boolean(false)),
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

/// `tokenlint man` prints the roff page that clap_mangen renders from the same definition
/// as `--help`; `--dir` writes it and one page per command, as the release workflow does.
#[test]
fn man_prints_the_page_and_writes_one_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::tokenlint(dir.path(), &["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH tokenlint 1"), "{page}");
    for command in ["scan", "audit", "explain", "man"] {
        assert!(
            page.contains(&format!("tokenlint\\-{command}(1)")),
            "{command}"
        );
    }
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let out = crate::common::tokenlint(dir.path(), &["man", "--dir", "pages"]);
    assert!(out.status.success() && out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(pages.join("tokenlint.1")).unwrap(),
        page
    );
    let scan = std::fs::read_to_string(pages.join("tokenlint-scan.1")).unwrap();
    assert!(scan.contains("\\-\\-format"), "{scan}");
    let out = crate::common::tokenlint(dir.path(), &["man", "--dir", "missing/dir"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `rules --format json`: every rule `rules` lists, in the same order, with its docs; a
/// rule from a rule file is not built in, and a token in its docs is shown redacted.
#[test]
fn rules_lists_as_json_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let t = crate::common::token("pa", 71);
    let rule = crate::common::acme_rule("acme_[a-z]{3}")
        .replace("Revoke it.", &format!("Revoke it, e.g. {t}."));
    std::fs::write(dir.path().join("rules/acme.toml"), rule).unwrap();
    let run = |args: &[&str]| {
        let out = crate::common::tokenlint(dir.path(), args);
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let listed: serde_json::Value =
        serde_json::from_str(&run(&["rules", "--rules", "rules", "--format", "json"])).unwrap();
    let listed = listed.as_array().unwrap();
    let text = run(&["rules", "--rules", "rules"]);
    let ids: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    let json_ids: Vec<&str> = listed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(json_ids, ids);
    let acme = listed.iter().find(|r| r["id"] == "acme-any").unwrap();
    assert_eq!(acme["builtin"], false);
    assert_eq!(acme["severity"], "error");
    assert_eq!(acme["summary"], "An ACME key.");
    let fix = acme["fix"].as_str().unwrap();
    assert!(
        fix.starts_with("Revoke it, e.g. pa1.0/") && !fix.contains(&t[10..]),
        "{fix}"
    );
    let builtin = listed.iter().find(|r| r["id"] == "token-expired").unwrap();
    assert_eq!(builtin["builtin"], true);
    assert!(!builtin["why"].as_str().unwrap().is_empty());
}

/// Shell completions offer the built-in rule ids after `explain`; any id is still taken,
/// a rule of the user's own too.
#[test]
fn completions_offer_rule_ids_to_explain() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh"] {
        let out = crate::common::tokenlint(dir.path(), &["completions", shell]);
        assert!(out.status.success());
        let script = String::from_utf8(out.stdout).unwrap();
        for id in ["remotive-personal-access-token", "token-file-permissions"] {
            assert!(script.contains(id), "{shell} completions lack {id}");
        }
    }
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = crate::common::acme_rule("acme_[a-z]{3}");
    std::fs::write(dir.path().join("rules/acme.toml"), rule).unwrap();
    let out = crate::common::tokenlint(dir.path(), &["explain", "acme-any", "--rules", "rules"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
