//! A run's options, in two steps, as ripgrep's low and high arguments. A [`Request`] is
//! what the command line asked for, as plain data that the binary fills from its clap
//! types. [`resolve`] turns it into a [`Command`]: the configuration and the rules read,
//! the checks' settings, what to scan (a [`Source`]) and how to report, each decided
//! once, so that nothing downstream looks at a flag again.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::archive::ArchiveLimits;
use crate::check::Settings;
pub use crate::hook::GitHook;
pub use crate::report::{ColorChoice, Format};
use crate::rules::{RuleSet, Severity};
use crate::setup::{self, Checks, Setup};
pub use crate::setup::{ConfigChoice, HygieneRequest, RuleRequest};
use crate::source::{self, ProjectIgnore, Source, WalkOptions};
pub use crate::source::{Budget, OnTimeout, PushHook};
use crate::Error;

/// What the command line asked for.
#[derive(Debug)]
pub enum Request {
    Scan(ScanRequest),
    Audit(AuditRequest),
    Baseline(BaselineRequest),
    InstallHook { force: bool, hook: GitHook },
    Rules(RulesRequest),
    Explain(ExplainRequest),
    Hook(HookRequest),
}

/// `tokenlint hook pre-receive` or `pre-push`: judged from git's input, so resolved when
/// it runs, within its time budget.
#[derive(Debug)]
pub struct HookRequest {
    pub hook: PushHook,
    pub rules: RuleRequest,
    pub fail_on: Option<Severity>,
    pub hygiene: HygieneRequest,
    /// `--timeout`, and what happens past it.
    pub budget: Option<Budget>,
}

/// How the report is written, and when the run fails, as asked.
#[derive(Clone, Debug)]
pub struct ReportRequest {
    pub format: Format,
    pub output: Option<PathBuf>,
    pub fail_on: Option<Severity>,
    pub no_redact: bool,
    pub color: ColorChoice,
    pub sarif_category: Option<String>,
    pub show_suppressed: bool,
}

/// How directories are walked, as asked.
#[derive(Clone, Debug, Default)]
pub struct WalkRequest {
    pub follow: bool,
    pub no_ignore: bool,
    pub threads: Option<usize>,
    /// How many archives deep to read (default 3; 0 reads none; at most
    /// [`MAX_ARCHIVE_DEPTH`]).
    pub max_archive_depth: Option<usize>,
    /// The most bytes to decompress from one archive (default 1 GiB).
    pub max_archive_bytes: Option<u64>,
}

#[derive(Debug)]
pub struct ScanRequest {
    pub paths: Vec<PathBuf>,
    pub staged: bool,
    pub history: bool,
    pub since: Option<String>,
    pub branch: Option<String>,
    /// `--all-findings`: a range reports every finding of the blobs it brings.
    pub all_findings: bool,
    /// `--range BASE..HEAD`.
    pub range: Option<String>,
    /// `--git-dir DIR`: the repository a history scan reads.
    pub git_dir: Option<PathBuf>,
    pub hook: bool,
    pub rules: RuleRequest,
    pub report: ReportRequest,
    pub hygiene: HygieneRequest,
    pub walk: WalkRequest,
    pub no_store: bool,
    pub baseline: Option<PathBuf>,
}

#[derive(Debug)]
pub struct AuditRequest {
    pub paths: Vec<PathBuf>,
    /// `--no-system`: `/etc` is not read.
    pub no_system: bool,
    pub fix: FixRequest,
    pub rules: RuleRequest,
    pub report: ReportRequest,
    pub hygiene: HygieneRequest,
}

#[derive(Debug)]
pub struct BaselineRequest {
    pub paths: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub prune: Option<PathBuf>,
    pub rules: RuleRequest,
    pub hygiene: HygieneRequest,
    pub walk: WalkRequest,
}

#[derive(Debug)]
pub struct RulesRequest {
    pub rules: RuleRequest,
    pub check: bool,
    pub format: crate::docs::ListFormat,
}

#[derive(Debug)]
pub struct ExplainRequest {
    pub id: String,
    pub rules: RuleRequest,
}

/// A command with its options resolved.
pub enum Command {
    Scan(ScanOptions),
    Audit(AuditOptions),
    Baseline(BaselineOptions),
    InstallHook {
        force: bool,
        hook: GitHook,
    },
    /// A push hook: judged as it runs.
    Hook(HookRequest),
    Rules {
        setup: Setup,
        check: bool,
        format: crate::docs::ListFormat,
    },
    Explain {
        rules: RuleSet,
        id: String,
    },
    /// Nothing to do, and a warning that says why (a hook given no files).
    Nothing {
        why: &'static str,
    },
}

/// How the report is written, and when the run fails, resolved.
pub struct ReportOptions {
    pub format: Format,
    pub output: Option<PathBuf>,
    /// `--fail-on`, else the configuration's, else `warning`.
    pub fail_on: Severity,
    /// `--no-redact`: secrets in full.
    pub show_secrets: bool,
    pub color: bool,
    /// The width text output wraps at: the terminal's; `None` (no wrapping) when the
    /// report does not go to a terminal.
    pub width: Option<usize>,
    pub sarif_category: Option<String>,
    pub show_suppressed: bool,
    /// A hook's run (`scan --hook`): nothing printed when it finds nothing, and how to
    /// proceed after it refuses a commit.
    pub hook: bool,
}

/// `scan`, resolved.
pub struct ScanOptions {
    pub setup: Setup,
    pub settings: Settings,
    /// What to scan; more than one only for paths with `-` among them. A hook's files
    /// have been through the project's ignore file already, as a walked file is.
    pub sources: Vec<Source>,
    /// The project's ignore file, for what does not walk (none with `--no-ignore`).
    pub ignore: ProjectIgnore,
    /// `--baseline`, else the configuration's.
    pub baseline: Option<PathBuf>,
    pub report: ReportOptions,
}

/// The variable that names the directory whose `etc/` `audit` reads instead of `/etc`:
/// the test runner sets it, so that no test reads the machine's own.
pub const SYSTEM_ROOT: &str = "TOKENLINT_SYSTEM_ROOT";

/// What `audit --fix` may do, as asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixRequest {
    /// `--fix`.
    pub fix: bool,
    /// `--dry-run`: the plan, and nothing touched.
    pub dry_run: bool,
    /// `--migrate-legacy`: move the legacy store's files too.
    pub migrate_legacy: bool,
}

/// `audit`, resolved.
pub struct AuditOptions {
    pub setup: Setup,
    pub settings: Settings,
    pub paths: Vec<PathBuf>,
    /// The root whose `etc/` is read; `None` with `--no-system`.
    pub system_root: Option<PathBuf>,
    /// The token variables and `CI`, read once here.
    pub environment: crate::places::Environment,
    pub fix: FixRequest,
    pub report: ReportOptions,
}

/// `baseline`, resolved.
pub struct BaselineOptions {
    pub setup: Setup,
    pub settings: Settings,
    pub sources: Vec<Source>,
    pub output: Option<PathBuf>,
    pub prune: Option<PathBuf>,
}

/// Reads the configuration and the rules, and decides every option of the command.
pub fn resolve(request: Request) -> Result<Command, Error> {
    Ok(match request {
        Request::Scan(scan) => resolve_scan(scan)?,
        Request::Audit(audit) => Command::Audit(resolve_audit(audit)?),
        Request::Baseline(baseline) => Command::Baseline(resolve_baseline(baseline)?),
        Request::InstallHook { force, hook } => Command::InstallHook { force, hook },
        Request::Hook(hook) => Command::Hook(hook),
        Request::Rules(RulesRequest {
            rules,
            check,
            format,
        }) => Command::Rules {
            // The rules a scan from here would run.
            setup: Setup::new(&rules, &[])?,
            check,
            format,
        },
        Request::Explain(ExplainRequest { id, rules }) => {
            // Every rule a scan from here could run, those the configuration disables too.
            let cwd = std::env::current_dir().unwrap_or_default();
            let config = setup::project_config(&rules.config, &cwd)?;
            let rules = setup::rule_set(&rules.rule_dirs, &config)?;
            Command::Explain { rules, id }
        }
    })
}

fn resolve_scan(request: ScanRequest) -> Result<Command, Error> {
    redaction_allowed(&request.report)?;
    let Some(paths) = scan_paths(&request)? else {
        // A silent hook is a broken hook: say that there was nothing to do.
        return Ok(Command::Nothing {
            why: "tokenlint: the hook was given no files to scan",
        });
    };
    let setup = Setup::new(&request.rules, &paths)?;
    let checks = Checks {
        redact: !request.report.no_redact,
        audit: false,
        store_index: !request.no_store,
        archives: archive_limits(&request.walk),
    };
    let settings = setup.settings(&request.hygiene, checks)?;
    let ignore = if request.walk.no_ignore {
        ProjectIgnore::disabled(&setup.project_root)
    } else {
        ProjectIgnore::read(&setup.project_root)?
    };
    let sources = scan_sources(&request, paths)?;
    // A hook's file list goes through the project's .tokenlintignore too.
    let sources = match request.hook {
        true => source::hook_files_kept(sources, &ignore, &setup.cwd),
        false => Some(sources),
    };
    let Some(sources) = sources else {
        return Ok(Command::Nothing {
            why: "tokenlint: every file the hook was given is ignored by .tokenlintignore",
        });
    };
    let mut report = report_options(request.report, &setup);
    report.hook = request.hook;
    Ok(Command::Scan(ScanOptions {
        setup,
        settings,
        sources,
        ignore,
        baseline: request.baseline,
        report,
    }))
}

/// The paths `scan` is given, `.` when none; `None` for a hook given none.
fn scan_paths(request: &ScanRequest) -> Result<Option<Vec<PathBuf>>, Error> {
    if request.history && request.paths.len() > 1 {
        return Err(Error::Usage(
            "--history scans one repository: give at most one PATH".into(),
        ));
    }
    if request.hook && request.paths.is_empty() && !request.staged {
        return Ok(None);
    }
    if let Some(dir) = &request.git_dir {
        crate::repo::require_git_dir(dir)?;
        return Ok(Some(vec![dir.clone()]));
    }
    Ok(Some(if request.paths.is_empty() {
        vec![source::current_dir()]
    } else if request.hook {
        let paths: Vec<PathBuf> = request.paths.iter().map(hook_file).collect();
        hook_options(&paths)?;
        paths
    } else {
        request.paths.clone()
    }))
}

/// What `scan` reads: the index, the history of the repository at the one path, or the
/// paths.
fn scan_sources(request: &ScanRequest, paths: Vec<PathBuf>) -> Result<Vec<Source>, Error> {
    Ok(if request.staged {
        vec![Source::Staged]
    } else if request.history {
        let range = match &request.range {
            Some(range) => crate::git::Revisions::range(range)?,
            None => crate::git::Revisions {
                branch: request.branch.clone(),
                since: request.since.clone(),
                ..Default::default()
            },
        };
        let range = crate::git::Revisions {
            judging: if request.all_findings {
                crate::git::Judging::WholeBlobs
            } else {
                crate::git::Judging::Introduced
            },
            ..range
        };
        let repo = paths.into_iter().next().unwrap_or_else(source::current_dir);
        vec![Source::History { repo, range }]
    } else {
        Source::for_paths(paths, walk_options(&request.walk))
    })
}

fn resolve_audit(request: AuditRequest) -> Result<AuditOptions, Error> {
    redaction_allowed(&request.report)?;
    let setup = Setup::for_audit(&request.rules)?;
    let checks = Checks {
        redact: !request.report.no_redact,
        audit: true,
        store_index: false,
        archives: ArchiveLimits::default(),
    };
    let settings = setup.settings(&request.hygiene, checks)?;
    let report = report_options(request.report, &setup);
    let system_root = match request.no_system {
        true => None,
        // Tests point this at a directory of their own, so that none reads the real /etc.
        false => {
            Some(std::env::var_os(SYSTEM_ROOT).map_or_else(|| PathBuf::from("/"), PathBuf::from))
        }
    };
    if (request.fix.dry_run || request.fix.migrate_legacy) && !request.fix.fix {
        return Err(Error::Usage(
            "--dry-run and --migrate-legacy go with --fix".into(),
        ));
    }
    Ok(AuditOptions {
        setup,
        settings,
        paths: request.paths,
        system_root,
        environment: crate::places::Environment::read(|k| std::env::var_os(k)),
        fix: request.fix,
        report,
    })
}

fn resolve_baseline(request: BaselineRequest) -> Result<BaselineOptions, Error> {
    let setup = Setup::new(&request.rules, &request.paths)?;
    let checks = Checks {
        redact: true,
        audit: false,
        store_index: false,
        archives: archive_limits(&request.walk),
    };
    let settings = setup.settings(&request.hygiene, checks)?;
    let sources = Source::for_paths(request.paths.clone(), walk_options(&request.walk));
    Ok(BaselineOptions {
        setup,
        settings,
        sources,
        output: request.output,
        prune: request.prune,
    })
}

fn report_options(request: ReportRequest, setup: &Setup) -> ReportOptions {
    ReportOptions {
        format: request.format,
        fail_on: request
            .fail_on
            .or(setup.config.fail_on)
            .unwrap_or(Severity::Warning),
        show_secrets: request.no_redact,
        color: use_color(request.color, request.output.is_none()),
        width: text_width(request.output.is_none()),
        output: request.output,
        sarif_category: request.sarif_category,
        show_suppressed: request.show_suppressed,
        hook: false,
    }
}

/// A file name a hook was given, as a path to scan: a staged file named `-` is that file,
/// never standard input.
fn hook_file(name: &PathBuf) -> PathBuf {
    if name == "-" {
        PathBuf::from("./-")
    } else {
        name.clone()
    }
}

/// Refuses a hook file name that starts with `-` and is not there: an option given after
/// `--hook` (pre-commit's `args: [--fail-on, error]`), not a file.
fn hook_options(paths: &[PathBuf]) -> Result<(), Error> {
    let dashed = |p: &&PathBuf| p.as_os_str().as_encoded_bytes().starts_with(b"-");
    match paths.iter().filter(dashed).find_map(|p| {
        let missing = p.symlink_metadata().err()?;
        Some((p, missing))
    }) {
        Some((path, error)) => Err(Error::HookOption {
            path: path.clone(),
            error,
        }),
        None => Ok(()),
    }
}

/// The environment variable that lets `--no-redact` run in CI anyway.
pub const ALLOW_UNREDACTED_IN_CI: &str = "TOKENLINT_ALLOW_UNREDACTED_IN_CI";

/// The environment variables that tell a CI run: any one of them present, even empty.
pub const CI_VARIABLES: [&str; 9] = [
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TF_BUILD",
    "JENKINS_URL",
    "BUILDKITE",
    "CIRCLECI",
    "TEAMCITY_VERSION",
    "BITBUCKET_BUILD_NUMBER",
];

/// `--no-redact` is refused in CI (any of [`CI_VARIABLES`] set, even to nothing), where a
/// log or an upload would keep the secrets, unless the environment opts in with
/// `ALLOW_UNREDACTED_IN_CI=yes`. An environment variable, because a workflow's inputs
/// reach tokenlint as arguments.
fn redaction_allowed(request: &ReportRequest) -> Result<(), Error> {
    let ci = CI_VARIABLES
        .into_iter()
        .find(|name| std::env::var_os(name).is_some());
    let opted_in = std::env::var_os(ALLOW_UNREDACTED_IN_CI).is_some_and(|v| v == "yes");
    match ci {
        Some(name) if request.no_redact && !opted_in => Err(Error::Usage(format!(
            "--no-redact is refused in CI ({name} is set): the secrets would be kept in its \
             logs and uploads; to show them anyway, set {ALLOW_UNREDACTED_IN_CI}=yes in the \
             environment"
        ))),
        _ => Ok(()),
    }
}

/// More worker threads than this only cost memory.
const MAX_THREADS: usize = 256;

/// The walk's options.
fn walk_options(request: &WalkRequest) -> WalkOptions {
    let threads = request.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    WalkOptions {
        follow: request.follow,
        no_ignore: request.no_ignore,
        // Each thread needs a stack: a huge count fails to spawn rather than helping.
        threads: threads.clamp(1, MAX_THREADS),
    }
}

/// The terminal's width when the report goes to one (at least 40 columns; 100 when the
/// terminal does not say), else `None`: a file or a pipe gets one line per paragraph.
fn text_width(to_stdout: bool) -> Option<usize> {
    if !to_stdout || !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = terminal_size::terminal_size().map(|(width, _)| usize::from(width.0));
    Some(columns.filter(|&c| c > 0).unwrap_or(100).max(40))
}

fn use_color(choice: ColorChoice, to_stdout: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// What of archives is read, as asked.
/// The deepest nesting of archives that may be asked for.
pub const MAX_ARCHIVE_DEPTH: usize = ArchiveLimits::MAX_DEPTH;

fn archive_limits(walk: &WalkRequest) -> ArchiveLimits {
    let default = ArchiveLimits::default();
    ArchiveLimits {
        depth: walk.max_archive_depth.unwrap_or(default.depth),
        bytes: walk.max_archive_bytes.unwrap_or(default.bytes),
        ..default
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn clap_stays_in_the_binary() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let files = crate::structure::rust_files(&src);
        let binary = [src.join("main.rs"), src.join("cli.rs")];
        let library: Vec<_> = files.iter().filter(|f| !binary.contains(f)).collect();
        assert!(library.len() > 20, "{library:?}");
        // Split, so that this file does not name them.
        let named = [concat!("clap", "::"), concat!("use ", "clap")];
        for file in library {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                !named.iter().any(|n| text.contains(n)),
                "{} uses clap: the library maps nothing from the command line",
                file.display()
            );
        }
    }
}
