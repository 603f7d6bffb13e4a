//! Event text (Event Viewer exports, wevtutil, Get-WinEvent) as a [`Reader`]: gathers a
//! block's fields and description, then hands the event to the facts of its source (the
//! Windows Update client's events to the client log facts, WSUS's to the server's).

use crate::facts::Facts;
use crate::formats::event_text::{classify, prose_event, source_key, EventLine, EventText};
use crate::formats::Reader;

#[derive(Default)]
pub struct EventTextReader {
    open: Option<EventText>,
    in_description: bool,
    events: u64,
    other_sources: u64,
    /// Events quoted in prose (source and id on one line of text).
    prose: u64,
    /// Sources cut short ("Windows Server Update") read as the provider they name.
    sources_completed: u64,
    /// Lines read past their quote marks (`> `) or list bullets (`- `, `* `).
    quoted: u64,
}

/// A line as a forum post or a Markdown page quotes it (`> Event ID: 7053`, `- Source: x`):
/// the text past the quote marks, and past one list bullet. `None` when nothing was removed.
fn unquote(raw: &str) -> Option<&str> {
    let t = raw.trim_start();
    let after_quote = t.trim_start_matches(['>', ' ', '\t']);
    let quoted = after_quote.len() != t.len() && t.starts_with('>');
    let after_bullet = ["- ", "* ", "+ ", "• "].iter().find_map(|b| after_quote.strip_prefix(b)).map(str::trim_start);
    match (quoted, after_bullet) {
        (_, Some(b)) => Some(b),
        (true, None) => Some(after_quote),
        (false, None) => None,
    }
}

/// Messages that run over blank lines and quote `Name: value` lines of their own (Sysmon's
/// `Description:` and `User:`, 4688's paragraphs, 7053's exception after the console text):
/// their lines are kept apart (`\n`) and only the next event ends them.
fn long_message(ev: &EventText) -> bool {
    (ev.id == 7053 && ev.source.contains("Update Services"))
        || (ev.id == 1 && ev.source.contains("Sysmon"))
        || ev.id == 4688
        || ev.message.starts_with("Process Create")
        || ev.message.starts_with("A new process has been created")
}

/// Keep a message line with its number (cited as evidence by the facts that read the message).
fn keep_line(ev: &mut EventText, n: u64, raw: &str) {
    if ev.lines.len() < crate::formats::event_text::MAX_LINES {
        ev.lines.push((n, raw.to_string()));
    }
}

use crate::caps::MAX_EVENT_MESSAGE as MAX_MESSAGE;

impl EventTextReader {
    /// A line of an open long message that looks like a field or a description of its own.
    fn continues_long_message(&self) -> bool {
        self.in_description && self.open.as_ref().is_some_and(|e| !e.message.is_empty() && long_message(e))
    }

    fn flush(&mut self, input: &str, facts: &mut Facts) {
        if let Some(ev) = self.open.take() {
            self.deliver(input, ev, facts);
        }
        self.in_description = false;
    }

    fn deliver(&mut self, input: &str, mut ev: EventText, facts: &mut Facts) {
        if ev.source.is_empty() && ev.id == 0 {
            return;
        }
        let key = source_key(&ev.source);
        if key != ev.source {
            self.sources_completed += 1;
            ev.source = key;
        }
        self.events += 1;
        if !facts.observe_event_text(input, &ev) {
            self.other_sources += 1;
        }
    }
}

impl Reader for EventTextReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let Some(text) = unquote(raw) else { return self.read(input, n, raw, raw, facts) };
        if text.trim().is_empty() {
            // a quoted blank line (`>`) parts paragraphs as a blank line does
            self.blank(input, n, raw, facts);
            return self.open.is_some();
        }
        let read = self.read(input, n, raw, text, facts);
        self.quoted += u64::from(read);
        read
    }

    /// A blank line ends a description that has begun (multi-paragraph messages are rare).
    fn blank(&mut self, input: &str, _n: u64, _raw: &str, facts: &mut Facts) {
        if self.in_description && self.open.as_ref().is_some_and(|e| !e.message.is_empty() && !long_message(e)) {
            self.flush(input, facts);
        }
    }

    fn finish(&mut self, input: &str, facts: &mut Facts) -> Vec<u64> {
        self.flush(input, facts);
        Vec::new()
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.events > 0 {
            notes.push(format!("{} event(s) read from event text, {} of other sources skipped", self.events, self.other_sources));
        }
        if self.quoted > 0 {
            notes.push(format!("{} event line(s) had quote marks ('> ') or list bullets removed", self.quoted));
        }
        if self.prose > 0 {
            notes.push(format!(
                "{} event(s) were quoted in prose (source and event id in a sentence) and were read by their id and source",
                self.prose
            ));
        }
        if self.sources_completed > 0 {
            notes.push(format!(
                "{} event(s) named their source cut short or by its older name (\"Windows Server Update\", \"Windows Update Agent\") and were read as the provider it stands for",
                self.sources_completed
            ));
        }
    }
}

impl EventTextReader {
    /// One line, `text` being `raw` past any quote marks; `raw` is what evidence cites.
    fn read(&mut self, input: &str, n: u64, raw: &str, text: &str, facts: &mut Facts) -> bool {
        let class = classify(text);
        if matches!(class, Some(EventLine::Description(_)) | Some(EventLine::Field("other" | "computer", _)))
            && self.continues_long_message()
        {
            if let Some(ev) = self.open.as_mut() {
                if ev.message.len() < MAX_MESSAGE {
                    ev.message.push('\n');
                    ev.message.push_str(text.trim());
                    keep_line(ev, n, raw);
                }
            }
            return true;
        }
        match class {
            Some(EventLine::BlockStart) => {
                self.flush(input, facts);
                self.open = Some(EventText { line: n, line_text: raw.to_string(), ..Default::default() });
                true
            }
            Some(EventLine::Row(mut r)) => {
                self.flush(input, facts);
                r.line = n;
                r.line_text = raw.to_string();
                self.deliver(input, r, facts);
                true
            }
            Some(EventLine::Field(field, value)) => {
                let ev = self.open.get_or_insert_with(|| EventText { line: n, line_text: raw.to_string(), ..Default::default() });
                match field {
                    "source" => ev.source = value.to_string(),
                    "id" => ev.id = value.parse().unwrap_or(0),
                    "level" => ev.level = value.to_string(),
                    // the first date wins: XP's `Data:` (its hex dump) after `Date:` is no date
                    "date" if ev.date.is_empty() => ev.date = value.to_string(),
                    _ => {}
                }
                true
            }
            Some(EventLine::Description(first)) if self.open.is_some() => {
                self.in_description = true;
                if let Some(ev) = self.open.as_mut() {
                    if !first.is_empty() {
                        ev.message = first.to_string();
                        ev.line = n;
                        ev.line_text = raw.to_string();
                        keep_line(ev, n, raw);
                    }
                }
                true
            }
            _ if self.in_description => {
                if let Some(ev) = self.open.as_mut() {
                    if ev.message.is_empty() {
                        ev.line = n;
                        ev.line_text = raw.to_string();
                    } else {
                        ev.message.push(if long_message(ev) { '\n' } else { ' ' });
                    }
                    if ev.message.len() < MAX_MESSAGE {
                        ev.message.push_str(text.trim());
                        keep_line(ev, n, raw);
                    }
                }
                true
            }
            // a block pasted without its `Description:` key: its message (words, not a field's
            // value on a line of its own, as `Computer:` then `servername`) follows the fields
            _ if text.trim().contains(' ')
                && self.open.as_ref().is_some_and(|e| e.id != 0 && !e.source.is_empty() && e.message.is_empty()) =>
            {
                self.in_description = true;
                self.read(input, n, raw, text, facts)
            }
            _ => match prose_event(text) {
                Some(mut r) => {
                    self.flush(input, facts);
                    self.prose += 1;
                    r.line = n;
                    r.line_text = raw.to_string();
                    self.deliver(input, r, facts);
                    true
                }
                None => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{diagnose, Input};

    #[test]
    fn an_event_quoted_in_an_article_and_one_in_a_french_sentence() {
        let text = "The event log may also include the following event:\nEVENT ID 12072\nSource: Windows Server Update\nDescription: The WSUS Web Service is not\nworking.\n\nLe service s'est arrêté (Windows Server Update Services, ID de l'événement : 507).\n";
        let r = diagnose(&[Input { name: "article.txt", bytes: text.as_bytes(), kind: None }]);
        let i = &r.inputs[0];
        let notes = i.notes.join(" | ");
        assert_eq!((i.kind.map(|k| k.name()), i.unrecognised), (Some("event-log"), 1), "{notes}");
        assert!(notes.contains("1 event(s) were quoted in prose") && notes.contains("1 event(s) named their source cut short"), "{notes}");
        let f = r.finding("server-web-service-unhealthy").expect("fires");
        assert!(f.detail.contains("12072") && f.detail.contains("507"), "{}", f.detail);
    }
}

#[cfg(test)]
mod long_message_tests {
    use crate::analysis::{diagnose, Input};

    fn exploit(text: &str) -> crate::facts::ExploitFacts {
        let mut facts = crate::facts::Facts::default();
        let mut r = super::EventTextReader::default();
        use crate::formats::Reader;
        for (i, l) in text.lines().enumerate() {
            if l.trim().is_empty() {
                r.blank("e.txt", i as u64 + 1, l, &mut facts);
            } else {
                r.line("e.txt", i as u64 + 1, l, &mut facts);
            }
        }
        r.finish("e.txt", &mut facts);
        facts.exploit
    }

    #[test]
    fn sysmon_fields_named_like_event_keys_stay_in_the_message() {
        // `Description:`, `User:` and `ProcessId:` are Sysmon fields here, not the block's
        let text = "TimeCreated  : 10/24/2025 7:41:19 AM\nProviderName : Microsoft-Windows-Sysmon\nId           : 1\nMessage      : Process Create:\n               ProcessId: 6120\n               Image: C:\\Windows\\System32\\cmd.exe\n               Description: Windows Command Processor\n               CommandLine: cmd.exe /c whoami\n               User: NT AUTHORITY\\SYSTEM\n               ParentImage: C:\\Program Files\\Update Services\\Services\\WsusService.exe\n";
        let x = exploit(text);
        assert_eq!(x.spawned_count, 1, "{x:?}");
        assert_eq!(
            (x.spawned[0].parent.as_str(), x.spawned[0].child.as_str(), x.spawned[0].command_line.as_str()),
            ("wsusservice.exe", "cmd.exe", "cmd.exe /c whoami")
        );
        let lines: Vec<u64> = x.spawned[0].evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 8, 10], "the child, its command line and the parent");
    }

    #[test]
    fn a_4688_runs_over_its_blank_lines_and_the_next_event_ends_it() {
        let text = "Log Name:      Security\nSource:        Microsoft-Windows-Security-Auditing\nEvent ID:      4688\nDescription:\nA new process has been created.\n\nCreator Subject:\n\tAccount Name:\t\tWSUS01$\n\nProcess Information:\n\tNew Process Name:\tC:\\Windows\\System32\\whoami.exe\n\tCreator Process Name:\tC:\\Program Files\\Update Services\\Services\\WsusService.exe\n\tProcess Command Line:\twhoami /all\n\nLog Name:      Application\nSource:        Windows Server Update Services\nEvent ID:      7053\nDescription:\nThe WSUS administration console has encountered an unexpected error.\n\nSystem.InvalidCastException -- Unable to cast object of type 'System.Windows.Data.ObjectDataProvider' to type 'System.Windows.Media.Brush'.\n";
        let x = exploit(text);
        assert_eq!((x.spawned_count, x.process_events), (1, 1), "{x:?}");
        assert_eq!(x.spawned[0].child, "whoami.exe");
        assert_eq!(x.payload_events.count, 1);
        assert!(x.payload_events.kept[0].text.starts_with("System.InvalidCastException"), "{:?}", x.payload_events.kept);
    }

    #[test]
    fn an_ordinary_event_still_ends_at_a_blank_line() {
        let text = "Log Name: Application\nSource: Windows Server Update Services\nEvent ID: 7053\nDescription: The WSUS administration console has encountered an unexpected error.\n";
        let r = diagnose(&[Input { name: "a.txt", bytes: text.as_bytes(), kind: None }]);
        assert_eq!(r.check("wsus-exploitation-suspected").map(|c| c.status), Some(crate::report::CheckStatus::Passed));
    }
}
