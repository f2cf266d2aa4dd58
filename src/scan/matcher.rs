//! The pattern rules of a rule set compiled once into one multi-pattern regex, behind a
//! keyword prefilter. Compiling is cheap enough (well under a millisecond for the
//! built-in rules) that a pre-commit run on a handful of files is not dominated by it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
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
    /// For each keyword of `gate`, the pattern ids of every keyword it contains.
    implied: Vec<Vec<usize>>,
    /// Pattern ids without keywords, which always run.
    ungated: Vec<bool>,
    /// The shortest text any pattern matches: encoded text shorter than this is not decoded.
    pub min_match_len: usize,
    /// The longest text any pattern matches, if every pattern has a limit.
    pub max_match_len: Option<usize>,
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
        let mut max_match_len = Some(0);
        for (index, rule) in set.rules().iter().enumerate() {
            let Some(pattern) = &rule.pattern else {
                continue;
            };
            let id = rules.len();
            let regex = pattern.regex.get_ref().as_str();
            rules.push(index);
            regexes.push(regex);
            let words: Vec<&str> = pattern
                .keywords
                .iter()
                .map(|k| k.get_ref().as_str())
                .collect();
            // When every match holds a keyword anyway, the regex's own prefilter does the
            // gate's work: skip the extra pass.
            let gated = !words.is_empty() && !keywords_implied(regex, &words);
            ungated.push(!gated);
            for k in pattern.keywords.iter().filter(|_| gated) {
                keywords.push(k.get_ref().as_str());
                keyword_pattern.push(id);
            }
            let compiled = regex::bytes::RegexBuilder::new(regex)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| compile_error(set, index, e.to_string()))?;
            let has_group = compiled.capture_names().any(|n| n == Some("secret"));
            secret_groups.push(has_group.then_some(compiled));
            let (min, max) = match_len(regex);
            min_match_len = min_match_len.min(min);
            max_match_len = max_match_len.zip(max).map(|(a, b)| a.max(b));
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
                .match_kind(MatchKind::LeftmostLongest)
                .build(&keywords)
                .map_err(|e| compile_error(set, rules[0], e.to_string()))?;
            Some(ac)
        };
        let implied = implied_patterns(&keywords, &keyword_pattern);
        Ok(Matcher {
            rules,
            regex,
            secret_groups,
            gate,
            implied,
            ungated,
            min_match_len,
            max_match_len,
        })
    }

    /// Every match of every pattern in `hay`, in order, appended to `out`.
    pub(crate) fn find_all(&self, hay: &[u8], scratch: &mut MatchScratch, out: &mut Vec<RawMatch>) {
        if self.gate(hay, scratch) {
            self.find_starting_in(hay, 0..hay.len(), hay.len(), scratch, out);
        }
    }

    /// Checks which patterns may match in `hay` (the keyword prefilter), for the
    /// following [`Matcher::find_starting_in`] calls; false when none can.
    pub(crate) fn gate(&self, hay: &[u8], scratch: &mut MatchScratch) -> bool {
        !self.rules.is_empty() && self.prefilter(hay, &mut scratch.active)
    }

    /// The matches in `hay` that start in `starts` and end by `limit`, in order. Matches
    /// are searched for from `starts.start`, with the text before it as context.
    pub(crate) fn find_starting_in(
        &self,
        hay: &[u8],
        starts: Range<usize>,
        limit: usize,
        scratch: &MatchScratch,
        out: &mut Vec<RawMatch>,
    ) {
        let input = meta_input(hay, starts.start..limit);
        for m in self.regex.find_iter(input) {
            if m.start() >= starts.end {
                break;
            }
            let pattern = m.pattern().as_usize();
            if !scratch.active[pattern] {
                continue;
            }
            let secret = match &self.secret_groups[pattern] {
                Some(re) => re
                    .captures_at(&hay[..limit], m.start())
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
    ///
    /// The gate reports the longest keyword at each start, and every keyword inside it
    /// is marked too (`implied`); searching again from the next byte then finds every
    /// keyword present without the slower overlapping search.
    fn prefilter(&self, hay: &[u8], active: &mut Vec<bool>) -> bool {
        active.clear();
        active.extend_from_slice(&self.ungated);
        let Some(gate) = &self.gate else {
            return true;
        };
        let mut missing = active.iter().filter(|a| !**a).count();
        let mut at = 0;
        while let Some(m) = gate.find(Input::new(hay).range(at..)) {
            for &pattern in &self.implied[m.pattern().as_usize()] {
                if !active[pattern] {
                    active[pattern] = true;
                    missing -= 1;
                }
            }
            if missing == 0 {
                break;
            }
            at = m.start() + 1;
        }
        active.iter().any(|a| *a)
    }
}

fn meta_input(hay: &[u8], range: Range<usize>) -> regex_automata::Input<'_> {
    regex_automata::Input::new(hay).range(range)
}

fn compile_error(set: &RuleSet, index: usize, message: String) -> RuleError {
    let rule = &set.rules()[index];
    let span = rule
        .pattern
        .as_ref()
        .map_or(rule.id.span(), |p| p.regex.span());
    RuleError::invalid(
        &rule.origin,
        span,
        &format!("the regex does not compile: {message}"),
    )
}

/// For each keyword, the patterns of every keyword it contains (itself included),
/// compared ASCII case-insensitively as the gate compares.
fn implied_patterns(keywords: &[&str], pattern_of: &[usize]) -> Vec<Vec<usize>> {
    keywords
        .iter()
        .map(|outer| {
            let outer = outer.to_ascii_lowercase();
            let mut patterns: Vec<usize> = keywords
                .iter()
                .zip(pattern_of)
                .filter(|(inner, _)| outer.contains(&inner.to_ascii_lowercase()))
                .map(|(_, &p)| p)
                .collect();
            patterns.sort_unstable();
            patterns.dedup();
            patterns
        })
        .collect()
}

/// Whether every match of `regex` starts with a literal that contains one of `keywords`
/// (ASCII case-insensitively), which makes checking for the keywords redundant.
fn keywords_implied(regex: &str, keywords: &[&str]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(regex)
    else {
        return false;
    };
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let Some(literals) = seq.literals() else {
        return false;
    };
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    !literals.is_empty()
        && literals.iter().all(|lit| {
            let lit = lit.as_bytes().to_ascii_lowercase();
            keywords
                .iter()
                .any(|k| lit.windows(k.len()).any(|w| w == k.as_slice()))
        })
}

/// The fewest and the most bytes `regex` can match (0 and none when it cannot tell).
fn match_len(regex: &str) -> (usize, Option<usize>) {
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(regex);
    match parsed {
        Ok(hir) => (
            hir.properties().minimum_len().unwrap_or(0),
            hir.properties().maximum_len(),
        ),
        Err(_) => (0, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_inside_every_prefix_are_implied() {
        assert!(keywords_implied(r"(?-u:\b)pa[0-9]+\.[0-9]", &["pa"]));
        assert!(keywords_implied(r"secret_[a-z]+", &["SECRET"]));
        assert!(!keywords_implied(r"[a-z]+_secret", &["secret"]));
        assert!(!keywords_implied(r"(pa|xy)1", &["pa"]));
    }

    #[test]
    fn gate_finds_keywords_hidden_inside_longer_ones() {
        let keywords = ["pass", "as"];
        let implied = implied_patterns(&keywords, &[0, 1]);
        assert_eq!(implied, vec![vec![0, 1], vec![1]]);
    }
}
