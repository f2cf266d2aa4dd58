//! The `tokenlint` binary: parse the command line, run, and map the result to an exit code.

mod cli;

use std::process::ExitCode;

use clap::CommandFactory;

/// Out of memory, exit 2 with a message instead of aborting (see `tokenlint::crash`).
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tokenlint::crash::ExitOnOom = tokenlint::crash::ExitOnOom;

/// Runs before the standard library's start-up, which opens `/dev/null` on a closed
/// standard stream: only here can a closed standard output (`>&-`), to which no report can
/// be written, be told from `>/dev/null`.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    target_os = "illumos"
))]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT: extern "C" fn() = check_stdout;

#[cfg(target_vendor = "apple")]
#[used]
#[link_section = "__DATA,__mod_init_func"]
static CHECK_STDOUT: extern "C" fn() = check_stdout;

#[cfg(unix)]
extern "C" fn check_stdout() {
    // SAFETY: fcntl with an integer command on descriptor 1 only reads its flags.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
        tokenlint::stdout_was_closed();
    }
}

fn main() -> ExitCode {
    // The library prints nothing: its warnings, and a panic's message, come here. A panic
    // in any thread exits with 2, never 0 or 1, and prints no token.
    tokenlint::crash::install(|line| eprintln!("{line}"));
    let result = match cli::Cli::parse_args().command.action() {
        cli::Action::Complete(shell) => completions(shell),
        cli::Action::Man(dir) => man(dir),
        cli::Action::Run(request) => tokenlint::resolve(*request)
            .and_then(|command| tokenlint::run(command, &mut std::io::stdout())),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            // Error messages may name a hostile path, or quote a configuration or rule
            // file, and so a token or a line break.
            let shown = miette::Report::new(tokenlint::report::shown_error(err));
            let shown = format!("{shown:?}").replace('\r', "\\r");
            eprintln!("{}", tokenlint::token::redact_tokens(&shown));
            ExitCode::from(tokenlint::EXIT_ERROR)
        }
    }
}

/// `tokenlint completions SHELL`: the built-in rule ids are offered for `explain`, though
/// any id (a rule of the user's own) is still accepted.
fn completions(shell: clap_complete::Shell) -> Result<ExitCode, tokenlint::Error> {
    let ids = tokenlint::rules::BuiltinRule::ALL
        .iter()
        .map(|rule| rule.id());
    let ids = clap::builder::PossibleValuesParser::new(ids);
    let mut command = cli::Cli::command().mut_subcommand("explain", |explain| {
        explain.mut_arg("id", |id| id.value_parser(ids))
    });
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "tokenlint", &mut out);
    tokenlint::print(&mut std::io::stdout(), &String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// `tokenlint man [--dir DIR]`: the man page, or every page into DIR, rendered by
/// clap_mangen from the same definition as `--help`, so that the two never disagree. The
/// release workflow writes them.
fn man(dir: Option<std::path::PathBuf>) -> Result<ExitCode, tokenlint::Error> {
    let mut command = cli::Cli::command()
        .name("tokenlint")
        .disable_help_subcommand(true);
    command.build();
    let written = match dir {
        Some(dir) => clap_mangen::generate_to(command, &dir).map_err(|e| (dir, e)),
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut out)
                .expect("rendering into memory does not fail");
            tokenlint::print(&mut std::io::stdout(), &String::from_utf8_lossy(&out))?;
            Ok(())
        }
    };
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err((path, source)) => Err(tokenlint::Error::Output { path, source }),
    }
}
