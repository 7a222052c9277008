//! HTTP/2 frames with HPACK, with and without the client preface.
#![no_main]
use labkit::wire::{Decoder, http2};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = http2::Frames.decode(data);
    labkit_fuzz::check(&decoded, data.len());
    let _ = http2::streams(&decoded.units);
    let _ = http2::max_concurrent_streams(&decoded.units);
    for f in &decoded.units {
        let _ = (
            f.settings(),
            f.error_code(),
            f.data().len(),
            f.header(":path"),
        );
    }
    let mut with_preface = http2::PREFACE.to_vec();
    with_preface.extend_from_slice(data);
    labkit_fuzz::check(&http2::Frames.decode(&with_preface), with_preface.len());
});
