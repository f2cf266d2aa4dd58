//! The pattern rules of a rule set compiled once into one multi-pattern regex, behind a
//! keyword prefilter. Compiling is cheap enough (well under a millisecond for the
//! built-in rules) that a pre-commit run on a handful of files is not dominated by it.
//!
//! Each rule's regex is parsed and compiled once, as its rule file loads. The combined
//! regex, built from those parses, finds the leftmost match of any rule; each rule's own
//! regex finds its matches inside another rule's and its `secret` group, so that every
//! rule matches as if it ran alone.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use regex_automata::{meta, PatternID};
use regex_syntax::hir::Hir;

use crate::rules::{regex_builder, Boundary, Pattern, RuleError, RuleRegex, RuleSet};
use crate::token;

use super::decode;
use super::lead::{LeadBytes, LEAD};

/// A [`decode::Base64Finder`] for more first literals than this would search long base64
/// runs no faster than decoding them.
const MAX_FINDER_LITERALS: usize = 64;

/// Where the [`LeadBytes`] fit but no match starts: past this many in one search, and one
/// per [`MISS_SPACING`] bytes searched, the combined regex searches on its own. Each miss
/// costs an anchored search over about the longest match (the lazy DFA's; an engine it
/// falls back to may look further), which the lead bytes need to be at most
/// [`MISS_SPACING`]: the misses of a text, or of each of many short decoded texts, then
/// cost about as much as searching it once more.
const MAX_MISSES: usize = 1;
const MISS_SPACING: usize = 256;

// The lead bytes are taken from the finder's literals.
const _: () = assert!(decode::FINDER_LITERAL >= LEAD);

/// The places the lead bytes fit where no match starts, over the searches of one
/// [`Matcher::find_starting_in`].
struct Misses {
    /// Where the first search started.
    from: usize,
    count: usize,
}

/// One match of a pattern rule in a haystack.
#[derive(Clone, Debug)]
pub(crate) struct RawMatch {
    /// The pattern id: an index into [`Matcher::rules`].
    pub pattern: usize,
    /// The whole match.
    pub span: Range<usize>,
    /// The secret: the `secret` capture group when the regex has one, else the match.
    pub secret: Range<usize>,
    /// The secret stands where its rule allows (`standalone`, `boundary`): a finding.
    /// Otherwise the match is glued into longer text, or a placeholder, and only hidden
    /// in snippets.
    pub alone: bool,
}

/// What a window of a longer text carries over from the windows before it, so that its
/// matches are those of the whole text.
#[derive(Clone, Copy)]
pub(crate) struct Carried<'a> {
    /// The keyword verdict for each pattern over the whole text; `None` for the window's
    /// own.
    pub(crate) active: Option<&'a [bool]>,
    /// Where each pattern's chain of matches goes on, as offsets in the text (all from the
    /// window's start when empty).
    pub(crate) chain: &'a [usize],
    /// Where the window starts in the text.
    pub(crate) offset: usize,
}

/// Per-thread scratch space, so that matching allocates nothing per file. One haystack
/// at a time: [`Matcher::gate`] starts a new one.
#[derive(Default)]
pub(crate) struct MatchScratch {
    /// For each pattern: whether its keywords occur in the haystack.
    active: Vec<bool>,
    /// For each pattern: where its previous match ended. A pattern's matches never
    /// overlap each other, as with one regex alone; matches of different rules may.
    next_start: Vec<usize>,
}

/// One pattern rule, compiled: what matching needs of it.
struct CompiledPattern {
    /// The index of its rule in the rule set.
    rule: usize,
    /// The pattern alone, to search inside another pattern's match and for its `secret`
    /// group: the regex its rule file's loading compiled.
    single: meta::Regex,
    /// The index of its `secret` capture group, when it names one.
    secret_group: Option<usize>,
    /// Its longest match, when it has a limit.
    max_len: Option<usize>,
    /// What may stand next to its secret, by its rule's `standalone` and `boundary`.
    edge: Edge,
    /// It has no keywords the gate must find, so it always runs.
    ungated: bool,
}

pub(crate) struct Matcher {
    /// The pattern rules, by pattern id.
    patterns: Vec<CompiledPattern>,
    /// Every pattern at once: finds the leftmost match of any.
    regex: meta::Regex,
    /// Where any match may start, when its first bytes tell it faster than the regex's own
    /// prefilter.
    pub(crate) lead: Option<LeadBytes>,
    /// The keyword prefilter over every keyword of every pattern rule.
    gate: Option<KeywordGate>,
    /// The shortest text any pattern matches: encoded text shorter than this is not decoded.
    pub min_match_len: usize,
    /// The longest text any pattern matches, if every pattern has a limit.
    pub max_match_len: Option<usize>,
    /// Where long base64 runs may encode a match, when every match starts with one of few
    /// literals, every match is bounded, and no keyword gate decides over a whole text.
    pub(crate) base64_finder: Option<decode::Base64Finder>,
}

/// What a pattern's secret may stand next to, for its match to be a finding.
#[derive(Clone, Copy)]
enum Edge {
    /// Anything.
    Any,
    /// No letter, digit or `_` on either side ([`stands_alone`]): `standalone = true`.
    Word,
    /// Where a RemotiveCloud token may stand, and not a placeholder
    /// ([`token::stands_as_token`]): `boundary = "token"`, whatever `standalone` says.
    Token,
}

impl Edge {
    fn of(pattern: &Pattern) -> Edge {
        match (pattern.boundary, pattern.standalone) {
            (Boundary::Token, _) => Edge::Token,
            (Boundary::Any, true) => Edge::Word,
            (Boundary::Any, false) => Edge::Any,
        }
    }

    /// Whether the secret at `secret` in `hay` may stand where it does.
    fn allows(self, hay: &[u8], secret: &Range<usize>) -> bool {
        match self {
            Edge::Any => true,
            Edge::Word => stands_alone(hay, secret),
            Edge::Token => token::stands_as_token(&hay[secret.clone()], &hay[secret.end..]),
        }
    }
}

/// The keyword prefilter: which patterns may match in a text, by the keywords in it.
struct KeywordGate {
    /// Every keyword of every gated pattern, its keyword ids in pattern-id order.
    automaton: AhoCorasick,
    /// By keyword id: the pattern ids of every keyword it contains, its own included.
    implied: Vec<Vec<usize>>,
}

/// One keyword the gate looks for.
struct Keyword<'s> {
    text: &'s str,
    /// The id of the pattern it gates.
    pattern: usize,
}

/// A pattern rule on its way to being compiled: its regex, compiled as its rule file
/// loaded, and what the gate needs of its keywords.
struct Parsed<'s> {
    rule: usize,
    regex: &'s RuleRegex,
    edge: Edge,
    /// Its keywords, each once, when the gate must look for them.
    keywords: Vec<&'s str>,
}

impl Matcher {
    pub(crate) fn new(set: &RuleSet) -> Result<Matcher, RuleError> {
        let parsed = parse_patterns(set)?;
        let keywords: Vec<Keyword> = parsed
            .iter()
            .enumerate()
            .flat_map(|(pattern, p)| {
                p.keywords
                    .iter()
                    .map(move |&text| Keyword { text, pattern })
            })
            .collect();
        let rule_of = |id: usize| parsed[id].rule;
        let hirs: Vec<&Hir> = parsed.iter().map(|p| p.regex.hir()).collect();
        let regex = regex_builder().build_many_from_hir(&hirs).map_err(|e| {
            let index = e.pattern().map_or(rule_of(0), |p| rule_of(p.as_usize()));
            compile_error(set, index, e.to_string())
        })?;
        let patterns = parsed.iter().map(compile_pattern).collect();
        let gate = KeywordGate::new(&keywords, parsed.len())
            .map_err(|e| compile_error(set, rule_of(0), e.to_string()))?;
        let lengths = parsed.iter().map(|p| p.regex.match_len());
        let min_match_len = lengths.clone().map(|(min, _)| min).min();
        let max_match_len = lengths
            .map(|(_, max)| max)
            .try_fold(0, |a, b| b.map(|b| a.max(b)));
        // With no pattern rule at all nothing matches; the bound stays one that callers
        // can scale (`4n/3` base64 characters) without overflowing.
        let min_match_len = min_match_len.unwrap_or(usize::MAX).min(usize::MAX / 4);
        let literals = first_literals(&hirs);
        let base64_finder = match (&gate, max_match_len, &literals) {
            (None, Some(_), Some(literals)) => {
                decode::Base64Finder::new(literals.iter().map(Vec::as_slice))
            }
            _ => None,
        };
        Ok(Matcher {
            patterns,
            regex,
            lead: literals
                .as_ref()
                .filter(|_| max_match_len.is_some_and(|max| max <= MISS_SPACING))
                .and_then(LeadBytes::new),
            gate,
            min_match_len,
            max_match_len,
            base64_finder,
        })
    }

    /// For each pattern id, the index of its rule in the rule set.
    pub(crate) fn rules(&self) -> impl Iterator<Item = usize> + '_ {
        self.patterns.iter().map(|p| p.rule)
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
        scratch.next_start.clear();
        scratch.next_start.resize(self.patterns.len(), 0);
        !self.patterns.is_empty() && self.prefilter(hay, &mut scratch.active)
    }

    /// Like [`Matcher::gate`], for a window of a longer text, with what it carries over
    /// from the windows before it.
    pub(crate) fn resume(&self, hay: &[u8], carried: Carried, scratch: &mut MatchScratch) -> bool {
        let gated_in = match carried.active {
            Some(active) => {
                scratch.active.clear();
                scratch.active.extend_from_slice(active);
                active.iter().any(|a| *a)
            }
            None => self.gate(hay, scratch),
        };
        scratch.next_start.clear();
        scratch.next_start.resize(self.patterns.len(), 0);
        for (to, from) in scratch.next_start.iter_mut().zip(carried.chain) {
            *to = from.saturating_sub(carried.offset);
        }
        !self.patterns.is_empty() && gated_in
    }

    /// Where each pattern's matches go on after the last [`Matcher::find_starting_in`].
    pub(crate) fn next_starts<'s>(&self, scratch: &'s MatchScratch) -> &'s [usize] {
        &scratch.next_start
    }

    /// Whether a pattern's keywords decide whether it runs: a window of a text then needs
    /// the verdict over the whole text ([`Matcher::keywords_in`]).
    pub(crate) fn has_keyword_gate(&self) -> bool {
        self.gate.is_some()
    }

    /// Marks in `active` the patterns whose keywords occur in `hay`, leaving marked those
    /// that are: called on each piece of a text, it gives the verdict for the whole text.
    pub(crate) fn keywords_in(&self, hay: &[u8], active: &mut Vec<bool>) {
        let mut here = Vec::new();
        self.prefilter(hay, &mut here);
        active.resize(here.len(), false);
        for (a, h) in active.iter_mut().zip(here) {
            *a |= h;
        }
    }

    /// The longest keyword, in bytes: pieces of a text must overlap by one less.
    pub(crate) fn longest_keyword(&self) -> usize {
        self.gate
            .as_ref()
            .map_or(0, |g| g.automaton.max_pattern_len())
    }

    /// The matches in `hay` that start in `starts` and end by `limit`, in order of
    /// discovery. Matches are searched for from `starts.start`, with the text before it as
    /// context.
    ///
    /// Every rule matches as if it ran alone. The combined regex finds the leftmost match
    /// of any rule, so no rule has a match starting between two of its matches; inside
    /// each of its matches, every other rule is searched for on its own. A rule's match
    /// therefore never hides another rule's.
    pub(crate) fn find_starting_in(
        &self,
        hay: &[u8],
        starts: Range<usize>,
        limit: usize,
        scratch: &mut MatchScratch,
        out: &mut Vec<RawMatch>,
    ) {
        let mut at = starts.start;
        let mut misses = Misses { from: at, count: 0 };
        while at < starts.end {
            let Some(m) = self.leftmost(hay, at..starts.end, limit, &mut misses) else {
                break;
            };
            if m.start() >= starts.end {
                break;
            }
            let window_end = m.end().min(starts.end).max(m.start() + 1);
            for q in 0..self.patterns.len() {
                let mut from = m.start().max(scratch.next_start[q]);
                while scratch.active[q] && from < window_end {
                    let found = if q == m.pattern().as_usize() && from == m.start() {
                        Some(m.range())
                    } else {
                        let end = self.patterns[q]
                            .max_len
                            .map_or(limit, |max| (window_end + max).min(limit));
                        self.patterns[q]
                            .single
                            .search(&meta_input(hay, from..end))
                            .map(|x| x.range())
                            .filter(|r| r.start < window_end)
                    };
                    let Some(range) = found else {
                        break;
                    };
                    scratch.next_start[q] = range.end.max(range.start + 1);
                    from = scratch.next_start[q];
                    self.accept(hay, q, range, limit, out);
                }
            }
            at = m.end().max(m.start() + 1);
        }
    }

    /// The leftmost match of any pattern that starts in `starts` and ends by `limit` (or
    /// one that starts later).
    fn leftmost(
        &self,
        hay: &[u8],
        starts: Range<usize>,
        limit: usize,
        misses: &mut Misses,
    ) -> Option<regex_automata::Match> {
        let Some(lead) = &self.lead else {
            return self.regex.search(&meta_input(hay, starts.start..limit));
        };
        let mut at = starts.start;
        // A match ends by `limit` and is at least `LEAD` bytes long.
        let last = starts.end.min(limit.saturating_sub(LEAD - 1));
        while let Some(place) = lead.find(hay, at..last) {
            let anchored = meta_input(hay, place..limit).anchored(regex_automata::Anchored::Yes);
            if let Some(m) = self.regex.search(&anchored) {
                return Some(m);
            }
            misses.count += 1;
            at = place + 1;
            if misses.count > MAX_MISSES + (at - misses.from) / MISS_SPACING {
                return self.regex.search(&meta_input(hay, at..limit));
            }
        }
        None
    }

    /// Records a match of pattern `q`, saying whether it stands alone when its rule wants it
    /// to.
    fn accept(
        &self,
        hay: &[u8],
        q: usize,
        span: Range<usize>,
        limit: usize,
        out: &mut Vec<RawMatch>,
    ) {
        let p = &self.patterns[q];
        let secret = match p.secret_group {
            Some(group) => {
                let mut caps = p.single.create_captures();
                // As `regex::bytes::Regex::captures_at`: the text ends at `limit`.
                let input = meta_input(&hay[..limit], span.start..limit);
                p.single.search_captures(&input, &mut caps);
                caps.get_group(group).map_or(span.clone(), |g| g.range())
            }
            None => span.clone(),
        };
        let alone = p.edge.allows(hay, &secret);
        out.push(RawMatch {
            pattern: q,
            span,
            secret,
            alone,
        });
    }

    /// Marks in `active` the patterns whose keywords occur in `hay`; false when none do.
    fn prefilter(&self, hay: &[u8], active: &mut Vec<bool>) -> bool {
        active.clear();
        active.extend(self.patterns.iter().map(|p| p.ungated));
        if let Some(gate) = &self.gate {
            gate.mark(hay, active);
        }
        active.iter().any(|a| *a)
    }
}

impl KeywordGate {
    /// The gate over `keywords`, of `patterns` patterns in all; none when no pattern has
    /// keywords to look for.
    fn new(
        keywords: &[Keyword],
        patterns: usize,
    ) -> Result<Option<KeywordGate>, aho_corasick::BuildError> {
        if keywords.is_empty() {
            return Ok(None);
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(keywords.iter().map(|k| k.text))?;
        let implied = implied_patterns(keywords, patterns);
        Ok(Some(KeywordGate { automaton, implied }))
    }

    /// Marks in `active` the patterns whose keywords occur in `hay`.
    ///
    /// The automaton reports the longest keyword at each start, and every keyword inside
    /// it is marked too (`implied`); searching again from the next byte then finds every
    /// keyword present without the slower overlapping search.
    fn mark(&self, hay: &[u8], active: &mut [bool]) {
        let mut missing = active.iter().filter(|a| !**a).count();
        let mut at = 0;
        while missing > 0 {
            let Some(m) = self.automaton.find(Input::new(hay).range(at..)) else {
                break;
            };
            for &pattern in &self.implied[m.pattern().as_usize()] {
                if !active[pattern] {
                    active[pattern] = true;
                    missing -= 1;
                }
            }
            at = m.start() + 1;
        }
    }
}

/// Whether the text at `span` stands alone: not glued to a letter, digit or `_` on either
/// side. Before it, the end of an escape (`%3D`, `\t`, `\u0022`) is a separator, not glue;
/// after it, `-` and a letter or digit is glue (a longer string of the same shape).
pub(crate) fn stands_alone(hay: &[u8], span: &Range<usize>) -> bool {
    !glued_before(&hay[..span.start]) && !glued_after(&hay[span.end..])
}

fn glued_before(before: &[u8]) -> bool {
    let Some(c) = last_char(before) else {
        return false;
    };
    if !is_word(c) {
        return false;
    }
    let n = before.len();
    let hex = |b: &u8| b.is_ascii_hexdigit();
    let percent = n >= 3 && before[n - 3] == b'%' && before[n - 2..].iter().all(hex);
    let escape = n >= 2 && before[n - 2] == b'\\' && b"bfnrt".contains(&before[n - 1]);
    let unicode = n >= 6 && before[n - 6..n - 4] == *b"\\u" && before[n - 4..].iter().all(hex);
    !(percent || escape || unicode)
}

fn glued_after(after: &[u8]) -> bool {
    match first_char(after) {
        Some('-') => first_char(&after[1..]).is_some_and(|c| c.is_alphanumeric()),
        Some(c) => is_word(c),
        None => false,
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The character that `bytes` ends with, if they end with valid UTF-8.
fn last_char(bytes: &[u8]) -> Option<char> {
    let from = bytes.len().saturating_sub(4);
    (from..bytes.len())
        .find_map(|i| std::str::from_utf8(&bytes[i..]).ok())
        .and_then(|s| s.chars().next_back())
}

/// The character that `bytes` start with, if they start with valid UTF-8.
fn first_char(bytes: &[u8]) -> Option<char> {
    let to = bytes.len().min(4);
    (1..=to)
        .find_map(|i| std::str::from_utf8(&bytes[..i]).ok())
        .and_then(|s| s.chars().next())
}

/// The pattern rules of `set`, in pattern-id order.
fn parse_patterns(set: &RuleSet) -> Result<Vec<Parsed<'_>>, RuleError> {
    let mut parsed = Vec::new();
    for (index, rule) in set.rules().iter().enumerate() {
        let Some(pattern) = &rule.pattern else {
            continue;
        };
        // Rule files are checked and compiled as they load: a regex that does not
        // compile never gets here.
        let regex = pattern
            .compiled()
            .ok_or_else(|| compile_error(set, index, "it does not parse".to_string()))?;
        let words: Vec<&str> = pattern
            .keywords
            .iter()
            .map(|k| k.get_ref().as_str())
            .collect();
        // When every match holds a keyword anyway, the regex's own prefilter does the
        // gate's work: skip the extra pass.
        let gated = !words.is_empty() && !keywords_implied(regex.hir(), &words);
        // Each keyword once per pattern, compared as the gate compares (ASCII case
        // folded): a rule file may list the same keyword many times.
        let mut seen = HashSet::new();
        let keywords = words
            .into_iter()
            .filter(|k| gated && seen.insert(k.to_ascii_lowercase()))
            .collect();
        parsed.push(Parsed {
            rule: index,
            regex,
            edge: Edge::of(pattern),
            keywords,
        });
    }
    Ok(parsed)
}

/// One pattern, with the regex its rule file's loading compiled.
fn compile_pattern(p: &Parsed) -> CompiledPattern {
    let single = p.regex.single().clone();
    let secret_group = single.group_info().to_index(PatternID::ZERO, "secret");
    CompiledPattern {
        rule: p.rule,
        single,
        secret_group,
        max_len: p.regex.match_len().1,
        edge: p.edge,
        ungated: p.keywords.is_empty(),
    }
}

/// The first [`decode::FINDER_LITERAL`] bytes every match of `hirs` starts with, when
/// there are few such literals: `None` when a match may start otherwise.
fn first_literals(hirs: &[&Hir]) -> Option<BTreeSet<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut literals = BTreeSet::new();
    for hir in hirs {
        let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
        for literal in prefixes.literals()? {
            let first = literal.as_bytes().get(..decode::FINDER_LITERAL)?;
            literals.insert(first.to_vec());
        }
    }
    (!literals.is_empty() && literals.len() <= MAX_FINDER_LITERALS).then_some(literals)
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
/// compared ASCII case-insensitively as the gate compares. Each pattern's keywords make
/// one automaton, and each keyword is searched once by each, stopping at the first
/// match: linear in the keywords' total length times the number of gated patterns.
/// Comparing every pair was quadratic in the count (40,000 keywords took seconds), and
/// listing every keyword occurrence inside each keyword was cubic in the length of
/// nested ones (`a`, `aa`, `aaa`, … in a 1 MB rule file took 3.6 GB and 16 s).
fn implied_patterns(keywords: &[Keyword], patterns: usize) -> Vec<Vec<usize>> {
    let mut own: Vec<Vec<&str>> = vec![Vec::new(); patterns];
    for k in keywords {
        own[k.pattern].push(k.text);
    }
    let automata: Result<Vec<Option<AhoCorasick>>, _> = own
        .iter()
        .map(|words| {
            let build = || {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(words)
            };
            (!words.is_empty()).then(build).transpose()
        })
        .collect();
    let Ok(automata) = automata else {
        // Too many keywords for an automaton: the gate cannot be built either.
        return keywords.iter().map(|_| Vec::new()).collect();
    };
    keywords
        .iter()
        .map(|outer| {
            (0..patterns)
                .filter(|&p| automata[p].as_ref().is_some_and(|a| a.is_match(outer.text)))
                .collect()
        })
        .collect()
}

/// Whether every match of `regex` starts with a literal that contains one of `keywords`
/// (ASCII case-insensitively), which makes checking for the keywords redundant.
fn keywords_implied(hir: &Hir, keywords: &[&str]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_inside_every_prefix_are_implied() {
        let implied = |regex: &str, keywords: &[&str]| {
            keywords_implied(
                RuleRegex::new(regex).expect("a valid regex").hir(),
                keywords,
            )
        };
        assert!(implied(r"(?-u:\b)pa[0-9]+\.[0-9]", &["pa"]));
        assert!(implied(r"secret_[a-z]+", &["SECRET"]));
        assert!(!implied(r"[a-z]+_secret", &["secret"]));
        assert!(!implied(r"(pa|xy)1", &["pa"]));
    }

    #[test]
    fn standing_alone() {
        let alone = |text: &str| {
            let start = text.find('T').unwrap();
            stands_alone(text.as_bytes(), &(start..start + 1))
        };
        for ok in [
            "T", " T ", "=T;", "%3DT%0A", "\\tT", "\\u003dT", "\"T\"", "T-", "T-\n",
        ] {
            assert!(alone(ok), "{ok:?}");
        }
        for glued in ["xT", "Tx", "éT", "Tö", "_T", "T-A1", "9T", "%3GT"] {
            assert!(!alone(glued), "{glued:?}");
        }
    }

    /// Nested keywords (`a`, `aa`, … 1,400 `a`s: a 1 MB rule file) took 3.6 GB and 16 s:
    /// each keyword listed every occurrence of every keyword inside it. Each keyword's
    /// list now holds its patterns and no more.
    #[test]
    fn nested_keywords_imply_only_their_patterns() {
        let nested: Vec<String> = (1..=300).map(|n| "a".repeat(n)).collect();
        let mut keywords: Vec<Keyword> = nested
            .iter()
            .map(|text| Keyword { text, pattern: 0 })
            .collect();
        keywords.push(Keyword {
            text: "b",
            pattern: 1,
        });
        let implied = implied_patterns(&keywords, 2);
        assert_eq!(implied.len(), keywords.len());
        assert!(implied[..300].iter().all(|p| p == &[0]));
        assert_eq!(implied[300], [1]);
        // What a list holds, not what it once held: the old lists kept room for every
        // occurrence (45,150 in the 300th keyword).
        let room: Vec<usize> = implied.iter().map(Vec::capacity).collect();
        assert!(room.iter().all(|&n| n <= 4), "{:?}", &room[290..]);
    }

    #[test]
    fn gate_finds_keywords_hidden_inside_longer_ones() {
        let keywords = [("pass", 0), ("as", 1)].map(|(text, pattern)| Keyword { text, pattern });
        let implied = implied_patterns(&keywords, 2);
        assert_eq!(implied, vec![vec![0, 1], vec![1]]);
    }

    #[test]
    fn the_builtin_rules_tell_where_base64_may_hold_a_match() {
        let set = RuleSet::load(&[]).expect("the built-in rules");
        let matcher = Matcher::new(&set).expect("they compile");
        assert!(matcher.base64_finder.is_some());
        // A match that may start anywhere, or with too short a literal: no finder.
        for regex in [r"[A-Z]{20}", r"(?:ab|cde)", r"x*"] {
            let regex = RuleRegex::new(regex).expect("a valid regex");
            assert!(first_literals(&[regex.hir()]).is_none(), "{regex:?}");
        }
        let regex = RuleRegex::new(r"pa[0-9]\.[0-9]").expect("a valid regex");
        let literals = first_literals(&[regex.hir()]).expect("literals");
        assert_eq!(literals.len(), 10);
    }

    /// The lead bytes are used only where every match is short: a miss, an anchored search
    /// that may run as far as the longest match, then costs little.
    #[test]
    fn only_short_matches_are_searched_for_behind_the_lead_bytes() {
        if !cfg!(target_arch = "x86_64") {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let matcher = |dirs: &[&str]| {
            let dirs: Vec<_> = dirs.iter().map(|d| fixtures.join(d)).collect();
            Matcher::new(&RuleSet::load(&dirs).expect("the rules")).expect("they compile")
        };
        assert!(matcher(&[]).lead.is_some());
        assert!(matcher(&["lead-rules"]).lead.is_some());
        // A rule whose matches are unbounded, or may be longer than a miss may cost,
        // whatever its first bytes.
        assert!(matcher(&["unbounded-rule"]).lead.is_none());
        let dir = tempfile::tempdir().expect("a temporary directory");
        let rule = std::fs::read_to_string(fixtures.join("lead-rules/ra-short.toml"))
            .expect("the short rule")
            .replace(r"\bra[0-9]\b", r"\bra[0-9][a-z]{0,300}\b");
        std::fs::write(dir.path().join("ra-long.toml"), rule).expect("written");
        let set = RuleSet::load(&[dir.path().to_path_buf()]).expect("the rules");
        assert!(Matcher::new(&set).expect("they compile").lead.is_none());
    }
}
