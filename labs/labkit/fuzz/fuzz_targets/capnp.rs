//! Cap'n Proto RPC messages in the stream framing: segment table, segments,
//! and the root `Message` struct's tag, ids and call target.
#![no_main]
use labkit::wire::{Decoder, capnp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = capnp::Messages.decode(data);
    labkit_fuzz::check(&decoded, data.len());
    for m in &decoded.units {
        let _ = (m.is_pipelined(), capnp::tag_name(m.tag));
    }
});
