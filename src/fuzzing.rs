//! Entry points for the fuzz targets in `fuzz/` and the property tests: the parsers,
//! decoders and windowed scan, reachable from outside the crate without making them part
//! of its API. Compiled only with the `fuzzing` feature, which `fuzz/Cargo.toml` and the
//! crate's own tests (a dev-dependency on itself) turn on.

use crate::scan::decode;

/// Decoders on arbitrary bytes: UTF-16 and UTF-32, and the detection and decoding of
/// base64 runs (wrapped too), hex digits and percent-encoded bytes.
pub fn decoders(data: &[u8]) {
    let _ = decode::decoded_text(data);
    let mut decoded = Vec::new();
    let (mut runs, mut percent) = (Vec::new(), Vec::new());
    let min = 16 + usize::from(data.first().copied().unwrap_or(0) % 100);
    let mins = decode::MinRuns {
        base64: min,
        percent: 3 * min,
    };
    let start = decode::ViewStart::Line;
    decode::encoded_runs(data, 0..data.len(), mins, start, |run| match run {
        decode::Found::Base64(run) => runs.push(run.to_vec()),
        decode::Found::Percent(run) => percent.push(run),
    });
    for run in runs {
        assert!(run.iter().map(|p| p.len()).sum::<usize>() >= min);
        assert!(run.windows(2).all(|w| w[0].end < w[1].start));
        let joined: Vec<u8> = run.iter().flat_map(|p| data[p.clone()].to_vec()).collect();
        decode::base64_decode(&joined, &mut decoded);
        decode::hex_runs(&joined, min, |digits| {
            decode::hex_decode(&joined[digits.clone()], &mut decoded);
            assert_eq!(decoded.len(), digits.len() / 2);
        });
    }
    for run in percent {
        assert!(run.len() >= 3 * min && run.len() % 3 == 0);
        decode::percent_decode(&data[run.clone()], &mut decoded);
        assert_eq!(decoded.len(), run.len() / 3);
    }
    for at in [0, data.len() / 3, data.len() / 2] {
        if let Some(run) = decode::in_run(data, at, start) {
            assert!(run.at >= at && decode::is_base64(data[run.at]));
        }
    }
    decode::base64_decode(data, &mut decoded);
    assert!(decoded.len() <= data.len() / 4 * 3 + 3);
}

/// A rule file's text.
pub fn rule_file(text: &str) {
    let _ = crate::rules::parse_rule("fuzz.toml", text);
}

/// `data` scanned in windows of `size` (at least 4) bytes with `context` bytes of context,
/// as a large file is, read in pieces of `piece` bytes; spans are offsets in `data`.
pub fn scan_in_windows(
    scanner: &crate::scan::Scanner,
    data: &[u8],
    size: usize,
    context: usize,
    piece: usize,
) -> Vec<crate::finding::Finding> {
    let open = |skip: u64| {
        Ok(Pieces {
            data: &data[(skip as usize).min(data.len())..],
            piece,
        })
    };
    let mut findings = Vec::new();
    let windows = crate::scan::stream::Windows { size, context };
    scanner
        .scan_file_windows(
            open,
            &mut Vec::new(),
            windows,
            &mut crate::scan::Scratch::default(),
            |_, offset, mut m| {
                m.span = m.span.map(|s| s.start + offset..s.end + offset);
                findings.push(scanner.finding("fuzz", m));
            },
        )
        .expect("reading a slice does not fail");
    findings
}

/// A reader that hands out at most `piece` bytes at a time.
struct Pieces<'a> {
    data: &'a [u8],
    piece: usize,
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.piece.max(1).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}
