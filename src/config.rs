//! `tokenlint.toml`: thresholds, rule selection, extra stores, the allowlist and the
//! baseline, shared by a team and found from any subdirectory of the repository.
//!
//! tokenlint looks for `tokenlint.toml` or `.tokenlint.toml` from the scan root upward to
//! the repository root (the first directory holding `.git`); outside a repository, in the
//! scan root alone. Unknown keys and wrong types are errors that point into the file.
//! Relative paths in the file are relative to the file's directory.
//!
//! A discovered file belongs to the scanned tree, which a stranger may have written: it
//! must lie inside its project (the repository root that holds `.git`, else the file's own
//! directory), and every file it names inside the file's own directory, as
//! [`crate::confine`] checks; a project may be a home directory kept in git, or a
//! monorepo, with much more in it than the scanned tree. A file named with `--config` is
//! confined the same way when it lies in the scanned tree; one outside it, and `audit`'s
//! user-level file, are the user's own and may name any path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::confine::{self, Scope};
use crate::rules::{RuleSet, Severity};

/// The names a configuration file may have, in order of preference.
pub const FILE_NAMES: [&str; 2] = ["tokenlint.toml", ".tokenlint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Exit with 1 when a finding is at least this severe.
    pub fail_on: Option<Severity>,
    /// A baseline file: its findings are hidden.
    pub baseline: Option<PathBuf>,
    #[serde(default)]
    pub hygiene: HygieneConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    /// More token stores, besides the ones the environment names.
    #[serde(default)]
    pub stores: Vec<PathBuf>,
    #[serde(default)]
    pub inline: InlineConfig,
    #[serde(default)]
    pub allowlist: Vec<AllowEntry>,
    /// What `tokenlint hook pre-receive` allows.
    #[serde(default)]
    pub push: PushConfig,
    /// The file this came from (none for the defaults), and its text for error messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    #[serde(skip)]
    text: Option<String>,
    /// Where the files this one names may lie.
    #[serde(skip)]
    pub scope: Scope,
}

/// A configuration file found by looking upward from the scan root, and its project.
#[derive(Debug, PartialEq, Eq)]
pub struct Discovered {
    pub path: PathBuf,
    /// The repository root that holds `.git`, else the file's directory.
    pub project: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HygieneConfig {
    pub rotation_days: Option<u32>,
    pub expiring_soon_days: Option<u32>,
    pub max_lifetime_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Rule ids to turn off.
    #[serde(default)]
    pub disabled: Vec<Spanned<String>>,
    /// Directories of more rule files.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Per-rule severity overrides.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InlineConfig {
    /// Also honour `gitleaks:allow` and `pragma: allowlist secret` (detect-secrets).
    #[serde(default = "yes")]
    pub foreign_markers: bool,
}

impl Default for InlineConfig {
    fn default() -> Self {
        InlineConfig {
            foreign_markers: true,
        }
    }
}

/// Push protection's settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PushConfig {
    /// Whether `git push -o tokenlint.allow=<reason>` accepts a push that would be refused.
    #[serde(default = "yes")]
    pub allow_bypass: bool,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig { allow_bypass: true }
    }
}

fn yes() -> bool {
    true
}

/// Findings to accept. An entry matches a finding when every criterion it has matches:
/// one of its path globs, one of its secret or line regexes, one of its fingerprints,
/// one of its rules.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowEntry {
    /// Gitignore-style globs, relative to the configuration file's directory.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// Regexes matched against the secret.
    #[serde(default)]
    pub secrets: Vec<Spanned<String>>,
    /// Regexes matched against the finding's source line.
    #[serde(default)]
    pub lines: Vec<Spanned<String>>,
    #[serde(default)]
    pub fingerprints: Vec<String>,
    /// Rule ids the entry is limited to.
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    /// Why, shown with `--show-suppressed` and in SARIF.
    pub reason: Option<String>,
}

/// A configuration file that cannot be read, parsed or used, with the place in it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("invalid configuration {name}: {message}")]
    #[diagnostic(code(tokenlint::config))]
    Invalid {
        name: String,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("cannot read configuration {}", shown(path))]
    #[diagnostic(code(tokenlint::config))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot use {}, named in configuration {}", shown(path), shown(config))]
    #[diagnostic(code(tokenlint::config))]
    Named {
        path: PathBuf,
        config: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

use crate::report::clean_path as shown;

impl Config {
    /// Parses a configuration file's text.
    pub fn parse(name: &str, text: &str) -> Result<Config, Box<ConfigError>> {
        toml::from_str(text).map_err(|e| {
            Box::new(ConfigError::Invalid {
                name: name.to_string(),
                message: e.message().to_string(),
                src: NamedSource::new(crate::report::clean(name), crate::report::source_text(text)),
                span: e.span().unwrap_or(0..0).into(),
            })
        })
    }

    /// Reads and parses `path`, which lies in `scope`, as may the files it names.
    pub fn load(path: &Path, scope: Scope) -> Result<Config, Box<ConfigError>> {
        Config::load_in(path, &scope.clone(), scope)
    }

    /// Reads and parses `path`, which lies in `scope`; the files it names lie in `names`.
    fn load_in(path: &Path, scope: &Scope, names: Scope) -> Result<Config, Box<ConfigError>> {
        let text = confine::read_text(path, scope, confine::TEXT_CAP).map_err(|source| {
            Box::new(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        })?;
        let mut config = Config::parse(&shown(path), &text)?;
        config.path = Some(path.to_path_buf());
        config.text = Some(text);
        config.scope = names;
        Ok(config)
    }

    /// A repository's configuration read from one of its commits (a server's default
    /// branch), as if it lay at `path`: the files it names lie in `path`'s directory.
    pub(crate) fn from_commit(path: &Path, text: String) -> Result<Config, Box<ConfigError>> {
        let mut config = Config::parse(&shown(path), &text)?;
        config.path = Some(path.to_path_buf());
        config.text = Some(text);
        config.scope = Scope::project(path.parent().unwrap_or(Path::new(".")));
        Ok(config)
    }

    /// Reads the configuration file found for a scan of `root`.
    pub fn load_discovered(found: &Discovered) -> Result<Config, Box<ConfigError>> {
        Config::load_confined(&found.path, &found.project)
    }

    /// Reads `path`, a file of the scanned tree, which a stranger may have written: it
    /// must lie inside `project` (no link or `..` out of it), and the files it names
    /// inside its own directory.
    pub fn load_confined(path: &Path, project: &Path) -> Result<Config, Box<ConfigError>> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Config::load_in(path, &Scope::project(project), Scope::project(dir))
    }

    /// The configuration file for a scan of `root`, if there is one.
    pub fn discover(root: &Path) -> Option<Discovered> {
        let start = crate::confine::start_dir(root);
        let repo = start.ancestors().find(|d| d.join(".git").exists());
        for dir in start.ancestors() {
            // Anything by that name counts: one that is not a regular file inside the
            // project is refused when it is read, never passed over for another.
            let found = FILE_NAMES
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.symlink_metadata().is_ok());
            if let Some(path) = found {
                let project = repo.unwrap_or(dir).to_path_buf();
                return Some(Discovered { path, project });
            }
            if repo.is_none_or(|r| r == dir) {
                break;
            }
        }
        None
    }

    /// The user's own configuration file, for `audit`: `$XDG_CONFIG_HOME/tokenlint/config.toml`,
    /// else `~/.config/tokenlint/config.toml`, if it exists.
    pub fn user_file() -> Option<PathBuf> {
        let set = |key: &str| {
            std::env::var_os(key)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let dir = set("XDG_CONFIG_HOME").or_else(|| set("HOME").map(|h| h.join(".config")))?;
        Some(dir.join("tokenlint/config.toml")).filter(|p| p.symlink_metadata().is_ok())
    }

    /// `path` from the file, relative to the file's directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match self.path.as_deref().and_then(Path::parent) {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// `path` from the file, resolved, and refused when it lies outside the file's scope.
    pub fn named(&self, path: &Path) -> Result<PathBuf, Box<ConfigError>> {
        let resolved = self.resolve(path);
        self.scope.confine(&resolved).map_err(|source| {
            Box::new(ConfigError::Named {
                path: resolved.clone(),
                config: self.path.clone().unwrap_or_default(),
                source,
            })
        })?;
        Ok(resolved)
    }

    /// The directory the file's relative paths and globs start from.
    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// Turns rules off and changes severities as the file says. An unknown rule id is an
    /// error that points at it.
    pub fn apply_to_rules(&self, set: &mut RuleSet) -> Result<(), Box<ConfigError>> {
        self.apply_severities(set)?;
        let disabled: Vec<&str> = self
            .rules
            .disabled
            .iter()
            .map(|d| d.get_ref().as_str())
            .collect();
        set.retain(|rule| !disabled.contains(&rule.id()));
        Ok(())
    }

    /// Changes severities as the file says, and turns no rule off (`explain` still
    /// explains a disabled rule). An unknown rule id is an error that points at it.
    pub fn apply_severities(&self, set: &mut RuleSet) -> Result<(), Box<ConfigError>> {
        for id in self.rules.disabled.iter().chain(self.rules.severity.keys()) {
            if set.get(id.get_ref()).is_none() {
                return Err(self.invalid(id.span(), &format!("unknown rule `{}`", id.get_ref())));
            }
        }
        for (id, severity) in &self.rules.severity {
            set.set_severity(id.get_ref(), *severity);
        }
        Ok(())
    }

    /// An error at `span` of this file.
    pub fn invalid(&self, span: std::ops::Range<usize>, message: &str) -> Box<ConfigError> {
        let name = self
            .path
            .as_ref()
            .map_or_else(|| "tokenlint.toml".to_string(), |p| shown(p));
        Box::new(ConfigError::Invalid {
            message: message.to_string(),
            src: NamedSource::new(
                &name,
                crate::report::source_text(self.text.as_deref().unwrap_or_default()),
            ),
            name,
            span: span.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let text = "[hygiene]\nrotation-dayz = 30\n";
        let Err(err) = Config::parse("t.toml", text) else {
            panic!("accepted an unknown key")
        };
        let ConfigError::Invalid { span, message, .. } = &*err else {
            panic!("{err:?}")
        };
        assert!(message.contains("unknown field"), "{message}");
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "rotation-dayz"
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(Config::parse("t.toml", "fail-on = 3\n").is_err());
        assert!(Config::parse("t.toml", "fail-on = \"fatal\"\n").is_err());
        assert!(Config::parse("t.toml", "[hygiene]\nrotation-days = -1\n").is_err());
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let top = tempfile::tempdir().unwrap();
        let repo = top.path().join("repo");
        let sub = repo.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        std::fs::write(top.path().join("tokenlint.toml"), "").unwrap();
        assert_eq!(Config::discover(&sub), None, "above the repository root");
        std::fs::write(repo.join(".tokenlint.toml"), "").unwrap();
        let found = Config::discover(&sub).unwrap();
        assert!(found.path.ends_with("repo/.tokenlint.toml"), "{found:?}");
        assert!(found.project.ends_with("repo"), "{found:?}");
        let file = sub.join("x.sh");
        std::fs::write(&file, "").unwrap();
        let found = Config::discover(&file).unwrap();
        assert!(found.path.ends_with("repo/.tokenlint.toml"));
        std::fs::write(repo.join("tokenlint.toml"), "").unwrap();
        let found = Config::discover(&sub).unwrap();
        assert!(found.path.ends_with("repo/tokenlint.toml"));
    }
}
