//! Decoders that turn encoded text back into something the rules can match: UTF-16 files
//! (by their byte-order mark) and base64 runs inside any text. (Escaped slashes, `\/` and
//! `%2F`, are simple enough that the rule regexes match them directly.)
//!
//! Finding base64 must not cost a pass over every byte. A run long enough to hold a
//! secret holds a whole window of 16 bytes (32 where the CPU has AVX2 and runs must be at
//! least [`MIN_WIDE_RUN`] long) that starts at a sample point, when sample points are at
//! most `stride` apart: only there do we look closer. A wrapped run is one
//! stretch of such windows too, line breaks and indentation included ([`Masks::run_at`]),
//! so its lines need not be long for sampling to stay sparse.

use std::ops::Range;

use crate::finding::Encoding;

/// The text of a UTF-16 or UTF-32 file ([`text_encoding`]), as UTF-8; `None` for other
/// files. Unpaired surrogates and invalid code points become U+FFFD.
pub(crate) fn decoded_text(data: &[u8]) -> Option<(String, Encoding)> {
    let TextEncoding { encoding, bom } = text_encoding(data)?;
    let mut text = Vec::with_capacity(data.len());
    TextDecoder::new(encoding).decode(&data[bom..], true, &mut text);
    let text = String::from_utf8(text).expect("decoded text is UTF-8");
    Some((text, encoding))
}

/// How a file's bytes are decoded to text: the encoding, and how long its byte-order mark
/// is (0 when it has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TextEncoding {
    pub(crate) encoding: Encoding,
    pub(crate) bom: usize,
}

/// How a file whose first bytes are `first` (its first [`super::BINARY_SNIFF`] bytes at
/// least, or all of it) is decoded to text, if it is: UTF-32 or UTF-16 by its byte-order
/// mark, or UTF-16 without one by the pattern of its zero bytes.
pub(crate) fn text_encoding(first: &[u8]) -> Option<TextEncoding> {
    let (encoding, bom) = match first {
        // UTF-32LE's mark starts with UTF-16LE's: look for it first.
        [0xFF, 0xFE, 0, 0, ..] => (Encoding::Utf32le, 4),
        [0, 0, 0xFE, 0xFF, ..] => (Encoding::Utf32be, 4),
        [0xFF, 0xFE, ..] => (Encoding::Utf16le, 2),
        [0xFE, 0xFF, ..] => (Encoding::Utf16be, 2),
        _ => (utf16_by_zeros(first)?, 0),
    };
    Some(TextEncoding { encoding, bom })
}

/// UTF-16 without a byte-order mark, told by its zero bytes (as kingfisher and chardet
/// tell it): text mostly in ASCII or Latin-1 has a zero in the high byte of nearly every
/// code unit, and nearly never in the low one.
fn utf16_by_zeros(first: &[u8]) -> Option<Encoding> {
    let first = &first[..first.len().min(super::BINARY_SNIFF)];
    let units = first.len() / 2;
    // Most files are told at once: mostly-ASCII UTF-16 has a zero among its first units.
    let head = &first[..first.len().min(2 * MIN_UTF16_UNITS)];
    if units < MIN_UTF16_UNITS || memchr::memchr(0, head).is_none() {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for unit in first[..2 * units].chunks_exact(2) {
        even += usize::from(unit[0] == 0);
        odd += usize::from(unit[1] == 0);
    }
    // Zero in at least 3 units of 4 on one side, at most 1 of 16 on the other.
    let mostly = |zeros: usize| 4 * zeros >= 3 * units;
    let rarely = |zeros: usize| 16 * zeros <= units;
    if mostly(odd) && rarely(even) {
        Some(Encoding::Utf16le)
    } else if mostly(even) && rarely(odd) {
        Some(Encoding::Utf16be)
    } else {
        None
    }
}

/// Code units a file needs for its zero bytes to say it is UTF-16.
const MIN_UTF16_UNITS: usize = 16;

/// Decodes UTF-16 or UTF-32 to UTF-8 piece by piece: a code unit or a surrogate pair split
/// between two pieces is decoded whole. Unpaired surrogates and invalid code points become
/// U+FFFD; an incomplete last code unit is dropped.
pub(crate) struct TextDecoder {
    encoding: Encoding,
    /// Bytes of the previous piece not decoded yet.
    pending: Vec<u8>,
}

impl TextDecoder {
    pub(crate) fn new(encoding: Encoding) -> TextDecoder {
        TextDecoder {
            encoding,
            pending: Vec::new(),
        }
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Appends the text of `piece` to `out`; `last` for the last piece.
    pub(crate) fn decode(&mut self, piece: &[u8], last: bool, out: &mut Vec<u8>) {
        let joined;
        let bytes = if self.pending.is_empty() {
            piece
        } else {
            self.pending.extend_from_slice(piece);
            joined = std::mem::take(&mut self.pending);
            &joined[..]
        };
        let whole = match self.encoding {
            Encoding::Utf32le | Encoding::Utf32be => self.utf32(bytes, out),
            _ => self.utf16(bytes, last, out),
        };
        if !last {
            self.pending = bytes[whole..].to_vec();
        }
    }

    /// Decodes the UTF-16 code units of `bytes`, but a high surrogate at the end unless
    /// `last`; returns how many bytes it decoded.
    fn utf16(&self, bytes: &[u8], last: bool, out: &mut Vec<u8>) -> usize {
        let unit = |pair: &[u8]| {
            let pair = [pair[0], pair[1]];
            match self.encoding {
                Encoding::Utf16le => u16::from_le_bytes(pair),
                _ => u16::from_be_bytes(pair),
            }
        };
        let mut whole = bytes.len() / 2 * 2;
        // A high surrogate at the end waits for its pair in the next piece.
        if !last && whole >= 2 && (0xD800..0xDC00).contains(&unit(&bytes[whole - 2..whole])) {
            whole -= 2;
        }
        let units = bytes[..whole].chunks_exact(2).map(unit);
        let chars = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER));
        push_chars(chars, out);
        whole
    }

    /// Decodes the UTF-32 code units of `bytes`; returns how many bytes it decoded.
    fn utf32(&self, bytes: &[u8], out: &mut Vec<u8>) -> usize {
        let whole = bytes.len() / 4 * 4;
        let chars = bytes[..whole].chunks_exact(4).map(|quad| {
            let quad = [quad[0], quad[1], quad[2], quad[3]];
            let unit = match self.encoding {
                Encoding::Utf32le => u32::from_le_bytes(quad),
                _ => u32::from_be_bytes(quad),
            };
            char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
        });
        push_chars(chars, out);
        whole
    }
}

/// Appends `chars` to `out` as UTF-8.
fn push_chars(chars: impl Iterator<Item = char>, out: &mut Vec<u8>) {
    let mut utf8 = [0u8; 4];
    for c in chars {
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// The value of a base64 character (the standard or the url-safe alphabet), or `INVALID`.
const INVALID: u8 = 0xFF;
static BASE64: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    // The url-safe alphabet's two characters: a run may be written in either alphabet.
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

pub(crate) fn is_base64(b: u8) -> bool {
    BASE64[b as usize] != INVALID
}

/// Bytes checked at each sample point, all at once: a window.
const WINDOW: usize = 16;

/// A wider window, for runs at least this long on CPUs that classify it in one step
/// (AVX2). Sample points lie further apart, and the many pieces of 16 to 31 characters
/// (ids, hashes, words joined by `_`) no longer fill a window.
const WIDE: usize = 32;

/// Runs at least this long may be sampled in windows of [`WIDE`] bytes. Sampling goes on one
/// byte past a percent-encoded run, whose last two hex digits may start a base64 run glued
/// to it: 3 of that run's characters lie before the next sample point.
pub(crate) const MIN_WIDE_RUN: usize = WIDE + 3;

/// Every line of a wrapped run but its last holds at least this many characters (`xxd -p`
/// wraps at 60, PEM at 64, MIME and GNU `base64` at 76), so that short lines of words are
/// not read as one run, and a token's encoded text spans few lines.
pub(crate) const MIN_WRAPPED_LINE: usize = 60;

/// Indentation deeper than this does not continue a wrapped run.
pub(crate) const MAX_INDENT: usize = 64;

/// What stands at the start of a view, for the lines of wrapped runs.
#[derive(Clone, Copy)]
pub(crate) enum ViewStart<'a> {
    /// The start of a file: a line starts there.
    Line,
    /// Somewhere in a line (a window of a large file); when a wrapped run goes on there,
    /// what its line is.
    Inside(Option<&'a WrappedLine>),
}

/// A line of a wrapped run that a window starts inside: what the window cannot see of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WrappedLine {
    /// The line's indentation, which the next lines repeat.
    pub(crate) indent: Vec<u8>,
    /// The run goes on to the next line.
    pub(crate) goes_on: bool,
}

/// One line of a wrapped run.
struct Line<'a> {
    indent: &'a [u8],
    /// Where the line starts, its indentation included; `None` when before the view.
    start: Option<usize>,
    /// Its base64 characters.
    piece: Range<usize>,
    /// Where the next line starts; `None` at the end of the view.
    next: Option<usize>,
    /// The run goes on to the next line: this line is long enough and has no padding.
    goes_on: bool,
}

/// An encoded run that [`encoded_runs`] finds.
pub(crate) enum Found<'p> {
    /// A base64 run, as its pieces: one maximal run of base64 characters, or the lines of
    /// a wrapped run.
    Base64(&'p [Range<usize>]),
    /// A run of percent-encoded bytes (`%70%61…`), every byte written `%` and two hex
    /// digits.
    Percent(Range<usize>),
}

/// How long encoded runs must be to be worth decoding.
#[derive(Clone, Copy)]
pub(crate) struct MinRuns {
    /// Base64 characters (at least 16).
    pub(crate) base64: usize,
    /// Bytes of percent-encoded text (at least 18).
    pub(crate) percent: usize,
}

/// Calls `f` with every encoded run in `hay` at least as long as `min` says that has a
/// sample point in `samples`. Returns where the next call should start sampling, so that
/// a caller can sample `hay` block by block.
///
/// A base64 run is wrapped when it goes on over lines of the same indentation (`\n` or
/// `\r\n` between them), each line all base64 characters after its indentation, every
/// line but the last at least [`MIN_WRAPPED_LINE`] long and without padding.
pub(crate) fn encoded_runs(
    hay: &[u8],
    samples: Range<usize>,
    min: MinRuns,
    view_start: ViewStart,
    f: impl FnMut(Found),
) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        if samples_wide(min) {
            // SAFETY: the CPU has AVX2.
            return unsafe { encoded_runs_avx2(hay, samples, min, view_start, f) };
        }
        if std::arch::is_x86_feature_detected!("ssse3") {
            // SAFETY: the CPU has SSSE3.
            return unsafe { encoded_runs_ssse3(hay, samples, min, view_start, f) };
        }
    }
    encoded_runs_by::<Compares, WINDOW>(hay, samples, min, view_start, f)
}

/// Whether [`encoded_runs`] samples runs at least as long as `min` says in windows of
/// [`WIDE`] bytes on this CPU.
pub(crate) fn samples_wide(min: MinRuns) -> bool {
    #[cfg(target_arch = "x86_64")]
    return min.base64 >= MIN_WIDE_RUN && std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = min;
        false
    }
}

/// [`encoded_runs`] compiled for AVX2, with windows of [`WIDE`] bytes classified at once.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn encoded_runs_avx2(
    hay: &[u8],
    samples: Range<usize>,
    min: MinRuns,
    view_start: ViewStart,
    f: impl FnMut(Found),
) -> usize {
    encoded_runs_by::<WideNibbles, WIDE>(hay, samples, min, view_start, f)
}

/// [`encoded_runs`] compiled for SSSE3, whose byte shuffle classifies a window's bytes in
/// half the instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
unsafe fn encoded_runs_ssse3(
    hay: &[u8],
    samples: Range<usize>,
    min: MinRuns,
    view_start: ViewStart,
    f: impl FnMut(Found),
) -> usize {
    encoded_runs_by::<Nibbles, WINDOW>(hay, samples, min, view_start, f)
}

/// [`encoded_runs`], with sample windows of `W` bytes (16 or 32) classified by `C`
/// ([`Compares`] is what a CPU without SSSE3 runs). Windows of 32 need runs of at least
/// [`MIN_WIDE_RUN`] characters.
#[inline(always)]
pub(crate) fn encoded_runs_by<C: Classify, const W: usize>(
    hay: &[u8],
    samples: Range<usize>,
    min: MinRuns,
    view_start: ViewStart,
    mut f: impl FnMut(Found),
) -> usize {
    // Every run of `min.base64` characters, wrapped or not, and every percent-encoded run
    // holds a whole window that starts at a sample point; but a base64 run glued after a
    // percent-encoded one does so only past its first 3 characters (`MIN_WIDE_RUN`), so
    // that one of 16 to 18 characters is missed in windows of 16.
    debug_assert!(W == WINDOW || (W == WIDE && min.base64 >= MIN_WIDE_RUN));
    let stride = min.base64.max(W) - W + 1;
    debug_assert!(min.percent >= stride + W);
    let mut pieces = Vec::new();
    let mut p = samples.start;
    // Percent-encoded runs are long: sampled more sparsely, from here on.
    let mut percent_at = p;
    while p < samples.end && p + W <= hay.len() {
        let w = window::<W>(hay, p);
        if let Some(at) = C::masks(w).run_at(w) {
            let piece = if at == 0 {
                run_start_by::<C, W>(hay, p)..run_end_by::<C, W>(hay, p + 1)
            } else {
                // After spacing: where it ends, past an indentation that fills the window
                // (deep ones do), a run may start.
                let mut at = p + at;
                if at == p + W {
                    let blanks = hay[at..].iter().take(MAX_INDENT);
                    at += blanks.take_while(|&&b| b == b' ' || b == b'\t').count();
                    if !hay.get(at).is_some_and(|&b| is_base64(b)) {
                        p += stride;
                        continue;
                    }
                }
                at..run_end_by::<C, W>(hay, at)
            };
            // Too short to be a run of its own or a line that another goes on from: worth
            // a look only as the last line of a wrapped run.
            if piece.len() < min.base64.min(MIN_WRAPPED_LINE) && !last_line(hay, &piece) {
                // Sample points stay at most a stride apart from the piece's end on, as a run
                // after it needs; short pieces are common (words, paths, ids).
                p = (piece.end + 1).max(p + stride);
                continue;
            }
            wrapped_run(hay, piece, view_start, &mut pieces);
            if pieces.iter().map(Range::len).sum::<usize>() >= min.base64 {
                f(Found::Base64(&pieces));
            }
            p = pieces.last().map_or(p, |last| last.end) + 1;
        } else if p < percent_at {
            p += stride;
        } else if let Some(first) = every_third::<W>(byte_mask(w, b'%')) {
            let run = percent_run(hay, p + first);
            if run.len() >= min.percent {
                f(Found::Percent(run.clone()));
            }
            p = run.end + 1;
        } else {
            // Every percent-encoded run of `min.percent` bytes still holds a whole window
            // that starts at a sample point checked for one: checks are at most
            // `min.percent - W` apart.
            percent_at = p + (min.percent - W).saturating_sub(stride);
            p += stride;
        }
    }
    p
}

/// The bytes of a sample window that sampling tells apart: a bit for each byte.
#[derive(Clone, Copy)]
pub(crate) struct Masks {
    /// Base64 characters.
    base64: u64,
    /// Spaces and the controls of spacing: tab, line feed, vertical tab, form feed, return.
    spacing: u64,
    /// Line feeds.
    breaks: u64,
}

impl Masks {
    /// Where a base64 run in the window starts or goes on, when the window may lie inside
    /// a run: all base64 characters, or those around a line break and the next line's
    /// indentation (`\r\n` or `\n`, then spaces or tabs) in a wrapped run, whole or cut
    /// by the window's edges. The window's end when a break or an indentation fills it:
    /// the run may start after it.
    #[inline(always)]
    fn run_at<const W: usize>(self, window: &[u8; W]) -> Option<usize> {
        let all = all::<W>();
        let gap = !self.base64 & all;
        let lowest = gap & gap.wrapping_neg();
        // Told without branches, as most windows are not: all base64, or base64 beside
        // one stretch of spacing that holds a line break or lies at an edge of the window.
        let maybe = ((self.base64 | self.spacing) == all)
            & ((gap + lowest) & gap == 0)
            & ((gap == 0) | (self.breaks != 0) | (gap & 1 != 0) | (gap >> (W - 1) != 0));
        if !maybe {
            return None;
        }
        if gap == 0 {
            return Some(0);
        }
        let returns = byte_mask(window, b'\r');
        let blanks = byte_mask(window, b' ') | byte_mask(window, b'\t');
        let (breaks, first) = (self.breaks, gap.trailing_zeros());
        let fits = gap == breaks | returns | blanks
            && match breaks.count_ones() {
                // Returns before the break, the indentation after it.
                1 => returns < breaks && blanks & ((breaks << 1) - 1) == 0,
                // The window starts in the indentation, or ends after a return.
                0 => (first == 0 && returns == 0) || (blanks == 0 && gap >> (W - 1) != 0),
                _ => false,
            };
        fits.then(|| {
            if first == 0 {
                gap.count_ones() as usize
            } else {
                0
            }
        })
    }
}

/// Whether the run `piece` could be the last line of a wrapped run: a line break (or
/// padding, or the view's end) after it, and before it an indentation, a line break and
/// base64; or the view starts near it, and the line before may lie before the view.
fn last_line(hay: &[u8], piece: &Range<usize>) -> bool {
    if !matches!(hay.get(piece.end), None | Some(b'\n' | b'\r' | b'=')) {
        return false;
    }
    let start = piece.start;
    let indent = hay[start.saturating_sub(MAX_INDENT)..start]
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let Some(at) = start.checked_sub(indent + 1) else {
        return true;
    };
    if hay[at] != b'\n' {
        return false;
    }
    let at = if at > 0 && hay[at - 1] == b'\r' {
        at - 1
    } else {
        at
    };
    at == 0 || is_base64(hay[at - 1])
}

/// Where the first `%` stands in a window that `%` fills every third byte of, as in
/// percent-encoded bytes.
fn every_third<const W: usize>(percents: u64) -> Option<usize> {
    const EVERY_THIRD: u64 = 0x9249_2492_4924_9249;
    (0..3).find(|&phase| percents == (EVERY_THIRD << phase) & all::<W>())
}

/// The run of percent-encoded bytes around the `%` at `at`.
fn percent_run(hay: &[u8], at: usize) -> Range<usize> {
    let is_triple = |i: usize| {
        hay.get(i..i + 3)
            .is_some_and(|t| t[0] == b'%' && t[1].is_ascii_hexdigit() && t[2].is_ascii_hexdigit())
    };
    let mut start = at;
    while start >= 3 && is_triple(start - 3) {
        start -= 3;
    }
    let mut end = at;
    while is_triple(end) {
        end += 3;
    }
    start..end
}

/// Decodes percent-encoded bytes, each `%` and two hex digits, into `out` (cleared first).
pub(crate) fn percent_decode(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    for triple in text.chunks_exact(3) {
        out.push(hex_digit(triple[1]) << 4 | hex_digit(triple[2]));
    }
}

/// The value of a hex digit (0 for any other byte).
fn hex_digit(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// The pieces of the run that the maximal run of base64 characters `piece` is part of:
/// `piece` alone, or the lines of the wrapped run it is a line of.
pub(crate) fn wrapped_run(
    hay: &[u8],
    piece: Range<usize>,
    view_start: ViewStart,
    pieces: &mut Vec<Range<usize>>,
) {
    pieces.clear();
    let Some(line) = line_of(hay, piece.clone(), view_start) else {
        pieces.push(piece);
        return;
    };
    let mut at = previous_line(hay, &line, view_start);
    while let Some(before) = at {
        pieces.push(before.piece.clone());
        at = previous_line(hay, &before, view_start);
    }
    pieces.reverse();
    pieces.push(piece);
    let mut at = next_line(hay, &line, view_start);
    while let Some(after) = at {
        pieces.push(after.piece.clone());
        at = next_line(hay, &after, view_start);
    }
}

/// The line that `piece` is all the base64 of, after indentation and before padding, if
/// it is.
fn line_of<'a>(hay: &'a [u8], piece: Range<usize>, view_start: ViewStart<'a>) -> Option<Line<'a>> {
    let padding = hay[piece.end..]
        .iter()
        .take(2)
        .take_while(|&&b| b == b'=')
        .count();
    let after = piece.end + padding;
    let next = match hay.get(after..after + 2) {
        _ if after == hay.len() => None,
        Some([b'\r', b'\n']) => Some(after + 2),
        _ if hay[after] == b'\n' => Some(after + 1),
        _ => return None,
    };
    let start = memchr::memrchr(b'\n', &hay[..piece.start]).map(|n| n + 1);
    let (start, indent, long) = match (start, view_start) {
        (None, ViewStart::Inside(Some(line))) if piece.start == 0 => {
            (None, &line.indent[..], line.goes_on)
        }
        (None, ViewStart::Inside(_)) => return None,
        (start, _) => {
            let start = start.unwrap_or(0);
            let indent = &hay[start..piece.start];
            let is_indent =
                indent.len() <= MAX_INDENT && indent.iter().all(|&b| b == b' ' || b == b'\t');
            if !is_indent {
                return None;
            }
            (Some(start), indent, piece.len() >= MIN_WRAPPED_LINE)
        }
    };
    Some(Line {
        indent,
        start,
        piece,
        next,
        goes_on: long && padding == 0 && next.is_some(),
    })
}

/// The line before `line` in its wrapped run, if the run goes on from it.
fn previous_line<'a>(
    hay: &'a [u8],
    line: &Line<'a>,
    view_start: ViewStart<'a>,
) -> Option<Line<'a>> {
    let end = line.start?.checked_sub(1)?;
    let end = if end > 0 && hay[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    if end == 0 || !is_base64(hay[end - 1]) {
        return None;
    }
    let before = line_of(hay, run_start(hay, end)..end, view_start)?;
    (before.goes_on && before.indent == line.indent).then_some(before)
}

/// The line after `line` in its wrapped run, if the run goes on to it.
fn next_line<'a>(hay: &'a [u8], line: &Line<'a>, view_start: ViewStart<'a>) -> Option<Line<'a>> {
    if !line.goes_on {
        return None;
    }
    let start = line.next? + line.indent.len();
    if !hay.get(line.next?..start)?.eq(line.indent)
        || !hay.get(start).is_some_and(|&b| is_base64(b))
    {
        return None;
    }
    let after = line_of(hay, start..run_end(hay, start), view_start)?;
    (after.indent == line.indent).then_some(after)
}

/// Where a window that would start at `at` starts instead, when `at` lies in a base64 run
/// (or between two lines of a wrapped run): at a character of the run in its quantum
/// phase, so that decoding in the window goes on as in the whole view.
pub(crate) struct InRun {
    /// Where the window starts.
    pub(crate) at: usize,
    /// Where the run starts (0 when it goes on from before `hay`, whose start is in phase).
    pub(crate) run_start: usize,
    /// The line the window starts in, when it is a line of a wrapped run.
    pub(crate) line: Option<WrappedLine>,
}

/// See [`InRun`]; `None` when `at` is not in a run, or too near its end to move in phase.
pub(crate) fn in_run(hay: &[u8], at: usize, view_start: ViewStart) -> Option<InRun> {
    let mut pieces = Vec::new();
    let q = if hay.get(at).is_some_and(|&b| is_base64(b)) {
        at
    } else {
        // Between two lines of a wrapped run, or in the indentation of its first.
        let mut q = at;
        q += usize::from(hay.get(q) == Some(&b'\r'));
        q += usize::from(hay.get(q) == Some(&b'\n'));
        let indent = hay.get(q..)?.iter().take(MAX_INDENT + 1);
        q += indent.take_while(|&&b| b == b' ' || b == b'\t').count();
        if !hay.get(q).is_some_and(|&b| is_base64(b)) {
            return None;
        }
        wrapped_run(
            hay,
            run_start(hay, q)..run_end(hay, q),
            view_start,
            &mut pieces,
        );
        if pieces.len() < 2 {
            return None;
        }
        q
    };
    if pieces.is_empty() {
        wrapped_run(
            hay,
            run_start(hay, q)..run_end(hay, q),
            view_start,
            &mut pieces,
        );
    }
    let mut joined = 0;
    let mut found = false;
    for piece in &pieces {
        let from = if found {
            piece.start
        } else if piece.contains(&q) {
            found = true;
            q
        } else {
            joined += piece.len();
            continue;
        };
        let phase = (joined + from - piece.start) % 4;
        let at = from + (4 - phase) % 4;
        if at < piece.end {
            let line = line_of(hay, piece.clone(), view_start).map(|l| WrappedLine {
                indent: l.indent.to_vec(),
                goes_on: l.goes_on,
            });
            let run_start = pieces[0].start;
            return Some(InRun {
                at,
                run_start,
                line,
            });
        }
        joined += piece.len();
    }
    None
}

/// A mask with a bit for every byte of a window of `W` bytes.
#[inline(always)]
fn all<const W: usize>() -> u64 {
    u64::MAX >> (64 - W)
}

#[inline(always)]
fn window<const W: usize>(hay: &[u8], at: usize) -> &[u8; W] {
    hay[at..at + W].try_into().expect("a whole window")
}

/// Where the run of base64 characters that ends at `end` starts.
fn run_start(hay: &[u8], start: usize) -> usize {
    run_start_by::<Compares, WINDOW>(hay, start)
}

/// [`run_start`], with windows classified by `C`.
#[inline(always)]
fn run_start_by<C: Classify, const W: usize>(hay: &[u8], mut start: usize) -> usize {
    while start >= W {
        let valid = C::masks(window::<W>(hay, start - W)).base64;
        if valid != all::<W>() {
            // The valid bytes at the end of the window, above its last invalid one.
            return start - (valid << (64 - W)).leading_ones() as usize;
        }
        start -= W;
    }
    while start > 0 && is_base64(hay[start - 1]) {
        start -= 1;
    }
    start
}

/// Where the run of base64 characters that continues at `end` ends.
fn run_end(hay: &[u8], end: usize) -> usize {
    run_end_by::<Compares, WINDOW>(hay, end)
}

/// [`run_end`], with windows classified by `C`.
#[inline(always)]
fn run_end_by<C: Classify, const W: usize>(hay: &[u8], mut end: usize) -> usize {
    while end + W <= hay.len() {
        let valid = C::masks(window::<W>(hay, end)).base64;
        if valid != all::<W>() {
            return end + valid.trailing_ones() as usize;
        }
        end += W;
    }
    while end < hay.len() && is_base64(hay[end]) {
        end += 1;
    }
    end
}

/// How sampling tells a window's bytes apart.
pub(crate) trait Classify {
    /// The masks of a window of [`WINDOW`] or [`WIDE`] bytes.
    fn masks<const W: usize>(window: &[u8; W]) -> Masks;
}

/// The masks of a window, from the masks of each [`WINDOW`] bytes of it by `f`.
#[inline(always)]
fn by_halves<const W: usize>(window: &[u8; W], f: impl Fn(&[u8; WINDOW]) -> Masks) -> Masks {
    let mut masks = Masks {
        base64: 0,
        spacing: 0,
        breaks: 0,
    };
    for (i, half) in window.chunks_exact(WINDOW).enumerate() {
        let m = f(half.try_into().expect("a whole window"));
        masks.base64 |= m.base64 << (i * WINDOW);
        masks.spacing |= m.spacing << (i * WINDOW);
        masks.breaks |= m.breaks << (i * WINDOW);
    }
    masks
}

/// By comparisons ([`masks`]): any CPU.
pub(crate) struct Compares;

impl Classify for Compares {
    #[inline(always)]
    fn masks<const W: usize>(window: &[u8; W]) -> Masks {
        by_halves(window, masks)
    }
}

/// By a lookup of each byte's two nibbles (`pshufb`), a bit for each group of bytes that
/// share a high nibble: only where SSSE3 is enabled ([`encoded_runs_ssse3`]).
#[cfg(target_arch = "x86_64")]
struct Nibbles;

/// Bit 7: line feed. Bits 6 and 5: the other spacing (0x09-0x0D, 0x20). Bits 0-4: the
/// base64 characters of high nibble 2 (`+ - /`), 3 (digits), 4 and 6 (letters from A or
/// a), 5 (P-Z, `_`) and 7 (p-z). By low nibble: the classes a byte may be in.
#[cfg(target_arch = "x86_64")]
const BY_LOW_NIBBLE: [u8; 16] = [
    0x3A, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0x5E, 0xDC, 0x45, 0x44, 0x45, 0x04, 0x0D,
];

/// See [`BY_LOW_NIBBLE`]; by high nibble.
#[cfg(target_arch = "x86_64")]
const BY_HIGH_NIBBLE: [u8; 16] = [
    0xC0, 0, 0x21, 0x02, 0x04, 0x08, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0,
];

#[cfg(target_arch = "x86_64")]
impl Classify for Nibbles {
    #[inline(always)]
    fn masks<const W: usize>(window: &[u8; W]) -> Masks {
        by_halves(window, |half| {
            use std::arch::x86_64::*;
            // SAFETY: only code compiled for SSSE3 calls this (`encoded_runs_ssse3`,
            // `encoded_runs_avx2` and tests that check the CPU first); the loads read
            // exactly 16 bytes each.
            unsafe {
                let x = _mm_loadu_si128(half.as_ptr().cast());
                let low = _mm_loadu_si128(BY_LOW_NIBBLE.as_ptr().cast());
                let high = _mm_loadu_si128(BY_HIGH_NIBBLE.as_ptr().cast());
                // Bytes above 0x7F look up nothing in `low`.
                let by_low = _mm_shuffle_epi8(low, x);
                let nibbles = _mm_and_si128(_mm_srli_epi16(x, 4), _mm_set1_epi8(0x0F));
                let class = _mm_and_si128(by_low, _mm_shuffle_epi8(high, nibbles));
                // A byte with any of `bits` gets its top bit set.
                let any = |bits: u8| {
                    let some = _mm_and_si128(class, _mm_set1_epi8(bits as i8));
                    _mm_adds_epu8(some, _mm_set1_epi8(0x7F))
                };
                Masks {
                    base64: _mm_movemask_epi8(any(0x1F)) as u16 as u64,
                    spacing: _mm_movemask_epi8(any(0xE0)) as u16 as u64,
                    breaks: _mm_movemask_epi8(class) as u16 as u64,
                }
            }
        })
    }
}

/// [`Nibbles`], a window of [`WIDE`] bytes at once: only where AVX2 is enabled
/// ([`encoded_runs_avx2`]).
#[cfg(target_arch = "x86_64")]
struct WideNibbles;

#[cfg(target_arch = "x86_64")]
impl Classify for WideNibbles {
    #[inline(always)]
    fn masks<const W: usize>(window: &[u8; W]) -> Masks {
        if W != WIDE {
            return Nibbles::masks(window);
        }
        use std::arch::x86_64::*;
        // SAFETY: only code compiled for AVX2 calls this (`encoded_runs_avx2`, and tests
        // that check the CPU first); the load reads exactly the 32 bytes of `window`.
        unsafe {
            let x = _mm256_loadu_si256(window.as_ptr().cast());
            let table =
                |t: &[u8; 16]| _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast()));
            // Each 16 bytes look up in their own copy of the tables.
            let by_low = _mm256_shuffle_epi8(table(&BY_LOW_NIBBLE), x);
            let nibbles = _mm256_and_si256(_mm256_srli_epi16(x, 4), _mm256_set1_epi8(0x0F));
            let class =
                _mm256_and_si256(by_low, _mm256_shuffle_epi8(table(&BY_HIGH_NIBBLE), nibbles));
            let any = |bits: u8| {
                let some = _mm256_and_si256(class, _mm256_set1_epi8(bits as i8));
                _mm256_adds_epu8(some, _mm256_set1_epi8(0x7F))
            };
            Masks {
                base64: _mm256_movemask_epi8(any(0x1F)) as u32 as u64,
                spacing: _mm256_movemask_epi8(any(0xE0)) as u32 as u64,
                breaks: _mm256_movemask_epi8(class) as u32 as u64,
            }
        }
    }
}

/// The masks of [`WINDOW`] bytes, from one load.
#[cfg(target_arch = "x86_64")]
fn masks(window: &[u8; WINDOW]) -> Masks {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86_64, and the load reads exactly the 16 bytes of `window`.
    unsafe {
        let x = _mm_loadu_si128(window.as_ptr().cast());
        let in_range = |v: __m128i, lo: u8, hi: u8| {
            // Signed compares: bytes above 0x7F are negative and never in range.
            let above = _mm_cmpgt_epi8(v, _mm_set1_epi8(lo as i8 - 1));
            let below = _mm_cmpgt_epi8(_mm_set1_epi8(hi as i8 + 1), v);
            _mm_and_si128(above, below)
        };
        let eq = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
        // Setting bit 5 folds A-Z onto a-z and moves no other byte into a-z.
        let letters = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', b'z');
        let slash_digits = in_range(x, b'/', b'9');
        let signs = _mm_or_si128(eq(b'+'), _mm_or_si128(eq(b'-'), eq(b'_')));
        let valid = _mm_or_si128(letters, _mm_or_si128(slash_digits, signs));
        let spacing = _mm_or_si128(in_range(x, b'\t', b'\r'), eq(b' '));
        Masks {
            base64: _mm_movemask_epi8(valid) as u16 as u64,
            spacing: _mm_movemask_epi8(spacing) as u16 as u64,
            breaks: _mm_movemask_epi8(eq(b'\n')) as u16 as u64,
        }
    }
}

/// A bit for each byte of the window, set where the byte is `b`.
#[cfg(target_arch = "x86_64")]
fn byte_mask<const W: usize>(window: &[u8; W], b: u8) -> u64 {
    use std::arch::x86_64::*;
    window
        .chunks_exact(WINDOW)
        .enumerate()
        .fold(0, |mask, (i, half)| {
            // SAFETY: SSE2 is part of x86_64, and the load reads exactly the 16 bytes of
            // `half`.
            let bits = unsafe {
                let x = _mm_loadu_si128(half.as_ptr().cast());
                _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8))) as u16 as u64
            };
            mask | bits << (i * WINDOW)
        })
}

#[cfg(not(target_arch = "x86_64"))]
fn byte_mask<const W: usize>(window: &[u8; W], b: u8) -> u64 {
    window
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &x)| mask | (u64::from(x == b) << i))
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(window: &[u8; WINDOW]) -> Masks {
    let mask = |f: fn(u8) -> bool| {
        window
            .iter()
            .enumerate()
            .fold(0, |mask, (i, &b)| mask | (u64::from(f(b)) << i))
    };
    Masks {
        base64: mask(is_base64),
        spacing: mask(|b| b == b' ' || (b'\t'..=b'\r').contains(&b)),
        breaks: mask(|b| b == b'\n'),
    }
}

/// Decodes base64 text into `out` (cleared first). Decoding stops at the first character
/// outside the alphabet; a trailing partial quantum yields the bytes it completes.
pub(crate) fn base64_decode(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.resize(text.len() / 4 * 3, 0);
    let mut written = 0;
    let mut quads = text.chunks_exact(4);
    for (quad, bytes) in (&mut quads).zip(out.chunks_exact_mut(3)) {
        let [a, b, c, d] = [quad[0], quad[1], quad[2], quad[3]].map(|x| BASE64[x as usize]);
        if (a | b | c | d) > 63 {
            out.truncate(written);
            return decode_tail(quad, out);
        }
        let v = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        bytes.copy_from_slice(&v.to_be_bytes()[1..]);
        written += 3;
    }
    decode_tail(quads.remainder(), out);
}

/// Decodes up to four characters, stopping at the first invalid one.
fn decode_tail(text: &[u8], out: &mut Vec<u8>) {
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in text {
        let v = BASE64[c as usize];
        if v == INVALID {
            break;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
}

/// The base64 characters that encode decoded bytes `span`, relative to where decoding began.
pub(crate) fn base64_encoded_span(span: &Range<usize>) -> Range<usize> {
    let char_of = |byte: usize| byte / 3 * 4 + byte % 3;
    char_of(span.start)..char_of(span.end.max(span.start + 1) - 1) + 2
}

/// The bytes a [`Base64Finder`] looks for: the first bytes of every match.
pub(crate) const FINDER_LITERAL: usize = 3;

/// Where, in a long base64 run, the text it encodes may hold a match: where the characters
/// stand that encode the first [`FINDER_LITERAL`] bytes of one, in any of the three places a
/// byte can have in a quantum, in either alphabet. Decoding just there, rather than all of a
/// run, keeps a base64'd file cheap.
///
/// Only the characters that those bytes fill alone are looked for (3 or 4 of them); a
/// place counts only where the quantum it implies starts at a multiple of 4, as decoding
/// from the run's start reads it.
pub(crate) struct Base64Finder {
    automaton: aho_corasick::AhoCorasick,
    /// The characters looked for.
    needles: Vec<Vec<u8>>,
    /// For each needle: where its first character stands in its quantum, and where in
    /// its quantum the literal's first byte stands.
    places: Vec<Vec<(usize, usize)>>,
}

impl Base64Finder {
    /// The finder of `literals`, each [`FINDER_LITERAL`] bytes long; `None` when there are
    /// none or the automaton cannot be built.
    pub(crate) fn new<'a>(literals: impl IntoIterator<Item = &'a [u8]>) -> Option<Base64Finder> {
        let mut needles: Vec<(Vec<u8>, (usize, usize))> = Vec::new();
        for literal in literals {
            let literal: &[u8; FINDER_LITERAL] = literal.try_into().ok()?;
            for phase in 0..3 {
                let (first, chars) = encoded_alone(literal, phase);
                for needle in both_alphabets(&chars) {
                    needles.push((needle, (first, phase)));
                }
            }
        }
        needles.sort();
        needles.dedup();
        let mut texts: Vec<Vec<u8>> = Vec::new();
        let mut places: Vec<Vec<(usize, usize)>> = Vec::new();
        for (needle, place) in needles {
            if texts.last() != Some(&needle) {
                texts.push(needle);
                places.push(Vec::new());
            }
            places.last_mut()?.push(place);
        }
        if texts.is_empty() {
            return None;
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&texts)
            .ok()?;
        Some(Base64Finder {
            automaton,
            needles: texts,
            places,
        })
    }

    /// Where a literal may start in the bytes that decoding `text` from its start gives,
    /// into `out` (cleared first), ascending; `false` when the needles occur more than
    /// `limit` times, and the caller had better decode all of `text`.
    pub(crate) fn starts(&self, text: &[u8], limit: usize, out: &mut Vec<usize>) -> bool {
        out.clear();
        let (mut from, mut hits) = (0, 0);
        // Searched for one start at a time (the search's prefilter skips the rest), then
        // the needles with that first character checked there (they are sorted): needles
        // overlap, and may start together.
        while let Some(m) = self
            .automaton
            .find(aho_corasick::Input::new(text).range(from..))
        {
            hits += 1;
            if hits > limit {
                return false;
            }
            let at = m.start();
            let lower = self.needles.partition_point(|n| n[0] < text[at]);
            let needles = self.needles[lower..].iter().zip(&self.places[lower..]);
            for (needle, places) in needles.take_while(|(n, _)| n[0] == text[at]) {
                if !text[at..].starts_with(needle) {
                    continue;
                }
                for &(first, phase) in places {
                    if let Some(quantum) = at.checked_sub(first).filter(|q| q % 4 == 0) {
                        out.push(quantum / 4 * 3 + phase);
                    }
                }
            }
            from = at + 1;
        }
        out.sort_unstable();
        out.dedup();
        true
    }
}

/// The base64 characters that `literal`'s bytes alone decide, when its first byte is byte
/// `phase` of a quantum: where the first of them stands in the quantum, and them.
fn encoded_alone(literal: &[u8; FINDER_LITERAL], phase: usize) -> (usize, Vec<u8>) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // The bits of two quanta, the literal's bytes placed from byte `phase` on.
    let mut bits: u64 = 0;
    for (i, &b) in literal.iter().enumerate() {
        bits |= u64::from(b) << (40 - 8 * (phase + i));
    }
    let (known_from, known_to) = (8 * phase, 8 * (phase + FINDER_LITERAL));
    let decided: Vec<usize> = (0..8)
        .filter(|c| 6 * c >= known_from && 6 * c + 6 <= known_to)
        .collect();
    let chars = decided
        .iter()
        .map(|c| ALPHABET[((bits >> (42 - 6 * c)) & 63) as usize])
        .collect();
    (decided[0], chars)
}

/// `chars` written in the standard alphabet, in each way the url-safe one may write it.
fn both_alphabets(chars: &[u8]) -> Vec<Vec<u8>> {
    let mut ways = vec![Vec::new()];
    for &c in chars {
        let url_safe = match c {
            b'+' => Some(b'-'),
            b'/' => Some(b'_'),
            _ => None,
        };
        let mut more = Vec::new();
        for way in &mut ways {
            if let Some(u) = url_safe {
                let mut other = way.clone();
                other.push(u);
                more.push(other);
            }
            way.push(c);
        }
        ways.extend(more);
    }
    ways
}

/// Calls `f` with every maximal run of hex digits in `text` (all base64 characters: hex
/// bytes are found inside base64 runs) at least `min_run` long.
pub(crate) fn hex_runs(text: &[u8], min_run: usize, mut f: impl FnMut(Range<usize>)) {
    let mut i = 0;
    while i + min_run <= text.len() {
        // A run of `min_run` holds the digit at `i + min_run - 1`: look there first.
        let probe = i + min_run - 1;
        if !text[probe].is_ascii_hexdigit() {
            i = probe + 1;
            continue;
        }
        let start = (i..probe)
            .rev()
            .find(|&j| !text[j].is_ascii_hexdigit())
            .map_or(i, |j| j + 1);
        let end = text[probe..]
            .iter()
            .position(|b| !b.is_ascii_hexdigit())
            .map_or(text.len(), |n| probe + n);
        if end - start >= min_run {
            f(start..end);
        }
        i = end + 1;
    }
}

/// Decodes hex digits, two to a byte, into `out` (cleared first); an odd last digit is
/// dropped.
pub(crate) fn hex_decode(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(
        text.chunks_exact(2)
            .map(|p| hex_digit(p[0]) << 4 | hex_digit(p[1])),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(data: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk.len();
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=n {
                out.push(A[(v >> (18 - 6 * i) & 63) as usize] as char);
            }
            for _ in n..3 {
                out.push('=');
            }
        }
        out
    }

    #[test]
    fn the_finder_finds_every_literal_in_every_phase_and_alphabet() {
        // Varied bytes around the literals, and literals whose encoding holds `+` and `/`
        // (0xFB 0xEF 0xBE is `++++`, 0xFF 0xFF 0xFF `////`).
        let literals: [&[u8]; 4] = [b"pa1", b"sa9", &[0xFB, 0xEF, 0xBE], &[0xFF, 0xFF, 0xFF]];
        let finder = Base64Finder::new(literals).expect("a finder");
        let mut starts = Vec::new();
        for (n, literal) in literals.iter().enumerate() {
            for at in 0..12 {
                let mut data: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(97) ^ n as u8).collect();
                data[at..at + 3].copy_from_slice(literal);
                let text = encode(&data);
                for text in [text.clone(), text.replace('+', "-").replace('/', "_")] {
                    assert!(finder.starts(text.trim_end_matches('=').as_bytes(), 99, &mut starts));
                    assert!(starts.contains(&at), "{literal:?} at {at} in {text}");
                    assert!(starts.windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
        // Nowhere else: not in other text, nor out of phase.
        let words = encode(b"no literal here, just words and digits 0123");
        assert!(finder.starts(words.as_bytes(), 0, &mut starts));
        assert_eq!(starts, Vec::<usize>::new());
        let shifted = format!("A{}", encode(b"xxpa1xxxxxx"));
        assert!(finder.starts(shifted.as_bytes(), 99, &mut starts));
        assert_eq!(starts, Vec::<usize>::new());
        // Needles more often than the limit, in phase or not: the caller decodes it all.
        let crafted = encode(&b"pa1".repeat(100));
        assert!(finder.starts(crafted.as_bytes(), 100, &mut starts));
        assert_eq!(starts.len(), 100);
        assert!(!finder.starts(crafted.as_bytes(), 99, &mut starts));
        assert!(!finder.starts(format!("A{crafted}").as_bytes(), 99, &mut starts));
        assert!(Base64Finder::new([b"ab".as_slice()]).is_none());
        assert!(Base64Finder::new(std::iter::empty()).is_none());
    }

    #[test]
    fn percent_encoded_runs_are_found_wherever_they_start() {
        let encoded: String = "pa1.0/0F1E".bytes().map(|b| format!("%{b:02X}")).collect();
        for pad in 0..40 {
            let hay = format!("{}?t={encoded}&x=%2", "x y ".repeat(pad));
            assert_eq!(runs(&hay, 8), vec![format!("%:{encoded}")], "{pad}");
        }
        let mut out = Vec::new();
        percent_decode(encoded.as_bytes(), &mut out);
        assert_eq!(out, b"pa1.0/0F1E");
        // Too short, or not every byte encoded.
        assert!(runs(&format!("?t={}", &encoded[..21]), 8).is_empty());
        assert!(runs(&encoded.replace("%31", "1"), 8).is_empty());
    }

    #[test]
    fn hex_runs_and_bytes() {
        let hex = "7061312e302F41";
        let text = format!("0x{hex}QQ{}", &hex[..5]);
        let mut found = Vec::new();
        hex_runs(text.as_bytes(), 6, |r| found.push(&text[r]));
        assert_eq!(found, vec![hex]);
        let mut out = Vec::new();
        hex_decode(hex.as_bytes(), &mut out);
        assert_eq!(out, b"pa1.0/A");
        for len in 0..20 {
            let text = "F".repeat(len);
            let mut found = Vec::new();
            hex_runs(text.as_bytes(), 6, |r| found.push((r.start, r.end)));
            let want = if len >= 6 { vec![(0, len)] } else { vec![] };
            assert_eq!(found, want, "{len}");
        }
    }

    #[test]
    fn decode_round_trips_at_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        let mut out = Vec::new();
        for len in 0..40 {
            base64_decode(encode(&data[..len]).as_bytes(), &mut out);
            assert_eq!(out, &data[..len]);
        }
    }

    #[test]
    fn encoded_span_covers_exactly_the_bytes() {
        // Character c holds bits [6c, 6c+6) of the decoded stream; byte i holds [8i, 8i+8).
        let covers = |c: usize, i: usize| 6 * c < 8 * i + 8 && 8 * i < 6 * c + 6;
        for start in 0..12 {
            for end in start + 1..=12 {
                let expected: Vec<usize> = (0..20)
                    .filter(|&c| (start..end).any(|i| covers(c, i)))
                    .collect();
                let span = base64_encoded_span(&(start..end));
                assert_eq!(span.collect::<Vec<_>>(), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn the_window_masks_agree_with_the_table() {
        assert_masks_agree::<WINDOW>();
        assert_masks_agree::<WIDE>();
    }

    /// Every classifier this CPU has gives the masks of every byte, at every place in a
    /// window of `W` bytes, as the table says.
    fn assert_masks_agree<const W: usize>() {
        let spacing = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
        for b in 0..=255u8 {
            for pos in 0..W {
                for fill in [b'A', b' ', b'\n', 0xFF] {
                    let mut w = [fill; W];
                    w[pos] = b;
                    let bits = |f: &dyn Fn(u8) -> bool| {
                        (0..W).fold(0, |m, i| m | (u64::from(f(w[i])) << i))
                    };
                    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
                    let mut each = vec![Compares::masks(&w)];
                    #[cfg(target_arch = "x86_64")]
                    if std::arch::is_x86_feature_detected!("ssse3") {
                        each.push(Nibbles::masks(&w));
                    }
                    #[cfg(target_arch = "x86_64")]
                    if std::arch::is_x86_feature_detected!("avx2") {
                        each.push(WideNibbles::masks(&w));
                    }
                    for m in each {
                        let at = format!("byte {b:#x} at {pos} in {fill:#x}");
                        assert_eq!(m.base64, bits(&is_base64), "{at}");
                        assert_eq!(m.spacing, bits(&spacing), "{at}");
                        assert_eq!(m.breaks, bits(&|c| c == b'\n'), "{at}");
                        assert_eq!(byte_mask(&w, b'%'), bits(&|c| c == b'%'), "{at}");
                    }
                }
            }
        }
    }

    #[test]
    fn runs_end_exactly_at_any_offset() {
        for before in 0..40 {
            for len in 16..60 {
                let hay = format!(
                    "{}\"{}\"{}",
                    " ".repeat(before),
                    "Q".repeat(len),
                    ", x".repeat(10)
                );
                assert_eq!(
                    runs(&hay, 16),
                    vec!["Q".repeat(len).as_str()],
                    "{before} {len}"
                );
            }
        }
    }

    /// The runs that sampling finds in `hay`, their pieces joined: the same whichever way
    /// this CPU classifies sample windows, and with windows of either width.
    fn runs(hay: &str, min: usize) -> Vec<String> {
        let min = MinRuns {
            base64: min,
            percent: 3 * min,
        };
        let mut each = Vec::new();
        for way in 0..3 {
            let mut found = Vec::new();
            let f = |r: Found| match r {
                Found::Base64(r) => found.push(r.iter().map(|p| &hay[p.clone()]).collect()),
                Found::Percent(r) => found.push(format!("%:{}", &hay[r])),
            };
            let (bytes, start) = (hay.as_bytes(), ViewStart::Line);
            match way {
                0 => encoded_runs(bytes, 0..hay.len(), min, start, f),
                1 => encoded_runs_by::<Compares, WINDOW>(bytes, 0..hay.len(), min, start, f),
                _ if min.base64 >= MIN_WIDE_RUN => {
                    encoded_runs_by::<Compares, WIDE>(bytes, 0..hay.len(), min, start, f)
                }
                _ => continue,
            };
            each.push(found);
        }
        for other in &each[1..] {
            assert_eq!(&each[0], other, "{hay:?}");
        }
        each.remove(0)
    }

    #[test]
    fn wrapped_runs_are_joined_over_lines_of_the_same_indentation() {
        let (a, b, c) = ("QUJD".repeat(16), "RUZH".repeat(15), "SElK==");
        let joined = format!("{a}{b}{}", &c[..4]);
        for (indent, eol) in [("", "\n"), ("", "\r\n"), ("  ", "\n"), ("\t\t", "\r\n")] {
            let block = format!("{indent}{a}{eol}{indent}{b}{eol}{indent}{c}{eol}");
            for around in ["", "key: |\n", "-----\n"] {
                let hay = format!("{around}{block}{around}");
                assert_eq!(runs(&hay, 40), vec![joined.clone()], "{hay:?}");
            }
        }
        // A url-safe run, a group of which starts with `-` or `_`.
        let url = format!("{}\n{}\n", "-_Q".repeat(21), "_-Q".repeat(21));
        assert_eq!(runs(&url, 40), vec![url.replace('\n', "")]);
    }

    #[test]
    fn runs_end_where_the_wrapping_does() {
        let a = "QUJD".repeat(16);
        // Another indentation, a line with other text, a padded line, a short line: each
        // ends the run (the short and the padded line are its last).
        for (hay, want) in [
            (format!("  {a}\n    {a}\n"), vec![a.clone(), a.clone()]),
            (format!("{a}\n{a} x\n"), vec![a.clone(), a.clone()]),
            (format!("{a}==\n{a}\n"), vec![a.clone(), a.clone()]),
            (
                format!("{a}\nQUJD\n{a}\n"),
                vec![format!("{a}QUJD"), a.clone()],
            ),
            (format!("{a} \n{a}\n"), vec![a.clone(), a.clone()]),
            (format!("x {a}\n{a}\n"), vec![a.clone(), a.clone()]),
        ] {
            assert_eq!(runs(&hay, 16), want, "{hay:?}");
        }
        // Lines shorter than `MIN_WRAPPED_LINE` wrap nothing but the last.
        let short = "QUJD".repeat(6);
        assert_eq!(
            runs(&format!("{short}\n{short}\n"), 16),
            vec![short.clone(), short]
        );
    }

    #[test]
    fn wrapped_runs_are_found_whatever_the_sampling_phase() {
        // As long as a run must be, in every wrapping and indentation, and sampled from
        // every phase: whichever sample point lands in a line, a break or an indentation.
        let min = 104;
        let encoded: String = (0..min)
            .map(|i| (b'A' + (i * 7 % 26) as u8) as char)
            .collect();
        for width in [60, 64, 76, 103] {
            let lines: Vec<&str> = (0..min)
                .step_by(width)
                .map(|at| &encoded[at..(at + width).min(min)])
                .collect();
            for indent in [
                "",
                "  ",
                "\t\t",
                &" ".repeat(12),
                &" ".repeat(13),
                &" ".repeat(64),
            ] {
                for eol in ["\n", "\r\n"] {
                    let block: String = lines.iter().map(|l| format!("{indent}{l}{eol}")).collect();
                    for pad in 0..min {
                        let hay =
                            format!("{}\n{block}end\n", "x;".repeat(pad / 2) + &";"[..pad % 2]);
                        assert_eq!(runs(&hay, min), vec![encoded.clone()], "{hay:?}");
                    }
                }
            }
        }
    }

    /// A base64 run glued to a percent-encoded one starts in its last hex digits, before
    /// where sampling goes on after it: windows of 32 bytes sampled such a run of 32 to 34
    /// characters nowhere, and missed it.
    #[test]
    fn a_base64_run_glued_after_a_percent_encoded_one_is_found() {
        let blob = "cWExX0FCQ0RFRkdISUpLTE1OT1BRUlNU";
        for len in 32..40 {
            let run = format!("{blob}{}", "Q".repeat(len - blob.len()));
            let hay = format!("{}{run}\",", "%41".repeat(12));
            let found = runs(&hay, 32.max(len - 2));
            assert_eq!(found, vec![format!("41{run}")], "{hay}");
        }
    }

    #[test]
    fn runs_are_found_wherever_they_start() {
        let blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo";
        for pad in 0..40 {
            let hay = format!("{} {blob} tail", "x y ".repeat(pad));
            assert_eq!(runs(&hay, 20), vec![blob], "pad {pad}");
        }
        assert_eq!(runs(blob, 20), vec![blob]);
        assert!(runs("short words only, nothing long here at all", 20).is_empty());
        assert!(runs(&blob[..19], 20).is_empty());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let text = "päss = 'x'\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_decodes(&le, text, Encoding::Utf16le);
        assert_decodes(&be, text, Encoding::Utf16be);
        assert_eq!(decoded_text(text.as_bytes()), None);
    }

    fn assert_decodes(data: &[u8], text: &str, encoding: Encoding) {
        assert_eq!(decoded_text(data), Some((text.to_string(), encoding)));
    }

    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let text = "$env:TOKEN = 'päss' # a line of text\r\n".repeat(2);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decoded_text(&le), Some((text.clone(), Encoding::Utf16le)));
        assert_eq!(decoded_text(&be), Some((text.clone(), Encoding::Utf16be)));
        // Too short to tell, not text, or zeros on both sides: not UTF-16.
        assert_eq!(decoded_text(&le[..20]), None);
        assert_eq!(decoded_text(&[0u8; 400]), None);
        let mixed: Vec<u8> = (0..400u32)
            .map(|i| if i % 5 == 0 { 0 } else { i as u8 | 1 })
            .collect();
        assert_eq!(decoded_text(&mixed), None);
    }

    #[test]
    fn utf32_with_bom_is_decoded_even_split() {
        let text = "token: pä😀\u{10FFFF}\n";
        let le: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0, 0, 0xFE, 0xFF]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_be_bytes()))
            .collect();
        assert_decodes(&le, text, Encoding::Utf32le);
        assert_decodes(&be, text, Encoding::Utf32be);
        for split in 4..le.len() {
            let mut out = Vec::new();
            let mut d = TextDecoder::new(Encoding::Utf32le);
            d.decode(&le[4..split], false, &mut out);
            d.decode(&le[split..], true, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), text, "{split}");
        }
        // Not a code point: U+FFFD.
        let bad = [0xFF, 0xFE, 0, 0, 0, 0xD8, 0, 0, 0x41, 0, 0, 0];
        assert_eq!(decoded_text(&bad).unwrap().0, "\u{FFFD}A");
    }
}
