//! ReportingEvents.log rows as client-log facts: whole rows, and rows whose tabs were lost or
//! that a forum wrapped over several lines (gathered until they are complete).
//!
//! The rows arrive inside a client-log section (`windowsupdate-log`): they are pasted with
//! WindowsUpdate.log lines and repaired the same way, so the WindowsUpdate.log reader holds
//! this reader and offers it each cleaned line first.

use super::{is_row, is_row_start, parse_row, parse_row_loose, ReportRow};
use crate::events;
use crate::facts::Facts;

use crate::caps::ROW_MAX_BYTES;
use crate::caps::ROW_MAX_LINES;

/// A ReportingEvents.log row that did not end on its first line.
pub struct PendingRow {
    pub n: u64,
    /// The first line as written (what evidence quotes).
    pub raw: String,
    pub text: String,
    lines: u32,
    closed: bool,
}

#[derive(Default)]
pub struct ReportingEventsReader {
    /// Rows read.
    rows: u64,
    /// Rows joined from several lines.
    wrapped: u64,
    /// Rows read by the shape of their fields (tabs lost).
    spaces: u64,
    pending: Option<PendingRow>,
}

/// One row into the facts: the client log's codes and the timeline.
fn record(facts: &mut Facts, input: &str, n: u64, raw: &str, row: &ReportRow<'_>) {
    let code = facts.client.observe_report(input, n, raw, row);
    let event = events::report_text(row.message, row.status == "Success");
    facts.timeline.client_in_zone(input, n, raw, row.time, row.zone_minutes, event.as_ref(), code);
}

impl ReportingEventsReader {
    /// A (cleaned) line holding a whole row: read it.
    pub fn line(&mut self, input: &str, n: u64, raw: &str, clean: &str, facts: &mut Facts) -> bool {
        let Some(row) = parse_row(clean.trim_start()) else { return false };
        self.rows += 1;
        record(facts, input, n, raw, &row);
        true
    }

    /// A line that starts a row which may go on over the next lines: kept until it ends.
    pub fn start(&mut self, n: u64, raw: &str, clean: &str) -> bool {
        if !is_row_start(clean.trim_start()) {
            return false;
        }
        self.pending = Some(PendingRow { n, raw: raw.to_string(), text: clean.trim().to_string(), lines: 1, closed: false });
        true
    }

    /// Whether a row is waiting for its next line.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// The next (trimmed, cleaned) line while a row waits: whether it continued the row.
    /// `starts_record` says whether the line starts a client-log record (asked only when needed).
    pub fn extend(&mut self, t: &str, starts_record: impl FnOnce(&str) -> bool) -> bool {
        let Some(row) = self.pending.as_mut() else { return false };
        let complete = parse_row_loose(&row.text).is_some_and(|r| !r.message.is_empty());
        let tail = !row.closed
            && !complete
            && row.lines < ROW_MAX_LINES
            && row.text.len() + t.len() < ROW_MAX_BYTES
            && !is_row_start(t)
            && !is_row(t)
            && !starts_record(t);
        if tail {
            row.text.push(' ');
            row.text.push_str(t);
            row.lines += 1;
        }
        tail
    }

    /// Read the waiting row. A row that turns out not to be one is handed back, to be read as
    /// log text.
    pub fn flush(&mut self, input: &str, facts: &mut Facts) -> Option<PendingRow> {
        let row = self.pending.take()?;
        let Some(r) = parse_row_loose(&row.text) else { return Some(row) };
        self.rows += 1;
        if row.lines > 1 {
            self.wrapped += 1;
        } else {
            self.spaces += 1;
        }
        record(facts, input, row.n, &row.raw, &r);
        None
    }

    /// A blank or unrecognised line came: a waiting row cannot continue.
    pub fn gap(&mut self) {
        if let Some(r) = self.pending.as_mut() {
            r.closed = true;
        }
    }

    /// The rows read, for the notes (before the repairs).
    pub fn note(&self, notes: &mut Vec<String>) {
        if self.rows > 0 {
            notes.push(format!("{} ReportingEvents.log row(s) read (event id, HRESULT column, status and message)", self.rows));
        }
    }

    /// The repairs made, for the client log's list of repairs.
    pub fn repairs(&self, add: &mut dyn FnMut(u64, &str)) {
        add(self.wrapped, "ReportingEvents.log row(s) were wrapped over several lines and were joined");
        add(self.spaces, "ReportingEvents.log row(s) had lost their tabs and were read by the shape of their fields");
    }
}
