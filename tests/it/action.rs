//! The GitHub Action, `action.yml`, read as YAML: it scans to SARIF with the inputs it
//! declares, passes them through the environment, and uploads the log.

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

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
    let inputs = [
        "paths", "fail-on", "category", "args", "upload", "version", "format",
    ];
    for input in inputs.into_iter().chain(["mode"]) {
        let description = action["inputs"][input]["description"].as_str();
        assert!(description.is_some_and(|d| !d.is_empty()), "input {input}");
    }
    // The scan step takes the inputs through its environment, never spliced into a script.
    let scan = step(&action, "scan");
    assert_eq!(scan["shell"].as_str(), Some("bash"));
    for (var, value) in [
        ("MODE", "inputs.mode"),
        ("PATHS", "inputs.paths"),
        ("FAIL_ON", "inputs.fail-on"),
        ("CATEGORY", "inputs.category"),
        ("ARGS", "inputs.args"),
        ("FORMAT", "inputs.format"),
        ("BASE", "github.event.pull_request.base.sha"),
        ("HEAD", "github.event.pull_request.head.sha"),
    ] {
        let value = format!("${{{{ {value} }}}}");
        assert_eq!(scan["env"][var].as_str(), Some(value.as_str()), "{var}");
    }
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let script = step["run"].as_str().unwrap_or_default();
        assert!(
            !script.contains("${{"),
            "a step splices an expression:\n{script}"
        );
    }
    assert_eq!(
        scan["run"].as_str(),
        Some(r#"bash "$GITHUB_ACTION_PATH/action/scan.sh""#)
    );
    let script = std::fs::read_to_string(format!("{ROOT}/action/scan.sh")).unwrap();
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
    let text = std::fs::read_to_string(format!("{ROOT}/action.yml")).unwrap();
    assert!(text.contains(&format!("{uses} # v4.")), "upload-sarif v4");
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

/// The Action's install step, `action/install.sh`, run as a runner would (Linux x86_64),
/// with its releases served from `releases` (a `file://` URL) and `python3` and `python`
/// replaced by a script that records its arguments and fails. Its exit code, what it
/// wrote to `$GITHUB_OUTPUT`, its standard error, and the Python calls.
#[cfg(unix)]
struct Installed {
    code: Option<i32>,
    output: String,
    stderr: String,
    python: String,
    temp: tempfile::TempDir,
}

#[cfg(unix)]
fn install(releases: &std::path::Path, version: &str) -> Installed {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().unwrap();
    let stubs = temp.path().join("stubs");
    std::fs::create_dir(&stubs).unwrap();
    let calls = temp.path().join("python-calls");
    for name in ["python3", "python"] {
        let stub = stubs.join(name);
        let script = format!("#!/bin/sh\necho \"$*\" >> '{}'\nexit 1\n", calls.display());
        std::fs::write(&stub, script).unwrap();
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let output = temp.path().join("github-output");
    let runner_temp = temp.path().join("runner");
    std::fs::create_dir(&runner_temp).unwrap();
    let out = crate::common::Tokenlint::via(temp.path(), "bash")
        .arg(format!("{ROOT}/action/install.sh"))
        .env("PATH", format!("{}:/usr/bin:/bin", stubs.display()))
        .env("VERSION", version)
        .env("GITHUB_ACTION_PATH", ROOT)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &runner_temp)
        .env(
            "TOKENLINT_RELEASES",
            format!("file://{}", releases.display()),
        )
        .output()
        .unwrap();
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    Installed {
        code: out.status.code(),
        output: read(&output),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        python: read(&calls),
        temp,
    }
}

/// A release of this build, as the release workflow lays it out: `v0.1.0/` holding the
/// Linux x86_64 (musl) archive, its `.sha256`, and `tampered` the archive's last byte.
#[cfg(unix)]
fn release(tampered: bool) -> tempfile::TempDir {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let name = "tokenlint-x86_64-unknown-linux-musl";
    let tag = dir.path().join(format!("v{}", env!("CARGO_PKG_VERSION")));
    std::fs::create_dir_all(tag.join(name)).unwrap();
    std::fs::copy(crate::common::BIN, tag.join(name).join("tokenlint")).unwrap();
    let archive = format!("{name}.tar.gz");
    let ok = std::process::Command::new("tar")
        .current_dir(&tag)
        .args(["-czf", &archive, name])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    std::fs::remove_dir_all(tag.join(name)).unwrap();
    let mut bytes = std::fs::read(tag.join(&archive)).unwrap();
    let sum = format!("{:x}  {archive}\n", sha2::Sha256::digest(&bytes));
    std::fs::write(tag.join(format!("{archive}.sha256")), sum).unwrap();
    if tampered {
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(tag.join(&archive), bytes).unwrap();
    }
    dir
}

/// First choice: the release archive at the action's own version (from its Cargo.toml),
/// checked against its sum, and Python never asked.
#[cfg(unix)]
#[test]
fn the_action_installs_the_release_archive_at_its_own_version() {
    let releases = release(false);
    let run = install(releases.path(), "");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let version = env!("CARGO_PKG_VERSION");
    let bin = run.temp.path().join(format!(
        "runner/tokenlint-{version}/tokenlint-x86_64-unknown-linux-musl/tokenlint"
    ));
    assert_eq!(
        run.output,
        format!("version={version}\nbin={}\n", bin.display())
    );
    let shown = std::process::Command::new(&bin)
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&shown.stdout).trim(),
        format!("tokenlint {version}")
    );
    assert_eq!(run.python, "", "pip was not needed");
}

/// An archive whose sum does not match fails the step: it is neither run nor passed over.
#[cfg(unix)]
#[test]
fn the_action_refuses_an_archive_whose_sum_does_not_match() {
    let releases = release(true);
    let run = install(releases.path(), "");
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("its published sum is"),
        "{}",
        run.stderr
    );
    assert!(!run.output.contains("bin="), "{}", run.output);
    assert_eq!(run.python, "");
}

/// No release at that version: then PyPI (`pip install tokenlint==VERSION` in a virtual
/// environment), then, with no Python either, the cargo steps (an empty `bin`).
#[cfg(unix)]
#[test]
fn without_a_release_the_action_tries_pip_then_leaves_it_to_cargo() {
    let releases = tempfile::tempdir().unwrap();
    let run = install(releases.path(), "v9.8.7");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.output, "version=9.8.7\nbin=\n");
    assert!(
        run.stderr.contains("no release archive at file://"),
        "{}",
        run.stderr
    );
    assert!(run.python.starts_with("-m venv "), "{}", run.python);
    assert!(
        run.stderr.contains("cargo install --locked"),
        "{}",
        run.stderr
    );
}

/// The version input goes into URLs and paths: anything but a version is refused.
#[cfg(unix)]
#[test]
fn the_action_refuses_a_version_that_is_not_one() {
    let releases = tempfile::tempdir().unwrap();
    for bad in ["1.2", "../1.2.3", "1.2.3/../../x", "1.2.3 x", "latest"] {
        let run = install(releases.path(), bad);
        assert_eq!(run.code, Some(2), "{bad}");
        assert!(run.stderr.contains("must be a version"), "{}", run.stderr);
        assert_eq!(run.output, "", "{bad}");
    }
}

/// The Action's scan step, `action/scan.sh`, in `dir` with `env` (TOKENLINT, MODE, …):
/// its exit code, `$GITHUB_OUTPUT` and standard error.
#[cfg(unix)]
fn scan_step(dir: &std::path::Path, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("github-output");
    let mut cmd = crate::common::Tokenlint::via(dir, "bash");
    cmd.arg(format!("{ROOT}/action/scan.sh"))
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &output);
    for var in ["PATHS", "ARGS", "FORMAT", "BASE", "HEAD"] {
        cmd.env(var, "");
    }
    cmd.env("FAIL_ON", "warning").env("CATEGORY", "tokenlint");
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    let written = std::fs::read_to_string(&output).unwrap_or_default();
    let written = written.replace(&runner.path().display().to_string(), "$RUNNER_TEMP");
    (
        out.status.code(),
        written,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `format: junit` writes the extra report beside the SARIF log, and names it.
#[cfg(unix)]
#[test]
fn the_action_writes_the_extra_report_format_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    let t = crate::common::token("pa", 70);
    std::fs::write(dir.path().join("a.sh"), format!("T={t}\n")).unwrap();
    let env = [
        ("TOKENLINT", crate::common::BIN),
        ("PATHS", "."),
        ("FORMAT", "junit"),
    ];
    let (code, output, stderr) = scan_step(dir.path(), &env);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        output,
        "status=1\nsarif=$RUNNER_TEMP/tokenlint.sarif\nreport=$RUNNER_TEMP/tokenlint-report.xml\n"
    );
    let (code, _, stderr) = scan_step(dir.path(), &[("FORMAT", "xml; rm -rf /")]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("format must be one of"), "{stderr}");
}

/// `mode: pull-request` scans the pull request's commits, `--history --range BASE..HEAD`,
/// and fails with a clear error on a shallow checkout that lacks the base.
#[cfg(unix)]
#[test]
fn pull_request_mode_scans_the_range_and_needs_the_base_commit() {
    use crate::common::git;
    let origin = crate::common::repo();
    std::fs::write(origin.path().join("a"), "one\n").unwrap();
    git(origin.path(), &["add", "a"]);
    git(origin.path(), &["commit", "-qm", "base"]);
    std::fs::write(origin.path().join("a"), "two\n").unwrap();
    git(origin.path(), &["commit", "-qam", "head"]);
    let rev = |r: &str| {
        let out = std::process::Command::new("git")
            .current_dir(origin.path())
            .args(["rev-parse", r])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let (base, head) = (rev("HEAD~1"), rev("HEAD"));
    // A stand-in for tokenlint that records its arguments.
    let stub_dir = tempfile::tempdir().unwrap();
    let stub = stub_dir.path().join("tokenlint");
    let calls = stub_dir.path().join("calls");
    std::fs::write(
        &stub,
        format!("#!/bin/sh\necho \"$*\" >> '{}'\n", calls.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let env = [
        ("TOKENLINT", stub.to_str().unwrap()),
        ("MODE", "pull-request"),
        ("PATHS", "."),
        ("BASE", base.as_str()),
        ("HEAD", head.as_str()),
    ];
    let (code, _, stderr) = scan_step(origin.path(), &env);
    assert_eq!(code, Some(0), "{stderr}");
    let range = format!("--history --range {base}..{head}");
    let recorded = std::fs::read_to_string(&calls).unwrap();
    let lines: Vec<&str> = recorded.lines().collect();
    assert_eq!(lines.len(), 2, "{recorded}");
    assert!(lines.iter().all(|l| l.ends_with(&range)), "{recorded}");

    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(shallow.path(), &["clone", "-q", "--depth", "1", &url, "."]);
    let (code, output, stderr) = scan_step(shallow.path(), &env);
    assert_eq!(code, Some(2));
    assert!(stderr.contains(&format!("lacks commit {base}")), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    assert_eq!(output, "");
    let (code, _, stderr) = scan_step(shallow.path(), &[("MODE", "pull-request")]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("pull_request events"), "{stderr}");
}

/// The install order, as steps: the fast install, then only when it found nothing the
/// cargo build, restored and saved by version (saved before the scan can fail the job).
#[test]
fn the_action_builds_with_cargo_only_as_a_last_resort_cached_by_version() {
    let action = action();
    let steps: Vec<&str> = action["runs"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "Install tokenlint",
            "Restore tokenlint built by cargo",
            "Build tokenlint with cargo",
            "Save tokenlint built by cargo",
            "Scan",
            "Upload to code scanning",
            "Fail on findings",
        ]
    );
    let key =
        "tokenlint-cargo-${{ steps.install.outputs.version }}-${{ runner.os }}-${{ runner.arch }}";
    for name in ["restore", "Save tokenlint built by cargo"] {
        let cache = step(&action, name);
        assert_eq!(cache["with"]["key"].as_str(), Some(key), "{name}");
        let only_if = cache["if"].as_str().unwrap();
        assert!(
            only_if.contains("steps.install.outputs.bin == ''"),
            "{name}"
        );
    }
    let build = step(&action, "cargo");
    assert!(build["run"]
        .as_str()
        .unwrap()
        .contains("cargo install --locked"));
    assert_eq!(
        step(&action, "scan")["env"]["TOKENLINT"].as_str(),
        Some("${{ steps.install.outputs.bin || steps.cargo.outputs.bin }}")
    );
}
