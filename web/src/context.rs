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
}

fn keep(wanted: &BTreeSet<u64>, lines: &mut BTreeMap<u64, String>, n: u64, l: &str) {
    if wanted.contains(&n) {
        lines.insert(n, l.chars().take(MAX_CONTEXT_CHARS).collect());
    }
}
