//! MQTT packets: the version read from a CONNECT, 3.1.1 forced, 5 forced.
#![no_main]
use labkit::wire::{Decoder, mqtt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for decoder in [
        mqtt::Packets::auto(),
        mqtt::Packets::v311(),
        mqtt::Packets::v5(),
    ] {
        let decoded = decoder.decode(data);
        labkit_fuzz::check(&decoded, data.len());
        for p in &decoded.units {
            let _ = (p.qos(), p.dup(), p.retain());
        }
    }
});
