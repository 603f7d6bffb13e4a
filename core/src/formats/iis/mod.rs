//! IIS logs of the WSUS server: W3C extended (driven by `#Fields:`, any order or subset, re-read
//! after every restart), IIS native comma-separated logs, and HTTP.sys `HTTPERR` logs.
//! Rows without a header are read with the IIS default field set, and the reader says so.

pub use crate::facts::{IisRequest, Place};

pub mod reader;
mod rows;

/// A W3C field the reader cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Time,
    Method,
    UriStem,
    UriQuery,
    Uri,
    ServerPort,
    ClientIp,
    UserAgent,
    Status,
    SubStatus,
    Win32,
    Reason,
    Queue,
    Other,
}

fn field_of(name: &str) -> Field {
    match name.to_ascii_lowercase().as_str() {
        "date" => Field::Date,
        "time" => Field::Time,
        "cs-method" => Field::Method,
        "cs-uri-stem" => Field::UriStem,
        "cs-uri-query" => Field::UriQuery,
        "cs-uri" => Field::Uri,
        "s-port" => Field::ServerPort,
        "c-ip" => Field::ClientIp,
        "cs(user-agent)" => Field::UserAgent,
        "sc-status" => Field::Status,
        "sc-substatus" => Field::SubStatus,
        "sc-win32-status" => Field::Win32,
        "s-reason" => Field::Reason,
        "s-queuename" => Field::Queue,
        _ => Field::Other,
    }
}

use crate::caps::MAX_IIS_FIELDS as MAX_FIELDS;

/// The number of [`Field`] kinds, and the position of one a header does not have.
const FIELDS: usize = Field::Other as usize + 1;
const NOWHERE: u8 = u8::MAX;

/// IIS 7.x default W3C field set.
pub const IIS_DEFAULT_FIELDS: &str =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken";
/// IIS 8.5+ default (adds the referer).
pub const IIS85_DEFAULT_FIELDS: &str =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
/// HTTP.sys error log fields.
pub const HTTPERR_FIELDS: &str = "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";

/// What one line of an IIS log was.
#[derive(Debug, PartialEq, Eq)]
pub enum IisLine<'a> {
    Request(IisRequest<'a>),
    /// A `#` directive (`#Fields`, `#Software`, `#Date`, ...).
    Directive,
    /// A data row whose field count does not match the header.
    FieldCountMismatch {
        got: usize,
        expected: usize,
    },
    NotIis,
}

/// Stateful reader: remembers the current `#Fields` header.
#[derive(Debug, Default)]
pub struct IisReader {
    fields: Vec<Field>,
    /// Where each field a fact reads sits in the header ([`NOWHERE`]: absent), for the usual
    /// row; `None` when the header names a field twice or has `cs-uri` (the general path).
    at: Option<[u8; FIELDS]>,
    httperr: bool,
    /// Set when rows were read with an assumed default header.
    pub assumed_header: Option<&'static str>,
    pub headers_seen: u32,
    /// Rows whose date and time were a placeholder (`<DateTime>`, `Date Time`), read by shape.
    pub undated_rows: u64,
    /// Rows that had quote marks (`> `) before them.
    pub quoted_rows: u64,
}

impl IisReader {
    pub fn new() -> Self {
        Self::default()
    }

    fn set_fields(&mut self, spec: &str) {
        self.fields = spec.split_whitespace().map(field_of).collect();
        let mut at = [NOWHERE; FIELDS];
        let mut simple = self.fields.len() <= MAX_FIELDS;
        for (i, &f) in self.fields.iter().enumerate().filter(|(_, f)| **f != Field::Other) {
            simple &= at[f as usize] == NOWHERE && f != Field::Uri;
            at[f as usize] = i as u8;
        }
        self.at = simple.then_some(at);
    }

    pub fn read<'a>(&mut self, line: &'a str) -> IisLine<'a> {
        // most rows start and end with printable ASCII: nothing to trim
        let ends = line.as_bytes().first().zip(line.as_bytes().last());
        let t = if ends.is_some_and(|(a, z)| (b'!'..=b'~').contains(a) && (b'!'..=b'~').contains(z)) { line } else { line.trim() };
        // a row quoted in a forum post or a Markdown page: "> 2009-12-14 15:23:45 ..."
        if t.starts_with('>') {
            let read = self.read(t.trim_start_matches(['>', ' ']));
            if matches!(read, IisLine::Request(_)) {
                self.quoted_rows += 1;
            }
            return read;
        }
        if let Some(d) = t.strip_prefix('#') {
            if let Some(spec) = d.strip_prefix("Fields:") {
                self.set_fields(spec);
                self.headers_seen += 1;
                return IisLine::Directive;
            }
            if let Some(sw) = d.strip_prefix("Software:") {
                self.httperr = sw.contains("HTTP API");
                return IisLine::Directive;
            }
            if ["Version:", "Date:", "Start-Date:", "End-Date:", "Remark:"].iter().any(|p| d.starts_with(p)) {
                return IisLine::Directive;
            }
            return IisLine::NotIis;
        }
        if t.is_empty() {
            return IisLine::NotIis;
        }
        let b = t.as_bytes();
        if b.len() < 10 || !is_iso_date_bytes(&b[..10]) {
            // a row quoted with a placeholder where its date and time were
            if let Some(r) = undated_row(t) {
                self.undated_rows += 1;
                return IisLine::Request(r);
            }
            // not a W3C row: maybe IIS's native comma-separated format
            if memchr::memchr(b',', b).is_some() && t.contains(", ") {
                return read_native_csv(t);
            }
            return IisLine::NotIis;
        }
        // the usual row is built where it is returned; `NotIis` means "not the usual shape"
        let usual = self.read_usual_row(t);
        if !matches!(usual, IisLine::NotIis) {
            return usual;
        }
        self.read_split_row(t)
    }

    /// Any dated row the usual path does not take: split on runs of spaces and tabs, a header
    /// assumed when none came, and the field count checked against it.
    fn read_split_row<'a>(&mut self, t: &'a str) -> IisLine<'a> {
        let b = t.as_bytes();
        // split on spaces/tabs into a stack array: the rows the usual path does not take
        let mut parts: [&str; MAX_FIELDS] = [""; MAX_FIELDS];
        let mut count = 0usize;
        let mut start = 0usize;
        let mut field = |from: usize, to: usize, count: &mut usize| {
            if to > from {
                if *count < MAX_FIELDS {
                    parts[*count] = &t[from..to];
                }
                *count += 1;
            }
        };
        each_separator(b, |p| {
            field(start, p, &mut count);
            start = p + 1;
        });
        field(start, b.len(), &mut count);
        // a header may declare more fields than the stack array holds: such rows are split
        // again into a vector (rare: IIS has 21 standard fields; custom ones add a few)
        let wide: Vec<&str>;
        let parts: &[&str] = if count > MAX_FIELDS {
            wide = t.split([' ', '\t']).filter(|p| !p.is_empty()).collect();
            &wide
        } else {
            &parts[..count]
        };
        if !looks_like_w3c_row(parts) {
            // a date, then a placeholder where the time was
            if let Some(r) = undated_row(t) {
                self.undated_rows += 1;
                return IisLine::Request(r);
            }
            return IisLine::NotIis;
        }
        if self.fields.is_empty() {
            let spec = if is_httperr_row(parts) {
                HTTPERR_FIELDS
            } else if parts.len() == 15 {
                IIS85_DEFAULT_FIELDS
            } else {
                IIS_DEFAULT_FIELDS
            };
            self.assumed_header = Some(spec);
            self.set_fields(spec);
        }
        if count != self.fields.len() {
            return IisLine::FieldCountMismatch { got: count, expected: self.fields.len() };
        }
        let mut r = IisRequest { row: t, ..IisRequest::default() };
        for (&f, v) in self.fields.iter().zip(parts.iter().copied()) {
            set_field(&mut r, f, v);
        }
        IisLine::Request(r)
    }

    /// The usual row, read in one pass: a header naming each field once is known, the row
    /// starts with its date and time and its fields are separated by single spaces, one per
    /// header field. The spaces are found sixteen bytes at a time. `NotIis`: any other shape
    /// (tabs, doubled spaces, control characters, a field too many or too few), which the
    /// general path reads and says what is wrong with.
    fn read_usual_row<'a>(&self, t: &'a str) -> IisLine<'a> {
        if self.at.is_none() {
            return IisLine::NotIis;
        }
        // field i runs from just after `edge[i]` to `edge[i + 1]` (edge[0] stands before the row)
        let mut edges = [0u32; EDGES];
        match single_spaces(t.as_bytes(), &mut edges) {
            Some(spaces) => self.usual_row(t, &mut edges, spaces).map_or(IisLine::NotIis, IisLine::Request),
            None => IisLine::NotIis,
        }
    }

    /// Whether rows can be read by [`Self::usual_row`]: a header naming each field once is known.
    pub(crate) fn knows_usual_rows(&self) -> bool {
        self.at.is_some()
    }

    /// The usual row whose `spaces` single spaces are at `edges[1..=spaces]` (row offsets): the
    /// fields a fact reads, sliced out. `None` when the row is not the usual one (a field too many
    /// or too few, no date and time where the header has them first).
    #[inline(always)]
    pub(crate) fn usual_row<'a>(&self, t: &'a str, edges: &mut [u32; EDGES], spaces: usize) -> Option<IisRequest<'a>> {
        let b = t.as_bytes();
        let n = self.fields.len();
        let at = self.at.as_ref()?;
        if n < 2 || spaces != n - 1 || b.get(10) != Some(&b' ') {
            return None;
        }
        edges[n] = b.len() as u32;
        let span = |i: usize| -> (usize, usize) {
            let from = if i == 0 { 0 } else { edges[i] as usize + 1 };
            (from, edges[i + 1] as usize)
        };
        let field = |f: Field| -> &'a str {
            let i = at[f as usize] as usize;
            if i >= n {
                return "";
            }
            let (from, to) = span(i);
            let v = t.get(from..to).unwrap_or("");
            if v.as_bytes() == b"-" {
                ""
            } else {
                v
            }
        };
        let (from, to) = span(1);
        if !is_hms_bytes(b.get(from..to)?) {
            return None;
        }
        let place = |f: Field| match at[f as usize] as usize {
            i if i < n => {
                let (from, to) = span(i);
                Place { from: from as u32, to: to as u32 }
            }
            _ => Place::default(),
        };
        Some(IisRequest {
            row: t,
            method: field(Field::Method),
            path: field(Field::UriStem),
            server_port: small_number(field(Field::ServerPort)),
            user_agent: field(Field::UserAgent),
            status: small_number(field(Field::Status)),
            reason: field(Field::Reason),
            queue: field(Field::Queue),
            date_at: place(Field::Date),
            time_at: place(Field::Time),
            query_at: place(Field::UriQuery),
            client_ip_at: place(Field::ClientIp),
            substatus_at: place(Field::SubStatus),
        })
    }
}

/// Room for a row's spaces: the fields a header may have, and one block's worth more, so a
/// block's spaces are written before their count is checked.
pub(crate) const EDGES: usize = MAX_FIELDS + 18;

/// A row's single spaces, sixteen bytes at a time, into `edges[1..]`; their number, or `None`
/// when the row holds a tab or another control character, two spaces in a row, or more spaces
/// than a header may have fields: each block's bytes up to a space must be exactly its spaces,
/// and no space may follow a space (within a block or across two).
#[inline]
fn single_spaces(b: &[u8], edges: &mut [u32; EDGES]) -> Option<usize> {
    use wide::u8x16;
    let space = u8x16::splat(b' ');
    let mut count = 0usize;
    // bit 0 set when the previous block's last byte was a space
    let mut carry = 0u32;
    let mut block = |v: u8x16, base: usize, count: &mut usize| -> Option<()> {
        let spaces = v.cmp_eq(space).move_mask() as u32;
        let low = v.max(space).cmp_eq(space).move_mask() as u32;
        if low != spaces || spaces & ((spaces << 1) | carry) != 0 || *count > MAX_FIELDS {
            return None;
        }
        carry = spaces >> 15;
        let mut m = spaces;
        // at most 16 spaces: `edges` has room for them past MAX_FIELDS
        while m != 0 {
            *count += 1;
            if let Some(e) = edges.get_mut(*count) {
                *e = (base + m.trailing_zeros() as usize) as u32;
            }
            m &= m - 1;
        }
        Some(())
    };
    let mut chunks = b.chunks_exact(16);
    let mut base = 0usize;
    for c in &mut chunks {
        let a: [u8; 16] = c.try_into().ok()?;
        block(u8x16::new(a), base, &mut count)?;
        base += 16;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // padded with letters, which are never separators
        let mut last = [b'x'; 16];
        last[..rest.len()].copy_from_slice(rest);
        block(u8x16::new(last), base, &mut count)?;
    }
    (count < MAX_FIELDS).then_some(count)
}

/// One value into its field (`-` is IIS's empty value; a cold field keeps its place, read as
/// empty when asked for). `r.row` is the row `v` is a slice of.
#[inline(always)]
fn set_field<'a>(r: &mut IisRequest<'a>, f: Field, v: &'a str) {
    let hot = if v.as_bytes() == [b'-'] { "" } else { v };
    match f {
        Field::Date => r.date_at = Place::of(r.row, v),
        Field::Time => r.time_at = Place::of(r.row, v),
        Field::Method => r.method = hot,
        Field::UriStem => r.path = hot,
        Field::UriQuery => r.query_at = Place::of(r.row, v),
        Field::Uri => {
            let (p, q) = hot.split_once('?').unwrap_or((hot, ""));
            r.path = p;
            r.query_at = Place::of(r.row, q);
        }
        Field::ServerPort => r.server_port = small_number(hot),
        Field::ClientIp => r.client_ip_at = Place::of(r.row, v),
        Field::UserAgent => r.user_agent = hot,
        Field::Status => r.status = small_number(hot),
        Field::SubStatus => r.substatus_at = Place::of(r.row, v),
        Field::Reason => r.reason = hot,
        Field::Queue => r.queue = hot,
        Field::Win32 | Field::Other => {}
    }
}

/// Calls `each` with the position of every space and tab in a row, in order, eight bytes at a
/// time: a W3C row has a dozen separators in 150 bytes, where a search call per separator (or
/// an iterator chain) costs more than the row.
#[inline]
fn each_separator(b: &[u8], mut each: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // a byte's high bit set where it is zero (exact: no false positives across bytes)
    let zero = |x: u64| !(((x & LOWS) + LOWS) | x) & !LOWS;
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let mut m = zero(w ^ (ONES * b' ' as u64)) | zero(w ^ (ONES * b'\t' as u64));
        while m != 0 {
            each(base + m.trailing_zeros() as usize / 8);
            m &= m - 1;
        }
        base += 8;
    }
    for (i, &c) in chunks.remainder().iter().enumerate() {
        if c == b' ' || c == b'\t' {
            each(base + i);
        }
    }
}

/// A port or status code: up to five ASCII digits (`parse` checks signs and overflow first).
fn small_number(v: &str) -> Option<u16> {
    let b = v.as_bytes();
    if b.is_empty() || b.len() > 5 {
        return None;
    }
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (c - b'0') as u32;
    }
    u16::try_from(n).ok()
}

/// A W3C row starts with a `yyyy-mm-dd hh:mm:ss` pair (no fraction: that would be a WU log).
fn looks_like_w3c_row(parts: &[&str]) -> bool {
    parts.len() >= 3 && is_iso_date(parts[0]) && is_hms(parts[1])
}

fn is_iso_date(s: &str) -> bool {
    is_iso_date_bytes(s.as_bytes())
}

/// `yyyy-mm-dd` on raw bytes (never slices a `str`, so any text is safe).
fn is_iso_date_bytes(b: &[u8]) -> bool {
    b.len() == 10 && digits_between(b[..8].try_into().unwrap_or([0; 8]), *b"0000-00-") && b[8].is_ascii_digit() && b[9].is_ascii_digit()
}

/// Eight bytes shaped like `shape`: a digit where it has `0`, its very byte elsewhere. In one
/// word: xor-ed with the shape, a digit becomes 0 to 9 and a matching separator 0.
#[inline]
fn digits_between(b: [u8; 8], shape: [u8; 8]) -> bool {
    let digit_at = u64::from_le_bytes(shape.map(|c| if c == b'0' { 0xFF } else { 0 }));
    let x = u64::from_le_bytes(b) ^ u64::from_le_bytes(shape);
    let d = x & digit_at;
    // separators exact; each digit byte at most 9: no high nibble, and its low nibble plus 6 stays below 0x10
    x & !digit_at == 0 && d & 0xF0F0_F0F0_F0F0_F0F0 == 0 && (d + 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010 & digit_at == 0
}

fn is_hms(s: &str) -> bool {
    is_hms_bytes(s.as_bytes())
}

fn is_hms_bytes(b: &[u8]) -> bool {
    b.len() == 8 && digits_between(b.try_into().unwrap_or([0; 8]), *b"00:00:00")
}

/// A placeholder an article or a forum put where a row's date or time was: `<DateTime>`,
/// `*\<DateTime>*` (markdown-escaped), `Date`, `Time`, `[timestamp]`, `yyyy-mm-dd`, `hh:mm:ss`.
pub(crate) fn is_time_placeholder(tok: &str) -> bool {
    let core = tok.trim_matches(|c: char| matches!(c, '*' | '\\' | '<' | '>' | '[' | ']' | '{' | '}' | '(' | ')' | '_' | '`'));
    // a clock placeholder that kept the record's fraction: `HH:MM:SS.4926861`
    let core = match core.rsplit_once('.') {
        Some((head, frac)) if !head.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => core,
    };
    if core.is_empty() || core.len() > 24 || !core.bytes().all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b':' | b'.' | b'/')) {
        return false;
    }
    let lower = core.to_ascii_lowercase();
    lower.contains("date")
        || lower.contains("time")
        || lower.bytes().all(|b| matches!(b, b'y' | b'm' | b'd' | b'h' | b's' | b'-' | b':' | b'/' | b'.'))
}

/// An IPv4 or IPv6 address as IIS writes it (`10.0.1.77`, `fe80::e3a4:2b81:92b4:c6e7%11`).
fn is_address(tok: &str) -> bool {
    tok.len() >= 2
        && tok.bytes().all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'%'))
        && (tok.bytes().filter(|b| *b == b'.').count() == 3 || tok.contains(':'))
}

const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "BITS_POST", "PROPFIND", "TRACE", "CONNECT"];

/// A W3C row whose date and time columns were replaced by placeholders (`<DateTime>`, `Date
/// Time`) or left out (the row starts at the server's address), as Microsoft's articles and old
/// knowledge-base entries quote them. Without a
/// `#Fields:` header the columns are found by their shape: the method and the path after it,
/// then the server port followed by the user name and the client's address, the user agent,
/// and the trailing numbers (status, substatus, Win32 status and time taken).
fn undated_row(t: &str) -> Option<IisRequest<'_>> {
    let t = t.trim_start_matches(['>', ' ']);
    let mut toks: [&str; MAX_FIELDS] = [""; MAX_FIELDS];
    let mut n = 0;
    for tok in t.split([' ', '\t']).filter(|p| !p.is_empty()) {
        if n == MAX_FIELDS {
            return None;
        }
        toks[n] = tok;
        n += 1;
    }
    let toks = &toks[..n];
    // the placeholder may stand for both columns or only for the time
    let date = if n >= 2 && is_iso_date(toks[0]) && is_time_placeholder(toks[1]) { toks[0] } else { "" };
    // or the date and time were cut off and the row starts at the server's address
    let cut = n >= 2 && is_address(toks[0]) && METHODS.contains(&toks[1]);
    if n < 8 || (!is_time_placeholder(toks[0]) && date.is_empty() && !cut) {
        return None;
    }
    // before the method: placeholders, the clock if it survived, and the server's address
    let m = (1..n.min(6)).find(|&i| METHODS.contains(&toks[i]))?;
    if !toks[1..m].iter().all(|x| is_time_placeholder(x) || is_hms(x) || is_address(x)) {
        return None;
    }
    let path = toks[m + 1];
    if !path.starts_with('/') {
        return None;
    }
    let digits = |x: &str| !x.is_empty() && x.len() <= 10 && x.bytes().all(|b| b.is_ascii_digit());
    // trailing numbers: status substatus win32 [time-taken]
    let trailing = toks.iter().rev().take_while(|x| digits(x)).count();
    let status_at = match trailing {
        3 => n - 3,
        4.. => n - 4,
        _ => return None,
    };
    let status: u16 = toks[status_at].parse().ok().filter(|s| (100..600).contains(s))?;
    // the port: a number followed by the user name and the client's address
    let port_at = (m + 2..status_at.saturating_sub(2)).find(|&k| digits(toks[k]) && is_address(toks[k + 2]))?;
    fn v(x: &str) -> &str {
        if x == "-" {
            ""
        } else {
            x
        }
    }
    let user_agent = if port_at + 3 < status_at { v(toks[port_at + 3]) } else { "" };
    let query = if port_at > m + 2 { v(toks[m + 2]) } else { "" };
    Some(IisRequest {
        row: t,
        method: toks[m],
        path,
        query_at: Place::of(t, query),
        server_port: toks[port_at].parse().ok(),
        client_ip_at: Place::of(t, toks[port_at + 2]),
        user_agent,
        status: Some(status),
        substatus_at: Place::of(t, toks[status_at + 1]),
        date_at: Place::of(t, date),
        ..IisRequest::default()
    })
}

/// HTTPERR rows: `... HTTP/1.1 POST /path 503 707060612 AppOffline WsusPool`.
fn is_httperr_row(parts: &[&str]) -> bool {
    parts.len() == 13 && parts[6].starts_with("HTTP/")
}

/// Is this line, on its own, an IIS log line? Used by content detection.
pub fn is_iis_line(line: &str) -> bool {
    let t = line.trim_start();
    if let Some(d) = t.strip_prefix('#') {
        return d.starts_with("Fields:")
            || d.starts_with("Software: Microsoft Internet Information Services")
            || d.starts_with("Software: Microsoft HTTP API");
    }
    if t.len() < 24 {
        return false;
    }
    let mut it = t.split([' ', '\t']).filter(|p| !p.is_empty());
    let (Some(d), Some(tm)) = (it.next(), it.next()) else { return false };
    if is_iso_date(d) && is_hms(tm) {
        // a W3C row names an address or a method among its first fields; a PowerShell table row
        // or another tool's line that starts with a date and a time does not
        let (mut n, mut named) = (0, false);
        for x in it.take(6) {
            n += 1;
            named |= is_address(x) || METHODS.contains(&x);
        }
        return n >= 4 && named;
    }
    // native: "192.168.1.20, -, 12/14/09, 10:23:45, W3SVC1, WSUS01, ..."
    t.contains(", W3SVC") || t.contains(", MSFTPSVC") || undated_row(t).is_some()
}

/// IIS native format: `c-ip, user, date, time, service, server, s-ip, time-taken, bytes-in,
/// bytes-out, status, win32, method, target, params,`.
fn read_native_csv(t: &str) -> IisLine<'_> {
    let parts: Vec<&str> = t.trim_end_matches(',').split(',').map(str::trim).collect();
    if parts.len() < 15 {
        return IisLine::NotIis;
    }
    let v = |i: usize| if parts[i] == "-" { "" } else { parts[i] };
    IisLine::Request(IisRequest {
        row: t,
        client_ip_at: Place::of(t, v(0)),
        date_at: Place::of(t, v(2)),
        time_at: Place::of(t, v(3)),
        server_port: None,
        status: parts[10].parse().ok(),
        method: v(12),
        path: v(13),
        query_at: Place::of(t, v(14)),
        ..IisRequest::default()
    })
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a directive or a request row.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    is_iis_line(l.t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time search finds exactly the separators a byte-by-byte one does, in rows of
    /// every length, with tabs, non-ASCII text and bytes that differ from a space in one bit.
    #[test]
    fn separators_match_a_plain_search() {
        let rows = [
            "2024-03-01 00:00:00 10.0.0.5 GET /Content/02/F6.cab - 8530 - 10.20.21.250 Microsoft+BITS/7.8 200 0 0 2719",
            "a\tb c",
            "",
            " ",
            "        x       ",
            "0\u{a0}1 2\u{2003}3\t\t4 é ü 日本 5",
            "\u{20}\u{21}\u{60}\u{a0}\u{8}\u{9}\u{29}\u{28}abcdefghijklmnop q",
        ];
        for row in rows {
            for cut in 0..=row.len().min(24) {
                let b = &row.as_bytes()[cut..];
                let plain: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b' ' || b[i] == b'\t').collect();
                let mut found = Vec::new();
                each_separator(b, |p| found.push(p));
                assert_eq!(found, plain, "{row:?} from {cut}");
            }
        }
    }

    /// The word-wise shape check agrees with a byte-wise one for every byte at every place.
    #[test]
    fn date_and_clock_shapes_are_exact() {
        let plain_hms = |b: &[u8]| {
            b.len() == 8 && b[2] == b':' && b[5] == b':' && b.iter().enumerate().all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        };
        let plain_date = |b: &[u8]| {
            b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        };
        for at in 0..10 {
            for byte in 0..=255u8 {
                let mut d = *b"2024-03-01";
                d[at] = byte;
                assert_eq!(is_iso_date_bytes(&d), plain_date(&d), "{d:?}");
                if at < 8 {
                    let mut h = *b"23:59:07";
                    h[at] = byte;
                    assert_eq!(is_hms_bytes(&h), plain_hms(&h), "{h:?}");
                }
            }
        }
        assert!(!is_hms_bytes(b"23:59:0") && !is_iso_date_bytes(b"2024-03-0"));
    }

    #[test]
    fn small_numbers_are_ports_and_statuses_only() {
        assert_eq!(small_number("8530"), Some(8530));
        assert_eq!(small_number("404"), Some(404));
        assert_eq!(small_number("65535"), Some(65535));
        assert_eq!(small_number("65536"), None);
        assert_eq!(small_number("99999"), None);
        assert_eq!(small_number("+80"), None);
        assert_eq!(small_number("-1"), None);
        assert_eq!(small_number(""), None);
        assert_eq!(small_number("4O4"), None);
    }

    #[test]
    fn fields_header_drives_positions_and_plus_means_space() {
        let mut r = IisReader::new();
        assert_eq!(r.read("#Software: Microsoft Internet Information Services 7.5"), IisLine::Directive);
        assert_eq!(r.read("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken"), IisLine::Directive);
        let IisLine::Request(q) =
            r.read("2009-12-14 15:23:45 10.0.0.5 GET /selfupdate/wuident.cab 0912141523 8530 - 10.0.1.77 Windows-Update-Agent 404 0 2 15")
        else {
            panic!()
        };
        assert_eq!(
            (q.path, q.status, q.server_port, q.user_agent),
            ("/selfupdate/wuident.cab", Some(404), Some(8530), "Windows-Update-Agent")
        );
        assert!(r.assumed_header.is_none());
    }

    #[test]
    fn a_second_header_with_other_fields_takes_over() {
        let mut r = IisReader::new();
        r.read("#Fields: date time cs-uri-stem sc-status");
        let IisLine::Request(q) = r.read("2009-12-14 15:23:45 /iuident.cab 200") else { panic!() };
        assert_eq!(q.status, Some(200));
        r.read("#Fields: date time sc-status s-port cs-uri-stem");
        let IisLine::Request(q) = r.read("2009-12-14 15:24:00 401 80 /wutrack.bin") else { panic!() };
        assert_eq!((q.path, q.status, q.server_port), ("/wutrack.bin", Some(401), Some(80)));
    }

    #[test]
    fn headerless_rows_use_the_default_fields() {
        let mut r = IisReader::new();
        let IisLine::Request(q) = r.read("2009-12-14 15:23:45 10.0.0.5 GET /ClientWebService/client.asmx - 80 - 10.0.1.77 Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+2.0.50727.4927) 500 0 0 31") else { panic!() };
        assert_eq!(q.status, Some(500));
        assert_eq!(r.assumed_header, Some(IIS_DEFAULT_FIELDS));
    }

    #[test]
    fn httperr_app_offline() {
        let mut r = IisReader::new();
        let IisLine::Request(q) = r.read("2017-05-08 05:03:53 203.0.113.144 56433 203.0.113.4 80 HTTP/1.1 POST /SimpleAuthWebService/SimpleAuth.asmx 503 707060612 AppOffline WsusPool") else { panic!() };
        assert_eq!((q.status, q.reason, q.queue, q.path), (Some(503), "AppOffline", "WsusPool", "/SimpleAuthWebService/SimpleAuth.asmx"));
    }

    #[test]
    fn wrong_field_count_is_reported() {
        let mut r = IisReader::new();
        r.read("#Fields: date time cs-uri-stem sc-status");
        assert_eq!(r.read("2009-12-14 15:23:45 /iuident.cab"), IisLine::FieldCountMismatch { got: 3, expected: 4 });
    }

    #[test]
    fn non_ascii_text_is_not_sliced_mid_character() {
        // found by proptest: '﹨' straddles byte 10
        assert_eq!(IisReader::new().read("𔉥𝈦<﹨Ѩꬎ𞟮%𝆛Ѩ"), IisLine::NotIis);
    }

    #[test]
    fn rows_with_placeholder_dates_are_read_by_their_shape() {
        let mut r = IisReader::new();
        let row = "> *\\<DateTime>* fe80::e3a4:2b81:92b4:c6e7%11 POST /ClientWebService/Client.asmx - 8530 - fe80::e3a4:2b81:92b4:c6e7%11 Windows-Update-Agent 500 24 50 508  ";
        assert!(is_iis_line(row.trim_start_matches(['>', ' ', '*'])));
        let IisLine::Request(q) = r.read(row) else { panic!("{:?}", r.read(row)) };
        assert_eq!(
            (q.method, q.path, q.server_port, q.user_agent, q.status, q.substatus()),
            ("POST", "/ClientWebService/Client.asmx", Some(8530), "Windows-Update-Agent", Some(500), "24")
        );
        assert_eq!((q.date(), q.time(), q.client_ip()), ("", "", "fe80::e3a4:2b81:92b4:c6e7%11"));
        // IIS 5: "Date Time" twice (the query was a time stamp too), no time taken
        let row = "Date Time 10.20.0.1 GET /selfupdate/AU/x86/XP/en/wuaueng.cab Date Time 80 - 10.20.1.9 Industry+Update+Control 404 0 2";
        let IisLine::Request(q) = r.read(row) else { panic!() };
        assert_eq!(
            (q.path, q.server_port, q.client_ip(), q.status),
            ("/selfupdate/AU/x86/XP/en/wuaueng.cab", Some(80), "10.20.1.9", Some(404))
        );
        let row = "2009-12-14 <time> 10.0.0.5 GET /selfupdate/wuident.cab - 8530 - 10.0.1.77 Windows-Update-Agent 404 0 2 15";
        let IisLine::Request(q) = r.read(row) else { panic!() };
        assert_eq!((q.date(), q.time(), q.status), ("2009-12-14", "", Some(404)));
        assert_eq!(r.undated_rows, 3);
        let IisLine::Request(q) =
            r.read("> 2009-12-14 15:23:45 10.0.0.5 GET /selfupdate/wuident.cab - 8530 - 10.0.1.77 Windows-Update-Agent 404 0 2 15")
        else {
            panic!()
        };
        assert_eq!((q.time(), q.status), ("15:23:45", Some(404)));
        assert_eq!((r.undated_rows, r.quoted_rows), (3, 2));
        // prose that mentions a date and a method is no row
        assert_eq!(r.read("Date and time: GET /selfupdate returns 404 0 2 for 10.0.0.1"), IisLine::NotIis);
        assert_eq!(r.read("<DateTime> GET /x - 80 - nothere ua 200 0 0 1"), IisLine::NotIis);
    }

    #[test]
    fn native_csv_format() {
        let mut r = IisReader::new();
        let IisLine::Request(q) =
            r.read("10.0.1.77, -, 12/14/09, 15:23:45, W3SVC1, WSUS01, 10.0.0.5, 15, 310, 1432, 404, 2, GET, /selfupdate/wuident.cab, -,")
        else {
            panic!()
        };
        assert_eq!((q.status, q.path), (Some(404), "/selfupdate/wuident.cab"));
    }

    #[test]
    fn a_header_with_more_than_forty_fields_is_read_whole() {
        let mut r = IisReader::new();
        let extra: Vec<String> = (0..45).map(|i| format!("cs(X-Custom-{i})")).collect();
        r.read(&format!("#Fields: date time {} s-port cs-uri-stem sc-status", extra.join(" ")));
        let row = format!("2026-10-01 10:00:00 {} 80 /selfupdate/wuident.cab 404", vec!["v"; 45].join(" "));
        let IisLine::Request(q) = r.read(&row) else { panic!("{:?}", r.read(&row)) };
        assert_eq!((q.path, q.status, q.server_port), ("/selfupdate/wuident.cab", Some(404), Some(80)));
    }
}

#[cfg(test)]
mod usual_row_tests {
    use super::*;

    /// The one-pass path reads every row it takes exactly as the general split does: random rows
    /// over an alphabet of separators, control characters, dashes, digits and UTF-8 text, under
    /// the default header and a reordered one.
    #[test]
    fn the_usual_path_agrees_with_the_general_split() {
        let pieces = [
            "2024-03-01",
            "00:00:07",
            "10.0.0.5",
            "GET",
            "POST",
            "/Content/02/F6.cab",
            "/ClientWebService/client.asmx",
            "-",
            "8530",
            "10.20.21.250",
            "Windows-Update-Agent/10.0",
            "200",
            "404",
            "503",
            "0",
            "3",
            "2719",
            " ",
            "  ",
            "\t",
            "\u{1}",
            "é",
            "日本",
            "\u{a0}",
            "12:3",
            "x",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let headers = [IIS_DEFAULT_FIELDS, "date time c-ip cs-method cs-uri-stem sc-status sc-substatus s-port cs(User-Agent)"];
        let (mut taken, mut rows) = (0, 0);
        for header in headers {
            let mut reader = IisReader::new();
            reader.set_fields(header);
            let n = reader.fields.len();
            for _ in 0..20_000 {
                // mostly well-formed rows with a few pieces swapped in, so both paths are exercised
                let mut row = String::from("2024-03-01 00:00:07");
                let count = n - 2 + next(3) - 1;
                for _ in 0..count {
                    row.push(if next(12) == 0 { '\t' } else { ' ' });
                    let piece = if next(4) == 0 { pieces[next(pieces.len())] } else { pieces[3 + next(14)] };
                    row.push_str(piece);
                }
                let t = row.trim();
                rows += 1;
                let usual = reader.read_usual_row(t);
                if usual != IisLine::NotIis {
                    taken += 1;
                    assert_eq!(usual, reader.read_split_row(t), "{t:?}");
                }
            }
        }
        // the test means something only if the usual path took many rows and left many
        assert!(taken > rows / 10 && taken < rows * 9 / 10, "{taken} of {rows}");
    }
}
