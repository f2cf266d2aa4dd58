//! One file in, findings out. The scanner is pure: it never touches the file system, so
//! the walker, standard input and the rule-example tests all feed it the same way.
//!
//! A file's bytes become one text view (UTF-16 files are decoded first). The pattern rules
//! run over that view, and again over every base64 run in it, decoded. Each match is then
//! placed at its line and column in the view, where the encoded text stands.

mod decode;
mod locate;
mod matcher;

use std::borrow::Cow;
use std::ops::Range;

use crate::finding::{fingerprint, Encoding, Finding, Secret};
use crate::rules::{RuleError, RuleSet, Severity};
use matcher::{MatchScratch, Matcher, RawMatch};

/// Bytes examined for a NUL to call a file binary, as git and ripgrep do.
const BINARY_SNIFF: usize = 8192;

/// Base64 runs shorter than this are not decoded, whatever the rules' shortest match.
const MIN_BASE64_RUN: usize = 16;

/// What a finding needs from its rule, copied out of the rule set once.
struct RuleInfo {
    id: String,
    severity: Severity,
    message: String,
}

/// The compiled pattern rules, shared by every worker thread.
pub struct Scanner {
    matcher: Matcher,
    rules: Vec<RuleInfo>,
    min_base64_run: usize,
    /// Show secrets redacted in messages and snippets (false only for `--no-redact`).
    redact: bool,
}

/// A worker's reusable buffers.
#[derive(Default)]
pub struct Scratch {
    matches: MatchScratch,
    raw: Vec<RawMatch>,
    decoded: Vec<u8>,
}

/// A match placed in the view, before it has a line and column.
struct Hit {
    pattern: usize,
    span: Range<usize>,
    secret: Secret,
    encoding: Vec<Encoding>,
}

impl Scanner {
    pub fn new(set: &RuleSet, redact: bool) -> Result<Scanner, RuleError> {
        let matcher = Matcher::new(set)?;
        let rules = matcher
            .rules
            .iter()
            .map(|&i| {
                let rule = &set.rules()[i];
                RuleInfo {
                    id: rule.id().to_string(),
                    severity: rule.severity,
                    message: rule.message.clone(),
                }
            })
            .collect();
        // A secret of n bytes is at least 4n/3 base64 characters.
        let min_base64_run = (matcher.min_match_len * 4 / 3).max(MIN_BASE64_RUN);
        Ok(Scanner {
            matcher,
            rules,
            min_base64_run,
            redact,
        })
    }

    /// Every finding in `data`, the content of the file shown as `path`, in order.
    pub fn scan(&self, path: &str, data: &[u8], scratch: &mut Scratch) -> Vec<Finding> {
        let (view, outer, binary) = match decode::utf16_text(data) {
            Some((text, encoding)) => (Cow::Owned(text.into_bytes()), Some(encoding), false),
            None => (Cow::Borrowed(data), None, is_binary(data)),
        };
        let mut hits = self.hits(&view, outer, scratch);
        if hits.is_empty() {
            return Vec::new();
        }
        hits.sort_by_key(|h| (h.span.start, h.pattern, h.span.end));
        hits.dedup_by_key(|h| (h.span.start, h.pattern, h.span.end));
        self.findings(path, &view, binary, hits)
    }

    fn hits(&self, view: &[u8], outer: Option<Encoding>, scratch: &mut Scratch) -> Vec<Hit> {
        let mut hits = Vec::new();
        let Scratch {
            matches,
            raw,
            decoded,
        } = scratch;
        raw.clear();
        self.matcher.find_all(view, matches, raw);
        for m in raw.drain(..) {
            hits.push(hit(&m, view, outer, None));
        }
        decode::base64_runs(view, self.min_base64_run, |run| {
            // The secret may start at any byte of the decoded text, but decoding must
            // start on a quantum boundary, which the run's start need not be.
            for skip in 0..4.min(run.len()) {
                let start = run.start + skip;
                decode::base64_decode(&view[start..run.end], decoded);
                self.matcher.find_all(decoded, matches, raw);
                for m in raw.drain(..) {
                    let enc = decode::base64_encoded_span(&m.span);
                    let span = start + enc.start..(start + enc.end).min(run.end);
                    let mut h = hit(&m, decoded, outer, Some(Encoding::Base64));
                    h.span = span;
                    hits.push(h);
                }
            }
        });
        hits
    }

    fn findings(&self, path: &str, view: &[u8], binary: bool, hits: Vec<Hit>) -> Vec<Finding> {
        let redacted: Vec<(Range<usize>, String)> = hits
            .iter()
            .map(|h| (h.span.clone(), self.shown(&h.secret)))
            .collect();
        let mut starts = locate::Locator::new(view);
        let mut ends = locate::Locator::new(view);
        hits.into_iter()
            .zip(&redacted)
            .map(|(h, (_, shown))| {
                let rule = &self.rules[h.pattern];
                let (line, column) = starts.locate(h.span.start);
                let (end_line, end_column) = ends.locate(h.span.end);
                let snippet =
                    (!binary).then(|| locate::snippet(view, &h.span, &redacted, column));
                Finding {
                    rule_id: rule.id.clone(),
                    severity: rule.severity,
                    path: path.to_string(),
                    line,
                    column,
                    end_line,
                    end_column,
                    message: rule.message.replace("{secret}", shown),
                    fingerprint: fingerprint(&rule.id, path, &h.secret),
                    secret: h.secret,
                    encoding: h.encoding,
                    snippet,
                }
            })
            .collect()
    }
}

/// A hit for match `m` of `hay`, whose encodings are `outer`, then `layer`, then whatever
/// escaping the matched text itself shows.
fn hit(
    m: &RawMatch,
    hay: &[u8],
    outer: Option<Encoding>,
    layer: Option<Encoding>,
) -> Hit {
    let text = &hay[m.span.clone()];
    let escaped = if memchr::memmem::find(text, b"\\/").is_some() {
        Some(Encoding::JsonEscaped)
    } else if memchr::memmem::find(text, b"%2F").is_some()
        || memchr::memmem::find(text, b"%2f").is_some()
    {
        Some(Encoding::PercentEncoded)
    } else {
        None
    };
    let mut encoding: Vec<Encoding> = [outer, layer, escaped].into_iter().flatten().collect();
    if encoding.is_empty() {
        encoding.push(Encoding::Plain);
    }
    Hit {
        pattern: m.pattern,
        span: m.span.clone(),
        secret: Secret::from_match(&hay[m.secret.clone()]),
        encoding,
    }
}

impl Scanner {
    fn shown(&self, secret: &Secret) -> String {
        if self.redact {
            secret.redacted()
        } else {
            secret.expose().to_string()
        }
    }
}

fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF)]).is_some()
}
