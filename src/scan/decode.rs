//! Decoders that turn encoded text back into something the rules can match: UTF-16 files
//! (by their byte-order mark) and base64 runs inside any text. (Escaped slashes, `\/` and
//! `%2F`, are simple enough that the rule regexes match them directly.)
//!
//! Finding base64 must not cost a pass over every byte: a run long enough to hold a secret
//! is at least `2 * stride` bytes long, so it covers two consecutive sample points spaced
//! `stride` apart. Only where two samples are both base64 characters do we look closer.

use std::ops::Range;

use crate::finding::Encoding;

/// The text of a UTF-16 file with a byte-order mark, as UTF-8; `None` for other files.
/// Unpaired surrogates become U+FFFD.
pub(crate) fn utf16_text(data: &[u8]) -> Option<(String, Encoding)> {
    let encoding = utf16_encoding(data)?;
    let mut text = Vec::with_capacity(data.len());
    Utf16Decoder::new(encoding).decode(&data[2..], true, &mut text);
    let text = String::from_utf8(text).expect("decoded UTF-16 is UTF-8");
    Some((text, encoding))
}

/// The encoding a decoded view of a file starting with these bytes has, if any.
pub(crate) fn utf16_encoding(first: &[u8]) -> Option<Encoding> {
    match first {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16be),
        _ => None,
    }
}

/// Decodes UTF-16 to UTF-8 piece by piece: a code unit or a surrogate pair split between
/// two pieces is decoded whole. Unpaired surrogates become U+FFFD; an odd last byte is
/// dropped.
pub(crate) struct Utf16Decoder {
    encoding: Encoding,
    /// Bytes of the previous piece not decoded yet.
    pending: Vec<u8>,
}

impl Utf16Decoder {
    pub(crate) fn new(encoding: Encoding) -> Utf16Decoder {
        Utf16Decoder {
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
        let mut utf8 = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        if !last {
            self.pending = bytes[whole..].to_vec();
        }
    }
}

/// The value of a base64 character (the standard alphabet), or `INVALID`.
const INVALID: u8 = 0xFF;
static BASE64: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

pub(crate) fn is_base64(b: u8) -> bool {
    BASE64[b as usize] != INVALID
}

/// Bytes checked at each sample point, all at once.
const WINDOW: usize = 16;

/// Calls `f` with every maximal run of base64 characters in `hay` that is at least
/// `min_run` (≥ 16) bytes long and has a sample point in `samples`. Returns where the
/// next call should start sampling, so that a caller can sample `hay` block by block.
pub(crate) fn base64_runs(
    hay: &[u8],
    samples: Range<usize>,
    min_run: usize,
    mut f: impl FnMut(Range<usize>),
) -> usize {
    // Every run of `min_run` bytes holds a whole window that starts at a sample point.
    let stride = min_run.max(WINDOW) - WINDOW + 1;
    let mut p = samples.start;
    while p < samples.end && p + WINDOW <= hay.len() {
        if base64_mask(window(hay, p)) != ALL {
            p += stride;
            continue;
        }
        let (start, end) = (run_start(hay, p), run_end(hay, p + WINDOW));
        if end - start >= min_run {
            f(start..end);
        }
        p = end + 1;
    }
    p
}

/// A mask with a bit for every byte of a window.
const ALL: u32 = (1 << WINDOW) - 1;

fn window(hay: &[u8], at: usize) -> &[u8; WINDOW] {
    hay[at..at + WINDOW].try_into().expect("a whole window")
}

/// Where the run of base64 characters that ends at `end` starts.
fn run_start(hay: &[u8], mut start: usize) -> usize {
    while start >= WINDOW {
        let valid = base64_mask(window(hay, start - WINDOW));
        if valid != ALL {
            // The valid bytes at the end of the window, above its last invalid one.
            return start - (valid << (32 - WINDOW)).leading_ones() as usize;
        }
        start -= WINDOW;
    }
    while start > 0 && is_base64(hay[start - 1]) {
        start -= 1;
    }
    start
}

/// Where the run of base64 characters that continues at `end` ends.
fn run_end(hay: &[u8], mut end: usize) -> usize {
    while end + WINDOW <= hay.len() {
        let valid = base64_mask(window(hay, end));
        if valid != ALL {
            return end + valid.trailing_ones() as usize;
        }
        end += WINDOW;
    }
    while end < hay.len() && is_base64(hay[end]) {
        end += 1;
    }
    end
}

/// A bit for each byte of the window, set where the byte is a base64 character.
#[cfg(target_arch = "x86_64")]
fn base64_mask(window: &[u8; WINDOW]) -> u32 {
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
        // Setting bit 5 folds A-Z onto a-z and moves no other byte into a-z.
        let letters = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', b'z');
        let slash_digits = in_range(x, b'/', b'9');
        let plus = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'+' as i8));
        let valid = _mm_or_si128(letters, _mm_or_si128(slash_digits, plus));
        _mm_movemask_epi8(valid) as u32
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn base64_mask(window: &[u8; WINDOW]) -> u32 {
    window
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | (u32::from(is_base64(b)) << i))
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
    fn the_window_mask_agrees_with_the_table() {
        for b in 0..=255u8 {
            for pos in 0..WINDOW {
                let mut w = [b'A'; WINDOW];
                w[pos] = b;
                let expected = if is_base64(b) { ALL } else { ALL & !(1 << pos) };
                assert_eq!(base64_mask(&w), expected, "byte {b:#x} at {pos}");
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

    fn runs(hay: &str, min: usize) -> Vec<&str> {
        let mut found = Vec::new();
        base64_runs(hay.as_bytes(), 0..hay.len(), min, |r| found.push(&hay[r]));
        found
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
        assert_eq!(utf16_text(&le), Some((text.to_string(), Encoding::Utf16le)));
        assert_eq!(utf16_text(&be), Some((text.to_string(), Encoding::Utf16be)));
        assert_eq!(utf16_text(text.as_bytes()), None);
    }
}
