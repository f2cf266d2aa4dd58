//! Entry points for the fuzz targets in `fuzz/` and the property tests: the parsers,
//! decoders and windowed scan, reachable from outside the crate without making them part
//! of its API. Compiled only with the `fuzzing` feature, which `fuzz/Cargo.toml` and the
//! crate's own tests (a dev-dependency on itself) turn on.

use crate::scan::decode;

/// The base64 runs (as their pieces) and the percent-encoded runs that sampling finds in
/// `data`, when runs must be `min` characters long; checks that every way a CPU may
/// classify sample windows finds the same, and that windows of 16 and 32 bytes do.
pub fn sampled_runs_agree(
    data: &[u8],
    min: usize,
) -> (
    Vec<Vec<std::ops::Range<usize>>>,
    Vec<std::ops::Range<usize>>,
) {
    let mins = decode::MinRuns {
        base64: min,
        percent: 3 * min,
    };
    let start = decode::ViewStart::Line;
    let sampled = |way: Option<bool>| {
        let (mut runs, mut percent) = (Vec::new(), Vec::new());
        let f = |run: decode::Found| match run {
            decode::Found::Base64(run) => runs.push(run.to_vec()),
            decode::Found::Percent(run) => percent.push(run),
        };
        let next = match way {
            None => decode::encoded_runs(data, 0..data.len(), mins, start, f),
            Some(true) => {
                decode::encoded_runs_by::<decode::Compares, 32>(data, 0..data.len(), mins, start, f)
            }
            Some(false) => {
                decode::encoded_runs_by::<decode::Compares, 16>(data, 0..data.len(), mins, start, f)
            }
        };
        (runs, percent, next)
    };
    let found = sampled(None);
    // Windows as wide are sampled at the same points, whichever way they are classified.
    assert_eq!(found, sampled(Some(decode::samples_wide(mins))));
    if min >= decode::MIN_WIDE_RUN {
        let (narrow, wide) = (sampled(Some(false)), sampled(Some(true)));
        assert_eq!((&narrow.0, &narrow.1), (&wide.0, &wide.1));
    }
    (found.0, found.1)
}

/// Decoders on arbitrary bytes: UTF-16 and UTF-32, and the detection and decoding of
/// base64 runs (wrapped too), hex digits and percent-encoded bytes.
pub fn decoders(data: &[u8]) {
    let _ = decode::decoded_text(data);
    let mut decoded = Vec::new();
    let min = 16 + usize::from(data.first().copied().unwrap_or(0) % 100);
    let (runs, percent) = sampled_runs_agree(data, min);
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
        if let Some(run) = decode::in_run(data, at, decode::ViewStart::Line) {
            assert!(run.at >= at && decode::is_base64(data[run.at]));
        }
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

/// `scanner` decoding every long base64 run whole, and whether `scanner` itself decodes
/// them only where a match may start (when its rules allow).
pub fn decoding_runs_whole(scanner: crate::scan::Scanner) -> (crate::scan::Scanner, bool) {
    let sliced = scanner.decodes_runs_in_slices();
    (scanner.decoding_runs_whole(), sliced)
}

/// `scanner` with its combined regex searching on its own, and whether `scanner` itself
/// searches behind the lead bytes (when its rules and the CPU allow).
pub fn searching_without_lead_bytes(scanner: crate::scan::Scanner) -> (crate::scan::Scanner, bool) {
    let behind = scanner.searches_behind_lead_bytes();
    (scanner.searching_without_lead_bytes(), behind)
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

/// `data` held whole and scanned in windows as [`scan_in_windows`] scans it read from a
/// file, each window a slice of it: the same findings.
pub fn scan_held_in_windows(
    scanner: &crate::scan::Scanner,
    data: &[u8],
    size: usize,
    context: usize,
) -> Vec<crate::finding::Finding> {
    let mut findings = Vec::new();
    let windows = crate::scan::stream::Windows { size, context };
    let mut scratch = crate::scan::Scratch::default();
    scanner.scan_held_windows(data, windows, &mut scratch, |_, offset, mut m| {
        m.span = m.span.map(|s| s.start + offset..s.end + offset);
        findings.push(scanner.finding("fuzz", m));
    });
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

/// A token planted in `data`'s choice of encoding, after `data`'s bytes: wrapped base64
/// (standard or url-safe, at any width from 60, indented or not, LF or CRLF), hex digits,
/// every byte percent-encoded, UTF-16LE without a byte-order mark, UTF-32 with one. The
/// scanner must find it.
pub fn encodings(scanner: &crate::scan::Scanner, data: &[u8]) {
    let [how, width, rest @ ..] = data else {
        return;
    };
    let token = planted_token(rest);
    let noise = &rest[..rest.len().min(200)];
    let mut payload = noise.to_vec();
    payload.extend_from_slice(format!(" {token} ").as_bytes());
    let width = 60 + usize::from(*width);
    let (indent, eol) = (
        " ".repeat(usize::from(how >> 4) % 5),
        ["\n", "\r\n"][usize::from(how >> 3) & 1],
    );
    let text: Vec<u8> = match how % 6 {
        0 | 1 => {
            let mut encoded = base64_encode(&payload);
            if how % 6 == 1 {
                encoded = encoded.replace('+', "-").replace('/', "_");
            }
            format!("k: |{eol}{}", wrapped(&encoded, width, &indent, eol)).into_bytes()
        }
        2 => {
            let digits: String = payload.iter().map(|b| format!("{b:02x}")).collect();
            wrapped(&digits, width, "", eol).into_bytes()
        }
        3 => {
            let encoded: String = payload.iter().map(|b| format!("%{b:02X}")).collect();
            format!("GET /?q={encoded} HTTP/1.1\n").into_bytes()
        }
        // Text alone in these: the zero bytes of UTF-16 must say what it is.
        4 => format!("{} {token} ", printable(noise))
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect(),
        _ => [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(
                format!("{} {token} ", printable(noise))
                    .chars()
                    .flat_map(|c| u32::from(c).to_le_bytes()),
            )
            .collect(),
    };
    let findings = scanner.scan("fuzz", &text, &mut crate::scan::Scratch::default());
    assert!(
        findings
            .iter()
            .any(|f| f.secret.as_ref().is_some_and(|s| s.expose() == token)),
        "encoding {} not found",
        how % 6
    );
}

/// A token built from `seed`: eight groups of hex digits, never all the same.
fn planted_token(seed: &[u8]) -> String {
    let mut state = seed.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    });
    let groups: Vec<String> = (0..8)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            format!("{:08X}", (state >> 32) as u32 ^ i)
        })
        .collect();
    format!("pa1.0/{}", groups.join("-"))
}

/// `data` as printable ASCII.
fn printable(data: &[u8]) -> String {
    data.iter().map(|b| char::from(b' ' + b % 95)).collect()
}

/// `text` wrapped at `width` characters a line, each after `indent` and ended by `eol`.
pub fn wrapped(text: &str, width: usize, indent: &str, eol: &str) -> String {
    text.as_bytes()
        .chunks(width)
        .map(|line| format!("{indent}{}{eol}", String::from_utf8_lossy(line)))
        .collect()
}

/// Standard base64, padded.
pub fn base64_encode(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[(v >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// A pack and its index made of arbitrary bytes (the first two say how many of the rest
/// are the index's), written to a temporary object directory and read whole as a history
/// scan reads a repository's packs: no panic, and no object handed over larger than the
/// decoding limit, or with an id that is not one.
pub fn packs(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let (index, pack) = rest.split_at(usize::from(u16::from_le_bytes(*head)).min(rest.len()));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let packs = dir.path().join("pack");
    std::fs::create_dir(&packs).expect("a directory in it");
    std::fs::write(packs.join("pack-fuzz.idx"), index).expect("the index written");
    std::fs::write(packs.join("pack-fuzz.pack"), pack).expect("the pack written");
    let each = |seen: &mut usize, oid: &str, _: crate::git::Kind, data: &[u8]| {
        assert!(oid.len() == 40 && oid.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(data.len() <= crate::source::packs::DECODED_LIMIT);
        *seen += 1;
    };
    let _ = crate::source::packs::each_object::<usize>(dir.path(), 2, &each);
}
