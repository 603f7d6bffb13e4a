//! Configuration Manager logs as a [`Reader`]: whole records, records whose message spans
//! several lines, the simple layout and CMTrace's copied rows, each counted for the notes.

use super::{parse_copied_row, parse_message_only, parse_record, parse_simple, record_with_attributes, MESSAGE_END, RECORD_START};
use crate::facts::Facts;
use crate::formats::Reader;

use crate::caps::MAX_CM_MESSAGE as MAX_MESSAGE;

#[derive(Default)]
pub struct CmTraceReader {
    /// A record whose message has not ended yet: its first line, that line's text, the message.
    pending: Option<(u64, String, String)>,
    records: u64,
    multiline: u64,
    simple: u64,
    copied: u64,
    /// Message-only rows (excerpts without markup or columns).
    messages: u64,
    /// Lines whose Markdown quoting or escapes were removed.
    markdown: u64,
    /// Bytes of messages past [`MAX_MESSAGE`], dropped.
    cut: u64,
    /// Records that never ended (the input stopped inside a message).
    unterminated: u64,
    /// Occurrences of codes past the facts' per-kind cap, from this input.
    codes_cut: u64,
}

impl CmTraceReader {
    /// One line, in whichever shape it comes.
    fn read(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        if self.pending.is_some() {
            if let Some(end) = raw.find(MESSAGE_END) {
                self.append(&raw[..end]);
                let (first, first_raw, message) = self.pending.take().unwrap_or_default();
                let rec = record_with_attributes(&message, &raw[end + MESSAGE_END.len()..]);
                self.records += 1;
                self.multiline += 1;
                facts.observe_configmgr(input, first, &first_raw, &rec);
                return true;
            }
            if raw.contains(RECORD_START) {
                // a new record before the old one ended: the old one is damaged, drop it
                self.pending = None;
                self.unterminated += 1;
            } else {
                self.append(raw);
                return true;
            }
        }
        if let Some(rec) = parse_record(raw) {
            self.records += 1;
            facts.observe_configmgr(input, n, raw, &rec);
            return true;
        }
        if let Some(start) = raw.find(RECORD_START) {
            let first = &raw[start + RECORD_START.len()..];
            let mut end = first.len().min(MAX_MESSAGE);
            while !first.is_char_boundary(end) {
                end -= 1;
            }
            self.cut += (first.len() - end) as u64;
            self.pending = Some((n, raw.to_string(), first[..end].to_string()));
            return true;
        }
        if let Some(rec) = parse_simple(raw) {
            self.records += 1;
            self.simple += 1;
            facts.observe_configmgr(input, n, raw, &rec);
            return true;
        }
        if let Some(rec) = parse_copied_row(raw) {
            self.records += 1;
            self.copied += 1;
            facts.observe_configmgr(input, n, raw, &rec);
            return true;
        }
        // an excerpt: Markdown quoting (`> `) and escapes (`SMS\_RULE\_ENGINE`) removed first
        let (excerpt, repaired) = super::unquote_excerpt(raw);
        // wsyncmgr's own layout: `08-14-2019 08:37:30.102 message`
        let (when, body) = super::split_date_prefix(&excerpt);
        if let Some(mut rec) = parse_message_only(body) {
            rec.time = when;
            self.records += 1;
            self.messages += 1;
            self.markdown += u64::from(repaired);
            facts.observe_configmgr(input, n, raw, &rec);
            return true;
        }
        false
    }

    fn append(&mut self, text: &str) {
        if let Some((_, _, m)) = self.pending.as_mut() {
            let room = MAX_MESSAGE.saturating_sub(m.len());
            if text.len() + 1 > room {
                self.cut += (text.len() + 1 - room.min(text.len() + 1)) as u64;
                let mut end = room.saturating_sub(1).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                if room > 0 {
                    m.push('\n');
                    m.push_str(&text[..end]);
                }
            } else {
                m.push('\n');
                m.push_str(text);
            }
        }
    }
}

impl Reader for CmTraceReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let before = facts.configmgr.codes_cut;
        let taken = self.read(input, n, raw, facts);
        self.codes_cut += facts.configmgr.codes_cut - before;
        taken
    }
    fn blank(&mut self, _input: &str, _n: u64, _raw: &str, _facts: &mut Facts) {
        // a blank line inside a message is part of it
        self.append("");
    }

    fn finish(&mut self, _input: &str, _facts: &mut Facts) -> Vec<u64> {
        if self.pending.take().is_some() {
            self.unterminated += 1;
        }
        Vec::new()
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.records == 0 && self.unterminated == 0 {
            return;
        }
        let mut parts = vec![format!("{} Configuration Manager log record(s) read", self.records)];
        if self.multiline > 0 {
            parts.push(format!("{} with a message over several lines", self.multiline));
        }
        if self.simple > 0 {
            parts.push(format!("{} in the older $$<component> layout", self.simple));
        }
        if self.copied > 0 {
            parts.push(format!("{} as rows copied from CMTrace", self.copied));
        }
        if self.messages > 0 {
            parts.push(format!("{} as messages without their columns (the component from the message)", self.messages));
        }
        if self.markdown > 0 {
            parts.push(format!("{} had Markdown quoting or escapes removed", self.markdown));
        }
        notes.push(parts.join("; "));
        if self.unterminated > 0 {
            notes.push(format!("{} record(s) never ended (no ]LOG]!> before the next record or the end): not read", self.unterminated));
        }
        if self.codes_cut > 0 {
            notes.push(format!(
                "{} occurrence(s) of failure codes were counted but not kept: past {} distinct codes per kind of Configuration Manager failure",
                self.codes_cut,
                crate::facts::MAX_CM_CODES
            ));
        }
        if self.cut > 0 {
            notes.push(format!("{} byte(s) of messages past {} KB each were not kept", self.cut, MAX_MESSAGE / 1024));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn a_message_over_several_lines_is_one_record_cited_at_its_first_line() {
        let log = "<![LOG[Group policy settings were overwritten by a higher authority (Domain Controller) to: Server http://wsus-old:8530 and Policy ENABLED]LOG]!><time=\"09:12:01.004+240\" date=\"03-02-2024\" component=\"WUAHandler\" context=\"\" type=\"2\" thread=\"3344\" file=\"cwuahandler.cpp:1962\">\r\n<![LOG[Failed to Add Update Source for WUAgent of type (2) and id ({5E5B0F1A-1C6C-4B4C-9A33-6F2C5C1D0C11}). Error = 0x87d00692.\r\nsecond line of the message]LOG]!><time=\"09:12:01.010+240\" date=\"03-02-2024\" component=\"WUAHandler\" context=\"\" type=\"3\" thread=\"3344\" file=\"cwuahandler.cpp:805\">\r\n";
        let r = diagnose(&[Input { name: "WUAHandler.log", bytes: log.as_bytes(), kind: None }]);
        let i = &r.inputs[0];
        assert_eq!(i.kind.map(|k| k.name()), Some("configmgr-log"), "{i:?}");
        assert_eq!(i.unrecognised, 0, "{i:?}");
        assert!(
            i.notes.iter().any(|n| n.contains("2 Configuration Manager log record(s) read; 1 with a message over several lines")),
            "{:?}",
            i.notes
        );
        let f = r.finding("sup-policy-overridden").expect("policy override found");
        assert!(f.evidence.iter().any(|e| e.line == 2), "{:?}", f.evidence);
    }
}
