//! Writes Windows Update ETL traces the way the client's AutoLogger does: a header buffer with
//! the log file header (QPC clock), then buffers of TraceLogging events of provider
//! "WUTraceLogging", each with its provider traits and event schema in the extended data and one
//! UTF-16 `Info` field. Used to build fixtures from text logs (the same evidence as ETL and as
//! text must give the same findings) and multi-megabyte traces for the benches.

use std::io::{self, Write};

/// Ticks per second of the recorded clock (what current Windows reports for QPC).
const PERF_FREQ: u64 = 10_000_000;
/// The QPC value at the logger's start (any value: event ticks are relative to it).
const START_QPC: u64 = 5_813_516_523_785;
const BUFFER_HEADER: usize = 0x48;

/// One event to write.
pub struct WuEvent<'a> {
    /// UTC FILETIME of the event.
    pub filetime: u64,
    pub pid: u32,
    pub tid: u32,
    pub component: &'a str,
    pub message: &'a str,
}

/// Streams an ETL file: events are packed into buffers of `buffer_size` bytes.
pub struct EtlWriter<W: Write> {
    out: W,
    buffer_size: usize,
    start: u64,
    buf: Vec<u8>,
    written: u64,
    sequence: u64,
}

impl<W: Write> EtlWriter<W> {
    /// Start a trace whose logger started at `start` (UTC FILETIME).
    pub fn new(out: W, buffer_size: usize, start: u64) -> io::Result<Self> {
        let mut w = EtlWriter { out, buffer_size, start, buf: Vec::with_capacity(buffer_size), written: 0, sequence: 0 };
        w.header()?;
        Ok(w)
    }

    fn begin_buffer(&mut self, buffer_type: u16) {
        self.buf.clear();
        self.buf.resize(BUFFER_HEADER, 0);
        self.buf[0..4].copy_from_slice(&(self.buffer_size as u32).to_le_bytes());
        self.buf[0x18..0x20].copy_from_slice(&self.sequence.to_le_bytes());
        self.buf[0x36..0x38].copy_from_slice(&buffer_type.to_le_bytes());
        self.sequence += 1;
    }

    /// Close the current buffer: saved offset, padding with 0xFF as ETW does, write it.
    fn flush_buffer(&mut self) -> io::Result<()> {
        let filled = self.buf.len() as u32;
        self.buf[4..8].copy_from_slice(&filled.to_le_bytes());
        self.buf[8..12].copy_from_slice(&filled.to_le_bytes());
        self.buf[0x30..0x34].copy_from_slice(&filled.to_le_bytes());
        self.buf.resize(self.buffer_size, 0xFF);
        self.out.write_all(&self.buf)?;
        self.written += self.buffer_size as u64;
        self.buf.clear();
        Ok(())
    }

    fn header(&mut self) -> io::Result<()> {
        self.begin_buffer(4);
        let mut mof = vec![0u8; 0x118];
        let put32 = |m: &mut Vec<u8>, at: usize, v: u32| m[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put32(&mut mof, 0, self.buffer_size as u32);
        put32(&mut mof, 4, 0x0501_000A);
        put32(&mut mof, 8, 22631); // the build: Windows 11 23H2
        put32(&mut mof, 0xC, 4);
        put32(&mut mof, 0x2C, 8); // pointer size
        put32(&mut mof, 0x34, 2995); // CPU MHz
        mof[0x100..0x108].copy_from_slice(&PERF_FREQ.to_le_bytes());
        mof[0x108..0x110].copy_from_slice(&self.start.to_le_bytes());
        put32(&mut mof, 0x110, 1); // QPC clock
        for name in ["WindowsUpdate_trace_log", "C:\\Windows\\Logs\\WindowsUpdate\\WindowsUpdate.etl"] {
            mof.extend(name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
        }
        let size = 32 + mof.len();
        let mut rec = vec![0u8; 32];
        rec[0..4].copy_from_slice(&[2, 0, 2, 0xC0]); // version 2, 64-bit system trace marker
        rec[4..6].copy_from_slice(&(size as u16).to_le_bytes()); // size; hook 0 (header group)
        rec[8..12].copy_from_slice(&4u32.to_le_bytes());
        rec[16..24].copy_from_slice(&START_QPC.to_le_bytes());
        rec.extend(mof);
        self.buf.extend(&rec);
        pad8(&mut self.buf);
        self.flush_buffer()
    }

    /// Append one Windows Update event.
    pub fn event(&mut self, e: &WuEvent<'_>) -> io::Result<()> {
        let payload: Vec<u8> = e.message.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        self.event_with_fields(e, b"Info\0\x01", &payload)
    }

    /// Append an event of `e`'s time, ids and component (its event name) whose TraceLogging
    /// schema declares `fields` (name, NUL, type bytes; repeated) and whose payload is `payload`:
    /// for hostile traces whose schema says more than their payload holds.
    pub fn event_with_fields(&mut self, e: &WuEvent<'_>, fields: &[u8], payload: &[u8]) -> io::Result<()> {
        let mut traits = vec![0u8; 2];
        traits.extend(b"WUTraceLogging\0");
        let n = traits.len() as u16;
        traits[0..2].copy_from_slice(&n.to_le_bytes());
        let mut schema = vec![0u8, 0, 0];
        schema.extend(e.component.bytes().chain([0]));
        schema.extend(fields);
        let n = u16::try_from(schema.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "schema over 64 KB"))?;
        schema[0..2].copy_from_slice(&n.to_le_bytes());

        let mut rec = vec![0u8; 80];
        rec[2] = 0x13; // EVENT_HEADER, 64-bit
        rec[3] = 0xC0;
        rec[4..6].copy_from_slice(&0x0241u16.to_le_bytes()); // extended info, 64-bit header, processor index
        rec[8..12].copy_from_slice(&e.tid.to_le_bytes());
        rec[12..16].copy_from_slice(&e.pid.to_le_bytes());
        let ticks = START_QPC + (e.filetime.saturating_sub(self.start)) * PERF_FREQ / 10_000_000;
        rec[16..24].copy_from_slice(&ticks.to_le_bytes());
        // the provider GUID of WUTraceLogging as the sample carries it is not needed: traits name it
        for (ty, data, last) in [(12u16, &traits, false), (11u16, &schema, true)] {
            let mut item = vec![0u8; 8];
            item[2..4].copy_from_slice(&ty.to_le_bytes());
            item[4..6].copy_from_slice(&(u16::from(!last)).to_le_bytes());
            item[6..8].copy_from_slice(&(data.len() as u16).to_le_bytes());
            item.extend(data.iter());
            pad8(&mut item);
            rec.extend(item);
        }
        rec.extend(payload);
        let size = u16::try_from(rec.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "event over 64 KB"))?;
        rec[0..2].copy_from_slice(&size.to_le_bytes());
        pad8(&mut rec);
        if rec.len() > self.buffer_size - BUFFER_HEADER {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "event larger than a buffer"));
        }
        if self.buf.is_empty() {
            self.begin_buffer(0);
        }
        if self.buf.len() + rec.len() > self.buffer_size {
            self.flush_buffer()?;
            self.begin_buffer(0);
        }
        self.buf.extend(rec);
        Ok(())
    }

    /// Write the last buffer; returns the bytes written and the writer.
    pub fn finish(mut self) -> io::Result<(u64, W)> {
        if !self.buf.is_empty() {
            self.flush_buffer()?;
        }
        Ok((self.written, self.out))
    }

    /// Bytes written so far (whole buffers).
    pub fn written(&self) -> u64 {
        self.written
    }
}

fn pad8(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(8) {
        v.push(0);
    }
}

/// FILETIME of a civil UTC time (for fixtures written from text logs).
pub fn filetime(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, ticks: u32) -> u64 {
    // days from civil (Howard Hinnant), 1970-based, then shifted to 1601
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468 + 134_774;
    ((days * 86_400 + h as i64 * 3600 + mi as i64 * 60 + s as i64) * 10_000_000 + ticks as i64) as u64
}

/// Convert a Windows 10 `Get-WindowsUpdateLog` text log into an ETL trace, event for event.
/// Lines that are not records (headers, blank lines) are skipped; returns how many were written.
pub fn from_text_log(text: &str, out: impl Write, buffer_size: usize) -> io::Result<(u64, u64)> {
    let mut w: Option<EtlWriter<_>> = None;
    let mut out = Some(out);
    let mut events = 0;
    for line in text.lines() {
        let Some(e) = parse_modern(line) else { continue };
        if w.is_none() {
            let start = e.filetime.saturating_sub(10_000_000);
            w = Some(EtlWriter::new(out.take().expect("one writer"), buffer_size, start)?);
        }
        if let Some(w) = w.as_mut() {
            w.event(&WuEvent { filetime: e.filetime, pid: e.pid, tid: e.tid, component: &e.component, message: &e.message })?;
            events += 1;
        }
    }
    match w {
        Some(w) => Ok((w.finish()?.0, events)),
        None => Ok((0, 0)),
    }
}

struct Parsed {
    filetime: u64,
    pid: u32,
    tid: u32,
    component: String,
    message: String,
}

/// `2024/03/01 10:02:13.1234567 1124  3256  Agent           message`
fn parse_modern(line: &str) -> Option<Parsed> {
    let line = line.trim_end_matches(['\r', '\n']);
    let (date, rest) = line.split_once(' ')?;
    let (time, rest) = rest.split_once(' ')?;
    let d: Vec<i64> = date.split('/').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (hms, frac) = time.split_once('.')?;
    let t: Vec<u32> = hms.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    if d.len() != 3 || t.len() != 3 || frac.len() != 7 {
        return None;
    }
    let ft = filetime(d[0], d[1] as u32, d[2] as u32, t[0], t[1], t[2], frac.parse().ok()?);
    let rest = rest.trim_start();
    let (pid, rest) = rest.split_once(' ')?;
    let rest = rest.trim_start();
    let (tid, rest) = rest.split_once(' ')?;
    let rest = rest.trim_start();
    let (component, message) = rest.split_once(' ').unwrap_or((rest, ""));
    // the component is padded to 15 columns, then one space: keep the message's own leading spaces
    let message = message.strip_prefix(&" ".repeat(15usize.saturating_sub(component.len()))).unwrap_or(message.trim_start());
    Some(Parsed {
        filetime: ft,
        pid: pid.parse().ok()?,
        tid: tid.parse().ok()?,
        component: component.to_string(),
        message: message.to_string(),
    })
}

/// About `bytes` of ETL trace with the same events as [`crate::wulog`]'s Windows 10 log (an
/// event is about 2.5 times its text line: UTF-16 message plus header, traits and schema).
pub fn generate(out: impl Write, bytes: u64, seed: u64) -> io::Result<u64> {
    let mut text = Vec::new();
    crate::wulog(&mut text, bytes * 2 / 5, seed, true)?;
    let text = String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(from_text_log(&text, out, 64 * 1024)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_round_trip_through_the_core_decoder() {
        let text = "2024/03/01 10:02:13.1234567 1124  3256  Agent             * WARNING: Exit code = 0x8024401C\r\n\
                    2024/03/01 10:02:14.0000001 1124  3256  ProtocolTalker  SyncUpdates round trip\r\n";
        let mut etl = Vec::new();
        let (_, n) = from_text_log(text, &mut etl, 4096).unwrap();
        assert_eq!(n, 2);
        let mut lines = Vec::new();
        let mut d = wsus_doctor_core::etl::EtlDecoder::new();
        d.push(&etl, &mut |_, l| lines.push(l.to_string()));
        d.finish(&mut |_, l| lines.push(l.to_string()));
        let want: Vec<&str> = text.lines().collect();
        assert_eq!(lines, want);
    }
}
