//! NATS operations, and the helpers that read a decoded operation.
#![no_main]
use labkit::wire::{Decoder, nats};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = nats::Ops.decode(data);
    labkit_fuzz::check(&decoded, data.len());
    for op in &decoded.units {
        let _ = (op.argument(), op.json(), op.status(), op.header("Nats-Msg-Id"));
    }
});
