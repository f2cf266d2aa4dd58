//! The one way the tests launch tokenlint, [`Tokenlint`]: hermetic, so that a test sees
//! the same on every machine, a developer's with a token store or CI's with `CI` set.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::process::{Command, Output};

/// The tokenlint binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tokenlint");

/// The one way the tests launch tokenlint: a [`Command`] in `dir` that sees nothing of the
/// machine it runs on. `HOME` is an empty temporary directory of its own; the token-store
/// and config variables (`XDG_CONFIG_HOME`, `REMOTIVE_CONFIG_DIR`), `NO_COLOR`, every
/// variable by which tokenlint tells a CI run, and every inherited `GIT_*` and
/// `TOKENLINT_*` variable are unset; `audit` reads `etc/` under `HOME`, not `/etc`. A test that wants one of them sets it with `.env`.
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
        // `audit` reads `etc/` under this empty directory, never the machine's /etc.
        cmd.env(tokenlint::options::SYSTEM_ROOT, home.path());
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
    on_a_terminal_of(cmd, 0)
}

/// [`on_a_terminal`], on a terminal `columns` wide (0: one that does not say).
#[cfg(unix)]
pub fn on_a_terminal_of(cmd: &mut Command, columns: u16) -> (std::process::ExitStatus, Vec<u8>) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (-1, -1);
    let null = std::ptr::null_mut();
    let size = libc::winsize {
        ws_row: 50,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors into the integers it is given; the name
    // and terminal settings may be null, and the window size is read.
    let opened = unsafe { libc::openpty(&mut master, &mut slave, null, null.cast(), &size) };
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
            || (name.starts_with("TOKENLINT_") && name != tokenlint::options::SYSTEM_ROOT)
    };
    let root = (tokenlint::options::SYSTEM_ROOT, home);
    assert!(vars.contains(&root), "{vars:?}");
    let seen: Vec<_> = vars.iter().filter(|(name, _)| hidden(name)).collect();
    assert!(seen.is_empty(), "{seen:?}");
}
