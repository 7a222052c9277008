//! TLS records: the outer layer of every TLS connection, readable even when
//! everything inside is encrypted.
//!
//! Every TLS byte travels in records ([RFC 8446 §5.1]): one byte of content
//! type (20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data),
//! two of legacy version (`03 03`; `03 01` is allowed in a client's first
//! record), two of length (at most 2^14 + 256 for an encrypted record), then
//! that many bytes of fragment. In TLS 1.3 everything after the server's
//! hello is sent as application_data, with the real content type hidden
//! inside the encryption ([RFC 8446 §5.2]). Header: the five bytes; body:
//! the fragment.
//!
//! [RFC 8446 §5.1]: https://www.rfc-editor.org/rfc/rfc8446#section-5.1
//! [RFC 8446 §5.2]: https://www.rfc-editor.org/rfc/rfc8446#section-5.2
//!
//! ```
//! use labkit::wire::{Decoder, tls};
//! let record = [23, 3, 3, 0, 2, 0xAB, 0xCD];
//! let records = tls::Records.decode(&record).complete().unwrap();
//! assert_eq!(records[0].content_type_name(), "application_data");
//! ```

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// Bytes of record header: type, version, length.
pub const RECORD_HEADER_LEN: usize = 5;
/// The largest fragment RFC 8446 §5.2 allows in an encrypted record.
pub const MAX_FRAGMENT: usize = (1 << 14) + 256;

/// One TLS record as it was on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Offset of its first byte in the stream.
    pub offset: usize,
    /// The outer content type: 20, 21, 22 or 23.
    pub content_type: u8,
    /// The legacy record version, e.g. `0x0303`.
    pub version: u16,
    /// The fragment's length, as the header says.
    pub fragment_len: usize,
}

impl Record {
    /// `"handshake"`, `"application_data"`, ...
    pub fn content_type_name(&self) -> &'static str {
        match self.content_type {
            20 => "change_cipher_spec",
            21 => "alert",
            22 => "handshake",
            23 => "application_data",
            _ => "unknown",
        }
    }
}

impl Unit for Record {
    fn name(&self) -> String {
        self.content_type_name().to_string()
    }
    fn header_len(&self) -> usize {
        RECORD_HEADER_LEN
    }
    fn body_len(&self) -> usize {
        self.fragment_len
    }
}

/// Cuts one direction of a TLS connection into records.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records;

impl Decoder for Records {
    type Unit = Record;

    fn protocol(&self) -> &'static str {
        "TLS records"
    }

    fn decode(&self, stream: &[u8]) -> Decoded<Record> {
        let mut units = Vec::new();
        let mut at = 0;
        let stop = |at: usize, reason| {
            Some(Stop {
                offset: at,
                remaining: stream.len() - at,
                reason,
            })
        };
        while at < stream.len() {
            let rest = &stream[at..];
            if !(20..=23).contains(&rest[0]) {
                let why = format!("content type {} is not 20 to 23", rest[0]);
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Invalid(why)),
                };
            }
            if rest.len() >= 2 && rest[1] != 3 {
                let why = format!("record version major byte is {}, not 3", rest[1]);
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Invalid(why)),
                };
            }
            if rest.len() < RECORD_HEADER_LEN {
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Incomplete),
                };
            }
            let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
            if len > MAX_FRAGMENT {
                let why = format!("a {len}-byte fragment is over the 16,640-byte limit");
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Invalid(why)),
                };
            }
            if rest.len() < RECORD_HEADER_LEN + len {
                return Decoded {
                    protocol: self.protocol(),
                    units,
                    stop: stop(at, StopReason::Incomplete),
                };
            }
            units.push(Record {
                offset: at,
                content_type: rest[0],
                version: u16::from_be_bytes([rest[1], rest[2]]),
                fragment_len: len,
            });
            at += RECORD_HEADER_LEN + len;
        }
        Decoded {
            protocol: self.protocol(),
            units,
            stop: None,
        }
    }
}
