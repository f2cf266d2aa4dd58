//! Reads every object of a repository's packs in tokenlint's own process, for a scan of
//! every ref's history: gix-pack's traversal of a pack by its index decodes each object
//! once, in the pack's order, its delta base at hand, on several threads; far cheaper than
//! asking `git cat-file` for each object through a pipe. It is only a shortcut: the
//! history module takes from it only the objects git lists, and asks git for every other
//! one (a loose object, an alternate's, one of a pack this could not read). Nothing here
//! runs a command or reads a configuration: only the packs' files, regular files in the
//! repository's own object directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use gix_pack::index::traverse::{Algorithm, Options, SafetyCheck};

use crate::git::Kind;

/// The largest object a pack may make this decode: a larger one (a hostile pack's delta
/// can claim gigabytes) ends the pack's traversal, and git reads the rest of the pack.
pub(crate) const DECODED_LIMIT: usize = 128 << 20;

/// The object directory whose packs can be read here: a SHA-1 repository's own,
/// unless git's environment puts the objects elsewhere (a push's quarantine).
pub(super) fn object_dir(common: &Path, object_format: &str) -> Option<PathBuf> {
    let elsewhere = ["GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    (object_format == "sha1" && !elsewhere).then(|| common.join("objects"))
}

/// The packs of `objects`: each `pack-*.idx` with its `.pack`, both regular files (not a
/// symbolic link to a device or a FIFO, which could block the open for ever).
fn packs(objects: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(objects.join("pack")) else {
        return Vec::new();
    };
    let regular = |path: &Path| path.symlink_metadata().is_ok_and(|m| m.is_file());
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("pack-") && n.ends_with(".idx"))
                && regular(p)
                && regular(&p.with_extension("pack"))
        })
        .collect();
    found.sort();
    found
}

/// What is handed each object: a worker's state, the object's id, kind and content.
type Each<'a, S> = dyn Fn(&mut S, &str, Kind, &[u8]) + Sync + 'a;

/// How many bytes are decoded between two releases of the pack's pages ([`Mapped`]).
const RELEASE_EVERY: usize = 32 << 20;

/// A pack mapped into memory, read-only, shared by the traversal's threads. The pages read
/// stay counted in the process's memory until released: [`Mapped::release`] lets them go
/// from time to time, so that a pack of gigabytes is not held whole; a page read again is
/// read again from the file (the system's cache of it, usually).
#[derive(Clone)]
struct Mapped(std::sync::Arc<memmap2::Mmap>);

impl Mapped {
    fn open(path: &Path) -> std::io::Result<Mapped> {
        let file = std::fs::File::open(path)?;
        // SAFETY: the pack is mapped read-only, as gix-pack and git map it: git never
        // writes into a pack, it writes a new one. (A file truncated underneath would end
        // the run with SIGBUS, as it would end git's.)
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(Mapped(std::sync::Arc::new(map)))
    }

    /// Lets the pages read so far go.
    fn release(&self) {
        #[cfg(unix)]
        // SAFETY: `MADV_DONTNEED` on a read-only mapping of a file, whose pages this
        // process never writes: a page touched again is read again from the file, with the
        // same bytes, so the slices that gix-pack holds into it stay as they were.
        unsafe {
            let _ = self.0.unchecked_advise(memmap2::UncheckedAdvice::DontNeed);
        }
    }
}

impl std::ops::Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// A worker's own state, made afresh for each thread the traversal starts.
struct PerThread<S>(S);

impl<S> PerThread<S> {
    /// The state, through the whole (a closure that named the field would capture only
    /// the field, and not clone afresh).
    fn get(&mut self) -> &mut S {
        &mut self.0
    }
}

impl<S: Default> Clone for PerThread<S> {
    fn clone(&self) -> Self {
        PerThread(S::default())
    }
}

/// Hands each commit, blob and annotated tag of the packs of `objects` to `each`, with
/// its id (hexadecimal), on `threads` threads, each with a state of its own. Returns
/// why a pack could not be read whole, one line per pack (the objects handed over
/// before that were read whole).
pub(crate) fn each_object<S: Default + Send>(
    objects: &Path,
    threads: usize,
    each: &Each<S>,
) -> Vec<String> {
    let mut failed = Vec::new();
    for index in packs(objects) {
        if let Err(e) = traverse(&index, threads, each) {
            failed.push(format!("{}: {e}", index.display()));
        }
    }
    failed
}

/// [`each_object`] for the pack of the index `index`.
fn traverse<S: Default + Send>(index: &Path, threads: usize, each: &Each<S>) -> Result<(), String> {
    let sha1 = gix_hash::Kind::Sha1;
    let index = gix_pack::index::File::at(index, sha1).map_err(|e| e.to_string())?;
    let path = index.path().with_extension("pack");
    let mapped = Mapped::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let pack = gix_pack::data::File::from_data(mapped.clone(), path, sha1)
        .map_err(|e| e.to_string())?
        .with_alloc_limit_bytes(Some(DECODED_LIMIT));
    let mut state = PerThread(S::default());
    let decoded = std::sync::atomic::AtomicUsize::new(0);
    let (decoded, released) = (&decoded, &mapped);
    let processor = move |kind: gix_object::Kind,
                          data: &[u8],
                          entry: &gix_pack::index::Entry,
                          _: &dyn gix_utils::progress::Progress| {
        let before = decoded.fetch_add(data.len(), std::sync::atomic::Ordering::Relaxed);
        if (before + data.len()) / RELEASE_EVERY != before / RELEASE_EVERY {
            released.release();
        }
        let handed = match kind {
            gix_object::Kind::Commit => Some(Kind::Commit),
            gix_object::Kind::Blob => Some(Kind::Blob),
            gix_object::Kind::Tag => Some(Kind::Tag),
            gix_object::Kind::Tree => None,
        };
        // Each object handed over is checked against its id: git finds a corrupt object
        // by its zlib stream's checksum, which gix-pack's decode never reaches (it stops
        // when the object's size is inflated), so other bytes would be scanned unsaid. One
        // that fails is left to git, which says what is wrong.
        let sound = || {
            let object = gix_object::Data::new(data, kind, sha1);
            object.verify_checksum(&entry.oid).is_ok()
        };
        if let Some(handed) = handed.filter(|_| sound()) {
            each(state.get(), &entry.oid.to_hex().to_string(), handed, data);
        }
        Ok(())
    };
    let options = Options {
        traversal: Algorithm::DeltaTreeLookup,
        thread_limit: Some(threads.max(1)),
        // git checks no pack's checksum either when it reads an object; an object that
        // cannot be decoded is skipped, and git asked for it. Only the objects handed over
        // are checked against their ids, above (not the trees).
        check: SafetyCheck::SkipFileAndObjectChecksumVerificationAndNoAbortOnDecodeError,
        alloc_limit_bytes: Some(DECODED_LIMIT),
        make_pack_lookup_cache: || gix_pack::cache::Never,
    };
    let interrupt = AtomicBool::new(false);
    index
        .traverse(
            &pack,
            &mut gix_utils::progress::Discard,
            &interrupt,
            processor,
            options,
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
}
