//! Configuration Manager's logs (`WUAHandler.log`, `ScanAgent.log`, `wsyncmgr.log`, `WCM.log`,
//! `PatchDownloader.log`, `RuleEngine.log`...), in every shape admins paste them:
//!
//! * CMTrace records: `<![LOG[message]LOG]!><time="14:02:26.291+240" date="07-14-2021"
//!   component="WUAHandler" context="" type="3" thread="1234" file="cwuahandler.cpp:123">`,
//!   the message possibly spanning several lines;
//! * the older "simple" layout: `message  $$<WUAHandler><07-14-2021 14:02:26.291+240><thread=1234 (0x4D2)>`;
//! * CMTrace's copy of a row (tab-separated: message, component, date and time, thread).
//!
//! The component says which machine role wrote the record (a client's WUAHandler, a site
//! server's SMS_WSUS_SYNC_MANAGER), the `type` its severity, the bias its time zone.

pub use crate::facts::{CmRecord, CmSeverity};

pub mod reader;

use crate::time::Timestamp;

/// Where a full CMTrace record's message ends and its attributes begin.
const MESSAGE_END: &str = "]LOG]!>";
/// How a CMTrace record starts.
pub const RECORD_START: &str = "<![LOG[";

/// Whether a line is a Configuration Manager record in any of its shapes (detection: cheap
/// checks first, the parse only when the shape fits).
pub fn is_cm_line(t: &str) -> bool {
    if t.starts_with(RECORD_START) {
        return true;
    }
    let t = t.trim_start_matches(['>', ' ']);
    let end = t.trim_end().trim_end_matches(['|', ' ', '\t']);
    (end.ends_with(')') && end.contains(" (0x") && parse_copied_row(t).is_some())
        || (end.ends_with('>') && end.contains("$$<") && parse_simple(t).is_some())
}

/// Whether a line without markup is a Configuration Manager message (an excerpt): Markdown
/// quoting, escapes and emphasis and wsyncmgr's date prefix are looked past.
pub fn is_cm_excerpt(t: &str) -> bool {
    let (excerpt, _) = unquote_excerpt(t);
    parse_message_only(split_date_prefix(&excerpt).1).is_some()
}

/// An excerpt's text with Markdown quoting (`> `), escapes (`SMS\_RULE\_ENGINE`) and bold
/// removed, and whether anything was removed. Borrowed when there was nothing to remove
/// beyond the quoting.
pub fn unquote_excerpt(raw: &str) -> (std::borrow::Cow<'_, str>, bool) {
    let unquoted = raw.trim_start().trim_start_matches('>').trim_start();
    let quoted = unquoted.len() != raw.len();
    if unquoted.contains('\\') || unquoted.contains("**") {
        let clean = unquoted.replace("\\_", "_").replace("\\*", "*").replace("**", "");
        let changed = quoted || clean.len() != unquoted.len();
        (std::borrow::Cow::Owned(clean), changed)
    } else {
        (std::borrow::Cow::Borrowed(unquoted), quoted)
    }
}

/// A whole CMTrace record (`<![LOG[...]LOG]!><time=... >`) on one line.
pub fn parse_record(line: &str) -> Option<CmRecord<'_>> {
    let start = line.find(RECORD_START)?;
    let body = &line[start + RECORD_START.len()..];
    let end = body.find(MESSAGE_END)?;
    let message = &body[..end];
    let attrs = &body[end + MESSAGE_END.len()..];
    Some(record_with_attributes(message, attrs))
}

/// A record from its message and its `<time="..." date="..." ...>` attributes.
pub fn record_with_attributes<'a>(message: &'a str, attrs: &'a str) -> CmRecord<'a> {
    let (clock, bias) = attr(attrs, "time").map(split_bias).unwrap_or(("", None));
    let date = attr(attrs, "date").unwrap_or("");
    CmRecord {
        message,
        component: attr(attrs, "component").unwrap_or(""),
        time: time_of(date, clock),
        zone_minutes: bias.map(|b| -b),
        severity: match attr(attrs, "type") {
            Some("1") => Some(CmSeverity::Info),
            Some("2") => Some(CmSeverity::Warning),
            Some("3") => Some(CmSeverity::Error),
            _ => None,
        },
        thread: attr(attrs, "thread").unwrap_or(""),
    }
}

/// The "simple" layout: `message  $$<component><date time><thread=N (0x..)>`.
pub fn parse_simple(line: &str) -> Option<CmRecord<'_>> {
    let at = line.rfind("$$<")?;
    let message = line[..at].trim_end();
    let mut fields = line[at + 2..].split('>').map(|f| f.trim_start_matches('<'));
    let component = fields.next()?.trim();
    let when = fields.next().unwrap_or("").trim();
    let thread = fields.next().unwrap_or("").trim();
    if component.is_empty() || component.len() > 64 || component.contains(char::is_whitespace) {
        return None;
    }
    let thread = thread.strip_prefix("thread=").map(|t| t.split_whitespace().next().unwrap_or("")).unwrap_or("");
    let (date, clock) = when.split_once(' ').unwrap_or((when, ""));
    let (clock, bias) = split_bias(clock);
    Some(CmRecord { message, component, time: time_of(date, clock), zone_minutes: bias.map(|b| -b), severity: None, thread })
}

/// CMTrace's copied row: `message<TAB>component<TAB>7/14/2021 2:02:26 PM<TAB>1234 (0x04D2)`,
/// also with its tabs flattened to spaces by a forum (`... SMS_RULE_ENGINE 5/23/2014 2:00:10 AM
/// 5292 (0x14AC)`) and with a table's trailing pipes.
pub fn parse_copied_row(line: &str) -> Option<CmRecord<'_>> {
    let line = line.trim_end().trim_end_matches(['|', ' ', '\t']);
    // the thread: `5292 (0x14AC)` at the end
    let open = line.rfind(" (0x")?;
    if !line.ends_with(')') || !line[open + 4..line.len() - 1].bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let head = line[..open].trim_end();
    let thread_at = head.rfind([' ', '\t'])? + 1;
    let thread = &head[thread_at..];
    if thread.is_empty() || !thread.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut rest = head[..thread_at].trim_end();
    // optional AM/PM, then the clock and the date
    let mut ampm = None;
    for (word, pm) in [("AM", false), ("PM", true)] {
        if let Some(r) = rest.strip_suffix(word) {
            ampm = Some(pm);
            rest = r.trim_end();
        }
    }
    let clock_at = rest.rfind([' ', '\t'])? + 1;
    let clock = &rest[clock_at..];
    let rest2 = rest[..clock_at].trim_end();
    let date_at = rest2.rfind([' ', '\t'])? + 1;
    let date = &rest2[date_at..];
    let before = rest2[..date_at].trim_end();
    let comp_at = before.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let component = &before[comp_at..];
    let message = before[..comp_at].trim_end();
    let component_ok =
        !component.is_empty() && component.len() <= 64 && component.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if !component_ok || !date.contains('/') || !clock.contains(':') {
        return None;
    }
    let mut time = time_of(date, clock);
    if let (Some(t), Some(pm)) = (time.as_mut(), ampm) {
        match (pm, t.hour) {
            (true, h) if h < 12 => t.hour += 12,
            (false, 12) => t.hour = 0,
            _ => {}
        }
    }
    Some(CmRecord { message, component, time, zone_minutes: None, severity: None, thread })
}

/// Messages only Configuration Manager writes, with the component that writes them: an
/// excerpt that lost its markup and columns still says which log (and role) it comes from.
const KNOWN_MESSAGES: &[(&str, &str)] = &[
    ("OnSearchComplete - Failed to end search job", "WUAHandler"),
    ("Scan failed with error", "WUAHandler"),
    ("overwritten by a higher authority", "WUAHandler"),
    ("Unable to read existing WUA Group Policy object", "WUAHandler"),
    ("Unable to read existing WUA resultant policy", "WUAHandler"),
    ("Its a WSUS Update Source type", "WUAHandler"),
    ("Its a completely new WSUS Update Source", "WUAHandler"),
    ("Enabling WUA Managed server policy", "WUAHandler"),
    ("Existing WUA Managed server was already set", "WUAHandler"),
    ("Successfully completed scan", "WUAHandler"),
    ("Async searching of updates using WUAgent", "WUAHandler"),
    ("Failed to Add Update Source for WUAgent", "WUAHandler"),
    ("Failed to download updates to the WUAgent datastore", "WUAHandler"),
    ("CScanJob::", "ScanAgent"),
    ("CScanAgent::", "ScanAgent"),
    ("WSUSLocationUpdate received", "ScanAgent"),
    ("Sync failed", "SMS_WSUS_SYNC_MANAGER"),
    ("Sync Failed", "SMS_WSUS_SYNC_MANAGER"),
    ("Failed to sync update", "SMS_WSUS_SYNC_MANAGER"),
    ("Sync succeeded", "SMS_WSUS_SYNC_MANAGER"),
    ("Done synchronizing SMS with WSUS", "SMS_WSUS_SYNC_MANAGER"),
    ("Sync failures summary", "SMS_WSUS_SYNC_MANAGER"),
    ("ImportUpdateFromCatalogSite failed", "SMS_WSUS_SYNC_MANAGER"),
    ("Remote WSUS connection is not HTTPS", "SMS_WSUS_SYNC_MANAGER"),
    ("connection to local WSUS server", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("connected to local WSUS server", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("WSUS_CONFIG_SUCCESS", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("WSUS_CONFIG_FAILED", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("Failed to set Subscriptions", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("categories unknown to WSUS", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("Remote configuration failed on WSUS Server", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("The request failed with HTTP status", "SMS_WSUS_CONFIGURATION_MANAGER"),
    ("DownloadUpdateContent()", "PatchDownloader"),
    ("Authentication of file", "PatchDownloader"),
    ("Unexpected HRESULT for downloading complete", "WUAHandler"),
    ("Synchronizing update", "SMS_WSUS_SYNC_MANAGER"),
    ("DownloadContentFiles()", "PatchDownloader"),
    ("HttpSendRequest failed", "PatchDownloader"),
    ("Download destination =", "PatchDownloader"),
    ("Failed to create temp file with GetTempFileName", "PatchDownloader"),
    ("CreateLinkToExistingFile()", "PatchDownloader"),
    ("Failed to download the update content with ID", "SMS_RULE_ENGINE"),
    ("Failed to download ContentID", "SMS_RULE_ENGINE"),
    ("Failed to download any update", "SMS_RULE_ENGINE"),
    ("Failed to download update contents", "SMS_RULE_ENGINE"),
    ("DownloadAction for the AutoDeployment", "SMS_RULE_ENGINE"),
    ("CDTSJob::", "DataTransferService"),
];

/// Components a message-only row may end with (`Scan failed ...     WUAHandler`).
const COMPONENTS: &[&str] = &[
    "WUAHandler",
    "ScanAgent",
    "UpdatesDeployment",
    "UpdatesHandler",
    "UpdatesStore",
    "WUSSyncXML",
    "LocationServices",
    "DataTransferService",
    "PatchDownloader",
    "SMS_WSUS_SYNC_MANAGER",
    "SMS_WSUS_CONFIGURATION_MANAGER",
    "SMS_WSUS_CONTROL_MANAGER",
    "SMS_RULE_ENGINE",
];

/// A Configuration Manager message without markup or columns (forum and article excerpts): its
/// component from a trailing component name, from a `STATMSG ... COMP="..."`, or from the
/// message itself. Markdown quoting and escapes are repaired first by the caller.
pub fn parse_message_only(line: &str) -> Option<CmRecord<'_>> {
    let t = line.trim();
    if t.is_empty() || t.len() > 8192 {
        return None;
    }
    let (message, component) = match t.rsplit_once([' ', '\t']) {
        Some((m, last)) if COMPONENTS.iter().any(|c| c.eq_ignore_ascii_case(last)) && !m.trim().is_empty() => (m.trim_end(), last),
        _ => {
            let statmsg = t.find("COMP=\"").map(|i| &t[i + 6..]).and_then(|r| r.split('"').next()).filter(|c| c.starts_with("SMS_"));
            let known = KNOWN_MESSAGES.iter().find(|(m, _)| t.contains(m)).map(|(_, c)| *c);
            (t, statmsg.or(known)?)
        }
    };
    Some(CmRecord { message, component, time: None, zone_minutes: None, severity: None, thread: "" })
}

/// A leading `08-14-2019 08:37:30.102 ` (wsyncmgr's older layout): the time and the rest.
pub fn split_date_prefix(t: &str) -> (Option<Timestamp>, &str) {
    let b = t.as_bytes();
    if b.len() > 20 && b[2] == b'-' && b[5] == b'-' && b[10] == b' ' && b[13] == b':' && b[..19].is_ascii() {
        let end = t[11..].find(' ').map_or(t.len(), |i| 11 + i);
        if let Some(ts) = time_of(&t[..10], &t[11..end]) {
            return (Some(ts), t[end..].trim_start());
        }
    }
    (None, t)
}

/// `attr="value"` in a CMTrace attribute list.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(p) = attrs[from..].find(name) {
        let at = from + p;
        from = at + name.len();
        let before_ok = at == 0 || attrs.as_bytes()[at - 1] == b' ' || attrs.as_bytes()[at - 1] == b'<';
        if let Some(rest) = attrs[at + name.len()..].strip_prefix("=\"") {
            if before_ok {
                return rest.split('"').next();
            }
        }
    }
    None
}

/// `14:02:26.291+240` -> (`14:02:26.291`, Some(240)).
fn split_bias(clock: &str) -> (&str, Option<i32>) {
    match clock.rfind(['+', '-']) {
        Some(i) if i > 0 => (&clock[..i], clock[i..].parse::<i32>().ok().filter(|b| b.abs() <= 14 * 60)),
        _ => (clock, None),
    }
}

/// `07-14-2021` and `14:02:26.291`.
fn time_of(date: &str, clock: &str) -> Option<Timestamp> {
    let mut d = date.split(['-', '/']);
    let (m, day, y) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let mut c = clock.split([':', '.']);
    let (h, mi, s) = (c.next()?.parse().ok()?, c.next()?.parse().ok()?, c.next()?.parse().ok()?);
    Timestamp::new(y, m, day, h, mi, s)
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a record in any of its shapes.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    is_cm_line(l.t)
}

/// Detection's weak probe: a message only ConfigMgr writes, quoted without its markup (after a
/// digit only in wsyncmgr's older layout, `08-14-2019 08:37:30.102 Sync failed: ...`).
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    match l.first {
        b'0'..=b'9' => l.t.as_bytes().get(2) == Some(&b'-') && is_cm_excerpt(l.t),
        b'#' => false,
        _ => is_cm_excerpt(l.t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmtrace_records_with_their_attributes() {
        let r = parse_record(r#"<![LOG[Scan failed with error = 0x80244022.]LOG]!><time="14:02:26.291+240" date="07-14-2021" component="WUAHandler" context="" type="3" thread="1234" file="cwuahandler.cpp:2425">"#).unwrap();
        assert_eq!(r.message, "Scan failed with error = 0x80244022.");
        assert_eq!(r.component, "WUAHandler");
        assert_eq!(r.severity, Some(CmSeverity::Error));
        assert_eq!(r.thread, "1234");
        assert_eq!(r.time, Timestamp::new(2021, 7, 14, 14, 2, 26));
        assert_eq!(r.zone_minutes, Some(-240));
        let r = parse_record(r#"<![LOG[Sync failed: UssCommunicationError]LOG]!><time="03:11:02.105-60" date="11-30-2026" component="SMS_WSUS_SYNC_MANAGER" context="" type="1" thread="4440" file="">"#).unwrap();
        assert_eq!((r.component, r.zone_minutes, r.severity), ("SMS_WSUS_SYNC_MANAGER", Some(60), Some(CmSeverity::Info)));
    }

    #[test]
    fn simple_layout_and_copied_rows() {
        let r = parse_simple("Sync failed: WSUS update source not found on site PS1.  $$<SMS_WSUS_SYNC_MANAGER><11-12-2019 10:15:03.472+300><thread=5656 (0x1618)>").unwrap();
        assert_eq!(
            (r.message, r.component, r.thread),
            ("Sync failed: WSUS update source not found on site PS1.", "SMS_WSUS_SYNC_MANAGER", "5656")
        );
        assert_eq!(r.time, Timestamp::new(2019, 11, 12, 10, 15, 3));
        let r = parse_copied_row("Scan failed with error = 0x80072ee2.\tWUAHandler\t7/14/2021 2:02:26 PM\t1234 (0x04D2)").unwrap();
        assert_eq!((r.component, r.time), ("WUAHandler", Timestamp::new(2021, 7, 14, 14, 2, 26)));
        assert!(parse_copied_row("2016-05-18\t06:30:51:843\t 676\t3968").is_none());
        let r = parse_copied_row("Found notification file C:\\Program Files\\Microsoft Configuration Manager\\inboxes\\RuleEngine.box\\9.RUL SMS_RULE_ENGINE 5/23/2014 2:00:10 AM 5292 (0x14AC)").unwrap();
        assert_eq!((r.component, r.thread, r.time), ("SMS_RULE_ENGINE", "5292", Timestamp::new(2014, 5, 23, 2, 0, 10)));
        let r = parse_copied_row(
            "Unable to read existing WUA Group Policy object. Error = 0x80004005. WUAHandler 12/6/2017 3:41:00 PM 2828 (0x0B0C) | |",
        )
        .unwrap();
        assert_eq!(
            (r.message, r.component, r.time),
            ("Unable to read existing WUA Group Policy object. Error = 0x80004005.", "WUAHandler", Timestamp::new(2017, 12, 6, 15, 41, 0))
        );
        assert!(parse_simple("price $$<not a log").is_none());
        let r = parse_message_only("Enabling WUA Managed server policy to use server: http://PS1SITE.CONTOSO.COM:8530     WUAHandler  ")
            .unwrap();
        assert_eq!(
            (r.message, r.component),
            ("Enabling WUA Managed server policy to use server: http://PS1SITE.CONTOSO.COM:8530", "WUAHandler")
        );
        assert_eq!(parse_message_only("OnSearchComplete - Failed to end search job. Error = 0x80244022").unwrap().component, "WUAHandler");
        assert_eq!(
            parse_message_only("STATMSG: ID=8706 SEV=E LEV=M SOURCE=\"SMS Server\" COMP=\"SMS_RULE_ENGINE\" SYS=CM01").unwrap().component,
            "SMS_RULE_ENGINE"
        );
        assert!(parse_message_only("2016-05-18 06:30:51:843 676 3968 Agent Exit code = 0x80244022").is_none());
    }
}
