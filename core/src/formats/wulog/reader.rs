//! WindowsUpdate.log (classic and Windows 10/11) as a [`Reader`]: repairs damaged pastes,
//! joins wrapped records, and counts every repair for the input's notes.

use crate::codes;
use crate::events;
use crate::facts::Facts;
use crate::formats::reporting_events::reader::ReportingEventsReader;
use crate::formats::wulog::{self, WuFormat};
use crate::formats::Reader;
use crate::kind::InputKind;

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
    no_timestamp: u64,
    decimal_codes: u64,
}

/// A record that ended with `=` or `:`: its value may be on the next line (a forum wrapped it).
struct Pending {
    n: u64,
    raw: String,
    clean: String,
    rep: wulog::Repairs,
    /// A blank or unrecognised line came after it: it cannot continue.
    closed: bool,
}

#[derive(Default)]
pub struct WuLogReader {
    repairs: RepairCounts,
    bad_times: u64,
    first_bad_time: Option<u64>,
    /// The previous line was a long record, so a column-less line after it may be its tail.
    last_line_was_long_record: bool,
    /// ReportingEvents.log rows (their own format, pasted and repaired like log lines).
    report: ReportingEventsReader,
    pending: Option<Pending>,
    /// The columns of the last record read, for a tail line wrapped off it.
    prev: PrevRecord,
}

/// The columns of the last record (buffers reused from line to line).
#[derive(Default)]
struct PrevRecord {
    valid: bool,
    pid: String,
    tid: String,
    component: String,
    time: Option<crate::time::Timestamp>,
}

/// A column-less line that is someone writing about the log, not the log: two or more words
/// the agent never writes (`I`, `we`, `you`, `which`, `would`, `but`, `problem`...), as in "all
/// of them have the problem 0x8024401c" or "clients would error out with 0x80244021, which...".
/// A code it names is their report, not a record: the line is left unrecognised.
fn is_prose(message: &str) -> bool {
    const WORDS: &[&str] = &[
        "i",
        "i'm",
        "i've",
        "we",
        "we're",
        "you",
        "your",
        "my",
        "our",
        "which",
        "would",
        "should",
        "could",
        "because",
        "but",
        "let's",
        "anyone",
        "please",
        "thanks",
        "sometimes",
        "seems",
        "problem",
        "tried",
        "getting",
        "anybody",
        "help",
    ];
    let words = message.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty());
    words.filter(|w| WORDS.iter().any(|p| w.eq_ignore_ascii_case(p))).take(2).count() >= 2
}

/// A line that is only a web address (a link in a post): a code in its path is a page's name.
fn is_bare_url(message: &str) -> bool {
    let t = message.trim().trim_matches(['<', '>', '(', ')']);
    let scheme =
        t.get(..8).is_some_and(|h| h.eq_ignore_ascii_case("https://")) || t.get(..7).is_some_and(|h| h.eq_ignore_ascii_case("http://"));
    scheme && !t.contains(char::is_whitespace)
}

/// A column-less line that reads as the rest of the record above it: it starts with a code
/// (`0x8024401C, ...`) or in lower case (`failed with hr = ...`).
fn starts_like_tail(message: &str) -> bool {
    let b = message.trim_start().as_bytes();
    (b.len() >= 3 && b[0] == b'0' && (b[1] | 0x20) == b'x' && b[2].is_ascii_hexdigit())
        || (b.len() >= 8 && b[0] == b'8' && b[..8].iter().all(u8::is_ascii_hexdigit))
        || b.first().is_some_and(u8::is_ascii_lowercase)
}

/// Does `next` continue the record `prev` (which ended with `=` or `:`)? It must have no columns
/// of its own and start like a value: a code, a lower-case word, or anything after `=`.
fn continues(prev: &str, next: &str, raw: &str) -> bool {
    let t = next.trim();
    if t.is_empty() || t.len() > 400 || wulog::is_header_row(t) || crate::formats::reporting_events::is_row_start(t) {
        return false;
    }
    let (recs, _) = wulog::parse_line(t);
    if recs.len() != 1 || recs[0].format != WuFormat::MessageOnly || !recs[0].component.is_empty() {
        return false;
    }
    if crate::formats::classify(raw).is_some_and(|(f, strong)| strong && f.kind != Some(InputKind::WindowsupdateLog)) {
        return false;
    }
    let b = t.as_bytes();
    let code = (b.len() >= 3 && b[0] == b'0' && (b[1] | 0x20) == b'x' && b[2].is_ascii_hexdigit())
        || (b.len() >= 8 && b[0] == b'8' && b[..8].iter().all(u8::is_ascii_hexdigit));
    prev.trim_end().ends_with('=') || code || b[0].is_ascii_lowercase()
}

impl WuLogReader {
    /// Read a (cleaned) line; `defer` lets a record that ends with `=` or `:` wait for its value.
    #[allow(clippy::too_many_arguments)]
    fn read(&mut self, input: &str, n: u64, raw: &str, clean: &str, rep: wulog::Repairs, facts: &mut Facts, defer: bool) -> bool {
        if wulog::is_header_row(clean) {
            return true;
        }
        if self.report.line(input, n, raw, clean, facts) || (defer && self.report.start(n, raw, clean)) {
            return true;
        }
        let (records, rep2) = wulog::parse_line(clean);
        let was_long = self.last_line_was_long_record;
        self.last_line_was_long_record = false;
        if records.is_empty() {
            return false;
        }
        if defer {
            let last = &records[records.len() - 1];
            let m = last.message.trim_end();
            if last.format != WuFormat::MessageOnly && (m.ends_with('=') || m.ends_with(':')) {
                self.pending = Some(Pending { n, raw: raw.to_string(), clean: clean.to_string(), rep, closed: false });
                return true;
            }
        }
        let mut any = false;
        let mut structured = false;
        for rec in &records {
            let event = events::interpret(rec.component, rec.message);
            if rec.format == WuFormat::MessageOnly && rec.component.is_empty() {
                // a code, or the download manager's hash failure said in words (read as 0x80246002)
                let mut codes_here = crate::facts::says_hash_mismatch(rec.message);
                codes::scan_codes(rec.message, |_| codes_here = true);
                if event.is_none() && !codes_here && !was_long {
                    continue; // an unknown line without columns: not ours to claim
                }
                if event.is_none() && (is_prose(rec.message) || is_bare_url(rec.message)) {
                    continue; // a sentence about the log, or a link, in a post around a paste
                }
                if event.is_none() && !codes_here {
                    // a possible wrapped tail: unless it is clearly another kind of evidence
                    if crate::formats::classify(raw).is_some_and(|(f, strong)| strong && f.kind != Some(InputKind::WindowsupdateLog)) {
                        continue;
                    }
                }
                if self.prev.valid && records.len() == 1 && starts_like_tail(rec.message) {
                    // the tail of the record above, wrapped by a forum: read with its columns
                    self.repairs.wrapped += 1;
                    let (pid, tid, component) = (self.prev.pid.clone(), self.prev.tid.clone(), self.prev.component.clone());
                    let tail = wulog::WuRecord { time: self.prev.time, pid: &pid, tid: &tid, component: &component, ..rec.clone() };
                    let event = events::interpret(tail.component, tail.message);
                    let column = crate::formats::reporting_events::report_event_failure(tail.message);
                    let code = facts.client.observe(input, n, raw, &tail, event.as_ref(), column);
                    facts.timeline.client(input, n, raw, tail.time, event.as_ref(), code);
                    any = true;
                    continue;
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
            let column = crate::formats::reporting_events::report_event_failure(rec.message);
            let code = facts.client.observe(input, n, raw, rec, event.as_ref(), column);
            facts.timeline.client(input, n, raw, rec.time, event.as_ref(), code);
            any = true;
        }
        if let Some(last) = records.iter().rev().find(|r| r.format != WuFormat::MessageOnly || !r.component.is_empty()) {
            let p = &mut self.prev;
            p.valid = true;
            p.time = last.time;
            for (buf, v) in [(&mut p.pid, last.pid), (&mut p.tid, last.tid), (&mut p.component, last.component)] {
                buf.clear();
                buf.push_str(v);
            }
        } else if !any {
            self.prev.valid = false;
        }
        if any {
            let r = |b: bool| u64::from(b);
            self.repairs.quote_marks += r(rep.quote_marks);
            self.repairs.markdown_escapes += r(rep.markdown_escapes);
            self.repairs.table_pipes += r(rep.table_pipes);
            self.repairs.glued_records += r(rep2.glued_records);
            self.repairs.tabs_lost += r(rep2.tabs_lost);
            self.repairs.no_timestamp += r(rep2.no_timestamp);
            self.repairs.bullets += r(rep.bullets);
            self.repairs.inline_code += r(rep.inline_code);
            self.repairs.html += r(rep.html);
            self.last_line_was_long_record = structured && raw.len() >= 100;
        }
        any
    }

    /// Read the record that waited for a continuation, as it was.
    fn flush(&mut self, input: &str, facts: &mut Facts) {
        if let Some(p) = self.pending.take() {
            self.read(input, p.n, &p.raw, &p.clean, p.rep, facts, false);
        }
        self.flush_row(input, facts);
    }

    /// The ReportingEvents row that waited for its next lines; one that is not a row after
    /// all is read as log text.
    fn flush_row(&mut self, input: &str, facts: &mut Facts) {
        if let Some(row) = self.report.flush(input, facts) {
            self.read(input, row.n, &row.raw, &row.text, wulog::Repairs::default(), facts, false);
        }
    }
}

impl Reader for WuLogReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let (clean, rep) = wulog::clean_paste(raw);
        if self.report.pending() {
            if self.report.extend(clean.trim(), |t| wulog::starts_with_record(t).is_some()) {
                return true;
            }
            self.flush_row(input, facts);
        }
        if let Some(p) = self.pending.take() {
            if !p.closed && continues(&p.clean, &clean, raw) {
                // the evidence quotes the record's own line; the facts read it with its value
                let joined = format!("{} {}", p.clean.trim_end(), clean.trim());
                self.repairs.wrapped += 1;
                self.read(input, p.n, &p.raw, &joined, p.rep, facts, false);
                return true;
            }
            self.read(input, p.n, &p.raw, &p.clean, p.rep, facts, false);
        }
        // a web page's lines (`<br />`) copied as one line of text: each is read on its own
        if rep.html && clean.contains('\n') {
            let mut read = 0;
            let mut rep = rep;
            for seg in clean.split('\n').filter(|l| !l.trim().is_empty()) {
                if self.read(input, n, raw, seg, rep, facts, false) {
                    read += 1;
                    rep = wulog::Repairs::default(); // the line's repairs count once
                }
            }
            if read > 1 {
                self.repairs.glued_records += 1;
            }
            return read > 0;
        }
        // a tool that wrote the HRESULT in decimal ("failed with error -2145124329")
        if let Some(hex) = crate::formats::server_log::decimal_codes_as_hex(&clean) {
            let read = self.read(input, n, raw, &hex, rep, facts, true);
            self.repairs.decimal_codes += u64::from(read);
            return read;
        }
        self.read(input, n, raw, &clean, rep, facts, true)
    }

    fn gap(&mut self) {
        self.last_line_was_long_record = false;
        self.prev.valid = false;
        if let Some(p) = self.pending.as_mut() {
            p.closed = true;
        }
        self.report.gap();
    }

    fn finish(&mut self, input: &str, facts: &mut Facts) -> Vec<u64> {
        self.flush(input, facts);
        Vec::new()
    }

    fn notes(&self, notes: &mut Vec<String>) {
        self.report.note(notes);
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
        add(r.bullets, "line(s) had list bullets or comment marks (`# `) removed");
        add(r.inline_code, "line(s) had markdown code or emphasis marks around them removed");
        add(r.html, "line(s) came from a web page (HTML tags such as <br /> and entities such as &lt; decoded)");
        add(r.no_timestamp, "line(s) had lost their date and time and were read by the columns left (PID, TID and component, or the component alone), without a time");
        add(r.decimal_codes, "line(s) wrote their HRESULT in decimal and it was read as the hex code (-2145124329 is 0x80240017)");
        self.report.repairs(&mut add);
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

#[cfg(test)]
mod tests {
    /// Sentences of a post that name a code are the poster's words; the agent's own column-less
    /// messages are records, whatever codes they hold.
    #[test]
    fn sentences_around_a_paste_are_not_records() {
        for prose in [
            "The other 2016 Servers are partly recognised as Windows (Version 10.0), but all have the problem 0x8024401c",
            "Sometimes clients checking for Windows Updates would quickly error out with a code 0x80244021, which indicates the inability to reach WSUS.",
            "I get 0x80244022 on every scan, can anyone help?",
        ] {
            assert!(super::is_prose(prose), "{prose}");
        }
        for message in [
            "WARNING: SyncServerUpdatesInternal failed: 0x80244010",
            "Failed to find updates with error code 8024402c",
            "GetCookie failure, error = 0x80244022, soap client error = 10, soap error code = 0, HTTP status code = 503",
            "WARNING: Send failed with hr = 80072ee2.",
            "Exit code = 0x8024401C",
            "  * WARNING: Exit code = 0x8024401C",
        ] {
            assert!(!super::is_prose(message), "{message}");
        }
        // in a post: the code the poster names is said in a note, the log's own lines are read
        let post = "I have some Windows 10 clients, but all have the problem 0x8024401c\r\n\
            https://example.blogspot.com/2017/06/fixed-wsus-2016-error-code-0x8024401c.html\r\n\
            2018.10.21 12:08:49.8694752 1276 3628 Agent WU client version 10.0.14393.2580\r\n\
            2018.10.21 12:08:50.0121931 1276 3628 Misc LoadHistoryEventFromRegistry completed, hr = 8024000C\r\n";
        let r = crate::analysis::diagnose(&[crate::analysis::Input { name: "post.txt", bytes: post.as_bytes(), kind: None }]);
        let notes = r.inputs[0].notes.join(" | ");
        assert!(notes.contains("not counted as the machine's: 0x8024401C (line 1: WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT"), "{notes}");
        assert!(r.findings.iter().all(|f| !f.detail.contains("8024401C")), "{:?}", r.findings);
        assert!(super::is_bare_url("https://ininformationtechnologyworld.blogspot.com/2017/06/fixed-wsus-2016-error-code-0x8024401c.html"));
        assert!(!super::is_bare_url("SendRequestUsingProxy failed for <http://wsus01//selfupdate/wuident.cab>. error 0x80072ee2"));
    }

    use crate::analysis::{diagnose, Input};
    use crate::report::Report;

    fn read(name: &str, text: &str) -> Report {
        diagnose(&[Input { name, bytes: text.as_bytes(), kind: None }])
    }

    fn codes(r: &Report) -> String {
        r.finding("wu-error-codes").map(|f| f.detail.clone()).unwrap_or_default()
    }

    #[test]
    fn records_without_date_and_time_keep_their_columns() {
        let r = read("wu.txt", include_str!("../../../../tests/fixtures/pastes/wu-no-timestamps.txt"));
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!(i.kind.map(|k| k.name()), Some("windowsupdate-log"), "{notes}");
        assert_eq!(i.unrecognised, 1, "{notes}");
        assert!(notes.contains("4 line(s) had lost their date and time"), "{notes}");
        assert!(codes(&r).contains("0x80072F8F"), "{}", codes(&r));
    }

    #[test]
    fn a_value_wrapped_onto_the_next_line_is_joined_to_its_record() {
        let r = read("wu.txt", include_str!("../../../../tests/fixtures/pastes/wu-wrapped-values.txt"));
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!(i.unrecognised, 1, "{notes}");
        assert!(notes.contains("3 line(s) continued a wrapped record"), "{notes}");
        let f = r.finding("wu-error-codes").expect("codes");
        assert!(f.detail.contains("0x80244017"), "{}", f.detail);
        // the evidence quotes the record's own line
        assert!(f.evidence.iter().any(|e| e.line == 1 && e.text.ends_with("error =")), "{:?}", f.evidence);
    }

    #[test]
    fn a_tail_starting_with_a_code_belongs_to_the_record_above() {
        let text = "2009-12-14\t10:19:49:123\t1032\td18\tPT\tWARNING: SyncServerUpdatesInternal failed\n0x80244017 while talking to http://wsus01/ClientWebService/client.asmx\n\n0x80244019 in a sentence of its own\n";
        let r = read("wu.txt", text);
        let notes = r.inputs[0].notes.join(" | ");
        assert!(
            notes.contains("1 line(s) continued a wrapped record") && notes.contains("1 line(s) held only the message column"),
            "{notes}"
        );
        assert!(codes(&r).contains("0x80244017") && codes(&r).contains("0x80244019"), "{}", codes(&r));
    }

    #[test]
    fn a_reportingevents_row_wrapped_over_four_lines_is_one_row() {
        let r = read("ReportingEvents.log", include_str!("../../../../tests/fixtures/pastes/reportingevents-wrapped.txt"));
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!((i.kind.map(|k| k.name()), i.unrecognised), (Some("windowsupdate-log"), 0), "{notes}");
        assert!(
            notes.contains("1 ReportingEvents.log row(s) read") && notes.contains("1 ReportingEvents.log row(s) were wrapped"),
            "{notes}"
        );
        assert!(codes(&r).contains("0x80246008"), "{}", codes(&r));
    }

    #[test]
    fn each_line_of_a_web_page_is_read_on_its_own() {
        let text = "<div><span>Loading inf file C:\\WINDOWS\\SoftwareDistribution\\SelfUpdate\\wusetup.inf<br /> WU client failed Searching for update with error 0x8024001b<br /> Starting File operations for section cdm<br /> InstallUpdatedBinaries failed with error 0x800703e3<br /> </span></div>\n";
        let r = read("page.html", text);
        let notes = r.inputs[0].notes.join(" | ");
        assert!(notes.contains("1 line(s) came from a web page"), "{notes}");
        assert!(notes.contains("2 line(s) held only the message column"), "the two lines with codes, each a message: {notes}");
        assert!(notes.contains("1 line(s) held several records glued together"), "{notes}");
        assert!(codes(&r).contains("0x8024001B") && codes(&r).contains("0x800703E3"), "{}", codes(&r));
    }

    #[test]
    fn a_decimal_hresult_is_read_as_its_code() {
        let r = read("packer.log", "    amazon-ebs: Install-WindowsUpdate failed with error -2145107924\n");
        assert!(codes(&r).contains("0x8024402C"), "{:?}", r.inputs[0].notes);
        assert!(r.inputs[0].notes.join(" ").contains("1 line(s) wrote their HRESULT in decimal"), "{:?}", r.inputs[0].notes);
    }

    #[test]
    fn another_tools_output_carries_its_windows_update_code() {
        let r = read("ssm.log", include_str!("../../../../tests/fixtures/pastes/tool-output-hresult.txt"));
        assert!(codes(&r).contains("0x8024402C"), "{:?}", r.inputs[0].notes);
        assert_eq!(r.inputs[0].kind.map(|k| k.name()), Some("windowsupdate-log"));
    }
}
