//! Bytes to numbered lines.
//!
//! Evidence arrives in whatever encoding the admin's tool wrote: regedit writes UTF-16 LE with a
//! BOM, Notepad may write UTF-8 with a BOM, old logs are ANSI (Windows-1252). Input is pushed in
//! chunks so a 1 GB IIS log never has to sit in memory: only the current partial line is kept.
//! Line endings may be CRLF, LF or CR alone.

use encoding_rs::{Decoder, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Where a splitter's lines go: one at a time, or, for a reader that can take them faster
/// straight from the bytes, a run of whole lines at once.
pub trait Lines {
    /// Line `n` (numbered from 1), decoded; whether the sink would now take a run (asked after
    /// each line, so inputs that never take runs pay nothing for them).
    fn line(&mut self, n: u64, text: &str) -> bool;
    /// Whole lines at the start of `bytes`, undecoded, the first of them numbered `first`: the
    /// bytes and lines taken, each line with its line end. A run stops before any line the sink
    /// does not take as it is (it then comes one at a time, decoded); `(0, 0)` takes none.
    fn run(&mut self, first: u64, bytes: &[u8]) -> (usize, u64) {
        let _ = (first, bytes);
        (0, 0)
    }
}

impl<F: FnMut(u64, &str) + ?Sized> Lines for F {
    fn line(&mut self, n: u64, text: &str) -> bool {
        self(n, text);
        false
    }
}

/// How many bytes are buffered before the encoding is decided.
const SNIFF_LEN: usize = 4096;

pub use crate::caps::MAX_LINE_BYTES;

/// The text encoding an input was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    Utf16LeNoBom,
    Utf16BeNoBom,
}

impl TextEncoding {
    /// A short label for reports.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16LeBom => "UTF-16 LE with BOM",
            TextEncoding::Utf16BeBom => "UTF-16 BE with BOM",
            TextEncoding::Utf16LeNoBom => "UTF-16 LE without BOM",
            TextEncoding::Utf16BeNoBom => "UTF-16 BE without BOM",
        }
    }
}

/// Why an input cannot be read as text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    WhitespaceOnly,
    Binary(&'static str),
}

impl DecodeError {
    pub fn message(&self, input: &str) -> String {
        match self {
            DecodeError::Empty => format!("{input}: the input is empty (0 bytes)"),
            DecodeError::WhitespaceOnly => format!("{input}: the input holds only blank lines or spaces"),
            DecodeError::Binary(what) => {
                format!("{input}: this is not text ({what}); drop the WindowsUpdate.log, the IIS log or a .reg export instead")
            }
        }
    }
}

/// What decoding noticed, for the input's notes.
#[derive(Debug, Default, Clone)]
pub struct DecodeStats {
    pub cp1252_lines: u64,
    pub first_cp1252_line: Option<u64>,
    pub nul_bytes: u64,
    pub first_nul_line: Option<u64>,
    pub truncated_lines: u64,
    pub first_truncated_line: Option<u64>,
    pub odd_trailing_byte: bool,
    /// The UTF-16 text was followed by UTF-8 text from this line on (two exports joined).
    pub utf8_after_utf16_line: Option<u64>,
    pub cr_only_endings: u64,
    pub total_bytes: u64,
}

enum Mode {
    Sniffing,
    Bytes,
    Utf16(Box<Decoder>),
    Failed,
}

/// Push-based decoder: feed chunks, receive `(line_number, text)` for every complete line.
pub struct LineSplitter {
    mode: Mode,
    encoding: TextEncoding,
    sniff: Vec<u8>,
    /// Partial line (bytes in 8-bit mode).
    pending: Vec<u8>,
    /// Partial line (text in UTF-16 mode).
    pending_text: String,
    decoded: String,
    last_was_cr: bool,
    line_no: u64,
    overflow: bool,
    seen_non_blank: bool,
    /// The sink said, after the last line, that it would take a run.
    runs_ready: bool,
    pub stats: DecodeStats,
    error: Option<DecodeError>,
    /// UTF-16 text followed by UTF-8 text (`type a.reg b.reg > all.reg` with one export of each
    /// encoding): from the line where a UTF-8 CRLF showed, decoded text is turned back into its
    /// bytes and read as UTF-8. Re-encoding is exact, so this does not depend on chunking.
    utf8_after_utf16: bool,
    /// Bytes given to the UTF-16 decoder, and the last one (an odd count leaves it undecoded).
    utf16_bytes: u64,
    utf16_last: u8,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new()
    }
}

impl LineSplitter {
    pub fn new() -> Self {
        LineSplitter {
            mode: Mode::Sniffing,
            encoding: TextEncoding::Utf8,
            sniff: Vec::new(),
            pending: Vec::new(),
            pending_text: String::new(),
            decoded: String::new(),
            last_was_cr: false,
            line_no: 0,
            overflow: false,
            seen_non_blank: false,
            runs_ready: false,
            stats: DecodeStats::default(),
            error: None,
            utf8_after_utf16: false,
            utf16_bytes: 0,
            utf16_last: 0,
        }
    }

    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    pub fn error(&self) -> Option<&DecodeError> {
        self.error.as_ref()
    }

    /// Lines emitted so far.
    pub fn lines(&self) -> u64 {
        self.line_no
    }

    /// Feed the next chunk of bytes.
    pub fn push(&mut self, bytes: &[u8], mut sink: &mut dyn FnMut(u64, &str)) {
        self.push_lines(bytes, &mut sink)
    }

    /// [`Self::push`] to a sink that may also take runs of whole lines at once.
    pub fn push_lines(&mut self, bytes: &[u8], sink: &mut dyn Lines) {
        self.stats.total_bytes += bytes.len() as u64;
        match self.mode {
            Mode::Sniffing => {
                self.sniff.extend_from_slice(bytes);
                if self.sniff.len() >= SNIFF_LEN {
                    self.decide_and_flush_sniff(sink);
                }
            }
            Mode::Failed => {}
            _ => self.push_decided(bytes, sink),
        }
    }

    /// Signal the end of input: emits the last unterminated line and settles errors.
    pub fn finish(&mut self, mut sink: &mut dyn FnMut(u64, &str)) {
        self.finish_lines(&mut sink)
    }

    /// [`Self::finish`] to a [`Lines`] sink.
    pub fn finish_lines(&mut self, sink: &mut dyn Lines) {
        if let Mode::Sniffing = self.mode {
            self.decide_and_flush_sniff(sink);
        }
        match &mut self.mode {
            Mode::Utf16(dec) => {
                let mut out = std::mem::take(&mut self.decoded);
                out.clear();
                out.reserve(16);
                let (_, _, replaced) = dec.decode_to_string(&[], &mut out, true);
                if self.utf8_after_utf16 {
                    // the UTF-8 part's odd last byte is a byte, not half a character
                    if replaced && self.utf16_bytes % 2 == 1 {
                        let b = [self.utf16_last];
                        self.split_bytes(&b, sink);
                    }
                    if !self.pending.is_empty() {
                        let line = std::mem::take(&mut self.pending);
                        self.emit_bytes(&line, sink);
                    }
                } else {
                    if replaced {
                        self.stats.odd_trailing_byte = true;
                    }
                    self.split_text(&out, sink);
                }
                self.decoded = out;
                if !self.pending_text.is_empty() {
                    let text = std::mem::take(&mut self.pending_text);
                    self.emit_text(&text, sink);
                }
            }
            Mode::Bytes if !self.pending.is_empty() => {
                let line = std::mem::take(&mut self.pending);
                self.emit_bytes(&line, sink);
            }
            _ => {}
        }
        if std::mem::take(&mut self.last_was_cr) {
            self.stats.cr_only_endings += 1; // the input's last line end was a bare CR
        }
        if self.error.is_none() && !self.seen_non_blank {
            self.error = Some(if self.stats.total_bytes == 0 { DecodeError::Empty } else { DecodeError::WhitespaceOnly });
        }
    }

    fn decide_and_flush_sniff(&mut self, sink: &mut dyn Lines) {
        let sniff = std::mem::take(&mut self.sniff);
        // decide on exactly the first SNIFF_LEN bytes, however they arrived: chunked and whole
        // input must read the same (a fuzzer found a UTF-16 guess that flipped with chunk size)
        let head = &sniff[..sniff.len().min(SNIFF_LEN)];
        if let Some(what) = binary_signature(head) {
            self.error = Some(DecodeError::Binary(what));
            self.mode = Mode::Failed;
            return;
        }
        let (encoding, skip) = sniff_encoding(head);
        self.encoding = encoding;
        self.mode = match encoding {
            TextEncoding::Utf16LeBom | TextEncoding::Utf16LeNoBom => Mode::Utf16(Box::new(UTF_16LE.new_decoder_without_bom_handling())),
            TextEncoding::Utf16BeBom | TextEncoding::Utf16BeNoBom => Mode::Utf16(Box::new(UTF_16BE.new_decoder_without_bom_handling())),
            _ => Mode::Bytes,
        };
        self.push_decided(&sniff[skip..], sink);
    }

    fn push_decided(&mut self, bytes: &[u8], sink: &mut dyn Lines) {
        match &mut self.mode {
            Mode::Bytes => self.split_bytes(bytes, sink),
            Mode::Utf16(dec) => {
                let mut out = std::mem::take(&mut self.decoded);
                out.clear();
                let need = dec.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
                out.reserve(need);
                let _ = dec.decode_to_string(bytes, &mut out, false);
                self.utf16_bytes += bytes.len() as u64;
                if let Some(&b) = bytes.last() {
                    self.utf16_last = b;
                }
                self.split_text(&out, sink);
                self.decoded = out;
            }
            _ => {}
        }
    }

    fn split_bytes(&mut self, mut bytes: &[u8], sink: &mut dyn Lines) {
        if self.last_was_cr {
            // the CR ended the previous chunk: CRLF, or a bare CR, as if the chunks were one
            match bytes.first() {
                Some(b'\n') => bytes = &bytes[1..],
                Some(_) => self.stats.cr_only_endings += 1,
                None => return,
            }
            self.last_was_cr = false;
        }
        // The lines from the first one read singly to the chunk's last line end, checked at once
        // (when first needed): when they are UTF-8 without NUL bytes (a log's usual chunk), each
        // is handed over as it is, without checking it again. `clean` starts at byte `clean_from`.
        let whole = bytes;
        let mut checked: Option<(usize, &str)> = None;
        loop {
            // the sink may take a run of whole lines straight from the bytes
            if self.runs_ready && self.pending.is_empty() && !self.overflow && !bytes.is_empty() {
                let (used, lines) = sink.run(self.line_no + 1, bytes);
                if lines > 0 {
                    self.line_no += lines;
                    self.seen_non_blank = true;
                    bytes = &bytes[used.min(bytes.len())..];
                }
            }
            let Some(pos) = memchr::memchr2(b'\n', b'\r', bytes) else { break };
            let is_cr = bytes[pos] == b'\r';
            // where this line starts in the chunk, and so in `clean`
            let at = whole.len() - bytes.len();
            if self.pending.is_empty() && pos <= MAX_LINE_BYTES {
                let (clean_from, clean) = *checked.get_or_insert_with(|| {
                    let last = memchr::memrchr2(b'\n', b'\r', whole).unwrap_or(at);
                    let region = &whole[at..last.max(at)];
                    let text = if memchr::memchr(0, region).is_none() { std::str::from_utf8(region).unwrap_or("") } else { "" };
                    (at, text)
                });
                let from = at - clean_from;
                match clean.get(from..from + pos) {
                    Some(text) if at + pos <= clean_from + clean.len() => self.emit_clean(text, sink),
                    _ => self.emit_bytes(&bytes[..pos], sink),
                }
            } else if self.pending.is_empty() {
                let line = &bytes[..MAX_LINE_BYTES];
                self.overflow = true;
                self.emit_bytes(line, sink);
            } else {
                self.append_pending(&bytes[..pos]);
                let line = std::mem::take(&mut self.pending);
                self.emit_bytes(&line, sink);
                self.pending = line;
                self.pending.clear();
            }
            bytes = &bytes[pos + 1..];
            if is_cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => self.stats.cr_only_endings += 1,
                    None => self.last_was_cr = true,
                }
            }
        }
        self.append_pending(bytes);
    }

    /// Text decoded as UTF-16 that was UTF-8: back to its bytes (exact for everything but
    /// surrogates, which UTF-8 text of this kind does not produce), read as bytes; a UTF-8 BOM
    /// where the part starts is dropped.
    fn reencoded(&mut self, text: &str, sink: &mut dyn Lines) {
        let le = matches!(self.encoding, TextEncoding::Utf16LeBom | TextEncoding::Utf16LeNoBom);
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        let mut b = &bytes[..];
        if self.pending.is_empty() {
            if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
                b = rest;
            }
        }
        self.split_bytes(b, sink);
    }

    fn append_pending(&mut self, bytes: &[u8]) {
        let room = MAX_LINE_BYTES.saturating_sub(self.pending.len());
        if bytes.len() > room {
            self.pending.extend_from_slice(&bytes[..room]);
            self.overflow = true;
        } else {
            self.pending.extend_from_slice(bytes);
        }
    }

    fn split_text(&mut self, mut text: &str, sink: &mut dyn Lines) {
        if self.utf8_after_utf16 {
            return self.reencoded(text, sink);
        }
        // U+0A0D is unassigned: as UTF-16 code units it is the bytes CR LF of UTF-8 text
        if let Some(at) = text.find(['\u{0A0D}', '\u{0D0A}']) {
            let line_start = text[..at].rfind(['\n', '\r']).map(|p| p + 1).unwrap_or(0);
            self.split_text(&text[..line_start], sink);
            self.utf8_after_utf16 = true;
            self.stats.utf8_after_utf16_line = Some(self.line_no + 1);
            let head = std::mem::take(&mut self.pending_text);
            self.reencoded(&head, sink);
            return self.reencoded(&text[line_start..], sink);
        }
        if self.last_was_cr {
            match text.as_bytes().first() {
                Some(b'\n') => text = &text[1..],
                Some(_) => self.stats.cr_only_endings += 1,
                None => return,
            }
            self.last_was_cr = false;
        }
        while let Some(pos) = memchr::memchr2(b'\n', b'\r', text.as_bytes()) {
            let is_cr = text.as_bytes()[pos] == b'\r';
            if self.pending_text.is_empty() {
                let mut line = &text[..pos];
                if line.len() > MAX_LINE_BYTES {
                    let mut cut = MAX_LINE_BYTES;
                    while !line.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    line = &line[..cut];
                    self.overflow = true;
                }
                self.emit_text(line, sink);
            } else {
                push_capped(&mut self.pending_text, &text[..pos], &mut self.overflow);
                let line = std::mem::take(&mut self.pending_text);
                self.emit_text(&line, sink);
            }
            text = &text[pos + 1..];
            if is_cr {
                match text.as_bytes().first() {
                    Some(b'\n') => text = &text[1..],
                    Some(_) => self.stats.cr_only_endings += 1,
                    None => self.last_was_cr = true,
                }
            }
        }
        push_capped(&mut self.pending_text, text, &mut self.overflow);
    }

    fn emit_bytes(&mut self, raw: &[u8], sink: &mut dyn Lines) {
        self.line_no += 1;
        let line_no = self.line_no;
        let truncated = self.note_overflow();
        let has_nul = memchr::memchr(0, raw).is_some();
        let cleaned: std::borrow::Cow<[u8]> = if has_nul {
            let n = raw.iter().filter(|b| **b == 0).count() as u64;
            self.stats.nul_bytes += n;
            self.stats.first_nul_line.get_or_insert(line_no);
            raw.iter().copied().filter(|b| *b != 0).collect::<Vec<u8>>().into()
        } else {
            raw.into()
        };
        match std::str::from_utf8(&cleaned) {
            Ok(s) => self.deliver(line_no, s, sink),
            Err(e) => {
                // A line cut by the length cap may end inside a UTF-8 sequence: keep the valid part.
                if e.error_len().is_none() && truncated {
                    let s = std::str::from_utf8(&cleaned[..e.valid_up_to()]).unwrap_or_default();
                    self.deliver(line_no, s, sink);
                    return;
                }
                self.stats.cp1252_lines += 1;
                self.stats.first_cp1252_line.get_or_insert(line_no);
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(&cleaned);
                self.deliver(line_no, &text, sink);
            }
        }
    }

    /// A line already known to be UTF-8 without NUL bytes, within the length cap.
    fn emit_clean(&mut self, text: &str, sink: &mut dyn Lines) {
        self.line_no += 1;
        let line_no = self.line_no;
        let _ = self.note_overflow();
        self.deliver(line_no, text, sink);
    }

    fn emit_text(&mut self, text: &str, sink: &mut dyn Lines) {
        self.line_no += 1;
        let line_no = self.line_no;
        let _ = self.note_overflow();
        if text.contains('\0') {
            self.stats.nul_bytes += text.matches('\0').count() as u64;
            self.stats.first_nul_line.get_or_insert(line_no);
            let cleaned: String = text.chars().filter(|c| *c != '\0').collect();
            self.deliver(line_no, &cleaned, sink);
        } else {
            self.deliver(line_no, text, sink);
        }
    }

    /// Account for a line cut at MAX_LINE_BYTES; true if the line being emitted was cut.
    fn note_overflow(&mut self) -> bool {
        if self.overflow {
            self.overflow = false;
            self.stats.truncated_lines += 1;
            self.stats.first_truncated_line.get_or_insert(self.line_no);
            return true;
        }
        false
    }

    fn deliver(&mut self, line_no: u64, text: &str, sink: &mut dyn Lines) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if !self.seen_non_blank && !text.trim().is_empty() {
            self.seen_non_blank = true;
        }
        self.runs_ready = sink.line(line_no, text);
    }
}

fn push_capped(buf: &mut String, text: &str, overflow: &mut bool) {
    let room = MAX_LINE_BYTES.saturating_sub(buf.len());
    if text.len() > room {
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        buf.push_str(&text[..cut]);
        *overflow = true;
    } else {
        buf.push_str(text);
    }
}

/// Recognise files that are clearly not text, by magic number or by control-byte density.
fn binary_signature(head: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"MSCF", "a CAB archive"),
        (b"%PDF-", "a PDF document"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"MZ", "a Windows executable"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office/OLE document"),
        (b"ElfFile\0", "a Windows event log (.evtx)"),
        (b"regf", "a binary registry hive (use regedit's Export instead)"),
    ];
    for (magic, what) in MAGICS {
        if head.starts_with(magic) {
            return Some(what);
        }
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) || utf16_without_bom(head).is_some() {
        return None;
    }
    // Control bytes other than tab/CR/LF/FF/NUL: text never has many.
    let sample = &head[..head.len().min(SNIFF_LEN)];
    if sample.is_empty() {
        return None;
    }
    let control = sample.iter().filter(|b| matches!(**b, 1..=8 | 14..=26 | 28..=31)).count();
    let nul = sample.iter().filter(|b| **b == 0).count();
    if control * 10 > sample.len() || (nul * 3 > sample.len() && control * 50 > sample.len()) {
        return Some("mostly binary bytes");
    }
    None
}

/// Decide the encoding from a BOM, a UTF-16 zero-byte pattern, or default to UTF-8/1252.
/// Returns the encoding and how many BOM bytes to skip.
fn sniff_encoding(head: &[u8]) -> (TextEncoding, usize) {
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        return (TextEncoding::Utf8Bom, 3);
    }
    if head.starts_with(&[0xff, 0xfe]) {
        return (TextEncoding::Utf16LeBom, 2);
    }
    if head.starts_with(&[0xfe, 0xff]) {
        return (TextEncoding::Utf16BeBom, 2);
    }
    if let Some(enc) = utf16_without_bom(head) {
        return (enc, 0);
    }
    (TextEncoding::Utf8, 0)
}

/// ASCII-heavy UTF-16 has a zero in every other byte.
fn utf16_without_bom(head: &[u8]) -> Option<TextEncoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_zero, mut odd_zero) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if pair[0] == 0 && pair[1] != 0 {
            even_zero += 1;
        }
        if pair[1] == 0 && pair[0] != 0 {
            odd_zero += 1;
        }
    }
    if odd_zero * 10 >= pairs * 7 {
        Some(TextEncoding::Utf16LeNoBom)
    } else if even_zero * 10 >= pairs * 7 {
        Some(TextEncoding::Utf16BeNoBom)
    } else {
        cjk_utf16(head)
    }
}

/// UTF-16 without BOM whose head is CJK text (a Chinese or Japanese note, a localized export):
/// no zero bytes to go by, but it is not UTF-8, nearly every unit's high byte is in the CJK,
/// kana, Hangul or full-width ranges, and the low bytes spread over all values (text in
/// Windows-1252 keeps nearly all its bytes below 0x80).
fn cjk_utf16(head: &[u8]) -> Option<TextEncoding> {
    let cut = head.len() - head.len() % 2;
    if cut < 64 || std::str::from_utf8(&head[..cut.saturating_sub(4)]).is_ok() {
        return None;
    }
    let asian = |hi: u8, lo: u8| matches!(hi, 0x30 | 0x4E..=0x9F | 0xAC..=0xD7 | 0xFF) || (hi == 0 && lo != 0);
    let pairs = head[..cut].chunks_exact(2);
    let n = pairs.len();
    let (mut le, mut be, mut le_spread, mut be_spread) = (0, 0, 0, 0);
    for p in pairs {
        le += usize::from(asian(p[1], p[0]));
        be += usize::from(asian(p[0], p[1]));
        le_spread += usize::from(p[0] >= 0x80);
        be_spread += usize::from(p[1] >= 0x80);
    }
    if le * 10 >= n * 9 && le_spread * 4 >= n {
        Some(TextEncoding::Utf16LeNoBom)
    } else if be * 10 >= n * 9 && be_spread * 4 >= n {
        Some(TextEncoding::Utf16BeNoBom)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]]) -> (Vec<(u64, String)>, LineSplitter) {
        let mut out = Vec::new();
        let mut s = LineSplitter::new();
        for c in chunks {
            s.push(c, &mut |n, l| out.push((n, l.to_string())));
        }
        s.finish(&mut |n, l| out.push((n, l.to_string())));
        (out, s)
    }

    #[test]
    fn crlf_lf_and_cr_only_are_all_line_ends() {
        let (lines, s) = lines_of(&[b"a\r\nb\nc\rd"]);
        let texts: Vec<_> = lines.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        assert_eq!(s.stats.cr_only_endings, 1);
    }

    #[test]
    fn crlf_split_across_chunks_is_one_line_end() {
        let mut big = vec![b'x'; SNIFF_LEN];
        big.push(b'\r');
        let (lines, _) = lines_of(&[&big, b"\nnext"]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1], (2, "next".to_string()));
    }

    #[test]
    fn utf16le_with_bom_as_regedit_writes() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n";
        let mut bytes = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        // split the UTF-16 stream at an odd byte to exercise the streaming decoder
        let (a, b) = bytes.split_at(7);
        let (lines, s) = lines_of(&[a, b]);
        assert_eq!(s.encoding(), TextEncoding::Utf16LeBom);
        assert_eq!(lines[0].1, "Windows Registry Editor Version 5.00");
        assert_eq!(lines[2], (3, "[HKEY_LOCAL_MACHINE\\X]".to_string()));
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let mut bytes = Vec::new();
        for u in "REGEDIT4\r\n\"WUServer\"=\"http://wsus\"\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (lines, s) = lines_of(&[&bytes]);
        assert_eq!(s.encoding(), TextEncoding::Utf16LeNoBom);
        assert_eq!(lines[1].1, "\"WUServer\"=\"http://wsus\"");
    }

    #[test]
    fn invalid_utf8_line_falls_back_to_windows_1252() {
        let (lines, s) = lines_of(&[b"caf\xe9 ok\nplain\n"]);
        assert_eq!(lines[0].1, "café ok");
        assert_eq!(s.stats.cp1252_lines, 1);
        assert_eq!(s.stats.first_cp1252_line, Some(1));
    }

    #[test]
    fn binary_and_empty_inputs_are_errors() {
        let (_, s) = lines_of(&[b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"]);
        assert_eq!(s.error(), Some(&DecodeError::Binary("a PNG image")));
        let (_, s) = lines_of(&[]);
        assert_eq!(s.error(), Some(&DecodeError::Empty));
        let (_, s) = lines_of(&[b"  \r\n\t\r\n"]);
        assert_eq!(s.error(), Some(&DecodeError::WhitespaceOnly));
    }

    #[test]
    fn nul_bytes_inside_a_log_are_removed_and_counted() {
        let (lines, s) = lines_of(&[b"one\ntw\0o\n"]);
        assert_eq!(lines[1].1, "two");
        assert_eq!(s.stats.nul_bytes, 1);
        assert_eq!(s.stats.first_nul_line, Some(2));
    }

    #[test]
    fn overlong_line_is_capped() {
        let long = vec![b'a'; MAX_LINE_BYTES + 10];
        let (lines, s) = lines_of(&[&long, b"\nshort"]);
        assert_eq!(lines[0].1.len(), MAX_LINE_BYTES);
        assert_eq!(lines[1].1, "short");
        assert_eq!(s.stats.truncated_lines, 1);
    }

    #[test]
    fn every_cut_line_keeps_its_valid_utf8_part() {
        // two overlong lines whose cut falls inside 'é' (2 bytes): both stay UTF-8
        let mut line = vec![b'a'; MAX_LINE_BYTES - 1];
        line.extend_from_slice("é tail\n".as_bytes());
        let (lines, s) = lines_of(&[&line, &line]);
        assert_eq!(s.stats.truncated_lines, 2);
        assert_eq!(s.stats.cp1252_lines, 0);
        assert!(lines.iter().all(|(_, l)| l.len() == MAX_LINE_BYTES - 1));
    }

    #[test]
    fn odd_byte_count_utf16_is_noted() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "abc".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes.push(b'd');
        let (lines, s) = lines_of(&[&bytes]);
        assert!(s.stats.odd_trailing_byte);
        assert!(lines[0].1.starts_with("abc"));
    }

    #[test]
    fn utf8_appended_to_utf16_is_read_as_utf8_whatever_the_chunks() {
        let utf16 = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n\r\n";
        let utf8 = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]\r\n\"UseWUServer\"=dword:00000000";
        for bom in [&b""[..], &[0xEF, 0xBB, 0xBF][..]] {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
            bytes.extend_from_slice(bom);
            bytes.extend_from_slice(utf8.as_bytes());
            let (whole, s) = lines_of(&[&bytes]);
            let texts: Vec<&str> = whole.iter().map(|(_, l)| l.as_str()).collect();
            assert_eq!(
                texts[5..],
                [
                    "Windows Registry Editor Version 5.00",
                    "",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]",
                    "\"UseWUServer\"=dword:00000000"
                ],
                "{texts:?}"
            );
            assert_eq!(s.stats.utf8_after_utf16_line, Some(6));
            assert!(!s.stats.odd_trailing_byte, "the odd last byte is UTF-8's");
            for size in 1..=37 {
                let chunks: Vec<&[u8]> = bytes.chunks(size).collect();
                assert_eq!(lines_of(&chunks).0, whole, "chunks of {size}");
            }
        }
    }

    #[test]
    fn utf16_without_bom_opening_with_cjk_text_is_still_utf16() {
        let text = format!("{}\r\n\"UseWUServer\"=dword:00000000\r\n", "更新服务器配置说明文档".repeat(200));
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, enc) in [(le, TextEncoding::Utf16LeNoBom), (be, TextEncoding::Utf16BeNoBom)] {
            let (lines, s) = lines_of(&[&bytes]);
            assert_eq!(s.encoding(), enc);
            assert_eq!(lines[1].1, "\"UseWUServer\"=dword:00000000");
        }
        // Windows-1252 text with accents is not mistaken for it
        let ansi: Vec<u8> =
            b"Mise \xe0 jour du serveur: le client n'a pas trouv\xe9 les mises \xe0 jour, r\xe9essayer plus tard.\r\n".repeat(40);
        let (_, s) = lines_of(&[&ansi]);
        assert_eq!(s.encoding(), TextEncoding::Utf8);
    }
}
