//! Byte-layout figures: one protocol unit, every byte shown, every field named.
//!
//! A chapter that says "the PUBLISH header is two bytes" can show the bytes.
//! A [`ByteFigure`] is the bytes of one unit (an HTTP request, an MQTT
//! packet, an AMQP frame) as a lab's proxy recorded them, cut into
//! [`Field`]s by a decoder from [`crate::wire::fields`]. The figure draws one
//! block per field: its name, where it sits and what it decodes to, then its
//! bytes in hex (eight to a row, with the character under each byte of a
//! text field), tinted in the field's colour. Eight bytes to a row keeps
//! the text full size on a phone; a field longer than 24 bytes shows its first and
//! last eight with the count of those left out between them.
//!
//! The SVG carries its data: the root has `data-bytes` (the whole unit in
//! hex) and `data-unit`, and each field is a `<g class="field">` with
//! `data-start`, `data-len`, `data-name` and `data-value`, so a test can read
//! a figure back, decode its bytes again and check that the picture still
//! says what the decoder says.

use std::fmt::Write as _;
use std::ops::Range;

use super::svg::{FONT, MUTED, PALETTE, TEXT, escape};

/// One named run of bytes in a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Offset of its first byte in the unit.
    pub start: usize,
    /// How many bytes it spans (at least one).
    pub len: usize,
    /// What the protocol calls it: `"Remaining Length"`, `"stream identifier"`.
    pub name: String,
    /// What the bytes say, decoded: `"116"`, `"greenhouse/7/readings"`.
    pub value: String,
}

impl Field {
    /// A field of `len` bytes at `start`.
    pub fn new(
        start: usize,
        len: usize,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self {
            start,
            len,
            name: name.into(),
            value: value.into(),
        }
    }

    /// The bytes it spans, as a range into the unit.
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.len
    }
}

/// The bytes of one unit and the fields that cover them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ByteFigure {
    /// Shown at the top: `"MQTT PUBLISH, QoS 1"`.
    pub title: String,
    /// A short tag for what the unit is, e.g. `"mqtt-publish"`, so a test
    /// knows which decoder to check the figure against.
    pub unit: String,
    /// Every byte of the unit, as recorded.
    pub bytes: Vec<u8>,
    /// The fields, in order, covering `bytes` exactly.
    pub fields: Vec<Field>,
}

/// Bytes per row of hex.
pub const PER_ROW: usize = 8;
/// Fields longer than this show their first and last [`PER_ROW`] bytes only.
const ELIDE_OVER: usize = 3 * PER_ROW;
const CELL_W: f64 = 42.0;
const CELL_H: f64 = 40.0;
const PAD: f64 = 16.0;
/// Left of the byte cells: the field's colour bar, then a gap.
const GRID_X: f64 = PAD + 6.0 + 8.0;
const LINE_H: f64 = 19.0;
/// Characters of 14px text that fit across the figure.
const LINE_CHARS: usize = 44;
/// The same for the 16px bold title.
const TITLE_CHARS: usize = 34;
/// Rough width of one character of 14px bold text.
const BOLD_CHAR_W: f64 = 8.0;

impl ByteFigure {
    /// A figure of `bytes` with no fields yet.
    pub fn new(
        title: impl Into<String>,
        unit: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            title: title.into(),
            unit: unit.into(),
            bytes: bytes.into(),
            fields: Vec::new(),
        }
    }

    /// Adds the next field: it starts where the previous one ended.
    pub fn field(
        &mut self,
        len: usize,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> &mut Self {
        let start = self.fields.last().map_or(0, |f| f.start + f.len);
        self.fields.push(Field::new(start, len, name, value));
        self
    }

    /// Where the fields end: the length the fields add up to.
    pub fn covered(&self) -> usize {
        self.fields.last().map_or(0, |f| f.start + f.len)
    }

    /// Checks that the fields cover the bytes exactly: the first starts at
    /// 0, each starts where the one before ended (no gap, no overlap), none
    /// is empty, and the last ends at the last byte. The error names the
    /// first field that breaks this.
    pub fn check(&self) -> Result<(), String> {
        let mut at = 0;
        for f in &self.fields {
            if f.len == 0 {
                return Err(format!("field `{}` at byte {} is empty", f.name, f.start));
            }
            if f.start != at {
                let what = if f.start > at { "a gap" } else { "an overlap" };
                return Err(format!(
                    "field `{}` starts at byte {} but the one before ends at {at}: {what}",
                    f.name, f.start
                ));
            }
            at += f.len;
        }
        if at != self.bytes.len() {
            return Err(format!(
                "the fields cover {at} bytes but the unit has {}",
                self.bytes.len()
            ));
        }
        Ok(())
    }

    /// The figure as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let width = GRID_X + PER_ROW as f64 * CELL_W + PAD;
        let title_lines = wrap(&self.title, TITLE_CHARS);
        let mut body = String::new();
        let mut y = 24.0 + title_lines.len() as f64 * 22.0;

        for (i, f) in self.fields.iter().enumerate() {
            let colour = FIELD_COLOURS[i % FIELD_COLOURS.len()];
            let top = y;
            let bytes = self.bytes.get(f.range()).unwrap_or(&[]);
            let _ = writeln!(
                body,
                r#"  <g class="field" data-start="{}" data-len="{}" data-name="{}" data-value="{}">"#,
                f.start,
                f.len,
                escape(&f.name),
                escape(&f.value),
            );
            // Characters under the hex only where the field is text: under
            // a length or a key they would suggest a meaning that is not there.
            let text = bytes.len() >= 2
                && bytes
                    .iter()
                    .all(|b| matches!(b, b'\r' | b'\n' | 0x20..=0x7e));

            // A short field whose name and value fit beside its bytes takes
            // one row: bytes on the left, name and value on the right.
            let beside = GRID_X + bytes.len() as f64 * CELL_W + 10.0;
            let room = ((GRID_X + PER_ROW as f64 * CELL_W - beside) / BOLD_CHAR_W) as usize;
            let named = format!("{}  {}", f.name, position(f));
            if bytes.len() <= 4 && f.name.chars().count() <= room && f.value.chars().count() <= room
            {
                for (k, b) in bytes.iter().enumerate() {
                    draw_byte(&mut body, GRID_X + k as f64 * CELL_W, y, *b, colour, text);
                }
                let position = if named.chars().count() <= room {
                    format!("  {}", position(f))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    body,
                    r#"    <text x="{beside:.1}" y="{:.1}" font-size="14" fill="{TEXT}"><tspan font-weight="600">{}</tspan><tspan fill="{MUTED}" font-size="13">{}</tspan></text>"#,
                    y + 15.0,
                    escape(&f.name),
                    escape(&position),
                );
                let _ = writeln!(
                    body,
                    r#"    <text x="{beside:.1}" y="{:.1}" font-size="14" fill="{TEXT}">{}</text>"#,
                    y + 33.0,
                    escape(&f.value),
                );
                y += CELL_H;
                let _ = writeln!(
                    body,
                    r#"    <rect x="{PAD}" y="{top:.1}" width="6" height="{:.1}" rx="2" fill="{colour}"/>"#,
                    y - top,
                );
                body.push_str("  </g>\n");
                y += 12.0;
                continue;
            }

            // Name and position, then the decoded value.
            y += 15.0;
            let _ = writeln!(
                body,
                r#"    <text x="{GRID_X}" y="{y:.1}" font-size="14" fill="{TEXT}"><tspan font-weight="600">{}</tspan><tspan fill="{MUTED}" font-size="13">  {}</tspan></text>"#,
                escape(&f.name),
                escape(&position(f)),
            );
            for line in wrap(&f.value, LINE_CHARS) {
                y += LINE_H;
                let _ = writeln!(
                    body,
                    r#"    <text x="{GRID_X}" y="{y:.1}" font-size="14" fill="{TEXT}">{}</text>"#,
                    escape(&line),
                );
            }
            y += 8.0;

            let rows: Vec<Row> = if bytes.len() > ELIDE_OVER {
                vec![
                    Row::Bytes(&bytes[..PER_ROW]),
                    Row::Elided(bytes.len() - 2 * PER_ROW),
                    Row::Bytes(&bytes[bytes.len() - PER_ROW..]),
                ]
            } else {
                bytes.chunks(PER_ROW).map(Row::Bytes).collect()
            };
            for row in rows {
                match row {
                    Row::Bytes(chunk) => {
                        for (k, b) in chunk.iter().enumerate() {
                            let x = GRID_X + k as f64 * CELL_W;
                            draw_byte(&mut body, x, y, *b, colour, text);
                        }
                        y += CELL_H;
                    }
                    Row::Elided(n) => {
                        let _ = writeln!(
                            body,
                            r#"    <text x="{:.1}" y="{:.1}" font-size="13" fill="{MUTED}" text-anchor="middle">⋯ {n} more bytes ⋯</text>"#,
                            GRID_X + PER_ROW as f64 * CELL_W / 2.0,
                            y + 17.0,
                        );
                        y += 26.0;
                    }
                }
            }
            let _ = writeln!(
                body,
                r#"    <rect x="{PAD}" y="{top:.1}" width="6" height="{:.1}" rx="2" fill="{colour}"/>"#,
                y - top,
            );
            body.push_str("  </g>\n");
            y += 12.0;
        }
        let height = y + PAD - 12.0;

        let mut svg = String::new();
        let title = escape(&self.title);
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="{title}" font-family="{FONT}" data-unit="{}" data-bytes="{}">"#,
            escape(&self.unit),
            hex(&self.bytes),
        );
        let _ = writeln!(svg, "  <title>{title}</title>");
        let _ = writeln!(
            svg,
            r##"  <rect x="0.5" y="0.5" width="{:.0}" height="{:.0}" rx="6" fill="#ffffff" stroke="#d0d0d0"/>"##,
            width - 1.0,
            height - 1.0,
        );
        for (k, line) in title_lines.iter().enumerate() {
            let _ = writeln!(
                svg,
                r#"  <text x="{PAD}" y="{:.1}" font-size="16" font-weight="600" fill="{TEXT}">{}</text>"#,
                30.0 + k as f64 * 22.0,
                escape(line),
            );
        }
        svg.push_str(&body);
        svg.push_str("</svg>\n");
        svg
    }
}

enum Row<'a> {
    Bytes(&'a [u8]),
    Elided(usize),
}

/// The palette without grey and black, so neighbouring fields always differ
/// in hue.
const FIELD_COLOURS: [&str; 6] = [
    PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5],
];

/// "byte 0" or "bytes 2–3", and the count when it is more than one.
fn position(f: &Field) -> String {
    if f.len == 1 {
        format!("byte {}", f.start)
    } else {
        format!("bytes {}–{} ({} B)", f.start, f.start + f.len - 1, f.len)
    }
}

/// One byte: a tinted cell, its hex, and, in a text field, the character
/// under it (`␣` for a space, `\r` and `\n` for a line ending).
fn draw_byte(svg: &mut String, x: f64, y: f64, b: u8, colour: &str, text: bool) {
    let _ = writeln!(
        svg,
        r#"    <rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{colour}" fill-opacity="0.22"/>"#,
        x + 1.0,
        y + 1.0,
        CELL_W - 2.0,
        CELL_H - 2.0,
    );
    let _ = writeln!(
        svg,
        r#"    <text x="{:.1}" y="{:.1}" font-size="15" font-family="ui-monospace, Menlo, Consolas, monospace" fill="{TEXT}" text-anchor="middle">{b:02x}</text>"#,
        x + CELL_W / 2.0,
        y + 18.0,
    );
    let shown = match b {
        _ if !text => None,
        b' ' => Some("␣".to_string()),
        b'\r' => Some("\\r".to_string()),
        b'\n' => Some("\\n".to_string()),
        0x21..=0x7e => Some((b as char).to_string()),
        _ => None,
    };
    if let Some(c) = shown {
        let _ = writeln!(
            svg,
            r#"    <text x="{:.1}" y="{:.1}" font-size="13" font-family="ui-monospace, Menlo, Consolas, monospace" fill="{MUTED}" text-anchor="middle">{}</text>"#,
            x + CELL_W / 2.0,
            y + 34.0,
            escape(&c),
        );
    }
}

/// Lowercase hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The bytes a [`hex`] string stands for; `None` if it is not hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Splits text into lines of at most `max` characters, at spaces where it
/// can (a longer word is cut).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while word.chars().count() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(max).collect();
            word = word.chars().skip(max).collect();
            lines.push(head);
        }
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
