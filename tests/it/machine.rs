//! `tokenlint audit` over a developer's machine (issue 15): tokens in shell history,
//! start-up, environment and credential files and the process environment, and
//! `audit --fix`. Every test builds a fake `$HOME` in a temporary directory, and most run
//! with the store named by neither variable, by `XDG_CONFIG_HOME`, and by
//! `REMOTIVE_CONFIG_DIR`. No test reads the machine's `/etc`: the runner points `audit` at
//! an empty root of its own, and the tests that want `/etc` files point it at theirs.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::audit::{current, set_mode, Home, NOW};
use crate::common::token;

/// How a home names its store: by neither variable, by `XDG_CONFIG_HOME`, by
/// `REMOTIVE_CONFIG_DIR`, or by both (`REMOTIVE_CONFIG_DIR` wins).
#[derive(Clone, Copy, Debug)]
enum Naming {
    Default,
    Xdg,
    ConfigDir,
    Both,
}

const NAMINGS: [Naming; 4] = [
    Naming::Default,
    Naming::Xdg,
    Naming::ConfigDir,
    Naming::Both,
];

/// A fake home whose store is named as `naming` says, and the store's path relative to it.
fn home(naming: Naming) -> (Home, &'static str) {
    let mut home = Home::new();
    let root = home.path().display().to_string();
    let store = match naming {
        Naming::Default => ".config/remotive",
        Naming::Xdg => "xdg/remotive",
        Naming::ConfigDir | Naming::Both => "custom-store",
    };
    if matches!(naming, Naming::Xdg | Naming::Both) {
        home.env.push(("XDG_CONFIG_HOME", format!("{root}/xdg")));
    }
    if matches!(naming, Naming::ConfigDir | Naming::Both) {
        home.env
            .push(("REMOTIVE_CONFIG_DIR", format!("{root}/custom-store")));
    }
    (home, store)
}

fn audit_json(home: &Home, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["audit", "--format", "json"];
    args.extend_from_slice(NOW);
    args.extend_from_slice(extra);
    home.json(&args)
}

/// `(path relative to the home, line, rule)` of every finding.
fn places(home: &Home, doc: &Value) -> Vec<(String, u64, String)> {
    let root = format!("{}/", home.path().display());
    let mut found: Vec<(String, u64, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                path.strip_prefix(&root).unwrap_or(path).to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

fn messages(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// Every place of the table under `$HOME`, and the rule a token there is.
const HOME_PLACES: &[(&str, &str)] = &[
    (".bash_history", "token-in-shell-history"),
    (".zsh_history", "token-in-shell-history"),
    (".local/share/fish/fish_history", "token-in-shell-history"),
    (".python_history", "token-in-shell-history"),
    (".node_repl_history", "token-in-shell-history"),
    (
        ".local/share/powershell/PSReadLine/ConsoleHost_history.txt",
        "token-in-shell-history",
    ),
    (".bashrc", "token-in-startup-file"),
    (".bash_profile", "token-in-startup-file"),
    (".profile", "token-in-startup-file"),
    (".zshrc", "token-in-startup-file"),
    (".zshenv", "token-in-startup-file"),
    (".zprofile", "token-in-startup-file"),
    (".config/fish/config.fish", "token-in-startup-file"),
    (".config/fish/conf.d/remotive.fish", "token-in-startup-file"),
    (".envrc", "token-in-startup-file"),
    (".ssh/environment", "token-in-startup-file"),
    (".pam_environment", "token-in-startup-file"),
    (
        ".config/environment.d/50-remotive.conf",
        "token-in-startup-file",
    ),
    (".netrc", "token-in-startup-file"),
    (".git-credentials", "token-in-startup-file"),
    (".docker/config.json", "token-in-startup-file"),
    (".npmrc", "token-in-startup-file"),
    (".pypirc", "token-in-startup-file"),
    (".config/Code/User/settings.json", "token-in-startup-file"),
    (".config/Cursor/User/settings.json", "token-in-startup-file"),
];

#[test]
fn every_place_with_a_token_is_found_and_without_one_is_quiet() {
    for naming in NAMINGS {
        let (home, _) = home(naming);
        for (rel, _) in HOME_PLACES {
            home.write(rel, "# nothing here\nexport PATH=$PATH:~/bin\n", 0o600);
        }
        let (code, doc) = audit_json(&home, &[]);
        assert_eq!(places(&home, &doc), [], "{naming:?}: clean places");
        assert_eq!(code, 0);
        for (i, (rel, _)) in HOME_PLACES.iter().enumerate() {
            let t = token(if i % 2 == 0 { "pa" } else { "sa" }, 100 + i as u32);
            home.write(rel, &format!("# one\n# two\nTOKEN={t}\n"), 0o600);
        }
        let (code, doc) = audit_json(&home, &[]);
        let mut expected: Vec<(String, u64, String)> = HOME_PLACES
            .iter()
            .map(|(rel, rule)| (rel.to_string(), 3, rule.to_string()))
            .collect();
        expected.sort();
        assert_eq!(places(&home, &doc), expected, "{naming:?}");
        assert_eq!(code, 1);
        for message in messages(&doc) {
            assert!(message.contains("on line 3 of"), "{message}");
            assert!(
                message.contains("`export ACCESS_TOKEN=$(remotive cloud auth print-access-token)`"),
                "{message}"
            );
        }
    }
}

/// Regression: a JSON place shaped like a token file (a `token` at the top) was reported
/// as a token file outside the store; it is a place.
#[test]
fn regression_a_settings_file_holding_a_token_is_a_place_not_a_token_file() {
    let (home, _) = home(Naming::Default);
    let t = token("pa", 37);
    home.write(
        ".config/Code/User/settings.json",
        &format!("{{\n  \"name\": \"x\",\n  \"token\": \"{t}\"\n}}\n"),
        0o644,
    );
    let (_, doc) = audit_json(&home, &[]);
    assert_eq!(
        places(&home, &doc),
        [(
            ".config/Code/User/settings.json".to_string(),
            3,
            "token-in-startup-file".to_string()
        )]
    );
}

#[test]
fn zsh_extended_and_fish_history_point_at_the_token_line() {
    let (home, _) = home(Naming::Default);
    let (t1, t2) = (token("pa", 31), token("sa", 32));
    home.write(
        ".zsh_history",
        &format!(
            ": 1700000000:0;ls\n: 1700000005:2;git status\n: 1700000010:0;export REMOTIVE_CLOUD_AUTH_TOKEN={t1}\n: 1700000020:0;remotive cloud projects list\n"
        ),
        0o600,
    );
    home.write(
        ".local/share/fish/fish_history",
        &format!(
            "- cmd: ls\n  when: 1700000000\n- cmd: set -gx REMOTIVE_CLOUD_AUTH_TOKEN {t2}\n  when: 1700000010\n"
        ),
        0o600,
    );
    let (_, doc) = audit_json(&home, &[]);
    assert_eq!(
        places(&home, &doc),
        [
            (
                ".local/share/fish/fish_history".to_string(),
                3,
                "token-in-shell-history".to_string()
            ),
            (
                ".zsh_history".to_string(),
                3,
                "token-in-shell-history".to_string()
            ),
        ]
    );
    let text = messages(&doc).join("\n");
    assert!(
        text.contains("your zsh history") && text.contains("your fish history"),
        "{text}"
    );
    assert!(text.contains("`history delete`"), "{text}");
    let out = home.run(&["audit", "--color", "never"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    for t in [&t1, &t2] {
        assert!(!shown.contains(&t[6..]), "a token was shown in full");
    }
}

/// Regression: a place also under a path given to `audit` (reached there by a relative
/// path) was a second finding, of the pattern rule.
#[test]
fn regression_a_place_under_a_given_path_is_reported_once() {
    let (home, _) = home(Naming::Default);
    home.write(
        ".local/share/fish/fish_history",
        &format!("- cmd: export T={}\n", token("pa", 35)),
        0o600,
    );
    home.write("notes/todo.txt", &format!("T={}\n", token("pa", 36)), 0o600);
    let (_, doc) = audit_json(&home, &["."]);
    let mut found: Vec<(String, String)> = places(&home, &doc)
        .into_iter()
        .map(|(path, _, rule)| (path.trim_start_matches("./").to_string(), rule))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                ".local/share/fish/fish_history".to_string(),
                "token-in-shell-history".to_string()
            ),
            (
                "notes/todo.txt".to_string(),
                "remotive-personal-access-token".to_string()
            ),
        ]
    );
}

#[test]
fn a_token_the_store_knows_is_named_with_its_kind_and_expiry() {
    for naming in NAMINGS {
        let (home, store) = home(naming);
        let t = token("pa", 41);
        home.write(
            &format!("{store}/personal-token-laptop.json"),
            &current("laptop", &t, "2026-09-01", "2027-03-01"),
            0o600,
        );
        home.write(
            ".bash_history",
            &format!("curl -H 'Authorization: Bearer {t}'\n"),
            0o600,
        );
        let (_, doc) = audit_json(&home, &[]);
        let message = messages(&doc).join("\n");
        assert!(
            message.contains(
                "it is the personal token \"laptop\" in the local token store (created 2026-09-01, expires 2027-03-01)"
            ),
            "{naming:?}: {message}"
        );
        assert!(message.contains("history -d"), "{message}");
        assert!(!message.contains(&t[6..]));
    }
}

#[test]
fn etc_is_read_under_the_system_root_and_skipped_with_no_system() {
    let (mut home, _) = home(Naming::Default);
    let root = tempfile::tempdir().unwrap();
    fs::create_dir_all(root.path().join("etc/profile.d")).unwrap();
    let t = token("sa", 51);
    fs::write(
        root.path().join("etc/environment"),
        format!("PATH=/usr/bin\nREMOTIVE_CLOUD_AUTH_TOKEN={t}\n"),
    )
    .unwrap();
    fs::write(
        root.path().join("etc/profile.d/remotive.sh"),
        format!("export REMOTIVE_CLOUD_AUTH_TOKEN={t}\n"),
    )
    .unwrap();
    home.env
        .push(("TOKENLINT_SYSTEM_ROOT", root.path().display().to_string()));
    let (_, doc) = audit_json(&home, &[]);
    let found = places(&home, &doc);
    let etc = root.path().join("etc");
    assert_eq!(
        found,
        [
            (
                etc.join("environment").display().to_string(),
                2,
                "token-in-startup-file".into()
            ),
            (
                etc.join("profile.d/remotive.sh").display().to_string(),
                1,
                "token-in-startup-file".into()
            ),
        ]
    );
    assert!(
        messages(&doc)[0].contains("every account"),
        "{:?}",
        messages(&doc)
    );
    let (code, doc) = audit_json(&home, &["--no-system"]);
    assert_eq!((code, places(&home, &doc)), (0, vec![]));
}

#[cfg(unix)]
#[test]
fn an_unreadable_place_is_a_warning() {
    let (home, _) = home(Naming::Default);
    let fifo = home.path().join(".zsh_history");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let out = home.run(&["audit", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["path"]
        .as_str()
        .unwrap()
        .ends_with(".zsh_history"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains(".zsh_history"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_history_file_over_64_mib_is_read_in_windows() {
    let (home, _) = home(Naming::Default);
    let t = token("pa", 61);
    let line = "echo some command that was typed a long time ago\n";
    let mut text = line.repeat((65 << 20) / line.len());
    let lines = text.lines().count();
    text.push_str(&format!("export REMOTIVE_CLOUD_AUTH_TOKEN={t}\n"));
    home.write(".bash_history", &text, 0o600);
    let (_, doc) = audit_json(&home, &[]);
    assert_eq!(
        places(&home, &doc),
        [(
            ".bash_history".to_string(),
            lines as u64 + 1,
            "token-in-shell-history".to_string()
        )]
    );
}

/// `(variable, severity, message)` of the environment's findings when `vars` are set.
fn environment(vars: &[(&'static str, String)]) -> Vec<(String, String, String)> {
    let (mut home, _) = home(Naming::Default);
    home.env.extend(vars.iter().cloned());
    let (_, doc) = audit_json(&home, &[]);
    let text = doc.to_string();
    for (_, value) in vars {
        if value.len() > 20 {
            assert!(!text.contains(&value[6..]), "a token was shown in full");
        }
    }
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule_id"], "token-in-environment");
            (
                f["path"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_process_environment_in_and_out_of_ci() {
    let (pa, sa) = (token("pa", 71), token("sa", 72));
    let auth = "REMOTIVE_CLOUD_AUTH_TOKEN";
    let out_of_ci = environment(&[(auth, pa.clone())]);
    assert_eq!(out_of_ci.len(), 1);
    assert_eq!(
        (out_of_ci[0].0.as_str(), out_of_ci[0].1.as_str()),
        ("$REMOTIVE_CLOUD_AUTH_TOKEN", "note")
    );
    assert!(
        out_of_ci[0].2.contains("holds a personal token"),
        "{out_of_ci:?}"
    );
    assert!(out_of_ci[0]
        .2
        .contains("remotive cloud auth print-access-token"));
    let in_ci = environment(&[(auth, pa.clone()), ("CI", "true".into())]);
    assert_eq!(in_ci[0].1, "warning", "{in_ci:?}");
    assert!(in_ci[0].2.contains("service account"), "{in_ci:?}");
    let service = environment(&[(auth, sa.clone()), ("CI", "true".into())]);
    assert_eq!(service[0].1, "note", "{service:?}");
    // The deprecated name: a note of its own, and the token it holds.
    let old = environment(&[("REMOTIVE_CLOUD_ACCESS_TOKEN", sa.clone())]);
    let notes: Vec<&str> = old.iter().map(|(_, _, m)| m.as_str()).collect();
    assert_eq!(old.len(), 2, "{old:?}");
    assert!(
        notes.iter().any(|m| m.contains("is deprecated")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("holds a service-account token")),
        "{notes:?}"
    );
    let set_but_empty = environment(&[("REMOTIVE_CLOUD_ACCESS_TOKEN", String::new())]);
    assert_eq!(set_but_empty.len(), 1);
    assert!(environment(&[(auth, "not a token".into())]).is_empty());
    assert!(environment(&[]).is_empty());
}

// ---- audit --fix ----

/// Every file and directory under `root`: path, mode and content, hashed.
fn tree_hash(root: &Path) -> String {
    let mut entries = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = path.symlink_metadata().unwrap();
            let content = if meta.is_dir() {
                dirs.push(path.clone());
                Vec::new()
            } else if meta.file_type().is_symlink() {
                fs::read_link(&path)
                    .unwrap()
                    .display()
                    .to_string()
                    .into_bytes()
            } else if meta.is_file() {
                fs::read(&path).unwrap()
            } else {
                Vec::new()
            };
            entries.insert(path, (mode(&meta), content));
        }
    }
    let mut h = Sha256::new();
    for (path, (mode, content)) in entries {
        h.update(path.display().to_string().as_bytes());
        h.update(mode.to_le_bytes());
        h.update(&content);
    }
    format!("{:x}", h.finalize())
}

fn mode(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

fn mode_of(path: &Path) -> u32 {
    mode(&path.symlink_metadata().unwrap())
}

/// `(action, path relative to home, to relative to home)` of a `--fix` run's actions.
fn actions(home: &Home, doc: &Value) -> Vec<(String, String, String)> {
    let root = format!("{}/", home.path().display());
    let rel = |v: &Value| {
        let s = v.as_str().unwrap_or("");
        s.strip_prefix(&root).unwrap_or(s).to_string()
    };
    let mut rows: Vec<(String, String, String)> = doc["actions"]
        .as_array()
        .expect("--fix reports its actions")
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap().to_string(),
                rel(&a["path"]),
                rel(&a["to"]),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// A home like a new user's, in a store named as `naming` says: a downloaded token file,
/// one on the desktop with a hostile name, one directly in `~`, a 0644 store file in a
/// 0755 store, a token pasted into `.bash_history` and one in `~/.ssh/environment`, an
/// expired download, and a download that is a link.
fn messy_home(naming: Naming) -> (Home, &'static str) {
    let (home, store) = home(naming);
    home.write(
        "Downloads/personal-token-laptop.json",
        &current("laptop", &token("pa", 81), "2026-11-01", "2027-05-01"),
        0o644,
    );
    home.write(
        "Desktop/token (1).json",
        &current(
            "../../etc/my laptop",
            &token("pa", 82),
            "2026-11-01",
            "2027-05-01",
        ),
        0o644,
    );
    home.write(
        "service-account-token-ci.json",
        &current("ci", &token("sa", 83), "2026-11-01", "2027-05-01"),
        0o600,
    );
    let stored = home.write(
        &format!("{store}/personal-token-desk.json"),
        &current("desk", &token("pa", 84), "2026-11-01", "2027-05-01"),
        0o644,
    );
    set_mode(stored.parent().unwrap(), 0o755);
    home.write(
        "Downloads/personal-token-old.json",
        &current("old", &token("pa", 85), "2025-01-01", "2026-01-01"),
        0o600,
    );
    home.write(
        ".bash_history",
        &format!("ls\nexport REMOTIVE_CLOUD_AUTH_TOKEN={}\n", token("pa", 84)),
        0o600,
    );
    home.write(
        ".ssh/environment",
        &format!("REMOTIVE_CLOUD_AUTH_TOKEN={}\n", token("sa", 83)),
        0o600,
    );
    #[cfg(unix)]
    {
        let elsewhere = home.write(
            "projects/personal-token-linked.json",
            &current("linked", &token("pa", 86), "2026-11-01", "2027-05-01"),
            0o600,
        );
        std::os::unix::fs::symlink(
            elsewhere,
            home.path().join("Downloads/personal-token-linked.json"),
        )
        .unwrap();
    }
    (home, store)
}

#[cfg(unix)]
#[test]
fn fix_moves_and_chmods_then_a_second_audit_finds_only_what_it_cannot_fix() {
    for naming in NAMINGS {
        let (home, store) = messy_home(naming);
        let (code, doc) = audit_json(&home, &["--fix"]);
        assert_eq!(code, 1, "{naming:?}: tokens in shell files are left");
        let s = |x: &str| x.to_string();
        let moved = |from: &str, name: &str| (s("moved"), s(from), format!("{store}/{name}"));
        let mut expected = vec![
            (s("chmod"), s(store), s("")),
            (
                s("chmod"),
                format!("{store}/personal-token-desk.json"),
                s(""),
            ),
            moved(
                "Desktop/token (1).json",
                "personal-token-etc-my-laptop.json",
            ),
            moved(
                "Downloads/personal-token-laptop.json",
                "personal-token-laptop.json",
            ),
            moved(
                "service-account-token-ci.json",
                "service-account-token-ci.json",
            ),
            (
                s("left: expired"),
                s("Downloads/personal-token-old.json"),
                s(""),
            ),
            (
                s("left: symbolic link"),
                s("Downloads/personal-token-linked.json"),
                s(""),
            ),
            (
                s("left: start-up or config file"),
                s(".ssh/environment:1"),
                s(""),
            ),
            (s("left: shell history"), s(".bash_history:2"), s("")),
        ];
        expected.sort();
        assert_eq!(actions(&home, &doc), expected, "{naming:?}");
        let store_dir = home.path().join(store);
        assert_eq!(mode_of(&store_dir), 0o700);
        for name in [
            "personal-token-desk.json",
            "personal-token-laptop.json",
            "personal-token-etc-my-laptop.json",
            "service-account-token-ci.json",
        ] {
            assert_eq!(mode_of(&store_dir.join(name)), 0o600, "{name}");
        }
        for gone in [
            "Downloads/personal-token-laptop.json",
            "Desktop/token (1).json",
        ] {
            assert!(!home.path().join(gone).exists(), "{gone}");
        }
        // What is left says exactly how to finish.
        let rows = doc["actions"].as_array().unwrap();
        let detail = |path: &str| {
            rows.iter()
                .find(|a| a["path"].as_str().unwrap().ends_with(path))
                .map(|a| a["detail"].as_str().unwrap().to_string())
                .unwrap()
        };
        assert!(detail(".bash_history:2").contains("delete line 2"));
        assert!(detail(".bash_history:2").contains("history -d"));
        assert!(detail("personal-token-old.json")
            .contains("revoke the personal token \"old\" on RemotiveCloud's tokens page"));
        // The report after the fixes, and a second audit, find only what --fix leaves.
        let left_rules = |doc: &Value| {
            let mut rules: Vec<(String, String)> = places(&home, doc)
                .into_iter()
                .map(|(path, _, rule)| (path, rule))
                .collect();
            rules.sort();
            rules.dedup();
            rules
        };
        let unfixable = vec![
            (s(".bash_history"), s("token-in-shell-history")),
            (s(".ssh/environment"), s("token-in-startup-file")),
            (
                s("Downloads/personal-token-linked.json"),
                s("token-file-outside-store"),
            ),
            (s("Downloads/personal-token-old.json"), s("token-expired")),
            (
                s("Downloads/personal-token-old.json"),
                s("token-file-outside-store"),
            ),
        ];
        assert_eq!(left_rules(&doc), unfixable, "{naming:?}: after --fix");
        let (_, again) = audit_json(&home, &[]);
        assert_eq!(left_rules(&again), unfixable, "{naming:?}: a second audit");
        let (_, refix) = audit_json(&home, &["--fix"]);
        assert!(
            actions(&home, &refix)
                .iter()
                .all(|(a, _, _)| a.starts_with("left")),
            "{naming:?}: nothing more to do"
        );
    }
}

#[cfg(unix)]
#[test]
fn dry_run_changes_nothing_and_prints_the_plan() {
    for naming in NAMINGS {
        let (home, _) = messy_home(naming);
        let before = tree_hash(home.path());
        let (_, doc) = audit_json(&home, &["--fix", "--dry-run"]);
        assert_eq!(tree_hash(home.path()), before, "{naming:?}");
        let rows = doc["actions"].as_array().unwrap();
        assert!(rows.iter().all(|a| a["done"] == false), "{rows:?}");
        assert!(rows.iter().any(|a| a["action"] == "moved"));
        let out = home.run(&["audit", "--fix", "--dry-run", "--color", "never"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("the plan (nothing was changed)"), "{text}");
        assert!(text.contains("would be moved"), "{text}");
        assert_eq!(tree_hash(home.path()), before);
    }
}

#[cfg(unix)]
#[test]
fn fix_never_overwrites_a_different_file_and_removes_only_a_byte_identical_copy() {
    for naming in NAMINGS {
        let (home, store) = home(naming);
        let same = current("same", &token("pa", 91), "2026-11-01", "2027-05-01");
        home.write(&format!("{store}/personal-token-same.json"), &same, 0o600);
        home.write("Downloads/personal-token-same.json", &same, 0o644);
        let theirs = current("other", &token("pa", 92), "2026-11-01", "2027-05-01");
        let ours = current("other", &token("pa", 93), "2026-11-01", "2027-05-01");
        home.write(
            &format!("{store}/personal-token-other.json"),
            &theirs,
            0o600,
        );
        home.write("Downloads/personal-token-other.json", &ours, 0o600);
        let (_, doc) = audit_json(&home, &["--fix"]);
        let s = |x: &str| x.to_string();
        assert_eq!(
            actions(&home, &doc),
            [
                (
                    s("left: a different file by this name is in the store"),
                    s("Downloads/personal-token-other.json"),
                    s("")
                ),
                (
                    s("removed"),
                    s("Downloads/personal-token-same.json"),
                    format!("{store}/personal-token-same.json")
                ),
            ],
            "{naming:?}"
        );
        assert!(!home
            .path()
            .join("Downloads/personal-token-same.json")
            .exists());
        let read = |rel: &str| fs::read_to_string(home.path().join(rel)).unwrap();
        assert_eq!(read(&format!("{store}/personal-token-same.json")), same);
        assert_eq!(read(&format!("{store}/personal-token-other.json")), theirs);
        assert_eq!(read("Downloads/personal-token-other.json"), ours);
    }
}

#[cfg(unix)]
#[test]
fn a_download_of_a_token_the_store_holds_under_another_name_is_not_filed_twice() {
    let (home, store) = home(Naming::Xdg);
    let t = token("pa", 94);
    let text = current("laptop", &t, "2026-11-01", "2027-05-01");
    home.write(
        &format!("{store}/personal-token-laptop-dev.json"),
        &text,
        0o600,
    );
    home.write("Downloads/personal-token-laptop.json", &text, 0o600);
    let edited = text.replace("dev@example.com", "me@example.com");
    home.write("Desktop/personal-token-laptop.json", &edited, 0o600);
    let (_, plan) = audit_json(&home, &["--fix", "--dry-run"]);
    let (_, doc) = audit_json(&home, &["--fix"]);
    let s = |x: &str| x.to_string();
    let expected = [
        (
            s("left: the store holds this token already"),
            s("Desktop/personal-token-laptop.json"),
            s(""),
        ),
        (
            s("removed"),
            s("Downloads/personal-token-laptop.json"),
            format!("{store}/personal-token-laptop-dev.json"),
        ),
    ];
    assert_eq!(actions(&home, &plan), expected, "the plan");
    assert_eq!(actions(&home, &doc), expected);
    assert!(!home
        .path()
        .join("Downloads/personal-token-laptop.json")
        .exists());
    assert!(home
        .path()
        .join("Desktop/personal-token-laptop.json")
        .exists());
}

#[cfg(unix)]
#[test]
fn a_token_in_a_downloaded_file_name_is_never_shown() {
    let (home, store) = home(Naming::Default);
    let t = token("pa", 89);
    let name = format!("Downloads/{}.json", t.replace('/', "%2F"));
    let body = &t[6..];
    home.write(
        &name,
        &current("named", &t, "2026-11-01", "2027-05-01"),
        0o600,
    );
    for format in ["json", "text"] {
        let out = home.run(&["audit", "--fix", "--dry-run", "--format", format]);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(!shown.contains(body), "{format}: {shown}");
        assert!(
            shown.contains("personal-token-named.json"),
            "{format}: {shown}"
        );
    }
    let (_, doc) = audit_json(&home, &["--fix"]);
    assert!(!doc.to_string().contains(body));
    assert!(home
        .path()
        .join(store)
        .join("personal-token-named.json")
        .exists());
}

/// Moves one downloaded file with `home` as set up, and says where it went.
fn move_one(home: &Home, store: &Path) {
    let text = current("laptop", &token("pa", 95), "2026-11-01", "2027-05-01");
    home.write("Downloads/personal-token-laptop.json", &text, 0o644);
    let (_, doc) = audit_json(home, &["--fix"]);
    let moved = store.join("personal-token-laptop.json");
    assert_eq!(doc["actions"][0]["action"], "moved", "{}", doc["actions"]);
    assert_eq!(fs::read_to_string(&moved).unwrap(), text);
    assert_eq!(mode_of(&moved), 0o600);
    assert_eq!(mode_of(store), 0o700);
    assert!(!home
        .path()
        .join("Downloads/personal-token-laptop.json")
        .exists());
}

#[cfg(unix)]
#[test]
fn a_move_across_file_systems_copies_syncs_then_removes() {
    use std::os::unix::fs::MetadataExt;
    // Simulated: the copy path, forced.
    let (mut home, _) = home(Naming::Default);
    home.env.push(("TOKENLINT_TEST_FORCE_COPY", "1".into()));
    move_one(&home, &home.path().join(".config/remotive"));
    // Real, when another file system is at hand (/dev/shm is often tmpfs).
    let shm = Path::new("/dev/shm");
    let other = shm
        .is_dir()
        .then(|| tempfile::tempdir_in(shm).ok())
        .flatten();
    let Some(other) = other else { return };
    let mut home = Home::new();
    if fs::metadata(other.path()).unwrap().dev() == fs::metadata(home.path()).unwrap().dev() {
        return;
    }
    let store = other.path().join("remotive");
    home.env
        .push(("REMOTIVE_CONFIG_DIR", store.display().to_string()));
    move_one(&home, &store);
}

#[cfg(unix)]
#[test]
fn a_store_that_cannot_be_written_leaves_the_download_in_place() {
    // A store under a regular file cannot be made, whoever runs this (root included).
    let (mut home, _) = home(Naming::Default);
    home.write("blocker", "a file, not a directory\n", 0o600);
    let store = home.path().join("blocker/remotive");
    home.env
        .push(("REMOTIVE_CONFIG_DIR", store.display().to_string()));
    let text = current("laptop", &token("pa", 96), "2026-11-01", "2027-05-01");
    let download = home.write("Downloads/personal-token-laptop.json", &text, 0o600);
    let (_, doc) = audit_json(&home, &["--fix"]);
    let row = &doc["actions"][0];
    assert_eq!(row["action"], "left: could not move", "{row}");
    assert!(row["detail"].as_str().unwrap().contains("blocker"), "{row}");
    assert_eq!(fs::read_to_string(&download).unwrap(), text);
    // A read-only store directory, where permissions bind (not for root).
    let (mut home, _) = self::home(Naming::Default);
    let store = home.path().join("ro-store");
    fs::create_dir(&store).unwrap();
    set_mode(&store, 0o500);
    let probe = fs::write(store.join("probe"), "x");
    if probe.is_ok() {
        // Root writes anyway: nothing more to learn here.
        set_mode(&store, 0o700);
        return;
    }
    home.env
        .push(("REMOTIVE_CONFIG_DIR", store.display().to_string()));
    let download = home.write("Downloads/personal-token-laptop.json", &text, 0o600);
    let (_, doc) = audit_json(&home, &["--fix"]);
    assert_eq!(doc["actions"][0]["action"], "left: could not move");
    assert_eq!(fs::read_to_string(&download).unwrap(), text);
    set_mode(&store, 0o700);
}

/// Regression: an expired token's row said to revoke it "on its tokens page, or the CLI",
/// with no command. remotivelabs-cli revokes a service account's token
/// (`remotive cloud service-accounts tokens revoke`) but not a personal one.
#[cfg(unix)]
#[test]
fn regression_an_expired_token_row_names_the_exact_revoke_step() {
    let (home, store) = home(Naming::Default);
    let files = [
        (
            "service-account-token-deploy-bot.json",
            "deploy-bot",
            "sa",
            81,
        ),
        (
            "service-account-token-hostile.json",
            "x; rm -rf ~",
            "sa",
            82,
        ),
        ("personal-token-old.json", "old", "pa", 83),
    ];
    for (file, name, kind, seed) in files {
        let text = current(name, &token(kind, seed), "2025-01-01", "2025-06-01");
        home.write(&format!("{store}/{file}"), &text, 0o600);
    }
    let (_, doc) = audit_json(&home, &["--fix", "--dry-run"]);
    let rows = doc["actions"].as_array().unwrap();
    let detail = |file: &str| {
        let row = rows
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file}: {rows:?}"));
        assert_eq!(row["action"], "left: expired", "{row}");
        row["detail"].as_str().unwrap().to_string()
    };
    let command = "`remotive cloud service-accounts tokens revoke deploy-bot \
                   --service-account <account> --project <project>`";
    assert!(
        detail(files[0].0).contains(command),
        "{}",
        detail(files[0].0)
    );
    let hostile = detail(files[1].0);
    assert!(
        hostile.contains("`remotive cloud service-accounts tokens revoke <name> "),
        "{hostile}"
    );
    assert!(!hostile.contains("revoke x;"), "{hostile}");
    let personal = detail(files[2].0);
    assert!(
        personal.contains("\"old\" on RemotiveCloud's tokens page"),
        "{personal}"
    );
    assert!(!personal.contains("or the CLI"), "{personal}");
}

/// Regression: with the store a symbolic link (here to a directory outside `$HOME` that
/// anyone may write to), `--fix` refused to chmod it but moved a download into it.
#[cfg(unix)]
#[test]
fn regression_fix_never_moves_a_token_into_a_store_that_is_a_link() {
    let outside = tempfile::tempdir().unwrap();
    set_mode(outside.path(), 0o777);
    let (home, store) = home(Naming::Default);
    let text = current("laptop", &token("pa", 73), "2026-11-01", "2027-05-01");
    let download = home.write("Downloads/personal-token-laptop.json", &text, 0o600);
    let link = home.path().join(store);
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    let (_, doc) = audit_json(&home, &["--fix"]);
    let rows = doc["actions"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["path"] == download.display().to_string())
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(row["action"], "left: store is a symbolic link", "{row}");
    assert_eq!(fs::read_to_string(&download).unwrap(), text);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    assert_eq!(mode_of(outside.path()), 0o777);
}

/// Regression: the `--dry-run` table said "would be chmod" without the mode, where the
/// run itself says "chmod 600" or "chmod 700".
#[cfg(unix)]
#[test]
fn regression_the_dry_run_table_names_the_mode_of_each_chmod() {
    let (home, store) = home(Naming::Default);
    let text = current("desk", &token("pa", 74), "2026-11-01", "2027-05-01");
    home.write(&format!("{store}/personal-token-desk.json"), &text, 0o644);
    set_mode(&home.path().join(store), 0o755);
    let out = home.run(&["audit", "--fix", "--dry-run", "--color", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let modes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("would be chmod "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(modes, ["700", "600"], "{text}");
}

/// Regression: a download named `personal-token-<token, its slash as %2F>.json` follows
/// the CLI's naming, and kept that name in the store: the token in a file name, where every
/// listing of the store shows it. It is filed under its `name` field instead.
#[cfg(unix)]
#[test]
fn regression_a_file_name_holding_a_token_is_not_kept_in_the_store() {
    let (home, store) = home(Naming::Default);
    let t = token("pa", 75);
    let name = format!("Downloads/personal-token-{}.json", t.replace('/', "%2F"));
    let text = current("laptop", &t, "2026-11-01", "2027-05-01");
    home.write(&name, &text, 0o600);
    let (_, doc) = audit_json(&home, &["--fix"]);
    let row = &doc["actions"][0];
    assert_eq!(row["action"], "moved", "{row}");
    let filed = home.path().join(store).join("personal-token-laptop.json");
    assert_eq!(fs::read_to_string(&filed).unwrap(), text, "{row}");
    assert!(!doc.to_string().contains(&t[6..]));
}

/// Regression: with `~/Downloads` a symbolic link to a directory outside `$HOME`, `--fix`
/// moved the token file from there (out of another place, into the store).
#[cfg(unix)]
#[test]
fn regression_fix_never_takes_a_file_through_a_linked_download_folder() {
    let outside = tempfile::tempdir().unwrap();
    let (home, store) = home(Naming::Default);
    home.write(&format!("{store}/keep"), "", 0o600);
    let text = current("laptop", &token("pa", 76), "2026-11-01", "2027-05-01");
    let far = outside.path().join("personal-token-laptop.json");
    fs::write(&far, &text).unwrap();
    set_mode(&far, 0o644);
    std::os::unix::fs::symlink(outside.path(), home.path().join("Downloads")).unwrap();
    let (_, doc) = audit_json(&home, &["--fix"]);
    let rows = doc["actions"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| {
            r["path"]
                .as_str()
                .unwrap()
                .ends_with("personal-token-laptop.json")
        })
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        row["action"], "left: in a folder that is a symbolic link",
        "{row}"
    );
    assert_eq!(fs::read_to_string(&far).unwrap(), text);
    assert_eq!(mode_of(&far), 0o644);
    assert!(!home
        .path()
        .join(store)
        .join("personal-token-laptop.json")
        .exists());
}

/// Regression: a token file hard-linked to a file outside `$HOME` was linked into the store
/// and chmodded there, which changed the outside file's mode too (one inode), and a loose
/// store file with such a link was chmodded likewise. `--fix` touches nothing outside
/// `$HOME` and the stores: such a download is copied, and such a store file is left.
#[cfg(unix)]
#[test]
fn regression_fix_never_reaches_a_file_outside_home_through_a_hard_link() {
    use std::os::unix::fs::MetadataExt;
    let outside = tempfile::tempdir().unwrap();
    let (home, store) = home(Naming::Default);
    let download = current("laptop", &token("pa", 71), "2026-11-01", "2027-05-01");
    let stored = current("desk", &token("pa", 72), "2026-11-01", "2027-05-01");
    let far_download = outside.path().join("download.json");
    let far_stored = outside.path().join("stored.json");
    for (far, text) in [(&far_download, &download), (&far_stored, &stored)] {
        fs::write(far, text).unwrap();
        set_mode(far, 0o644);
    }
    home.write(&format!("{store}/keep"), "", 0o600);
    fs::hard_link(
        &far_stored,
        home.path().join(store).join("personal-token-desk.json"),
    )
    .unwrap();
    fs::create_dir(home.path().join("Downloads")).unwrap();
    fs::hard_link(
        &far_download,
        home.path().join("Downloads/personal-token-laptop.json"),
    )
    .unwrap();
    let (_, doc) = audit_json(&home, &["--fix"]);
    let rows = doc["actions"].as_array().unwrap();
    let row = |path: &str| {
        rows.iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(path))
            .unwrap_or_else(|| panic!("{path}: {rows:?}"))
    };
    assert_eq!(
        row("Downloads/personal-token-laptop.json")["action"],
        "moved"
    );
    let desk = row("personal-token-desk.json");
    assert_eq!(desk["action"], "left: could not chmod", "{desk}");
    assert!(
        desk["detail"].as_str().unwrap().contains("hard links"),
        "{desk}"
    );
    assert_eq!(mode_of(&far_download), 0o644);
    assert_eq!(mode_of(&far_stored), 0o644);
    assert_eq!(fs::read_to_string(&far_download).unwrap(), download);
    let moved = home.path().join(store).join("personal-token-laptop.json");
    assert_eq!(fs::read_to_string(&moved).unwrap(), download);
    assert_eq!(mode_of(&moved), 0o600);
    assert_ne!(
        fs::metadata(&moved).unwrap().ino(),
        fs::metadata(&far_download).unwrap().ino()
    );
    assert!(!home
        .path()
        .join("Downloads/personal-token-laptop.json")
        .exists());
}

#[cfg(unix)]
#[test]
fn the_legacy_store_moves_only_with_migrate_legacy() {
    let (home, _) = home(Naming::Default);
    let text = current("old-cli", &token("pa", 97), "2026-11-01", "2027-05-01");
    home.write(
        ".config/.remotive/personal-token-old-cli.json",
        &text,
        0o600,
    );
    let (_, doc) = audit_json(&home, &["--fix"]);
    let row = &doc["actions"][0];
    assert_eq!(row["action"], "left: legacy store", "{row}");
    assert!(row["detail"].as_str().unwrap().contains("--migrate-legacy"));
    assert!(home
        .path()
        .join(".config/.remotive/personal-token-old-cli.json")
        .exists());
    let (_, doc) = audit_json(&home, &["--fix", "--migrate-legacy"]);
    assert_eq!(doc["actions"][0]["action"], "moved", "{}", doc["actions"]);
    let moved = home
        .path()
        .join(".config/remotive/personal-token-old-cli.json");
    assert_eq!(fs::read_to_string(moved).unwrap(), text);
    assert!(!home
        .path()
        .join(".config/.remotive/personal-token-old-cli.json")
        .exists());
}

#[test]
fn dry_run_and_migrate_legacy_need_fix() {
    let (home, _) = home(Naming::Default);
    for flag in ["--dry-run", "--migrate-legacy"] {
        let out = home.run(&["audit", flag]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
    }
}

/// The "as a new user would": one `audit --fix` on a fresh home, and the table
/// says what was done, what is left, and exactly how to finish.
#[cfg(unix)]
#[test]
fn a_new_user_runs_audit_fix_once() {
    let (home, _) = home(Naming::Default);
    home.write(
        "Downloads/personal-token-laptop.json",
        &current("laptop", &token("pa", 98), "2026-11-01", "2027-05-01"),
        0o644,
    );
    let stored = home.write(
        ".config/remotive/personal-token-desk.json",
        &current("desk", &token("pa", 99), "2026-11-01", "2027-05-01"),
        0o644,
    );
    home.write(
        ".bash_history",
        &format!(
            "cd work\nexport REMOTIVE_CLOUD_AUTH_TOKEN={}\nls\n",
            token("pa", 99)
        ),
        0o600,
    );
    home.write(
        ".ssh/environment",
        &format!("REMOTIVE_CLOUD_AUTH_TOKEN={}\n", token("pa", 98)),
        0o600,
    );
    let out = home.run(&["audit", "--fix", "--color", "never", "--now", "2026-11-29"]);
    let text =
        String::from_utf8_lossy(&out.stdout).replace(&home.path().display().to_string(), "~");
    assert_eq!(mode_of(&stored), 0o600);
    let table = &text[text.find("audit --fix:").expect("the actions table")..];
    for expected in [
        "audit --fix: 2 done, 2 left",
        "chmod 600",
        "~/.config/remotive/personal-token-desk.json\n",
        "moved",
        "~/Downloads/personal-token-laptop.json\n",
        "→ ~/.config/remotive/personal-token-laptop.json",
        "left: shell history",
        "~/.bash_history:2",
        "delete line 2 of the file",
        "`history -d <its number>`",
        "left: start-up or config file",
        "~/.ssh/environment:1",
        "delete line 1 of the file",
        "`export ACCESS_TOKEN=$(remotive cloud auth print-access-token)`",
    ] {
        assert!(table.contains(expected), "{expected:?} in\n{table}");
    }
    assert!(!text.contains(&token("pa", 99)[6..]) && !text.contains(&token("pa", 98)[6..]));
    assert_eq!(out.status.code(), Some(1));
}
