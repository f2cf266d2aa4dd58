//! One file in, findings out. The scanner is pure: it never touches the file system, so
//! the walker, standard input and the rule-example tests all feed it the same way.
//!
//! A file's bytes become one text view (UTF-16 files are decoded first). The pattern rules
//! run over that view, and again over every base64 run in it, decoded. Each match is then
//! placed at its line and column in the view, where the encoded text stands.

pub(crate) mod decode;
mod examples;
mod lead;
mod locate;
mod matcher;
pub(crate) mod stream;

use std::ops::Range;

use crate::finding::{Encoding, Finding, Place, Position, Snippet};
use crate::rules::{RuleError, RuleSet, Severity};
use crate::token::Secret;
pub use examples::{check_examples, ExampleFailure};
pub(crate) use locate::Origin;
use matcher::{Carried, MatchScratch, Matcher, RawMatch};
use stream::WindowCursor;

/// Bytes examined for a NUL to call a file binary, as git and ripgrep do.
pub(crate) const BINARY_SNIFF: usize = 8192;

/// Base64 runs shorter than this are not decoded, whatever the rules' shortest match.
const MIN_BASE64_RUN: usize = 16;

/// Percent-encoded runs shorter than this are not decoded: sampling finds longer ones.
const MIN_PERCENT_RUN: usize = 64;

/// Views larger than this are scanned block by block.
const BLOCK: usize = 1 << 16;

/// Base64 runs up to this long are also decoded from their 2nd, 3rd and 4th character.
const MAX_REALIGNED_RUN: usize = 4096;

/// Decoded bytes around where a match may start in a long base64 run, decoded with it: on
/// either side, more than a rule's regex and its `boundary` look at.
const SLICE_MARGIN: usize = 16;

/// A long base64 run is decoded in slices around its finder's needles only while they
/// are at least this many characters apart on average.
const MIN_CHARS_PER_NEEDLE: usize = 128;

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
    /// For the view; the decoded base64 runs have their own, since the view's is still in
    /// use while they are searched.
    matches: MatchScratch,
    decoded_matches: MatchScratch,
    raw: Vec<RawMatch>,
    decoded: Vec<u8>,
    /// The characters of a wrapped base64 run, without its line breaks and indentation.
    joined: Vec<u8>,
    /// Where matches may start in a long base64 run's decoded bytes.
    starts: Vec<usize>,
    /// The slices of a base64 run's characters to decode.
    slices: Vec<Range<usize>>,
}

/// A base64 run's characters, joined when the run is wrapped over several lines.
struct Run<'a> {
    text: &'a [u8],
    pieces: &'a [Range<usize>],
}

impl<'a> Run<'a> {
    /// The run of `pieces` of `view`, joined in `joined` when there is more than one.
    fn new(view: &'a [u8], pieces: &'a [Range<usize>], joined: &'a mut Vec<u8>) -> Run<'a> {
        let text = match pieces {
            [one] => &view[one.clone()],
            _ => {
                joined.clear();
                for piece in pieces {
                    joined.extend_from_slice(&view[piece.clone()]);
                }
                &joined[..]
            }
        };
        Run { text, pieces }
    }

    /// Where characters `chars` of the run stand in `view`, and, when `padded`, the
    /// padding after them when they end the run.
    fn span(&self, view: &[u8], chars: Range<usize>, padded: bool) -> Range<usize> {
        let chars = chars.start..chars.end.min(self.text.len());
        let start = self.offset(chars.start);
        let mut end = self.offset(chars.end.max(chars.start + 1) - 1) + 1;
        if padded && chars.end == self.text.len() {
            // The padding belongs to the encoded secret.
            end += view[end..]
                .iter()
                .take(2)
                .take_while(|&&b| b == b'=')
                .count();
        }
        start..end
    }

    /// Where the run's character `i` stands in the view.
    fn offset(&self, mut i: usize) -> usize {
        for piece in self.pieces {
            if i < piece.len() {
                return piece.start + i;
            }
            i -= piece.len();
        }
        self.pieces[self.pieces.len() - 1].end
    }
}

/// A part of a view of a file, scanned on its own: one of the overlapping windows of a file
/// too large to hold whole, or the whole view.
pub(crate) struct Part<'a> {
    pub(crate) bytes: &'a [u8],
    /// Where the matches start that are this part's own; the rest are another part's.
    pub(crate) keep: Range<usize>,
    /// The line and column of the first byte.
    pub(crate) origin: Origin,
    /// The encoding of a decoded view; `None` for the file's bytes.
    pub(crate) outer: Option<Encoding>,
    /// The file is binary: its findings get no snippet.
    pub(crate) binary: bool,
    /// What stands at its start, for wrapped base64 runs.
    pub(crate) start: decode::ViewStart<'a>,
}

impl<'a> Part<'a> {
    /// A whole view. Decoded text is text; raw bytes are binary when they hold a NUL early on.
    pub(crate) fn whole(bytes: &'a [u8], outer: Option<Encoding>) -> Part<'a> {
        Part {
            bytes,
            keep: 0..usize::MAX,
            origin: Origin::START,
            outer,
            binary: outer.is_none() && is_binary(bytes),
            start: decode::ViewStart::Line,
        }
    }
}

/// Where base64 sampling of a part stands, from one block to the next.
#[derive(Clone, Copy)]
struct Sampling {
    /// Where the next block's sampling starts.
    next: usize,
    /// How much of a base64 run that goes on at the part's start lies before it.
    run_before: usize,
}

/// A match of a pattern rule, placed in its file: what the scanner hands out, and what
/// [`Scanner::finding`] makes a finding of.
#[derive(Clone, Debug)]
pub(crate) struct Match {
    /// The rule's index among the scanner's rules.
    pub(crate) rule: usize,
    /// The match's bytes in the view: `None` in a decoded view (UTF-16), whose offsets
    /// are not the file's.
    pub(crate) span: Option<Range<usize>>,
    pub(crate) position: Position,
    pub(crate) secret: Secret,
    /// How the secret was written, outermost layer first.
    pub(crate) encoding: Vec<Encoding>,
    /// The redacted line; `None` in a binary file.
    pub(crate) snippet: Option<Snippet>,
}

/// A match placed in the view, before it has a line and column.
struct Hit {
    /// A finding, rather than a match glued into longer text, which is only masked.
    report: bool,
    pattern: usize,
    span: Range<usize>,
    secret: Secret,
    encoding: Vec<Encoding>,
}

impl Scanner {
    pub fn new(set: &RuleSet, redact: bool) -> Result<Scanner, RuleError> {
        let matcher = Matcher::new(set)?;
        let rules = matcher
            .rules()
            .map(|i| {
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

    /// The scanner, decoding every long base64 run whole rather than only where a match
    /// may start: what the property tests and fuzzing compare it with.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn decoding_runs_whole(mut self) -> Scanner {
        self.matcher.base64_finder = None;
        self
    }

    /// The scanner, its combined regex searching on its own rather than behind the lead
    /// bytes: what the property tests compare it with.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn searching_without_lead_bytes(mut self) -> Scanner {
        self.matcher.lead = None;
        self
    }

    /// Whether the combined regex searches behind the lead bytes.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn searches_behind_lead_bytes(&self) -> bool {
        self.matcher.lead.is_some()
    }

    /// Whether long base64 runs are decoded only where a match may start.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn decodes_runs_in_slices(&self) -> bool {
        self.matcher.base64_finder.is_some()
    }

    /// Every finding in `data`, the content of the file shown as `path`, in order, as
    /// [`Scanner::finding`] makes them: not yet finished by a checker, so without a
    /// fingerprint or a suppression.
    pub fn scan(&self, path: &str, data: &[u8], scratch: &mut Scratch) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.scan_each(data, scratch, &mut |m| {
            findings.push(self.finding(path, m));
        });
        findings
    }

    /// Hands every match in `data`, the content of a file, to `emit` one at a time, in
    /// order: a caller that caps a file's findings never holds those it drops.
    pub(crate) fn scan_each(
        &self,
        data: &[u8],
        scratch: &mut Scratch,
        emit: &mut dyn FnMut(Match),
    ) {
        let Some((text, encoding)) = decode::decoded_text(data) else {
            return self.scan_part(&Part::whole(data, None), None, scratch, emit);
        };
        let part = Part::whole(text.as_bytes(), Some(encoding));
        self.scan_part(&part, None, scratch, emit);
        // A binary file may start with a byte-order mark by chance: its bytes count too.
        if is_binary(data) {
            self.scan_part(&Part::whole(data, None), None, scratch, emit);
        }
    }

    /// The matches of one part of one view of a file (its bytes, or its decoded text)
    /// that start in `part.keep`, handed to `emit`. Their spans are offsets in
    /// `part.bytes`.
    pub(crate) fn scan_part(
        &self,
        part: &Part,
        window: Option<&mut WindowCursor>,
        scratch: &mut Scratch,
        emit: &mut dyn FnMut(Match),
    ) {
        let mut hits = self.hits(part, window, scratch);
        if !hits.iter().any(|h| h.report) {
            return;
        }
        // Of two hits alike, the one reported comes first and stays.
        hits.sort_by_key(|h| (h.span.start, h.pattern, h.span.end, !h.report));
        hits.dedup_by_key(|h| (h.span.start, h.pattern, h.span.end));
        self.matches(part, hits, emit);
    }

    /// Matches in the part and in the base64 runs in it. A large part is taken block by
    /// block, each searched by the regex and then sampled for base64 while it is still in
    /// the CPU cache. The regex looks for matches that start in the part's `keep` only;
    /// the base64 runs are found in the whole part, since their start sets their phase.
    fn hits(
        &self,
        part: &Part,
        window: Option<&mut WindowCursor>,
        scratch: &mut Scratch,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let gated_in = self.gate(part.bytes, window.as_deref(), &mut scratch.matches);
        let mut sampling = Sampling {
            next: 0,
            run_before: window.as_ref().map_or(0, |w| w.run_before()),
        };
        for block in self.blocks(part.bytes.len()) {
            if gated_in {
                self.regex_hits(part, block.clone(), scratch, &mut hits);
            }
            self.sample_base64(part, block.end, &mut sampling, scratch, &mut hits);
        }
        if let Some(w) = window {
            w.carry(self.matcher.next_starts(&scratch.matches));
            if gated_in {
                self.neighbours(part, w, scratch, &mut hits);
            }
        }
        hits
    }

    /// The keyword gate: readies `matches` for searching `view`, a window going on from
    /// the windows before it or a whole view; false when no pattern can match in it.
    fn gate(&self, view: &[u8], window: Option<&WindowCursor>, matches: &mut MatchScratch) -> bool {
        match window {
            None => self.matcher.gate(view, matches),
            Some(w) => self.matcher.resume(view, w.carried(), matches),
        }
    }

    /// The blocks a view of `len` bytes is searched in. A block's matches may end up to
    /// [`Scanner::reach`] after it, so only rules with bounded matches allow blocks.
    fn blocks(&self, len: usize) -> impl Iterator<Item = Range<usize>> {
        let block = match self.matcher.max_match_len {
            Some(_) => BLOCK,
            None => len.max(1),
        };
        (0..len)
            .step_by(block)
            .map(move |start| start..(start + block).min(len))
    }

    /// How far past the end of a block the matches that start in it may reach.
    fn reach(&self) -> usize {
        self.matcher.max_match_len.unwrap_or(0)
    }

    /// The regex's matches that start in `block` and in the part's `keep`.
    fn regex_hits(
        &self,
        part: &Part,
        block: Range<usize>,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let view = part.bytes;
        let starts = block.start.max(part.keep.start)..block.end.min(part.keep.end);
        if starts.is_empty() {
            return;
        }
        let limit = (starts.end + self.reach()).min(view.len());
        let Scratch { matches, raw, .. } = scratch;
        self.matcher
            .find_starting_in(view, starts, limit, matches, raw);
        hits.extend(raw.drain(..).map(|m| hit(&m, view, part.outer, None)));
    }

    /// Base64 sampling: the matches in the base64 runs with a sample point in the part
    /// before `end` that the blocks before did not sample.
    fn sample_base64(
        &self,
        part: &Part,
        end: usize,
        sampling: &mut Sampling,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let Sampling { next, run_before } = *sampling;
        let min = decode::MinRuns {
            base64: self.min_base64_run,
            // A secret of n bytes is 3n characters percent-encoded.
            percent: self
                .matcher
                .min_match_len
                .saturating_mul(3)
                .max(MIN_PERCENT_RUN),
        };
        sampling.next =
            decode::encoded_runs(part.bytes, next..end, min, part.start, |run| match run {
                decode::Found::Base64(pieces) => {
                    // A run that goes on from before the window is as long as all of it.
                    let before = if pieces[0].start == 0 { run_before } else { 0 };
                    self.base64_hits(part, pieces, before, scratch, hits);
                }
                decode::Found::Percent(run) => self.percent_hits(part, run, scratch, hits),
            });
    }

    /// Matches just outside a window's `keep`, found by the windows beside it: not this
    /// window's findings, but its snippets near either end must mask them.
    fn neighbours(
        &self,
        part: &Part,
        window: &WindowCursor,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let view = part.bytes;
        let overlap = self.reach();
        // A snippet shows this much of the line on either side of its finding, widened
        // over any secret it touches.
        let reach = locate::CONTEXT + overlap + 1;
        let before = part.keep.start.saturating_sub(reach)..part.keep.start;
        let after =
            part.keep.end.min(view.len())..part.keep.end.saturating_add(reach).min(view.len());
        // The view's scratch still holds the chains this window carries: use another.
        let Scratch {
            decoded_matches: matches,
            raw,
            ..
        } = scratch;
        let fresh = Carried {
            chain: &[],
            ..window.carried()
        };
        for starts in [before, after] {
            if starts.is_empty() {
                continue;
            }
            let limit = (starts.end + overlap).min(view.len());
            self.matcher.resume(view, fresh, matches);
            self.matcher
                .find_starting_in(view, starts, limit, matches, raw);
            hits.extend(raw.drain(..).map(|m| Hit {
                report: false,
                ..hit(&m, view, part.outer, None)
            }));
        }
    }

    /// Matches in one base64 run of the part, placed where their encoded text stands: the
    /// run is `pieces` of the part, one or the lines of a wrapped run. `before` is how much
    /// of the run lies before the part.
    fn base64_hits(
        &self,
        part: &Part,
        pieces: &[Range<usize>],
        before: usize,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let view = part.bytes;
        // Taken out of the scratch while the run borrows it, and put back.
        let mut joined = std::mem::take(&mut scratch.joined);
        let mut slices = std::mem::take(&mut scratch.slices);
        let run = Run::new(view, pieces, &mut joined);
        self.slices_to_decode(&run, before, scratch, &mut slices);
        let Scratch {
            decoded_matches: matches,
            raw,
            decoded,
            ..
        } = &mut *scratch;
        for chars in slices.drain(..) {
            decode::base64_decode(&run.text[chars.clone()], decoded);
            self.matcher.find_all(decoded, matches, raw);
            // A glued match in decoded text never shows in a snippet: the encoded text does.
            for m in raw.drain(..).filter(|m| m.alone) {
                let enc = decode::base64_encoded_span(&m.span);
                let mut h = hit(&m, decoded, part.outer, Some(Encoding::Base64));
                h.span = run.span(view, chars.start + enc.start..chars.start + enc.end, true);
                hits.push(h);
            }
        }
        scratch.slices = slices;
        self.hex_hits(part, &run, scratch, hits);
        scratch.joined = joined;
    }

    /// The slices of a base64 run's characters to decode and search, into `slices`. The
    /// secret may start at any byte of the decoded text, but decoding must start on a
    /// quantum boundary. A run's start usually is one; for short runs, which may have
    /// base64-like text glued before them, the others are tried too. A long run is
    /// decoded from its start, and only around where a match may start, when the
    /// matcher can tell where that is.
    fn slices_to_decode(
        &self,
        run: &Run,
        before: usize,
        scratch: &mut Scratch,
        slices: &mut Vec<Range<usize>>,
    ) {
        let len = run.text.len();
        slices.clear();
        let pieces = run.pieces;
        let span = pieces[0].start..pieces[pieces.len() - 1].end;
        if span.len() + before <= MAX_REALIGNED_RUN {
            slices.extend((0..4.min(len)).map(|skip| skip..len));
            return;
        }
        let (Some(finder), Some(longest)) =
            (&self.matcher.base64_finder, self.matcher.max_match_len)
        else {
            slices.push(0..len);
            return;
        };
        // Needles more often than this and the slices would cover most of the run: it is
        // decoded whole, as fast, and a run crafted of needles costs no more than that.
        let limit = len / MIN_CHARS_PER_NEEDLE;
        if !finder.starts(run.text, limit, &mut scratch.starts) {
            slices.push(0..len);
            return;
        }
        for &start in &scratch.starts {
            // Characters, from a quantum's start, around the bytes a match there may take,
            // with room for what its rule checks beside it.
            let from = start.saturating_sub(SLICE_MARGIN) / 3 * 4;
            let to = (start + longest + SLICE_MARGIN).div_ceil(3) * 4;
            let to = to.min(len);
            match slices.last_mut() {
                // Overlapping slices are one, so that a match is searched for as in the
                // whole decoded run, after the matches before it.
                Some(last) if from <= last.end => last.end = last.end.max(to),
                _ => slices.push(from..to),
            }
        }
    }

    /// Matches in a run of percent-encoded bytes, every byte written `%` and two digits.
    fn percent_hits(
        &self,
        part: &Part,
        run: Range<usize>,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let Scratch {
            decoded_matches: matches,
            raw,
            decoded,
            ..
        } = scratch;
        decode::percent_decode(&part.bytes[run.clone()], decoded);
        self.matcher.find_all(decoded, matches, raw);
        for m in raw.drain(..).filter(|m| m.alone) {
            let mut h = hit(&m, decoded, part.outer, Some(Encoding::PercentEncoded));
            h.span = run.start + 3 * m.span.start..run.start + 3 * m.span.end;
            hits.push(h);
        }
    }

    /// Matches in the runs of hex digits in a base64 run (`xxd -p`, SQL `X'…'`), decoded
    /// from either digit, placed where their digits stand.
    fn hex_hits(&self, part: &Part, run: &Run, scratch: &mut Scratch, hits: &mut Vec<Hit>) {
        let Scratch {
            decoded_matches: matches,
            raw,
            decoded,
            ..
        } = scratch;
        // A secret of n bytes is 2n digits.
        let min = self.matcher.min_match_len.saturating_mul(2);
        decode::hex_runs(run.text, min, |digits| {
            for skip in 0..2 {
                let start = digits.start + skip;
                decode::hex_decode(&run.text[start..digits.end], decoded);
                self.matcher.find_all(decoded, matches, raw);
                for m in raw.drain(..).filter(|m| m.alone) {
                    let mut h = hit(&m, decoded, part.outer, Some(Encoding::Hex));
                    let chars = start + 2 * m.span.start..start + 2 * m.span.end;
                    h.span = run.span(part.bytes, chars, false);
                    hits.push(h);
                }
            }
        });
    }

    /// The matches for the hits that start in the part's `keep` and are reported, handed
    /// to `emit` one by one. Every hit, kept or not, reported or glued into longer text,
    /// is masked in the snippets.
    fn matches(&self, part: &Part, hits: Vec<Hit>, emit: &mut dyn FnMut(Match)) {
        let view = part.bytes;
        let decoded = part.outer.is_some();
        let redacted: Vec<(Range<usize>, String)> = hits
            .iter()
            .map(|h| (h.span.clone(), self.shown(&h.secret)))
            .collect();
        let masks = locate::Masks::new(redacted.iter().cloned());
        let mut locator = locate::Locator::continuing(view, part.origin);
        let kept = hits
            .into_iter()
            .filter(|h| h.report && part.keep.contains(&h.span.start));
        for h in kept {
            let position = position(&mut locator, &h.span);
            let snippet = (!part.binary).then(|| locate::snippet(view, &h.span, &masks));
            emit(Match {
                rule: h.pattern,
                span: (!decoded).then_some(h.span),
                position,
                secret: h.secret,
                encoding: h.encoding,
                snippet,
            });
        }
    }

    /// The finding of match `m` in the file shown as `path`, with its rule's message; a
    /// match without a snippet is in a binary file, and its message says so.
    pub(crate) fn finding(&self, path: &str, m: Match) -> Finding {
        let rule = &self.rules[m.rule];
        let mut message = message(&rule.message, &self.shown(&m.secret), &m.encoding);
        if m.snippet.is_none() {
            message.push_str(" (binary file)");
        }
        let place = Place {
            position: m.position,
            span: m.span,
            snippet: m.snippet,
        };
        Finding::new(&rule.id, rule.severity, path, message)
            .about(Some(m.secret), m.encoding)
            .at(place)
    }
}

/// Where `span` stands, by a locator that has not passed its start.
fn position(locator: &mut locate::Locator, span: &Range<usize>) -> Position {
    let (line, column) = locator.locate(span.start);
    let (end_line, end_column) = locator.locate(span.end);
    Position {
        line,
        column,
        end_line,
        end_column,
    }
}

/// A hit for match `m` of `hay`, whose encodings are `outer`, then `layer`, then whatever
/// escaping the matched text itself shows.
fn hit(m: &RawMatch, hay: &[u8], outer: Option<Encoding>, layer: Option<Encoding>) -> Hit {
    let escaped = escaping(&hay[m.span.clone()]);
    let mut encoding: Vec<Encoding> = [outer, layer, escaped].into_iter().flatten().collect();
    if encoding.is_empty() {
        encoding.push(Encoding::Plain);
    }
    Hit {
        report: m.alone,
        pattern: m.pattern,
        span: m.span.clone(),
        secret: Secret::from_match(&hay[m.secret.clone()]),
        encoding,
    }
}

/// How matched text escapes a `/` (see `token::ESCAPED_SLASH`), if it does.
fn escaping(text: &[u8]) -> Option<Encoding> {
    let has = |needle: &[u8]| memchr::memmem::find(text, needle).is_some();
    let ci = |needle: &[u8]| {
        text.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    if has(b"\\/") || ci(b"\\u002f") {
        Some(Encoding::JsonEscaped)
    } else if ci(b"%2f") || ci(b"%252f") {
        Some(Encoding::PercentEncoded)
    } else if ci(b"&#x2f;") || has(b"&#47;") || has(b"&sol;") {
        Some(Encoding::HtmlEscaped)
    } else {
        None
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

/// A rule's message for one finding, saying how the secret was encoded if it was.
fn message(template: &str, shown: &str, encoding: &[Encoding]) -> String {
    let mut message = crate::rules::fill(template, &[("secret", shown)]);
    let layers: Vec<&str> = encoding
        .iter()
        .filter(|e| **e != Encoding::Plain)
        .map(|e| e.describe())
        .collect();
    if !layers.is_empty() {
        message.push_str(&format!(" ({})", layers.join(", ")));
    }
    message
}

/// Where `span` of a text stands, and its line with `secrets` masked: for findings made
/// outside the scanner, such as those of token files.
pub(crate) fn place(text: &[u8], span: &Range<usize>, secrets: &[(Range<usize>, String)]) -> Place {
    let position = position(&mut locate::Locator::new(text), span);
    let snippet = locate::snippet(text, span, &locate::Masks::new(secrets.iter().cloned()));
    Place {
        position,
        span: Some(span.clone()),
        snippet: Some(snippet),
    }
}

pub(crate) fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_SNIFF)]).is_some()
}
