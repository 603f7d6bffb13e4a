//! Windows events as admins paste them: Event Viewer's "Save as .txt" rows (tab-separated:
//! Level, Date and Time, Source, Event ID, Task Category, Description), its "Copy details as
//! text" block, `wevtutil qe /f:text` blocks (`Event[0]:` then `  Source: ...` lines) and
//! `Get-WinEvent | Format-List` blocks (`ProviderName : ...`, `Id : ...`, `Message : ...`).
//!
//! Ids and sources are language-neutral; the message may be in any language and is kept as
//! evidence. A block is complete at its next block or at a blank line after its description.

/// One event, however it was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventText {
    pub source: String,
    pub id: u32,
    pub level: String,
    pub date: String,
    pub message: String,
    /// The line the evidence should cite (the description's first line, else the block's first).
    pub line: u64,
    pub line_text: String,
}

/// What a line is, in an event text export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventLine<'a> {
    /// `Event[3]:`, or `Log Name:` / `TimeCreated :` that opens a block.
    BlockStart,
    /// `Source: x`, `Event ID: 20`, `Id : 20`...: a field of the open block.
    Field(&'static str, &'a str),
    /// `Description:` (the message follows on the next lines) or `Message : text`.
    Description(&'a str),
    /// A whole event on one line (Event Viewer's tab-separated export).
    Row(EventText),
}

/// Key names, in the spellings of the three exports, and the field they fill.
const KEYS: &[(&str, &str)] = &[
    ("Source", "source"),
    ("ProviderName", "source"),
    ("Event ID", "id"),
    ("Id", "id"),
    ("Level", "level"),
    ("LevelDisplayName", "level"),
    ("Date", "date"),
    ("TimeCreated", "date"),
    ("Log Name", "log"),
    ("LogName", "log"),
    ("Computer", "computer"),
    ("MachineName", "computer"),
    // read and ignored: the rest of the block
    ("Task", "other"),
    ("Task Category", "other"),
    ("Opcode", "other"),
    ("Keyword", "other"),
    ("Keywords", "other"),
    ("User", "other"),
    ("User Name", "other"),
    ("RecordId", "other"),
    ("ProcessId", "other"),
    ("ThreadId", "other"),
    ("UserId", "other"),
    ("Version", "other"),
    ("Qualifiers", "other"),
    ("LevelDisplayName", "level"),
    ("OpcodeDisplayName", "other"),
    ("TaskDisplayName", "other"),
    ("KeywordsDisplayNames", "other"),
    ("ContainerLog", "other"),
    ("ActivityId", "other"),
    ("RelatedActivityId", "other"),
];

pub fn classify(line: &str) -> Option<EventLine<'_>> {
    let t = line.trim();
    if t.starts_with("Event[") && t.ends_with("]:") {
        return Some(EventLine::BlockStart);
    }
    if let Some(row) = row(line) {
        return Some(EventLine::Row(row));
    }
    let (key, value) = t.split_once(':')?;
    let key = key.trim_end();
    let value = value.trim();
    if key == "Description" || key == "Message" {
        return Some(EventLine::Description(value));
    }
    let field = KEYS.iter().find(|(k, _)| *k == key)?.1;
    if field == "log" || (field == "date" && key == "TimeCreated") {
        return Some(EventLine::BlockStart);
    }
    Some(EventLine::Field(field, value))
}

/// Event Viewer's tab-separated row: `Error<TAB>4/11/2024 10:02:11 AM<TAB>Source<TAB>12072<TAB>(9)<TAB>Description`.
fn row(line: &str) -> Option<EventText> {
    let mut f = line.split('\t');
    let level = f.next()?.trim();
    if !matches!(
        level,
        "Error" | "Warning" | "Information" | "Critical" | "Verbose" | "Fehler" | "Warnung" | "Informationen" | "Erreur" | "Avertissement"
    ) {
        return None;
    }
    let date = f.next()?.trim();
    let source = f.next()?.trim();
    let id: u32 = f.next()?.trim().parse().ok()?;
    let _task = f.next();
    let message = f.next().unwrap_or("").trim().trim_matches('"');
    if date.is_empty() || source.is_empty() {
        return None;
    }
    Some(EventText {
        source: source.into(),
        id,
        level: level.into(),
        date: date.into(),
        message: message.into(),
        line: 0,
        line_text: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_exports() {
        assert_eq!(classify("Event[0]:"), Some(EventLine::BlockStart));
        assert_eq!(
            classify("  Source: Windows Server Update Services"),
            Some(EventLine::Field("source", "Windows Server Update Services"))
        );
        assert_eq!(classify("  Event ID: 12072"), Some(EventLine::Field("id", "12072")));
        assert_eq!(classify("Id           : 20"), Some(EventLine::Field("id", "20")));
        assert_eq!(classify("TimeCreated  : 4/11/2024 10:02:11 AM"), Some(EventLine::BlockStart));
        assert_eq!(classify("Log Name:      Application"), Some(EventLine::BlockStart));
        assert_eq!(classify("Description:"), Some(EventLine::Description("")));
        assert_eq!(classify("Message      : Installation Failure: x"), Some(EventLine::Description("Installation Failure: x")));
        let Some(EventLine::Row(r)) =
            classify("Error\t4/11/2024 10:02:11 AM\tWindows Server Update Services\t12072\t(9)\tThe WSUS Web Service is not working.")
        else {
            panic!()
        };
        assert_eq!(
            (r.id, r.source.as_str(), r.message.as_str()),
            (12072, "Windows Server Update Services", "The WSUS Web Service is not working.")
        );
        assert_eq!(classify("2009-12-14\t10:19:48:296\t1032\td18\tSetup\tx"), None);
        assert_eq!(classify("just: prose"), None);
    }
}
