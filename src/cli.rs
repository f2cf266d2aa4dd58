//! The command line, declared with clap's derive API, and mapped to the library's
//! [`Request`]: clap stays in the binary. Nothing here does any work.

use std::ffi::OsString;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use tokenlint::options::{
    self, AuditRequest, BaselineRequest, ConfigChoice, ExplainRequest, HygieneRequest,
    ReportRequest, RuleRequest, RulesRequest, ScanRequest, WalkRequest,
};
use tokenlint::Request;

/// A fast secret scanner and token-hygiene linter for RemotiveCloud tokens.
#[derive(Debug, Parser)]
#[command(name = "tokenlint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments, with the file names after `scan --hook` kept
    /// as file names (see [`hook_files_last`]).
    pub fn parse_args() -> Cli {
        let args = hook_files_last(std::env::args_os().collect());
        match Cli::try_parse_from(&args) {
            Ok(cli) => cli,
            // `--help` and `--version`: on standard output, exit 0, as clap prints them.
            Err(e) if !e.use_stderr() => e.exit(),
            Err(e) => {
                let code = e.exit_code();
                eprint!("{}", usage_error(e, &args));
                std::process::exit(code)
            }
        }
    }
}

/// A usage error as it is printed: clap quotes the arguments it could not use, and an
/// argument may hold a token or a line that a CI runner would obey. The error is built
/// again from the arguments with their tokens redacted and their control characters
/// escaped, and what clap writes around them is cleaned as well.
fn usage_error(error: clap::Error, args: &[OsString]) -> String {
    let cleaned: Vec<OsString> = args
        .iter()
        .map(|a| match a.to_str() {
            Some(text) => tokenlint::clean(text).into(),
            None => a.clone(),
        })
        .collect();
    let error = Cli::try_parse_from(cleaned).err().unwrap_or(error);
    tokenlint::clean_lines(&error.render().to_string())
}

/// `scan … --hook FILE…` as clap must see it: `scan … --hook -- FILE…`. A hook passes
/// the names of staged files, and a file named `--no-redact`, `--help`, `--output=x` or
/// `-` is a file, never an option or standard input. One `--` right after `--hook` is
/// skipped; a `--hook` after a `--` of the command line's own is a file name.
pub(crate) fn hook_files_last(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_none_or(|a| a != "scan") {
        return args;
    }
    let Some(at) = args
        .iter()
        .skip(2)
        .take_while(|a| *a != "--")
        .position(|a| a == "--hook")
        .map(|i| i + 2)
    else {
        return args;
    };
    let mut files = args.split_off(at + 1);
    if files.first().is_some_and(|f| f == "--") {
        files.remove(0);
    }
    args.push("--".into());
    args.extend(files);
    args
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories for hard-coded RemotiveCloud tokens.
    Scan(ScanArgs),
    /// List the rules: id, severity and summary.
    Rules(RulesArgs),
    /// Audit this machine's RemotiveCloud token files: the token stores, ~/Downloads,
    /// ~/Desktop and files directly in ~, plus any PATHs given.
    ///
    /// Also the places a token lingers: shell history, shell start-up, environment and
    /// credential files, and the process environment. `--fix` fixes what is safe.
    Audit(AuditArgs),
    /// Record the current findings in a baseline file, whose findings later scans hide.
    Baseline(BaselineArgs),
    /// Write a git pre-commit hook that runs `tokenlint scan --staged` (or, with --pre-push,
    /// a pre-push hook).
    InstallHook {
        /// Replace an existing hook.
        #[arg(long)]
        force: bool,

        /// Write a pre-push hook instead, that runs `tokenlint hook pre-push`.
        #[arg(long)]
        pre_push: bool,
    },
    /// Run as a git hook that judges a push: the commits it adds, read from git's input.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Print one rule's documentation.
    Explain(ExplainArgs),
    /// Print shell completions.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `tokenlint man > tokenlint.1`.
    Man {
        /// Write every page instead, tokenlint.1 and one per command (tokenlint-scan.1, …),
        /// into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The push hooks.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Server side: refuse a push that adds a token. Reads `<old> <new> <ref>` lines; judges
    /// only commits no ref has yet, by the configuration on the default branch (or
    /// --config), never the pushed one's.
    PreReceive(PushHookArgs),
    /// Client side: refuse to push commits that hold a token. Reads `<local ref> <local
    /// sha> <remote ref> <remote sha>` lines (or pre-commit's PRE_COMMIT_FROM_REF and
    /// PRE_COMMIT_TO_REF); judges only commits the remote lacks.
    PrePush {
        /// The remote's name, as git passes it.
        remote: Option<String>,
        /// The remote's URL, as git passes it.
        url: Option<String>,
        #[command(flatten)]
        args: PushHookArgs,
    },
}

/// A push hook's options.
#[derive(Debug, Args)]
pub struct PushHookArgs {
    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Refuse when a finding is at least this severe [default: the configuration's, else
    /// warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// Stop judging after SECS seconds (GitHub Enterprise Server allows a hook 5).
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    pub timeout: Option<std::time::Duration>,

    /// Past --timeout: refuse the push (fail closed) or accept it with a warning (fail open).
    #[arg(long, value_enum, default_value_t = OnTimeout::Refuse, value_name = "WHAT")]
    pub on_timeout: OnTimeout,

    #[command(flatten)]
    pub hygiene: HygieneArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnTimeout {
    /// Refuse the push: fail closed.
    Refuse,
    /// Accept the push, with a warning: fail open.
    Accept,
}

fn parse_secs(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() && secs < 1e9 => {
            Ok(std::time::Duration::from_secs_f64(secs))
        }
        _ => Err("expected a number of seconds above 0".into()),
    }
}

/// A depth of nested archives: bounded, for each level is a frame on the stack.
fn parse_archive_depth(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(depth) if depth <= options::MAX_ARCHIVE_DEPTH => Ok(depth),
        _ => Err(format!(
            "expected a depth from 0 to {}",
            options::MAX_ARCHIVE_DEPTH
        )),
    }
}

impl PushHookArgs {
    fn request(self, hook: options::PushHook) -> options::HookRequest {
        options::HookRequest {
            hook,
            rules: rule_request(self.rules, self.config),
            fail_on: self.fail_on.map(severity),
            hygiene: self.hygiene.into(),
            budget: self.timeout.map(|time| options::Budget {
                time,
                on_timeout: match self.on_timeout {
                    OnTimeout::Refuse => options::OnTimeout::Refuse,
                    OnTimeout::Accept => options::OnTimeout::Accept,
                },
            }),
        }
    }
}

/// Where rules come from.
#[derive(Debug, Args)]
pub struct RuleSource {
    /// Also load the pattern rules (*.toml) in DIR. Repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// How the report is written, and when the run fails.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    // The last one given wins, so that a wrapper's default (the pre-commit hooks'
    // `concise`) can be overridden.
    #[arg(long, value_enum, default_value_t = Format::Text, overrides_with = "format")]
    pub format: Format,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with 1 when a finding is at least this severe [default: warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// Show secrets in full. For local triage only: refused in CI (CI, GITHUB_ACTIONS and
    /// the like set, even empty), unless TOKENLINT_ALLOW_UNREDACTED_IN_CI=yes is set too.
    #[arg(long)]
    pub no_redact: bool,

    /// When to colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// SARIF `automationDetails.id`: tells apart several uploads for one repository.
    #[arg(long, value_name = "NAME")]
    pub sarif_category: Option<String>,
}

/// The hygiene thresholds and the date they are measured from.
#[derive(Debug, Args)]
pub struct HygieneArgs {
    /// Take this date as today, for reproducible runs (default: the local date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub now: Option<NaiveDate>,

    /// Warn when a token expires within this many days [default: 14].
    #[arg(long, value_name = "DAYS")]
    pub expiring_soon_days: Option<u32>,

    /// Warn when a token was created more than this many days ago [default: 90].
    #[arg(long, value_name = "DAYS")]
    pub rotation_days: Option<u32>,

    /// Warn when a token was issued for more than this many days [default: 365].
    #[arg(long, value_name = "DAYS")]
    pub max_lifetime_days: Option<u32>,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

/// Which configuration file to use.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this configuration file instead of looking for tokenlint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
}

/// How directories are walked.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Follow symbolic links.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Scan files that .gitignore, .ignore and .tokenlintignore exclude.
    #[arg(long)]
    pub no_ignore: bool,

    /// Worker threads (default: one per CPU).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Read archives and compressed files nested this deep (default: 3; 0 reads none).
    #[arg(long, value_name = "N", value_parser = parse_archive_depth)]
    pub max_archive_depth: Option<usize>,

    /// Decompress at most this many bytes of one archive (default: 1 GiB).
    #[arg(long, value_name = "BYTES")]
    pub max_archive_bytes: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input [default: .].
    #[arg(value_name = "PATH", conflicts_with = "staged")]
    pub paths: Vec<PathBuf>,

    /// Scan what is staged in git's index (the blobs, not the working tree), for hooks.
    #[arg(long)]
    pub staged: bool,

    /// Scan every blob reachable from all refs (each once), and name the commit that
    /// first added each finding's blob. PATH is the repository [default: .].
    #[arg(long, conflicts_with = "staged")]
    pub history: bool,

    /// With --history: only commits after REV.
    #[arg(long, value_name = "REV", requires = "history")]
    pub since: Option<String>,

    /// With --history: only the history of REF, not all refs.
    #[arg(long, value_name = "REF", requires = "history")]
    pub branch: Option<String>,

    /// With --history over a range (--range, --since): report every finding of the blobs the range
    /// brings, not only the secrets it introduces to their files.
    #[arg(long, requires = "history")]
    pub all_findings: bool,

    /// With --history: exactly the commits of BASE..HEAD (a pull request's), as
    /// `--branch HEAD --since BASE`.
    #[arg(long, value_name = "BASE..HEAD", requires = "history", conflicts_with_all = ["since", "branch"])]
    pub range: Option<String>,

    /// With --history: read the git directory DIR (a bare repository, a `--mirror` clone,
    /// a `.git`) instead of the repository around PATH.
    #[arg(
        long,
        value_name = "DIR",
        requires = "history",
        conflicts_with = "paths"
    )]
    pub git_dir: Option<PathBuf>,

    /// Run as a hook that passes file names: every argument after --hook is a file name,
    /// even `-` or one that looks like an option, so put options before it. Scans exactly
    /// those files, and says so when there are none (instead of scanning `.`).
    #[arg(long)]
    pub hook: bool,

    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub hygiene: HygieneArgs,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Do not read the local token store to say which token a hard-coded one is.
    #[arg(long)]
    pub no_store: bool,

    /// Hide the findings this baseline file lists (overrides the configuration's).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Show suppressed findings too, with why they are suppressed.
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or directories to scan.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Where to write the baseline [default: the configuration's `baseline`, else
    /// .tokenlint-baseline.json].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Drop the entries of this baseline that match nothing any more, and add none.
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    pub prune: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub hygiene: HygieneArgs,

    #[command(flatten)]
    pub walk: WalkArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// More files or directories to look in for token files.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub hygiene: HygieneArgs,

    /// Show suppressed findings too, with why they are suppressed.
    #[arg(long)]
    pub show_suppressed: bool,

    /// Do not read /etc (/etc/environment, /etc/profile.d).
    #[arg(long)]
    pub no_system: bool,

    /// Fix what is safe and reversible: chmod token files and stores, move downloaded
    /// token files into the store. Prints what it did and what is left to do.
    #[arg(long)]
    pub fix: bool,

    /// With --fix: print the plan, change nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,

    /// With --fix: move the legacy store's (~/.config/.remotive) files into the store too.
    #[arg(long, requires = "fix")]
    pub migrate_legacy: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Run every rule's positive and negative examples; exit 1 when one fails.
    #[arg(long)]
    pub check: bool,

    /// How to list the rules.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule: id, severity and summary.
    Text,
    /// A JSON array: each rule's id, severity, summary, why, fix, references and whether
    /// it is built in.
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule's id, e.g. remotive-personal-access-token.
    pub id: String,

    #[command(flatten)]
    pub rules: RuleSource,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people, with the source line and a summary.
    Text,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One line per finding, as compilers print them, then the summary.
    Concise,
    /// GitLab Code Quality JSON, for merge requests.
    Gitlab,
    /// reviewdog's diagnostic JSON (rdjson), for review comments.
    Rdjson,
    /// JUnit XML, for Jenkins, GitLab and Azure DevOps test reports.
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// What the binary does with a command line: print shell completions itself, or hand a
/// request to the library.
pub enum Action {
    Complete(clap_complete::Shell),
    Man(Option<PathBuf>),
    Run(Box<Request>),
}

impl Command {
    pub fn action(self) -> Action {
        Action::Run(Box::new(match self {
            Command::Scan(args) => Request::Scan(args.into()),
            Command::Rules(args) => Request::Rules(RulesRequest {
                rules: rule_request(args.rules, args.config),
                check: args.check,
                format: match args.format {
                    RulesFormat::Text => tokenlint::docs::ListFormat::Text,
                    RulesFormat::Json => tokenlint::docs::ListFormat::Json,
                },
            }),
            Command::Audit(args) => Request::Audit(args.into()),
            Command::Baseline(args) => Request::Baseline(args.into()),
            Command::InstallHook { force, pre_push } => Request::InstallHook {
                force,
                hook: match pre_push {
                    true => options::GitHook::PrePush,
                    false => options::GitHook::PreCommit,
                },
            },
            Command::Hook(HookCommand::PreReceive(args)) => {
                Request::Hook(args.request(options::PushHook::PreReceive))
            }
            Command::Hook(HookCommand::PrePush { remote, url, args }) => {
                Request::Hook(args.request(options::PushHook::PrePush { remote, url }))
            }
            Command::Explain(args) => Request::Explain(ExplainRequest {
                id: args.id,
                rules: rule_request(args.rules, args.config),
            }),
            Command::Completions { shell } => return Action::Complete(shell),
            Command::Man { dir } => return Action::Man(dir),
        }))
    }
}

fn rule_request(rules: RuleSource, config: ConfigArgs) -> RuleRequest {
    let config = match (config.config, config.no_config) {
        (_, true) => ConfigChoice::None,
        (Some(path), false) => ConfigChoice::File(path),
        (None, false) => ConfigChoice::Found,
    };
    RuleRequest {
        rule_dirs: rules.rule_dirs,
        config,
    }
}

fn report_request(args: ReportArgs, show_suppressed: bool) -> ReportRequest {
    ReportRequest {
        format: match args.format {
            Format::Text => options::Format::Text,
            Format::Json => options::Format::Json,
            Format::Sarif => options::Format::Sarif,
            Format::Github => options::Format::Github,
            Format::Concise => options::Format::Concise,
            Format::Gitlab => options::Format::Gitlab,
            Format::Rdjson => options::Format::Rdjson,
            Format::Junit => options::Format::Junit,
        },
        output: args.output,
        fail_on: args.fail_on.map(severity),
        no_redact: args.no_redact,
        color: match args.color {
            ColorChoice::Auto => options::ColorChoice::Auto,
            ColorChoice::Always => options::ColorChoice::Always,
            ColorChoice::Never => options::ColorChoice::Never,
        },
        sarif_category: args.sarif_category,
        show_suppressed,
    }
}

fn severity(s: Severity) -> tokenlint::rules::Severity {
    match s {
        Severity::Note => tokenlint::rules::Severity::Note,
        Severity::Warning => tokenlint::rules::Severity::Warning,
        Severity::Error => tokenlint::rules::Severity::Error,
    }
}

impl From<HygieneArgs> for HygieneRequest {
    fn from(args: HygieneArgs) -> HygieneRequest {
        HygieneRequest {
            now: args.now,
            expiring_soon_days: args.expiring_soon_days,
            rotation_days: args.rotation_days,
            max_lifetime_days: args.max_lifetime_days,
        }
    }
}

impl From<WalkArgs> for WalkRequest {
    fn from(args: WalkArgs) -> WalkRequest {
        WalkRequest {
            follow: args.follow,
            no_ignore: args.no_ignore,
            threads: args.threads,
            max_archive_depth: args.max_archive_depth,
            max_archive_bytes: args.max_archive_bytes,
        }
    }
}

impl From<ScanArgs> for ScanRequest {
    fn from(args: ScanArgs) -> ScanRequest {
        ScanRequest {
            paths: args.paths,
            staged: args.staged,
            history: args.history,
            since: args.since,
            branch: args.branch,
            all_findings: args.all_findings,

            range: args.range,
            git_dir: args.git_dir,
            hook: args.hook,
            rules: rule_request(args.rules, args.config),
            report: report_request(args.report, args.show_suppressed),
            hygiene: args.hygiene.into(),
            walk: args.walk.into(),
            no_store: args.no_store,
            baseline: args.baseline,
        }
    }
}

impl From<AuditArgs> for AuditRequest {
    fn from(args: AuditArgs) -> AuditRequest {
        AuditRequest {
            paths: args.paths,
            no_system: args.no_system,
            fix: tokenlint::options::FixRequest {
                fix: args.fix,
                dry_run: args.dry_run,
                migrate_legacy: args.migrate_legacy,
            },
            rules: rule_request(args.rules, args.config),
            report: report_request(args.report, args.show_suppressed),
            hygiene: args.hygiene.into(),
        }
    }
}

impl From<BaselineArgs> for BaselineRequest {
    fn from(args: BaselineArgs) -> BaselineRequest {
        BaselineRequest {
            paths: args.paths,
            output: args.output,
            prune: args.prune,
            rules: rule_request(args.rules, args.config),
            hygiene: args.hygiene.into(),
            walk: args.walk.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    /// A later `--format` wins: the pre-commit hooks' entry says `--format concise`, and a
    /// user's own `--format` after it must not be an error.
    #[test]
    fn the_last_format_wins() {
        for (line, format) in [
            (
                "tokenlint scan --format concise --format text",
                Format::Text,
            ),
            (
                "tokenlint scan --format json --format=gitlab x",
                Format::Gitlab,
            ),
            ("tokenlint audit --format rdjson", Format::Rdjson),
        ] {
            let args = match Cli::parse_from(words(line)).command {
                Command::Scan(args) => args.report,
                Command::Audit(args) => args.report,
                _ => panic!("{line}"),
            };
            assert_eq!(args.format, format, "{line}");
        }
    }

    #[test]
    fn everything_after_hook_is_a_file_name() {
        let hooked = |line: &str| hook_files_last(words(line));
        assert_eq!(
            hooked("tokenlint scan --no-store --hook -- --help - --output=x --"),
            words("tokenlint scan --no-store --hook -- --help - --output=x --")
        );
        assert_eq!(
            hooked("tokenlint scan --hook --no-redact a"),
            words("tokenlint scan --hook -- --no-redact a")
        );
        assert_eq!(
            hooked("tokenlint scan --hook"),
            words("tokenlint scan --hook --")
        );
        // Not a hook: nothing moves.
        for line in ["tokenlint scan -- --hook", "tokenlint audit --hook x"] {
            assert_eq!(hooked(line), words(line));
        }
        let cli = Cli::parse_from(hooked("tokenlint scan --hook --help - --"));
        let Command::Scan(args) = cli.command else {
            panic!("not a scan")
        };
        assert!(args.hook);
        assert_eq!(args.paths, ["--help", "-", "--"].map(PathBuf::from));
    }
}
