//! Helpers shared by the integration tests: the hermetic runner, synthetic tokens built in
//! code, base64, and file snapshots.

#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::fs;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::process::{Command, Output};

/// A synthetic token of `kind` (`pa` or `sa`): eight groups of hex derived from `seed`.
pub fn token(kind: &str, seed: u32) -> String {
    let groups: Vec<String> = (0..8u32)
        .map(|i| {
            format!(
                "{:08X}",
                seed.wrapping_mul(2_654_435_761).rotate_left(i * 4) ^ i
            )
        })
        .collect();
    format!("{kind}1.0/{}", groups.join("-"))
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// UTF-16LE with a byte-order mark.
pub fn utf16le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// Compares `actual` with `tests/snapshots/NAME`; `TOKENLINT_BLESS=1` rewrites it.
pub fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("TOKENLINT_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "snapshot {name} differs; re-bless with TOKENLINT_BLESS=1 cargo test\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// The tokenlint binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tokenlint");

/// The one way the tests launch tokenlint: a [`Command`] in `dir` that sees nothing of the
/// machine it runs on. `HOME` is an empty temporary directory of its own; the token-store
/// and config variables (`XDG_CONFIG_HOME`, `REMOTIVE_CONFIG_DIR`), `NO_COLOR`, every
/// variable by which tokenlint tells a CI run, and every inherited `GIT_*` and
/// `TOKENLINT_*` variable are unset. A test that wants one of them sets it with `.env`.
///
/// It derefs to the [`Command`]; the temporary `HOME` lives as long as this value, so a
/// test that `spawn`s keeps it until the child is waited for.
pub struct Tokenlint {
    cmd: Command,
    home: tempfile::TempDir,
}

impl Tokenlint {
    /// tokenlint in `dir`.
    pub fn new(dir: &Path) -> Tokenlint {
        Tokenlint::via(dir, BIN)
    }

    /// `program` in `dir`, in the same environment: a shell or git that runs tokenlint
    /// (given [`BIN`]), or a copy of the binary.
    pub fn via(dir: &Path, program: impl AsRef<OsStr>) -> Tokenlint {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(program);
        cmd.current_dir(dir).env("HOME", home.path());
        let inherited = std::env::vars_os().map(|(name, _)| name).filter(|name| {
            let name = name.to_string_lossy();
            name.starts_with("GIT_") || name.starts_with("TOKENLINT_")
        });
        let named = tokenlint::CI_VARIABLES
            .into_iter()
            .chain(["XDG_CONFIG_HOME", "REMOTIVE_CONFIG_DIR", "NO_COLOR"])
            .map(OsString::from);
        for name in named.chain(inherited) {
            cmd.env_remove(name);
        }
        Tokenlint { cmd, home }
    }

    /// The empty temporary directory `HOME` points at.
    pub fn home(&self) -> &Path {
        self.home.path()
    }
}

impl Deref for Tokenlint {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.cmd
    }
}

impl DerefMut for Tokenlint {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.cmd
    }
}

/// Runs tokenlint in `dir` with `args`, hermetically (see [`Tokenlint`]).
pub fn tokenlint(dir: &Path, args: &[&str]) -> Output {
    Tokenlint::new(dir).args(args).output().unwrap()
}

/// Runs `cmd` with its standard output on a new pseudo-terminal, as on a user's terminal,
/// and its standard error discarded: how it ended, and what it wrote to the terminal (with
/// the terminal's `\r\n` line ends).
#[cfg(unix)]
pub fn on_a_terminal(cmd: &mut Command) -> (std::process::ExitStatus, Vec<u8>) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (-1, -1);
    let null = std::ptr::null_mut();
    // SAFETY: openpty writes two new descriptors into the integers it is given; the name,
    // terminal settings and window size may be null.
    let opened = unsafe { libc::openpty(&mut master, &mut slave, null, null.cast(), null.cast()) };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are new, and owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = cmd
        .stdout(slave)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The command keeps what it was given: drop the terminal's end, so that reading ends
    // (EIO) when the child closes its own.
    cmd.stdout(std::process::Stdio::null());
    let mut written = Vec::new();
    match fs::File::from(master).read_to_end(&mut written) {
        Err(e) if e.raw_os_error() != Some(libc::EIO) => panic!("reading the terminal: {e}"),
        _ => {}
    }
    (child.wait().unwrap(), written)
}

/// Runs git in `dir` as a test identity, and asserts it succeeded.
pub fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.test"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A fresh git repository in a temporary directory.
pub fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    dir
}

/// The paths of the findings in a JSON report, in order.
pub fn finding_paths(doc: &serde_json::Value) -> Vec<&str> {
    finding_strings(doc, "path")
}

/// One string field of every finding in a JSON report, in order.
pub fn finding_strings<'a>(doc: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[field].as_str().unwrap())
        .collect()
}

/// A custom rule file `acme-any` whose pattern is `regex`.
pub fn acme_rule(regex: &str) -> String {
    [
        "id = \"acme-any\"\nseverity = \"error\"\nmessage = \"ACME {secret}\"\n",
        &format!("[pattern]\nkeywords = [\"acme_\"]\nregex = '{regex}'\n"),
        "[docs]\nsummary = \"An ACME key.\"\nwhy = \"It grants access.\"\nfix = \"Revoke it.\"\n",
        "references = []\n[sarif]\ntags = []\nprecision = \"high\"\nsecurity-severity = 5.0\n",
        "[examples]\npositive = [\"acme_abc\"]\nnegative = [\"acme\"]\n",
    ]
    .concat()
}

/// The runner's child sees an empty `HOME` of its own and none of the variables it hides,
/// whatever the machine has set (CI sets `CI`, a hook `GIT_DIR`).
#[cfg(unix)]
#[test]
fn the_runner_hides_the_machine() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Tokenlint::via(dir.path(), "env");
    let out = cmd.arg("-0").output().unwrap();
    assert!(out.status.success());
    let vars: Vec<(&str, &str)> = std::str::from_utf8(&out.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(|var| var.split_once('=').unwrap())
        .collect();
    let home = cmd.home().to_str().unwrap();
    assert!(vars.contains(&("HOME", home)), "{vars:?}");
    assert_eq!(fs::read_dir(home).unwrap().count(), 0);
    let hidden = |name: &str| {
        tokenlint::CI_VARIABLES.contains(&name)
            || ["XDG_CONFIG_HOME", "REMOTIVE_CONFIG_DIR", "NO_COLOR"].contains(&name)
            || name.starts_with("GIT_")
            || name.starts_with("TOKENLINT_")
    };
    let seen: Vec<_> = vars.iter().filter(|(name, _)| hidden(name)).collect();
    assert!(seen.is_empty(), "{seen:?}");
}
