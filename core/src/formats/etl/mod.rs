//! Windows Update ETL traces (`C:\Windows\Logs\WindowsUpdate\*.etl`, Windows 10 1709 and later),
//! decoded without Windows: each Windows Update event becomes the line `Get-WindowsUpdateLog`
//! would print for it, so the WindowsUpdate.log reader and every rule read it unchanged.
//!
//! An ETL file is a row of equal-sized buffers (`WMI_BUFFER_HEADER`, 0x48 bytes, then records,
//! each 8-byte aligned). The first record of the first buffer is the log file header, which
//! gives the clock: event timestamps count ticks of that clock from the header's own tick, and
//! `StartTime` says which UTC FILETIME that tick was. Windows Update's events are TraceLogging
//! events of provider "WUTraceLogging" (see [`tracelogging`]). Layouts follow Geoff Chappell's
//! notes on ETW structures and the public decoders airbus-cert/etl-parser and
//! fox-it/dissect.etl; this is our own code.
//!
//! The decoder is push-based like the text path: bytes arrive in chunks of any size and only
//! the current buffer is held (a buffer is 4 KB to 1 MB; a declared size over 64 MB is refused).

pub mod tracelogging;

use std::fmt::Write;

use crate::time::write_filetime;

/// Bytes needed to recognise an ETL file: the buffer header and the start of the first record.
pub const SNIFF_LEN: usize = 0x50;

const BUFFER_HEADER: usize = 0x48;
pub use crate::caps::MAX_BUFFER;
/// The provider every Windows Update client event comes from.
pub const WU_PROVIDER: &str = "WUTraceLogging";

fn u16le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u64le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Whether `head` (at least [`SNIFF_LEN`] bytes) starts an ETL file: a sane buffer size and, at
/// 0x48, a system trace record of the header group (the log file header).
pub fn is_etl(head: &[u8]) -> bool {
    let (Some(size), Some(&marker), Some(&flags), Some(hook)) = (u32le(head, 0), head.get(0x4A), head.get(0x4B), u16le(head, 0x4E)) else {
        return false;
    };
    (0x100..=MAX_BUFFER as u32).contains(&size) && (1..=4).contains(&marker) && flags == 0xC0 && hook == 0
}

/// How a record in a buffer is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordKind {
    /// System or compact system trace (kernel-style, MOF payload): the log header is one.
    System,
    /// Perf-info trace (kernel, MOF payload).
    PerfInfo,
    /// `EVENT_HEADER` record: manifest-based ETW and TraceLogging events.
    Event,
    /// Classic `EVENT_TRACE_HEADER` or WPP-style trace records.
    Trace,
}

/// The kind and total size of the record starting at `r`.
fn frame(r: &[u8]) -> Option<(RecordKind, usize)> {
    let (t, f) = (*r.get(2)?, *r.get(3)?);
    if f == 0xC0 {
        return match t {
            1..=4 => Some((RecordKind::System, u16le(r, 4)? as usize)),
            0x10 | 0x11 => Some((RecordKind::PerfInfo, u16le(r, 4)? as usize)),
            0x12 | 0x13 => Some((RecordKind::Event, u16le(r, 0)? as usize)),
            0x0A | 0x14 => Some((RecordKind::Trace, u16le(r, 0)? as usize)),
            _ => None,
        };
    }
    (u16le(r, 2)? == 0x9000).then_some((RecordKind::Trace, u16le(r, 0)? as usize))
}

/// What the log file header says, as far as decoding needs it.
#[derive(Debug, Clone)]
struct LogHeader {
    buffer_size: usize,
    pointer_size: usize,
    build: u32,
    events_lost: u32,
    logger: String,
    /// FILETIME = start + (ticks - start_ticks) * num / den
    start: i64,
    start_ticks: u64,
    num: i64,
    den: i64,
    clock: &'static str,
}

/// Parse the log file header from the first record (a system trace of hook 0).
fn log_header(r: &[u8]) -> Option<LogHeader> {
    let marker = *r.get(2)?;
    let head = if marker <= 2 { 32 } else { 24 };
    let pointer_size = if marker % 2 == 0 { 8 } else { 4 };
    let start_ticks = u64le(r, 16)?;
    let mof = r.get(head..)?;
    let tz = 0x38 + 2 * pointer_size;
    let after_tz = tz + 172 + 4; // TIME_ZONE_INFORMATION, then 4 bytes of padding
    let (perf_freq, start, flags) = (u64le(mof, after_tz + 8)?, u64le(mof, after_tz + 16)?, u32le(mof, after_tz + 24)?);
    let cpu_mhz = u32le(mof, 0x34)?;
    let (num, den, clock) = match flags {
        1 => (10_000_000, perf_freq as i64, "QPC"),
        2 => (1, 1, "system time"),
        3 => (10, cpu_mhz as i64, "CPU cycle counter"),
        _ => return None,
    };
    if den <= 0 {
        return None;
    }
    let names = mof.get(after_tz + 32..).unwrap_or_default();
    let units = names.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|&u| u != 0).take(256);
    let logger = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    Some(LogHeader {
        buffer_size: u32le(mof, 0)? as usize,
        pointer_size,
        build: u32le(mof, 8)?,
        events_lost: u32le(mof, 0x30)?,
        logger,
        start: i64::try_from(start).ok()?,
        start_ticks,
        num,
        den,
        clock,
    })
}

/// What the decoder did, for the input's notes. Every skipped byte and event is counted here.
#[derive(Debug, Default, Clone)]
pub struct EtlStats {
    pub buffers: u64,
    pub wu_events: u64,
    /// Other providers by name (or GUID), counted.
    pub other: crate::providers::ProviderCounts,
    pub kernel_records: u64,
    pub compressed_buffers: u64,
    pub damaged_buffers: u64,
    /// Where the first damage was seen, in the admin's words.
    pub first_damage: Option<String>,
    /// Windows Update events whose schema or payload was cut short (what was read is kept).
    pub damaged_events: u64,
    pub bad_times: u64,
    /// The file ended inside a buffer: (bytes present, bytes the buffer should have).
    pub truncated: Option<(usize, usize)>,
    /// Bytes after a damage that could not be resynchronised.
    pub skipped_bytes: u64,
}

/// Push-based ETL decoder: feed chunks, receive `(event number, Get-WindowsUpdateLog line)`.
#[derive(Default)]
pub struct EtlDecoder {
    pending: Vec<u8>,
    /// File offset of `pending[0]`.
    offset: u64,
    header: Option<LogHeader>,
    /// Decoding stopped for good (the reason is in `stats.first_damage`).
    stopped: bool,
    line: String,
    pub stats: EtlStats,
}

impl EtlDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next chunk of the file. At most [`MAX_BUFFER`] bytes are held: a chunk is taken
    /// in pieces, each decoded before the next is added, whatever the chunk's size.
    pub fn push(&mut self, mut bytes: &[u8], sink: &mut dyn FnMut(u64, &str)) {
        while !bytes.is_empty() {
            if self.stopped {
                self.stats.skipped_bytes += bytes.len() as u64;
                return;
            }
            // a full MAX_BUFFER always completes the buffer it starts, so `room` is never 0 here
            let room = MAX_BUFFER.saturating_sub(self.pending.len()).max(1);
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.pending.reserve_exact(now.len());
            self.pending.extend_from_slice(now);
            bytes = later;
            self.decode_pending(sink);
        }
    }

    /// Decode every whole buffer held; keep the partial one.
    fn decode_pending(&mut self, sink: &mut dyn FnMut(u64, &str)) {
        let pending = std::mem::take(&mut self.pending);
        let mut at = 0;
        while let Some(size) = self.next_buffer_size(&pending[at..]) {
            if pending.len() - at < size {
                break;
            }
            self.buffer(&pending[at..at + size], sink);
            at += size;
            self.offset += size as u64;
            if self.stopped {
                self.stats.skipped_bytes += (pending.len() - at) as u64;
                at = pending.len();
                break;
            }
        }
        self.pending = pending;
        self.pending.drain(..at);
    }

    /// Bytes held between pushes (never more than [`MAX_BUFFER`]).
    pub fn held(&self) -> usize {
        self.pending.len()
    }

    /// The file ended: a partly present last buffer is decoded as far as it goes.
    pub fn finish(&mut self, sink: &mut dyn FnMut(u64, &str)) {
        let rest = std::mem::take(&mut self.pending);
        if rest.is_empty() || self.stopped {
            return;
        }
        let want = self.next_buffer_size(&rest).unwrap_or(rest.len());
        self.stats.truncated = Some((rest.len(), want));
        if rest.len() > BUFFER_HEADER {
            self.buffer(&rest, sink);
        }
    }

    /// The size of the buffer starting at `b`, once its header is there. A damaged size falls
    /// back to the header's buffer size (all buffers of a file have one size); without it,
    /// decoding stops.
    fn next_buffer_size(&mut self, b: &[u8]) -> Option<usize> {
        let size = u32le(b, 0)? as usize;
        if (BUFFER_HEADER + 8..=MAX_BUFFER).contains(&size) {
            return Some(size);
        }
        match self.header.as_ref().map(|h| h.buffer_size) {
            Some(usual) if (BUFFER_HEADER + 8..=MAX_BUFFER).contains(&usual) => {
                self.damage(format!("buffer at offset {} declares {size} bytes; read as {usual} like the others", self.offset));
                Some(usual)
            }
            _ => {
                self.damage(format!("buffer at offset {} declares {size} bytes; nothing after it could be read", self.offset));
                self.stopped = true;
                self.stats.skipped_bytes += b.len() as u64;
                None
            }
        }
    }

    fn damage(&mut self, what: String) {
        self.stats.damaged_buffers += 1;
        self.stats.first_damage.get_or_insert(what);
    }

    /// Decode one buffer (possibly cut short at the end of the file).
    fn buffer(&mut self, buf: &[u8], sink: &mut dyn FnMut(u64, &str)) {
        self.stats.buffers += 1;
        let filled = u32le(buf, 4).map_or(0, |s| s as usize).min(buf.len());
        if u16le(buf, 0x34).is_some_and(|f| f & 0x40 != 0) {
            self.stats.compressed_buffers += 1;
            return;
        }
        let mut off = BUFFER_HEADER;
        while off + 8 <= filled {
            let r = &buf[off..filled];
            let Some((kind, size)) = frame(r).filter(|&(_, s)| s >= 8 && s <= r.len()) else {
                self.damage(format!("record at offset {} of the buffer at offset {} is not a valid ETW record", off, self.offset));
                return;
            };
            let rec = &r[..size];
            match kind {
                RecordKind::System if self.header.is_none() => match log_header(rec) {
                    Some(h) => self.header = Some(h),
                    None => {
                        self.damage("the log file header (first record) could not be read, so event times are unknown".into());
                        self.stopped = true;
                        return;
                    }
                },
                RecordKind::Event => self.event(rec, sink),
                _ => self.stats.kernel_records += 1,
            }
            off += (size + 7) & !7;
        }
    }

    /// One `EVENT_HEADER` record: a Windows Update event becomes a line; others are counted.
    fn event(&mut self, rec: &[u8], sink: &mut dyn FnMut(u64, &str)) {
        let Some((start, start_ticks, num, den, header_pointer_size)) =
            self.header.as_ref().map(|h| (h.start, h.start_ticks, h.num, h.den, h.pointer_size))
        else {
            return;
        };
        let (Some(flags), Some(tid), Some(pid), Some(ticks)) = (u16le(rec, 4), u32le(rec, 8), u32le(rec, 12), u64le(rec, 16)) else {
            return;
        };
        let mut p = 80;
        let (mut traits, mut meta) = (None, None);
        if flags & 1 != 0 {
            while let (Some(ty), Some(link), Some(n)) = (u16le(rec, p + 2), u16le(rec, p + 4), u16le(rec, p + 6)) {
                let Some(data) = rec.get(p + 8..p + 8 + n as usize) else { break };
                match ty {
                    11 => meta = Some(data),
                    12 => traits = Some(data),
                    _ => {}
                }
                p += (8 + n as usize + 7) & !7;
                if link & 1 == 0 {
                    break;
                }
            }
        }
        let provider = traits.and_then(tracelogging::provider_name);
        if provider != Some(WU_PROVIDER) {
            let mut guid = String::new();
            let name = match provider {
                Some(n) => n,
                None => {
                    tracelogging::push_guid(rec.get(24..40).unwrap_or(&[0; 16]), &mut guid);
                    &guid
                }
            };
            self.stats.other.add(name);
            return;
        }
        let Some(schema) = meta.and_then(tracelogging::schema) else {
            self.stats.damaged_events += 1;
            return;
        };
        self.stats.wu_events += 1;
        let pointer_size = if flags & 0x20 != 0 {
            4
        } else if flags & 0x40 != 0 {
            8
        } else {
            header_pointer_size
        };
        let line = &mut self.line;
        line.clear();
        let delta = (ticks as i128 - start_ticks as i128) * num as i128 / den as i128;
        let ft = i64::try_from(start as i128 + delta).unwrap_or(0);
        if !write_filetime(ft, line) {
            self.stats.bad_times += 1;
            line.push_str("1601/01/01 00:00:00.0000000"); // read as an impossible time, and counted
        }
        let _ = write!(line, " {pid:<5} {tid:<5} {:<15} ", schema.event_name);
        if !tracelogging::Payload::new(rec.get(p..).unwrap_or_default(), pointer_size).render(&schema, line) {
            self.stats.damaged_events += 1;
        }
        sink(self.stats.wu_events, line);
    }

    /// What was decoded and what was skipped, in the admin's words.
    pub fn notes(&self, notes: &mut Vec<String>) {
        let s = &self.stats;
        if let Some(h) = &self.header {
            notes.push(format!(
                "ETL trace of logger {:?} (Windows build {}, {} clock): {} Windows Update event(s) decoded from {} buffer(s); times are UTC, as Get-WindowsUpdateLog prints them; evidence cites event numbers (#N)",
                h.logger, h.build, h.clock, s.wu_events, s.buffers
            ));
            if h.events_lost > 0 {
                notes.push(format!(
                    "the trace itself records {} event(s) lost while it was being written (on the client, not here)",
                    h.events_lost
                ));
            }
        }
        if s.wu_events == 0 {
            let what = self.header.as_ref().map_or(String::new(), |h| format!(" (logger {:?})", h.logger));
            notes.push(format!(
                "this trace{what} holds no Windows Update events (provider {WU_PROVIDER}): it is another component's trace (SIH, WaaSMedic, UpdateSessionOrchestration...); add the WindowsUpdate.*.etl files instead"
            ));
        }
        s.other.note(notes);
        if s.kernel_records > 0 {
            notes.push(format!("{} kernel or classic trace record(s) were skipped (not Windows Update events)", s.kernel_records));
        }
        if s.compressed_buffers > 0 {
            notes.push(format!(
                "{} compressed buffer(s) were skipped: this reader does not decompress ETW buffers yet (run Get-WindowsUpdateLog on the client for those)",
                s.compressed_buffers
            ));
        }
        if s.damaged_buffers > 0 {
            notes.push(format!("{} damaged buffer(s); first: {}", s.damaged_buffers, s.first_damage.as_deref().unwrap_or("")));
        }
        if s.skipped_bytes > 0 {
            notes.push(format!("{} byte(s) after the damage were not read", s.skipped_bytes));
        }
        if s.damaged_events > 0 {
            notes.push(format!(
                "{} Windows Update event(s) were cut short or lacked their schema; what they held was kept",
                s.damaged_events
            ));
        }
        if s.bad_times > 0 {
            notes.push(format!("{} event(s) carry a time outside 1980-2200 (a damaged clock or header)", s.bad_times));
        }
        if let Some((have, want)) = s.truncated {
            notes.push(format!(
                "the file ends inside its last buffer ({have} of {want} bytes): events up to the cut were read, the rest is missing (copied while the trace was being written?)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer declaring exactly the largest size, given with more bytes in one chunk: what is
    /// held never exceeds the bound (it did: 64 MB declared, 71 MB held).
    #[test]
    fn the_decoder_never_holds_more_than_the_largest_buffer() {
        let mut file = vec![0u8; MAX_BUFFER + (7 << 20)];
        file[..4].copy_from_slice(&(MAX_BUFFER as u32).to_le_bytes());
        let mut d = EtlDecoder::new();
        let mut most = 0;
        for chunk in file.chunks(3 << 20) {
            d.push(chunk, &mut |_, _| {});
            most = most.max(d.held()).max(d.pending.capacity());
        }
        assert!(most <= MAX_BUFFER, "held {most} bytes");
        let mut whole = EtlDecoder::new();
        whole.push(&file, &mut |_, _| {});
        assert!(whole.pending.capacity() <= MAX_BUFFER, "held {} bytes", whole.pending.capacity());
        assert_eq!(whole.stats.buffers, 1);
    }

    const SAMPLE: &[u8] = include_bytes!("../../../../tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl");
    const REFERENCE: &str = include_str!("../../../../tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.reference.tsv");

    fn decode(bytes: &[u8], chunk: usize) -> (Vec<(u64, String)>, EtlDecoder) {
        let mut d = EtlDecoder::new();
        let mut out = Vec::new();
        for c in bytes.chunks(chunk.max(1)) {
            d.push(c, &mut |n, l| out.push((n, l.to_string())));
        }
        d.finish(&mut |n, l| out.push((n, l.to_string())));
        (out, d)
    }

    /// The 80 events of the shared Windows 11 sample, against the independent decode by the
    /// `etl-parser` package (scripts/etl-reference.py): same count, order, times, PID, TID,
    /// component and message.
    #[test]
    fn the_windows_11_sample_matches_the_independent_decoder() {
        assert!(is_etl(SAMPLE));
        let (events, d) = decode(SAMPLE, 1 << 16);
        let expected: Vec<String> = REFERENCE
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.splitn(6, '\t').collect();
                format!("{} {:<5} {:<5} {:<15} {}", f[1], f[2], f[3], f[4], f[5])
            })
            .collect();
        let got: Vec<&str> = events.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(got, expected);
        assert_eq!(events.iter().map(|e| e.0).collect::<Vec<_>>(), (1..=80).collect::<Vec<_>>());
        assert_eq!(d.stats.wu_events, 80);
        assert_eq!(d.stats.damaged_buffers + d.stats.damaged_events + d.stats.compressed_buffers, 0);
        assert!(d.stats.truncated.is_none());
    }

    #[test]
    fn chunk_size_does_not_change_what_is_decoded() {
        let (whole, _) = decode(SAMPLE, SAMPLE.len());
        for chunk in [1, 7, 4095, 4097] {
            assert_eq!(decode(SAMPLE, chunk).0, whole, "chunk {chunk}");
        }
    }

    #[test]
    fn a_truncated_file_keeps_the_events_before_the_cut_and_says_so() {
        let (all, _) = decode(SAMPLE, 4096);
        let cut = &SAMPLE[..SAMPLE.len() - 2500];
        let (events, d) = decode(cut, 4096);
        assert!(!events.is_empty() && events.len() < all.len());
        assert_eq!(events[..], all[..events.len()]);
        let mut notes = Vec::new();
        d.notes(&mut notes);
        assert!(notes.iter().any(|n| n.contains("ends inside its last buffer (1596 of 4096 bytes)")), "{notes:?}");
    }

    #[test]
    fn a_damaged_record_ends_its_buffer_and_the_next_buffers_still_read() {
        let (all, _) = decode(SAMPLE, 4096);
        let mut bad = SAMPLE.to_vec();
        // the second buffer's first record: make its marker garbage
        bad[4096 + 0x48..4096 + 0x50].copy_from_slice(&[0xAB; 8]);
        let (events, d) = decode(&bad, 4096);
        assert!(events.len() < all.len() && events.len() > 10, "{}", events.len());
        assert_eq!(d.stats.damaged_buffers, 1);
        assert!(d.stats.first_damage.as_deref().unwrap().contains("offset 72 of the buffer at offset 4096"));
        // a garbage buffer size is read as the header's size: later buffers are not lost
        let mut bad = SAMPLE.to_vec();
        bad[8192..8196].copy_from_slice(&u32::MAX.to_le_bytes());
        let (events, d) = decode(&bad, 4096);
        assert_eq!(events, all);
        assert!(d.stats.first_damage.as_deref().unwrap().contains("declares 4294967295 bytes"));
    }

    #[test]
    fn text_and_other_binaries_are_not_etl() {
        assert!(!is_etl(b"2025/10/08 21:03:26.9403716 11168 10232 Agent           * START *  Service startup........."));
        assert!(!is_etl(&[0u8; 128]));
        assert!(!is_etl(b"ElfFile\0"));
        assert!(!is_etl(&SAMPLE[..0x40]));
    }

    #[test]
    fn garbage_never_panics() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for len in [0x50, 300, 5000, 20_000] {
            let mut b = SAMPLE[..0x50].to_vec();
            while b.len() < len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.push(x as u8);
            }
            let _ = decode(&b, 333);
            // the real header followed by noise
            let mut h = SAMPLE[..4096].to_vec();
            h.extend_from_slice(&b);
            let _ = decode(&h, 333);
        }
    }
}
