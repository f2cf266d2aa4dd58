//! Properties of the scanner over random input: a token planted anywhere, in any supported
//! encoding, is found at the right line and column; and nothing it reports carries the token.

use proptest::prelude::*;
use tokenlint::rules::RuleSet;
use tokenlint::scan::{Scanner, Scratch};

use crate::common;
use common::{base64, hex, percent, token, wrap};

fn scanner() -> Scanner {
    Scanner::new(&RuleSet::load(&[]).unwrap(), true).unwrap()
}

/// The built-in rules and two custom ones that windows must take care with: one gated by a
/// keyword, and one whose matches could overlap.
fn windows_scanner() -> &'static Scanner {
    static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/window-rules");
        Scanner::new(&RuleSet::load(&[dir]).unwrap(), true).unwrap()
    })
}

/// Text lines: words, digits, spaces, punctuation, CR, form feeds, and non-ASCII letters.
fn line() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 _.,;:=\"'(){}é€😀\r\u{c}\u{2028}-]{0,40}").unwrap()
}

/// Text that may follow a token: a line that starts with a character that does not
/// continue the token's last group (no digit, no uppercase hex letter, no `-`), letters
/// included; or nothing.
fn after_token() -> impl Strategy<Value = String> {
    let first =
        proptest::string::string_regex("[G-Za-z_ .,;:=\"'(){}é€😀\r\u{c}\u{2028}]?").unwrap();
    (first, line()).prop_map(|(first, rest)| {
        if first.is_empty() {
            first
        } else {
            first + &rest
        }
    })
}

/// What continues a token's last group, so that it is no token: another hex digit in its
/// case, or `-` and one (a ninth group).
fn continuation() -> impl Strategy<Value = String> {
    proptest::string::string_regex("-?[0-9A-F][0-9A-F-]{0,9}").unwrap()
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Anything may stand before a token, letters and digits too, and after it anything
    /// that does not continue its last group.
    #[test]
    fn a_planted_token_is_found_where_it_stands(
        before in proptest::collection::vec(line(), 0..8),
        prefix in line(),
        suffix in after_token(),
        after in proptest::collection::vec(line(), 0..8),
        seed in any::<u32>(),
        service in any::<bool>(),
    ) {
        let t = token(if service { "sa" } else { "pa" }, seed);
        // A body of digits alone could be written in lowercase, so a lowercase hex letter
        // continues it (`stands_as_token`): that suffix is a near miss, not a test of this.
        let digits_only = !t[6..].bytes().any(|b| b.is_ascii_alphabetic());
        prop_assume!(!(digits_only && suffix.starts_with(|c: char| ('a'..='f').contains(&c))));
        let mut text = String::new();
        for l in &before {
            text.push_str(l);
            text.push('\n');
        }
        let line_no = before.len() + 1;
        let column = chars(&prefix) + 1;
        text.push_str(&format!("{prefix}{t}{suffix}\n"));
        for l in &after {
            text.push_str(l);
            text.push('\n');
        }
        let findings = scanner().scan("f", text.as_bytes(), &mut Scratch::default());
        let found = findings.iter().find(|f| f.position.line == line_no && f.position.column == column);
        prop_assert!(found.is_some(), "not at {line_no}:{column}: {:?}", findings.iter().map(|f| (f.position.line, f.position.column)).collect::<Vec<_>>());
        for f in &findings {
            let shown = format!("{} {:?} {:?} {:?}", f.message, f.snippet, f.secret, f);
            prop_assert!(!shown.contains(&t[6..]), "a finding shows the token");
        }
    }

    /// A token continued by another hex digit or a ninth group, and a placeholder (its
    /// groups all the same), are not tokens, whatever stands around them, plain or in
    /// base64 after a protobuf length byte.
    #[test]
    fn a_continued_token_or_a_placeholder_is_never_found(
        prefix in line(),
        more in continuation(),
        suffix in after_token(),
        seed in any::<u32>(),
        placeholder in any::<bool>(),
        encoded in any::<bool>(),
    ) {
        let t = token(if seed % 2 == 0 { "pa" } else { "sa" }, seed);
        let near = if placeholder {
            format!("{}{}", &t[..6], [&t[6..14]; 8].join("-"))
        } else {
            format!("{t}{more}")
        };
        let text = if encoded {
            let proto = [b"\x0a\x4d".as_slice(), near.as_bytes(), suffix.as_bytes()].concat();
            format!("{prefix}{}\n", base64(&proto))
        } else {
            format!("{prefix}{near}{suffix}\n")
        };
        let findings = scanner().scan("f", text.as_bytes(), &mut Scratch::default());
        prop_assert!(findings.is_empty(), "{:?}", findings.iter().map(|f| (f.position.column, &f.rule_id)).collect::<Vec<_>>());
    }

    #[test]
    fn every_encoding_is_found_on_its_line(
        before in proptest::collection::vec(line(), 0..5),
        seed in any::<u32>(),
        encoding in 0..18usize,
        lead in 0..3usize,
    ) {
        let t = token("pa", seed);
        let mut text = String::new();
        for l in &before {
            text.push_str(l);
            text.push('\n');
        }
        let payload = format!("{}{t}", "#".repeat(lead));
        let encoded = match encoding {
            0 => format!("v: {payload}"),
            1 => format!("\"v\": \"{}\"", payload.replace('/', "\\/")),
            2 => format!("?v={}", payload.replace('/', "%2F")),
            // Protobuf (a length byte, `M` for 77) in base64, as in gRPC-web bodies.
            5 => format!("v: {}", base64(&[b"\x0a\x4d".as_slice(), payload.as_bytes()].concat())),
            // Hex bytes: SQL's `X'…'` in uppercase, `xxd -p` (lowercase, 60 digits a line).
            6 => format!("INSERT INTO t VALUES (X'{}');", hex(format!("token: {payload}").as_bytes()).to_uppercase()),
            7 => wrap(&hex(format!("{payload} ").as_bytes()), 60, "", "\n").trim_end().to_string(),
            // The slash escaped again: JSON, percent-encoding, HTML.
            8 => format!("\"v\": \"{}\"", payload.replace('/', "\\u002F")),
            9 => format!("\"v\": \"{}\"", payload.replace('/', "\\\\\\/")),
            10 => format!("?v={}", payload.replace('/', "%252F")),
            11 => format!("<a href=\"?v={}\">", payload.replace('/', "&#x2F;")),
            12 => format!("<i>{}</i>", payload.replace('/', "&sol;")),
            // Percent-encoded whole, every byte, in upper or lower case.
            16 => format!("?v={}", percent(payload.as_bytes())),
            17 => format!("?v={}&w=1", percent(payload.as_bytes()).to_lowercase()),
            _ => format!("v: {}", base64(format!("token: {payload}").as_bytes())),
        };
        text.push_str(&encoded);
        text.push('\n');
        let data: Vec<u8> = encode_text(&text, match encoding {
            4 => 1,
            13..=15 => encoding - 11,
            _ => 0,
        });
        let findings = scanner().scan("f", &data, &mut Scratch::default());
        prop_assert!(findings.iter().any(|f| f.position.line == before.len() + 1), "encoding {encoding} not found");
    }

    /// Large files are scanned in overlapping windows: whatever the window size and however
    /// the file is read, the findings are those of the file scanned whole.
    #[test]
    fn windows_find_what_a_whole_scan_finds(
        pieces in proptest::collection::vec((line(), any::<u32>(), 0..10usize, proptest::collection::vec(any::<u8>(), 0..40)), 1..12),
        size in prop_oneof![4..300usize, 4100..9000usize],
        context in 0..40usize,
        piece in 1..200usize,
        text_encoding in 0..6usize,
        keyword in 0..3usize,
        full in any::<bool>(),
    ) {
        let mut data = Vec::new();
        if keyword == 1 {
            data.extend_from_slice(b"acmecorp\n");
        }
        for (text, seed, how, noise) in &pieces {
            data.extend_from_slice(text.as_bytes());
            let t = token(if seed % 2 == 0 { "pa" } else { "sa" }, *seed);
            match how {
                0 => data.extend_from_slice(format!(" {t}\n").as_bytes()),
                1 => data.extend_from_slice(format!(" {}\n", base64(format!("{text} {t} ").as_bytes())).as_bytes()),
                // Bytes that are not UTF-8, or a base64 run of them, around the token.
                2 => {
                    data.extend_from_slice(noise);
                    data.extend_from_slice(format!(" {t} ").as_bytes());
                }
                // Runs of capitals, where a custom rule's matches could overlap.
                3 => data.extend_from_slice(format!(" {} ", "Q".repeat(noise.len() * 7 + 1)).as_bytes()),
                // A key of a custom rule whose keyword may be anywhere in the file, or nowhere.
                4 => data.extend_from_slice(format!(" key_{:032x} ", u128::from(*seed) * 0x9E37_79B9_7F4A_7C15).as_bytes()),
                // Wrapped base64, its lines indented or not, ended by LF or CRLF.
                6 => {
                    let blob = [noise.as_slice(), format!(" {t} ").as_bytes(), text.as_bytes()].concat();
                    let indent = " ".repeat(noise.len() % 3);
                    let eol = if seed % 3 == 0 { "\r\n" } else { "\n" };
                    data.extend_from_slice(format!("\n{}", wrap(&base64(&blob), 60 + noise.len(), &indent, eol)).as_bytes());
                }
                // Hex bytes, wrapped as `xxd -p` does, or not.
                7 => {
                    let digits = hex(&[noise.as_slice(), format!(" {t} ").as_bytes()].concat());
                    let width = if seed % 2 == 0 { 60 } else { digits.len() };
                    data.extend_from_slice(format!(" \n{}", wrap(&digits, width, "", "\n")).as_bytes());
                }
                // Percent-encoded, every byte.
                8 => {
                    let blob = [noise.as_slice(), format!(" {t} ").as_bytes()].concat();
                    data.extend_from_slice(format!("?q={}&", percent(&blob)).as_bytes());
                }
                // A base64 run too long to be decoded from more than one phase.
                _ => {
                    let mut blob: Vec<u8> = noise.iter().copied().chain([0x7F]).cycle().take(3100).collect();
                    blob.extend_from_slice(format!(" {t} ").as_bytes());
                    data.push(b' ');
                    data.extend_from_slice(base64(&blob).as_bytes());
                }
            }
        }
        if keyword == 2 {
            data.extend_from_slice(b"\nacmecorp");
        }
        // Never nothing to find.
        data.extend_from_slice(format!(" {}", token("pa", 1)).as_bytes());
        if text_encoding > 0 {
            data = encode_text(&String::from_utf8_lossy(&data), text_encoding);
        }
        // With the default context (at least a snippet's reach of a line), snippets are
        // the same too, every secret near a window's ends masked.
        let (size, context) = if full { (size.max(4100), 17_000) } else { (size, context) };
        let key = |f: tokenlint::finding::Finding| {
            let snippet = f.snippet.map(|s| (s.text, s.highlight)).filter(|_| full);
            (f.rule_id, f.position.line, f.position.column, f.position.end_line, f.position.end_column, f.span, f.message, snippet)
        };
        let scanner = windows_scanner();
        // A known difference (see the README): matches of a rule that can overlap itself,
        // in decoded base64 that crosses a window's start.
        let compared = |f: &tokenlint::finding::Finding| {
            !(f.rule_id == "test-capital-run" && f.encoding.contains(&tokenlint::finding::Encoding::Base64))
        };
        let whole: Vec<_> = scanner
            .scan("f", &data, &mut Scratch::default())
            .into_iter()
            .filter(compared)
            .map(key)
            .collect();
        let windowed: Vec<_> = tokenlint::fuzzing::scan_in_windows(scanner, &data, size, context, piece)
            .into_iter()
            .filter(compared)
            .map(key)
            .collect();
        prop_assert_eq!(&whole, &windowed);
        // A file held whole is scanned in windows that are slices of it: the same.
        let held: Vec<_> = tokenlint::fuzzing::scan_held_in_windows(scanner, &data, size, context)
            .into_iter()
            .filter(compared)
            .map(key)
            .collect();
        prop_assert_eq!(whole, held);
    }
}

/// Found while looking into a `windows` fuzz failure: a base64 run longer than 4,096 characters is decoded
/// from its start only, but a window that starts inside it saw a shorter run and decoded
/// it from all four phases, finding what the whole scan does not. The window now knows how
/// much of the run lies before it.
#[test]
fn a_long_base64_run_is_long_in_every_window() {
    let mut blob: Vec<u8> = (0..3100u32).map(|i| (i * 7 + 3) as u8).collect();
    blob.extend_from_slice(format!(" {} ", token("pa", 81)).as_bytes());
    // One base64-like character glued before the run puts its quanta out of phase.
    let data = format!("x A{}\n", base64(&blob));
    let scanner = windows_scanner();
    let key =
        |f: tokenlint::finding::Finding| (f.rule_id, f.position.line, f.position.column, f.span);
    let whole: Vec<_> = scanner
        .scan("f", data.as_bytes(), &mut Scratch::default())
        .into_iter()
        .map(key)
        .collect();
    for size in [500, 1000, 2000, 3000] {
        let windowed: Vec<_> =
            tokenlint::fuzzing::scan_in_windows(scanner, data.as_bytes(), size, 0, 64)
                .into_iter()
                .map(key)
                .collect();
        assert_eq!(whole, windowed, "windows of {size}");
    }
}

/// The built-in rules and custom ones that look around their matches (word boundaries,
/// `standalone`, line anchors, a `secret` group), as a scanner that decodes long base64 runs
/// in slices and one that decodes them whole.
fn finder_scanners() -> &'static (Scanner, Scanner) {
    static SCANNERS: std::sync::OnceLock<(Scanner, Scanner)> = std::sync::OnceLock::new();
    SCANNERS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/finder-rules");
        let scanner =
            || Scanner::new(&RuleSet::load(std::slice::from_ref(&dir)).unwrap(), true).unwrap();
        let (whole, sliced) = tokenlint::fuzzing::decoding_runs_whole(scanner());
        assert!(sliced, "these rules let long runs be decoded in slices");
        (scanner(), whole)
    })
}

/// What a long base64 run may hold around a token: near misses, prefixes of one, and
/// tokens side by side.
fn planted(kind: usize, seed: u32) -> Vec<u8> {
    let t = token(if seed.is_multiple_of(2) { "pa" } else { "sa" }, seed);
    let body = &t[6..];
    match kind {
        0 => format!(" {t} "),
        // Glued to the bytes around it.
        1 => t.clone(),
        2 => format!("{t}{}", token("sa", seed ^ 1)),
        // Near misses: a tenth hex digit, a ninth group, a placeholder.
        3 => format!("{t}A"),
        4 => format!("{t}-ABCDEF01"),
        5 => format!("pa1.0/{}", ["0000ABCD"; 8].join("-")),
        // Other ways of writing the slash and the version, lowercase hex.
        6 => format!("pa1.0\\/{body}"),
        7 => format!("sa1.0%2F{body}"),
        8 => format!("pa99999999.12345678&#x2F;{body}"),
        9 => format!(" {} ", t.to_lowercase()),
        // The first bytes of a token, twice, then a token.
        10 => format!("pa1.0/pa1.0/sa2{t}"),
        11 => "pa1sa2pa3.".to_string(),
        // The custom rules': alone or glued, on a line of its own, a `secret` group.
        12 => format!(" wkey_{seed:08x}{:08X} ", seed.rotate_left(7)),
        13 => format!("xWKEY_{seed:08x}{seed:08x}"),
        14 => format!("\nlkey={seed:012}\n"),
        _ => format!(
            "skey:{}!",
            &"abcdefghijklmnopqrst"[seed as usize % 10..][..10]
        ),
    }
    .into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A base64 run too long to be decoded from every phase is decoded only around where
    /// its characters may encode a match's first bytes: that finds what decoding all of
    /// it finds, whatever stands where, in either alphabet, wrapped or not.
    #[test]
    fn long_base64_runs_decoded_in_slices_find_what_decoding_them_whole_finds(
        plants in proptest::collection::vec((0..16usize, any::<u32>(), 0..4000usize), 1..10),
        noise in any::<u64>(),
        len in 3100..6000usize,
        url_safe in any::<bool>(),
        wrapped in any::<bool>(),
        glued in any::<bool>(),
        at_edges in any::<bool>(),
    ) {
        let mut state = noise | 1;
        let mut blob: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let mut plants = plants;
        plants.sort_by_key(|p| std::cmp::Reverse(p.2));
        // From the last place on, each within the noise: no plant lands inside another.
        for &(kind, seed, at) in &plants {
            let at = at.min(len);
            blob.splice(at..at, planted(kind, seed));
        }
        if at_edges {
            blob.splice(0..0, format!("{} ", token("pa", 7)).into_bytes());
            blob.extend_from_slice(format!(" {}", token("sa", 8)).as_bytes());
        }
        let mut run = base64(&blob);
        if url_safe {
            run = run.replace('+', "-").replace('/', "_");
        }
        // A base64 character glued before the run puts every quantum out of phase.
        if glued {
            run.insert(0, 'A');
        }
        let text = if wrapped {
            format!("key: |\n{}", wrap(&run, 76, "  ", "\n"))
        } else {
            format!("x = \"{run}\"\n")
        };
        let key = |f: tokenlint::finding::Finding| {
            (f.rule_id, f.position, f.span, f.encoding, f.message)
        };
        let scan = |scanner: &Scanner| -> Vec<_> {
            scanner
                .scan("f", text.as_bytes(), &mut Scratch::default())
                .into_iter()
                .map(key)
                .collect()
        };
        let (sliced, whole) = finder_scanners();
        let whole = scan(whole);
        // Tokens set apart by spaces are found, unless the run is out of phase.
        if !glued && (at_edges || plants.iter().any(|p| p.0 == 0)) {
            prop_assert!(!whole.is_empty());
        }
        if !glued && plants.iter().any(|p| p.0 == 12) {
            prop_assert!(whole.iter().any(|f| f.0 == "test-word-key"));
        }
        prop_assert_eq!(scan(sliced), whole);
    }
}

/// A window's regex looks for its own matches only, so at first the secrets just outside
/// it went unmasked in the snippets of its findings near its ends: on a line of tokens,
/// the one across a window boundary showed its neighbour.
#[test]
fn snippets_near_window_ends_mask_the_neighbouring_windows_secrets() {
    let tokens: Vec<String> = (0..600)
        .map(|i| token(if i % 2 == 0 { "pa" } else { "sa" }, 900 + i))
        .collect();
    let data = tokens.join(" ") + "\n";
    let scanner = windows_scanner();
    let snippets = |findings: Vec<tokenlint::finding::Finding>| -> Vec<String> {
        findings
            .into_iter()
            .map(|f| f.snippet.unwrap().text)
            .collect()
    };
    let whole = snippets(scanner.scan("f", data.as_bytes(), &mut Scratch::default()));
    let windowed = snippets(tokenlint::fuzzing::scan_in_windows(
        scanner,
        data.as_bytes(),
        4100,
        17_000,
        4096,
    ));
    assert_eq!(whole.len(), 600);
    for t in &tokens {
        assert!(
            !windowed.iter().any(|s| s.contains(&t[6..])),
            "a token shows in a snippet"
        );
    }
    assert_eq!(whole, windowed);
}

/// `text` as UTF-8 (0), UTF-16LE with a byte-order mark (1), UTF-16LE (2) or BE (3) without
/// one, or UTF-32LE (4) or BE (5) with one.
fn encode_text(text: &str, how: usize) -> Vec<u8> {
    let utf16 = |bom: &[u8], unit: fn(u16) -> [u8; 2]| -> Vec<u8> {
        bom.iter()
            .copied()
            .chain(text.encode_utf16().flat_map(unit))
            .collect()
    };
    let utf32 = |bom: [u8; 4], unit: fn(u32) -> [u8; 4]| -> Vec<u8> {
        bom.into_iter()
            .chain(text.chars().flat_map(|c| unit(u32::from(c))))
            .collect()
    };
    match how {
        1 => utf16(&[0xFF, 0xFE], u16::to_le_bytes),
        2 => utf16(&[], u16::to_le_bytes),
        3 => utf16(&[], u16::to_be_bytes),
        4 => utf32([0xFF, 0xFE, 0, 0], u32::to_le_bytes),
        5 => utf32([0, 0, 0xFE, 0xFF], u32::to_be_bytes),
        _ => text.as_bytes().to_vec(),
    }
}

/// Where base64 character `c` of a run wrapped at `width` after `indent` stands, the run's
/// first line being line `first`: its line and column.
fn wrapped_at(c: usize, width: usize, indent: &str, first: usize) -> (usize, usize) {
    (first + c / width, chars(indent) + c % width + 1)
}

/// A token in text encoded in base64, then wrapped: what [`wrapped_base64_is_found_from_line_to_line`] plants.
struct Wrapped {
    text: String,
    /// The token's line and column, and the line and column just after its encoded text.
    at: (usize, usize, usize, usize),
}

fn wrapped(
    t: &str,
    lead: usize,
    trail: usize,
    width: usize,
    indent: &str,
    eol: &str,
    url_safe: bool,
) -> Wrapped {
    let noise = b"ab \x00\xff\x7f:;";
    let mut data: Vec<u8> = noise.iter().copied().cycle().take(lead).collect();
    data.extend_from_slice(t.as_bytes());
    data.extend(noise.iter().copied().cycle().skip(2).take(trail));
    let mut encoded = base64(&data);
    if url_safe {
        encoded = encoded.replace('+', "-").replace('/', "_");
    }
    let unpadded = encoded.trim_end_matches('=').len();
    // The characters that hold the token's bytes, as `base64_encoded_span` counts them.
    let char_of = |byte: usize| byte / 3 * 4 + byte % 3;
    let start = char_of(lead);
    let mut end = char_of(lead + t.len() - 1) + 2;
    if end >= unpadded {
        end = encoded.len();
    }
    let (line, column) = wrapped_at(start, width, indent, 2);
    let (end_line, end_column) = wrapped_at(end - 1, width, indent, 2);
    Wrapped {
        text: format!("data: |{eol}{}end{eol}", wrap(&encoded, width, indent, eol)),
        at: (line, column, end_line, end_column + 1),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Wrapped base64 (GNU `base64`, MIME, PEM, a YAML block scalar), standard or url-safe:
    /// a token is found from the line where its encoded bytes start to the line where they
    /// end, at every offset in the encoded bytes, every wrap width from 60, with LF or CRLF and any
    /// indentation; and windows find what the whole scan does.
    #[test]
    fn wrapped_base64_is_found_from_line_to_line(
        lead in 0..120usize,
        trail in 0..40usize,
        width in prop_oneof![Just(60usize), Just(64), Just(76), 60..200usize],
        crlf in any::<bool>(),
        indent in "( {0,6}|\t{0,2})",
        url_safe in any::<bool>(),
        seed in any::<u32>(),
        size in 4..600usize,
        piece in 1..200usize,
    ) {
        let t = token(if seed % 2 == 0 { "pa" } else { "sa" }, seed);
        let eol = if crlf { "\r\n" } else { "\n" };
        let w = wrapped(&t, lead, trail, width, &indent, eol, url_safe);
        let findings = scanner().scan("f", w.text.as_bytes(), &mut Scratch::default());
        let at: Vec<_> = findings.iter().map(|f| (f.position.line, f.position.column, f.position.end_line, f.position.end_column)).collect();
        prop_assert_eq!(at, vec![w.at]);
        prop_assert_eq!(&findings[0].encoding, &vec![tokenlint::finding::Encoding::Base64]);
        for f in &findings {
            let shown = format!("{} {:?} {:?} {:?}", f.message, f.snippet, f.secret, f);
            prop_assert!(!shown.contains(&t[6..]), "a finding shows the token");
        }
        let key = |f: tokenlint::finding::Finding| {
            (f.rule_id, f.position.line, f.position.column, f.position.end_line, f.position.end_column, f.span, f.message)
        };
        // The same rules windowed: the built-in ones.
        let whole: Vec<_> = findings.into_iter().map(key).collect();
        let windowed: Vec<_> = tokenlint::fuzzing::scan_in_windows(&scanner(), w.text.as_bytes(), size, 0, piece)
            .into_iter()
            .map(key)
            .collect();
        prop_assert_eq!(whole, windowed);
    }
}

/// In url-safe base64, the quantum that holds a token's first byte may start with `-` or
/// `_` (a byte from 0xF8 before the token), which the standard alphabet does not hold.
#[test]
fn url_safe_base64_whose_quantum_starts_with_a_dash_or_underscore() {
    let mut tried = 0;
    for seed in 0..20 {
        let t = token("pa", seed);
        for lead in 0..24 {
            let w = wrapped(&t, lead, 1, 76, "", "\n", true);
            let encoded: String = w.text.lines().skip(1).collect();
            if !matches!(encoded.as_bytes()[lead / 3 * 4], b'-' | b'_') {
                continue;
            }
            tried += 1;
            let findings = scanner().scan("f", w.text.as_bytes(), &mut Scratch::default());
            let at: Vec<_> = findings
                .iter()
                .map(|f| {
                    (
                        f.position.line,
                        f.position.column,
                        f.position.end_line,
                        f.position.end_column,
                    )
                })
                .collect();
            assert_eq!(at, vec![w.at], "seed {seed}, lead {lead}");
        }
    }
    assert!(tried > 10, "{tried}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// What the `encodings` fuzz target checks, on random input: a token planted in any
    /// encoding after any bytes is found.
    #[test]
    fn a_token_in_any_encoding_after_any_bytes_is_found(data in proptest::collection::vec(any::<u8>(), 2..300)) {
        tokenlint::fuzzing::encodings(windows_scanner(), &data);
    }
}

/// Text made for sampling: base64 runs of any length around the shortest a run may be,
/// wrapped runs of any width and indentation, percent-encoded runs, and what stands between
/// them.
fn sampled_text() -> impl Strategy<Value = Vec<u8>> {
    let run = proptest::string::string_regex("[A-Za-z0-9+/_-]{1,150}").unwrap();
    let wrapped = (
        proptest::string::string_regex("[A-Za-z0-9+/]{120,300}").unwrap(),
        55..90usize,
        prop_oneof![
            Just(""),
            Just("  "),
            Just("\t"),
            Just("                                 ")
        ],
        prop_oneof![Just("\n"), Just("\r\n")],
        prop_oneof![Just(""), Just("="), Just("==")],
    )
        .prop_map(|(text, width, indent, eol, pad)| {
            let lines: Vec<String> = text
                .as_bytes()
                .chunks(width)
                .map(|l| format!("{indent}{}", String::from_utf8_lossy(l)))
                .collect();
            format!("{}{pad}{eol}", lines.join(eol))
        });
    let percent = (1..90usize).prop_map(|n| "%4A".repeat(n));
    let between = prop_oneof![
        // Glued: a base64 run may start in a percent-encoded run's last hex digits.
        Just(""),
        Just(" "),
        Just("\n"),
        Just("\r\n"),
        Just(", "),
        Just("\t"),
        Just("  \n"),
        Just("\""),
        Just("é"),
    ];
    let piece = prop_oneof![4 => run, 2 => wrapped, 1 => percent];
    proptest::collection::vec((piece, between), 1..12).prop_map(|pieces| {
        pieces
            .into_iter()
            .flat_map(|(p, b)| [p, b.to_string()])
            .collect::<String>()
            .into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Sampling finds every run long enough, wherever its sample points fall: windows of 16
    /// and of 32 bytes find the same runs, and so does every way a CPU classifies them.
    /// (Runs of 16 to 18 characters glued after a percent-encoded run are missed.)
    #[test]
    fn sample_windows_of_either_width_find_every_long_run(text in sampled_text(), min in 19..130usize) {
        let (runs, percent) = tokenlint::fuzzing::sampled_runs_agree(&text, min);
        let pieces: Vec<_> = runs.iter().flatten().cloned().collect();
        // Every unwrapped run long enough is one of them.
        let mut at = 0;
        while at < text.len() {
            let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || b"+/_-".contains(b);
            let len = text[at..].iter().take_while(|b| is_b64(b)).count();
            if len >= min {
                prop_assert!(pieces.contains(&(at..at + len)), "{at}..{}", at + len);
            }
            at += len.max(1);
        }
        // And every percent-encoded run long enough.
        let mut at = 0;
        while at < text.len() {
            let is_triple = |i: usize| {
                text.get(i..i + 3).is_some_and(|t| {
                    t[0] == b'%' && t[1].is_ascii_hexdigit() && t[2].is_ascii_hexdigit()
                })
            };
            let mut end = at;
            while is_triple(end) {
                end += 3;
            }
            if end - at >= 3 * min {
                prop_assert!(percent.contains(&(at..end)), "%{at}..{end}");
            }
            at = end.max(at + 1);
        }
    }
}

/// The built-in rules, alone and with custom ones whose first bytes lie in the same ranges,
/// each as a scanner whose regex searches behind the lead bytes and one whose regex
/// searches alone.
fn lead_scanners() -> &'static [(Scanner, Scanner); 2] {
    static SCANNERS: std::sync::OnceLock<[(Scanner, Scanner); 2]> = std::sync::OnceLock::new();
    SCANNERS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lead-rules");
        [vec![], vec![dir]].map(|dirs| {
            let scanner = || Scanner::new(&RuleSet::load(&dirs).unwrap(), true).unwrap();
            let (alone, behind) = tokenlint::fuzzing::searching_without_lead_bytes(scanner());
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                assert!(behind, "these rules' first bytes lie in narrow ranges");
            }
            let _ = behind;
            (scanner(), alone)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Behind the lead bytes the regex finds what it finds alone: in text where they fit
    /// often, beside tokens, near misses and the custom rules' keys, and in text made of
    /// places where they fit and no match starts.
    #[test]
    fn the_regex_behind_the_lead_bytes_finds_what_it_finds_alone(
        pieces in proptest::collection::vec((0..24usize, any::<u32>()), 1..40),
        custom in any::<bool>(),
    ) {
        let mut text = Vec::new();
        for (kind, seed) in pieces {
            match kind {
                0..=11 => text.extend(planted(kind, seed)),
                12 => text.extend(format!(" ra{}_{:012x} ", seed % 10, seed).bytes()),
                13 => text.extend(format!("xra1_{seed:012x}").bytes()),
                14 => text.extend(format!("\nqa{seed}:ABCDEFGH\n").bytes()),
                15 => text.extend(format!("qa{}:", seed % 100).bytes()),
                // The short key, a match of just the lead bytes, maybe where the text ends.
                18 => text.extend(format!(" ra{}", seed % 10).bytes()),
                // Places where the lead bytes fit and no match starts, many side by side.
                16 => text.extend("pa1.".repeat(seed as usize % 300).bytes()),
                17 => text.extend("sa9ra0qa5".repeat(seed as usize % 100).bytes()),
                _ => {
                    let noise = b"pqrsa0123456789.-/\\%&#xX2Ff ABCDEF\n";
                    text.extend(seed.to_le_bytes().map(|b| noise[b as usize % noise.len()]));
                }
            }
        }
        let key = |f: tokenlint::finding::Finding| {
            (f.rule_id, f.position, f.span, f.encoding, f.message)
        };
        let scan = |scanner: &Scanner| -> Vec<_> {
            scanner
                .scan("f", &text, &mut Scratch::default())
                .into_iter()
                .map(key)
                .collect()
        };
        let (behind, alone) = &lead_scanners()[usize::from(custom)];
        prop_assert_eq!(scan(behind), scan(alone));
    }
}
