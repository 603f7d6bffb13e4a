//! WindowsUpdate.log: classic (tab-separated, `HH:MM:SS:mmm`), Windows 10/11 (space-padded,
//! `HH:MM:SS.fffffff`, decoded by `Get-WindowsUpdateLog`), and the damaged copies admins paste.
//!
//! A physical line becomes zero or more [`WuRecord`]s. Records are found by their timestamp, so
//! several records glued onto one line are split, and a line holding only a message column is
//! still read (its message may be a well-known one). Artefacts of forums and chat (quote marks,
//! markdown escapes, table pipes) are stripped first and counted as repairs.

pub use crate::facts::{WuFormat, WuRecord};

/// The client event vocabulary, shared with the other client formats (its old path).
pub use crate::events;
pub mod reader;

use nom::bytes::complete::{take_while, take_while1, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::time::{clock, date, Timestamp};

/// Records of one physical line: almost always one, so they live inline (no allocation).
pub type Records<'a> = smallvec::SmallVec<[WuRecord<'a>; 2]>;

/// Repairs applied to a pasted line before parsing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repairs {
    pub quote_marks: bool,
    pub markdown_escapes: bool,
    pub table_pipes: bool,
    pub glued_records: bool,
    pub tabs_lost: bool,
    /// A list bullet (`•`, `-`, `*`, `+`) before the record.
    pub bullets: bool,
    /// Markdown inline code or emphasis around the whole record (`` `...` ``, `*...*`).
    pub inline_code: bool,
    /// HTML entities (`&lt;`) or tags (`<br />`, `<code>`) from a page the text was copied from.
    pub html: bool,
    /// The date and time columns were cut off (`03E4 1668 SLS Making request ...`): read by the
    /// PID, TID and component columns, without a time.
    pub no_timestamp: bool,
}

impl Repairs {
    pub fn any(&self) -> bool {
        self.quote_marks
            || self.markdown_escapes
            || self.table_pipes
            || self.glued_records
            || self.tabs_lost
            || self.bullets
            || self.inline_code
            || self.html
            || self.no_timestamp
    }
}

/// Component names seen in real logs (classic and Windows 10), used to split glued fields.
pub const KNOWN_COMPONENTS: &[&str] = &[
    "Agent",
    "AU",
    "AUClnt",
    "CDM",
    "CltUI",
    "CMPRESS",
    "COMAPI",
    "ComApi",
    "DataStore",
    "DnldMgr",
    "DownloadManager",
    "DRIVER",
    "DtaStor",
    "DTASTOR",
    "EEHndlr",
    "EEHNDLER",
    "EP",
    "Handler",
    "IdleTmr",
    "IdleTimer",
    "Misc",
    "OFFLSNC",
    "PARSER",
    "ProtocolTalker",
    "PT",
    "Report",
    "Reporter",
    "SERVICE",
    "Service",
    "Setup",
    "SETUP",
    "Shared",
    "SLS",
    "SHUTDWN",
    "WUREDIR",
    "WUWEB",
    "WS",
    "WebServices",
    "Deployment",
    "UpdateSessionOrchestration",
    "USO",
];

/// Strip forum/markdown/table artefacts. Returns the cleaned text (borrowed when untouched).
pub fn clean_paste(raw: &str) -> (std::borrow::Cow<'_, str>, Repairs) {
    let mut r = Repairs::default();
    let mut s = raw.trim_end_matches([' ', '\u{a0}']);
    // markdown block quotes, possibly nested: "> > text"
    let t = s.trim_start_matches([' ', '\u{a0}']);
    if t.starts_with('>') {
        let mut u = t;
        while let Some(rest) = u.strip_prefix('>') {
            u = rest.strip_prefix(' ').unwrap_or(rest);
            r.quote_marks = true;
        }
        s = u;
    }
    // list bullets and inline code or emphasis around a whole record: only before a digit (the
    // record's date), so a message that starts with "- " or "*" is left alone
    let t = s.trim_start_matches([' ', '\u{a0}']);
    // a record starts with its date: only a line that starts otherwise can carry these marks
    if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return clean_html_tables_and_escapes(s, r);
    }
    for bullet in ["• ", "· ", "- ", "* ", "+ ", "# "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
                s = rest.trim_start();
                r.bullets = true;
            }
            break;
        }
    }
    for mark in ["`", "**", "*", "_"] {
        let t = s.trim();
        if let Some(inner) = t.strip_prefix(mark).and_then(|x| x.strip_suffix(mark)) {
            if inner.starts_with(|c: char| c.is_ascii_digit()) {
                s = inner;
                r.inline_code = true;
                break;
            }
        }
    }
    clean_html_tables_and_escapes(s, r)
}

fn clean_html_tables_and_escapes(s: &str, mut r: Repairs) -> (std::borrow::Cow<'_, str>, Repairs) {
    if memchr::memchr2(b'&', b'<', s.as_bytes()).is_some() {
        if let Some(decoded) = decode_html(s) {
            r.html = true;
            let (clean, r) = clean_tables_and_escapes(&decoded, r);
            return (std::borrow::Cow::Owned(clean.into_owned()), r);
        }
    }
    clean_tables_and_escapes(s, r)
}

/// The second half of [`clean_paste`]: table pipes and markdown escapes.
fn clean_tables_and_escapes(s: &str, mut r: Repairs) -> (std::borrow::Cow<'_, str>, Repairs) {
    let mut owned: Option<String> = None;
    // table rows: "| 2009-12-14 | 10:23:45:123 | ... |"
    let t = s.trim();
    if t.starts_with('|') || t.ends_with('|') {
        let inner = t.trim_start_matches('|').trim_end_matches('|');
        r.table_pipes = true;
        if t.starts_with('|') {
            let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
            owned = Some(cells.join("\t"));
        } else {
            owned = Some(inner.trim_end().to_string());
        }
    }
    let cur: &str = owned.as_deref().unwrap_or(s);
    if cur.contains('\\') && has_md_escape(cur) {
        let mut out = String::with_capacity(cur.len());
        let mut chars = cur.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(&n) = chars.peek() {
                    if matches!(n, '*' | '#' | '<' | '>' | '[' | ']' | '|' | '`') {
                        out.push(n);
                        chars.next();
                        continue;
                    }
                }
            }
            out.push(c);
        }
        r.markdown_escapes = true;
        owned = Some(out);
    }
    match owned {
        Some(o) => (std::borrow::Cow::Owned(o), r),
        None => (std::borrow::Cow::Borrowed(s), r),
    }
}

/// Text copied out of a web page: `<br />` becomes a line break (the reader reads each line of
/// the page on its own), `<code>`/`<p>`/`<pre>`/`<span ...>` tags go, and the common
/// entities are decoded. `None` when there was nothing of the sort.
fn decode_html(s: &str) -> Option<String> {
    const ENTITIES: [(&str, &str); 7] =
        [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "), ("&amp;", "&")];
    const TAGS: [&str; 9] = ["br", "code", "/code", "p", "/p", "pre", "/pre", "span", "/span"];
    let lower_has_tag = |rest: &str| {
        TAGS.iter().any(|t| {
            rest.len() > t.len()
                && rest.as_bytes()[..t.len()].eq_ignore_ascii_case(t.as_bytes())
                && matches!(rest.as_bytes()[t.len()], b'>' | b' ' | b'/')
        })
    };
    let b = s.as_bytes();
    let has_entity = memchr::memchr_iter(b'&', b).any(|i| ENTITIES.iter().any(|(e, _)| s[i..].starts_with(e)));
    let has_tag = memchr::memchr_iter(b'<', b).any(|i| lower_has_tag(&s[i + 1..]));
    if !has_entity && !has_tag {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') && lower_has_tag(&rest[1..]) {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            if rest[1..].len() >= 2 && rest.as_bytes()[1..3].eq_ignore_ascii_case(b"br") {
                // a line break of the page: the reader reads each line on its own
                out.push('\n');
            }
            rest = &rest[end..];
        } else if let Some((e, v)) = ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            out.push_str(v);
            rest = &rest[e.len()..];
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Some(out)
}

fn has_md_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2).any(|w| w[0] == b'\\' && matches!(w[1], b'*' | b'#' | b'<' | b'>' | b'[' | b']' | b'|' | b'`'))
}

/// The record timestamp: date, optional separator (lost in some copies), clock, fraction.
/// Returns the timestamp, whether the fraction had 7 digits (Windows 10), and whether it was valid.
fn record_timestamp(i: &str) -> IResult<&str, (Option<Timestamp>, bool, bool)> {
    let (i, (y, mo, d)) = date(i)?;
    let sep_len = i.bytes().take_while(|b| *b == b'\t' || *b == b' ').count();
    let (sep, i) = (&i[..sep_len], &i[sep_len..]);
    let (i, (h, mi, s)) = clock(i)?;
    // The fraction tells a WU record from an IIS row ("date time" without one). Only copies that
    // glued date and time together (KB 902093's) also lost the milliseconds.
    let (i, frac) = if sep.is_empty() {
        opt((one_of(":."), take_while_m_n(1, 7, |c: char| c.is_ascii_digit()))).map(|f| f.map(|(_, d)| d).unwrap_or("")).parse(i)?
    } else {
        let with_fraction = (one_of(":."), take_while_m_n(1, 7, |c: char| c.is_ascii_digit())).parse(i);
        match with_fraction {
            Ok((rest, (_, frac))) => (rest, frac),
            // a classic line copied without its milliseconds keeps its tabs ("date\ttime\tPID");
            // IIS rows never have tabs, so this stays apart from them
            Err(_) if sep == "\t" && i.starts_with('\t') => (i, ""),
            Err(e) => return Err(e),
        }
    };
    // LogJoint's definition allows a "+hhmm" zone after the time
    let (i, _) = opt((one_of("+-"), take_while_m_n(4, 4, |c: char| c.is_ascii_digit()))).parse(i)?;
    let ts = Timestamp::new(y, mo, d, h, mi, s);
    let modern = frac.len() == 7;
    Ok((i, (ts, modern, ts.is_some())))
}

/// A record whose tabs and milliseconds were both lost (`2005-07-28 14:33:53 1344 74c PT ...`).
/// Without its fraction it looks like an IIS row, so it must go on with decimal PID, hex TID and
/// a component name Windows Update uses (an IIS row has an address or a method there).
fn bare_timestamp(i: &str) -> IResult<&str, (Option<Timestamp>, bool, bool)> {
    let (rest, (y, mo, d)) = date(i)?;
    let sep_len = rest.bytes().take_while(|b| *b == b'\t' || *b == b' ').count();
    if sep_len == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Space)));
    }
    let (rest, (h, mi, s)) = clock(&rest[sep_len..])?;
    match ids_and_component(rest) {
        Ok((_, (_, _, comp))) if KNOWN_COMPONENTS.contains(&comp) => {
            let ts = Timestamp::new(y, mo, d, h, mi, s);
            Ok((rest, (ts, false, ts.is_some())))
        }
        _ => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
    }
}

/// [`record_timestamp`], or a timestamp that lost its milliseconds before a whole record.
fn any_record_timestamp(i: &str) -> IResult<&str, (Option<Timestamp>, bool, bool)> {
    record_timestamp(i).or_else(|_| bare_timestamp(i))
}

/// A record copied without its date and time: `PID TID Component Message`, as some documents
/// quote Windows 10 logs (`03E4 1668 SLS Making request with URL ...`). PID and TID are hex or
/// decimal numbers, and the component must be one Windows Update uses: prose never starts so.
fn dateless_record(s: &str) -> Option<WuRecord<'_>> {
    // placeholders an article put where the date and time were (`<date> <time>`, `DateTime`)
    let mut s = s;
    for _ in 0..3 {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        if end == s.len() || !crate::formats::iis::is_time_placeholder(&s[..end]) {
            break;
        }
        s = s[end..].trim_start_matches([' ', '\t']);
    }
    let id = |c: char| c.is_ascii_hexdigit();
    let sep = |c: char| c == '\t' || c == ' ';
    if let Some(rec) = component_only_record(s) {
        return Some(rec);
    }
    let pid_len = s.find(|c: char| !id(c)).unwrap_or(s.len());
    if !(1..=8).contains(&pid_len) || !s[..pid_len].bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &s[pid_len..];
    let rest = rest.trim_start_matches(sep);
    if rest.len() == s.len() - pid_len {
        return None;
    }
    let tid_len = rest.find(|c: char| !id(c)).unwrap_or(rest.len());
    if !(1..=8).contains(&tid_len) || !rest[..tid_len].bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let tid = &rest[..tid_len];
    let after_tid = &rest[tid_len..];
    let rest = after_tid.trim_start_matches(sep);
    if rest.len() == after_tid.len() {
        return None;
    }
    let comp_len = rest.find(sep).unwrap_or(rest.len());
    let comp = &rest[..comp_len];
    if !KNOWN_COMPONENTS.contains(&comp) {
        return None;
    }
    let message = message_start(&rest[comp_len..]);
    Some(WuRecord {
        time: None,
        bad_time: false,
        pid: &s[..pid_len],
        tid,
        component: comp,
        message: if message.starts_with(' ') { message.trim_start() } else { message },
        format: WuFormat::MessageOnly,
    })
}

/// A record quoted with only its component and message columns (`Agent        * START *
/// Finding updates ...`, as Microsoft's articles print them): a known component, then the column
/// gap (a tab, or two spaces and more), then the message. Prose never starts with a component
/// name followed by a column gap.
fn component_only_record(s: &str) -> Option<WuRecord<'_>> {
    // a web page's copy pads the columns with no-break spaces
    const GAP: [char; 3] = ['\t', ' ', '\u{a0}'];
    let comp_len = s.find(GAP)?;
    let comp = &s[..comp_len];
    if !KNOWN_COMPONENTS.contains(&comp) {
        return None;
    }
    let gap = &s[comp_len..];
    let message = gap.trim_start_matches(GAP);
    let gap_chars = gap[..gap.len() - message.len()].chars().count();
    if message.is_empty() || !(gap.starts_with('\t') || gap_chars >= 2) {
        return None;
    }
    Some(WuRecord {
        time: None,
        bad_time: false,
        pid: "",
        tid: "",
        component: comp,
        message: message.trim_end(),
        format: WuFormat::MessageOnly,
    })
}

/// Is this line a record without its date and time (`03E4 1668 SLS ...`)? Used by detection.
pub fn is_dateless_record(line: &str) -> bool {
    dateless_record(line.trim_start()).is_some()
}

fn ws(i: &str) -> IResult<&str, &str> {
    take_while(|c| c == '\t' || c == ' ')(i)
}

fn token(i: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c != '\t' && c != ' ')(i)
}

/// `PID TID Component` after the timestamp, separated by tabs or spaces.
fn ids_and_component(i: &str) -> IResult<&str, (&str, &str, &str)> {
    let (i, _) = ws(i)?;
    let (i, pid) = take_while1(|c: char| c.is_ascii_digit())(i)?;
    let (i, _) = take_while1(|c| c == '\t' || c == ' ')(i)?;
    let (i, tid) = take_while1(|c: char| c.is_ascii_hexdigit())(i)?;
    let (i, _) = take_while1(|c| c == '\t' || c == ' ')(i)?;
    let (i, comp) = token(i)?;
    // component names are words ("Agent", "DnldMgr"); a number here means this was not a record
    if !comp.as_bytes()[0].is_ascii_alphabetic() {
        return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Alpha)));
    }
    Ok((i, (pid, tid, comp)))
}

/// After the component: one tab (classic) or padding spaces (Windows 10) before the message.
fn message_start(i: &str) -> &str {
    if let Some(rest) = i.strip_prefix('\t') {
        return rest;
    }
    i.strip_prefix(' ').unwrap_or(i)
}

/// Does a record timestamp start at byte `pos`?
fn timestamp_at(s: &str, pos: usize) -> bool {
    let b = s.as_bytes();
    pos + 10 <= b.len() && b[pos].is_ascii_digit() && (pos == 0 || !b[pos - 1].is_ascii_digit()) && any_record_timestamp(&s[pos..]).is_ok()
}

/// A glued record later in a line must be a whole one: timestamp, PID, TID and a component name.
/// (A `REPORT EVENT` message embeds a timestamp followed by numbers: that is not a record.)
fn structured_record_at(s: &str, pos: usize) -> bool {
    timestamp_at(s, pos) && any_record_timestamp(&s[pos..]).is_ok_and(|(rest, _)| ids_and_component(rest).is_ok())
}

/// Byte offsets where records start (more than one means records were glued together).
fn record_starts(s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    // A date needs "dddd-dd-dd": find candidate year digits quickly.
    while i + 10 <= b.len() {
        if b[i].is_ascii_digit()
            && matches!(b[i + 4], b'-' | b'/' | b'.')
            && b[i + 7] == b[i + 4]
            && (if i == 0 { timestamp_at(s, i) } else { structured_record_at(s, i) })
        {
            starts.push(i);
            i += 19;
            continue;
        }
        i += 1;
    }
    starts
}

/// Parse one physical line (already cleaned) into records. Lines without any timestamp yield
/// a single `MessageOnly` record; the caller decides whether that message means anything.
pub fn parse_line(line: &str) -> (Records<'_>, Repairs) {
    let mut repairs = Repairs::default();
    let trimmed = line.trim_start();
    if trimmed.is_empty() {
        return (Records::new(), repairs);
    }
    // Fast path: a record at the start and no second record later on the line.
    if trimmed.as_bytes()[0].is_ascii_digit() && !might_hold_second_record(trimmed) {
        if let Some(rec) = parse_record(trimmed, &mut repairs) {
            return (smallvec::smallvec![rec], repairs);
        }
    }
    let starts = record_starts(trimmed);
    if starts.is_empty() {
        if let Some(rec) = dateless_record(trimmed) {
            repairs.no_timestamp = true;
            return (smallvec::smallvec![rec], repairs);
        }
        return (
            smallvec::smallvec![WuRecord {
                time: None,
                bad_time: false,
                pid: "",
                tid: "",
                component: "",
                message: trimmed,
                format: WuFormat::MessageOnly,
            }],
            repairs,
        );
    }
    let mut out = Records::new();
    if starts[0] > 0 {
        // text before the first timestamp: the tail of a wrapped or glued record
        let head = trimmed[..starts[0]].trim();
        if !head.is_empty() {
            out.push(WuRecord {
                time: None,
                bad_time: false,
                pid: "",
                tid: "",
                component: "",
                message: head,
                format: WuFormat::MessageOnly,
            });
        }
    }
    if starts.len() > 1 {
        repairs.glued_records = true;
    }
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(trimmed.len());
        let seg = &trimmed[start..end];
        if let Some(rec) = parse_record(seg, &mut repairs) {
            out.push(rec);
        }
    }
    (out, repairs)
}

/// Cheap pre-check: a second `20xx-`/`20xx/` date later in the line.
fn might_hold_second_record(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 40 {
        return false;
    }
    // a glued record needs a date, a time and three more fields after it: 30+ bytes
    let end = b.len().saturating_sub(30).max(19);
    memchr::memchr_iter(b'2', &b[19..end]).any(|p| {
        let p = p + 19;
        b[p + 1] == b'0'
            && p + 10 <= b.len()
            && matches!(b[p + 4], b'-' | b'/' | b'.')
            && b[p + 7] == b[p + 4]
            && structured_record_at(s, p)
    })
}

fn parse_record<'a>(seg: &'a str, repairs: &mut Repairs) -> Option<WuRecord<'a>> {
    let (rest, (time, modern, valid)) = any_record_timestamp(seg).ok()?;
    let classic_tabs = rest.starts_with('\t');
    if let Ok((after, (pid, tid, comp))) = ids_and_component(rest) {
        if !modern && !classic_tabs {
            repairs.tabs_lost = true;
        }
        let message = message_start(after);
        let message = if modern { message.trim_start() } else { message };
        return Some(WuRecord {
            time,
            bad_time: !valid,
            pid,
            tid,
            component: comp,
            message,
            format: if modern { WuFormat::Modern } else { WuFormat::Classic },
        });
    }
    // Fields glued together ("992810Agent  * ..."): find a known component near the start.
    repairs.tabs_lost = true;
    let head_len = rest.len().min(48);
    let mut head_end = head_len;
    while !rest.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &rest[..head_end];
    let mut best: Option<(usize, &str)> = None;
    for comp in KNOWN_COMPONENTS {
        if let Some(p) = head.find(comp) {
            let end = p + comp.len();
            let boundary = rest[end..].starts_with([' ', '\t']) || end == rest.len();
            let digits_before = rest[..p].trim().bytes().all(|b| b.is_ascii_hexdigit() || b == b' ' || b == b'\t');
            if boundary && digits_before && best.is_none_or(|(bp, bc)| p < bp || (p == bp && comp.len() > bc.len())) {
                best = Some((p, comp));
            }
        }
    }
    let (p, comp) = best?;
    let ids = rest[..p].trim();
    let message = message_start(&rest[p + comp.len()..]);
    Some(WuRecord {
        time,
        bad_time: !valid,
        pid: ids,
        tid: "",
        component: &rest[p..p + comp.len()],
        message,
        format: if modern { WuFormat::Modern } else { WuFormat::Classic },
    })
}

/// Is this line a WindowsUpdate.log record header (timestamp at the start)? Used by detection.
pub fn starts_with_record(line: &str) -> Option<WuFormat> {
    let t = line.trim_start();
    // IIS W3C rows also start "date time", but without the fraction record_timestamp demands.
    let (_, (_, modern, _)) = any_record_timestamp(t).ok()?;
    Some(if modern { WuFormat::Modern } else { WuFormat::Classic })
}

/// The classic log's literal header row `Date Time PID TID Component Text`.
pub fn is_header_row(line: &str) -> bool {
    if !line.trim_start().starts_with("Date") {
        return false;
    }
    let mut it = line.split_whitespace();
    matches!(
        (it.next(), it.next(), it.next(), it.next(), it.next(), it.next()),
        (Some("Date"), Some("Time"), Some("PID"), Some("TID"), Some("Component"), Some("Text"))
    )
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a record (dated, glued to
/// garbage, or without its date), or the header row `Get-WindowsUpdateLog` writes.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    let t = l.t;
    if l.first.is_ascii_digit() {
        // "2023-03-14 15:40:08.391 UTC\tError" (SoftwareDistribution.log) also starts like a
        // record: the server log's probe runs first
        return starts_with_record(t).is_some()
            // a record glued to garbage or with damaged columns
            || (t.len() > 20 && (t.contains("\tAgent\t") || t.contains("\tAU\t")))
            || is_dateless_record(t);
    }
    if is_dateless_record(t) {
        return true;
    }
    // a web page's copy: entities (`&nbsp;`) and quote marks decoded first
    let clean = clean_paste(l.raw).0;
    is_header_row(clean.trim()) || (clean.as_ref() != l.raw && is_dateless_record(clean.trim()))
}

/// Detection's weak probe: a well-known client message without columns, or another tool's
/// output carrying a Windows Update HRESULT (PowerShell's "Exception from HRESULT: 0x8024401C",
/// SSM, Ansible): client-side evidence, read as a log message.
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    if l.first.is_ascii_digit() {
        // another tool's timestamped output (SSM, Packer, PSWindowsUpdate)
        return tool_output_with_wu_code(l.t);
    }
    let (clean, _) = clean_paste(l.raw);
    let msg = clean.trim();
    if events::interpret("", msg).is_some() || (msg.starts_with("Hash check on file") && msg.contains("hash values did not match")) {
        return true;
    }
    let mut wu_code = false;
    crate::codes::scan_codes(msg, |c| wu_code |= crate::codes::lookup(c).is_some());
    wu_code || tool_output_with_wu_code(msg)
}

/// A line of another tool (Ansible `win_updates`, SSM, PSWindowsUpdate, Packer) that reports a
/// Windows Update failure: a code of the client's families (0x8024xxxx, 0x8007xxxx, 0x8019xxxx,
/// 0x8020xxxx) that the catalogue knows, next to a word saying it failed.
pub fn tool_output_with_wu_code(line: &str) -> bool {
    if line.len() > 2000 {
        return false;
    }
    let scan = |text: &str| {
        let mut found = false;
        crate::codes::scan_codes(text, |c| {
            found |= matches!(c >> 16, 0x8024 | 0x8007 | 0x8019 | 0x8020) && crate::codes::lookup(c).is_some();
        });
        found
    };
    // written in decimal by .NET and PowerShell tools ("failed with error -2145107924")
    let wu_code = scan(line) || crate::formats::server_log::decimal_codes_as_hex(line).is_some_and(|hex| scan(&hex));
    if !wu_code {
        return false;
    }
    let lower = line.to_ascii_lowercase();
    ["error", "fail", "hresult", "exception"].iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_tab_separated_line_with_padded_pid() {
        let (recs, rep) = parse_line("2009-12-14\t10:23:45:123\t 992\ta4c\tAgent\t  * WSUS server: http://wsus01");
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.format, WuFormat::Classic);
        assert_eq!((r.pid, r.tid, r.component), ("992", "a4c", "Agent"));
        assert_eq!(r.message, "  * WSUS server: http://wsus01");
        assert_eq!(r.time.unwrap().to_string(), "2009-12-14 10:23:45");
        assert!(!rep.any());
    }

    #[test]
    fn windows10_space_padded_line_with_locale_dates() {
        for d in ["2017/05/26", "2018.10.21", "2024-04-11"] {
            let line = format!("{d} 08:14:02.3411765 1124  3256  ComApi          * START *   Search ClientId = UpdateOrchestrator");
            let (recs, _) = parse_line(&line);
            assert_eq!(recs.len(), 1, "{d}");
            assert_eq!(recs[0].format, WuFormat::Modern);
            assert_eq!(recs[0].component, "ComApi");
            assert_eq!(recs[0].message, "* START *   Search ClientId = UpdateOrchestrator");
        }
    }

    #[test]
    fn tabs_turned_into_spaces_still_parse() {
        let (recs, rep) = parse_line("2009-12-14 10:23:45:123  992 a4c Agent   * WSUS server: <NULL>");
        assert_eq!(recs[0].component, "Agent");
        assert_eq!(recs[0].message, "  * WSUS server: <NULL>");
        assert!(rep.tabs_lost);
    }

    #[test]
    fn glued_fields_from_kb902093_copy() {
        let (recs, _) = parse_line("2005-06-0118:30:03 992810Agent  * WSUS server: http://sus01");
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].component, "Agent");
        assert!(recs[0].message.contains("WSUS server: http://sus01"));
    }

    #[test]
    fn several_records_glued_on_one_line_are_split() {
        let line = "2009-12-14 10:23:45:123 992 a4c Setup Checking for agent SelfUpdate 2009-12-14 10:23:46:001 992 a4c Setup FATAL: IsUpdateRequired failed with error 0x80244019";
        let (recs, rep) = parse_line(line);
        assert_eq!(recs.len(), 2);
        assert!(rep.glued_records);
        assert_eq!(recs[0].message.trim(), "Checking for agent SelfUpdate");
        assert!(recs[1].message.contains("IsUpdateRequired"));
    }

    #[test]
    fn message_only_lines_are_kept_as_messages() {
        let (recs, _) = parse_line("  * WSUS server: http://wsus01:8530");
        assert_eq!(recs[0].format, WuFormat::MessageOnly);
        assert_eq!(recs[0].message, "* WSUS server: http://wsus01:8530");
    }

    #[test]
    fn impossible_time_is_flagged_not_fatal() {
        let (recs, _) = parse_line("2009-02-30\t25:61:00:000\t 992\ta4c\tAgent\tx");
        assert!(recs.is_empty() || recs[0].time.is_none());
        let (recs, _) = parse_line("2009-02-30\t10:00:00:000\t 992\ta4c\tAgent\tx");
        assert_eq!(recs.len(), 1);
        assert!(recs[0].bad_time);
    }

    #[test]
    fn markdown_and_quote_artefacts_are_cleaned() {
        let (clean, rep) = clean_paste("> 2009-12-14 10:23:45:123 992 a4c Agent \\* WARNING: Exit code = 0x80244019  |");
        assert!(rep.quote_marks && rep.markdown_escapes && rep.table_pipes);
        assert_eq!(clean, "2009-12-14 10:23:45:123 992 a4c Agent * WARNING: Exit code = 0x80244019");
        let (clean, _) = clean_paste("| 2009-12-14 | 10:23:45:123 | 992 | a4c | Agent | * WSUS server: <NULL> |");
        let (recs, _) = parse_line(&clean);
        assert_eq!(recs[0].component, "Agent");
        assert_eq!(recs[0].message, "* WSUS server: <NULL>");
    }

    #[test]
    fn report_event_with_embedded_timestamp_is_one_record() {
        let line = "2009-12-14\t10:19:53:343\t1032\td18\tReport\tREPORT EVENT: {2B9F3D1A-7C4E-4F8B-A1D6-5E3C9B7F2A10}\t2009-12-14 10:19:48:312-0500\t1\t148\t101\t{00000000-0000-0000-0000-000000000000}\t0\t80244019\tAutomaticUpdates\tFailure\tSoftware Synchronization\tWindows Update Client failed to detect with error 0x80244019.";
        let (recs, rep) = parse_line(line);
        assert_eq!(recs.len(), 1);
        assert!(!rep.glued_records);
    }

    #[test]
    fn a_record_without_date_and_time_keeps_pid_tid_and_component() {
        let (recs, rep) = parse_line("03E4 1668 Misc Send request failed, hr:0x80072f8f");
        assert_eq!(recs.len(), 1);
        assert_eq!(
            (recs[0].pid, recs[0].tid, recs[0].component, recs[0].message),
            ("03E4", "1668", "Misc", "Send request failed, hr:0x80072f8f")
        );
        assert!(recs[0].time.is_none() && rep.no_timestamp);
        let (recs, _) = parse_line("1124\t3256\tComApi\t* START *   Search ClientId = UpdateOrchestrator");
        assert_eq!(recs[0].component, "ComApi");
        let (recs, rep) = parse_line("<DateTime> 992 a4c Agent * WSUS server: http://wsus01");
        assert_eq!((recs[0].pid, recs[0].component, recs[0].message), ("992", "Agent", "* WSUS server: http://wsus01"));
        assert!(rep.no_timestamp);
        // prose and numbers that are no record
        for l in ["12 34 apples cost too much", "2 of 3 Agent machines failed", "Agent 1234 5678 x"] {
            let (recs, rep) = parse_line(l);
            assert!(recs[0].component.is_empty() && !rep.no_timestamp, "{l}");
        }
    }

    #[test]
    fn a_classic_record_without_tabs_and_milliseconds_is_not_an_iis_row() {
        let (recs, rep) = parse_line("2005-07-28 14:33:53 1344 74c PT + Caller provided credentials = No");
        assert_eq!(recs.len(), 1);
        assert_eq!((recs[0].pid, recs[0].tid, recs[0].component), ("1344", "74c", "PT"));
        assert_eq!(recs[0].time.unwrap().to_string(), "2005-07-28 14:33:53");
        assert!(rep.tabs_lost);
        assert_eq!(starts_with_record("2005-07-28 14:33:53 1344 74c PT x"), Some(WuFormat::Classic));
        assert_eq!(starts_with_record("2009-12-14 15:23:45 10.0.0.5 GET /selfupdate/wuident.cab - 80 - 10.0.1.77 x 404 0 2 15"), None);
        assert_eq!(starts_with_record("2009-12-14 15:23:45 80 10 Something else"), None);
    }

    #[test]
    fn header_row_is_recognised() {
        assert!(is_header_row("Date\tTime\tPID\tTID\tComponent\tText"));
    }
}
