//! MQTT on the wire: cuts a recorded stream into control packets.
//!
//! Chapter 4 counts MQTT's packets (how many a QoS level costs, per hop)
//! and weighs them (how much of a PUBLISH is the reading, how much is
//! framing). Both need the stream cut exactly where the protocol cuts it:
//!
//! - every packet opens with a **fixed header**: one byte of type (high
//!   four bits) and flags (low four bits), then the *remaining length* as a
//!   variable-length integer of one to four bytes, seven bits per byte,
//!   least significant group first, the high bit saying "another byte
//!   follows" (MQTT 3.1.1 §2.2.3, MQTT 5.0 §1.5.5);
//! - a PUBLISH then carries the topic name (two length bytes and the
//!   name), a two-byte packet identifier when QoS > 0, in MQTT 5 a
//!   properties block, and the payload: the only bytes the application
//!   asked to send. [`Packet::header_len`] counts everything before the
//!   payload, so "overhead" is measured, not quoted.
//!
//! Other packets carry no application data: their whole length counts as
//! header. MQTT 5 adds properties to several packets; whether a stream is
//! MQTT 5 is read from the protocol level in its CONNECT
//! ([`Packets::decode_conn`] looks at the client's side for it).
//!
//! ```
//! use labkit::wire::{Decoder, mqtt};
//! // PUBLISH, QoS 0, topic "a/b", payload "21.5"
//! let stream = [0x30, 9, 0, 3, b'a', b'/', b'b', b'2', b'1', b'.', b'5'];
//! let packets = mqtt::Packets::v311().decode(&stream).complete().unwrap();
//! assert_eq!(packets[0].kind, mqtt::Kind::Publish);
//! assert_eq!(packets[0].topic.as_deref(), Some("a/b"));
//! assert_eq!((packets[0].header_len, packets[0].payload_len), (7, 4));
//! ```

use super::decode::{Decoded, Decoder, Stop, StopReason, Unit};
use super::{ConnRecord, Direction};

/// The largest remaining length four bytes can say: 268,435,455 (256 MiB − 1).
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// The fourteen MQTT 3.1.1 packet types, and MQTT 5's AUTH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Connect,
    Connack,
    Publish,
    Puback,
    Pubrec,
    Pubrel,
    Pubcomp,
    Subscribe,
    Suback,
    Unsubscribe,
    Unsuback,
    Pingreq,
    Pingresp,
    Disconnect,
    Auth,
}

impl Kind {
    /// The type from the high four bits of the first byte; 0 is reserved.
    pub fn from_code(code: u8) -> Option<Kind> {
        use Kind::*;
        Some(match code {
            1 => Connect,
            2 => Connack,
            3 => Publish,
            4 => Puback,
            5 => Pubrec,
            6 => Pubrel,
            7 => Pubcomp,
            8 => Subscribe,
            9 => Suback,
            10 => Unsubscribe,
            11 => Unsuback,
            12 => Pingreq,
            13 => Pingresp,
            14 => Disconnect,
            15 => Auth,
            _ => return None,
        })
    }

    /// The number in the high four bits of the first byte (1 to 15).
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// The name the specifications use, e.g. `"PUBACK"`.
    pub fn name(self) -> &'static str {
        use Kind::*;
        match self {
            Connect => "CONNECT",
            Connack => "CONNACK",
            Publish => "PUBLISH",
            Puback => "PUBACK",
            Pubrec => "PUBREC",
            Pubrel => "PUBREL",
            Pubcomp => "PUBCOMP",
            Subscribe => "SUBSCRIBE",
            Suback => "SUBACK",
            Unsubscribe => "UNSUBSCRIBE",
            Unsuback => "UNSUBACK",
            Pingreq => "PINGREQ",
            Pingresp => "PINGRESP",
            Disconnect => "DISCONNECT",
            Auth => "AUTH",
        }
    }

    /// Whether the variable header opens with a two-byte packet identifier
    /// (PUBLISH only at QoS > 0, handled apart).
    fn has_packet_id(self) -> bool {
        use Kind::*;
        matches!(
            self,
            Puback | Pubrec | Pubrel | Pubcomp | Subscribe | Suback | Unsubscribe | Unsuback
        )
    }
}

/// One MQTT control packet, as it was on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Offset of its first byte in the stream.
    pub offset: usize,
    pub kind: Kind,
    /// The low four bits of the first byte.
    pub flags: u8,
    /// Bytes of the fixed header: 1 + the length bytes (2 to 5 in all).
    pub fixed_header_len: usize,
    /// What the remaining-length field says.
    pub remaining_len: usize,
    /// Every byte before the payload (all of it for non-PUBLISH packets).
    pub header_len: usize,
    /// The application's bytes: a PUBLISH's payload, 0 for other packets.
    pub payload_len: usize,
    /// PUBLISH: the topic name.
    pub topic: Option<String>,
    /// The packet identifier, where the packet has one.
    pub packet_id: Option<u16>,
    /// CONNECT: the protocol level (4 = MQTT 3.1.1, 5 = MQTT 5.0).
    pub protocol_level: Option<u8>,
    /// CONNECT: the client identifier.
    pub client_id: Option<String>,
    /// CONNECT: the keep-alive in seconds.
    pub keep_alive_secs: Option<u16>,
    /// CONNECT: whether a will was given.
    pub will: Option<bool>,
}

impl Packet {
    /// PUBLISH: the QoS from the flags (0, 1, 2); `None` for other packets.
    pub fn qos(&self) -> Option<u8> {
        (self.kind == Kind::Publish).then_some((self.flags >> 1) & 3)
    }

    /// PUBLISH: the DUP flag, set on a redelivery.
    pub fn dup(&self) -> bool {
        self.kind == Kind::Publish && self.flags & 0b1000 != 0
    }

    /// PUBLISH: the RETAIN flag.
    pub fn retain(&self) -> bool {
        self.kind == Kind::Publish && self.flags & 1 != 0
    }

    /// Bytes on the wire in all.
    pub fn len(&self) -> usize {
        self.fixed_header_len + self.remaining_len
    }

    /// Never true: a packet has at least its two-byte fixed header.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Unit for Packet {
    fn name(&self) -> String {
        self.kind.name().to_string()
    }
    fn header_len(&self) -> usize {
        self.header_len
    }
    fn body_len(&self) -> usize {
        self.payload_len
    }
}

/// Cuts one side of an MQTT connection into packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packets {
    /// 4 or 5 when fixed; `None` reads it from a CONNECT (3.1.1 if none).
    level: Option<u8>,
}

impl Default for Packets {
    fn default() -> Self {
        Packets::auto()
    }
}

impl Packets {
    /// Reads the version from the CONNECT on the client's side.
    pub fn auto() -> Packets {
        Packets { level: None }
    }
    /// MQTT 3.1.1 (protocol level 4), whatever the stream says.
    pub fn v311() -> Packets {
        Packets { level: Some(4) }
    }
    /// MQTT 5.0 (protocol level 5), whatever the stream says.
    pub fn v5() -> Packets {
        Packets { level: Some(5) }
    }
}

impl Decoder for Packets {
    type Unit = Packet;
    fn protocol(&self) -> &'static str {
        "MQTT packets"
    }
    fn decode(&self, stream: &[u8]) -> Decoded<Packet> {
        let level = self.level.or_else(|| connect_level(stream)).unwrap_or(4);
        parse(stream, level)
    }
    fn decode_conn(&self, conn: &ConnRecord, dir: Direction) -> Decoded<Packet> {
        let level = self
            .level
            .or_else(|| connect_level(&conn.stream(Direction::ToServer)))
            .unwrap_or(4);
        parse(&conn.stream(dir), level)
    }
}

/// The protocol level of a CONNECT at the start of `stream`, if there is one.
fn connect_level(stream: &[u8]) -> Option<u8> {
    if stream.first()? >> 4 != 1 {
        return None;
    }
    let (_, n) = read_varint(&stream[1..]).ok()??;
    let at = 1 + n;
    let name_len = u16::from_be_bytes([*stream.get(at)?, *stream.get(at + 1)?]) as usize;
    stream.get(at + 2 + name_len).copied()
}

/// Reads a variable-length integer: `Ok(None)` if the bytes end inside it,
/// `Err` if it runs past four bytes. Returns the value and its length.
pub fn read_varint(bytes: &[u8]) -> Result<Option<(usize, usize)>, String> {
    let mut value = 0usize;
    for i in 0..4 {
        let Some(&b) = bytes.get(i) else {
            return Ok(None);
        };
        value |= ((b & 0x7f) as usize) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(Some((value, i + 1)));
        }
    }
    Err("the remaining length runs past four bytes".into())
}

/// Encodes a remaining length the way MQTT does; `None` above
/// [`MAX_REMAINING_LENGTH`].
pub fn encode_varint(mut n: usize) -> Option<Vec<u8>> {
    if n > MAX_REMAINING_LENGTH {
        return None;
    }
    let mut out = Vec::with_capacity(4);
    loop {
        let mut b = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            b |= 0x80;
        }
        out.push(b);
        if n == 0 {
            return Some(out);
        }
    }
}

/// The bytes a PUBLISH of `payload_len` bytes on `topic` takes before its
/// payload, by the specification: fixed header, topic, packet id at
/// QoS > 0, and in MQTT 5 a properties length (here: no properties).
pub fn publish_header_len(topic: &str, payload_len: usize, qos: u8, v5: bool) -> usize {
    let variable = 2 + topic.len() + if qos > 0 { 2 } else { 0 } + usize::from(v5);
    let remaining = variable + payload_len;
    let length_bytes = encode_varint(remaining).map_or(4, |v| v.len());
    1 + length_bytes + variable
}

fn parse(stream: &[u8], level: u8) -> Decoded<Packet> {
    let mut units = Vec::new();
    let mut at = 0;
    let stop = loop {
        if at == stream.len() {
            break None;
        }
        match parse_one(&stream[at..], at, level) {
            Ok(Some(p)) => {
                at += p.len();
                units.push(p);
            }
            Ok(None) => {
                break Some(Stop {
                    offset: at,
                    remaining: stream.len() - at,
                    reason: StopReason::Incomplete,
                });
            }
            Err(why) => {
                break Some(Stop {
                    offset: at,
                    remaining: stream.len() - at,
                    reason: StopReason::Invalid(why),
                });
            }
        }
    };
    Decoded {
        protocol: "MQTT packets",
        units,
        stop,
    }
}

/// One packet at the start of `bytes`; `Ok(None)` if it is not all there.
fn parse_one(bytes: &[u8], offset: usize, level: u8) -> Result<Option<Packet>, String> {
    let first = bytes[0];
    let kind = Kind::from_code(first >> 4).ok_or("packet type 0 is reserved")?;
    let flags = first & 0x0f;
    let Some((remaining_len, n)) = read_varint(&bytes[1..])? else {
        return Ok(None);
    };
    let fixed_header_len = 1 + n;
    let required_flags = match kind {
        Kind::Publish => None,
        Kind::Pubrel | Kind::Subscribe | Kind::Unsubscribe => Some(0b0010),
        _ => Some(0),
    };
    if let Some(want) = required_flags
        && flags != want
    {
        return Err(format!(
            "{} must have flags {want:04b}, has {flags:04b}",
            kind.name()
        ));
    }
    if kind == Kind::Publish && (flags >> 1) & 3 == 3 {
        return Err("PUBLISH with QoS 3 (both QoS bits set)".into());
    }
    if bytes.len() < fixed_header_len + remaining_len {
        return Ok(None);
    }
    let body = &bytes[fixed_header_len..fixed_header_len + remaining_len];
    let mut p = Packet {
        offset,
        kind,
        flags,
        fixed_header_len,
        remaining_len,
        header_len: fixed_header_len + remaining_len,
        payload_len: 0,
        topic: None,
        packet_id: None,
        protocol_level: None,
        client_id: None,
        keep_alive_secs: None,
        will: None,
    };
    let short = || format!("{} shorter than its fields", kind.name());
    match kind {
        Kind::Publish => {
            let topic_len = u16_at(body, 0).ok_or_else(short)? as usize;
            let topic = body.get(2..2 + topic_len).ok_or_else(short)?;
            p.topic = Some(String::from_utf8_lossy(topic).into_owned());
            let mut used = 2 + topic_len;
            if (flags >> 1) & 3 > 0 {
                p.packet_id = Some(u16_at(body, used).ok_or_else(short)?);
                used += 2;
            }
            if level == 5 {
                let (props, n) =
                    read_varint(body.get(used..).unwrap_or_default())?.ok_or_else(short)?;
                used += n + props;
            }
            if used > body.len() {
                return Err(short());
            }
            p.header_len = fixed_header_len + used;
            p.payload_len = remaining_len - used;
        }
        Kind::Connect => {
            let name_len = u16_at(body, 0).ok_or_else(short)? as usize;
            let at = 2 + name_len;
            let lvl = *body.get(at).ok_or_else(short)?;
            let connect_flags = *body.get(at + 1).ok_or_else(short)?;
            p.protocol_level = Some(lvl);
            p.keep_alive_secs = Some(u16_at(body, at + 2).ok_or_else(short)?);
            p.will = Some(connect_flags & 0b0100 != 0);
            let mut id_at = at + 4;
            if lvl == 5 {
                let (props, n) =
                    read_varint(body.get(id_at..).unwrap_or_default())?.ok_or_else(short)?;
                id_at += n + props;
            }
            let id_len = u16_at(body, id_at).ok_or_else(short)? as usize;
            let id = body.get(id_at + 2..id_at + 2 + id_len).ok_or_else(short)?;
            p.client_id = Some(String::from_utf8_lossy(id).into_owned());
        }
        k if k.has_packet_id() => {
            p.packet_id = Some(u16_at(body, 0).ok_or_else(short)?);
        }
        _ => {}
    }
    Ok(Some(p))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}
