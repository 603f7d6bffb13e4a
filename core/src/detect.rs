//! Content-based detection: what kind of evidence a single line is.
//!
//! Detection works per line so a paste holding a registry export followed by log lines can be
//! split into sections. A *strong* signal (a timestamped WU record, a `#Fields` header, a
//! `[HKEY_...]` line) switches sections; a *weak* one (a well-known message without columns, a
//! PowerShell property) only starts a section when none is open.

use crate::formats;
use crate::kind::InputKind;

pub use crate::formats::wulog::tool_output_with_wu_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineClass {
    pub kind: InputKind,
    pub strong: bool,
}

/// Classify one line; `None` for blank or unknown lines. The formats and the order of their
/// probes are the rows of [`formats::FORMATS`].
pub fn classify(line: &str) -> Option<LineClass> {
    let (format, strong) = formats::classify(line)?;
    format.kind.map(|kind| LineClass { kind, strong })
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
