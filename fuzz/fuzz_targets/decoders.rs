#![no_main]
//! The base64 and UTF-16 decoders on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tokenlint::fuzzing::decoders(data);
});
