//! Tests of the crate's structure, read from its source files: no module cycle, the main
//! layers in order, and no standard stream opened by the library. A change that makes a
//! lower layer reach up to a higher one, or that prints behind the binary's back, fails
//! here, not in review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The main layers, in the order a run goes through them: each may use only the layers
/// before it. Reading what is scanned (the walk, standard input, the index, the history,
/// the ignore file) all lives under `source`.
const LAYERS: [&str; 12] = [
    "token", "finding", "outcome", "shown", "rules", "scan", "check", "setup", "report", "source",
    "options", "commands",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The source files of `module`: `src/{module}.rs`, or every file under `src/{module}/`.
fn files(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let files = rust_files(&src().join(module));
    assert!(!files.is_empty(), "no module {module}");
    files
}

/// The code of `file` before its tests, without its comment lines.
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let lines: Vec<&str> = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    lines.join("\n")
}

/// The first name of each path after `crate::` in `code`, every one of a `crate::{…}`
/// list: `crate::{a::B, c}` names `a` and `c`.
fn names_after_crate(code: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let Some(list) = rest.strip_prefix('{') else {
            names.push(rest);
            continue;
        };
        let (mut depth, mut start) = (0, 0);
        for (i, c) in list.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ',' | '}' if depth == 0 => {
                    names.push(&list[start..i]);
                    start = i + 1;
                    if c == '}' {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    names
        .into_iter()
        .map(|n| {
            let n = n.trim_start();
            &n[..n
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(n.len())]
        })
        .collect()
}

/// The crate's modules that `module`'s own code (not its tests, not its comments) names.
pub(crate) fn crate_deps(module: &str) -> Vec<String> {
    let mut deps = BTreeSet::new();
    for file in files(module) {
        deps.extend(
            names_after_crate(&code(&file))
                .into_iter()
                .filter(|n| n.starts_with(char::is_lowercase) && *n != module)
                .map(str::to_string),
        );
    }
    deps.into_iter().collect()
}

#[test]
fn the_names_of_a_use_list_are_read_whole() {
    let code = "use crate::{a::{B, c}, d,\n    e::F};\nlet x = crate::g::h(crate::Error);";
    assert_eq!(names_after_crate(code), ["a", "d", "e", "g", "Error"]);
}

/// A module cycle among the main layers (`source` and `walk` using each other, `report`
/// using `options` for its format) makes each harder to change and to test alone.
#[test]
fn the_main_layers_form_no_cycle() {
    for (i, layer) in LAYERS.iter().enumerate() {
        let later: Vec<String> = crate_deps(layer)
            .into_iter()
            .filter(|d| LAYERS[i + 1..].contains(&d.as_str()))
            .collect();
        assert!(
            later.is_empty(),
            "{layer} uses {later:?}, which come after it in {LAYERS:?}: a module cycle"
        );
    }
}

/// Every module of the library, by its file or directory under `src/` (this one left out).
fn modules() -> Vec<String> {
    let skipped = ["lib", "main", "cli", "structure"];
    let names = std::fs::read_dir(src()).unwrap().map(|e| {
        let path = e.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        (path.is_dir() || path.extension().is_some_and(|e| e == "rs")).then_some(stem)
    });
    let names = names.flatten().filter(|n| !skipped.contains(&n.as_str()));
    names.collect::<BTreeSet<String>>().into_iter().collect()
}

/// No module of the crate is in a cycle: the modules that use no module left are taken
/// away until none is left; those that stay use each other.
#[test]
fn no_modules_use_each_other() {
    let mut left = BTreeMap::new();
    for module in modules() {
        left.insert(module.clone(), crate_deps(&module));
    }
    assert!(left.len() > 20, "{left:?}");
    loop {
        let done: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d)))
            .map(|(module, _)| module.clone())
            .collect();
        if done.is_empty() {
            break;
        }
        for module in done {
            left.remove(&module);
        }
    }
    assert!(left.is_empty(), "in a module cycle, or using one: {left:?}");
}

/// The library prints nothing itself: a command's report and text go to the writer the
/// binary hands to `run`, through `output.rs`, where a closed standard output and a
/// reader that has gone are handled once; `output.rs` writes to standard error only for
/// `--output /dev/stderr`. The binary prints the rest (warnings through the sink it
/// installs, errors); a history scan's progress bar draws on standard error. `print!`
/// and `eprintln!` are denied by clippy; this catches the standard streams used directly.
#[test]
fn only_the_binary_opens_the_standard_streams() {
    // The binary; `--output /dev/stderr`; and this file, which names them.
    let owners = ["main.rs", "cli.rs", "output.rs", "structure.rs"].map(|f| src().join(f));
    let files = rust_files(&src());
    assert!(files.len() > 20, "{files:?}");
    for file in files.iter().filter(|f| !owners.contains(f)) {
        let code = code(file)
            .replace("stdout().is_terminal()", "")
            .replace("ProgressDrawTarget::stderr()", "");
        assert!(
            !code.contains("stdout()") && !code.contains("stderr()"),
            "{} uses a standard stream: write to the one `run` is handed",
            file.display()
        );
    }
}
