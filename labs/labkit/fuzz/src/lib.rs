//! What every fuzz target checks besides "no panic": the decoder's own
//! promise from `labkit::wire::decode` — the stop, if any, lies inside the
//! stream and the units never claim more bytes than came before it.

use labkit::wire::{Decoded, Unit};

/// Panic (so libFuzzer keeps the input) if `decoded` breaks the promise
/// for a stream of `len` bytes.
pub fn check<U: Unit>(decoded: &Decoded<U>, len: usize) {
    let used: usize = decoded.units.iter().map(Unit::wire_len).sum();
    match &decoded.stop {
        Some(stop) => {
            assert_eq!(stop.offset + stop.remaining, len, "stop inside the stream");
            assert!(used <= stop.offset, "units end before the stop");
        }
        None => assert!(used <= len, "units within the stream"),
    }
    for unit in &decoded.units {
        let _ = unit.name();
    }
}
