//! Hostile and odd input: devices, empty files, NULs, very long lines, many findings.
//! Each case names the exit code and the message it must give.

use std::fs;

use crate::common;
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

/// 100,000 findings: every one in JSON, and the 25,000 most severe in SARIF, which says
/// how many it left out. (Peak memory for this case is measured by `bench/memory.sh`.)
#[test]
#[ignore = "slow: 25,000 findings; CI runs it (`cargo test -- --include-ignored`)"]
fn sarif_keeps_githubs_limit_of_25000_results() {
    let dir = tempfile::tempdir().unwrap();
    for file in 0..100u32 {
        let mut text = String::new();
        for i in 0..1_000u32 {
            text.push_str(&token("pa", file * 1_000 + i));
            text.push('\n');
        }
        fs::write(dir.path().join(format!("many-{file}.txt")), text).unwrap();
    }
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
        .contains("75000 of 100000 results were left out"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("were left out"));
    let out = tokenlint(dir.path(), &["scan", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 100_000);
}

/// Files of 4 MiB and more are read in overlapping windows (bounded memory); what they
/// report must not show it: the same findings, lines, columns, snippets and suppressions
/// as the same bytes scanned whole.
#[test]
fn large_files_report_as_if_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let window = 4 << 20;
    let mut text = String::new();
    let mut planted = 0;
    let mut seed = 0;
    // Ordinary lines up to just before each window boundary, then tokens densely, in
    // several encodings and with markers, across the boundary and its overlap.
    for boundary in [window, 2 * window] {
        let mut n = 0;
        while text.len() < boundary - 20_000 {
            text.push_str(&format!("line {n} — ünïcödé text, 😀 and more\n"));
            n += 1;
        }
        while text.len() < boundary + 40_000 {
            seed += 1;
            let t = token(if seed % 2 == 0 { "pa" } else { "sa" }, seed);
            match seed % 4 {
                0 => text.push_str(&format!("é {t} ü\n")),
                1 => text.push_str(&format!(
                    "b64: {}\n",
                    common::base64(format!("x {t} y").as_bytes())
                )),
                2 => text.push_str(&format!("allowed {t} # tokenlint:allow test data\n")),
                _ => text.push_str(&format!(
                    "{}{t}{}",
                    "😀".repeat(seed as usize % 7),
                    " ".repeat(1 + seed as usize % 5)
                )),
            }
            planted += usize::from(seed % 4 != 2);
        }
    }
    text.push_str("end\n");
    let path = dir.path().join("big.txt");
    fs::write(&path, &text).unwrap();
    let windowed = tokenlint(dir.path(), &["scan", "--color", "never", "big.txt"]);
    assert_eq!(windowed.status.code(), Some(1));
    let windowed = String::from_utf8_lossy(&windowed.stdout).into_owned();
    // A custom rule without a bounded match length (that matches nothing here) makes
    // tokenlint read large files whole.
    let unbounded =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/unbounded-rule");
    let whole = common::Tokenlint::new(dir.path())
        .args(["scan", "--color", "never", "big.txt", "--rules"])
        .arg(&unbounded)
        .output()
        .unwrap();
    let whole = String::from_utf8_lossy(&whole.stdout);
    assert!(
        whole == windowed,
        "the windowed scan differs from the whole one"
    );
    // Standard input this large is spooled to a file and read in windows too.
    let stdin = common::Tokenlint::new(dir.path())
        .args(["scan", "--color", "never", "-"])
        .stdin(fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    let stdin = String::from_utf8_lossy(&stdin.stdout).replace("<stdin>", "big.txt");
    assert!(stdin == windowed, "standard input differs from the file");
    let json = tokenlint(dir.path(), &["scan", "--format", "json", "big.txt"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), planted);
    assert_eq!(
        doc["summary"]["suppressed"],
        seed as usize / 4 + usize::from(seed % 4 >= 2)
    );
}

/// A 2 GiB sparse file, read through (it is a regular file), with tokens in its middle
/// and as its very last bytes: found at the right byte, in bounded memory.
#[cfg(unix)]
#[test]
#[ignore = "slow: reads 2 GiB; CI runs it (`cargo test -- --include-ignored`)"]
fn a_2_gb_sparse_file() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse.img");
    let mut file = fs::File::create(&path).unwrap();
    let size: u64 = 2 << 30;
    file.set_len(size).unwrap();
    let middle = token("pa", 7);
    file.seek(SeekFrom::Start(size / 2 + 1)).unwrap();
    file.write_all(middle.as_bytes()).unwrap();
    let last = token("sa", 8);
    file.seek(SeekFrom::Start(size - last.len() as u64))
        .unwrap();
    file.write_all(last.as_bytes()).unwrap();
    drop(file);
    let out = tokenlint(dir.path(), &["scan", "--format", "json", "sparse.img"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(u64, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        [(1, size / 2 + 2), (1, size - last.len() as u64 + 1)]
    );
    assert_eq!(doc["summary"]["bytes"], size);
}

/// A directory inside the scan that cannot be read: a warning naming it, and the rest of
/// the scan goes on. The test runs tokenlint as `nobody` when it runs as root, since root
/// reads every directory.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_a_warning_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |path: &std::path::Path, mode| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap()
    };
    mode(dir.path(), 0o755);
    let open = dir.path().join("tree/open");
    let locked = dir.path().join("tree/locked");
    fs::create_dir_all(&open).unwrap();
    fs::create_dir_all(&locked).unwrap();
    fs::write(open.join("a.env"), format!("T={}\n", token("pa", 3))).unwrap();
    fs::write(locked.join("b.env"), format!("T={}\n", token("pa", 4))).unwrap();
    mode(&dir.path().join("tree"), 0o755);
    mode(&open, 0o755);
    mode(&open.join("a.env"), 0o644);
    mode(&locked, 0o000);
    let binary = dir.path().join("tokenlint");
    fs::copy(common::BIN, &binary).unwrap();
    mode(&binary, 0o755);
    let mut cmd = common::Tokenlint::via(dir.path(), &binary);
    cmd.args(["scan", "--color", "never", "tree"]);
    if fs::read_dir(&locked).is_ok() {
        // Root: the permissions do not apply to us; run as nobody, with a home it can read.
        mode(cmd.home(), 0o755);
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    // A file under the unreadable directory, named: a warning too, not "no such file".
    let mut named = common::Tokenlint::via(dir.path(), &binary);
    named.args(["scan", "tree/locked/b.env"]);
    if fs::read_dir(&locked).is_ok() {
        mode(named.home(), 0o755);
        named.uid(65534).gid(65534);
    }
    let named = named.output().unwrap();
    mode(&locked, 0o755);
    let stderr = String::from_utf8_lossy(&named.stderr);
    assert_eq!(named.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: tree/locked/b.env: Permission denied"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("tree/open/a.env"), "{stdout}");
    assert!(!stdout.contains("b.env"), "{stdout}");
    assert!(
        stderr.contains("warning: tree/locked: ") && stderr.contains("Permission denied"),
        "{stderr}"
    );
}

/// Files deleted while the scan runs: a warning for each, never a crash, and the files
/// that stay are reported. Each file in `doomed` is under a lease of this test's, so
/// tokenlint's first open there waits; by then it has listed the directory (`-j 1`: one
/// walker), and the test deletes every other file before it lets the open go on.
#[cfg(target_os = "linux")]
#[test]
fn files_deleted_during_the_scan_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let doomed = dir.path().join("doomed");
    fs::create_dir(&doomed).unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("f{i}.txt")).collect();
    for (seed, name) in (0..).zip(&names) {
        fs::write(doomed.join(name), format!("x = {}\n", token("pa", seed))).unwrap();
    }
    fs::write(
        dir.path().join("stays.txt"),
        format!("{}\n", token("sa", 9)),
    )
    .unwrap();
    let leases: Vec<fs::File> = names.iter().map(|n| leased(&doomed.join(n))).collect();
    let mut cmd = common::Tokenlint::new(dir.path());
    let mut child = cmd
        .args(["scan", "--format", "json", "-j", "1", "."])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let opened = loop {
        if let Some(i) = leases.iter().position(lease_broken) {
            break i;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "tokenlint ended before it opened a file in doomed"
        );
        std::thread::yield_now();
    };
    for (i, name) in names.iter().enumerate() {
        if i != opened {
            fs::remove_file(doomed.join(name)).unwrap();
        }
    }
    drop(leases);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let mut warned: Vec<&str> = stderr.lines().collect();
    warned.sort_unstable();
    let mut deleted: Vec<String> = (names.iter().enumerate())
        .filter(|&(i, _)| i != opened)
        .map(|(_, name)| format!("warning: doomed/{name}: No such file or directory (os error 2)"))
        .collect();
    deleted.sort_unstable();
    assert_eq!(warned, deleted, "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths = common::finding_paths(&doc);
    paths.sort_unstable();
    assert_eq!(
        paths,
        [format!("doomed/{}", names[opened]).as_str(), "stays.txt"]
    );
}

/// `path`, opened under a write lease (fcntl(2), F_SETLEASE): another process's open of it
/// waits until the lease ends, when the file is closed, and [`lease_broken`] tells when one
/// waits. The lease holder is told by SIGURG, which is ignored, not by SIGIO, which would
/// end the test.
#[cfg(target_os = "linux")]
fn leased(path: &std::path::Path) -> fs::File {
    use std::os::fd::AsRawFd;
    /// `F_SETSIG` of <fcntl.h>, which the libc crate does not name.
    const F_SETSIG: libc::c_int = 10;
    let file = fs::File::open(path).unwrap();
    // SAFETY: fcntl with integer arguments on a descriptor that `file` owns.
    let set = unsafe {
        libc::fcntl(file.as_raw_fd(), F_SETSIG, libc::SIGURG) == 0
            && libc::fcntl(file.as_raw_fd(), libc::F_SETLEASE, libc::F_WRLCK) == 0
    };
    assert!(
        set,
        "a lease on {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
    file
}

/// Whether another process waits to open a file [`leased`] holds.
#[cfg(target_os = "linux")]
fn lease_broken(file: &fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl with integer arguments on a descriptor that `file` owns.
    unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLEASE) != libc::F_WRLCK }
}

/// A file that grows while it is scanned (a log being written) is read up to the size it
/// had when it was opened: the scan ends even when the writer is faster than the reader.
/// The writer starts once tokenlint has the file open (seen in /proc).
#[cfg(target_os = "linux")]
#[test]
fn a_growing_file_does_not_keep_the_scan_going() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.log");
    let line = format!("log {}\n", "x".repeat(100));
    let start = line.repeat((5 << 20) / line.len());
    fs::write(&path, &start).unwrap();
    let mut cmd = common::Tokenlint::new(dir.path());
    let mut child = cmd
        .args(["scan", "--format", "json", "growing.log"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_open(&mut child, "growing.log");
    let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
    let chunk = line.repeat((1 << 20) / line.len());
    let mut written = 0;
    while child.try_wait().unwrap().is_none() && written < 512 << 20 {
        file.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bytes = doc["summary"]["bytes"].as_u64().unwrap();
    assert!(
        bytes >= start.len() as u64 && bytes < 64 << 20,
        "{bytes}, {written} written"
    );
}

/// Waits until `child` has a file named `name` open (seen in /proc), or has ended.
#[cfg(target_os = "linux")]
fn wait_until_open(child: &mut std::process::Child, name: &str) {
    let fds = format!("/proc/{}/fd", child.id());
    let has_it_open = || {
        fs::read_dir(&fds).is_ok_and(|entries| {
            entries
                .filter_map(|e| fs::read_link(e.ok()?.path()).ok())
                .any(|target| target.ends_with(name))
        })
    };
    while !has_it_open() && child.try_wait().unwrap().is_none() {
        std::thread::yield_now();
    }
}

/// With a custom rule whose matches have no bounded length, large files were
/// memory-mapped, and one that shrank during the scan killed tokenlint (SIGBUS). They are
/// read instead: a file that shrinks is at most a short read. The file is emptied once
/// tokenlint has it open; whether its read ended first decides which of two exact
/// outcomes is right.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_shrinks_during_the_scan_is_no_crash() {
    let dir = tempfile::tempdir().unwrap();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/unbounded-rule");
    let path = dir.path().join("big.log");
    fs::write(
        &path,
        "a log line, nothing in it\n".repeat(32 << 20 >> 5) + "acme_key=abc\n",
    )
    .unwrap();
    let size = fs::metadata(&path).unwrap().len();
    let mut cmd = common::Tokenlint::new(dir.path());
    let mut child = cmd
        .args(["scan", "--format", "json", "--rules"])
        .arg(&rules)
        .arg("big.log")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_open(&mut child, "big.log");
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{:?} {stderr}", out.status);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files"], 1, "{doc}");
    assert_eq!(doc["summary"]["errors"], 0, "{doc}");
    let bytes = doc["summary"]["bytes"].as_u64().unwrap();
    let found: Vec<(&str, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    if bytes == size {
        // Read whole before it shrank: the key on its last line is found.
        assert_eq!(out.status.code(), Some(1), "{doc}");
        assert_eq!(found, [("test-unbounded", (32 << 20 >> 5) + 1)], "{doc}");
    } else {
        // Cut short: less was read, and the key at its end was not.
        assert!(bytes < size, "{doc}");
        assert_eq!(out.status.code(), Some(0), "{doc}");
        assert_eq!(found, [], "{doc}");
    }
}

/// `--output` onto a FIFO that someone else put in a shared directory wrote to it (or
/// waited for its reader forever): it is refused with exit 2. Only root can give a FIFO
/// away, so elsewhere only the user's own FIFO is checked, which still works.
#[cfg(unix)]
#[test]
fn output_to_another_users_fifo_is_refused() {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("a.txt"), format!("{}\n", token("pa", 91))).unwrap();
    let fifo = p.join("report.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let given = std::process::Command::new("chown")
        .args(["65534", &fifo.display().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    if given && fs::metadata(&fifo).unwrap().uid() == 65534 {
        let out = tokenlint(p, &["scan", "--output", "report.json", "a.txt"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("report.json"), "{stderr}");
        assert!(stderr.contains("belongs to another user"), "{stderr}");
    } else {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        let out = tokenlint(p, &["scan", "--output", "report.json", "a.txt"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(reader
            .join()
            .unwrap()
            .contains("remotive-personal-access-token"));
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// tokenlint run by `sh -c SCRIPT`, where the script ends in `exec "$0" "$@"`; `None` when
/// there is no `sh`.
#[cfg(unix)]
fn through_sh(dir: &std::path::Path, script: &str, args: &[&str]) -> Option<std::process::Output> {
    common::Tokenlint::via(dir, "sh")
        .arg("-c")
        .arg(script)
        .arg(common::BIN)
        .args(args)
        .output()
        .ok()
}

#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_an_error_not_a_clean_scan() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("clean.txt"), "nothing here\n").unwrap();
    for args in [&["scan", "clean.txt"][..], &["rules"]] {
        let Some(out) = through_sh(dir.path(), r#"exec "$0" "$@" >&-"#, args) else {
            return;
        };
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("standard output is closed"), "{stderr}");
    }
    // Sent to /dev/null on purpose, it is written and the run is clean.
    let out = through_sh(
        dir.path(),
        r#"exec "$0" "$@" >/dev/null"#,
        &["scan", "clean.txt"],
    );
    assert_eq!(out.unwrap().status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn out_of_memory_exits_2_with_a_message_and_leaves_no_file() {
    // A rule without a bounded match length makes a file be read whole: 400 MB of it
    // cannot fit under a 200 MB address-space limit.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let limit = "ulimit -v 200000 || exit 99; exec \"$0\" \"$@\"";
    match through_sh(p, limit, &["--version"]) {
        Some(out) if out.status.code() == Some(0) => {}
        _ => return, // no `sh`, or no `ulimit -v` here
    }
    fs::create_dir(p.join("rules")).unwrap();
    fs::write(p.join("rules/any.toml"), common::acme_rule("acme_[a-z]+.*")).unwrap();
    fs::File::create(p.join("big.bin"))
        .unwrap()
        .set_len(400 << 20)
        .unwrap();
    let args = [
        "scan",
        "--rules",
        "rules",
        "--output",
        "report.json",
        "big.bin",
    ];
    let out = through_sh(p, limit, &args).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("tokenlint: out of memory"), "{stderr}");
    let mut left: Vec<String> = fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["big.bin", "rules"]);
}
