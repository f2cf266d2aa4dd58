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
