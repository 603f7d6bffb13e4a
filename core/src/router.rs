//! The section router: decides, line by line, which format's reader a line belongs to.
//!
//! A paste can hold a registry export, then log lines, then IIS rows. The open section's reader
//! gets the first try at each line (the fast path: one parse per line); a line it does not take
//! is classified by [`crate::detect`] and handed to the reader of its kind. Strong signals (a
//! timestamped record, a `#Fields:` header, `[HKEY_...]`) open a new section; weak ones only when
//! none is open. Lines nobody takes are counted and the first few quoted.

use crate::detect;
use crate::facts::Facts;
use crate::kind::InputKind;
use crate::readers::{Reader, Readers, QUOTED};
use crate::report::Section;

pub use crate::caps::MAX_SECTIONS;

/// Distinct codes kept from unrecognised lines, for the note.
const MAX_NAMED_CODES: usize = 8;

/// Routes one input's lines to its readers and keeps the per-input tallies.
pub struct SectionRouter {
    /// The input's unique display name (cited by evidence).
    pub name: String,
    /// Kind forced by the user: detection is skipped.
    pub forced: Option<InputKind>,
    current: Option<InputKind>,
    pub sections: Vec<Section>,
    /// Kind switches past [`MAX_SECTIONS`] (not listed).
    pub sections_cut: u64,
    /// Recognised lines per kind, indexed like [`InputKind::ALL`] (a map lookup per line showed in profiles).
    pub lines_by_kind: [u64; InputKind::ALL.len()],
    pub unrecognised: u64,
    pub first_unrecognised: Option<u64>,
    quoted: Vec<String>,
    /// Failure codes named in unrecognised lines (prose around a paste, a link), with the first
    /// line naming each: said in the notes, not read as records.
    named_codes: Vec<(u32, u64)>,
    pub readers: Readers,
    /// The input is a binary format (set once, when the records stage decides it).
    pub binary: bool,
    /// Whether runs of whole lines are taken (off only to test them against the line-by-line path).
    pub(crate) runs: bool,
    /// Lines taken in runs.
    pub(crate) run_lines: u64,
}

impl SectionRouter {
    pub fn new(name: String, forced: Option<InputKind>) -> Self {
        SectionRouter {
            name,
            forced,
            current: forced,
            sections: Vec::new(),
            sections_cut: 0,
            lines_by_kind: [0; InputKind::ALL.len()],
            unrecognised: 0,
            first_unrecognised: None,
            quoted: Vec::new(),
            named_codes: Vec::new(),
            readers: Readers::default(),
            binary: false,
            runs: true,
            run_lines: 0,
        }
    }

    /// One physical line.
    pub fn line(&mut self, n: u64, raw: &str, facts: &mut Facts) {
        // a line starting with a printable ASCII byte is not blank (most lines: no trim needed)
        let blank = !raw.as_bytes().first().is_some_and(u8::is_ascii_graphic) && raw.trim().is_empty();
        if blank {
            if let Some(cur) = self.current {
                self.readers.get(cur).blank(&self.name, n, raw, facts);
            }
            self.readers.wulog.gap();
            return;
        }
        // Fast path: a line the open section's reader understands stays in it.
        if self.forced.is_none() {
            if let Some(cur) = self.current {
                if self.readers.line(cur, &self.name, n, raw, facts) {
                    self.enter(cur, n);
                    return;
                }
            }
        }
        let kind = match self.forced {
            Some(k) => Some(k),
            None => {
                let class = detect::classify(raw);
                match (class, self.current) {
                    (Some(c), Some(cur)) if c.kind != cur && c.strong => Some(c.kind),
                    (Some(c), None) => Some(c.kind),
                    (_, cur) => cur,
                }
            }
        };
        let Some(kind) = kind else {
            self.unrecognised(n, raw);
            facts.observe_loose(&self.name, n, raw);
            return;
        };
        let already_tried = self.forced.is_none() && Some(kind) == self.current;
        let recognised = !already_tried && self.readers.line(kind, &self.name, n, raw, facts);
        if !recognised && self.forced.is_none() {
            // a weak line of another kind inside this section
            if let Some(c) = detect::classify(raw) {
                if c.kind != kind && self.readers.line(c.kind, &self.name, n, raw, facts) {
                    self.enter(c.kind, n);
                    return;
                }
            }
        }
        if recognised {
            self.enter(kind, n);
        } else {
            self.unrecognised(n, raw);
            // systeminfo, winver, Get-ComputerInfo: no reader's, read for the server's build
            facts.observe_loose(&self.name, n, raw);
        }
    }

    /// A run of whole lines straight from the input's bytes (see [`crate::decode::Lines::run`]),
    /// taken only inside an open IIS section whose rows the IIS lane reads: every line it takes
    /// is one [`Self::line`] would have given the IIS reader, counted and sectioned the same way.
    pub fn run(&mut self, first: u64, bytes: &[u8], facts: &mut Facts) -> (usize, u64) {
        let iis = InputKind::IisLog;
        if !self.takes_runs() {
            return (0, 0);
        }
        let (used, rows) = self.readers.iis.rows(&self.name, first, bytes, facts);
        if rows > 0 {
            self.run_lines += rows;
            self.lines_by_kind[iis.index()] += rows;
            if self.sections_cut == 0 {
                if let Some(s) = self.sections.last_mut() {
                    s.last_line = first + rows - 1;
                }
            }
        }
        (used, rows)
    }

    /// Whether [`Self::run`] would take lines now: an IIS section is open.
    #[inline]
    pub fn takes_runs(&self) -> bool {
        let iis = InputKind::IisLog;
        self.runs && self.current == Some(iis) && !self.sections.is_empty() && self.forced.is_none_or(|k| k == iis)
    }

    /// Count a recognised line and open or extend its section.
    fn enter(&mut self, kind: InputKind, n: u64) {
        self.lines_by_kind[kind.index()] += 1;
        if self.current != Some(kind) || self.sections.is_empty() {
            self.current = Some(kind);
            if self.sections.len() < MAX_SECTIONS {
                self.sections.push(Section { kind, first_line: n, last_line: n });
            } else {
                // a paste that switches kind on every line would list a section per line
                self.sections_cut += 1;
            }
        } else if self.sections_cut > 0 {
            // past the cap the listed sections stay as they were
        } else if let Some(s) = self.sections.last_mut() {
            s.last_line = n;
        }
    }

    fn unrecognised(&mut self, n: u64, raw: &str) {
        self.unrecognised += 1;
        self.first_unrecognised.get_or_insert(n);
        if self.named_codes.len() < MAX_NAMED_CODES {
            let named = &mut self.named_codes;
            crate::codes::scan_codes(raw, |c| {
                if crate::codes::lookup(c).is_some() && named.len() < MAX_NAMED_CODES && !named.iter().any(|(x, _)| *x == c) {
                    named.push((c, n));
                }
            });
        }
        if self.quoted.len() < QUOTED {
            let t: String = raw.trim().chars().take(80).collect();
            self.quoted.push(format!("line {n}: {t}"));
        }
        self.readers.wulog.gap();
    }

    /// The input ended: readers flush, and lines they take back are recounted as unrecognised.
    pub fn finish(&mut self, facts: &mut Facts) {
        for kind in InputKind::ALL {
            for line in self.readers.get(kind).finish(&self.name, facts) {
                self.unrecognised += 1;
                self.first_unrecognised = Some(self.first_unrecognised.map_or(line, |f| f.min(line)));
                let c = &mut self.lines_by_kind[kind.index()];
                *c = c.saturating_sub(1);
            }
        }
    }

    /// The kind with most recognised lines (the input's kind in the report).
    pub fn main_kind(&self) -> Option<InputKind> {
        self.forced.or_else(|| {
            InputKind::ALL.into_iter().filter(|k| self.lines_by_kind[k.index()] > 0).max_by_key(|k| self.lines_by_kind[k.index()])
        })
    }

    /// Every reader's notes, then the unrecognised lines.
    pub fn notes(&self, notes: &mut Vec<String>) {
        for r in self.readers.all() {
            r.notes(notes);
        }
        if !self.named_codes.is_empty() {
            // named and meant, so a prose-only paste still tells the admin what its code is
            let list: Vec<String> = self
                .named_codes
                .iter()
                .map(|(c, n)| match crate::codes::lookup(*c) {
                    Some(e) => format!("0x{c:08X} (line {n}: {}, {})", e.name, e.meaning),
                    None => format!("0x{c:08X} (line {n})"),
                })
                .collect();
            notes.push(format!(
                "failure codes named in lines that are not records (a sentence or a link around the evidence), not counted as the machine's: {}",
                list.join(", ")
            ));
        }
        if self.unrecognised > 0 {
            notes.push(format!(
                "{} line(s) not recognised, first at line {}: {}",
                self.unrecognised,
                self.first_unrecognised.unwrap_or(0),
                self.quoted.join(" | ")
            ));
        }
    }
}
