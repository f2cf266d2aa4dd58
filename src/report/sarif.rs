//! `--format sarif`: one SARIF 2.1.0 log for GitHub code scanning, built with serde-sarif's
//! typed builders so that a missing required field does not compile.
//!
//! What GitHub needs, and peers get wrong: every rule exactly once with its help and a
//! `security-severity`, URIs relative to `%SRCROOT%` and percent-encoded, one-line regions
//! with `endColumn > startColumn`, stable `partialFingerprints`, and never a secret.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};

use serde_sarif::sarif;

use super::{Report, Reporter, Uris};
use crate::confine::normalize;
use crate::docs;
use crate::finding::SuppressionKind;
use crate::finding::{Encoding, Finding};
use crate::outcome::ScanError;
use crate::report::{clean, clean_lines};
use crate::rules::{Precision, Rule, Severity};

/// GitHub code scanning takes at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

/// The key of tokenlint's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "tokenlint/v1";

const SRCROOT: &str = "%SRCROOT%";

pub(super) struct SarifReporter;

impl Reporter for SarifReporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let log = build(report);
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

fn build(report: &Report) -> sarif::Sarif {
    let rules = report.rules.rules();
    let (kept, dropped) = keep_most_severe(report.findings, MAX_RESULTS);
    let mut notifications: Vec<sarif::Notification> = report
        .errors
        .iter()
        .map(|e| notification(e, report))
        .collect();
    if dropped > 0 {
        let text = format!(
            "{dropped} of {} results were left out: GitHub code scanning takes at most {MAX_RESULTS} \
             per run. The most severe are kept.",
            report.findings.len()
        );
        super::warn_with(
            &format!("warning: {text}"),
            crate::token::Reveal::in_full_if(report.show_secrets),
        );
        notifications.push(
            sarif::Notification::builder()
                .message(message(&text))
                .level(serde_json::json!("warning"))
                .build(),
        );
    }
    let results: Vec<sarif::Result> = kept.iter().map(|f| result(f, rules, report)).collect();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(true)
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let driver = sarif::ToolComponent::builder()
        .name("tokenlint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_HOMEPAGE"))
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    if report.context.uris == Uris::UnderRoot {
        let root = sarif::ArtifactLocation::builder()
            .uri(dir_uri(&report.context.root))
            .build();
        run.original_uri_base_ids = Some(BTreeMap::from([(SRCROOT.to_string(), root)]));
    }
    if let Some((uri, revision)) = &report.context.provenance {
        let details = sarif::VersionControlDetails::builder()
            .repository_uri(without_userinfo(uri))
            .revision_id(revision.clone())
            .mapped_to(
                sarif::ArtifactLocation::builder()
                    .uri_base_id(SRCROOT)
                    .build(),
            )
            .build();
        run.version_control_provenance = Some(vec![details]);
    }
    if let Some(category) = &report.context.sarif_category {
        // GitHub reads the category as everything up to the last `/` of the id. A token
        // pasted into it is not published.
        let category = clean(category);
        let id = if category.ends_with('/') {
            category
        } else {
            format!("{category}/")
        };
        run.automation_details = Some(sarif::RunAutomationDetails::builder().id(id).build());
    }
    sarif::Sarif::builder()
        .schema(sarif::SCHEMA_URL)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// At most `max` findings, the most severe chosen first, in report order; and how many
/// were dropped.
fn keep_most_severe(findings: &[Finding], max: usize) -> (Vec<&Finding>, usize) {
    if findings.len() <= max {
        return (findings.iter().collect(), 0);
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(findings[i].severity));
    let mut keep: Vec<usize> = order[..max].to_vec();
    keep.sort_unstable();
    let kept = keep.iter().map(|&i| &findings[i]).collect();
    (kept, findings.len() - max)
}

fn message(text: &str) -> sarif::Message {
    sarif::Message::builder().text(text).build()
}

fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

/// A rule's reporting descriptor: its docs, default level and GitHub's properties.
fn descriptor(rule: &Rule) -> sarif::ReportingDescriptor {
    let text = |s: &str| {
        sarif::MultiformatMessageString::builder()
            .text(clean_lines(s.trim()))
            .build()
    };
    let help_text = clean_lines(&format!(
        "{}\n\nWhy is this bad? {}\n\nWhat to do instead: {}",
        rule.docs.summary.trim(),
        rule.docs.why.trim(),
        rule.docs.fix.trim()
    ));
    let help = sarif::MultiformatMessageString::builder()
        .text(help_text)
        .markdown(docs::explain_without_examples(rule))
        .build();
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    tags.extend(
        rule.sarif
            .tags
            .iter()
            .map(|t| clean(t))
            .filter(|t| !tags.contains(t))
            .collect::<Vec<_>>(),
    );
    let precision = match rule.sarif.precision {
        Precision::VeryHigh => "very-high",
        Precision::High => "high",
        Precision::Medium => "medium",
        Precision::Low => "low",
    };
    let properties = sarif::PropertyBag::builder()
        .tags(tags)
        .additional_properties(BTreeMap::from([
            ("precision".to_string(), serde_json::json!(precision)),
            (
                "security-severity".to_string(),
                serde_json::json!(format!("{:.1}", rule.sarif.security_severity.get_ref())),
            ),
        ]))
        .build();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(clean(rule.id()))
        .name(pascal_case(&clean(rule.id())))
        .short_description(text(&rule.docs.summary))
        .full_description(text(&rule.docs.why))
        .help(help)
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(level(rule.severity).to_string()))
                .build(),
        )
        .properties(properties)
        .build();
    descriptor.help_uri = rule.docs.references.first().map(|r| help_uri(r));
    descriptor
}

fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// Where a finding is: its file, or for an archive's member the archive file, with the
/// member as a logical location.
fn archive_or_file_location(
    f: &Finding,
    region: sarif::Region,
    report: &Report,
) -> sarif::Location {
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact(f.file_path(), report))
        .region(region)
        .build();
    let mut location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    if let Some(member) = &f.member {
        let logical = sarif::LogicalLocation::builder()
            .name(member.rsplit(['/', '!']).next().unwrap_or(member))
            .fully_qualified_name(f.path.clone())
            .build();
        location.logical_locations = Some(vec![logical]);
    }
    location
}

fn result(f: &Finding, rules: &[Rule], report: &Report) -> sarif::Result {
    let index = rules.iter().position(|r| r.id() == f.rule_id);
    let p = f.position;
    let mut region = sarif::Region::builder().start_line(p.line as i64).build();
    if (p.end_line, p.end_column) > (p.line, p.column) {
        region.start_column = Some(p.column as i64);
        region.end_line = Some(p.end_line as i64);
        region.end_column = Some(p.end_column as i64);
    }
    if let Some(snippet) = &f.snippet {
        // The region's own text: the redacted secret, or the field a hygiene finding
        // points at. Never the secret itself.
        let text = &snippet.text[snippet.highlight.clone()];
        region.snippet = Some(sarif::ArtifactContent::builder().text(text).build());
    }
    let (region, text) = match &f.member {
        // Code scanning points at real files: the archive, the member named in words.
        Some(member) => (
            sarif::Region::builder().start_line(1).build(),
            format!(
                "{} (in the archive's member {member}, line {}, column {})",
                f.message, p.line, p.column
            ),
        ),
        None => (region, f.message.clone()),
    };
    let location = match super::variable(f) {
        Some(name) => variable_location(name),
        None if !f.in_file => object_location(f),
        None => archive_or_file_location(f, region, report),
    };
    let mut result = sarif::Result::builder()
        .rule_id(f.rule_id.clone())
        .level(level(f.severity))
        .message(message(&text))
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            f.fingerprint.clone(),
        )]))
        .build();
    result.rule_index = index.map(|i| i as i64);
    if let Some(commit) = &f.commit {
        let properties = sarif::PropertyBag::builder()
            .additional_properties(BTreeMap::from([
                ("commit".to_string(), serde_json::json!(commit.id)),
                ("author".to_string(), serde_json::json!(commit.author)),
                ("date".to_string(), serde_json::json!(commit.date)),
                ("versions".to_string(), serde_json::json!(commit.versions)),
                (
                    "unreachable".to_string(),
                    serde_json::json!(commit.unreachable),
                ),
            ]))
            .build();
        result.properties = Some(properties);
    }
    if f.encoding.iter().any(|e| *e != Encoding::Plain) {
        // How the secret was written, as the JSON format's `encoding` says.
        let properties = result.properties.get_or_insert_with(Default::default);
        let encoding = serde_json::json!(f.encoding);
        properties
            .additional_properties
            .insert("encoding".to_string(), encoding);
    }
    if let Some(s) = &f.suppression {
        let kind = match s.kind {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        };
        let mut suppression = sarif::Suppression::builder()
            .kind(serde_json::json!(kind))
            .build();
        suppression.justification = s.reason.clone();
        result.suppressions = Some(vec![suppression]);
    }
    result
}

/// The location of a finding in the process environment: no artifact holds it, so no
/// `physicalLocation` (a `file://` URI for `$NAME` would name a file that does not exist),
/// but a `logicalLocation` of kind `variable` (SARIF 2.1.0 §3.33.7), fully qualified as
/// `env:NAME`.
/// Where a finding in a git object is (`<commit message>`, `<tag message>`, a blob in no
/// tree): a logical location, since code scanning can point only at real files.
fn object_location(f: &Finding) -> sarif::Location {
    let name = f.file_path();
    let qualified = match &f.commit {
        Some(commit) => format!("git:{}:{name}", commit.id),
        None => format!("git:{name}"),
    };
    let logical = sarif::LogicalLocation::builder()
        .name(name)
        .fully_qualified_name(qualified)
        .kind("object")
        .build();
    sarif::Location::builder()
        .logical_locations(vec![logical])
        .build()
}

fn variable_location(name: &str) -> sarif::Location {
    let logical = sarif::LogicalLocation::builder()
        .name(name)
        .fully_qualified_name(format!("env:{name}"))
        .kind("variable")
        .build();
    sarif::Location::builder()
        .logical_locations(vec![logical])
        .build()
}

fn notification(e: &ScanError, report: &Report) -> sarif::Notification {
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact(&e.path, report))
        .build();
    sarif::Notification::builder()
        .message(message(&format!("{}: {}", e.path, e.message)))
        .level(serde_json::json!("warning"))
        .locations(vec![sarif::Location::builder()
            .physical_location(physical)
            .build()])
        .build()
}

/// A path as reports show it, as a SARIF artifact location: relative to `%SRCROOT%` when
/// it lies under the scan root, an absolute `file://` URI otherwise.
fn artifact(shown: &str, report: &Report) -> sarif::ArtifactLocation {
    let ctx = report.context;
    let absolute = normalize(&ctx.cwd.join(shown));
    match absolute.strip_prefix(&ctx.root) {
        Ok(relative) if ctx.uris == Uris::UnderRoot => sarif::ArtifactLocation::builder()
            .uri(encode_path(relative))
            .uri_base_id(SRCROOT)
            .build(),
        _ => sarif::ArtifactLocation::builder()
            .uri(file_uri(&absolute))
            .build(),
    }
}

/// A remote's URL fit to publish: without control characters (a newline in `.git/config`),
/// the user name and password of its authority, the parameters of its path segments, its
/// query and its fragment (`https://oauth2:SECRET@host/x;access_token=T?k=T#T` →
/// `https://host/x`, `user:pw@host:x` → `host:x`), and with any token left in it
/// redacted. A password may hold `/`, `?`, `#` or `@` unescaped: everything up to the
/// last `@` is taken as userinfo, which strips too much from the rare URL with an `@` in
/// its path but never leaves a password behind.
fn without_userinfo(uri: &str) -> String {
    let uri: String = uri.chars().filter(|c| !c.is_control()).collect();
    let (scheme, rest) = split_scheme(&uri);
    let local = scheme.eq_ignore_ascii_case("file://");
    let rest = match rest.rfind('@') {
        Some(at) if !local => &rest[at + 1..],
        _ => rest,
    };
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let rest = match local {
        true => rest.to_string(),
        false => without_params(rest),
    };
    crate::token::redact_tokens(&format!("{scheme}{rest}")).into_owned()
}

/// `host/x;access_token=T/y;v=1` → `host/x/y`: each `/`-separated segment up to its first
/// `;`, where matrix parameters (RFC 3986 §3.3), which may carry credentials, begin.
fn without_params(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| s.split(';').next().unwrap_or(""))
        .collect();
    segments.join("/")
}

/// A rule's reference as `helpUri`: without userinfo (up to the last `@` before its
/// query or fragment), which a link to docs keeps.
fn help_uri(uri: &str) -> String {
    let (scheme, rest) = split_scheme(uri);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let rest = match rest[..end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    clean(&format!("{scheme}{rest}"))
}

/// `("https://", "host/x")`; `("", uri)` without a scheme.
fn split_scheme(uri: &str) -> (&str, &str) {
    match uri.find("://") {
        Some(i) => uri.split_at(i + 3),
        None => ("", uri),
    }
}

/// `file:///abs/path`.
fn file_uri(path: &Path) -> String {
    let mut uri = format!("file://{}", encode_path(path));
    if !uri.starts_with("file:///") {
        uri.insert(7, '/');
    }
    uri
}

/// A directory's `file://` URI: [`file_uri`], ending in `/`.
fn dir_uri(path: &Path) -> String {
    let mut uri = file_uri(path);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// A path as a URI path: `/` separators, every byte outside RFC 3986's unreserved
/// characters percent-encoded.
fn encode_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::RootDir => Some(String::new()),
            Component::Normal(p) => Some(encode(&p.to_string_lossy())),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// Every byte but RFC 3986's unreserved characters (letters, digits, `-._~`).
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(part: &str) -> String {
    percent_encoding::utf8_percent_encode(part, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Place, Position};

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_path(Path::new("a b/c@d.json")), "a%20b/c%40d.json");
        assert_eq!(encode_path(Path::new("ü/#x")), "%C3%BC/%23x");
        assert_eq!(dir_uri(Path::new("/tmp/a b")), "file:///tmp/a%20b/");
        assert_eq!(dir_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn uris_lose_their_userinfo() {
        for (uri, want) in [
            (
                "https://oauth2:s3cr3t@gitlab.example/g/r.git",
                "https://gitlab.example/g/r.git",
            ),
            (
                "https://user:ghp_abc@github.com/o/r",
                "https://github.com/o/r",
            ),
            // A password with a raw `/`, `?`, `#` or `@` in it.
            ("https://oauth2:pw/1.0/x@host/r.git", "https://host/r.git"),
            ("https://u:p?w#x@host/r.git", "https://host/r.git"),
            ("https://a@b:c@host:8443/p?x=1#f", "https://host:8443/p"),
            // Query and fragment secrets.
            (
                "https://host/r.git?access_token=ghp_abc",
                "https://host/r.git",
            ),
            ("https://host/r.git#ghp_abc", "https://host/r.git"),
            // Matrix parameters of any segment, the host's too.
            ("https://host/x;access_token=ghp_abc", "https://host/x"),
            ("https://host/o;k=v;t=ghp_abc/r.git", "https://host/o/r.git"),
            ("https://host;t=ghp_abc/r.git", "https://host/r.git"),
            ("ssh://git@host/o/r.git;t=ghp_abc?x", "ssh://host/o/r.git"),
            // Control characters: a newline can start a line of its own.
            (
                "https://host/r\n::error::x.git",
                "https://host/r::error::x.git",
            ),
            (
                "https://host/r.git\n;t=ghp_abc\t\u{1b}",
                "https://host/r.git",
            ),
            ("ssh://git@host/r.git", "ssh://host/r.git"),
            ("user:pw@host:o/r.git", "host:o/r.git"),
            ("user:p/w@host:o/r.git", "host:o/r.git"),
            ("git@host:o/r.git", "host:o/r.git"),
            ("https://host/o/r.git", "https://host/o/r.git"),
            ("file:///tmp/r", "file:///tmp/r"),
        ] {
            assert_eq!(without_userinfo(uri), want, "{uri}");
        }
        assert_eq!(
            help_uri("https://u:p@docs.example/x?a=b#c@d"),
            "https://docs.example/x?a=b#c@d"
        );
    }

    #[test]
    fn the_most_severe_results_are_kept() {
        let finding = |line: usize, severity: Severity| {
            let position = Position {
                line,
                column: 1,
                end_line: line,
                end_column: 2,
            };
            Finding::new("r", severity, "p", "m".into()).at(Place {
                position,
                span: None,
                snippet: None,
            })
        };
        let all = vec![
            finding(1, Severity::Note),
            finding(2, Severity::Error),
            finding(3, Severity::Warning),
            finding(4, Severity::Error),
        ];
        let (kept, dropped) = keep_most_severe(&all, 3);
        assert_eq!(dropped, 1);
        let lines: Vec<usize> = kept.iter().map(|f| f.position.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert_eq!(keep_most_severe(&all, 4).1, 0);
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(
            pascal_case("token-file-outside-store"),
            "TokenFileOutsideStore"
        );
    }
}
