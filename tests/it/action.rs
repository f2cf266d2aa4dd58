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
