//! Windows events as admins paste them: Event Viewer's "Save as .txt" rows (tab-separated:
//! Level, Date and Time, Source, Event ID, Task Category, Description), its "Copy details as
//! text" block, `wevtutil qe /f:text` blocks (`Event[0]:` then `  Source: ...` lines) and
//! `Get-WinEvent | Format-List` blocks (`ProviderName : ...`, `Id : ...`, `Message : ...`).
//!
//! Ids and sources are language-neutral; the message may be in any language and is kept as
//! evidence. A block is complete at its next block or at a blank line after its description.

pub mod reader;

pub use crate::events::EventText;

pub use crate::caps::MAX_EVENT_LINES as MAX_LINES;

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
    // Windows 2000/XP/2003 Event Viewer ("Event Type:" opens the block)
    ("Event Type", "log"),
    ("Event Source", "source"),
    ("Event Category", "other"),
    ("Time", "other"),
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
    // Event Viewer's "Copy details as text" on German, French, Spanish, Italian, Portuguese and
    // Dutch Windows (the id's label is in EVENT_ID_WORDS, the description's in DESCRIPTION_KEYS)
    ("Protokollname", "log"),
    ("Quelle", "source"),
    ("Datum", "date"),
    ("Ebene", "level"),
    ("Aufgabenkategorie", "other"),
    ("Schlüsselwörter", "other"),
    ("Benutzer", "other"),
    ("Nom du journal", "log"),
    ("Niveau", "level"),
    ("Catégorie de la tâche", "other"),
    ("Catégorie", "other"),
    ("Mots clés", "other"),
    ("Mots-clés", "other"),
    ("Utilisateur", "other"),
    ("Ordinateur", "computer"),
    ("Nombre de registro", "log"),
    ("Origen", "source"),
    ("Fecha", "date"),
    ("Nivel", "level"),
    ("Categoría de la tarea", "other"),
    ("Palabras clave", "other"),
    ("Usuario", "other"),
    ("Equipo", "computer"),
    ("Nome registro", "log"),
    ("Origine", "source"),
    ("Data", "date"),
    ("Livello", "level"),
    ("Categoria attività", "other"),
    ("Parole chiave", "other"),
    ("Utente", "other"),
    ("Nome do Log", "log"),
    ("Nome do log", "log"),
    ("Fonte", "source"),
    ("Nível", "level"),
    ("Categoria da Tarefa", "other"),
    ("Palavras-chave", "other"),
    ("Usuário", "other"),
    ("Computador", "computer"),
    ("Logboeknaam", "log"),
    ("Bron", "source"),
    ("Taakcategorie", "other"),
    ("Trefwoorden", "other"),
    ("Gebruiker", "other"),
    // Japanese and Chinese (simplified) Windows
    ("ログの名前", "log"),
    ("ソース", "source"),
    ("日付", "date"),
    ("タスクのカテゴリ", "other"),
    ("レベル", "level"),
    ("キーワード", "other"),
    ("ユーザー", "other"),
    ("コンピューター", "computer"),
    ("日志名称", "log"),
    ("来源", "source"),
    ("日期", "date"),
    ("任务类别", "other"),
    ("级别", "level"),
    ("关键字", "other"),
    ("用户", "other"),
    ("计算机", "computer"),
];

/// "Description" in the same exports and languages: the message follows.
const DESCRIPTION_KEYS: &[&str] =
    &["Description", "Message", "Beschreibung", "Descripción", "Descrizione", "Descrição", "Beschrijving", "説明", "描述"];

/// "Event ID" as Event Viewer and articles write it, in the languages WSUS ships in (lower case).
const EVENT_ID_WORDS: &[&str] = &[
    "event id",
    "eventid",
    "event-id",
    "ereignis-id",
    "ereignis id",
    "ereigniskennung",
    "id de l'événement",
    "id de l’événement",
    "id d'événement",
    "identificateur d'événement",
    "id evento",
    "id. evento",
    "id de evento",
    "id. de evento",
    "id do evento",
    "id. do evento",
    "identificação do evento",
    "id. del evento",
    "id del evento",
    "gebeurtenis-id",
    "id zdarzenia",
    "identyfikator zdarzenia",
    "код события",
    "olay kimliği",
    "händelse-id",
    "hændelses-id",
    "hendelses-id",
    "tapahtuman tunnus",
    "イベント id",
    "事件 id",
    "이벤트 id",
];

/// "event 12072" in a sentence: only with the source on the same line.
const EVENT_WORDS: &[&str] = &["event", "ereignis", "événement", "evento"];

/// The source names an excerpt may give, with the provider they stand for. An article may cut
/// WSUS's source short ("Windows Server Update").
fn canonical_source(text: &str) -> Option<&'static str> {
    let has = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if has("Windows Server Update") || has("windows server update") || has("WINDOWS SERVER UPDATE") {
        Some("Windows Server Update Services")
    } else if has("WindowsUpdateClient") || text.trim().eq_ignore_ascii_case("Windows Update Agent") {
        Some("Microsoft-Windows-WindowsUpdateClient")
    } else {
        None
    }
}

/// The number after an "Event ID" word at the start of `lower` (`: 506`, ` 506`, `#506`).
fn id_after(lower: &str) -> Option<u32> {
    let rest = lower.trim_start_matches([' ', ':', '#', '：', '=']);
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if end == 0 || end > 5 {
        return None;
    }
    rest[..end].parse().ok()
}

/// `EVENT ID 506`, `Ereignis-ID: 507`: a line that is only an event id, in any case and language.
fn event_id_line(t: &str) -> Option<&str> {
    if t.len() > 60 {
        return None;
    }
    let lower = t.to_lowercase();
    let word = EVENT_ID_WORDS.iter().find(|w| lower.starts_with(**w))?;
    let rest = lower[word.len()..].trim_start_matches([' ', ':', '#', '：', '=']);
    if rest.is_empty() || !rest.trim_end().bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id_after(&lower[word.len()..])?;
    // the digits at the end of the original line (lower-casing keeps ASCII digits in place)
    let digits = t.trim_end();
    let start = digits.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + digits[i..].chars().next().map_or(1, char::len_utf8));
    Some(&digits[start..])
}

/// An event quoted in prose: a line that names the source and "Event ID n" together, in any
/// language (`... (Windows Server Update Services Ereignis-ID 507)`). Keyed on the id and the
/// source, which do not change with the language; the line is kept as the message.
pub fn prose_event(t: &str) -> Option<EventText> {
    if t.len() > 2000 {
        return None;
    }
    let source = canonical_source(t)?;
    let lower = t.to_lowercase();
    let id = EVENT_ID_WORDS
        .iter()
        .chain(EVENT_WORDS)
        .find_map(|w| lower.match_indices(w).find_map(|(at, _)| id_after(&lower[at + w.len()..])))?;
    Some(EventText { source: source.into(), id, message: t.trim().into(), ..Default::default() })
}

/// Is this line an "Event ID n" line or an event quoted in prose? (For detection.)
pub fn is_event_id_or_prose_event(t: &str) -> bool {
    event_id_line(t.trim()).is_some() || prose_event(t).is_some()
}

/// The source as the facts key it: the full provider name for one an excerpt cut short.
pub fn source_key(source: &str) -> String {
    match canonical_source(source) {
        Some(s) if !source.eq_ignore_ascii_case(s) => s.to_string(),
        _ => source.to_string(),
    }
}

pub fn classify(line: &str) -> Option<EventLine<'_>> {
    let t = line.trim();
    if t.starts_with("Event[") && t.ends_with("]:") {
        return Some(EventLine::BlockStart);
    }
    if let Some(row) = row(line) {
        return Some(EventLine::Row(row));
    }
    if let Some(id) = event_id_line(t) {
        return Some(EventLine::Field("id", id));
    }
    let (key, value) = t.split_once(':')?;
    let key = key.trim_end();
    let value = value.trim();
    if DESCRIPTION_KEYS.contains(&key) {
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
        lines: Vec::new(),
    })
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): the start of an event block
/// (`Event[0]:`, `Log Name:`...) or an Event Viewer row.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    ((matches!(l.first, b'E' | b'L' | b'T' | b'P' | b'N') || l.first >= 0xE0) && matches!(classify(l.t), Some(EventLine::BlockStart)))
        || (matches!(l.first, b'E' | b'W' | b'I' | b'C' | b'V' | b'F' | b'A') && matches!(classify(l.raw), Some(EventLine::Row(_))))
}

/// Detection's weak probe: an event id, or an event quoted in prose.
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    is_event_id_or_prose_event(l.t)
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

    #[test]
    fn events_quoted_in_articles_and_prose() {
        assert_eq!(classify("EVENT ID 506"), Some(EventLine::Field("id", "506")));
        assert_eq!(classify("Ereignis-ID: 507"), Some(EventLine::Field("id", "507")));
        assert_eq!(classify("イベント ID: 12072"), Some(EventLine::Field("id", "12072")));
        assert_eq!(classify("Event ID 506 is what I see"), None);
        assert_eq!(source_key("Windows Server Update"), "Windows Server Update Services");
        assert_eq!(source_key("Application Error"), "Application Error");
        assert_eq!(source_key("Windows Update Agent"), "Microsoft-Windows-WindowsUpdateClient", "its name on Windows XP and 2003");
        assert_eq!(classify("Event Type: Error"), Some(EventLine::BlockStart));
        assert_eq!(classify("Event Source: Windows Update Agent"), Some(EventLine::Field("source", "Windows Update Agent")));
        let e = prose_event("Update Services konnte nicht initialisiert werden (Windows Server Update Services Ereignis-ID 507).").unwrap();
        assert_eq!((e.source.as_str(), e.id), ("Windows Server Update Services", 507));
        let e = prose_event("Le service a échoué (Windows Server Update Services, ID de l'événement : 12002)").unwrap();
        assert_eq!(e.id, 12002);
        assert!(prose_event("Windows Server Update Services is installed; event id unknown").is_none());
        assert!(prose_event("Event ID 507 from some other source").is_none());
        let e = prose_event("The event log shows Windows Server Update Services event 12072 every ten minutes").unwrap();
        assert_eq!(e.id, 12072);
    }
}
