//! Everything a run needs before it looks at a file, from the command line, the
//! configuration file and the environment, in that order of precedence.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::check::{Checker, Settings};
use crate::config::Config;
use crate::confine::{self, Scope};
use crate::hygiene::{ThresholdOverrides, Thresholds};
use crate::rules::RuleSet;
use crate::store::{StoreIndex, Stores};
use crate::suppress::Allowlist;
use crate::Error;

/// Which configuration file a run uses.
#[derive(Clone, Debug, Default)]
pub enum ConfigChoice {
    /// The one found from where the run starts (`audit`: the user's own).
    #[default]
    Found,
    /// `--config FILE`.
    File(PathBuf),
    /// `--no-config`.
    None,
}

/// Where the rules and the configuration come from.
#[derive(Clone, Debug, Default)]
pub struct RuleRequest {
    /// `--rules DIR`, in order.
    pub rule_dirs: Vec<PathBuf>,
    pub config: ConfigChoice,
}

/// The hygiene thresholds and the date they are measured from, as asked.
#[derive(Clone, Debug, Default)]
pub struct HygieneRequest {
    pub now: Option<NaiveDate>,
    pub expiring_soon_days: Option<u32>,
    pub rotation_days: Option<u32>,
    pub max_lifetime_days: Option<u32>,
}

/// The configuration and the rules it selects.
pub struct Setup {
    pub config: Config,
    pub rules: RuleSet,
    pub cwd: PathBuf,
    /// Where [`crate::finding::Finding::key`]s start: the repository root, else the
    /// configuration file's directory, else the current directory.
    pub project_root: PathBuf,
}

impl Setup {
    /// Reads the project's configuration for a run over `roots` and loads the rules.
    pub fn new(rules: &RuleRequest, roots: &[PathBuf]) -> Result<Setup, Error> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = roots
            .iter()
            .find(|p| p.as_os_str() != "-")
            .cloned()
            .unwrap_or_else(|| cwd.clone());
        let config = project_config(&rules.config, &root)?;
        Setup::with_config(&rules.rule_dirs, config, &root, cwd)
    }

    /// For `audit`, which looks at this machine, not at a project: the user's own
    /// configuration file or `--config`, never one found from the current directory.
    pub fn for_audit(rules: &RuleRequest) -> Result<Setup, Error> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let file = match &rules.config {
            ConfigChoice::Found => Config::user_file(),
            ConfigChoice::File(path) => Some(path.clone()),
            ConfigChoice::None => None,
        };
        let config = match file {
            Some(path) => Config::load(&path, Scope::Anywhere)?,
            None => Config::default(),
        };
        Setup::with_config(&rules.rule_dirs, config, &cwd.clone(), cwd)
    }

    /// For a run over `root` with `config`, read already.
    pub(crate) fn with_config(
        rule_dirs: &[PathBuf],
        config: Config,
        root: &Path,
        cwd: PathBuf,
    ) -> Result<Setup, Error> {
        let mut rules = rule_set(rule_dirs, &config)?;
        config.apply_to_rules(&mut rules)?;
        let project_root = repository_root(root)
            .or_else(|| config.dir().map(confine::canonical))
            .unwrap_or_else(|| cwd.clone());
        Ok(Setup {
            config,
            rules,
            cwd,
            project_root,
        })
    }

    /// The checks' settings: flags over the configuration over the rule files' defaults.
    pub fn settings(&self, hygiene: &HygieneRequest, checks: Checks) -> Result<Settings, Error> {
        let c = &self.config.hygiene;
        let mut stores = Stores::from_env();
        let named: Result<Vec<PathBuf>, _> = self
            .config
            .stores
            .iter()
            .map(|s| self.config.named(s))
            .collect();
        stores.add(named?, &self.config.scope);
        Ok(Settings {
            today: hygiene
                .now
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            thresholds: Thresholds::new(
                &self.rules,
                ThresholdOverrides {
                    expiring_soon_days: hygiene.expiring_soon_days.or(c.expiring_soon_days),
                    rotation_days: hygiene.rotation_days.or(c.rotation_days),
                    max_lifetime_days: hygiene.max_lifetime_days.or(c.max_lifetime_days),
                },
            ),
            store_index: checks.store_index.then(|| StoreIndex::load(&stores)),
            stores,
            audit: checks.audit,
            redact: checks.redact,
            cwd: self.cwd.clone(),
            project_root: self.project_root.clone(),
            allowlist: Allowlist::new(&self.config, &self.rules)?,
            foreign_markers: self.config.inline.foreign_markers,
            archives: checks.archives,
        })
    }

    pub fn checker(&self, settings: Settings) -> Result<Checker<'_>, Error> {
        Ok(Checker::new(&self.rules, settings)?)
    }
}

/// What a command asks of the checks, beyond the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Checks {
    /// Redact secrets in messages and snippets (false only with `--no-redact`).
    pub redact: bool,
    /// `audit`'s rules too.
    pub audit: bool,
    /// Read the local token stores, to say which token a hard-coded one is.
    pub store_index: bool,
    /// What of archives is read.
    pub archives: crate::archive::ArchiveLimits,
}

/// The configuration for a run whose first root is `root`: none with `--no-config`, else
/// `--config` (confined as a discovered one when it lies in the scanned tree), else the
/// one discovered from `root` (confined to its project).
pub(crate) fn project_config(choice: &ConfigChoice, root: &Path) -> Result<Config, Error> {
    Ok(match choice {
        ConfigChoice::None => Config::default(),
        ConfigChoice::File(path) => match tree_holding(path, root) {
            Some(tree) => Config::load_confined(path, &tree)?,
            None => Config::load(path, Scope::Anywhere)?,
        },
        ConfigChoice::Found => match Config::discover(root) {
            Some(found) => Config::load_discovered(&found)?,
            None => Config::default(),
        },
    })
}

/// The scanned tree, when the configuration file `path` lies in it: the repository around
/// `root`, else the directory a run over `root` starts from. A pull request's own
/// `tokenlint.toml`, named with `--config`, is as much the stranger's as a discovered one.
fn tree_holding(path: &Path, root: &Path) -> Option<PathBuf> {
    let tree = repository_root(root).unwrap_or_else(|| confine::start_dir(root));
    let absolute = crate::check::normalize(&std::env::current_dir().ok()?.join(path));
    // As named, and with the links of its directory resolved: inside by either counts.
    let real = match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => confine::resolved(dir).join(name),
        _ => confine::resolved(path),
    };
    [absolute, real]
        .iter()
        .any(|p| p.starts_with(&tree))
        .then_some(tree)
}

/// The built-in rules, those of `--rules` directories and those of the configuration's
/// `[rules] paths` (confined as the configuration is), with the configuration's severities.
/// The rules the configuration disables are still there.
pub(crate) fn rule_set(rule_dirs: &[PathBuf], config: &Config) -> Result<RuleSet, Error> {
    let mut dirs: Vec<(PathBuf, Scope)> = rule_dirs
        .iter()
        .map(|d| (d.clone(), Scope::Anywhere))
        .collect();
    for path in &config.rules.paths {
        dirs.push((config.named(path)?, config.scope.clone()));
    }
    let mut rules = RuleSet::load_scoped(&dirs)?;
    config.apply_severities(&mut rules)?;
    Ok(rules)
}

/// The nearest directory at or above `path` that holds `.git`.
fn repository_root(path: &Path) -> Option<PathBuf> {
    let start = confine::start_dir(path);
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
