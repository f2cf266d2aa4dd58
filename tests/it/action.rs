//! The GitHub Action, `action.yml`, read as YAML: it scans to SARIF with the inputs it
//! declares, passes them through the environment, and uploads the log.

/// action.yml, parsed: the one document in it.
fn action() -> yaml_rust2::Yaml {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let mut docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    assert_eq!(docs.len(), 1, "action.yml holds one document");
    docs.remove(0)
}

/// The step of `action` whose `id` or else `name` is `key`.
fn step<'a>(action: &'a yaml_rust2::Yaml, key: &str) -> &'a yaml_rust2::Yaml {
    let steps = action["runs"]["steps"]
        .as_vec()
        .expect("runs.steps is a list");
    steps
        .iter()
        .find(|s| s["id"].as_str().or(s["name"].as_str()) == Some(key))
        .unwrap_or_else(|| panic!("action.yml has no step {key}"))
}

#[test]
fn the_action_scans_to_sarif_and_uploads_it() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in ["paths", "fail-on", "category", "args", "upload"] {
        let description = action["inputs"][input]["description"].as_str();
        assert!(description.is_some_and(|d| !d.is_empty()), "input {input}");
    }
    // The scan step takes the inputs through its environment, never spliced into the script.
    let scan = step(&action, "scan");
    assert_eq!(scan["shell"].as_str(), Some("bash"));
    for (var, input) in [
        ("PATHS", "paths"),
        ("FAIL_ON", "fail-on"),
        ("CATEGORY", "category"),
        ("ARGS", "args"),
    ] {
        let value = format!("${{{{ inputs.{input} }}}}");
        assert_eq!(scan["env"][var].as_str(), Some(value.as_str()), "{var}");
    }
    let script = scan["run"].as_str().unwrap();
    assert!(
        !script.contains("${{"),
        "the scan script splices an expression:\n{script}"
    );
    for flag in [
        r#"--fail-on "$FAIL_ON""#,
        "--format sarif",
        r#"--sarif-category "$CATEGORY""#,
        r#"--output "$sarif""#,
    ] {
        assert!(
            script.contains(flag),
            "the scan step lacks {flag}:\n{script}"
        );
    }
    // The upload step: the codeql action pinned to a commit, given the log and the category.
    let upload = step(&action, "Upload to code scanning");
    let uses = upload["uses"].as_str().unwrap();
    let pin = uses
        .strip_prefix("github/codeql-action/upload-sarif@")
        .unwrap_or_else(|| panic!("{uses}"));
    assert!(
        pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
        "{uses}"
    );
    let sarif = "${{ steps.scan.outputs.sarif }}";
    assert_eq!(upload["with"]["sarif_file"].as_str(), Some(sarif));
    assert_eq!(
        upload["with"]["category"].as_str(),
        Some("${{ inputs.category }}")
    );
    assert_eq!(action["outputs"]["sarif"]["value"].as_str(), Some(sarif));
}

fn yaml_file(path: &str) -> yaml_rust2::Yaml {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap()
        .remove(0)
}

/// Every action the Action and the workflows use is pinned to a commit, with the version
/// in a comment (zizmor checks much more in `.ci/run`; this keeps the pins readable).
#[test]
fn every_action_used_is_pinned_by_commit_with_its_version() {
    for file in [
        "action.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
    ] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let uses: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: "))
            .collect();
        assert!(!uses.is_empty(), "{file}");
        for u in uses {
            let (action, rest) = u.split_once('@').unwrap_or_else(|| panic!("{file}: {u}"));
            let (sha, comment) = rest.split_once(" # v").unwrap_or_else(|| panic!("{u}"));
            assert!(action.contains('/'), "{file}: {u}");
            assert!(
                sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                "{file}: {u} is not pinned by commit"
            );
            assert!(comment.starts_with(|c: char| c.is_ascii_digit()), "{u}");
        }
    }
}

/// The release workflow: on a version tag, the seven targets, no permission at the top,
/// an OIDC token only for the attestations and PyPI, and writing only for the release.
#[test]
fn the_release_workflow_builds_every_target_with_least_privilege() {
    let release = yaml_file(".github/workflows/release.yml");
    let tags = release["on"]["push"]["tags"]
        .as_vec()
        .expect("on.push.tags");
    assert!(tags[0].as_str().unwrap().starts_with("v[0-9]"));
    assert!(release["permissions"].as_hash().unwrap().is_empty());
    let jobs = release["jobs"].as_hash().unwrap();
    let mut oidc = Vec::new();
    let mut writers = Vec::new();
    for (name, job) in jobs {
        let name = name.as_str().unwrap();
        let permissions = job["permissions"]
            .as_hash()
            .unwrap_or_else(|| panic!("{name}"));
        for (scope, level) in permissions {
            match (scope.as_str().unwrap(), level.as_str().unwrap()) {
                ("id-token", "write") => oidc.push(name),
                ("attestations", "write") if name == "attest" => {}
                (_, "write") => writers.push(name),
                _ => {}
            }
        }
    }
    assert_eq!(oidc, ["attest", "pypi"]);
    assert_eq!(writers, ["release"]);
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, RELEASE_TARGETS);
    assert!(release["jobs"]["pypi"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("pypa/gh-action-pypi-publish@"))));
}

/// The targets a release has archives for, `tokenlint-TARGET.tar.gz` (`.zip` on Windows).
const RELEASE_TARGETS: [&str; 7] = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];
