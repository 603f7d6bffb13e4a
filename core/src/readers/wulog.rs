//! WindowsUpdate.log (classic and Windows 10/11) as a [`Reader`]: repairs damaged pastes,
//! joins wrapped records, and counts every repair for the input's notes.

use super::Reader;
use crate::codes;
use crate::detect;
use crate::facts::Facts;
use crate::kind::InputKind;
use crate::reporting;
use crate::wulog::{self, events, WuFormat};

/// How many repairs of each sort were made (each is reported in the notes).
#[derive(Default)]
struct RepairCounts {
    quote_marks: u64,
    markdown_escapes: u64,
    table_pipes: u64,
    glued_records: u64,
    tabs_lost: u64,
    wrapped: u64,
    message_only: u64,
    bullets: u64,
    inline_code: u64,
    html: u64,
}

#[derive(Default)]
pub struct WuLogReader {
    repairs: RepairCounts,
    bad_times: u64,
    first_bad_time: Option<u64>,
    /// The previous line was a long record, so a column-less line after it may be its tail.
    last_line_was_long_record: bool,
    /// ReportingEvents.log rows read (their own format, same facts).
    report_rows: u64,
}

impl Reader for WuLogReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let (clean, rep) = wulog::clean_paste(raw);
        if wulog::is_header_row(&clean) {
            return true;
        }
        if let Some(row) = reporting::parse_row(clean.trim_start()) {
            self.report_rows += 1;
            let code = facts.client.observe_report(input, n, raw, &row);
            let event = events::report_text(row.message, row.status == "Success");
            facts.timeline.client_in_zone(input, n, raw, row.time, row.zone_minutes, event.as_ref(), code);
            return true;
        }
        let (records, rep2) = wulog::parse_line(&clean);
        let was_long = self.last_line_was_long_record;
        self.last_line_was_long_record = false;
        if records.is_empty() {
            return false;
        }
        let mut any = false;
        let mut structured = false;
        for rec in &records {
            let event = events::interpret(rec.component, rec.message);
            if rec.format == WuFormat::MessageOnly {
                let mut codes_here = false;
                codes::scan_codes(rec.message, |_| codes_here = true);
                if event.is_none() && !codes_here && !was_long {
                    continue; // an unknown line without columns: not ours to claim
                }
                if event.is_none() && !codes_here {
                    // a possible wrapped tail: unless it is clearly another kind of evidence
                    if detect::classify(raw).is_some_and(|c| c.strong && c.kind != InputKind::WindowsupdateLog) {
                        continue;
                    }
                }
                if event.is_none() && was_long {
                    self.repairs.wrapped += 1;
                } else {
                    self.repairs.message_only += 1;
                }
            } else {
                structured = true;
                if rec.bad_time {
                    self.bad_times += 1;
                    self.first_bad_time.get_or_insert(n);
                }
            }
            let code = facts.client.observe(input, n, raw, rec, event.as_ref());
            facts.timeline.client(input, n, raw, rec.time, event.as_ref(), code);
            any = true;
        }
        if any {
            let r = |b: bool| u64::from(b);
            self.repairs.quote_marks += r(rep.quote_marks);
            self.repairs.markdown_escapes += r(rep.markdown_escapes);
            self.repairs.table_pipes += r(rep.table_pipes);
            self.repairs.glued_records += r(rep2.glued_records);
            self.repairs.tabs_lost += r(rep2.tabs_lost);
            self.repairs.bullets += r(rep.bullets);
            self.repairs.inline_code += r(rep.inline_code);
            self.repairs.html += r(rep.html);
            self.last_line_was_long_record = structured && raw.len() >= 100;
        }
        any
    }

    fn gap(&mut self) {
        self.last_line_was_long_record = false;
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.report_rows > 0 {
            notes.push(format!("{} ReportingEvents.log row(s) read (event id, HRESULT column, status and message)", self.report_rows));
        }
        let r = &self.repairs;
        let mut repaired = Vec::new();
        let mut add = |n: u64, what: &str| {
            if n > 0 {
                repaired.push(format!("{n} {what}"));
            }
        };
        add(r.quote_marks, "line(s) had quote marks ('> ') removed");
        add(r.markdown_escapes, "line(s) had markdown escapes (\\*) removed");
        add(r.table_pipes, "line(s) had table pipes ('|') removed");
        add(r.glued_records, "line(s) held several records glued together and were split");
        add(r.tabs_lost, "line(s) had lost their tabs and were split on spaces");
        add(r.wrapped, "line(s) continued a wrapped record");
        add(r.message_only, "line(s) held only the message column and were read as messages");
        add(r.bullets, "line(s) had list bullets removed");
        add(r.inline_code, "line(s) had markdown code or emphasis marks around them removed");
        add(r.html, "line(s) came from a web page (HTML tags such as <br /> and entities such as &lt; decoded)");
        if !repaired.is_empty() {
            notes.push(format!("repaired: {}", repaired.join("; ")));
        }
        if self.bad_times > 0 {
            notes.push(format!(
                "{} record(s) carry an impossible date or time (kept, without a time), first at line {}",
                self.bad_times,
                self.first_bad_time.unwrap_or(0)
            ));
        }
    }
}
