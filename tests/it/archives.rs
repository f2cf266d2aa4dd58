//! Archives and compressed files, built here in code: each leak place is found inside its
//! member, at `archive!member`, its line and its column; hostile archives (bombs, corrupt
//! files, `..` and absolute names) end in a warning, never in harm.

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use crate::common::{self, token, tokenlint};

/// gzip of `data`.
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let options = lzma_rust2::XzOptions::with_preset(1);
    let mut encoder = lzma_rust2::XzWriter::new(Vec::new(), options).unwrap();
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A tar archive of regular files, their names written as they are (`..` and `/` too).
pub(crate) fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut header = tar::Header::new_ustar();
        let field = &mut header.as_ustar_mut().unwrap().name;
        field[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    builder.into_inner().unwrap()
}

/// A zip archive, its members deflated or stored.
pub(crate) fn zip(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in members {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const DEFLATED: zip::CompressionMethod = zip::CompressionMethod::Deflated;
const STORED: zip::CompressionMethod = zip::CompressionMethod::Stored;

fn write(dir: &Path, name: &str, data: &[u8]) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, data).unwrap();
}

/// The path, line and column of every finding of a JSON report, and its warnings.
fn scan(dir: &Path, args: &[&str]) -> (Vec<(String, u64, u64)>, String) {
    let args = [&["scan", "--format", "json"], args].concat();
    let out = tokenlint(dir, &args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.code().unwrap() < 2, "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let places = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            (
                path,
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (places, stderr)
}

fn places(expected: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    expected
        .iter()
        .map(|(p, l, c)| (p.to_string(), *l, *c))
        .collect()
}

/// A `docker save` image: a manifest, the config (whose `Env` holds `env`) and one layer,
/// a gzip'd tar holding `profile`.
pub(crate) fn docker_image(env: &str, profile: &str) -> Vec<u8> {
    let layer = gzip(&tar(&[("etc/profile.d/env.sh", profile.as_bytes())]));
    let config = format!(
        "{{\"architecture\":\"amd64\",\"config\":{{\"Env\":[\"PATH=/usr/bin\",\"REMOTIVE_TOKEN={env}\"]}}}}\n"
    );
    let manifest = r#"[{"Config":"blobs/sha256/c0","Layers":["blobs/sha256/1a"]}]"#;
    tar(&[
        ("manifest.json", manifest.as_bytes()),
        ("blobs/sha256/c0", config.as_bytes()),
        ("blobs/sha256/1a", &layer),
    ])
}

#[test]
fn every_format_is_found_inside_its_member() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = |seed| token("pa", seed);
    let wheel = format!("import os\nTOKEN = \"{}\"\n", t(1));
    write(
        d,
        "dist/app-1.0-py3-none-any.whl",
        &zip(
            &[
                ("app/__init__.py", b""),
                ("app/settings.py", wheel.as_bytes()),
            ],
            DEFLATED,
        ),
    );
    let properties = format!("a=b\nremotive.token={}\n", t(2));
    write(
        d,
        "lib/app.jar",
        &zip(
            &[
                ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
                ("config/app.properties", properties.as_bytes()),
            ],
            STORED,
        ),
    );
    let js = format!("// x\nconst token = '{}';\n", t(3));
    write(
        d,
        "app-1.0.0.tgz",
        &gzip(&tar(&[
            ("package/package.json", b"{}"),
            ("package/index.js", js.as_bytes()),
        ])),
    );
    let profile = format!("export PATH=/bin\nexport REMOTIVE_TOKEN={}\n", t(5));
    write(d, "image.tar", &docker_image(&t(4), &profile));
    let log = format!("[info] start\n[info] go\n[debug] token={}\n", t(6));
    write(d, "logs/ci.log.gz", &gzip(log.as_bytes()));
    let env = |seed| format!("# backup\nREMOTIVE_TOKEN={}\n", t(seed));
    write(
        d,
        "backup/a.tar.zst",
        &zstd(&tar(&[("home/.env", env(7).as_bytes())])),
    );
    write(
        d,
        "backup/b.tar.xz",
        &xz(&tar(&[("home/.env", env(8).as_bytes())])),
    );
    write(
        d,
        "backup/c.tar.bz2",
        &bzip2(&tar(&[("home/.env", env(9).as_bytes())])),
    );
    let xml = format!(
        "<w:document><w:body><w:t>{}</w:t></w:body></w:document>",
        t(10)
    );
    write(
        d,
        "docs/report.docx",
        &zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", xml.as_bytes()),
            ],
            DEFLATED,
        ),
    );
    let (found, stderr) = scan(d, &[]);
    assert_eq!(
        found,
        places(&[
            ("app-1.0.0.tgz!package/index.js", 2, 16),
            ("backup/a.tar.zst!home/.env", 2, 16),
            ("backup/b.tar.xz!home/.env", 2, 16),
            ("backup/c.tar.bz2!home/.env", 2, 16),
            ("dist/app-1.0-py3-none-any.whl!app/settings.py", 2, 10),
            ("docs/report.docx!word/document.xml", 1, 26),
            ("image.tar!blobs/sha256/1a!etc/profile.d/env.sh", 2, 23),
            ("image.tar!blobs/sha256/c0", 1, 74),
            ("lib/app.jar!config/app.properties", 2, 16),
            ("logs/ci.log.gz!ci.log", 3, 15),
        ]),
        "{stderr}"
    );
    assert!(stderr.is_empty(), "{stderr}");
}

/// Standard input, a staged file and a file in history are opened as archives too: every
/// source hands its items to the same checker.
#[test]
fn standard_input_staged_and_history_archives_are_opened() {
    let repo = common::repo();
    let log = format!("x\ntoken={}\n", token("sa", 11));
    write(repo.path(), "ci.log.gz", &gzip(log.as_bytes()));
    common::git(repo.path(), &["add", "ci.log.gz"]);
    let (found, _) = scan(repo.path(), &["--staged"]);
    assert_eq!(found, places(&[("ci.log.gz!ci.log", 2, 7)]));
    common::git(repo.path(), &["commit", "-qm", "log"]);
    let (found, _) = scan(repo.path(), &["--history"]);
    assert_eq!(found, places(&[("ci.log.gz!ci.log", 2, 7)]));
    let out = common::Tokenlint::new(repo.path())
        .args(["scan", "--format", "json", "-"])
        .stdin(fs::File::open(repo.path().join("ci.log.gz")).unwrap())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::finding_paths(&doc), ["<stdin>!<stdin>"]);
}

#[test]
fn nesting_stops_at_the_depth_asked_and_zero_turns_archives_off() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("token={}\n", token("pa", 12));
    // Three archives deep: a zip in a tar in a gzip'd tar.
    let inner = zip(&[("deep.txt", text.as_bytes())], DEFLATED);
    let middle = tar(&[("inner.zip", &inner)]);
    write(
        dir.path(),
        "outer.tgz",
        &gzip(&tar(&[("middle.tar", &middle)])),
    );
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(
        found,
        places(&[("outer.tgz!middle.tar!inner.zip!deep.txt", 1, 7)])
    );
    // Two deep: the zip is scanned as bytes, where its deflated text hides the token.
    let (found, _) = scan(dir.path(), &["--max-archive-depth", "2"]);
    assert!(found.is_empty(), "{found:?}");
    let stored = zip(&[("deep.txt", text.as_bytes())], STORED);
    write(
        dir.path(),
        "outer.tgz",
        &gzip(&tar(&[("middle.tar", &tar(&[("inner.zip", &stored)]))])),
    );
    let (found, _) = scan(dir.path(), &["--max-archive-depth", "2"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "outer.tgz!middle.tar!inner.zip");
    // Off: the gzip'd file is bytes that hide the token.
    let (found, _) = scan(dir.path(), &["--max-archive-depth", "0"]);
    assert!(found.is_empty(), "{found:?}");
}

/// An archive deeper than the limit is not opened, and says so: a token it hides is not
/// silently missed.
#[test]
fn an_archive_beyond_the_depth_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("token={}\n", token("pa", 14));
    write(
        dir.path(),
        "four.gz",
        &gzip(&gzip(&gzip(&gzip(text.as_bytes())))),
    );
    write(
        dir.path(),
        "t.tar",
        &tar(&[("a/in.zip", &zip(&[("x", b"y")], DEFLATED))]),
    );
    let (found, stderr) = scan(dir.path(), &["--max-archive-depth", "1"]);
    assert!(found.is_empty(), "{found:?}");
    for label in ["four.gz!four", "t.tar!a/in.zip"] {
        assert!(
            stderr.contains(&format!(
                "{label}: an archive nested more than 1 deep is not opened (--max-archive-depth)"
            )),
            "{stderr}"
        );
    }
    let (found, stderr) = scan(dir.path(), &["--max-archive-depth", "4"]);
    assert_eq!(found, places(&[("four.gz!four", 1, 7)]));
    assert!(!stderr.contains("nested"), "{stderr}");
}

/// The depth asked is bounded: each level is a frame on the stack, and a file of a few
/// thousand nested gzip streams must not overflow it. The deepest allowed is read whole.
#[test]
fn the_depth_asked_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = format!("token={}\n", token("pa", 15)).into_bytes();
    for _ in 0..32 {
        data = gzip(&data);
    }
    write(dir.path(), "deep.gz", &data);
    let out = tokenlint(dir.path(), &["scan", "--max-archive-depth", "1000"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("expected a depth from 0 to 32"), "{stderr}");
    let (found, _) = scan(dir.path(), &["--max-archive-depth", "32"]);
    assert_eq!(found, places(&[("deep.gz!deep", 1, 7)]));
}

/// Names with `..`, absolute paths and links are labels: nothing is opened or written.
#[test]
fn member_names_are_only_labels() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = format!("t={}\n", token("pa", 13));
    fs::write(outside.path().join("target"), &secret).unwrap();
    let escape = format!("../../../..{}/target", outside.path().display());
    let evil = "\u{1b}[31m../evil.sh";
    let data = tar(&[
        ("../../etc/x.conf", secret.as_bytes()),
        ("/etc/y.conf", secret.as_bytes()),
        (&escape, b"nothing\n"),
        (evil, secret.as_bytes()),
    ]);
    // A symbolic link member, pointing outside: never followed.
    let mut builder = tar::Builder::new(data[..data.len() - 1024].to_vec());
    let mut link = tar::Header::new_ustar();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.set_link_name(outside.path().join("target")).unwrap();
    builder.append_data(&mut link, "link", &b""[..]).unwrap();
    write(dir.path(), "a.tar", &builder.into_inner().unwrap());
    let before: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(
        found,
        places(&[
            ("a.tar!../../etc/x.conf", 1, 3),
            ("a.tar!/etc/y.conf", 1, 3),
            ("a.tar!\\u{1b}[31m../evil.sh", 1, 3),
        ])
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), before.len());
}

/// A 42.zip-style bomb: zips of zips of a deflated run of zeros, many gigabytes unpacked.
/// It is refused at once, with a warning naming it.
#[test]
fn a_nested_zip_bomb_is_refused_with_a_warning() {
    let zeros = vec![0u8; 16 << 20];
    let leaf = zip(&[("zeros.bin", &zeros)], DEFLATED);
    let names: Vec<String> = (0..16).map(|i| format!("{i:x}.zip")).collect();
    let layer = |inner: &[u8]| {
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), inner)).collect();
        zip(&members, DEFLATED)
    };
    let bomb = layer(&layer(&leaf));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "42.zip", &bomb);
    let text = format!("t={}\n", token("pa", 14));
    write(dir.path(), "after.txt", text.as_bytes());
    let (found, stderr) = scan(dir.path(), &[]);
    assert_eq!(found, places(&[("after.txt", 1, 3)]));
    assert!(
        stderr.contains("warning: 42.zip: not read past"),
        "{stderr}"
    );
    assert!(
        stderr.contains("compression ratio above 1000:1"),
        "{stderr}"
    );
}

#[test]
fn the_byte_limit_stops_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = "ok\n".repeat(100_000);
    log.push_str(&format!("t={}\n", token("pa", 15)));
    write(dir.path(), "big.log.gz", &gzip(log.as_bytes()));
    let (found, stderr) = scan(dir.path(), &["--max-archive-bytes", "1000"]);
    assert!(found.is_empty(), "{found:?}");
    assert!(
        stderr.contains("big.log.gz: not read past 1000 bytes decompressed (--max-archive-bytes)"),
        "{stderr}"
    );
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(found, places(&[("big.log.gz!big.log", 100_001, 3)]));
}

/// A truncated archive: a warning names it, the members read before are kept, and its own
/// bytes are scanned as those of a plain binary file.
/// An xz header may ask for a dictionary of up to 4 GiB, which the decoder would fill as
/// the data asks: one past `xz -9e`'s is refused with a warning, never allocated.
#[test]
fn an_xz_stream_asking_for_a_huge_dictionary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = xz(format!("t={}\n", token("pa", 18)).as_bytes());
    // The block header follows the 12-byte stream header: its LZMA2 filter (id 0x21,
    // one property byte) names the dictionary; 37 is 1.5 GiB. Then its CRC32 again.
    let size = (data[12] as usize + 1) * 4;
    let header = &mut data[12..12 + size];
    let at = header.windows(2).position(|w| w == [0x21, 0x01]).unwrap() + 2;
    header[at] = 37;
    let mut crc = flate2::Crc::new();
    crc.update(&header[..size - 4]);
    header[size - 4..].copy_from_slice(&crc.sum().to_le_bytes());
    write(dir.path(), "huge.xz", &data);
    let (found, stderr) = scan(dir.path(), &[]);
    assert!(found.is_empty(), "{found:?}");
    assert!(
        stderr.contains("warning: huge.xz: a corrupt or truncated xz"),
        "{stderr}"
    );
}

#[test]
fn a_corrupt_archive_warns_and_its_bytes_are_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let first = format!("t={}\n", token("pa", 16));
    let filler: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let mut data = gzip(&tar(&[
        ("first.env", first.as_bytes()),
        ("filler.bin", &filler),
    ]));
    data.truncate(data.len() / 2);
    data.extend_from_slice(format!("\nraw={}\n", token("sa", 17)).as_bytes());
    write(dir.path(), "cut.tgz", &data);
    let (found, stderr) = scan(dir.path(), &[]);
    let paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(paths, ["cut.tgz", "cut.tgz!first.env"], "{stderr}");
    assert!(
        stderr.contains("warning: cut.tgz: a corrupt or truncated"),
        "{stderr}"
    );
}

#[test]
fn large_members_are_read_in_windows() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = "0123456789abcdef\n".repeat(600_000);
    text.push_str(&format!("end={}\n", token("pa", 18)));
    write(
        dir.path(),
        "big.tar.gz",
        &gzip(&tar(&[("big.txt", text.as_bytes())])),
    );
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(found, places(&[("big.tar.gz!big.txt", 600_001, 5)]));
}

/// Fingerprints differ by member; baselines and allowlist globs can name members.
#[test]
fn allowlists_and_baselines_name_members() {
    let dir = tempfile::tempdir().unwrap();
    let t = token("pa", 19);
    let text = format!("t={t}\n");
    let wheel = zip(
        &[("a/x.py", text.as_bytes()), ("a/y.py", text.as_bytes())],
        DEFLATED,
    );
    write(dir.path(), "dist/app.whl", &wheel);
    write(dir.path(), "other.zip", &wheel);
    let out = tokenlint(dir.path(), &["scan", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut prints = common::finding_strings(&doc, "fingerprint");
    assert_eq!(prints.len(), 4);
    prints.dedup();
    assert_eq!(prints.len(), 4, "one fingerprint per member");
    fs::write(
        dir.path().join("tokenlint.toml"),
        "[[allowlist]]\npaths = [\"dist/*.whl!**\"]\nreason = \"test wheels\"\n",
    )
    .unwrap();
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(
        found,
        places(&[("other.zip!a/x.py", 1, 3), ("other.zip!a/y.py", 1, 3)])
    );
    fs::write(
        dir.path().join("tokenlint.toml"),
        "[[allowlist]]\npaths = [\"other.zip!a/y.py\"]\n",
    )
    .unwrap();
    let (found, _) = scan(dir.path(), &[]);
    assert_eq!(found.len(), 3, "{found:?}");
    fs::remove_file(dir.path().join("tokenlint.toml")).unwrap();
    let out = tokenlint(dir.path(), &["baseline", "--output", "baseline.json", "."]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (found, _) = scan(dir.path(), &["--baseline", "baseline.json"]);
    assert!(found.is_empty(), "{found:?}");
    // A member new since the baseline is reported.
    let more = zip(
        &[
            ("a/x.py", text.as_bytes()),
            ("a/y.py", text.as_bytes()),
            ("a/z.py", text.as_bytes()),
        ],
        DEFLATED,
    );
    write(dir.path(), "other.zip", &more);
    let (found, _) = scan(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(found, places(&[("other.zip!a/z.py", 1, 3)]));
}

/// SARIF points at the archive, a real file; the member is in the message and in a
/// logical location.
#[test]
fn sarif_points_at_the_archive_and_names_the_member() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("x\nt={}\n", token("pa", 20));
    write(
        dir.path(),
        "dist/app.whl",
        &zip(&[("app/settings.py", text.as_bytes())], DEFLATED),
    );
    let out = tokenlint(dir.path(), &["scan", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "dist/app.whl"
    );
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "dist/app.whl!app/settings.py"
    );
    let message = result["message"]["text"].as_str().unwrap();
    assert!(
        message.ends_with("(in the archive's member app/settings.py, line 2, column 3)"),
        "{message}"
    );
}

/// The leak places in archives among the fixtures, each at its exact place.
#[test]
fn the_fixtures_archives_are_found_at_their_places() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let (found, stderr) = scan(&fixtures, &["--no-store", "leaky"]);
    let layer = "955b820212b5c3d9db7d268ef53e9a9de12ceaabc03bdf59cbaa506e6de06019";
    let config = "245cd6d0e593a95fe67407e3e47a2c42cb46caa9aa2de8a1cebd1a77aa2bbcf6";
    let image = format!("leaky/images/replay.tar!blobs/sha256/{config}");
    let env = format!("leaky/images/replay.tar!blobs/sha256/{layer}!etc/profile.d/remotive.sh");
    let in_archives: Vec<_> = found.into_iter().filter(|f| f.0.contains('!')).collect();
    assert_eq!(
        in_archives,
        places(&[
            ("leaky/backup/home.tar.xz!home/ci/.env", 2, 27),
            (
                "leaky/dist/replay-1.0-py3-none-any.whl!replay/settings.py",
                2,
                19
            ),
            ("leaky/dist/replay-1.0.0.tgz!package/index.js", 2, 16),
            ("leaky/docs/notes.docx!word/document.xml", 1, 43),
            (&image, 1, 94),
            (&env, 2, 34),
            ("leaky/logs/ci.1.log.gz!ci.1.log", 2, 31),
        ]),
        "{stderr}"
    );
}

/// A rule set whose keywords decide which rules run needs two passes over a large member,
/// which a stream cannot give: that member is warned of, and the others are scanned.
#[test]
fn a_large_member_that_needs_a_second_pass_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = common::acme_rule("acme[_-][a-z]{8}");
    fs::write(dir.path().join("rules/acme.toml"), rule).unwrap();
    let big = format!("{}acme_abcdefgh\n", "x\n".repeat(3 << 20));
    let members = [
        ("big.txt", big.as_bytes()),
        ("small.txt", b"acme_qwertyui\n".as_slice()),
    ];
    write(dir.path(), "data/a.tgz", &gzip(&tar(&members)));
    let (found, stderr) = scan(dir.path(), &["--rules", "rules", "data"]);
    assert_eq!(found, places(&[("data/a.tgz!small.txt", 1, 1)]), "{stderr}");
    assert!(
        stderr.contains("data/a.tgz!big.txt: not scanned to its end"),
        "{stderr}"
    );
}
