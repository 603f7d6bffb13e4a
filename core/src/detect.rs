//! Content-based detection: what kind of evidence a single line is.
//!
//! Detection works per line so a paste holding a registry export followed by log lines can be
//! split into sections. A *strong* signal (a timestamped WU record, a `#Fields` header, a
//! `[HKEY_...]` line) switches sections; a *weak* one (a well-known message without columns, a
//! PowerShell property) only starts a section when none is open.

use crate::formats::iis;
use crate::formats::wulog;
use crate::kind::InputKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineClass {
    pub kind: InputKind,
    pub strong: bool,
}

/// Classify one line; `None` for blank or unknown lines.
pub fn classify(line: &str) -> Option<LineClass> {
    let t = line.trim_start_matches([' ', '\t', '>', '|', '•', '·', '`', '*', '+', '-', '_']);
    let first = *t.as_bytes().first()?;
    let strong = |kind| Some(LineClass { kind, strong: true });
    if crate::formats::cmtrace::is_cm_line(t) {
        return strong(InputKind::ConfigmgrLog);
    }
    match first {
        b'0'..=b'9' => {
            // before the WU log: "2023-03-14 15:40:08.391 UTC\tError" also starts like a record
            if crate::formats::server_log::parse_record(t).is_some() {
                return strong(InputKind::SoftwaredistributionLog);
            }
            if wulog::starts_with_record(t).is_some() {
                return strong(InputKind::WindowsupdateLog);
            }
            if iis::is_iis_line(t) {
                return strong(InputKind::IisLog);
            }
            // a WU record glued to garbage or with damaged columns
            if t.len() > 20 && (t.contains("\tAgent\t") || t.contains("\tAU\t")) {
                return strong(InputKind::WindowsupdateLog);
            }
            if wulog::is_dateless_record(t) {
                return strong(InputKind::WindowsupdateLog);
            }
            // wsyncmgr's older layout: `08-14-2019 08:37:30.102 Sync failed: ...`
            if t.as_bytes().get(2) == Some(&b'-') && crate::formats::cmtrace::is_cm_excerpt(t) {
                return Some(LineClass { kind: InputKind::ConfigmgrLog, strong: false });
            }
            // another tool's timestamped output (SSM, Packer, PSWindowsUpdate) reporting a
            // Windows Update failure: read as a client log message
            tool_output_with_wu_code(t).then_some(LineClass { kind: InputKind::WindowsupdateLog, strong: false })
        }
        b'#' => iis::is_iis_line(t).then_some(LineClass { kind: InputKind::IisLog, strong: true }),
        b'{' if crate::formats::reporting_events::is_row(t) || crate::formats::reporting_events::is_row_start(t) => strong(InputKind::WindowsupdateLog),
        b'E' | b'L' | b'T'
            if matches!(crate::formats::event_text::classify(t), Some(crate::formats::event_text::EventLine::BlockStart)) =>
        {
            strong(InputKind::EventLog)
        }
        b'E' | b'W' | b'I' | b'C' | b'V' | b'F' | b'A'
            if matches!(crate::formats::event_text::classify(line), Some(crate::formats::event_text::EventLine::Row(_))) =>
        {
            strong(InputKind::EventLog)
        }
        b'[' if t.starts_with("[HKEY_") || t.starts_with("[-HKEY_") => strong(InputKind::Registry),
        b'W' if t.starts_with("Windows Registry Editor Version") => strong(InputKind::Registry),
        b'C' | b'D' | b'P' | b'B' | b'n' if crate::formats::netsh_winhttp::parse_line(t).is_some() => strong(InputKind::Registry),
        b'R' if t.starts_with("REGEDIT4") => strong(InputKind::Registry),
        b'H' if t.starts_with("HKEY_LOCAL_MACHINE\\") || t.starts_with("HKLM\\") => strong(InputKind::Registry),
        b'"' if t.contains("\"=") => strong(InputKind::Registry),
        _ => {
            if crate::formats::server_log::parse_dateless(t).is_some() {
                return strong(InputKind::SoftwaredistributionLog);
            }
            if crate::formats::server_log::parse_message_only(t).is_some() {
                return Some(LineClass { kind: InputKind::SoftwaredistributionLog, strong: false });
            }
            if crate::formats::event_text::is_event_id_or_prose_event(t) {
                return Some(LineClass { kind: InputKind::EventLog, strong: false });
            }
            if line.contains("    REG_") {
                return strong(InputKind::Registry);
            }
            let lower_has = |needle: &str| t.len() < 400 && t.to_ascii_lowercase().contains(needle);
            if lower_has("reg query ") || lower_has("get-itemproperty") {
                return strong(InputKind::Registry);
            }
            if iis::is_iis_line(t) {
                return strong(InputKind::IisLog);
            }
            if t.starts_with("PSPath ") || t.starts_with("PSChildName ") {
                return Some(LineClass { kind: InputKind::Registry, strong: false });
            }
            if let Some(name) = t.split(" : ").next() {
                let name = name.trim_end();
                if name != t && crate::formats::registry::role_of_value_name(name).is_some() {
                    return Some(LineClass { kind: InputKind::Registry, strong: false });
                }
            }
            if wulog::is_dateless_record(t) {
                return strong(InputKind::WindowsupdateLog);
            }
            // a Configuration Manager message quoted without its markup (weak: a WU section stays)
            if crate::formats::cmtrace::is_cm_excerpt(t) {
                return Some(LineClass { kind: InputKind::ConfigmgrLog, strong: false });
            }
            let (clean, _) = wulog::clean_paste(line);
            let msg = clean.trim();
            if wulog::is_header_row(msg) {
                return strong(InputKind::WindowsupdateLog);
            }
            if wulog::events::interpret("", msg).is_some() {
                return Some(LineClass { kind: InputKind::WindowsupdateLog, strong: false });
            }
            // other tools' output carrying a Windows Update HRESULT (PowerShell's "Exception from
            // HRESULT: 0x8024401C", SSM, Ansible): client-side evidence, read as a log message
            let mut wu_code = false;
            crate::codes::scan_codes(msg, |c| wu_code |= crate::codes::lookup(c).is_some());
            if wu_code || tool_output_with_wu_code(msg) {
                return Some(LineClass { kind: InputKind::WindowsupdateLog, strong: false });
            }
            None
        }
    }
}

/// A line of another tool (Ansible `win_updates`, SSM, PSWindowsUpdate, Packer) that reports a
/// Windows Update failure: a code of the client's families (0x8024xxxx, 0x8007xxxx, 0x8019xxxx,
/// 0x8020xxxx) that the catalogue knows, next to a word saying it failed.
pub fn tool_output_with_wu_code(line: &str) -> bool {
    if line.len() > 2000 {
        return false;
    }
    let scan = |text: &str| {
        let mut found = false;
        crate::codes::scan_codes(text, |c| {
            found |= matches!(c >> 16, 0x8024 | 0x8007 | 0x8019 | 0x8020) && crate::codes::lookup(c).is_some();
        });
        found
    };
    // written in decimal by .NET and PowerShell tools ("failed with error -2145107924")
    let wu_code = scan(line) || crate::formats::server_log::decimal_codes_as_hex(line).is_some_and(|hex| scan(&hex));
    if !wu_code {
        return false;
    }
    let lower = line.to_ascii_lowercase();
    ["error", "fail", "hresult", "exception"].iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(l: &str) -> Option<(InputKind, bool)> {
        classify(l).map(|c| (c.kind, c.strong))
    }

    #[test]
    fn each_kind_is_recognised_from_content() {
        use InputKind::*;
        assert_eq!(kind("2009-12-14\t10:23:45:123\t 992\ta4c\tAgent\tx"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("2024/04/11 08:14:02.3411765 1124  3256  ComApi          x"), Some((WindowsupdateLog, true)));
        assert_eq!(
            kind("2009-12-14 15:23:45 10.0.0.5 GET /selfupdate/wuident.cab - 80 - 10.0.1.77 Windows-Update-Agent 404 0 2 15"),
            Some((IisLog, true))
        );
        assert_eq!(kind("#Fields: date time cs-uri-stem sc-status"), Some((IisLog, true)));
        assert_eq!(kind("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]"), Some((Registry, true)));
        assert_eq!(kind("    UseWUServer    REG_DWORD    0x1"), Some((Registry, true)));
        assert_eq!(kind("  \"WUServer\"=\"http://wsus01\""), Some((Registry, true)));
        assert_eq!(kind("WUServer       : http://wsus01"), Some((Registry, false)));
        assert_eq!(kind("  * WSUS server: <NULL>"), Some((WindowsupdateLog, false)));
        assert_eq!(kind("Get-WindowsUpdate : Exception from HRESULT: 0x8024401C"), Some((WindowsupdateLog, false)));
        assert_eq!(kind("• 2024/04/11 08:14:22.3460310 1124  4408  WebServices     x"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("`2009-12-14\t10:23:45:123\t 992\ta4c\tAgent\tx`"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("the build number is 0x80000000 in hex"), None, "a number that is no Windows Update code");
        assert_eq!(kind("hello world"), None);
        assert_eq!(
            kind("Error\tw3wp.126\tWebServiceCommunicationHelper.ProcessWebServiceProxyException\tx"),
            Some((SoftwaredistributionLog, true))
        );
        assert_eq!(kind("Sync Failed: USSCommunicationError: WebException: x"), Some((SoftwaredistributionLog, false)));
        assert_eq!(kind("03E4 1668 SLS Making request with URL HTTPS://sls.update.microsoft.com/SLS/x"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("E4C 1668 Agent * START * Finding updates"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("<date> <time> 992 a4c Agent * WSUS server: http://wsus01"), Some((WindowsupdateLog, true)));
        assert_eq!(kind("{C7C93C12-61E3-4998-9EBD-B448C62540A4} 2015-03-23 19:39:34:484-0400 1"), Some((WindowsupdateLog, true)));
        assert_eq!(
            kind("04/21/2021 02:35:58 UTC | Error | Searching for updates resulted in error: Exception from HRESULT: 0x80240438"),
            Some((WindowsupdateLog, false))
        );
        assert_eq!(kind("2021-04-21 02:35:58 build 0x80240438 done"), None, "a code without a failure word");
        for tool in [
            "    \"msg\": \"Searching for updates: Exception from HRESULT: 0x80240438\",",
            "  msg: 'Failed to search for updates: Exception from HRESULT: 0x8024402C'",
            "    amazon-ebs: Install-WindowsUpdate failed with error -2145107924",
        ] {
            assert_eq!(kind(tool), Some((WindowsupdateLog, false)), "{tool}");
        }
        assert_eq!(kind(""), None);
    }
}
