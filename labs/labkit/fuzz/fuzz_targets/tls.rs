//! TLS records: the record layer only (type, version, length, fragment);
//! the fragments of a TLS 1.3 connection are ciphertext after the hellos.
#![no_main]
use labkit::wire::{Decoder, Unit, tls};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = tls::Records.decode(data);
    labkit_fuzz::check(&decoded, data.len());
    for r in &decoded.units {
        let _ = (r.name(), r.header_len(), r.body_len());
    }
});
