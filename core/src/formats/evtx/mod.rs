//! Windows event logs (`.evtx`), read with the `evtx` crate.
//!
//! The Windows Update client writes events of provider `Microsoft-Windows-WindowsUpdateClient`
//! to the System log and its Operational channel (19 installed, 20 install failed with its
//! errorCode, 25/31 detection or download failed, 43/44 install/download started). Each becomes
//! a line in the `Get-WindowsUpdateLog` layout, worded like the ReportingEvents message of the
//! same event, so the WindowsUpdate.log reader and every rule read it unchanged; evidence cites
//! the EventRecordID (`System.evtx#561`), the number Event Viewer shows.
//!
//! EVTX needs random access (chunks, string tables), so the file is kept whole until the input
//! ends; [`MAX_EVTX`] caps it (a default System log is 20 MB).

use std::fmt::Write;

use serde_json::Value;

pub use crate::caps::MAX_EVTX;
const WU_PROVIDER: &str = "Microsoft-Windows-WindowsUpdateClient";
const WSUS_SOURCE: &str = "Windows Server Update Services";
const SYSMON: &str = "Microsoft-Windows-Sysmon";
const SECURITY: &str = "Microsoft-Windows-Security-Auditing";
const WAS: &str = "Microsoft-Windows-WAS";

pub use crate::caps::MAX_RECORD_TEXT;

/// The most text a whole event log may render to: 32 times its size, at least 64 MB (real
/// logs render to 3 to 6 times their size). Past it, reading stops and the note says where.
pub fn render_budget(file_bytes: usize) -> usize {
    file_bytes.saturating_mul(32).max(64 << 20)
}

/// Whether `head` starts an EVTX file.
pub fn is_evtx(head: &[u8]) -> bool {
    head.starts_with(b"ElfFile\0")
}

/// What was read and skipped, for the notes.
#[derive(Debug, Default, Clone)]
pub struct EventLogStats {
    pub records: u64,
    pub wu_events: u64,
    pub wsus_events: u64,
    pub wsus_ids: Vec<u32>,
    /// Process creations (Sysmon 1, Security 4688), read for the CVE-2025-59287 check.
    pub process_events: u64,
    pub other: crate::providers::ProviderCounts,
    pub bad_records: u64,
    pub first_bad: Option<String>,
    pub too_big: bool,
    /// Records whose rendering alone is over [`MAX_RECORD_TEXT`] (or the library's own bound):
    /// not read, counted.
    pub oversized: u64,
    /// Records the library did not render because earlier records spent their chunk's budget.
    pub chunk_spent: u64,
    /// Rendering stopped at this record: the file's [`render_budget`] was spent.
    pub stopped_at: Option<u64>,
    pub unreadable: Option<String>,
    pub computer: Option<String>,
}

/// Collects an EVTX file's bytes and, at the end, emits its Windows Update events as lines.
#[derive(Default)]
pub struct EventLogDecoder {
    bytes: Vec<u8>,
    /// Text limits: per record and per file (`None`: [`MAX_RECORD_TEXT`], [`render_budget`]).
    limits: Option<(usize, usize)>,
    pub stats: EventLogStats,
}

impl EventLogDecoder {
    /// A decoder with other text limits (tests reach the limits with a real, small log).
    pub fn with_limits(record: usize, file: usize) -> Self {
        EventLogDecoder { limits: Some((record, file)), ..Default::default() }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        if self.bytes.len() + bytes.len() > MAX_EVTX {
            self.stats.too_big = true;
            return;
        }
        self.bytes.extend_from_slice(bytes);
    }

    pub fn finish(&mut self, sink: &mut dyn FnMut(u64, &str)) {
        if self.stats.too_big {
            return;
        }
        let bytes = std::mem::take(&mut self.bytes);
        let size = bytes.len();
        let mut parser = match evtx::EvtxParser::from_buffer(bytes) {
            Ok(p) => p.with_configuration(evtx::ParserSettings::new().num_threads(1)),
            Err(e) => {
                self.stats.unreadable = Some(e.to_string());
                return;
            }
        };
        let mut line = String::new();
        let (record_max, budget) = self.limits.unwrap_or((MAX_RECORD_TEXT, render_budget(size)));
        let mut rendered = 0usize;
        for r in parser.records_json() {
            self.stats.records += 1;
            // the library's own bounds: a record rendered up to its bound and given up costs as
            // much; a record refused once its chunk's budget is spent costs nothing
            match r.as_ref().err().and_then(library_bound) {
                Some(0) => self.stats.chunk_spent += 1,
                Some(cost) => {
                    self.stats.oversized += 1;
                    rendered += cost;
                }
                None => {
                    let parsed = r.map_err(|e| with_cause(&e)).and_then(|rec| {
                        rendered += rec.data.len();
                        if rec.data.len() > record_max {
                            self.stats.oversized += 1;
                            return Ok(None);
                        }
                        serde_json::from_str::<Value>(&rec.data).map(|v| Some((rec.event_record_id, v))).map_err(|e| e.to_string())
                    });
                    match parsed {
                        Ok(Some((id, data))) => self.record(id, &data, &mut line, sink),
                        Ok(None) => {}
                        Err(e) => {
                            self.stats.bad_records += 1;
                            self.stats.first_bad.get_or_insert_with(|| e.chars().take(200).collect());
                        }
                    }
                }
            }
            if rendered > budget {
                self.stats.stopped_at = Some(self.stats.records);
                break;
            }
        }
    }

    fn record(&mut self, id: u64, data: &Value, line: &mut String, sink: &mut dyn FnMut(u64, &str)) {
        let sys = &data["Event"]["System"];
        let provider =
            sys["Provider"]["#attributes"]["Name"].as_str().or_else(|| sys["Provider"]["#attributes"]["EventSourceName"].as_str());
        let event_id = match &sys["EventID"] {
            Value::Number(n) => n.as_u64(),
            v => v["#text"].as_u64().or_else(|| v["#text"].as_str().and_then(|s| s.parse().ok())),
        }
        .unwrap_or(0) as u32;
        match provider {
            Some(WU_PROVIDER) => {}
            Some(WSUS_SOURCE) => {
                self.stats.wsus_events += 1;
                if !self.stats.wsus_ids.contains(&event_id) && self.stats.wsus_ids.len() < 32 {
                    self.stats.wsus_ids.push(event_id);
                }
                // as Event Viewer's tab-separated export writes it: the event text reader reads it
                let level = match sys["Level"].as_u64() {
                    Some(1) => "Critical",
                    Some(2) => "Error",
                    Some(3) => "Warning",
                    _ => "Information",
                };
                line.clear();
                let time = sys["TimeCreated"]["#attributes"]["SystemTime"].as_str().unwrap_or("");
                let _ = write!(line, "{level}\t{time}\t{WSUS_SOURCE}\t{event_id}\t\t");
                if let Some(d) = data["Event"]["EventData"].as_object() {
                    let parts: Vec<String> =
                        d.values().take(8).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect();
                    line.push_str(&parts.join(" ").chars().take(1000).collect::<String>());
                }
                let flat: String = line.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
                sink(id, &flat);
                return;
            }
            Some(WAS) if crate::facts::WAS_POOL_EVENTS.contains(&event_id) => {
                // IIS's process activation events: the pool's name is in the event's data
                let d = &data["Event"]["EventData"];
                let pool = d["AppPoolID"].as_str().or_else(|| d["AppPoolName"].as_str()).unwrap_or("");
                let time = sys["TimeCreated"]["#attributes"]["SystemTime"].as_str().unwrap_or("");
                line.clear();
                let pool: String = pool.chars().take(120).map(|c| if c.is_control() { ' ' } else { c }).collect();
                let _ = write!(line, "Warning\t{time}\t{WAS}\t{event_id}\t\tApplication pool '{pool}' (WAS event {event_id})");
                sink(id, line);
                return;
            }
            Some(p @ (SYSMON | SECURITY)) if event_id == if p == SYSMON { 1 } else { 4688 } => {
                // as a tab-separated row, the way the event text reader reads it
                self.stats.process_events += 1;
                let d = &data["Event"]["EventData"];
                let f = |name: &str| -> String {
                    d[name].as_str().unwrap_or("").chars().take(300).map(|c| if c.is_control() { ' ' } else { c }).collect()
                };
                let time = sys["TimeCreated"]["#attributes"]["SystemTime"].as_str().unwrap_or("");
                line.clear();
                let _ = if p == SYSMON {
                    write!(
                        line,
                        "Information\t{time}\t{p}\t1\t\tProcess Create: ParentImage: {} ParentCommandLine: {} Image: {} CommandLine: {}",
                        f("ParentImage"),
                        f("ParentCommandLine"),
                        f("Image"),
                        f("CommandLine")
                    )
                } else {
                    write!(
                        line,
                        "Information\t{time}\t{p}\t4688\t\tA new process has been created. Creator Process Name: {} New Process Name: {} Process Command Line: {}",
                        f("ParentProcessName"),
                        f("NewProcessName"),
                        f("CommandLine")
                    )
                };
                sink(id, line);
                return;
            }
            other => {
                self.stats.other.add(other.unwrap_or("(no provider)"));
                return;
            }
        }
        self.stats.wu_events += 1;
        if self.stats.computer.is_none() {
            self.stats.computer = sys["Computer"].as_str().map(|c| c.chars().take(64).collect());
        }
        let exec = &sys["Execution"]["#attributes"];
        let field = |name: &str| -> String {
            match &data["Event"]["EventData"][name] {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                v => v.to_string(),
            }
        };
        line.clear();
        let time = sys["TimeCreated"]["#attributes"]["SystemTime"].as_str().unwrap_or("");
        write_time(time, line);
        let _ = write!(
            line,
            " {:<5} {:<5} {:<15} ",
            exec["ProcessID"].as_u64().unwrap_or(0),
            exec["ThreadID"].as_u64().unwrap_or(0),
            format!("Event-{event_id}")
        );
        let (title, code) = (field("updateTitle"), field("errorCode"));
        let _ = match event_id {
            19 => write!(line, "Installation Successful: Windows successfully installed the following update: {title}"),
            20 => write!(line, "Installation Failure: Windows failed to install the following update with error {code}: {title}."),
            43 => write!(line, "Installation Started: Windows has started installing the following update: {title}"),
            44 => write!(line, "Windows Update started downloading an update: {title}"),
            25 | 31 if !code.is_empty() => write!(line, "Windows Update failed to check for updates with error {code}."),
            _ => {
                // any other event: its data as name=value pairs
                let _ = write!(line, "Windows Update client event {event_id}");
                if let Some(d) = data["Event"]["EventData"].as_object() {
                    for (k, v) in d.iter().take(12) {
                        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                        let _ = write!(line, "; {k}={}", v.chars().take(200).collect::<String>());
                    }
                }
                Ok(())
            }
        };
        let flat: String = line.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
        sink(id, &flat);
    }

    pub fn notes(&self, notes: &mut Vec<String>) {
        let s = &self.stats;
        if s.too_big {
            notes.push(format!(
                "event log larger than {} MB: not read (export a shorter time range with wevtutil epl /q:...)",
                MAX_EVTX >> 20
            ));
            return;
        }
        if let Some(e) = &s.unreadable {
            notes.push(format!("not a readable event log: {e}"));
            return;
        }
        let host = s.computer.as_deref().map(|c| format!(" from computer {c:?}")).unwrap_or_default();
        notes.push(format!(
            "event log: {} record(s){host}, {} Windows Update client event(s) read; times are UTC; evidence cites EventRecordIDs (#N)",
            s.records, s.wu_events
        ));
        if s.wsus_events > 0 {
            let ids: Vec<String> = s.wsus_ids.iter().map(u32::to_string).collect();
            notes.push(format!("{} WSUS server event(s) read (ids {})", s.wsus_events, ids.join(", ")));
        }
        if s.process_events > 0 {
            notes.push(format!(
                "{} process creation event(s) (Sysmon 1, Security 4688) read for the CVE-2025-59287 check",
                s.process_events
            ));
        }
        s.other.note(notes);
        if s.bad_records > 0 {
            notes.push(format!("{} damaged record(s) could not be read; first: {}", s.bad_records, s.first_bad.as_deref().unwrap_or("")));
        }
        if s.oversized > 0 {
            notes.push(format!(
                "{} record(s) not read: each expands to more than {} MB of text, which no real event does",
                s.oversized,
                MAX_RECORD_TEXT >> 20
            ));
        }
        if s.chunk_spent > 0 {
            notes.push(format!(
                "{} record(s) not read: earlier records of their chunk had expanded past what the event log library renders of one chunk",
                s.chunk_spent
            ));
        }
        if let Some(n) = s.stopped_at {
            notes.push(format!(
                "reading stopped after record {n}: the records expand to over 32 times the file's size, which no real event log does; the records before it were read"
            ));
        }
        if s.wu_events == 0 && s.wsus_events == 0 && s.process_events == 0 {
            notes.push("this event log holds no Windows Update client or WSUS server events: export the client's System log (or Microsoft-Windows-WindowsUpdateClient/Operational) or the WSUS server's Application log".into());
        }
    }
}

/// What the `evtx` crate renders of one record before it gives up on it ("record renders to
/// more than 16 MiB"): a record failing so cost that much, though it yields no text.
const LIBRARY_RECORD_OUTPUT: usize = 16 << 20;

/// When the error is one of the library's bounds on rendering, not damage: what the record
/// cost (its output or nodes past the record's bound: [`LIBRARY_RECORD_OUTPUT`]; refused
/// because earlier records spent its chunk's budget: nothing).
fn library_bound(e: &evtx::err::EvtxError) -> Option<usize> {
    use evtx::err::EvtxError as E;
    match e {
        E::FailedToCreateRecordModel(why) if why.starts_with("record renders") => Some(LIBRARY_RECORD_OUTPUT),
        E::FailedToCreateRecordModel(why) if why.starts_with("earlier records of the chunk spent") => Some(0),
        E::FailedToParseRecord { source, .. } | E::FailedToReadRecordAt { source, .. } => library_bound(source),
        _ => None,
    }
}

/// An error with its innermost cause ("Failed to parse record number 14" says nothing alone).
fn with_cause(e: &evtx::err::EvtxError) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(next) = last.source() {
        last = next;
    }
    let (top, cause) = (e.to_string(), last.to_string());
    if cause == top {
        top
    } else {
        format!("{top}: {cause}")
    }
}

/// `2017-07-23T07:25:41.8045046Z` as `2017/07/23 07:25:41.8045046`.
fn write_time(t: &str, out: &mut String) {
    let b = t.as_bytes();
    // sliced by bytes below: only when the first 19 are ASCII (a hostile record may put a
    // multi-byte character across byte 19)
    if b.len() >= 19 && b[..19].is_ascii() && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' {
        let frac: String =
            t[19..].trim_start_matches('.').chars().take_while(char::is_ascii_digit).chain(std::iter::repeat('0')).take(7).collect();
        let _ = write!(out, "{}/{}/{} {}.{frac}", &t[0..4], &t[5..7], &t[8..10], &t[11..19]);
    } else {
        out.push_str("1601/01/01 00:00:00.0000000");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSTEM: &[u8] = include_bytes!("../../../../tests/fixtures/evtx/system.evtx");

    fn decode(mut d: EventLogDecoder) -> (EventLogDecoder, Vec<u64>) {
        d.push(SYSTEM);
        let mut ids = Vec::new();
        d.finish(&mut |id, _| ids.push(id));
        (d, ids)
    }

    /// Rendering stops once the file's text budget is spent, keeps what came before, and says so.
    #[test]
    fn a_log_that_expands_past_its_budget_stops_and_says_where() {
        let (whole, all) = decode(EventLogDecoder::default());
        assert!(whole.stats.stopped_at.is_none() && whole.stats.oversized == 0);
        assert!(all.len() > 3, "the sample holds Windows Update events");
        let (cut, some) = decode(EventLogDecoder::with_limits(MAX_RECORD_TEXT, 20_000));
        let at = cut.stats.stopped_at.expect("stopped");
        assert!(at < whole.stats.records, "{at} of {}", whole.stats.records);
        assert!(some.len() < all.len() && all.starts_with(&some));
        let mut notes = Vec::new();
        cut.notes(&mut notes);
        assert!(notes.iter().any(|n| n.contains(&format!("reading stopped after record {at}"))), "{notes:?}");
    }

    /// A record rendering to more than the per-record bound is skipped and counted, not read.
    #[test]
    fn records_over_the_bound_are_counted_not_read() {
        let (d, ids) = decode(EventLogDecoder::with_limits(600, usize::MAX));
        assert!(d.stats.oversized > 0);
        assert!(ids.len() < decode(EventLogDecoder::default()).1.len());
        let mut notes = Vec::new();
        d.notes(&mut notes);
        assert!(notes.iter().any(|n| n.contains("record(s) not read: each expands to more than")), "{notes:?}");
    }

    #[test]
    fn a_system_time_with_a_multibyte_character_is_no_time_not_a_panic() {
        let mut out = String::new();
        write_time("2017-07-23T07:25:4é1.8045046Z", &mut out);
        assert_eq!(out, "1601/01/01 00:00:00.0000000");
        out.clear();
        write_time("2017-07-23T07:25:41\u{e9}", &mut out);
        assert!(out.starts_with("2017/07/23 07:25:41."));
        out.clear();
        write_time("2017-07-23T07:25:41.8045046Z", &mut out);
        assert_eq!(out, "2017/07/23 07:25:41.8045046");
    }

    #[test]
    fn times_print_in_the_log_layout() {
        let mut s = String::new();
        write_time("2017-07-23T07:25:41.8045046Z", &mut s);
        assert_eq!(s, "2017/07/23 07:25:41.8045046");
        s.clear();
        write_time("2017-07-23T07:25:41Z", &mut s);
        assert_eq!(s, "2017/07/23 07:25:41.0000000");
        s.clear();
        write_time("garbage", &mut s);
        assert_eq!(s, "1601/01/01 00:00:00.0000000");
    }

    #[test]
    fn process_creations_become_event_text_rows() {
        let sysmon = serde_json::json!({"Event": {"System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}}, "EventID": 1,
            "TimeCreated": {"#attributes": {"SystemTime": "2025-10-24T07:41:19.502Z"}}},
            "EventData": {"Image": "C:\\Windows\\System32\\cmd.exe", "CommandLine": "cmd.exe /c whoami",
                "ParentImage": "C:\\Program Files\\Update Services\\Services\\WsusService.exe", "ParentCommandLine": "\"WsusService.exe\"\t"}}});
        let mut d = EventLogDecoder::default();
        let (mut line, mut rows) = (String::new(), Vec::new());
        d.record(7, &sysmon, &mut line, &mut |id, l| rows.push((id, l.to_string())));
        assert_eq!(rows.len(), 1);
        let Some(crate::formats::event_text::EventLine::Row(ev)) = crate::formats::event_text::classify(&rows[0].1) else {
            panic!("{rows:?}")
        };
        let mut facts = crate::facts::ExploitFacts::default();
        assert!(facts.observe_process_event("s.evtx", &ev));
        assert_eq!(
            (facts.spawned_count, facts.spawned[0].child.as_str(), facts.spawned[0].command_line.as_str()),
            (1, "cmd.exe", "cmd.exe /c whoami")
        );
        assert_eq!(d.stats.process_events, 1);
    }

    #[test]
    fn only_the_magic_makes_an_event_log() {
        assert!(is_evtx(b"ElfFile\0\0\0\0\0"));
        assert!(!is_evtx(b"ElfChnk\0"));
        assert!(!is_evtx(b"Log Name: System"));
    }
}
