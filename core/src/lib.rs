//! WSUS Doctor's core: WSUS client and server evidence in, findings out.
//!
//! Data flows one way: bytes → decoded lines ([`decode`]) → the kind of each line ([`detect`]) →
//! typed records ([`wulog`], [`iis`], [`registry`]) → [`facts`] → findings ([`rules`]) →
//! a serde [`report::Report`] that the CLI and the web page render.
//!
//! The crate does no I/O, spawns no threads and reads no clock, so the same code runs natively
//! and in the browser (wasm32). Input is pushed in chunks ([`Analysis::feed`]) and only aggregates
//! are kept, so a 1 GB IIS log is diagnosed in constant memory.

pub mod codes;
pub mod decode;
pub mod detect;
pub mod facts;
pub mod iis;
pub mod kind;
pub mod registry;
pub mod render;
pub mod report;
pub mod rules;
pub mod time;
pub mod wulog;

use decode::LineSplitter;
use facts::Facts;
pub use kind::InputKind;
use registry::{RegEvent, RegistryReader};
pub use report::{Check, CheckStatus, Evidence, Finding, InputSummary, Report, Section, Severity};

/// Identifies an input added to an [`Analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputId(usize);

/// Limits that protect the caller from runaway input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Inputs larger than this are refused with a clear message (`None`: no limit).
    pub max_input_bytes: Option<u64>,
}

/// How many unrecognised lines are quoted in an input's notes.
const QUOTED_UNRECOGNISED: usize = 3;

/// Per-input parsing state.
struct InputState {
    name: String,
    forced: Option<InputKind>,
    splitter: LineSplitter,
    parser: LineParser,
    finished: bool,
    too_big: bool,
}

/// Everything about an input except the byte splitter (so both can be borrowed at once).
struct LineParser {
    name: String,
    forced: Option<InputKind>,
    current: Option<InputKind>,
    sections: Vec<Section>,
    /// Recognised lines per kind, indexed by `kind_index` (a map lookup per line showed up in profiles).
    lines_by_kind: [u64; 3],
    unrecognised: u64,
    first_unrecognised: Option<u64>,
    quoted: Vec<String>,
    iis: iis::IisReader,
    reg: RegistryReader,
    reg_events: Vec<RegEvent>,
    /// Raw text of lines a registry value started on (for evidence of multi-line values).
    reg_start_text: Option<(u64, String)>,
    repairs: RepairCounts,
    field_mismatch: u64,
    first_field_mismatch: Option<(u64, usize, usize)>,
    reg_malformed: Vec<(u64, String)>,
    reg_malformed_count: u64,
    bad_times: u64,
    first_bad_time: Option<u64>,
    last_line_was_long_record: bool,
}

#[derive(Default)]
struct RepairCounts {
    quote_marks: u64,
    markdown_escapes: u64,
    table_pipes: u64,
    glued_records: u64,
    tabs_lost: u64,
    wrapped: u64,
    message_only: u64,
}

/// A diagnosis in progress: add inputs, feed their bytes (in any chunk sizes), then finish.
pub struct Analysis {
    inputs: Vec<InputState>,
    facts: Facts,
    limits: Limits,
}

impl Default for Analysis {
    fn default() -> Self {
        Self::new()
    }
}

impl Analysis {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Analysis { inputs: Vec::new(), facts: Facts::default(), limits }
    }

    /// Add an input. `kind` overrides content detection for the whole input.
    pub fn add_input(&mut self, name: &str, kind: Option<InputKind>) -> InputId {
        let name = if name.is_empty() { "pasted text".to_string() } else { name.to_string() };
        self.inputs.push(InputState {
            name: name.clone(),
            forced: kind,
            splitter: LineSplitter::new(),
            parser: LineParser::new(name, kind),
            finished: false,
            too_big: false,
        });
        InputId(self.inputs.len() - 1)
    }

    /// Feed the next chunk of an input's bytes.
    pub fn feed(&mut self, id: InputId, bytes: &[u8]) {
        let facts = &mut self.facts;
        let Some(st) = self.inputs.get_mut(id.0) else { return };
        if st.finished || st.too_big {
            return;
        }
        if let Some(max) = self.limits.max_input_bytes {
            if st.splitter.stats.total_bytes + bytes.len() as u64 > max {
                st.too_big = true;
                return;
            }
        }
        let InputState { splitter, parser, .. } = st;
        splitter.push(bytes, &mut |n, line| parser.line(n, line, facts));
    }

    /// No more bytes for this input.
    pub fn finish_input(&mut self, id: InputId) {
        let facts = &mut self.facts;
        let Some(st) = self.inputs.get_mut(id.0) else { return };
        if st.finished {
            return;
        }
        st.finished = true;
        if st.too_big {
            return;
        }
        let InputState { splitter, parser, .. } = st;
        splitter.finish(&mut |n, line| parser.line(n, line, facts));
        parser.finish(facts);
    }

    /// Run the rules and build the report. Inputs not yet finished are finished now.
    pub fn finish(mut self) -> Report {
        for i in 0..self.inputs.len() {
            self.finish_input(InputId(i));
        }
        let limits = self.limits;
        let inputs: Vec<InputSummary> = self.inputs.iter().map(|s| summarise(s, &limits)).collect();
        for st in &self.inputs {
            for k in InputKind::ALL {
                if st.parser.lines_by_kind[kind_index(k)] > 0 {
                    self.facts.kinds.insert(k);
                }
            }
        }
        let ctx = rules::Context::new(&self.facts);
        let outcomes = rules::run_all(&ctx);
        let mut findings = Vec::new();
        let mut checks = Vec::new();
        for (rule, outcome) in outcomes {
            let (status, hint) = match outcome {
                rules::Outcome::Fired(d) => {
                    findings.push(Finding {
                        rule: rule.id.to_string(),
                        severity: d.severity.unwrap_or(rule.severity),
                        title: rule.title.to_string(),
                        detail: d.detail,
                        evidence: d.evidence,
                        remedy: d.remedy,
                        references: vec![rule.article.reference().to_string()],
                        caused_by: None,
                    });
                    (CheckStatus::Fired, None)
                }
                rules::Outcome::Passed => (CheckStatus::Passed, None),
                rules::Outcome::NotRun(h) => (CheckStatus::NotRun, Some(h)),
            };
            checks.push(Check { rule: rule.id.to_string(), status, needs: rule.needs.to_vec(), hint });
        }
        order_findings(&mut findings);
        Report { version: 1, inputs, findings, checks }
    }
}

/// Severity first, catalogue order within a severity; a symptom follows its cause and names it.
fn order_findings(findings: &mut Vec<Finding>) {
    let fired: Vec<String> = findings.iter().map(|f| f.rule.clone()).collect();
    for f in findings.iter_mut() {
        if let Some((cause, _)) = rules::CAUSES.iter().find(|(c, s)| *s == f.rule && fired.iter().any(|r| r == c)) {
            f.caused_by = Some(cause.to_string());
        }
    }
    findings.sort_by_key(|f| f.severity); // stable: catalogue order within a severity
    let mut rest = std::mem::take(findings);
    /// Move every finding caused by `rule` (and, recursively, theirs) to `out`.
    fn place_symptoms(rule: &str, rest: &mut Vec<Finding>, out: &mut Vec<Finding>) {
        while let Some(i) = rest.iter().position(|f| f.caused_by.as_deref() == Some(rule)) {
            let f = rest.remove(i);
            let id = f.rule.clone();
            out.push(f);
            place_symptoms(&id, rest, out);
        }
    }
    while !rest.is_empty() {
        // roots first; if only linked findings remain (a cycle), take the first
        let i = rest.iter().position(|f| f.caused_by.is_none()).unwrap_or(0);
        let f = rest.remove(i);
        let id = f.rule.clone();
        findings.push(f);
        place_symptoms(&id, &mut rest, findings);
    }
}

fn summarise(st: &InputState, limits: &Limits) -> InputSummary {
    let p = &st.parser;
    let s = &st.splitter.stats;
    let mut notes = Vec::new();
    let mut error = None;
    if st.too_big {
        let max = limits.max_input_bytes.unwrap_or(0);
        error = Some(format!(
            "{}: larger than the {} limit; it was not diagnosed (raise the limit, or cut the log to the days around the problem)",
            st.name,
            human_bytes(max)
        ));
    } else if let Some(e) = st.splitter.error() {
        error = Some(e.message(&st.name));
    }
    let lines = st.splitter.lines();
    if error.is_none() {
        if let Some(forced) = st.forced {
            notes.push(format!("read as {forced} as requested (content detection skipped)"));
        }
        let enc = st.splitter.encoding();
        if s.cp1252_lines > 0 {
            notes.push(format!(
                "{} line(s) were not valid UTF-8 and were read as Windows-1252, first at line {}",
                s.cp1252_lines,
                s.first_cp1252_line.unwrap_or(0)
            ));
        }
        if matches!(enc, decode::TextEncoding::Utf16LeNoBom | decode::TextEncoding::Utf16BeNoBom) {
            notes.push(format!("no byte-order mark: read as {} from its byte pattern", enc.label()));
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
                human_bytes(decode::MAX_LINE_BYTES as u64),
                s.first_truncated_line.unwrap_or(0)
            ));
        }
        if s.cr_only_endings > 0 {
            notes.push(format!("{} line(s) ended with a bare CR (old Mac-style line ends)", s.cr_only_endings));
        }
        p.notes(&mut notes);
    }
    let kind = st.forced.or_else(|| {
        InputKind::ALL
            .into_iter()
            .filter(|k| p.lines_by_kind[kind_index(*k)] > 0)
            .max_by_key(|k| p.lines_by_kind[kind_index(*k)])
    });
    let encoding = (error.is_none() && !st.too_big).then(|| st.splitter.encoding().label().to_string());
    InputSummary {
        name: st.name.clone(),
        kind: if error.is_some() { None } else { kind },
        lines,
        unrecognised: p.unrecognised,
        first_unrecognised: p.first_unrecognised,
        encoding,
        sections: if p.sections.len() > 1 { p.sections.clone() } else { Vec::new() },
        notes,
        error,
    }
}

/// Parse a size as people write it: `500MB`, `2GB`, `64KB`, `512M` or a byte count.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB").or_else(|| t.strip_suffix('G')) {
        (n, 1u64 << 30)
    } else if let Some(n) = t.strip_suffix("MB").or_else(|| t.strip_suffix('M')) {
        (n, 1 << 20)
    } else if let Some(n) = t.strip_suffix("KB").or_else(|| t.strip_suffix('K')) {
        (n, 1 << 10)
    } else {
        (t.as_str(), 1)
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("'{s}' is not a size like 500MB or 2GB"))
}

fn kind_index(k: InputKind) -> usize {
    match k {
        InputKind::WindowsupdateLog => 0,
        InputKind::IisLog => 1,
        InputKind::Registry => 2,
    }
}

fn human_bytes(n: u64) -> String {
    const MB: u64 = 1 << 20;
    if n >= 1 << 30 {
        format!("{:.1} GB", n as f64 / (1u64 << 30) as f64)
    } else if n >= MB {
        format!("{} MB", n / MB)
    } else {
        format!("{} KB", n / 1024)
    }
}

impl LineParser {
    fn new(name: String, forced: Option<InputKind>) -> Self {
        LineParser {
            name,
            forced,
            current: forced,
            sections: Vec::new(),
            lines_by_kind: [0; 3],
            unrecognised: 0,
            first_unrecognised: None,
            quoted: Vec::new(),
            iis: iis::IisReader::new(),
            reg: RegistryReader::new(),
            reg_events: Vec::new(),
            reg_start_text: None,
            repairs: RepairCounts::default(),
            field_mismatch: 0,
            first_field_mismatch: None,
            reg_malformed: Vec::new(),
            reg_malformed_count: 0,
            bad_times: 0,
            first_bad_time: None,
            last_line_was_long_record: false,
        }
    }

    /// One physical line.
    fn line(&mut self, n: u64, raw: &str, facts: &mut Facts) {
        if raw.trim().is_empty() {
            // blank lines matter to the registry reader (they end a wrapped PSPath)
            if self.current == Some(InputKind::Registry) {
                self.read_registry(n, raw, facts);
            }
            self.last_line_was_long_record = false;
            return;
        }
        // Fast path: a line the open section's parser understands stays in it, unless it is
        // strong evidence of another kind (checked cheaply below for the one ambiguous case).
        if self.forced.is_none() {
            if let Some(cur) = self.current {
                if self.parse_as(cur, n, raw, facts) {
                    self.enter(cur, n);
                    self.count(cur);
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
            return;
        };
        let already_tried = self.forced.is_none() && Some(kind) == self.current;
        let recognised = !already_tried && self.parse_as(kind, n, raw, facts);
        if !recognised && self.forced.is_none() {
            // a weak line of another kind inside this section
            if let Some(c) = detect::classify(raw) {
                if c.kind != kind && self.parse_as(c.kind, n, raw, facts) {
                    self.enter(c.kind, n);
                    self.count(c.kind);
                    return;
                }
            }
        }
        if recognised {
            self.enter(kind, n);
            self.count(kind);
        } else {
            self.unrecognised(n, raw);
        }
    }

    fn enter(&mut self, kind: InputKind, n: u64) {
        if self.current != Some(kind) || self.sections.is_empty() {
            self.current = Some(kind);
            self.sections.push(Section { kind, first_line: n, last_line: n });
        } else if let Some(s) = self.sections.last_mut() {
            s.last_line = n;
        }
    }

    fn count(&mut self, kind: InputKind) {
        self.lines_by_kind[kind_index(kind)] += 1;
    }

    fn unrecognised(&mut self, n: u64, raw: &str) {
        self.unrecognised += 1;
        self.first_unrecognised.get_or_insert(n);
        if self.quoted.len() < QUOTED_UNRECOGNISED {
            let t: String = raw.trim().chars().take(80).collect();
            self.quoted.push(format!("line {n}: {t}"));
        }
        self.last_line_was_long_record = false;
    }

    fn parse_as(&mut self, kind: InputKind, n: u64, raw: &str, facts: &mut Facts) -> bool {
        match kind {
            InputKind::WindowsupdateLog => self.read_wu(n, raw, facts),
            InputKind::IisLog => self.read_iis(n, raw, facts),
            InputKind::Registry => self.read_registry(n, raw, facts),
        }
    }

    fn read_wu(&mut self, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let (clean, rep) = wulog::clean_paste(raw);
        if wulog::is_header_row(&clean) {
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
            let event = wulog::events::interpret(rec.component, rec.message);
            if rec.format == wulog::WuFormat::MessageOnly {
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
            facts.observe_wu(&self.name, n, raw, rec, event.as_ref());
            any = true;
        }
        if any {
            let r = |b: bool| u64::from(b);
            self.repairs.quote_marks += r(rep.quote_marks);
            self.repairs.markdown_escapes += r(rep.markdown_escapes);
            self.repairs.table_pipes += r(rep.table_pipes);
            self.repairs.glued_records += r(rep2.glued_records);
            self.repairs.tabs_lost += r(rep2.tabs_lost);
            self.last_line_was_long_record = structured && raw.len() >= 100;
        }
        any
    }

    fn read_iis(&mut self, n: u64, raw: &str, facts: &mut Facts) -> bool {
        match self.iis.read(raw) {
            iis::IisLine::Request(r) => {
                facts.observe_iis(&self.name, n, raw, &r);
                true
            }
            iis::IisLine::Directive => true,
            iis::IisLine::FieldCountMismatch { got, expected } => {
                self.field_mismatch += 1;
                self.first_field_mismatch.get_or_insert((n, got, expected));
                false
            }
            iis::IisLine::NotIis => false,
        }
    }

    fn read_registry(&mut self, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let mut events = std::mem::take(&mut self.reg_events);
        events.clear();
        let consumed = self.reg.read(n, raw, &mut events);
        if consumed && events.is_empty() && self.reg_start_text.is_none() {
            // a value continues on the next line: remember how its first line reads, for evidence
            self.reg_start_text = Some((n, raw.to_string()));
        }
        let only_malformed = !events.is_empty() && events.iter().all(|e| matches!(e, RegEvent::Malformed { .. }));
        self.apply_reg_events(raw, &events, facts);
        if !events.is_empty() {
            self.reg_start_text = None;
        }
        self.reg_events = events;
        consumed && !only_malformed
    }

    fn apply_reg_events(&mut self, raw: &str, events: &[RegEvent], facts: &mut Facts) {
        for ev in events {
            match ev {
                RegEvent::Recognised => {}
                RegEvent::Key { key, line, text, .. } => {
                    facts.observe_reg_key(&self.name, *line, text.as_deref().unwrap_or(raw), key)
                }
                RegEvent::KeyMissing { key, line } => facts.observe_reg_missing(&self.name, *line, raw, key),
                RegEvent::Value(v) => {
                    let text = match &self.reg_start_text {
                        Some((l, t)) if *l == v.line => t.as_str(),
                        _ => raw,
                    };
                    facts.observe_reg_value(&self.name, text, v);
                }
                RegEvent::Malformed { line, reason } => {
                    self.reg_malformed_count += 1;
                    if self.reg_malformed.len() < QUOTED_UNRECOGNISED {
                        self.reg_malformed.push((*line, reason.clone()));
                    }
                }
            }
        }
    }

    fn finish(&mut self, facts: &mut Facts) {
        let mut events = Vec::new();
        self.reg.finish(&mut events);
        let raw = self.reg_start_text.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
        for ev in &events {
            if let RegEvent::Malformed { line, .. } = ev {
                // its first line was counted as registry while the value was still open
                self.unrecognised += 1;
                self.first_unrecognised = Some(self.first_unrecognised.map_or(*line, |f| f.min(*line)));
                let c = &mut self.lines_by_kind[kind_index(InputKind::Registry)];
                *c = c.saturating_sub(1);
            }
        }
        self.apply_reg_events(&raw, &events, facts);
    }

    fn notes(&self, notes: &mut Vec<String>) {
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
        if !repaired.is_empty() {
            notes.push(format!("repaired: {}", repaired.join("; ")));
        }
        if let Some(h) = self.iis.assumed_header {
            let which = if h == iis::HTTPERR_FIELDS { "HTTP.sys error log" } else { "IIS default W3C" };
            notes.push(format!("IIS rows came without a #Fields header and were read with the {which} field set: {h}"));
        }
        if let Some((line, got, expected)) = self.first_field_mismatch {
            notes.push(format!(
                "{} IIS row(s) had a different number of fields than their #Fields header and were skipped, first at line {line} ({got} fields, header has {expected})",
                self.field_mismatch
            ));
        }
        if self.reg_malformed_count > 0 {
            let list: Vec<String> = self.reg_malformed.iter().map(|(l, r)| format!("line {l}: {r}")).collect();
            notes.push(format!("{} registry value(s) could not be read: {}", self.reg_malformed_count, list.join("; ")));
        }
        if self.bad_times > 0 {
            notes.push(format!(
                "{} record(s) carry an impossible date or time (kept, without a time), first at line {}",
                self.bad_times,
                self.first_bad_time.unwrap_or(0)
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

/// One input for [`diagnose`].
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub kind: Option<InputKind>,
}

/// Diagnose whole inputs at once (convenience over [`Analysis`]).
pub fn diagnose(inputs: &[Input<'_>]) -> Report {
    let mut a = Analysis::new();
    for i in inputs {
        let id = a.add_input(i.name, i.kind);
        a.feed(id, i.bytes);
        a.finish_input(id);
    }
    a.finish()
}
