//! Cap'n Proto RPC messages on a byte stream, as the two-party protocol sends
//! them: each RPC message is one Cap'n Proto message in the standard stream
//! framing ("Serialization over a stream" in the encoding specification).
//!
//! ```text
//! segment table   u32 (segments − 1), then one u32 size per segment, in
//!                 8-byte words, then 4 bytes of zero padding when the count
//!                 of u32s is odd, so the segments start on a word
//! segments        the words themselves
//! ```
//!
//! The header of a unit is its segment table; the body is its segments.
//!
//! What the message *is* comes from its root, a `Message` struct of
//! `rpc.capnp` whose union tag is the first 16 bits of its data section:
//! 0 `unimplemented`, 1 `abort`, 2 `call`, 3 `return`, 4 `finish`,
//! 5 `resolve`, 6 `release`, 8 `bootstrap`, 13 `disembargo`, and a few
//! more for three-party and persistent capabilities. The decoder also reads
//! the one number that ties a conversation together — the question id of a
//! `Bootstrap`, `Call` or `Finish`, the answer id of a `Return`, the import
//! id of a `Release` — and, for a `Call`, where it is aimed
//! (`MessageTarget`): a capability the caller already imported, or the
//! answer to a question still in flight, which is what promise pipelining
//! sends. All offsets are the ones `capnp compile -ocapnp rpc.capnp` prints.
//!
//! A message split across segments by far pointers keeps its name and
//! sizes; only the fields above read as `None` then.

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};

/// The largest segment count the decoder accepts before calling the stream
/// "not Cap'n Proto" (the C++ implementation refuses more than 512).
const MAX_SEGMENTS: usize = 512;

/// Where a `Call` is aimed (`MessageTarget` in `rpc.capnp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A capability the caller already holds, by its import id.
    ImportedCap(u32),
    /// The result of a question not answered yet, by its question id:
    /// a pipelined call.
    PromisedAnswer(u32),
}

/// One RPC message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Offset of its first byte in the stream.
    pub offset: usize,
    /// The `Message` union's tag (2 is `call`, 3 `return`, ...).
    pub tag: u16,
    /// Segments in the message.
    pub segments: usize,
    /// Bytes of segment table (with its padding).
    pub table_len: usize,
    /// Bytes of segments.
    pub segments_len: usize,
    /// The question id (`Bootstrap`, `Call`, `Finish`), answer id
    /// (`Return`), promise id (`Resolve`) or import id (`Release`).
    pub id: Option<u32>,
    /// Where a `Call` is aimed.
    pub target: Option<Target>,
    /// A `Call`'s interface id and method number.
    pub method: Option<(u64, u16)>,
}

impl Message {
    /// Whether this is a call aimed at an answer not yet returned.
    pub fn is_pipelined(&self) -> bool {
        matches!(self.target, Some(Target::PromisedAnswer(_)))
    }
}

/// The name of a `Message` union tag, as `rpc.capnp` spells it.
pub fn tag_name(tag: u16) -> &'static str {
    match tag {
        0 => "Unimplemented",
        1 => "Abort",
        2 => "Call",
        3 => "Return",
        4 => "Finish",
        5 => "Resolve",
        6 => "Release",
        7 => "ObsoleteSave",
        8 => "Bootstrap",
        9 => "ObsoleteDelete",
        10 => "Provide",
        11 => "Accept",
        12 => "Join",
        13 => "Disembargo",
        _ => "unknown",
    }
}

impl Unit for Message {
    fn name(&self) -> String {
        tag_name(self.tag).to_string()
    }
    fn header_len(&self) -> usize {
        self.table_len
    }
    fn body_len(&self) -> usize {
        self.segments_len
    }
}

/// Decodes a two-party Cap'n Proto RPC stream into [`Message`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct Messages;

impl Decoder for Messages {
    type Unit = Message;

    fn protocol(&self) -> &'static str {
        "Cap'n Proto RPC messages"
    }

    fn decode(&self, stream: &[u8]) -> Decoded<Message> {
        let mut units = Vec::new();
        let mut at = 0;
        let stop = loop {
            if at == stream.len() {
                break None;
            }
            match one(&stream[at..]) {
                Ok(Some(mut m)) => {
                    m.offset = at;
                    at += m.wire_len();
                    units.push(m);
                }
                Ok(None) => {
                    break Some(Stop {
                        offset: at,
                        remaining: stream.len() - at,
                        reason: StopReason::Incomplete,
                    });
                }
                Err(reason) => {
                    break Some(Stop {
                        offset: at,
                        remaining: stream.len() - at,
                        reason: StopReason::Invalid(reason),
                    });
                }
            }
        };
        Decoded {
            protocol: self.protocol(),
            units,
            stop,
        }
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One message at the start of `b`: `Ok(None)` when `b` ends inside it.
fn one(b: &[u8]) -> Result<Option<Message>, String> {
    let Some(first) = u32_at(b, 0) else {
        return Ok(None);
    };
    let segments = first as usize + 1;
    if segments > MAX_SEGMENTS {
        return Err(format!(
            "a segment table announcing {segments} segments (at most {MAX_SEGMENTS})"
        ));
    }
    let table_len = (4 + 4 * segments).div_ceil(8) * 8;
    if b.len() < table_len {
        return Ok(None);
    }
    let mut words = 0usize;
    for i in 0..segments {
        words += u32_at(b, 4 + 4 * i).unwrap_or(0) as usize;
    }
    if words == 0 {
        return Err("a message with no words (its root pointer is missing)".into());
    }
    let segments_len = words * 8;
    if b.len() < table_len + segments_len {
        return Ok(None);
    }
    let first_len = u32_at(b, 4).unwrap_or(0) as usize * 8;
    let seg = &b[table_len..table_len + first_len];
    let mut m = Message {
        offset: 0,
        tag: 0,
        segments,
        table_len,
        segments_len,
        id: None,
        target: None,
        method: None,
    };
    let root = Struct::at(seg, 0).ok_or("the root pointer is not a struct in segment 0")?;
    m.tag = root.u16(0);
    if let Some(inner) = root.pointer(seg, 0) {
        let has_id = matches!(m.tag, 2 | 3 | 4 | 5 | 6 | 8);
        m.id = has_id.then(|| inner.u32(0));
        if m.tag == 2 {
            m.method = Some((inner.u64(8), inner.u16(4)));
            m.target = inner.pointer(seg, 0).map(|t| match t.u16(4) {
                0 => Target::ImportedCap(t.u32(0)),
                _ => Target::PromisedAnswer(t.pointer(seg, 0).map_or(0, |p| p.u32(0))),
            });
        }
    }
    Ok(Some(m))
}

/// A struct found through a pointer: where its data and pointers are.
#[derive(Debug, Clone, Copy)]
struct Struct<'a> {
    data: &'a [u8],
    /// Index (in words) of its first pointer in the segment.
    pointers: usize,
    pointer_count: usize,
}

impl<'a> Struct<'a> {
    /// The struct a struct pointer at word `word` of `seg` points to, or
    /// `None` for a null, far or out-of-bounds pointer.
    fn at(seg: &'a [u8], word: usize) -> Option<Struct<'a>> {
        let raw = u64::from_le_bytes(seg.get(word * 8..word * 8 + 8)?.try_into().ok()?);
        if raw == 0 || raw & 3 != 0 {
            return None;
        }
        // The offset is a signed 30-bit count of words from the end of the pointer.
        let offset = ((raw as u32) as i32 >> 2) as isize;
        let data_words = ((raw >> 32) & 0xFFFF) as usize;
        let pointer_count = (raw >> 48) as usize;
        let start = usize::try_from(word as isize + 1 + offset).ok()?;
        let end = start.checked_add(data_words + pointer_count)?;
        if end.checked_mul(8)? > seg.len() {
            return None;
        }
        Some(Struct {
            data: &seg[start * 8..(start + data_words) * 8],
            pointers: start + data_words,
            pointer_count,
        })
    }

    /// The struct its pointer number `i` points to.
    fn pointer(&self, seg: &'a [u8], i: usize) -> Option<Struct<'a>> {
        (i < self.pointer_count).then(|| Struct::at(seg, self.pointers + i))?
    }

    /// A field past the end of the data section reads as zero: that is how
    /// an older writer's smaller struct answers a newer reader.
    fn bytes<const N: usize>(&self, at: usize) -> [u8; N] {
        self.data
            .get(at..at + N)
            .and_then(|s| s.try_into().ok())
            .unwrap_or([0; N])
    }
    fn u16(&self, at: usize) -> u16 {
        u16::from_le_bytes(self.bytes(at))
    }
    fn u32(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.bytes(at))
    }
    fn u64(&self, at: usize) -> u64 {
        u64::from_le_bytes(self.bytes(at))
    }
}
