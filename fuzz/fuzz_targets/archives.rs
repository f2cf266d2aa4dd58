#![no_main]
//! Archives and compressed streams on arbitrary bytes: gzip, bzip2, xz, zstd, zip, tar,
//! nested, within small limits.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tokenlint::fuzzing::archives(data);
});
