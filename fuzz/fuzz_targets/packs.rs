#![no_main]
//! A repository's pack and index on arbitrary bytes, read as a whole history's scan reads
//! them in the process (`source/packs.rs`): corrupt, truncated, lying about sizes,
//! offsets and deltas.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tokenlint::fuzzing::packs(data);
});
