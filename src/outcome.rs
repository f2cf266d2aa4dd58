//! What scanning a source produced: its findings, the files it could not scan, and what it
//! read. Its own module so that the walk, the history scan, `audit` and the reporters share
//! these types without depending on each other.

use crate::finding::Finding;

/// A file or directory that could not be scanned.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScanError {
    pub path: String,
    pub message: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub files: u64,
    pub bytes: u64,
    /// In a range scan: the older secrets of the files it touches, which were not judged
    /// (distinct by path, rule and secret).
    pub older: usize,
}

impl Outcome {
    pub(crate) fn merge(&mut self, other: Outcome) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.files += other.files;
        self.bytes += other.bytes;
        self.older += other.older;
    }
}
