//! Everything a run needs before it looks at a file, from the command line, the
//! configuration file and the environment, in that order of precedence.

use std::path::{Path, PathBuf};

use crate::check::{Checker, Settings};
use crate::cli::{ConfigArgs, HygieneArgs, WalkArgs};
use crate::config::Config;
use crate::hygiene::Thresholds;
use crate::rules::RuleSet;
use crate::store::{StoreIndex, Stores};
use crate::suppress::Allowlist;
use crate::walk::WalkOptions;
use crate::Error;

/// More worker threads than this only cost memory.
const MAX_THREADS: usize = 256;

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
    /// Reads the configuration for a run over `roots` and loads the rules.
    pub fn new(
        rule_dirs: &[PathBuf],
        args: &ConfigArgs,
        roots: &[PathBuf],
    ) -> Result<Setup, Error> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = roots
            .iter()
            .find(|p| p.as_os_str() != "-")
            .cloned()
            .unwrap_or_else(|| cwd.clone());
        let config = match (&args.config, args.no_config) {
            (_, true) => Config::default(),
            (Some(path), false) => Config::load(path)?,
            (None, false) => match Config::discover(&root) {
                Some(path) => Config::load(&path)?,
                None => Config::default(),
            },
        };
        let mut dirs = rule_dirs.to_vec();
        dirs.extend(config.rules.paths.iter().map(|p| config.resolve(p)));
        let mut rules = RuleSet::load(&dirs)?;
        config.apply_to_rules(&mut rules)?;
        let project_root = repository_root(&root)
            .or_else(|| config.dir().map(canonical))
            .unwrap_or_else(|| cwd.clone());
        Ok(Setup {
            config,
            rules,
            cwd,
            project_root,
        })
    }

    /// The checks' settings: flags over the configuration over the rule files' defaults.
    pub fn settings(
        &self,
        hygiene: &HygieneArgs,
        redact: bool,
        audit: bool,
        index: bool,
    ) -> Result<Settings, Error> {
        let c = &self.config.hygiene;
        let mut stores = Stores::from_env();
        stores.add(self.config.stores.iter().map(|s| self.config.resolve(s)));
        Ok(Settings {
            today: hygiene
                .now
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            thresholds: Thresholds::new(
                &self.rules,
                [
                    hygiene.expiring_soon_days.or(c.expiring_soon_days),
                    hygiene.rotation_days.or(c.rotation_days),
                    hygiene.max_lifetime_days.or(c.max_lifetime_days),
                ],
            ),
            store_index: index.then(|| StoreIndex::load(&stores)),
            stores,
            audit,
            redact,
            cwd: self.cwd.clone(),
            project_root: self.project_root.clone(),
            allowlist: Allowlist::new(&self.config, &self.rules)?,
            foreign_markers: self.config.inline.foreign_markers,
        })
    }

    pub fn checker(&self, settings: Settings) -> Result<Checker<'_>, Error> {
        Ok(Checker::new(&self.rules, settings)?)
    }
}

/// The project's `.tokenlintignore` (at the project root), for the scans that do not walk
/// a directory: staged files, hook file lists and history blobs.
pub struct ProjectIgnore {
    root: PathBuf,
    matcher: Option<ignore::gitignore::Gitignore>,
}

impl ProjectIgnore {
    pub fn new(project_root: &Path, enabled: bool) -> ProjectIgnore {
        let file = project_root.join(crate::walk::IGNORE_FILE);
        let matcher = (enabled && file.is_file()).then(|| {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(project_root);
            builder.add(&file);
            builder.build().ok()
        });
        ProjectIgnore {
            root: project_root.to_path_buf(),
            matcher: matcher.flatten(),
        }
    }

    /// Whether the file at the absolute `path` is ignored.
    pub fn ignores(&self, path: &Path) -> bool {
        self.matcher.as_ref().is_some_and(|m| {
            path.starts_with(&self.root) && m.matched_path_or_any_parents(path, false).is_ignore()
        })
    }
}

/// The walk's options from the command line.
pub fn walk_options(args: &WalkArgs) -> WalkOptions {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    WalkOptions {
        follow: args.follow,
        no_ignore: args.no_ignore,
        // Each thread needs a stack: a huge count fails to spawn rather than helping.
        threads: threads.clamp(1, MAX_THREADS),
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The nearest directory at or above `path` that holds `.git`.
fn repository_root(path: &Path) -> Option<PathBuf> {
    let start = canonical(path);
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
