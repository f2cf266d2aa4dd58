//! Entry points for the fuzz targets in `fuzz/` and the property tests: the parsers,
//! decoders and windowed scan, reachable from outside the crate without making them part
//! of its API. Compiled only with the `fuzzing` feature, which `fuzz/Cargo.toml` and the
//! crate's own tests (a dev-dependency on itself) turn on.

use crate::scan::decode;

/// Decoders on arbitrary bytes: UTF-16, base64 run detection and decoding.
pub fn decoders(data: &[u8]) {
    let _ = decode::utf16_text(data);
    let mut decoded = Vec::new();
    let mut runs = Vec::new();
    let min = 16 + usize::from(data.first().copied().unwrap_or(0) % 100);
    decode::base64_runs(data, 0..data.len(), min, |run| runs.push(run));
    for run in runs {
        assert!(run.end <= data.len() && run.len() >= min);
        decode::base64_decode(&data[run], &mut decoded);
    }
    decode::base64_decode(data, &mut decoded);
    assert!(decoded.len() <= data.len() / 4 * 3 + 3);
}

/// Archive parsing on arbitrary bytes, as the kind its magic bytes say, else as the kind
/// its first byte picks: no panic, every member's label printable, and no more bytes
/// handed over than the limits let through.
pub fn archives(data: &[u8]) {
    use crate::archive::{self, ArchiveLimits, Input, Kind, Visitor};
    use std::io::Read;

    struct Members(u64);
    impl Visitor for Members {
        fn member(&mut self, label: &str, head: &[u8], rest: &mut dyn Read) -> std::io::Result<()> {
            assert!(!label.chars().any(char::is_control), "{label:?}");
            self.0 += head.len() as u64 + std::io::copy(rest, &mut std::io::sink())?;
            Ok(())
        }
        fn warn(&mut self, label: &str, message: String) {
            assert!(!label.chars().any(char::is_control) && !message.contains('\n'));
        }
    }
    const KINDS: [Kind; 6] = [
        Kind::Gzip,
        Kind::Bzip2,
        Kind::Xz,
        Kind::Zstd,
        Kind::Zip,
        Kind::Tar,
    ];
    let Some(&first) = data.first() else { return };
    let kind = archive::sniff(data).unwrap_or(KINDS[usize::from(first) % KINDS.len()]);
    let limits = ArchiveLimits {
        bytes: 8 << 20,
        members: 1000,
        ..ArchiveLimits::default()
    };
    let mut members = Members(0);
    archive::expand(Input::Held(data), kind, "fuzz.bin", &limits, &mut members);
    assert!(members.0 <= limits.bytes + data.len() as u64);
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
