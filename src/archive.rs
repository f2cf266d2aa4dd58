//! Archives and compressed files, found by their magic bytes, never by their name: gzip,
//! bzip2, xz and zstd streams, zip archives (jar, wheel, apk, docx, …) and tar archives,
//! compressed or not, nested up to a depth. A `docker save` image or an OCI layout is a
//! tar of tars and gzip'd tars, so it needs nothing of its own.
//!
//! Every source hands its items to the checker, which asks [`sniff`] whether an item is an
//! archive and, if so, has [`expand`] hand each member to a [`Visitor`] as a stream. An
//! archive is hostile: it is read in memory or as a stream and nothing is written to disk,
//! a member's name is only a label (never a path opened), and limits on the bytes
//! decompressed, the compression ratio and the number of members stop a bomb with a
//! warning. A member is labelled with its path inside the archive, and a nested member with
//! each archive's member path joined by `!` (`blobs/sha256/…!etc/profile.d/env.sh`). It
//! lies below the checker and knows nothing of rules.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use crate::shown;

/// How deep, how large and how many: what an archive may make tokenlint read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// How many archives deep members are read: 0 reads no archive.
    pub depth: usize,
    /// The most bytes decompressed from one file (every layer of it counted).
    pub bytes: u64,
    /// The most members read of one archive.
    pub members: usize,
    /// The most bytes decompressed from one file per byte of it.
    pub ratio: u64,
}

impl ArchiveLimits {
    pub const DEFAULT_DEPTH: usize = 3;
    pub const DEFAULT_BYTES: u64 = 1 << 30;
    /// The deepest nesting that may be asked for: each level is read by a recursive call,
    /// and a few hundred levels of gzip overflow the stack.
    pub const MAX_DEPTH: usize = 32;
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            depth: ArchiveLimits::DEFAULT_DEPTH,
            bytes: ArchiveLimits::DEFAULT_BYTES,
            members: 100_000,
            ratio: 1000,
        }
    }
}

/// The most memory an xz stream's decoder may take, in KiB: `xz -9e` needs 65 MiB.
const XZ_MEMORY_KIB: u32 = 128 << 10;

/// A kind of archive or compressed stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
    Zip,
    Tar,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Gzip => "gzip",
            Kind::Bzip2 => "bzip2",
            Kind::Xz => "xz",
            Kind::Zstd => "zstd",
            Kind::Zip => "zip",
            Kind::Tar => "tar",
        }
    }
}

/// Bytes [`sniff`] needs to tell every kind: a tar header's magic lies at 257.
pub(crate) const SNIFF: usize = 512;

/// The kind of archive or compressed stream that starts with `head`, if any. A few byte
/// comparisons: every file is asked.
pub(crate) fn sniff(head: &[u8]) -> Option<Kind> {
    match head {
        [0x1f, 0x8b, 0x08, ..] => Some(Kind::Gzip),
        // "BZh", the block size, then the magic of a first block or of the stream's end.
        [b'B', b'Z', b'h', b'1'..=b'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, ..]
        | [b'B', b'Z', b'h', b'1'..=b'9', 0x17, 0x72, 0x45, 0x38, 0x50, 0x90, ..] => {
            Some(Kind::Bzip2)
        }
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Kind::Xz),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Kind::Zstd),
        [b'P', b'K', 0x03, 0x04, ..] => Some(Kind::Zip),
        _ if is_tar_header(head) => Some(Kind::Tar),
        _ => None,
    }
}

/// Whether `head` starts with a POSIX or GNU tar header whose checksum holds.
fn is_tar_header(head: &[u8]) -> bool {
    if head.len() < SNIFF || &head[257..262] != b"ustar" {
        return false;
    }
    let field = &head[148..156];
    let digits = field
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(*b));
    let recorded = digits.fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
    let sum: u32 = head[..SNIFF]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(*b)
            }
        })
        .sum();
    sum == recorded
}

/// What an archive's members are handed to.
pub(crate) trait Visitor {
    /// A member that is not an archive, or one not opened: `label` is its path inside the
    /// outermost archive, `head` its first bytes, already read, and `rest` the others. An
    /// error reading `rest` is returned, once what was read is scanned.
    fn member(&mut self, label: &str, head: &[u8], rest: &mut dyn Read) -> io::Result<()>;
    /// A warning about the member labelled `label`, or the outermost archive itself when
    /// `label` is empty.
    fn warn(&mut self, label: &str, message: String);
}

/// The bytes of an outermost archive.
pub(crate) enum Input<'a> {
    Held(&'a [u8]),
    /// A file, up to a limit in bytes.
    File(&'a File, u64),
}

impl Input<'_> {
    fn len(&self) -> u64 {
        match self {
            Input::Held(data) => data.len() as u64,
            Input::File(_, limit) => *limit,
        }
    }
}

/// How reading an outermost archive ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Expanded {
    /// Every member was read, or a limit stopped the reading with a warning.
    Read,
    /// The archive is corrupt or truncated (a warning says so): its bytes are to be
    /// scanned as those of a plain file.
    Corrupt,
}

/// Hands every member of `input`, an archive or compressed stream of kind `kind` shown as
/// `name`, to `visitor`, within `limits` (whose depth is at least 1).
pub(crate) fn expand(
    input: Input,
    kind: Kind,
    name: &str,
    limits: &ArchiveLimits,
    visitor: &mut dyn Visitor,
) -> Expanded {
    let most = limits
        .bytes
        .min(input.len().max(1).saturating_mul(limits.ratio));
    let budget = Budget {
        left: Cell::new(most),
        most,
        by_ratio: most < limits.bytes,
    };
    let mut reader = Reader {
        limits,
        budget: &budget,
        visitor,
    };
    let at = Place {
        label: String::new(),
        name: base_name(name).to_string(),
        depth: 1,
    };
    let result = match input {
        Input::Held(data) => reader.held(data, kind, &at),
        Input::File(file, limit) => reader.file(file, limit, kind, &at),
    };
    match result {
        Ok(()) => Expanded::Read,
        Err(Stop::Limit(why)) => {
            reader.visitor.warn("", why);
            Expanded::Read
        }
        Err(Stop::Corrupt(why)) => {
            let message =
                format!("{why}; its bytes are scanned as they are, members read before are kept");
            reader.visitor.warn("", message);
            Expanded::Corrupt
        }
    }
}

/// Nested archives up to this size are held in memory (a zip must be, to be read at all);
/// a larger one is read as a stream, or, a zip, scanned as bytes without being opened.
const NESTED_HOLD: u64 = 16 << 20;

/// Why reading stopped.
#[derive(Debug)]
enum Stop {
    /// A limit, for the whole outermost archive.
    Limit(String),
    /// The archive at hand is corrupt or truncated.
    Corrupt(String),
}

/// The bytes left to decompress from one outermost file.
struct Budget {
    left: Cell<u64>,
    most: u64,
    /// Whether the compression ratio, not the byte limit, sets `most`.
    by_ratio: bool,
}

impl Budget {
    fn spend(&self, n: usize) -> io::Result<()> {
        match self.left.get().checked_sub(n as u64) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.left.set(0);
                Err(io::Error::other("archive limit"))
            }
        }
    }

    fn spent(&self) -> bool {
        self.left.get() == 0
    }

    fn why(&self, limits: &ArchiveLimits) -> String {
        if self.by_ratio {
            format!(
                "not read past {} bytes decompressed: a compression ratio above {}:1 (an \
                 archive bomb?); the rest is skipped",
                self.most, limits.ratio
            )
        } else {
            format!(
                "not read past {} bytes decompressed (--max-archive-bytes); the rest is \
                 skipped",
                self.most
            )
        }
    }
}

/// Decompressed bytes, counted against the budget.
struct Metered<'b, R> {
    inner: R,
    budget: &'b Budget,
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.budget.spend(n)?;
        Ok(n)
    }
}

/// Where an archive stands: the label of the member it is (empty for the outermost), the
/// name of its file (for the name of what a compressed stream holds), and the depth of
/// its members.
#[derive(Clone)]
struct Place {
    label: String,
    name: String,
    depth: usize,
}

impl Place {
    /// The label of the member `member` of this archive.
    fn member(&self, member: &str) -> String {
        if self.label.is_empty() {
            member.to_string()
        } else {
            format!("{}!{member}", self.label)
        }
    }

    /// The place of the archive that is this archive's member `member`.
    fn nested(&self, member: &str) -> Place {
        Place {
            label: self.member(member),
            name: base_name(member).to_string(),
            depth: self.depth + 1,
        }
    }
}

struct Reader<'a> {
    limits: &'a ArchiveLimits,
    budget: &'a Budget,
    visitor: &'a mut dyn Visitor,
}

impl Reader<'_> {
    /// The stop that `err` means: a limit, when the budget is spent, else corruption.
    fn stop(&self, kind: Option<Kind>, err: &dyn std::fmt::Display) -> Stop {
        if self.budget.spent() {
            return Stop::Limit(self.budget.why(self.limits));
        }
        let err = shown::clean(&err.to_string());
        let kind = kind.map_or(String::new(), |k| format!("{} ", k.name()));
        Stop::Corrupt(format!("a corrupt or truncated {kind}archive ({err})"))
    }

    fn held(&mut self, data: &[u8], kind: Kind, at: &Place) -> Result<(), Stop> {
        match kind {
            Kind::Zip => self.zip(Cursor::new(data), at),
            _ => self.stream(&mut &*data, kind, at),
        }
    }

    fn file(&mut self, file: &File, limit: u64, kind: Kind, at: &Place) -> Result<(), Stop> {
        let mut reader = file;
        reader
            .seek(SeekFrom::Start(0))
            .map_err(|e| self.stop(Some(kind), &e))?;
        match kind {
            Kind::Zip => self.zip(file, at),
            _ => self.stream(&mut reader.take(limit), kind, at),
        }
    }

    /// A tar archive or a compressed stream, read once from its start.
    fn stream(&mut self, reader: &mut dyn Read, kind: Kind, at: &Place) -> Result<(), Stop> {
        let decoder: Box<dyn Read + '_> = match kind {
            Kind::Tar => return self.tar(reader, at),
            Kind::Zip => return self.nested(Vec::new(), reader, Kind::Zip, at.clone()),
            Kind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
            Kind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(reader)),
            // A dictionary as large as its header asks (up to 4 GiB) is refused past
            // `xz -9e`'s 64 MiB and the decoder's own needs: a warning, not a gigabyte per
            // thread.
            Kind::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
                reader,
                true,
                XZ_MEMORY_KIB,
            )),
            Kind::Zstd => Box::new(
                ruzstd::decoding::StreamingDecoder::new(reader)
                    .map_err(|e| self.stop(Some(kind), &e))?,
            ),
        };
        let mut metered = Metered {
            inner: decoder,
            budget: self.budget,
        };
        let head = read_head(&mut metered).map_err(|e| self.stop(Some(kind), &e))?;
        match sniff(&head) {
            // A compressed archive is one archive: `app.tgz!package/index.js`.
            Some(Kind::Tar) => self.tar(&mut Cursor::new(&head).chain(metered), at),
            Some(inner) if at.depth < self.limits.depth || inner == Kind::Zip => {
                let mut within = at.clone();
                within.depth += usize::from(inner != Kind::Zip);
                self.nested(head, &mut metered, inner, within)
            }
            inner => {
                let label = at.member(&decompressed_name(&at.name));
                if inner.is_some() {
                    self.too_deep(&label);
                }
                self.leaf(&label, &head, &mut metered)
            }
        }
    }

    /// A tar archive, its entries read raw: the tar crate would hold a long name or pax
    /// header whole in memory, however large it says it is, so they are read here, to
    /// [`EXTENSION_HOLD`] bytes.
    fn tar(&mut self, reader: &mut dyn Read, at: &Place) -> Result<(), Stop> {
        let mut archive = tar::Archive::new(reader);
        let entries = archive
            .entries()
            .map_err(|e| self.stop(Some(Kind::Tar), &e))?
            .raw(true);
        let mut count = 0;
        let mut long_name = None;
        for entry in entries {
            let mut entry = entry.map_err(|e| self.stop(Some(Kind::Tar), &e))?;
            let kind = entry.header().entry_type();
            if kind.is_gnu_longname() || kind.is_pax_local_extensions() {
                let mut held = Vec::new();
                (&mut entry)
                    .take(EXTENSION_HOLD)
                    .read_to_end(&mut held)
                    .map_err(|e| self.stop(Some(Kind::Tar), &e))?;
                long_name = extension_name(kind, &held).or(long_name);
                continue;
            }
            if kind.is_gnu_longlink() || kind.is_pax_global_extensions() {
                continue;
            }
            count += 1;
            if count > self.limits.members {
                self.too_many(at);
                return Ok(());
            }
            let name = long_name.take();
            // Links, directories and devices are names only: nothing is opened.
            if !kind.is_file() {
                continue;
            }
            let name = member_name(name.as_deref().unwrap_or(&entry.path_bytes()));
            self.member(&name, &mut entry, at)?;
        }
        Ok(())
    }

    fn zip<R: Read + Seek>(&mut self, reader: R, at: &Place) -> Result<(), Stop> {
        let mut archive =
            zip::ZipArchive::new(reader).map_err(|e| self.stop(Some(Kind::Zip), &e))?;
        for index in 0..archive.len() {
            if index >= self.limits.members {
                self.too_many(at);
                return Ok(());
            }
            let file = match archive.by_index(index) {
                Ok(file) => file,
                Err(zip::result::ZipError::UnsupportedArchive(why)) => {
                    let label = at.member(&format!("#{index}"));
                    self.visitor.warn(&label, format!("not read: {why}"));
                    continue;
                }
                Err(e) => return Err(self.stop(Some(Kind::Zip), &e)),
            };
            if !file.is_file() || file.is_symlink() {
                continue;
            }
            let name = member_name(file.name_raw());
            let mut metered = Metered {
                inner: file,
                budget: self.budget,
            };
            self.member(&name, &mut metered, at)?;
        }
        Ok(())
    }

    /// An archive deeper than the depth asked, labelled `label`: scanned as bytes, with a
    /// warning, for what it hides is not read.
    fn too_deep(&mut self, label: &str) {
        let message = format!(
            "an archive nested more than {} deep is not opened (--max-archive-depth); \
             scanned as bytes",
            self.limits.depth
        );
        self.visitor.warn(label, message);
    }

    fn too_many(&mut self, at: &Place) {
        let message = format!(
            "more than {} members: the rest are skipped",
            self.limits.members
        );
        self.visitor.warn(&at.label, message);
    }
}

impl Reader<'_> {
    /// A member of the archive at `at`, named `name`: opened when it is an archive and the
    /// depth allows, else handed to the visitor.
    fn member(&mut self, name: &str, reader: &mut dyn Read, at: &Place) -> Result<(), Stop> {
        let head = read_head(reader).map_err(|e| self.stop(None, &e))?;
        match sniff(&head) {
            Some(kind) if at.depth < self.limits.depth => {
                self.nested(head, reader, kind, at.nested(name))
            }
            Some(_) => {
                let label = at.member(name);
                self.too_deep(&label);
                self.leaf(&label, &head, reader)
            }
            None => self.leaf(&at.member(name), &head, reader),
        }
    }

    /// An archive of kind `kind` nested at `at`, which starts with `head` and goes on in
    /// `rest`: held in memory when it is small, and then scanned as bytes if corrupt.
    fn nested(
        &mut self,
        mut head: Vec<u8>,
        rest: &mut dyn Read,
        kind: Kind,
        at: Place,
    ) -> Result<(), Stop> {
        let room = NESTED_HOLD.saturating_sub(head.len() as u64);
        (&mut *rest)
            .take(room + 1)
            .read_to_end(&mut head)
            .map_err(|e| self.stop(Some(kind), &e))?;
        if head.len() as u64 <= NESTED_HOLD {
            return match self.held(&head, kind, &at) {
                Err(Stop::Corrupt(why)) => {
                    self.visitor
                        .warn(&at.label, format!("{why}; scanned as bytes"));
                    self.leaf(&at.label, &head, &mut io::empty())
                }
                done => done,
            };
        }
        if kind == Kind::Zip {
            let message = format!(
                "a zip archive larger than {} MiB inside another is not opened; scanned as bytes",
                NESTED_HOLD >> 20
            );
            self.visitor.warn(&at.label, message);
            return self.leaf(&at.label, &head, rest);
        }
        match self.stream(&mut Cursor::new(&head).chain(rest), kind, &at) {
            Err(Stop::Corrupt(why)) => {
                self.visitor.warn(&at.label, why);
                Ok(())
            }
            done => done,
        }
    }

    fn leaf(&mut self, label: &str, head: &[u8], rest: &mut dyn Read) -> Result<(), Stop> {
        match self.visitor.member(label, head, rest) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(None, &e)),
        }
    }
}

/// The most bytes of a tar long name or pax header read: a name is never longer.
const EXTENSION_HOLD: u64 = 64 << 10;

/// The name that a GNU long name or pax header, of kind `kind` and holding `data`, gives
/// the entry after it, if any.
fn extension_name(kind: tar::EntryType, data: &[u8]) -> Option<Vec<u8>> {
    if kind.is_gnu_longname() {
        let name = data.split(|b| *b == 0).next().unwrap_or(data);
        return Some(name.to_vec());
    }
    tar::PaxExtensions::new(data)
        .map_while(Result::ok)
        .find(|ext| ext.key_bytes() == b"path")
        .map(|ext| ext.value_bytes().to_vec())
}

/// The first [`SNIFF`] bytes of `reader`, or fewer when it ends before.
fn read_head(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF);
    reader.take(SNIFF as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// A member's name as a label: control characters escaped and tokens redacted, like any
/// hostile name; a leading `./` left out. It is never opened, so `..` and `/` are text.
fn member_name(raw: &[u8]) -> String {
    let name = String::from_utf8_lossy(raw);
    let name = name.strip_prefix("./").unwrap_or(&name);
    shown::clean(name)
}

/// The last part of a file's name or label: `app.log.gz` of `logs/app.log.gz`.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\', '!']).next().unwrap_or(name)
}

/// The name of what the compressed file `name` holds: `app.log` of `app.log.gz`, `app.tar`
/// of `app.tgz`; its own name when it says nothing.
fn decompressed_name(name: &str) -> String {
    const SUFFIXES: [(&str, &str); 10] = [
        (".tgz", ".tar"),
        (".tbz2", ".tar"),
        (".tbz", ".tar"),
        (".txz", ".tar"),
        (".tzst", ".tar"),
        (".gz", ""),
        (".bz2", ""),
        (".xz", ""),
        (".zst", ""),
        (".zstd", ""),
    ];
    let lower = name.to_ascii_lowercase();
    for (suffix, replacement) in SUFFIXES {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            return format!("{}{replacement}", &name[..name.len() - suffix.len()]);
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// What a visitor was handed: each member's label and bytes, and the warnings.
    #[derive(Default)]
    struct Seen {
        members: Vec<(String, Vec<u8>)>,
        warnings: Vec<(String, String)>,
    }

    impl Visitor for Seen {
        fn member(&mut self, label: &str, head: &[u8], rest: &mut dyn Read) -> io::Result<()> {
            let mut data = head.to_vec();
            let read = rest.read_to_end(&mut data);
            self.members.push((label.to_string(), data));
            read.map(|_| ())
        }
        fn warn(&mut self, label: &str, message: String) {
            self.warnings.push((label.to_string(), message));
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            builder.append_data(&mut header, name, *data).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn expand_held(data: &[u8], name: &str, limits: &ArchiveLimits) -> (Seen, Expanded) {
        let mut seen = Seen::default();
        let kind = sniff(data).expect("an archive");
        let expanded = expand(Input::Held(data), kind, name, limits, &mut seen);
        (seen, expanded)
    }

    /// Found by the `archives` fuzz target: an xz index that claims 2^35 records once made
    /// the decoder reserve room for all of them up front, and the scan died out of memory.
    #[test]
    fn an_xz_index_claiming_billions_of_records_is_a_warning_not_an_abort() {
        let hex = [
            "fd377a585a000004e6d6b446008cfffff6612f9d8d7e190b54969d6770391900000000000000000000000000",
            "000000b600000000000000000000000000000008000000000000000000000000000000000000000000000000",
            "00c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8ffffffffff86ffffffffffa118b000002100ee010000000000",
            "00064758661f49f47961f9abec93000000004688c06651a7b5c20001eb0180500000a78e5303b1c467fb0200",
            "00000004595a",
        ]
        .concat();
        let data: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let (seen, _) = expand_held(&data, "a.xz", &ArchiveLimits::default());
        assert!(
            seen.warnings
                .iter()
                .any(|(_, m)| m.contains("corrupt or truncated xz")),
            "{:?}",
            seen.warnings
        );
    }

    #[test]
    fn each_kind_is_known_by_its_magic_bytes_alone() {
        assert_eq!(sniff(&gzip(b"x")), Some(Kind::Gzip));
        assert_eq!(sniff(&tar(&[("a", b"x")])), Some(Kind::Tar));
        assert_eq!(sniff(b"BZh91AY&SY\x00"), Some(Kind::Bzip2));
        assert_eq!(sniff(b"\xfd7zXZ\x00\x00"), Some(Kind::Xz));
        assert_eq!(sniff(b"\x28\xb5\x2f\xfd\x00"), Some(Kind::Zstd));
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), Some(Kind::Zip));
        // Text that starts like one, or says `ustar` where a tar header would, is text.
        assert_eq!(sniff(b"BZh9 is not bzip2"), None);
        let mut text = vec![b'a'; SNIFF];
        text[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&text), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_compressed_file_holds_a_file_named_after_it() {
        assert_eq!(decompressed_name("ci.log.gz"), "ci.log");
        assert_eq!(decompressed_name("app.TGZ"), "app.tar");
        assert_eq!(decompressed_name("a.tar.zst"), "a.tar");
        assert_eq!(decompressed_name(".gz"), ".gz");
        assert_eq!(decompressed_name("blob"), "blob");
        assert_eq!(base_name("logs/ci.log.gz"), "ci.log.gz");
        assert_eq!(base_name("a.tar!b/c.gz"), "c.gz");
    }

    #[test]
    fn a_compressed_tar_is_one_archive_and_its_members_are_labelled() {
        let data = gzip(&tar(&[("./etc/a", b"one"), ("b c", b"two")]));
        let (seen, expanded) = expand_held(&data, "x/img.tgz", &ArchiveLimits::default());
        assert_eq!(expanded, Expanded::Read);
        let labels: Vec<&str> = seen.members.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(labels, ["etc/a", "b c"]);
        assert!(seen.warnings.is_empty());
    }

    #[test]
    fn a_ratio_above_the_limit_stops_the_reading() {
        let data = gzip(&vec![0u8; 1 << 20]);
        let limits = ArchiveLimits {
            ratio: 10,
            ..ArchiveLimits::default()
        };
        let (seen, expanded) = expand_held(&data, "zeros.gz", &limits);
        assert_eq!(expanded, Expanded::Read);
        let (label, message) = &seen.warnings[0];
        assert_eq!(label, "");
        assert!(
            message.contains("compression ratio above 10:1"),
            "{message}"
        );
        assert!(seen.members[0].1.len() as u64 <= data.len() as u64 * 10);
    }

    #[test]
    fn too_many_members_are_skipped_with_a_warning() {
        let data = tar(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let limits = ArchiveLimits {
            members: 2,
            ..ArchiveLimits::default()
        };
        let (seen, _) = expand_held(&data, "t.tar", &limits);
        assert_eq!(seen.members.len(), 2);
        assert!(seen.warnings[0].1.contains("more than 2 members"));
    }

    /// A tar entry of `kind` named `name` in a header of its own, holding `data`.
    fn tar_entry(kind: tar::EntryType, name: &[u8], data: &[u8]) -> Vec<u8> {
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
        header.set_size(data.len() as u64);
        header.set_entry_type(kind);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(data);
        bytes.resize(bytes.len().next_multiple_of(512), 0);
        bytes
    }

    /// Long names, GNU or pax, name the entry after them; one that says it is huge is read
    /// only as far as a name can go, not held whole.
    #[test]
    fn long_names_are_read_and_bounded() {
        let gnu = "g/".repeat(80);
        // A pax record: its length in bytes (112, with its own three digits), key, value.
        let pax = format!("112 path=p/{}\n", "q".repeat(100));
        let huge = vec![b'h'; 1 << 20];
        let mut data = tar_entry(
            tar::EntryType::GNULongName,
            b"././@LongLink",
            gnu.as_bytes(),
        );
        data.extend(tar_entry(tar::EntryType::Regular, b"short1", b"one"));
        data.extend(tar_entry(tar::EntryType::XHeader, b"pax", pax.as_bytes()));
        data.extend(tar_entry(tar::EntryType::Regular, b"short2", b"two"));
        data.extend(tar_entry(
            tar::EntryType::GNULongName,
            b"././@LongLink",
            &huge,
        ));
        data.extend(tar_entry(tar::EntryType::Regular, b"short3", b"three"));
        data.extend(tar_entry(tar::EntryType::Regular, b"plain", b"four"));
        data.extend([0; 1024]);
        let (seen, expanded) = expand_held(&gzip(&data), "t.tgz", &ArchiveLimits::default());
        assert_eq!(expanded, Expanded::Read, "{:?}", seen.warnings);
        let labels: Vec<&str> = seen.members.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(labels[0], gnu);
        assert_eq!(labels[1], format!("p/{}", "q".repeat(100)));
        assert_eq!(labels[3], "plain");
        assert!(labels[2].starts_with("hhh"), "{}", &labels[2][..10]);
        assert!(
            labels[2].len() as u64 <= EXTENSION_HOLD,
            "{}",
            labels[2].len()
        );
        assert_eq!(seen.members[2].1, b"three");
    }

    /// A corrupt archive inside another is warned of and handed over as bytes (what was
    /// decompressed of it too, when anything was); the outer one reads on.
    #[test]
    fn a_corrupt_nested_archive_is_handed_over_as_bytes() {
        let mut broken = gzip(b"inner text");
        broken.truncate(broken.len() - 6);
        let data = tar(&[("in.gz", &broken), ("after", b"ok")]);
        let (seen, expanded) = expand_held(&data, "t.tar", &ArchiveLimits::default());
        assert_eq!(expanded, Expanded::Read);
        let labels: Vec<&str> = seen.members.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(labels, ["in.gz", "after"]);
        assert_eq!(seen.members[0].1, broken);
        assert_eq!(seen.warnings[0].0, "in.gz");
    }
}
