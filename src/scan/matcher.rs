//! The pattern rules of a rule set compiled once into one multi-pattern regex, behind a
//! keyword prefilter. Compiling is cheap enough (well under a millisecond for the
//! built-in rules) that a pre-commit run on a handful of files is not dominated by it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta;
use regex_automata::util::syntax;

use crate::rules::{RuleError, RuleSet, REGEX_SIZE_LIMIT};

/// One match of a pattern rule in a haystack.
#[derive(Clone, Debug)]
pub(crate) struct RawMatch {
    /// Index into [`Matcher::rules`].
    pub pattern: usize,
    /// The whole match.
    pub span: Range<usize>,
    /// The secret: the `secret` capture group when the regex has one, else the match.
    pub secret: Range<usize>,
}

/// Per-thread scratch space, so that matching allocates nothing per file.
#[derive(Default)]
pub(crate) struct MatchScratch {
    active: Vec<bool>,
}

pub(crate) struct Matcher {
    /// For each pattern id, the index of its rule in the rule set.
    pub rules: Vec<usize>,
    regex: meta::Regex,
    /// Capture regexes for the patterns that name a `secret` group.
    secret_groups: Vec<Option<regex::bytes::Regex>>,
    /// The keyword prefilter over every keyword of every pattern rule.
    gate: Option<AhoCorasick>,
    /// For each keyword of `gate`, its pattern id.
    keyword_pattern: Vec<usize>,
    /// Pattern ids without keywords, which always run.
    ungated: Vec<bool>,
    /// The shortest text any pattern matches: encoded text shorter than this is not decoded.
    pub min_match_len: usize,
}

impl Matcher {
    pub(crate) fn new(set: &RuleSet) -> Result<Matcher, RuleError> {
        let mut rules = Vec::new();
        let mut regexes = Vec::new();
        let mut keywords = Vec::new();
        let mut keyword_pattern = Vec::new();
        let mut ungated = Vec::new();
        let mut secret_groups = Vec::new();
        let mut min_match_len = usize::MAX;
        for (index, rule) in set.rules().iter().enumerate() {
            let Some(pattern) = &rule.pattern else {
                continue;
            };
            let id = rules.len();
            let regex = pattern.regex.get_ref().as_str();
            rules.push(index);
            regexes.push(regex);
            ungated.push(pattern.keywords.is_empty());
            for k in &pattern.keywords {
                keywords.push(k.get_ref().as_str());
                keyword_pattern.push(id);
            }
            let compiled = regex::bytes::RegexBuilder::new(regex)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| compile_error(set, index, e.to_string()))?;
            let has_group = compiled.capture_names().any(|n| n == Some("secret"));
            secret_groups.push(has_group.then_some(compiled));
            min_match_len = min_match_len.min(minimum_len(regex));
        }
        let regex = meta::Builder::new()
            .syntax(syntax::Config::new().utf8(false))
            .configure(
                meta::Config::new()
                    .utf8_empty(false)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
            )
            .build_many(&regexes)
            .map_err(|e| {
                let index = e.pattern().map_or(rules[0], |p| rules[p.as_usize()]);
                compile_error(set, index, e.to_string())
            })?;
        let gate = if keywords.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&keywords)
                .map_err(|e| compile_error(set, rules[0], e.to_string()))?;
            Some(ac)
        };
        Ok(Matcher {
            rules,
            regex,
            secret_groups,
            gate,
            keyword_pattern,
            ungated,
            min_match_len,
        })
    }

    /// Every match of every pattern in `hay`, in order, appended to `out`.
    pub(crate) fn find_all(&self, hay: &[u8], scratch: &mut MatchScratch, out: &mut Vec<RawMatch>) {
        if self.rules.is_empty() || !self.prefilter(hay, &mut scratch.active) {
            return;
        }
        for m in self.regex.find_iter(hay) {
            let pattern = m.pattern().as_usize();
            if !scratch.active[pattern] {
                continue;
            }
            let secret = match &self.secret_groups[pattern] {
                Some(re) => re
                    .captures_at(hay, m.start())
                    .and_then(|c| c.name("secret"))
                    .map_or(m.range(), |g| g.range()),
                None => m.range(),
            };
            out.push(RawMatch {
                pattern,
                span: m.range(),
                secret,
            });
        }
    }

    /// Marks in `active` the patterns whose keywords occur in `hay`; false when none do.
    fn prefilter(&self, hay: &[u8], active: &mut Vec<bool>) -> bool {
        active.clear();
        active.extend_from_slice(&self.ungated);
        let Some(gate) = &self.gate else {
            return true;
        };
        let mut missing = active.iter().filter(|a| !**a).count();
        for m in gate.find_overlapping_iter(hay) {
            let pattern = self.keyword_pattern[m.pattern().as_usize()];
            if !active[pattern] {
                active[pattern] = true;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        active.iter().any(|a| *a)
    }
}

fn compile_error(set: &RuleSet, index: usize, message: String) -> RuleError {
    let rule = &set.rules()[index];
    let span = rule.pattern.as_ref().map_or(rule.id.span(), |p| p.regex.span());
    RuleError::invalid(
        &rule.origin,
        span,
        &format!("the regex does not compile: {message}"),
    )
}

/// The fewest bytes `regex` can match (0 when it cannot tell).
fn minimum_len(regex: &str) -> usize {
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(regex)
        .ok()
        .and_then(|hir| hir.properties().minimum_len())
        .unwrap_or(0)
}
