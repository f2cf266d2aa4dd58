//! Files too large to hold whole are scanned in windows of bounded size, so that memory
//! stays bounded whatever the size of the files.
//!
//! Windows overlap. A match belongs to the window its start lies in, outside the overlap
//! at its end, which is as long as the longest match (encoded in base64 too) and then
//! some: every match that starts in a window ends inside it. The overlap at a window's
//! start gives matches, snippets and inline markers the text before them. Each window
//! starts where a base64 run that crosses it keeps its quantum phase, and never inside a
//! UTF-8 character, so decoding and columns go on as if the file were whole.

use std::io::{self, Read};

use super::decode::{self, text_encoding, InRun, TextDecoder, ViewStart, WrappedLine};
use super::matcher::Carried;
use super::{Match, Origin, Part, Scanner, Scratch};

/// The size of a window, without its overlap: what a worker holds of a large file.
pub(crate) const WINDOW: usize = 4 << 20;

/// How large windows are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Windows {
    /// A window's size, without its overlaps.
    pub(crate) size: usize,
    /// Overlap beyond the longest match: room for snippets and for the lines that inline
    /// markers are looked for on (see `check::lines_around`).
    pub(crate) context: usize,
}

impl Windows {
    pub(crate) const DEFAULT: Windows = Windows {
        size: WINDOW,
        context: 16 << 10,
    };
}

/// Where a view's bytes come from, in pieces.
pub(crate) enum Source<R> {
    /// The file's own bytes.
    Raw(R),
    /// The file's text, decoded from UTF-16 or UTF-32 to UTF-8.
    Decoded(R, TextDecoder),
}

impl<R: Read> Source<R> {
    /// Appends to `buf` until it holds at least `want` bytes; true when the source is at
    /// its end.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
        let missing = want.saturating_sub(buf.len()) as u64;
        match self {
            Source::Raw(reader) => Ok(reader.take(missing).read_to_end(buf)? < missing as usize),
            Source::Decoded(reader, decoder) => {
                let mut raw = Vec::new();
                while buf.len() < want {
                    // Text is from half to 1.5 times as long as its UTF-16.
                    let ask = ((want - buf.len()) as u64).max(2);
                    raw.clear();
                    let end = reader.take(ask).read_to_end(&mut raw)? < ask as usize;
                    decoder.decode(&raw, end, buf);
                    if end {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}

impl Scanner {
    /// The overlap windows need, or `None` when a rule's matches have no bounded length
    /// and the file must be scanned whole.
    pub(crate) fn window_overlap(&self, context: usize) -> Option<usize> {
        let longest = self.matcher.max_match_len?;
        // A match encoded in base64 and a quantum of phase, or in hex and a digit.
        let encoded = (longest.div_ceil(3) * 4 + 4).max(2 * longest + 2);
        // Wrapped: a line break and an indentation every `MIN_WRAPPED_LINE` characters.
        let breaks = (encoded / decode::MIN_WRAPPED_LINE + 2) * (decode::MAX_INDENT + 2);
        Some(longest.max(encoded + breaks) + context)
    }

    /// Scans a file window by window, as [`Scanner::scan`] scans one held whole: its
    /// UTF-16 or UTF-32 text when it is that ([`text_encoding`]), and its bytes unless it
    /// is that text alone. `open(skip)` reads the file from byte `skip` on; it is called once for
    /// each pass over the file. Each window's findings, with spans in the window, go to
    /// `each` one at a time, together with the window and its offset in the view (spans
    /// of decoded text are `None`).
    pub(crate) fn scan_file_windows<R: Read>(
        &self,
        mut open: impl FnMut(u64) -> io::Result<R>,
        buf: &mut Vec<u8>,
        windows: Windows,
        scratch: &mut Scratch,
        mut each: impl FnMut(&[u8], usize, Match),
    ) -> io::Result<()> {
        buf.clear();
        open(0)?.take(super::BINARY_SNIFF as u64).read_to_end(buf)?;
        let raw = if super::is_binary(buf) {
            Content::Binary
        } else {
            Content::Text
        };
        if let Some(te) = text_encoding(buf) {
            let source = |reader| Source::Decoded(reader, TextDecoder::new(te.encoding));
            // Decoded text is text, whatever the bytes.
            let text = self.view(|| Ok(source(open(te.bom as u64)?)), buf, Content::Text)?;
            self.scan_windows(text, buf, windows, scratch, &mut each)?;
            if raw == Content::Text {
                return Ok(());
            }
        }
        let bytes = self.view(|| Ok(Source::Raw(open(0)?)), buf, raw)?;
        self.scan_windows(bytes, buf, windows, scratch, each)
    }

    /// The view that `open` reads, opened for scanning after a first pass for its keyword
    /// verdict when one is needed.
    fn view<R: Read>(
        &self,
        mut open: impl FnMut() -> io::Result<Source<R>>,
        buf: &mut Vec<u8>,
        content: Content,
    ) -> io::Result<View<R>> {
        let active = self.keywords_of(&mut open, buf)?;
        buf.clear();
        Ok(View {
            source: open()?,
            content,
            active,
        })
    }

    /// When a rule's keywords decide whether it runs: which rules' keywords occur anywhere
    /// in the view that `open` reads, for every window to use.
    fn keywords_of<R: Read>(
        &self,
        open: impl FnOnce() -> io::Result<Source<R>>,
        buf: &mut Vec<u8>,
    ) -> io::Result<Option<Vec<bool>>> {
        if !self.matcher.has_keyword_gate() {
            return Ok(None);
        }
        let mut source = open()?;
        // Pieces overlap by a keyword's length less one, so that none is cut in two.
        let overlap = self.matcher.longest_keyword().saturating_sub(1);
        let mut active = Vec::new();
        buf.clear();
        loop {
            let eof = source.fill(buf, WINDOW + overlap)?;
            self.matcher.keywords_in(buf, &mut active);
            if eof {
                return Ok(Some(active));
            }
            buf.drain(..buf.len() - overlap);
        }
    }

    /// Scans a view window by window: `buf` holds its first bytes, and the rest come from
    /// its source.
    fn scan_windows<R: Read>(
        &self,
        mut view: View<R>,
        buf: &mut Vec<u8>,
        windows: Windows,
        scratch: &mut Scratch,
        mut each: impl FnMut(&[u8], usize, Match),
    ) -> io::Result<()> {
        let overlap = self
            .window_overlap(windows.context)
            .expect("windows need rules with bounded matches");
        let mut cursor = WindowCursor::new(view.active.take());
        loop {
            let eof = view.source.fill(buf, windows.size + 2 * overlap)?;
            // A window's own matches start before the overlap at its end, where the next
            // window's start.
            let keep_to = (!eof).then(|| cursor.offset + buf.len() - overlap);
            self.scan_window(buf, keep_to, &view, &mut cursor, scratch, &mut each);
            let Some(keep_to) = keep_to else {
                return Ok(());
            };
            cursor.advance(buf, keep_to, overlap);
        }
    }

    /// Scans `data`, a file held whole, window by window as [`Scanner::scan_file_windows`]
    /// scans a file read from disk, with the same findings; each window is a slice of
    /// `data`, copied nowhere. Its UTF-16 or UTF-32 text, which must be decoded, is read
    /// as a file's is.
    pub(crate) fn scan_held_windows(
        &self,
        data: &[u8],
        windows: Windows,
        scratch: &mut Scratch,
        mut each: impl FnMut(&[u8], usize, Match),
    ) {
        if text_encoding(data).is_some() {
            let open = |skip: u64| {
                Ok(&data[usize::try_from(skip).map_or(data.len(), |s| s.min(data.len()))..])
            };
            return self
                .scan_file_windows(open, &mut Vec::new(), windows, scratch, each)
                .expect("reading a slice does not fail");
        }
        let overlap = self
            .window_overlap(windows.context)
            .expect("windows need rules with bounded matches");
        let active = self.matcher.has_keyword_gate().then(|| {
            let mut active = Vec::new();
            self.matcher.keywords_in(data, &mut active);
            active
        });
        let view = View {
            source: Source::Raw(io::empty()),
            content: if super::is_binary(data) {
                Content::Binary
            } else {
                Content::Text
            },
            active: None,
        };
        let mut cursor = WindowCursor::new(active);
        loop {
            // As `Source::fill` fills a window: at its end when fewer bytes are left.
            let want = windows.size + 2 * overlap;
            let eof = data.len() - cursor.offset < want;
            let window = &data[cursor.offset..data.len().min(cursor.offset + want)];
            let keep_to = (!eof).then(|| cursor.offset + window.len() - overlap);
            self.scan_window(window, keep_to, &view, &mut cursor, scratch, &mut each);
            let Some(keep_to) = keep_to else {
                return;
            };
            cursor.advance_in(window, keep_to, overlap);
        }
    }

    /// Scans one window of a view, whose own matches start before `keep_to` (anywhere
    /// after its start for the last window).
    fn scan_window<R>(
        &self,
        window: &[u8],
        keep_to: Option<usize>,
        view: &View<R>,
        cursor: &mut WindowCursor,
        scratch: &mut Scratch,
        each: &mut impl FnMut(&[u8], usize, Match),
    ) {
        let line = cursor.run_line.clone();
        let part = cursor.part(window, keep_to, view, line.as_ref());
        let offset = cursor.offset;
        let emit = &mut |f| each(window, offset, f);
        self.scan_part(&part, Some(cursor), scratch, emit);
    }
}

/// What a view holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Content {
    /// Text, or decoded text.
    Text,
    /// The bytes of a binary file: its findings get no snippet.
    Binary,
}

/// One view of a file, read window by window.
struct View<R> {
    source: Source<R>,
    content: Content,
    /// The keyword verdict over the whole view, when one is needed.
    active: Option<Vec<bool>>,
}

/// Where a scan of a view window by window stands: which window the buffer holds, and
/// what that window carries over from the windows before it, so that its matches are
/// those of the view scanned whole. Every offset is one in the view, whichever window the
/// buffer holds; the scanner sees offsets in the window, converted here.
pub(crate) struct WindowCursor {
    /// Where the window in the buffer starts.
    offset: usize,
    /// The line and column of the window's first byte.
    origin: Origin,
    /// Where the matches that are the window's own start; those before are the previous
    /// window's.
    keep_from: usize,
    /// The keyword gate's verdict for each pattern over the whole view, when a custom
    /// rule's keywords need one.
    active: Option<Vec<bool>>,
    /// For each pattern, where its chain of matches goes on.
    chain: Vec<usize>,
    /// Where the base64 run that goes on at the window's start starts.
    run_start: Option<usize>,
    /// When that run is wrapped, the line the window starts in.
    run_line: Option<WrappedLine>,
}

impl WindowCursor {
    fn new(active: Option<Vec<bool>>) -> WindowCursor {
        WindowCursor {
            offset: 0,
            origin: Origin::START,
            keep_from: 0,
            active,
            chain: Vec::new(),
            run_start: None,
            run_line: None,
        }
    }

    /// The window that `buf` holds, as a part to scan: its own matches start before
    /// `keep_to` (anywhere after `keep_from` for the last window).
    fn part<'b, R>(
        &self,
        buf: &'b [u8],
        keep_to: Option<usize>,
        view: &View<R>,
        line: Option<&'b WrappedLine>,
    ) -> Part<'b> {
        let outer = match &view.source {
            Source::Raw(_) => None,
            Source::Decoded(_, d) => Some(d.encoding()),
        };
        Part {
            bytes: buf,
            keep: self.keep_from - self.offset..keep_to.map_or(usize::MAX, |k| k - self.offset),
            origin: self.origin,
            outer,
            binary: view.content == Content::Binary,
            start: self.start_with(line),
        }
    }

    /// What stands at the window's start, for wrapped base64 runs, `line` being the line
    /// of the run that goes on there.
    fn start_with<'l>(&self, line: Option<&'l WrappedLine>) -> ViewStart<'l> {
        if self.offset == 0 {
            ViewStart::Line
        } else {
            ViewStart::Inside(line)
        }
    }

    /// What stands at the window's start, for wrapped base64 runs.
    fn view_start(&self) -> ViewStart<'_> {
        self.start_with(self.run_line.as_ref())
    }

    /// Moves on to the next window, dropping from `buf` what it no longer needs: the
    /// next window's own matches start at `keep_to`, and it starts up to `overlap` before.
    fn advance(&mut self, buf: &mut Vec<u8>, keep_to: usize, overlap: usize) {
        let next = self.advance_in(buf, keep_to, overlap);
        buf.drain(..next);
    }

    /// Moves on past `window`, the one just scanned, to the next window: where it starts
    /// in `window` is returned.
    fn advance_in(&mut self, window: &[u8], keep_to: usize, overlap: usize) -> usize {
        let (next, run) = window_start(window, keep_to - overlap - self.offset, self.view_start());
        let (run_start, run_line) = run.map_or((None, None), |r| (Some(r.run_start), r.line));
        self.run_start = run_start.map(|r| match (r, self.run_start) {
            (0, Some(start)) => start,
            (r, _) => self.offset + r,
        });
        self.run_line = run_line;
        self.origin = self.origin.advance(&window[..next]);
        self.offset += next;
        self.keep_from = keep_to;
        next
    }

    /// What the window carries over, for the matcher.
    pub(crate) fn carried(&self) -> Carried<'_> {
        Carried {
            active: self.active.as_deref(),
            chain: &self.chain,
            offset: self.offset,
        }
    }

    /// Records where each pattern's chain of matches goes on, `next_starts` being offsets
    /// in the window.
    pub(crate) fn carry(&mut self, next_starts: &[usize]) {
        self.chain.clear();
        self.chain
            .extend(next_starts.iter().map(|n| n + self.offset));
    }

    /// How much of a base64 run that goes on at the window's start lies before it.
    pub(crate) fn run_before(&self) -> usize {
        self.run_start.map_or(0, |start| self.offset - start)
    }
}

/// Where the next window starts, at or near `at`: in the quantum phase of a base64 run
/// (wrapped or not) that crosses `at`, else not inside a UTF-8 character. With that run,
/// if there is one (its start 0 when it goes on from before `buf`, whose start is in its
/// phase).
fn window_start(buf: &[u8], at: usize, view_start: ViewStart) -> (usize, Option<InRun>) {
    match decode::in_run(buf, at, view_start) {
        Some(run) => (run.at, Some(run)),
        None => (char_boundary(buf, at), None),
    }
}

/// The first offset from `at` on that is not inside a UTF-8 character. Columns count each
/// byte of invalid UTF-8 as one, so a window may start between two such bytes.
fn char_boundary(buf: &[u8], at: usize) -> usize {
    let is_continuation = |b: u8| (0x80..0xC0).contains(&b);
    // A character is at most four bytes: one that holds `at` starts at most three before.
    let Some(from) = (at.saturating_sub(3)..=at)
        .rev()
        .find(|&i| !is_continuation(buf[i]))
    else {
        return at;
    };
    let mut pos = from;
    for chunk in buf[from..(at + 4).min(buf.len())].utf8_chunks() {
        for c in chunk.valid().chars() {
            if pos >= at {
                return pos;
            }
            pos += c.len_utf8();
        }
        if pos >= at {
            return pos;
        }
        pos += chunk.invalid().len();
    }
    pos.max(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Encoding;
    use crate::scan::locate::char_count;

    #[test]
    fn windows_start_on_character_boundaries() {
        // é is C3 A9; 😀 is F0 9F 98 80.
        let text = "aé😀b".as_bytes();
        assert_eq!(char_boundary(text, 0), 0);
        assert_eq!(char_boundary(text, 2), 3);
        for at in 4..=6 {
            assert_eq!(char_boundary(text, at), 7, "{at}");
        }
        assert_eq!(char_boundary(text, 7), 7);
    }

    #[test]
    fn a_stray_continuation_byte_is_a_boundary_of_its_own() {
        // Found by the `windows` fuzz target: an emoji and then a stray continuation byte.
        // Moving back over continuation bytes split the emoji, and its column count.
        let bytes = b"x\xF0\x9F\x98\x80\x80\x80y";
        assert_eq!(char_boundary(bytes, 5), 5);
        assert_eq!(char_boundary(bytes, 6), 6);
        assert_eq!(char_boundary(bytes, 3), 5);
        let split = |at: usize| char_count(&bytes[..at]) + char_count(&bytes[at..]);
        let whole = char_count(bytes);
        for at in 0..bytes.len() {
            if char_boundary(bytes, at) == at {
                assert_eq!(split(at), whole, "{at}");
            }
        }
    }

    #[test]
    fn windows_start_in_the_phase_of_a_base64_run() {
        let buf = b"x: QUJDREVGR0hJSktMTU5PUFFSU1RVVldY end";
        let run_start = 3;
        for at in run_start..run_start + 20 {
            let (start, _) = window_start(buf, at, ViewStart::Line);
            assert!(start >= at && start < at + 4);
            assert_eq!((start - run_start) % 4, 0, "{at}");
        }
        // A run that reaches the buffer's start is in phase with it.
        let (start, run) = window_start(b"QUJDREVGR0hJ", 5, ViewStart::Inside(None));
        assert_eq!((start, run.map(|r| r.run_start)), (8, Some(0)));
    }

    /// In a wrapped run, the phase counts the run's characters, not the line breaks and
    /// indentation between them; a window never starts between two of its lines.
    #[test]
    fn windows_start_in_the_phase_of_a_wrapped_run() {
        // 61 characters: lines start out of phase.
        let line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpBQkNERUZHSElKS0xNTk9QQUJD";
        for (indent, eol) in [("", "\n"), ("  ", "\r\n"), ("\t", "\n")] {
            let text =
                format!("k: |{eol}{indent}{line}{eol}{indent}{line}{eol}{indent}QUJD{eol}x{eol}");
            let buf = text.as_bytes();
            let chars: Vec<usize> = (0..buf.len())
                .filter(|&i| {
                    let line_start = buf[..i]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |n| n + 1);
                    let content = line_start + indent.len();
                    buf[content..].starts_with(b"Q") && i >= content && decode::is_base64(buf[i])
                })
                .collect();
            for at in chars[0] - indent.len() - 1..*chars.last().unwrap() - 3 {
                let (start, run) = window_start(buf, at, ViewStart::Line);
                let run = run.unwrap_or_else(|| panic!("{at} is in the run"));
                let joined = chars
                    .iter()
                    .position(|&c| c == start)
                    .expect("a character of the run");
                assert_eq!(joined % 4, 0, "{at}");
                assert!(start >= at, "{at}");
                assert_eq!(run.run_start, chars[0]);
                let line = run.line.expect("a wrapped line");
                assert_eq!(line.indent, indent.as_bytes());
            }
        }
    }

    /// The cursor moves window by window: each window's bytes are the view's from its
    /// offset on, its origin is where that offset stands, and the windows' own parts
    /// (`keep`) tile the view, in order, with no gap and no overlap.
    #[test]
    fn a_cursor_tiles_the_view_with_windows() {
        let data: Vec<u8> = b"ab c\xC3\xA9 QUJDREVGR0hJ\n".repeat(60);
        let view = View {
            source: Source::Raw(&b""[..]),
            content: Content::Text,
            active: None,
        };
        let (size, overlap) = (50, 20);
        let mut cursor = WindowCursor::new(None);
        let mut buf = Vec::new();
        let mut kept = 0;
        loop {
            let offset = cursor.offset;
            let end = (offset + size + 2 * overlap).min(data.len());
            buf.extend_from_slice(&data[offset + buf.len()..end]);
            let eof = end == data.len();
            let keep_to = (!eof).then(|| offset + buf.len() - overlap);
            let part = cursor.part(&buf, keep_to, &view, None);
            assert_eq!(part.bytes, &data[offset..end]);
            assert_eq!(
                part.origin,
                Origin::START.advance(&data[..offset]),
                "{offset}"
            );
            assert_eq!(offset + part.keep.start, kept, "{offset}");
            let Some(keep_to) = keep_to else {
                assert_eq!(part.keep.end, usize::MAX);
                return;
            };
            assert_eq!(offset + part.keep.end, keep_to);
            kept = keep_to;
            cursor.advance(&mut buf, keep_to, overlap);
            assert!(cursor.offset > offset && cursor.offset <= keep_to - overlap + 4);
        }
    }

    #[test]
    fn utf16_split_anywhere_decodes_as_whole() {
        let text = "a😀é\u{FFFD}z".repeat(3);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for split in 0..=le.len() {
            let mut out = Vec::new();
            let mut d = decode::TextDecoder::new(Encoding::Utf16le);
            d.decode(&le[..split], false, &mut out);
            d.decode(&le[split..], true, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), text, "{split}");
        }
    }
}
