//! TraceLogging: self-describing ETW events. The event's schema travels in its extended data
//! (event name, then each field's name and type); the payload holds the values in that order.
//! Windows Update's events have one UTF-16 field, `Info`, but other providers in the same file
//! use the other types, so every fixed-size and counted type is read; a type this reader does not
//! know (structs, custom schemas) ends the event's fields, keeping what was read before it.

use std::fmt::Write;

pub use crate::caps::MAX_EVENT_TEXT;

/// Said where an event's text was cut at [`MAX_EVENT_TEXT`].
pub const CUT_MARK: &str = " …[cut: the event's text is over 16 KB]";

/// The parts of an event's TraceLogging schema WSUS Doctor needs.
pub struct Schema<'a> {
    pub event_name: &'a str,
    fields: &'a [u8],
}

/// A NUL-terminated 8-bit string at the start of `b`, and what follows it.
fn cstr(b: &[u8]) -> Option<(&str, &[u8])> {
    let end = memchr::memchr(0, b)?;
    Some((std::str::from_utf8(&b[..end]).ok()?, &b[end + 1..]))
}

/// The provider's name from its traits (extended data type 12): `u16 size, name\0, traits...`.
pub fn provider_name(traits: &[u8]) -> Option<&str> {
    cstr(traits.get(2..)?).map(|(name, _)| name)
}

/// Read the event schema (extended data type 11): `u16 size, tag bytes (high bit: more), name\0, fields`.
pub fn schema(meta: &[u8]) -> Option<Schema<'_>> {
    let size = u16::from_le_bytes([*meta.first()?, *meta.get(1)?]) as usize;
    let meta = meta.get(2..size.min(meta.len()))?;
    let mut i = 0;
    while *meta.get(i)? & 0x80 != 0 {
        i += 1;
    }
    let (event_name, fields) = cstr(&meta[i + 1..])?;
    Some(Schema { event_name, fields })
}

/// One field's declared type.
struct FieldType<'a> {
    name: &'a str,
    in_type: u8,
    /// Array length from the schema (constant count), when `in_type` says so.
    ccount: Option<u16>,
}

const COUNT_MASK: u8 = 0x60;
const CCOUNT: u8 = 0x20;
const VCOUNT: u8 = 0x40;
const CUSTOM: u8 = 0x60;
const CHAIN: u8 = 0x80;

/// The next field declaration in `b`, and the rest.
fn field(b: &[u8]) -> Option<(FieldType<'_>, &[u8])> {
    let (name, mut b) = cstr(b)?;
    let in_type = *b.first()?;
    b = &b[1..];
    if in_type & CHAIN != 0 {
        let out_type = *b.first()?;
        b = &b[1..];
        if out_type & CHAIN != 0 {
            while *b.first()? & CHAIN != 0 {
                b = &b[1..];
            }
            b = &b[1..];
        }
    }
    let mut ccount = None;
    match in_type & COUNT_MASK {
        CCOUNT => {
            ccount = Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]));
            b = &b[2..];
        }
        CUSTOM => {
            let n = u16::from_le_bytes([*b.first()?, *b.get(1)?]) as usize;
            b = b.get(2 + n..)?;
        }
        _ => {}
    }
    Some((FieldType { name, in_type, ccount }, b))
}

/// Decodes the payload of a TraceLogging event into a one-line message.
pub struct Payload<'a> {
    data: &'a [u8],
    pointer_size: usize,
}

impl<'a> Payload<'a> {
    pub fn new(data: &'a [u8], pointer_size: usize) -> Self {
        Payload { data, pointer_size }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.data.get(..n)?, self.data.get(n..)?);
        self.data = rest;
        Some(head)
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    /// Write the fields into `out`: the `Info` message alone when the schema has one (as
    /// `Get-WindowsUpdateLog` prints it), otherwise `name=value` pairs. Returns false when the
    /// payload ended before the schema did (a damaged event); what was read is kept. At most
    /// [`MAX_EVENT_TEXT`] bytes are written: a schema of thousands of arrays of the empty type
    /// costs no payload, so only a bound on the output keeps a small trace from rendering 1 GB.
    pub fn render(mut self, schema: &Schema<'_>, out: &mut String) -> bool {
        let limit = out.len() + MAX_EVENT_TEXT;
        let mut decls = schema.fields;
        let mut first = true;
        while !decls.is_empty() {
            if out.len() >= limit {
                out.push_str(CUT_MARK);
                return true;
            }
            let Some((f, rest)) = field(decls) else { return false };
            decls = rest;
            let only_info = f.name == "Info" && first && decls.is_empty();
            if !only_info {
                if !first {
                    out.push_str("; ");
                }
                out.push_str(f.name);
                out.push('=');
            }
            first = false;
            let count = match f.in_type & COUNT_MASK {
                CCOUNT => f.ccount.unwrap_or(0) as usize,
                VCOUNT => match self.u16() {
                    Some(n) => n as usize,
                    None => return false,
                },
                CUSTOM => return true, // a custom schema this reader does not interpret
                _ => 1,
            };
            for k in 0..count {
                if out.len() >= limit {
                    out.push_str(CUT_MARK);
                    return true;
                }
                if k > 0 {
                    out.push(',');
                }
                match self.value(f.in_type & 0x1f, out) {
                    Some(true) => {}
                    Some(false) => return true, // a type not read: stop here, keep the rest
                    None => return false,
                }
            }
        }
        true
    }

    /// One value of TraceLogging type `t`. `Some(false)`: a type this reader does not read.
    fn value(&mut self, t: u8, out: &mut String) -> Option<bool> {
        match t {
            0 => {}
            1 => {
                // NUL-terminated UTF-16 LE, decoded in place (this is every Windows Update event)
                let units = self.data.len() / 2;
                let end = (0..units).find(|&k| self.data[2 * k] == 0 && self.data[2 * k + 1] == 0);
                let n = end.unwrap_or(units);
                push_utf16_bytes(&self.data[..2 * n], out);
                match end {
                    Some(n) => self.data = &self.data[2 * n + 2..],
                    None => return None, // cut short: what was there is kept
                }
            }
            2 => {
                let end = memchr::memchr(0, self.data)?;
                let s = self.take(end + 1)?;
                push_8bit(&s[..end], out);
            }
            3 => write_num(out, self.take(1)?[0] as i8),
            4 => write_num(out, self.take(1)?[0]),
            5 => write_num(out, i16::from_le_bytes(self.take(2)?.try_into().ok()?)),
            6 => write_num(out, u16::from_le_bytes(self.take(2)?.try_into().ok()?)),
            7 => write_num(out, i32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            8 => write_num(out, u32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            9 => write_num(out, i64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            10 => write_num(out, u64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            11 => write_num(out, f32::from_le_bytes(self.take(4)?.try_into().ok()?)),
            12 => write_num(out, f64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            13 => out.push_str(if u32::from_le_bytes(self.take(4)?.try_into().ok()?) != 0 { "true" } else { "false" }),
            14 | 25 => {
                let n = self.u16()? as usize;
                push_hex(self.take(n)?, out);
            }
            15 => push_guid(self.take(16)?, out),
            16 => {
                let b = self.take(self.pointer_size)?;
                let v = b.iter().rev().fold(0u64, |v, &x| v << 8 | x as u64);
                let _ = write!(out, "0x{v:X}");
            }
            17 | 21 => {
                let _ = write!(out, "0x{:016X}", u64::from_le_bytes(self.take(8)?.try_into().ok()?));
            }
            18 => push_hex(self.take(16)?, out),
            19 => {
                // SID: revision, sub-authority count, 6-byte authority, 4 bytes per sub-authority
                let head = self.take(8)?;
                let subs = self.take(4 * head[1] as usize)?;
                let auth = head[2..8].iter().fold(0u64, |v, &x| v << 8 | x as u64);
                let _ = write!(out, "S-{}-{auth}", head[0]);
                for s in subs.chunks_exact(4) {
                    let _ = write!(out, "-{}", u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
                }
            }
            20 => {
                let _ = write!(out, "0x{:08X}", u32::from_le_bytes(self.take(4)?.try_into().ok()?));
            }
            22 => {
                let n = self.u16()? as usize;
                let b = self.take(n)?;
                let units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                push_utf16(&units, out);
            }
            23 => {
                let n = self.u16()? as usize;
                push_8bit(self.take(n)?, out);
            }
            _ => return Some(false),
        }
        Some(true)
    }
}

fn write_num(out: &mut String, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

/// Line breaks inside a message would split one event into several lines: they become spaces.
fn push_char(c: char, out: &mut String) {
    out.push(if c == '\r' || c == '\n' { ' ' } else { c });
}

/// UTF-16 LE bytes (even length) to text: ASCII, nearly all of it, without the general decoder.
fn push_utf16_bytes(b: &[u8], out: &mut String) {
    let mut k = 0;
    while k + 1 < b.len() {
        let (lo, hi) = (b[k], b[k + 1]);
        if hi == 0 && lo < 0x80 {
            out.push(if lo == b'\r' || lo == b'\n' { ' ' } else { lo as char });
            k += 2;
            continue;
        }
        // a non-ASCII stretch: hand it to the general decoder up to the next ASCII unit
        let start = k;
        while k + 1 < b.len() && !(b[k + 1] == 0 && b[k] < 0x80) {
            k += 2;
        }
        let units: Vec<u16> = b[start..k].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        push_utf16(&units, out);
    }
}

fn push_utf16(units: &[u16], out: &mut String) {
    for c in char::decode_utf16(units.iter().copied()) {
        push_char(c.unwrap_or(char::REPLACEMENT_CHARACTER), out);
    }
}

/// ANSI strings are UTF-8 when valid, otherwise Windows-1252 (what the writing machine most
/// likely used).
fn push_8bit(b: &[u8], out: &mut String) {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(b);
    let text = std::str::from_utf8(b).map(std::borrow::Cow::Borrowed).unwrap_or(text);
    text.chars().for_each(|c| push_char(c, out));
}

fn push_hex(b: &[u8], out: &mut String) {
    out.push_str("0x");
    for x in b {
        let _ = write!(out, "{x:02X}");
    }
}

/// A GUID in its registry spelling (the first three groups are little-endian).
pub fn push_guid(b: &[u8], out: &mut String) {
    let d1 = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let d2 = u16::from_le_bytes([b[4], b[5]]);
    let d3 = u16::from_le_bytes([b[6], b[7]]);
    let _ = write!(out, "{d1:08X}-{d2:04X}-{d3:04X}-{:02X}{:02X}-", b[8], b[9]);
    for x in &b[10..16] {
        let _ = write!(out, "{x:02X}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16z(s: &str) -> Vec<u8> {
        s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
    }

    /// Schema bytes as TraceLogging writes them: size, one tag byte, name, fields.
    fn meta(event: &str, fields: &[(&str, &[u8])]) -> Vec<u8> {
        let mut body = vec![0u8];
        body.extend(event.bytes().chain([0]));
        for (name, ty) in fields {
            body.extend(name.bytes().chain([0]));
            body.extend_from_slice(ty);
        }
        let mut m = ((body.len() + 2) as u16).to_le_bytes().to_vec();
        m.extend(body);
        m
    }

    /// Thousands of constant-count arrays of the empty type: no payload at all, yet 10,000 x
    /// 65,535 separators if rendered whole. The output stops at the bound, and says so.
    #[test]
    fn arrays_of_the_empty_type_render_no_more_than_the_bound() {
        let ty: &[u8] = &[0x20, 0xFF, 0xFF];
        let fields: Vec<(&str, &[u8])> = (0..10_000).map(|_| ("a", ty)).collect();
        let m = meta("Bomb", &fields);
        let s = schema(&m).unwrap();
        let mut out = String::from("2025/10/08 14:02:45.4430000 1234  5678  Bomb ");
        let start = out.len();
        assert!(Payload::new(&[], 8).render(&s, &mut out));
        assert!(out.len() - start <= MAX_EVENT_TEXT + CUT_MARK.len() + 8, "{} bytes", out.len());
        assert!(out.ends_with(CUT_MARK));
    }

    #[test]
    fn a_windows_update_event_renders_its_info_message_alone() {
        let m = meta("Agent", &[("Info", &[1])]);
        let s = schema(&m).unwrap();
        assert_eq!(s.event_name, "Agent");
        let data = utf16z("Exit code = 0x8024401C\r\nnext");
        let mut out = String::new();
        assert!(Payload::new(&data, 8).render(&s, &mut out));
        assert_eq!(out, "Exit code = 0x8024401C  next");
    }

    #[test]
    fn other_fields_render_as_name_value_pairs_and_stop_at_unknown_types() {
        let m = meta("Probe", &[("n", &[8]), ("hr", &[0x94, 0x09]), ("list", &[0x44]), ("s", &[24]), ("never", &[8])]);
        let s = schema(&m).unwrap();
        let mut data = 7u32.to_le_bytes().to_vec();
        data.extend(0x8024_401Cu32.to_le_bytes()); // HEXINT32 with an out-type byte
        data.extend(2u16.to_le_bytes()); // a variable-count array of UINT8
        data.extend([1, 2]);
        let mut out = String::new();
        assert!(Payload::new(&data, 8).render(&s, &mut out));
        assert_eq!(out, "n=7; hr=0x8024401C; list=1,2; s=");
    }

    #[test]
    fn a_payload_shorter_than_its_schema_is_reported_not_read_past() {
        let m = meta("Agent", &[("Info", &[1])]);
        let s = schema(&m).unwrap();
        let data = utf16z("cut here");
        let mut out = String::new();
        assert!(!Payload::new(&data[..7], 8).render(&s, &mut out));
        assert_eq!(out, "cut");
        assert!(schema(&[40, 0, 0x80]).is_none(), "a schema cut inside its tags is refused");
    }

    #[test]
    fn non_ascii_messages_decode_like_the_general_decoder() {
        let m = meta("Agent", &[("Info", &[1])]);
        let s = schema(&m).unwrap();
        for text in ["Größe der Datei: 12 MB", "€ 😀 ok", "Ошибка 0x8024401C"] {
            let data: Vec<u8> = text.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
            let mut out = String::new();
            assert!(Payload::new(&data, 8).render(&s, &mut out));
            assert_eq!(out, text);
        }
        // a lone surrogate in the bytes becomes U+FFFD, not a panic
        let data = [0x00, 0xD8, b'a', 0, 0, 0];
        let mut out = String::new();
        assert!(Payload::new(&data, 8).render(&s, &mut out));
        assert_eq!(out, "\u{fffd}a");
    }

    #[test]
    fn provider_names_and_guids() {
        assert_eq!(provider_name(b"\x11\x00WUTraceLogging\x00"), Some("WUTraceLogging"));
        let mut out = String::new();
        push_guid(&[0xB4, 0xF4, 0x82, 0x94, 0x43, 0xE3, 0xB6, 0x43, 0xB1, 0x70, 0x9A, 0x65, 0xBC, 0x82, 0x2C, 0x77], &mut out);
        assert_eq!(out, "9482F4B4-E343-43B6-B170-9A65BC822C77");
    }
}
