//! Evidence in context: the few lines around each evidence line, collected in one streaming
//! pass over an input so even a 50 MB log costs one extra read, not one per finding. Binary
//! inputs (ETL) are decoded again the same way, so an event's neighbours are events.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
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

/// Lines `from..=to` of one input, for the input viewer (records for a binary input).
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
}

/// Viewer lines are cut to this many characters (the evidence line itself is never longer than
/// what the report cites; a hostile 1 MB line must not become 1 MB of DOM).
pub const MAX_VIEW_CHARS: usize = 2000;

/// Streams one input and keeps lines `from..=to`; says when it has all it needs, so the worker
/// stops reading a big file early.
pub struct LineCollector {
    records: RecordReader,
    window: LineWindow,
    last_seen: u64,
    /// The member to read when the input is a zip bundle (`pc1/WindowsUpdate.log`).
    member: Option<String>,
}

impl LineCollector {
    pub fn new(name: &str, member: Option<&str>, from: u64, to: u64) -> Self {
        let window = LineWindow { name: name.to_string(), from, to, ..LineWindow::default() };
        LineCollector { records: RecordReader::new(), window, last_seen: 0, member: member.map(str::to_string) }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let (w, last) = (&mut self.window, &mut self.last_seen);
        self.records.push(bytes, &mut |n, l| keep_window(w, last, n, l));
    }

    pub fn done(&self) -> bool {
        self.last_seen >= self.window.to
    }

    pub fn finish(mut self) -> LineWindow {
        let (w, last) = (&mut self.window, &mut self.last_seen);
        self.records.finish(&mut |n, l| keep_window(w, last, n, l));
        if let Some(zip) = self.records.take_archive() {
            match &self.member {
                // the member's lines, decoded like any input (the zip is held whole already)
                Some(member) => {
                    let (w, last) = (&mut self.window, &mut self.last_seen);
                    let mut found = false;
                    wsus_doctor_core::archive::read_zip(&zip, &mut |name, reader| {
                        if name != member.as_str() {
                            return 0;
                        }
                        found = true;
                        member_lines(reader, &mut |n, l| keep_window(w, last, n, l))
                    });
                    if !found {
                        self.window.error = Some(format!("{member} is not in this zip."));
                    }
                }
                None => {
                    self.window.error =
                        Some("This is an archive: its members are inputs of their own (open one from a finding or the timeline).".into());
                }
            }
        } else if let Some(e) = self.records.error() {
            self.window.error = Some(e.to_string());
        }
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

fn keep_window(w: &mut LineWindow, last: &mut u64, n: u64, l: &str) {
    *last = n;
    if (w.from..=w.to).contains(&n) {
        w.lines.push((n, l.chars().take(MAX_VIEW_CHARS).collect()));
    }
}
