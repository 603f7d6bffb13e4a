//! The client's event vocabulary ([`WuEvent`]): what a Windows Update client message means,
//! whichever format carried it. WindowsUpdate.log lines (classic, Windows 10 and decoded ETL),
//! ReportingEvents rows and Windows Update client events (event text, EVTX) all map into it, and
//! the facts and the timeline read only these events, not the formats.
//!
//! Well-known WindowsUpdate.log messages are turned into typed events by [`interpret`];
//! ReportingEvents and event-log messages by [`report_text`].
//!
//! The wording matched here is what the agent really writes (identical from XP-era 5.x/7.x agents
//! to Windows 10), so a message is recognised whether or not its columns survived the paste.

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
    /// The message's lines with their numbers, for messages read over several lines (evidence
    /// can then cite the telling line, e.g. a process event's `ParentImage:`); at most [`crate::caps::MAX_EVENT_LINES`].
    pub lines: Vec<(u64, String)>,
}

/// Something a log message tells us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WuEvent<'a> {
    /// `Logging initialized (build: 7.4.7600.226, tz: -0500)`
    LoggingInitialized { build: &'a str, tz_minutes: Option<i32> },
    /// `WU client version 7.4.7600.226` / `Client version: Core: 7.4.7600.226`
    AgentVersion(&'a str),
    /// `WSUS server: http://wsus01` (`None` for `<NULL>` / `(null)` / empty)
    WsusServer(Option<&'a str>),
    /// `WSUS status server: ...`
    WsusStatusServer(Option<&'a str>),
    /// `Server URL = http://wsus01/ClientWebService/client.asmx`
    ServerUrl(&'a str),
    /// `Checking for agent SelfUpdate`
    SelfUpdateCheck,
    /// `IsUpdateRequired failed`, `SelfUpdate check failed`, `Skipping scan, self-update check returned`
    SelfUpdateFailed,
    /// `DownloadFileInternal failed for <url>` / `SendRequestUsingProxy failed for <url>`
    DownloadFailed { url: &'a str },
    /// `WS error: There was an error communicating with the endpoint at '<url>'`
    EndpointError { url: &'a str },
    /// `** START **  Agent: Finding updates` / `* START * Finding updates`
    SearchStarted,
    /// `Found 3 updates and 52 categories in search`
    SearchSucceeded { found: u32 },
    /// `Exit code = 0x...` in a search, `WU client failed Searching for update`, `Failed to find updates`
    SearchFailed,
    /// `SyncServerUpdatesInternal failed`, `PTError: 0x...`, `Sync of Updates: 0x...`
    SyncFailed,
    /// `Reporter successfully uploaded N events` / `Sync of Updates` without error: the server answered.
    ServerAnswered,
    /// `Installation Successful: Windows successfully installed the following update: <title>`
    InstallSucceeded { title: &'a str },
    /// `Installation Failure: Windows failed to install the following update with error 0x..: <title>`
    InstallFailed { title: &'a str },
    /// An update offered for (re)installation: `Installation Started/Ready`, `Title = <title>`.
    InstallOffered { title: &'a str },
    /// The agent says it is in legacy (SUS) mode.
    LegacyMode,
    /// A Windows 10 ETL record that was not decoded: `Unknown( 10): GUID=... (No Format Information found)`.
    UndecodedEtl,
    /// `OS Version = 5.1.2600.5512...` and similar.
    OsVersion(&'a str),
    /// `Windows Update access disabled: Yes` in the configuration block: the policy "Remove
    /// access to use all Windows Update features" (DisableWindowsUpdateAccess) as the agent read it.
    UpdateAccessDisabled(bool),
    /// `Approval type: Disabled (Policy)` or `Disabled (User preference)`: Automatic Updates
    /// turned off, by Group Policy or by the user's own setting.
    AutoUpdateDisabled { by_policy: bool },
}

/// Remove the component's indent marker (`  * `, `  # `, `  - `, `  + `, `  = `, `  : `).
pub fn strip_marker(message: &str) -> &str {
    let t = message.trim_start();
    for m in ["* ", "# ", "- ", "+ ", "= ", ": "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim_start();
        }
    }
    t
}

fn after<'a>(hay: &'a str, needle: &str) -> Option<&'a str> {
    hay.find(needle).map(|p| &hay[p + needle.len()..])
}

/// `<NULL>`, `(null)` and empty mean "not set"; policy refreshes append `(Changed)`/`(Unchanged)`.
fn config_value(v: &str) -> Option<&str> {
    let v = v.trim();
    let v = v.strip_suffix("(Changed)").or_else(|| v.strip_suffix("(Unchanged)")).unwrap_or(v).trim();
    // quoted as code or in quotes by a forum or a ticket: `http://wsus01:8530`
    let v = v.trim_matches(['`', '"', '\'', '<', '>']).trim();
    if v.is_empty() || v.eq_ignore_ascii_case("NULL") || v.eq_ignore_ascii_case("(null)") {
        None
    } else {
        Some(v)
    }
}

fn first_token(v: &str) -> &str {
    v.trim().split([' ', '\t', ',', ')']).next().unwrap_or("")
}

/// URL in `<http://...>`, `'http://...'` or bare up to the next space, `:` + space or `.` at end.
fn url_in(text: &str) -> Option<&str> {
    let p = text.find("http://").or_else(|| text.find("https://"))?;
    let rest = &text[p..];
    let end = rest.find(['>', '\'', '"', ' ', '\t']).unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ':', ',']);
    Some(url)
}

fn title_after_colon(text: &str) -> &str {
    // "...the following update with error 0x80070643: Security Intelligence Update ... (KB2267602)"
    if let Some(p) = text.find("with error 0x") {
        if let Some(c) = text[p..].find(": ") {
            return text[p + c + 2..].trim().trim_end_matches('.').trim();
        }
    }
    // "...the following update: Update for Root Certificates [May 2009] (KB931125)"
    match text.rfind("update: ") {
        Some(p) => text[p + 8..].trim().trim_start_matches("- ").trim(),
        None => text.trim(),
    }
}

/// Interpret one message. Returns `None` for messages that carry nothing a rule uses.
pub fn interpret<'a>(component: &str, message: &'a str) -> Option<WuEvent<'a>> {
    // An undecoded ETL record has "Unknown( NN):" where the component belongs.
    if component.starts_with("Unknown(") {
        return Some(WuEvent::UndecodedEtl);
    }
    let m = strip_marker(message);
    if m.is_empty() {
        return None;
    }
    let first = m.as_bytes()[0];
    match first {
        b'W' => {
            if let Some(v) = m.strip_prefix("WSUS server:") {
                return Some(WuEvent::WsusServer(config_value(v)));
            }
            if let Some(v) = m.strip_prefix("WSUS status server:") {
                return Some(WuEvent::WsusStatusServer(config_value(v)));
            }
            if let Some(v) = m.strip_prefix("Windows Update access disabled:") {
                let v = v.trim().trim_end_matches('.');
                if v.eq_ignore_ascii_case("yes") || v.eq_ignore_ascii_case("no") {
                    return Some(WuEvent::UpdateAccessDisabled(v.eq_ignore_ascii_case("yes")));
                }
            }
            if let Some(v) = m.strip_prefix("WU client version ") {
                return Some(WuEvent::AgentVersion(first_token(v)));
            }
            if m.starts_with("WU client failed Searching for update") {
                return Some(WuEvent::SearchFailed);
            }
            if m.starts_with("WS error:") {
                return Some(WuEvent::EndpointError { url: url_in(m).unwrap_or("") });
            }
            if let Some(rest) = m.strip_prefix("WARNING: ") {
                return interpret_warning(rest.trim_start());
            }
        }
        b'F' => {
            if let Some(rest) = m.strip_prefix("FATAL: ") {
                return interpret_warning(rest.trim_start());
            }
            if let Some(v) = m.strip_prefix("Found ") {
                if m.contains(" updates and ") || m.ends_with(" updates") || m.contains(" updates in ") {
                    if let Ok(n) = first_token(v).parse() {
                        return Some(WuEvent::SearchSucceeded { found: n });
                    }
                }
            }
            if m.starts_with("Failed to find updates with error code") {
                return Some(WuEvent::SearchFailed);
            }
        }
        b'*' => {
            // Windows 10: "*FAILED* [8024401C] ...", "* START * Finding updates ..."
            if m.starts_with("*FAILED*") {
                return if m.contains("Search") || m.contains("Finding") || m.contains("Sync") {
                    Some(WuEvent::SearchFailed)
                } else {
                    None
                };
            }
            if m.starts_with("* START *") && (m.contains("Finding updates") || m.contains("Search ClientId")) {
                return Some(WuEvent::SearchStarted);
            }
            if m.starts_with("** START **") && m.contains("Finding updates") {
                return Some(WuEvent::SearchStarted);
            }
        }
        b'C' => {
            if m.starts_with("Checking for agent SelfUpdate") {
                return Some(WuEvent::SelfUpdateCheck);
            }
            if let Some(v) = m.strip_prefix("Client version: Core: ") {
                return Some(WuEvent::AgentVersion(first_token(v)));
            }
        }
        b'I' => {
            if let Some(v) = m.strip_prefix("Installation Successful:") {
                return Some(WuEvent::InstallSucceeded { title: title_after_colon(v) });
            }
            if let Some(v) = m.strip_prefix("Installation Failure:") {
                return Some(WuEvent::InstallFailed { title: title_after_colon(v) });
            }
            if let Some(v) = m.strip_prefix("Installation Started:").or_else(|| m.strip_prefix("Installation Ready:")) {
                return Some(WuEvent::InstallOffered { title: title_after_colon(v) });
            }
        }
        b'T' => {
            if let Some(v) = m.strip_prefix("Title = ") {
                return Some(WuEvent::InstallOffered { title: v.trim() });
            }
        }
        b'R' => {
            if m.starts_with("Reporter successfully uploaded") {
                return Some(WuEvent::ServerAnswered);
            }
            if m.starts_with("REPORT EVENT:") {
                return interpret_report_event(m);
            }
        }
        b'O' => {
            if let Some(v) = m.strip_prefix("OS Version = ").or_else(|| m.strip_prefix("OS Version: ")) {
                return Some(WuEvent::OsVersion(first_token(v)));
            }
        }
        b'A' => {
            if let Some(v) = m.strip_prefix("Approval type: ") {
                if v.starts_with("Disabled") {
                    return Some(WuEvent::AutoUpdateDisabled { by_policy: !v.contains("User preference") });
                }
            }
            // Windows 7's AU component at start-up: `# AU disabled through User preference`
            if let Some(v) = m.strip_prefix("AU disabled through ") {
                return Some(WuEvent::AutoUpdateDisabled { by_policy: !v.starts_with("User preference") });
            }
        }
        // Windows 10/11: `BITS job {...} failed, updateId = ..., hr = 0x80190194. File URL = http://...`
        b'B' if m.starts_with("BITS job") && m.contains(" failed") => {
            if let Some(p) = m.find("File URL = ") {
                return Some(WuEvent::DownloadFailed { url: url_in(&m[p..]).unwrap_or("") });
            }
        }
        b'U' if m.starts_with("Unknown(") && m.contains("No Format Information found") => {
            return Some(WuEvent::UndecodedEtl);
        }
        b'=' => {
            if let Some(v) = after(m, "Logging initialized (build: ") {
                let build = first_token(v);
                let tz = after(v, "tz: ").and_then(parse_tz);
                return Some(WuEvent::LoggingInitialized { build, tz_minutes: tz });
            }
        }
        b'G' if m.starts_with("GUID=") && m.contains("No Format Information found") => {
            return Some(WuEvent::UndecodedEtl);
        }
        _ => {}
    }
    // Windows 10 writes the protocol talker's failures without a WARNING: prefix.
    if m.starts_with("PTError: 0x8")
        || m.starts_with("SyncServerUpdatesInternal failed")
        || m.starts_with("Sync of Updates 0x8")
        || m.starts_with("Failed to synchronize, error = 0x8")
    {
        return Some(WuEvent::SyncFailed);
    }
    if m.starts_with("Exit code = 0x8") {
        return Some(WuEvent::SearchFailed);
    }
    // Messages whose key phrase is not at the start ("ServiceId = {...}, Server URL = ...").
    if let Some(p) = finders().server_url.find(m.as_bytes()) {
        let v = &m[p + "Server URL".len()..];
        let v = v.trim_start().trim_start_matches(['=', ':']).trim_start();
        return Some(WuEvent::ServerUrl(first_token(v)));
    }
    if is_legacy_mode(m) {
        return Some(WuEvent::LegacyMode);
    }
    None
}

fn interpret_warning(w: &str) -> Option<WuEvent<'_>> {
    // the web service layer's errors, pasted with `WARNING:` where the log had `WS error:`
    if w.starts_with("There was an error communicating with the endpoint") {
        return Some(WuEvent::EndpointError { url: url_in(w).unwrap_or("") });
    }
    if w.starts_with("The server returned HTTP status code") {
        return Some(WuEvent::EndpointError { url: "" });
    }
    if w.starts_with("DownloadFileInternal failed for") || w.contains("SendRequestUsingProxy failed for") {
        return Some(WuEvent::DownloadFailed { url: url_in(w).unwrap_or("") });
    }
    // `Fail to download eula file http://wsus01:8530/Content/AE/....txt with error 0x80244019`
    if w.starts_with("Fail to download") || w.starts_with("Failed to download") {
        if let Some(url) = url_in(w) {
            return Some(WuEvent::DownloadFailed { url });
        }
    }
    if w.contains("IsUpdateRequired failed")
        || w.starts_with("SelfUpdate check failed")
        || w.starts_with("Skipping scan, self-update check returned")
        || w.starts_with("SelfUpdate: Default Service:")
    {
        return Some(WuEvent::SelfUpdateFailed);
    }
    if w.starts_with("Exit code = 0x8") || w.starts_with("Exit code = 0X8") {
        return Some(WuEvent::SearchFailed);
    }
    if w.starts_with("WU client failed Searching for update")
        || w.starts_with("Failed to find updates with error code")
        || w.starts_with("Search callback failed")
    {
        return Some(WuEvent::SearchFailed);
    }
    if w.starts_with("SyncServerUpdatesInternal failed")
        || w.starts_with("PTError:")
        || w.starts_with("Sync of Updates:")
        || w.starts_with("SyncUpdates failure")
        || w.starts_with("GetCookie failure")
        || w.starts_with("GetConfig failure")
        || w.starts_with("GetAuthorizationCookie failure")
        || w.starts_with("Failed to obtain")
    {
        return Some(WuEvent::SyncFailed);
    }
    if is_legacy_mode(w) {
        return Some(WuEvent::LegacyMode);
    }
    None
}

/// Classic `REPORT EVENT:` rows carry tab-separated fields; the last is the human text.
fn interpret_report_event(m: &str) -> Option<WuEvent<'_>> {
    // the human text is the last column, or the one before a Windows 10 correlation vector
    let mut cols = m.rsplit('\t');
    let last = cols.next().unwrap_or(m).trim();
    let text = if !last.contains(' ') && last.contains('.') { cols.next().unwrap_or(last).trim() } else { last };
    report_text(text, m.contains("\tSuccess\t") || m.contains("Success"))
}

/// The event a ReportingEvents message text stands for (`success`: its status column).
/// A Windows Update client event read by its id, for messages in another language than
/// English (`Installationsfehler: Fehler 0x80070643 beim Installieren des folgenden Updates:
/// <title>`): 19 installed, 20 failed, 43 started, 25 a search failed. The title is what follows
/// the message's last colon.
pub fn client_event_by_id(id: u32, text: &str) -> Option<WuEvent<'_>> {
    let title = || {
        let t = text.trim().trim_end_matches('.');
        let t = t.rfind(": ").or_else(|| t.rfind('：')).map_or(t, |p| &t[p + t[p..].chars().next().map_or(1, char::len_utf8)..]);
        t.trim_start_matches([':', ' ', '：']).trim()
    };
    match id {
        19 => Some(WuEvent::InstallSucceeded { title: title() }),
        20 => Some(WuEvent::InstallFailed { title: title() }),
        43 => Some(WuEvent::InstallOffered { title: title() }),
        25 => Some(WuEvent::SearchFailed),
        _ => None,
    }
}

pub fn report_text(text: &str, success: bool) -> Option<WuEvent<'_>> {
    if let Some(v) = text.strip_prefix("Installation Successful:") {
        return Some(WuEvent::InstallSucceeded { title: title_after_colon(v) });
    }
    if let Some(v) = text.strip_prefix("Installation Failure:") {
        return Some(WuEvent::InstallFailed { title: title_after_colon(v) });
    }
    if let Some(v) = text.strip_prefix("Installation Started:").or_else(|| text.strip_prefix("Installation Ready:")) {
        return Some(WuEvent::InstallOffered { title: title_after_colon(v) });
    }
    if text.contains("successfully detected") || text.contains("Software Synchronization") && success {
        return Some(WuEvent::ServerAnswered);
    }
    None
}

/// Substring searchers built once: building one per message cost more than the search.
struct Finders {
    server_url: memchr::memmem::Finder<'static>,
    egacy: memchr::memmem::Finder<'static>,
}

fn finders() -> &'static Finders {
    static F: std::sync::OnceLock<Finders> = std::sync::OnceLock::new();
    F.get_or_init(|| Finders { server_url: memchr::memmem::Finder::new("Server URL"), egacy: memchr::memmem::Finder::new("egacy") })
}

fn is_legacy_mode(m: &str) -> bool {
    // cheap pre-filter ("egacy" matches Legacy and legacy), then the real test
    if finders().egacy.find(m.as_bytes()).is_none() {
        return false;
    }
    let l = m.to_ascii_lowercase();
    l.contains("legacy") && (l.contains("sus server") || l.contains("legacy mode") || l.contains("legacy server"))
}

/// `-0500`, `+0200`, `+05:30` to minutes east of UTC.
fn parse_tz(v: &str) -> Option<i32> {
    let t: String = v.trim().chars().take_while(|c| *c != ')' && *c != ' ').filter(|c| *c != ':').collect();
    let (sign, digits) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => (1, &t[..]),
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let mi: i32 = digits[2..].parse().ok()?;
    (h <= 14 && mi < 60).then_some(sign * (h * 60 + mi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_block_values() {
        assert_eq!(interpret("Agent", "  * WSUS server: http://wsus01"), Some(WuEvent::WsusServer(Some("http://wsus01"))));
        assert_eq!(interpret("Agent", "  * WSUS server: <NULL>"), Some(WuEvent::WsusServer(None)));
        assert_eq!(
            interpret("Agent", "* WSUS server: `http://wsus01:8530` (Changed)"),
            Some(WuEvent::WsusServer(Some("http://wsus01:8530")))
        );
        assert_eq!(interpret("Agent", "  * WSUS server: (null) (Unchanged)"), Some(WuEvent::WsusServer(None)));
        assert_eq!(
            interpret("Agent", "  * WSUS status server: http://wsus01:8530 (Changed)"),
            Some(WuEvent::WsusStatusServer(Some("http://wsus01:8530")))
        );
    }

    #[test]
    fn session_header_gives_build_and_zone() {
        assert_eq!(
            interpret("Misc", "===========  Logging initialized (build: 7.4.7600.226, tz: -0500)  ==========="),
            Some(WuEvent::LoggingInitialized { build: "7.4.7600.226", tz_minutes: Some(-300) })
        );
    }

    #[test]
    fn self_update_chain() {
        assert_eq!(interpret("Setup", "Checking for agent SelfUpdate"), Some(WuEvent::SelfUpdateCheck));
        assert_eq!(
            interpret("Misc", "WARNING: DownloadFileInternal failed for http://wsus01/selfupdate/wuident.cab: error 0x80190194"),
            Some(WuEvent::DownloadFailed { url: "http://wsus01/selfupdate/wuident.cab" })
        );
        assert_eq!(
            interpret(
                "Misc",
                "WARNING: WinHttp: SendRequestUsingProxy failed for <http://wsus01/selfupdate/wuident.cab>. error 0x80190194"
            ),
            Some(WuEvent::DownloadFailed { url: "http://wsus01/selfupdate/wuident.cab" })
        );
        assert_eq!(interpret("Setup", "FATAL: IsUpdateRequired failed with error 0x80244019"), Some(WuEvent::SelfUpdateFailed));
        assert_eq!(
            interpret("Agent", "  * WARNING: Skipping scan, self-update check returned 0x80244019"),
            Some(WuEvent::SelfUpdateFailed)
        );
    }

    #[test]
    fn search_results() {
        assert_eq!(interpret("Agent", "** START **  Agent: Finding updates [CallerId = AutomaticUpdates]"), Some(WuEvent::SearchStarted));
        assert_eq!(
            interpret(
                "Agent",
                "  * Found 3 updates and 52 categories in search; evaluated appl. rules of 517 out of 1046 deployed entities"
            ),
            Some(WuEvent::SearchSucceeded { found: 3 })
        );
        assert_eq!(interpret("Agent", "  * WARNING: Exit code = 0x8024402C"), Some(WuEvent::SearchFailed));
        assert_eq!(interpret("ComApi", "*FAILED* [8024401C] Search ClientId = UpdateOrchestrator"), Some(WuEvent::SearchFailed));
    }

    #[test]
    fn installs_from_report_events() {
        let m = "REPORT EVENT: {D8DD2E3B-5E73-4C8F-8E2B-8B7AD3E8C0F1}\t2009-12-14 10:40:00:345-0500\t1\t183\t101\t{FDF6FBEF-A4E3-4E55-9D7A-2F1B3A8C6F12}\t200\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Successful: Windows successfully installed the following update: Update for Root Certificates [September 2009] (KB931125)";
        assert_eq!(
            interpret("Report", m),
            Some(WuEvent::InstallSucceeded { title: "Update for Root Certificates [September 2009] (KB931125)" })
        );
    }

    #[test]
    fn undecoded_windows10_line() {
        assert_eq!(
            interpret("", "Unknown( 10): GUID=d48679eb-8aa3-4138-be24-f1648c874e49 (No Format Information found)."),
            Some(WuEvent::UndecodedEtl)
        );
    }

    #[test]
    fn unrelated_messages_are_none() {
        assert_eq!(interpret("Agent", "  * Base directory: C:\\WINDOWS\\SoftwareDistribution"), None);
        assert_eq!(interpret("AU", "AU finished delayed initialization"), None);
    }
}
