//! WebSocket frames (after an HTTP upgrade or not), and messages from them.
#![no_main]
use labkit::wire::{Decoder, websocket};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = websocket::Frames.decode(data);
    let _ = websocket::messages(&decoded.units);
    for f in &decoded.units {
        let _ = (f.close_code(), f.close_reason());
    }
    if let Some(stop) = &decoded.stop {
        assert_eq!(stop.offset + stop.remaining, data.len());
    }
});
