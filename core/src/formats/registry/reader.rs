//! Registry evidence (`.reg`, `reg query`, `Get-ItemProperty`) as a [`Reader`]: holds the value
//! that continues over several lines and remembers how its first line read, for evidence.

use crate::facts::Facts;
use crate::formats::netsh_winhttp::reader::NetshWinhttpReader;
use crate::formats::registry::{RegEvent, RegistryReader};
use crate::formats::update_services::reader::UpdateServicesReader;
use crate::formats::{Reader, QUOTED};

#[derive(Default)]
pub struct RegistryExportReader {
    /// `netsh winhttp show proxy` output pasted with the registry evidence.
    netsh: NetshWinhttpReader,
    /// `Get-WUServiceManager` output pasted with the registry evidence.
    services: UpdateServicesReader,
    parser: RegistryReader,
    /// Reused between lines (no allocation per line).
    events: Vec<RegEvent>,
    /// Raw text of the line a multi-line value started on.
    start_text: Option<(u64, String)>,
    malformed: Vec<(u64, String)>,
    malformed_count: u64,
    /// Values of this input not kept (see [`crate::facts::MAX_VALUES`]).
    values_cut: u64,
}

impl RegistryExportReader {
    fn apply(&mut self, input: &str, raw: &str, events: &[RegEvent], facts: &mut Facts) {
        for ev in events {
            match ev {
                RegEvent::Recognised => {}
                RegEvent::Key { key, line, text, .. } => {
                    facts.registry.observe_key(input, *line, text.as_deref().unwrap_or(raw), key);
                    facts.exploit.observe_registry_key(input, *line, text.as_deref().unwrap_or(raw), key);
                }
                RegEvent::KeyMissing { key, line } => facts.registry.observe_missing(input, *line, raw, key),
                RegEvent::Value(v) => {
                    let text = match &self.start_text {
                        Some((l, t)) if *l == v.line => t.as_str(),
                        _ => raw,
                    };
                    facts.exploit.observe_registry_key(input, v.line, text, &v.key);
                    let before = facts.registry.values_cut;
                    facts.registry.observe_value(input, text, v);
                    self.values_cut += facts.registry.values_cut - before;
                }
                RegEvent::Malformed { line, reason } => {
                    self.malformed_count += 1;
                    if self.malformed.len() < QUOTED {
                        self.malformed.push((*line, reason.clone()));
                    }
                }
            }
        }
    }
}

impl Reader for RegistryExportReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        if self.netsh.line(input, n, raw, facts) || self.services.line(input, n, raw, facts) {
            // `netsh winhttp show proxy` and the service list: client configuration, read with the registry
            return true;
        }
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        let consumed = self.parser.read(n, raw, &mut events);
        if consumed && events.is_empty() && self.start_text.is_none() {
            // a value continues on the next line: remember how its first line reads, for evidence
            self.start_text = Some((n, raw.to_string()));
        }
        let only_malformed = !events.is_empty() && events.iter().all(|e| matches!(e, RegEvent::Malformed { .. }));
        self.apply(input, raw, &events, facts);
        if !events.is_empty() {
            self.start_text = None;
        }
        self.events = events;
        consumed && !only_malformed
    }

    /// Blank lines end a wrapped `PSPath`.
    fn blank(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) {
        self.line(input, n, raw, facts);
    }

    fn finish(&mut self, input: &str, facts: &mut Facts) -> Vec<u64> {
        let mut events = Vec::new();
        self.parser.finish(&mut events);
        let raw = self.start_text.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
        self.apply(input, &raw, &events, facts);
        // a value that never ended: its first line was counted as registry while it was open
        events.iter().filter_map(|e| if let RegEvent::Malformed { line, .. } = e { Some(*line) } else { None }).collect()
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.services.cut > 0 {
            notes.push(format!(
                "{} update service(s) of the service list were not kept: an agent registers a handful, only {} are",
                self.services.cut,
                crate::facts::MAX_UPDATE_SERVICES
            ));
        }
        if self.parser.comments_after_values > 0 {
            notes.push(format!("{} line(s) had a '; comment' after the value (ignored)", self.parser.comments_after_values));
        }
        if self.values_cut > 0 {
            notes.push(format!(
                "{} value(s) with names no rule reads were not kept: past {} distinct values only the names WSUS Doctor knows are",
                self.values_cut,
                crate::facts::MAX_VALUES
            ));
        }
        if self.parser.cut_bytes > 0 {
            notes.push(format!(
                "{} byte(s) of over-long wrapped key paths or continued values were left out (kept: {} bytes of a path, {} of a value)",
                self.parser.cut_bytes,
                crate::formats::registry::MAX_KEY_PATH,
                crate::formats::registry::MAX_VALUE_TEXT
            ));
        }
        if self.parser.values_sharing_a_line > 0 {
            notes.push(format!("{} line(s) held several \"name\"=value pairs and were split", self.parser.values_sharing_a_line));
        }
        if self.malformed_count > 0 {
            let list: Vec<String> = self.malformed.iter().map(|(l, r)| format!("line {l}: {r}")).collect();
            notes.push(format!("{} registry value(s) could not be read: {}", self.malformed_count, list.join("; ")));
        }
    }
}
