//! One input: its state while it is read (the reader of its records and the router of its
//! lines), and what was read from it, for the report: kind, line counts, encoding, sections, and
//! every repair or skip in the admin's words. Below [`crate::analysis`], which holds the inputs.

use crate::decode::{Lines, TextEncoding};
use crate::facts::Facts;
use crate::records::RecordReader;
use crate::report::InputSummary;
use crate::router::SectionRouter;
use crate::size::human_bytes;

/// Limits that protect the caller from runaway input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Inputs larger than this are refused with a clear message (`None`: no limit).
    pub max_input_bytes: Option<u64>,
}

/// One input's state: the reader of its records and the router of its lines.
pub(crate) struct InputState {
    pub records: RecordReader,
    pub router: SectionRouter,
    /// Bytes fed so far (whatever the format).
    pub fed: u64,
    /// Set for a member of a zip bundle (members are not opened as bundles again).
    pub in_archive: bool,
    /// Why a bundle inside a bundle was not opened.
    pub nested: Option<String>,
    pub finished: bool,
    pub too_big: bool,
}

impl InputState {
    pub(crate) fn push(&mut self, bytes: &[u8], facts: &mut Facts) {
        let InputState { records, router, .. } = self;
        if let Some(bytes) = records.sniff(bytes) {
            Self::decided(records, router, facts);
            records.push_decided(&bytes, &mut ToRouter { router, facts });
        }
    }

    /// The format is known: a binary format's records are all of one kind (no detection per
    /// record), and its evidence cites record numbers.
    fn decided(records: &RecordReader, router: &mut SectionRouter, facts: &mut Facts) {
        if records.format().is_some() && !router.binary {
            router.binary = true;
            router.forced = router.forced.or(records.kind());
            facts.record_inputs.push(router.name.clone());
        }
    }

    pub(crate) fn finish(&mut self, facts: &mut Facts) {
        let InputState { records, router, .. } = self;
        let head = records.sniff_rest();
        Self::decided(records, router, facts);
        records.push_decided(&head, &mut ToRouter { router, facts });
        records.finish_lines(&mut ToRouter { router, facts });
        router.finish(facts);
    }
}

/// An input's lines to its router: one at a time, or a run the open section's reader takes whole.
struct ToRouter<'a> {
    router: &'a mut SectionRouter,
    facts: &'a mut Facts,
}

impl Lines for ToRouter<'_> {
    fn line(&mut self, n: u64, text: &str) -> bool {
        self.router.line(n, text, self.facts);
        self.router.takes_runs()
    }

    fn run(&mut self, first: u64, bytes: &[u8]) -> (usize, u64) {
        self.router.run(first, bytes, self.facts)
    }
}

impl InputState {
    pub fn name(&self) -> &str {
        &self.router.name
    }
}

pub(crate) fn summarise(st: &InputState, limits: &Limits) -> InputSummary {
    let r = &st.router;
    let s = &st.records.splitter.stats;
    let mut notes = Vec::new();
    let mut error = None;
    if st.too_big {
        let max = human_bytes(limits.max_input_bytes.unwrap_or(0));
        let read = st.fed;
        error = Some(if read == 0 {
            format!(
                "{}: larger than the {max} limit; it was not diagnosed (raise the limit, or cut the log to the days around the problem)",
                st.name()
            )
        } else {
            // a stream has no size up front: what came before the limit was already diagnosed
            format!(
                "{}: larger than the {max} limit; only its first {} (up to line {}) were diagnosed, the rest was not read (raise the limit, or cut the log to the days around the problem)",
                st.name(),
                human_bytes(read),
                st.records.count()
            )
        });
    } else if let Some(e) = st.records.error() {
        error = Some(format!("{}: {e}", st.name()));
    } else if let Some(e) = st.nested.as_ref() {
        error = Some(format!("{}: {e}", st.name()));
    } else if let Some(e) = st.records.splitter.error().filter(|_| st.records.format().is_none()) {
        error = Some(e.message(st.name()));
    }
    if error.is_none() {
        if st.records.format().is_some() {
            st.records.notes(&mut notes);
        } else if let Some(forced) = r.forced {
            notes.push(format!("read as {forced} as requested (content detection skipped)"));
        }
        let enc = st.records.splitter.encoding();
        if s.cp1252_lines > 0 {
            notes.push(format!(
                "{} line(s) were not valid UTF-8 and were read as Windows-1252, first at line {}",
                s.cp1252_lines,
                s.first_cp1252_line.unwrap_or(0)
            ));
        }
        if matches!(enc, TextEncoding::Utf16LeNoBom | TextEncoding::Utf16BeNoBom) {
            notes.push(format!("no byte-order mark: read as {} from its byte pattern", enc.label()));
        }
        if let Some(line) = s.utf8_after_utf16_line {
            notes.push(format!(
                "UTF-8 text follows the UTF-16 text from line {line} (two exports joined into one file); it was read as UTF-8"
            ));
        }
        if s.odd_trailing_byte {
            notes.push("the UTF-16 text ends with half a character (odd byte count); the last byte was replaced".into());
        }
        if s.nul_bytes > 0 {
            notes.push(format!("{} NUL byte(s) removed, first on line {}", s.nul_bytes, s.first_nul_line.unwrap_or(0)));
        }
        if s.truncated_lines > 0 {
            notes.push(format!(
                "{} line(s) longer than {} were cut to that length, first at line {}",
                s.truncated_lines,
                human_bytes(crate::decode::MAX_LINE_BYTES as u64),
                s.first_truncated_line.unwrap_or(0)
            ));
        }
        if s.cr_only_endings > 0 {
            notes.push(format!("{} line(s) ended with a bare CR (old Mac-style line ends)", s.cr_only_endings));
        }
        r.notes(&mut notes);
        if r.sections_cut > 0 {
            notes.push(format!(
                "{} more change(s) of evidence kind are not listed as sections (the first {} are)",
                r.sections_cut,
                crate::router::MAX_SECTIONS
            ));
        }
    }
    InputSummary {
        name: st.name().to_string(),
        kind: if error.is_some() || (st.records.format().is_some() && st.records.count() == 0) { None } else { r.main_kind() },
        lines: st.records.count(),
        unrecognised: r.unrecognised,
        first_unrecognised: r.first_unrecognised,
        encoding: (error.is_none() && st.records.format().is_none()).then(|| st.records.splitter.encoding().label().to_string()),
        format: st.records.format().map(str::to_string),
        sections: if r.sections.len() > 1 { r.sections.clone() } else { Vec::new() },
        notes,
        error,
    }
}
