//! Byte offsets to lines and columns, and the redacted source line of a finding.
//!
//! A line ends at `\n` only, as in git, ripgrep and GitHub: a lone CR, a form feed or
//! U+2028 does not start a new line. A column counts Unicode characters from the start of
//! the line, 1-based; in invalid UTF-8 each byte that is not part of a character counts as
//! one column.

use std::ops::Range;

use crate::finding::Snippet;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Turns byte offsets into (line, column). Offsets in ascending order are counted from the
/// previous one; an offset before the previous one starts the count again.
pub(crate) struct Locator<'a> {
    hay: &'a [u8],
    origin: Origin,
    /// Everything before `pos` has been counted: `line` and `line_start` describe it.
    pos: usize,
    line: usize,
    line_start: usize,
    /// The column of `col_pos` on the current line, to continue from on a long line.
    col_pos: usize,
    col: usize,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(hay: &'a [u8]) -> Locator<'a> {
        Locator::continuing(hay, Origin::START)
    }

    /// A locator for a part of a text that starts at `origin`.
    pub(crate) fn continuing(hay: &'a [u8], origin: Origin) -> Locator<'a> {
        Locator {
            hay,
            origin,
            pos: 0,
            line: origin.line,
            line_start: 0,
            col_pos: origin.bom_skip(hay),
            col: origin.column,
        }
    }

    /// The 1-based line and column of byte `offset`.
    pub(crate) fn locate(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.pos {
            *self = Locator::continuing(self.hay, self.origin);
        }
        let skipped = &self.hay[self.pos..offset];
        if let Some(last) = memchr::memrchr(b'\n', skipped) {
            self.line += memchr::memchr_iter(b'\n', skipped).count();
            self.line_start = self.pos + last + 1;
        }
        self.pos = offset;
        if self.col_pos < self.line_start || self.col_pos > offset {
            self.col_pos = self.line_start;
            self.col = 1;
            if self.line_start == 0 {
                self.col_pos = self.origin.bom_skip(self.hay).min(offset);
                self.col = self.origin.column;
            }
        }
        self.col += char_count(&self.hay[self.col_pos..offset]);
        self.col_pos = offset;
        (self.line, self.col)
    }
}

/// Where a part of a text starts: the line and column of its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Origin {
    /// The start of a whole text.
    pub(crate) const START: Origin = Origin { line: 1, column: 1 };

    /// Bytes at the start of `hay` that are not a column: a UTF-8 byte-order mark at the
    /// start of a text.
    fn bom_skip(self, hay: &[u8]) -> usize {
        if self == Origin::START && hay.starts_with(UTF8_BOM) {
            3
        } else {
            0
        }
    }

    /// The origin of the text that follows `part`, a part of the text that starts here.
    pub(crate) fn advance(self, part: &[u8]) -> Origin {
        match memchr::memrchr(b'\n', part) {
            Some(last) => Origin {
                line: self.line + memchr::memchr_iter(b'\n', part).count(),
                column: 1 + char_count(&part[last + 1..]),
            },
            None => Origin {
                line: self.line,
                column: self.column + char_count(&part[self.bom_skip(part)..]),
            },
        }
    }
}

/// Characters in `bytes`, each byte of invalid UTF-8 counting as one.
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + c.invalid().len())
        .sum()
}

/// How much of a long line to show on each side of a finding, in bytes.
pub(crate) const CONTEXT: usize = 60;

/// How far from a finding its line's ends are looked for: beyond, the line is cut (`…`).
const REACH: usize = 4096;

/// The parts of a text that snippets must not show: the union of the secrets' spans, each
/// shown as the redacted text of the first secret in it. The spans are disjoint and
/// sorted, so a snippet finds its own in logarithmic time.
pub(crate) struct Masks {
    spans: Vec<(Range<usize>, String)>,
}

impl Masks {
    /// `secrets` sorted by start; spans may overlap.
    pub(crate) fn new(secrets: impl IntoIterator<Item = (Range<usize>, String)>) -> Masks {
        let mut spans: Vec<(Range<usize>, String)> = Vec::new();
        for (span, shown) in secrets {
            match spans.last_mut() {
                Some((last, _)) if span.start < last.end => last.end = last.end.max(span.end),
                _ => spans.push((span, shown)),
            }
        }
        Masks { spans }
    }

    /// The masks that overlap `range`.
    fn overlapping(&self, range: &Range<usize>) -> &[(Range<usize>, String)] {
        let from = self.spans.partition_point(|(s, _)| s.end <= range.start);
        let to = self.spans.partition_point(|(s, _)| s.start < range.end);
        &self.spans[from..to.max(from)]
    }
}

/// The line around `span`, at most a window of it, with every mask that overlaps the window
/// replaced by its redacted text. `span` is highlighted: as its mask's text when it is
/// (part of) a secret, as it is otherwise.
pub(crate) fn snippet(hay: &[u8], span: &Range<usize>, masks: &Masks) -> Snippet {
    // Only so much of a line is ever shown: look for its ends that far only, so that many
    // findings on one long line do not each read all of it.
    let floor = span.start.saturating_sub(REACH);
    let line_start =
        memchr::memrchr(b'\n', &hay[floor..span.start]).map_or(floor, |i| floor + i + 1);
    let ceiling = (span.end + REACH).min(hay.len());
    let mut line_end =
        memchr::memchr(b'\n', &hay[span.end..ceiling]).map_or(ceiling, |i| span.end + i);
    if line_end > span.end && hay[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    let (window, shown) = window(hay, span, &(line_start..line_end), masks);
    let (mut start, mut end) = (window.start, window.end);
    while start > line_start && start < span.start && is_continuation(hay[start]) {
        start += 1;
    }
    while end < line_end && is_continuation(hay[end]) {
        end += 1;
    }
    let mut text = String::new();
    if start > line_start {
        text.push('…');
    }
    let mut cursor = start;
    let mut highlight = None;
    for (s, shown) in &shown {
        if s.start > cursor {
            if cursor <= span.start && span.end <= s.start && highlight.is_none() {
                push_visible(&mut text, &hay[cursor..span.start]);
                let from = text.len();
                push_visible(&mut text, &hay[span.clone()]);
                highlight = Some(from..text.len());
                cursor = span.end;
            }
            push_visible(&mut text, &hay[cursor..s.start]);
        }
        let from = text.len();
        text.push_str(shown);
        if s.start < span.end && span.start < s.end {
            highlight.get_or_insert(from..text.len());
        }
        cursor = cursor.max(s.end);
    }
    if highlight.is_none() && cursor <= span.start {
        push_visible(&mut text, &hay[cursor..span.start]);
        let from = text.len();
        push_visible(&mut text, &hay[span.clone()]);
        highlight = Some(from..text.len());
        cursor = span.end;
    }
    push_visible(&mut text, &hay[cursor.min(end)..end]);
    if end < line_end {
        text.push('…');
    }
    Snippet {
        text,
        highlight: highlight.unwrap_or(0..0),
    }
}

/// The part of `line` shown around `span`: [`CONTEXT`] bytes on each side, widened over
/// every mask and every token body it touches so that it cuts none in two; and those
/// masks, disjoint and sorted. One look is enough: all that a widened window newly shows
/// lies within the mask it was widened over.
fn window(
    hay: &[u8],
    span: &Range<usize>,
    line: &Range<usize>,
    masks: &Masks,
) -> (Range<usize>, Vec<(Range<usize>, String)>) {
    let window =
        span.start.saturating_sub(CONTEXT).max(line.start)..(span.end + CONTEXT).min(line.end);
    let mut found: Vec<(Range<usize>, String)> = masks.overlapping(&window).to_vec();
    found.extend(bodies(hay, line, &window));
    found.sort_by_key(|(s, _)| s.start);
    let found = Masks::new(found).spans;
    let window = found.iter().fold(window, |w, (s, _)| {
        w.start.min(s.start.max(line.start))..w.end.max(s.end.min(line.end))
    });
    (window, found)
}

/// How far beyond a window a token-shaped run is looked for, in bytes: far enough to hold
/// eight whole groups of any run that reaches further, each group with its longest
/// separator (at most 18 bytes), and one more group cut by the edge.
const RUN_REACH: usize = 192;

/// Any run shaped like a token's body, for snippets alone: eight or more groups of eight
/// hex digits, either case, joined by up to [`MAX_SEPARATOR`] bytes of anything.
///
/// Why a shape and not a list of separators: a token in an encoding the scanner does not
/// decode (`%252D`, `&minus;`, `\055`, `%u002D`, `\x2D\x2D`, one not yet thought of)
/// between two findings on a line would show whole across their two snippets, and a list
/// is never complete. Clipping each snippet at the midpoint between two findings would
/// not help: the two halves together still show the whole gap. Longer separators need no
/// mask: two snippets show at most [`CONTEXT`] bytes on either side of the gap between
/// their findings, 120 in all, and such a run is at least 64 + 7 × 13 = 155 bytes long,
/// so part of every run longer than that is shown by neither. The work per snippet is
/// bounded: the search looks at the window and [`RUN_REACH`] bytes on either side.
const MAX_SEPARATOR: usize = 12;

/// Every run shaped like a token's body in `line` that `window` touches, with its redacted
/// text: a token's body ([`crate::token::body_run`]), or eight or more groups of eight
/// hex digits joined by up to [`MAX_SEPARATOR`] bytes of anything (see there). Whatever
/// stands before it, a token in an encoding that the scanner does not decode must not show
/// across the snippets of two findings beside it. The search reaches [`RUN_REACH`] beyond
/// the window on each side, so that a run that reaches into the window is masked over all
/// of the window, whichever finding's snippet it is; the work per snippet stays bounded.
fn bodies(hay: &[u8], line: &Range<usize>, window: &Range<usize>) -> Vec<(Range<usize>, String)> {
    static BODY: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        let pattern = crate::token::snippet_mask_pattern(MAX_SEPARATOR);
        regex::bytes::Regex::new(&pattern).expect("a valid regex")
    });
    let from = window.start.saturating_sub(RUN_REACH).max(line.start);
    let to = (window.end + RUN_REACH).min(line.end);
    BODY.find_iter(&hay[from..to])
        .map(|m| from + m.start()..from + m.end())
        .filter(|r| r.start < window.end && window.start < r.end)
        .map(|r| {
            let shown = crate::token::shorten_body(&String::from_utf8_lossy(&hay[r.clone()]));
            (r, shown)
        })
        .collect()
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xC0).contains(&b)
}

/// Appends `bytes` as text, with control characters other than tab shown as spaces so
/// that a terminal shows one line.
fn push_visible(text: &mut String, bytes: &[u8]) {
    for c in String::from_utf8_lossy(bytes).chars() {
        text.push(if c.is_control() && c != '\t' { ' ' } else { c });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_newline_only() {
        let hay = b"a\r\nb\rc\x0cd\xe2\x80\xa8e\nX";
        let x = hay.iter().position(|&b| b == b'X').unwrap();
        let e = hay.iter().position(|&b| b == b'e').unwrap();
        let mut loc = Locator::new(hay);
        assert_eq!(loc.locate(e), (2, 7));
        assert_eq!(loc.locate(x), (3, 1));
        assert_eq!(loc.locate(0), (1, 1));
    }

    #[test]
    fn columns_count_characters_and_invalid_bytes() {
        let hay = "é€😀X".as_bytes();
        let mut loc = Locator::new(hay);
        assert_eq!(loc.locate(hay.len() - 1), (1, 4));
        let latin1 = b"caf\xe9 \xa9X";
        assert_eq!(Locator::new(latin1).locate(latin1.len() - 1), (1, 7));
    }

    #[test]
    fn a_utf8_byte_order_mark_is_not_a_column() {
        let hay = b"\xEF\xBB\xBFX\nY";
        let mut loc = Locator::new(hay);
        assert_eq!(loc.locate(3), (1, 1));
        assert_eq!(loc.locate(5), (2, 1));
    }

    #[test]
    fn columns_continue_along_a_long_line() {
        let hay = "ä".repeat(1000) + "X" + &"ö".repeat(1000) + "Y";
        let mut loc = Locator::new(hay.as_bytes());
        assert_eq!(loc.locate(2000), (1, 1001));
        assert_eq!(loc.locate(hay.len() - 1), (1, 2002));
    }

    #[test]
    fn snippet_redacts_every_secret_and_windows_long_lines() {
        let line = format!(
            "{}SECRET1 and SECRET2{}\r\nnext",
            "a".repeat(500),
            "b".repeat(500)
        );
        let hay = line.as_bytes();
        let s1 = 500..507;
        let s2 = 512..519;
        let masks = Masks::new(vec![
            (s1.clone(), "S…1".to_string()),
            (s2.clone(), "S…2".to_string()),
        ]);
        let snip = snippet(hay, &s1, &masks);
        assert!(!snip.text.contains("SECRET"), "{}", snip.text);
        assert_eq!(&snip.text[snip.highlight.clone()], "S…1");
        assert!(snip.text.starts_with('…') && snip.text.ends_with('…'));
        assert!(snip.text.len() < 200);
        let snip2 = snippet(hay, &s2, &masks);
        assert_eq!(&snip2.text[snip2.highlight.clone()], "S…2");
        assert!(snip2.text.contains("S…1"));
    }

    #[test]
    fn a_line_longer_than_the_reach_is_cut_on_both_sides() {
        // Each of many findings on one long line used to read the whole line.
        let hay = format!(
            "{}SECRET{}\nnext",
            "x".repeat(3 * REACH),
            "y".repeat(3 * REACH)
        );
        let span = 3 * REACH..3 * REACH + 6;
        let snip = snippet(
            hay.as_bytes(),
            &span,
            &Masks::new(vec![(span.clone(), "S…".to_string())]),
        );
        assert_eq!(
            snip.text,
            format!("…{}S…{}…", "x".repeat(CONTEXT), "y".repeat(CONTEXT))
        );
    }

    #[test]
    fn overlapping_secrets_are_masked_whole() {
        // A custom rule's secret inside a longer match, overlapping a token: nothing of
        // either may show.
        let hay = b"export TOKEN=pa1.0/AAAA-BBBB-CCCC-DDDD end";
        let custom = 7..25;
        let token = 13..38;
        let masks = Masks::new(vec![
            (custom.clone(), "C…".to_string()),
            (token.clone(), "pa1.0/AAAA…DDDD".to_string()),
        ]);
        for span in [&custom, &token] {
            let snip = snippet(hay, span, &masks);
            assert_eq!(snip.text, "export C… end");
            assert_eq!(&snip.text[snip.highlight.clone()], "C…");
        }
    }

    #[test]
    fn token_bodies_are_masked_whatever_their_prefix() {
        // A token the scanner does not decode, between two that it found: each snippet
        // shows only the ends of its body, however far its window reaches.
        let groups = |c: char| vec![c.to_string().repeat(8); 8].join("-");
        let hidden = format!("0123{}-{}", &groups('A')[4..], "4567ABCD");
        let hay = format!("S1 pa1.0\\u002F{hidden} {} S2", "x".repeat(40));
        let hay = hay.as_bytes();
        let (s1, s2) = (0..2, hay.len() - 2..hay.len());
        let masks = Masks::new(vec![
            (s1.clone(), "S…1".to_string()),
            (s2.clone(), "S…2".to_string()),
        ]);
        for span in [&s1, &s2] {
            let snip = snippet(hay, span, &masks);
            // Any eight hex digits may start the run: here `002F` of the escape does.
            assert!(snip.text.contains("…ABCD"), "{}", snip.text);
            assert!(!snip.text.contains("AAAA"), "{}", snip.text);
        }
    }

    #[test]
    fn bodies_in_undecoded_encodings_are_masked_in_both_neighbours() {
        // A token whose `-` are written some other way, between two findings: neither
        // snippet shows its body, nor do the two together.
        let groups: Vec<String> = (0..8u32)
            .map(|i| format!("{:08X}", 0x2545_F491u32.wrapping_mul(i + 7)))
            .collect();
        for sep in ["%2D", "_", " ", "\\x2d", "\\u002d", ""] {
            let body = groups.join(sep);
            let hay = format!("S1 M=pa1.0/{body} S2");
            let hay = hay.as_bytes();
            let (s1, s2) = (0..2, hay.len() - 2..hay.len());
            let masks = Masks::new(vec![
                (s1.clone(), "S…1".to_string()),
                (s2.clone(), "S…2".to_string()),
            ]);
            let both = [&s1, &s2].map(|s| snippet(hay, s, &masks).text).join("");
            for g in &groups[1..7] {
                assert!(!both.contains(g.as_str()), "{sep:?}: {both}");
            }
            // Masked whole: its ends show, and nothing of it beside them.
            let ends = format!("{}…{}", &groups[0][..4], &groups[7][4..]);
            assert!(both.contains(&format!("{ends} S…2")), "{sep:?}: {both}");
        }
    }

    #[test]
    fn a_long_run_of_groups_is_masked_over_every_window() {
        // Findings inside a long run of hex groups: no snippet shows eight groups whole.
        let group = |i: usize| format!("{:08X}", i * 0x1111_1111 % 0xFFFF_FFFF);
        let run: Vec<String> = (0..200).map(group).collect();
        let hay = run.join("-");
        let hay = hay.as_bytes();
        for at in [0, 450, 900, hay.len() - 8] {
            let span = at..at + 8;
            let snip = snippet(hay, &span, &Masks::new(Vec::new()));
            let shown = snip.text.replace('…', " ");
            let longest = shown.split(' ').map(str::len).max().unwrap_or(0);
            assert!(longest < 71, "{}", snip.text);
        }
    }

    #[test]
    fn plain_fields_are_highlighted_as_they_are() {
        let hay = b"{\"token\": \"SECRET\", \"expires\": \"2030-01-01\"}";
        let masks = Masks::new(vec![(11..17, "S…".to_string())]);
        let date = 32..42;
        let snip = snippet(hay, &date, &masks);
        assert_eq!(
            snip.text,
            "{\"token\": \"S…\", \"expires\": \"2030-01-01\"}"
        );
        assert_eq!(&snip.text[snip.highlight.clone()], "2030-01-01");
        let before = snippet(
            b"\"2030-01-01\" then SECRET",
            &(1..11),
            &Masks::new(vec![(18..24, "S…".to_string())]),
        );
        assert_eq!(before.text, "\"2030-01-01\" then S…");
        assert_eq!(&before.text[before.highlight.clone()], "2030-01-01");
    }
}
