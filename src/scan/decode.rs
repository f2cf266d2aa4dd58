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
    let (encoding, body) = match data {
        [0xFF, 0xFE, body @ ..] => (Encoding::Utf16le, body),
        [0xFE, 0xFF, body @ ..] => (Encoding::Utf16be, body),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        match encoding {
            Encoding::Utf16le => u16::from_le_bytes(pair),
            _ => u16::from_be_bytes(pair),
        }
    });
    let text = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some((text, encoding))
}

/// The value of a base64 character (standard or URL-safe alphabet), or `INVALID`.
const INVALID: u8 = 0xFF;
static BASE64: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

fn is_base64(b: u8) -> bool {
    BASE64[b as usize] != INVALID
}

/// Calls `f` with every maximal run of base64 characters in `hay` that is at least
/// `min_run` bytes long.
pub(crate) fn base64_runs(hay: &[u8], min_run: usize, mut f: impl FnMut(Range<usize>)) {
    let stride = (min_run / 2).max(1);
    let mut p = stride;
    while p < hay.len() {
        if !(is_base64(hay[p]) && is_base64(hay[p - stride])) {
            p += stride;
            continue;
        }
        let mut start = p;
        while start > 0 && is_base64(hay[start - 1]) {
            start -= 1;
        }
        if start > p - stride {
            // The run does not reach back to the previous sample; if it is long
            // enough, the next pair of samples lies inside it.
            p += stride;
            continue;
        }
        let mut end = p + 1;
        while end < hay.len() && is_base64(hay[end]) {
            end += 1;
        }
        if end - start >= min_run {
            f(start..end);
        }
        p = end + stride;
    }
}

/// Decodes base64 text into `out` (cleared first), ignoring a trailing partial quantum.
pub(crate) fn base64_decode(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len() / 4 * 3 + 2);
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
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
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

    fn runs(hay: &str, min: usize) -> Vec<&str> {
        let mut found = Vec::new();
        base64_runs(hay.as_bytes(), min, |r| found.push(&hay[r]));
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
