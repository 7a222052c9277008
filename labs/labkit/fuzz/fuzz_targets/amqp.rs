//! AMQP 0-9-1 frames (with or without the protocol header first).
#![no_main]
use labkit::wire::{Decoder, amqp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    labkit_fuzz::check(&amqp::Frames.decode(data), data.len());
    let mut with_header = b"AMQP\x00\x00\x09\x01".to_vec();
    with_header.extend_from_slice(data);
    labkit_fuzz::check(&amqp::Frames.decode(&with_header), with_header.len());
});
