//! Evidence in context: the few lines around each evidence line, collected in one streaming
//! pass over an input so even a 50 MB log costs one extra read, not one per finding. Binary
//! inputs (ETL) are decoded again the same way, so an event's neighbours are events.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wsus_doctor_core::find::{Finder, Found, Slicer, Target};
use wsus_doctor_core::lines::{Level, LineClock};
use wsus_doctor_core::records::RecordReader;
use wsus_doctor_core::Report;

/// Lines shown before and after an evidence line.
pub const RADIUS: u64 = 3;
/// Context lines are cut to this many characters.
const MAX_CONTEXT_CHARS: usize = 300;

/// What the worker sends back: the core's report plus context lines per input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebResult {
    pub report: Option<Report>,
    /// input name → line number → text
    pub context: BTreeMap<String, BTreeMap<u64, String>>,
}

/// Which line numbers of which input are wanted.
pub fn wanted_lines(report: &Report) -> BTreeMap<String, BTreeSet<u64>> {
    let mut w: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for f in &report.findings {
        for e in &f.evidence {
            let set = w.entry(e.input.clone()).or_default();
            for l in e.line.saturating_sub(RADIUS).max(1)..=e.line + RADIUS {
                set.insert(l);
            }
        }
    }
    w
}

/// Streams one input again and keeps only the wanted lines.
pub struct ContextCollector {
    records: RecordReader,
    wanted: BTreeSet<u64>,
    pub lines: BTreeMap<u64, String>,
}

impl ContextCollector {
    pub fn new(wanted: BTreeSet<u64>) -> Self {
        ContextCollector { records: RecordReader::new(), wanted, lines: BTreeMap::new() }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let (wanted, lines) = (&self.wanted, &mut self.lines);
        self.records.push(bytes, &mut |n, l| keep(wanted, lines, n, l));
    }

    pub fn finish(mut self) -> BTreeMap<u64, String> {
        let (wanted, lines) = (&self.wanted, &mut self.lines);
        self.records.finish(&mut |n, l| keep(wanted, lines, n, l));
        self.lines
    }

    /// For a zip bundle: the wanted lines of its members (`members`: path in the zip → lines),
    /// each member decoded again as the diagnosis did. Returns path → line → text.
    pub fn finish_members(mut self, members: &BTreeMap<String, BTreeSet<u64>>) -> BTreeMap<String, BTreeMap<u64, String>> {
        let mut out = BTreeMap::new();
        self.records.finish(&mut |_, _| {});
        let Some(zip) = self.records.take_archive() else { return out };
        wsus_doctor_core::archive::read_zip(&zip, &mut |name, reader| {
            let Some(wanted) = members.get(name) else { return 0 };
            let mut lines = BTreeMap::new();
            let read = member_lines(reader, &mut |n, l| keep(wanted, &mut lines, n, l));
            out.insert(name.to_string(), lines);
            read
        });
        out
    }
}

fn keep(wanted: &BTreeSet<u64>, lines: &mut BTreeMap<u64, String>, n: u64, l: &str) {
    if wanted.contains(&n) {
        lines.insert(n, l.chars().take(MAX_CONTEXT_CHARS).collect());
    }
}

/// Lines `from..=to` of one input, for the input viewer (records for a binary input); or, for an
/// input merged in, its lines of a time range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineWindow {
    pub name: String,
    pub from: u64,
    pub to: u64,
    pub lines: Vec<(u64, String)>,
    /// The input ended before `to` (so `lines` ends where the input does).
    pub ended: bool,
    /// Why nothing can be shown (an archive, an unreadable input).
    pub error: Option<String>,
    /// The zone the log stated before these lines (minutes east of UTC), so their times are
    /// read in UTC though the `Logging initialized` line is not among them.
    #[serde(default)]
    pub zone: i64,
    /// An input merged in had more lines in the time range than were read (the first
    /// [`wsus_doctor_core::find::MAX_SLICE_LINES`] are `lines`).
    #[serde(default)]
    pub more: bool,
    /// The time range an input merged in was read for (UTC seconds, `None`: no bound); `None`
    /// for a view's lines. The page takes only the answer to the range it asked for last.
    #[serde(default)]
    pub range: Option<(Option<i64>, Option<i64>)>,
}

/// Viewer lines are cut to this many characters (the evidence line itself is never longer than
/// what the report cites; a hostile 1 MB line must not become 1 MB of DOM).
pub const MAX_VIEW_CHARS: usize = 2000;

/// One input's lines as its bytes are pushed: a text or binary input's records, or, when the
/// input is a zip bundle, those of its member `member` (the zip is held whole until it ends, as
/// the diagnosis holds it). What the viewer's worker jobs read through.
pub struct InputLines {
    records: RecordReader,
    /// The member to read when the input is a zip bundle (`pc1/WindowsUpdate.log`).
    member: Option<String>,
}

impl InputLines {
    pub fn new(member: Option<&str>) -> Self {
        InputLines { records: RecordReader::new(), member: member.map(str::to_string) }
    }

    pub fn feed(&mut self, bytes: &[u8], sink: &mut dyn FnMut(u64, &str)) {
        self.records.push(bytes, sink);
    }

    /// The last lines (a zip member's, all of them); why none could be read, if so.
    pub fn finish(&mut self, sink: &mut dyn FnMut(u64, &str)) -> Option<String> {
        self.records.finish(sink);
        if let Some(zip) = self.records.take_archive() {
            let Some(member) = &self.member else {
                return Some("This is an archive: its members are inputs of their own (open one from a finding or the timeline).".into());
            };
            // the member's lines, decoded like any input (the zip is held whole already)
            let mut found = false;
            wsus_doctor_core::archive::read_zip(&zip, &mut |name, reader| {
                if name != member.as_str() {
                    return 0;
                }
                found = true;
                member_lines(reader, sink)
            });
            return (!found).then(|| format!("{member} is not in this zip."));
        }
        self.records.error()
    }
}

/// Streams one input and keeps lines `from..=to`; says when it has all it needs, so the worker
/// stops reading a big file early.
pub struct LineCollector {
    lines: InputLines,
    window: LineWindow,
    last_seen: u64,
    /// The zone stated before line `from`.
    clock: LineClock,
}

impl LineCollector {
    pub fn new(name: &str, member: Option<&str>, from: u64, to: u64) -> Self {
        let window = LineWindow { name: name.to_string(), from, to, ..LineWindow::default() };
        LineCollector { lines: InputLines::new(member), window, last_seen: 0, clock: LineClock::default() }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let (w, last, clock) = (&mut self.window, &mut self.last_seen, &mut self.clock);
        self.lines.feed(bytes, &mut |n, l| keep_window(w, last, clock, n, l));
    }

    pub fn done(&self) -> bool {
        self.last_seen >= self.window.to
    }

    pub fn finish(mut self) -> LineWindow {
        let (w, last, clock) = (&mut self.window, &mut self.last_seen, &mut self.clock);
        let error = self.lines.finish(&mut |n, l| keep_window(w, last, clock, n, l));
        self.window.error = error;
        self.window.zone = self.clock.zone;
        self.window.ended = self.last_seen < self.window.to;
        self.window
    }
}

/// Stream one zip member through the records stage, line by line; returns the bytes read.
pub fn member_lines(reader: &mut dyn std::io::Read, sink: &mut dyn FnMut(u64, &str)) -> u64 {
    let mut records = RecordReader::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                total += n as u64;
                records.push(&buf[..n], sink);
            }
        }
    }
    records.finish(sink);
    total
}

fn keep_window(w: &mut LineWindow, last: &mut u64, clock: &mut LineClock, n: u64, l: &str) {
    *last = n;
    if n < w.from {
        clock.note(l);
    } else if n <= w.to {
        w.lines.push((n, l.chars().take(MAX_VIEW_CHARS).collect()));
    }
}

/// The worker's "find" job for the input viewer: the next (or previous) line of one input that
/// holds a search term or is an error, read through the whole input, not the viewer's window.
#[wasm_bindgen]
pub struct LineFind {
    lines: InputLines,
    finder: Option<Finder>,
    name: String,
}

/// What the find job answers: the input and the core's [`Found`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FindAnswer {
    pub name: String,
    #[serde(flatten)]
    pub found: Found,
    /// Why the input could not be read.
    pub error: Option<String>,
}

#[wasm_bindgen]
impl LineFind {
    /// A search of `term` (ASCII case ignored), or, when `level` is `error` or `warning`, of lines
    /// of that severity, after line `from` (`forward`) or before it. `member`: the path inside
    /// the zip when `name` is a zip member (else empty).
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, member: &str, from: f64, forward: bool, term: &str, level: &str) -> LineFind {
        let target = match level {
            "error" => Target::Level(Level::Error),
            "warning" => Target::Level(Level::Warning),
            _ => Target::Text(term.to_string()),
        };
        let member = Some(member).filter(|m| !m.is_empty());
        LineFind {
            lines: InputLines::new(member),
            finder: Some(Finder::new(target, from.max(0.0) as u64, forward)),
            name: name.to_string(),
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let Some(f) = self.finder.as_mut() else { return };
        self.lines.feed(bytes, &mut |n, l| f.line(n, l));
    }

    /// The line is found (or every line before `from` read): the rest of the file need not be.
    pub fn done(&self) -> bool {
        self.finder.as_ref().is_none_or(Finder::done)
    }

    pub fn finish_json(&mut self) -> String {
        let Some(mut f) = self.finder.take() else { return String::new() };
        let error = self.lines.finish(&mut |n, l| f.line(n, l));
        let answer = FindAnswer { name: std::mem::take(&mut self.name), found: f.finish(), error };
        serde_json::to_string(&answer).unwrap_or_default()
    }
}

/// The worker's "slice" job for the merged view: the lines of an input merged in that were
/// written in the time range of the window opened ([`Slicer`]), as a [`LineWindow`].
#[wasm_bindgen]
pub struct TimeSlice {
    lines: InputLines,
    slicer: Option<Slicer>,
    name: String,
    range: (Option<i64>, Option<i64>),
}

#[wasm_bindgen]
impl TimeSlice {
    /// `start`, `end`: UTC seconds, both included; an infinite one is no bound.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, member: &str, start: f64, end: f64) -> TimeSlice {
        let bound = |t: f64| t.is_finite().then_some(t as i64);
        let member = Some(member).filter(|m| !m.is_empty());
        let range = (bound(start), bound(end));
        TimeSlice {
            lines: InputLines::new(member),
            slicer: Some(Slicer::new(range.0, range.1, MAX_VIEW_CHARS)),
            name: name.to_string(),
            range,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let Some(s) = self.slicer.as_mut() else { return };
        self.lines.feed(bytes, &mut |n, l| s.line(n, l));
    }

    /// As many lines as are kept were read, and more are in the range.
    pub fn done(&self) -> bool {
        self.slicer.as_ref().is_none_or(Slicer::done)
    }

    pub fn finish_json(&mut self) -> String {
        let Some(mut s) = self.slicer.take() else { return String::new() };
        let error = self.lines.finish(&mut |n, l| s.line(n, l));
        let slice = s.finish();
        let (from, to) = (slice.lines.first().map_or(0, |l| l.0), slice.lines.last().map_or(0, |l| l.0));
        let w = LineWindow {
            name: std::mem::take(&mut self.name),
            from,
            to,
            lines: slice.lines,
            ended: !slice.more,
            error,
            zone: slice.zone,
            more: slice.more,
            range: Some(self.range),
        };
        serde_json::to_string(&w).unwrap_or_default()
    }
}
