//! The WSUS server's own log, `%ProgramFiles%\Update Services\LogFiles\SoftwareDistribution.log`:
//! `YYYY-MM-DD HH:MM:SS.mmm UTC<TAB>Level<TAB>process.thread<TAB>Class.Method<TAB>message`, with
//! .NET stack traces (`   at ...`, `--- End of inner exception stack trace ---`) on the lines
//! after a record. What matters for diagnosis is in the message: the exception types
//! (`System.Net.WebException`, `SoapException`, `SqlException`) and any HRESULT.

use crate::time::{date, date_time, Timestamp};

/// One record's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRecord<'a> {
    pub time: Option<Timestamp>,
    /// `Info`, `Warning`, `Error` (as written).
    pub level: &'a str,
    /// `WsusService.13`, `w3wp.27`
    pub process: &'a str,
    /// `SyncUpdateOperation.Run`, `WebServiceCommunicationHelper.ProcessWebServiceProxyException`
    pub component: &'a str,
    pub message: &'a str,
}

/// A record's first line, or `None`.
pub fn parse_record(line: &str) -> Option<ServerRecord<'_>> {
    let line = line.trim_end_matches(['\r', '\n']);
    date(line).ok()?;
    let (time, rest) = match date_time(line) {
        Some((t, rest)) => (Some(t), rest),
        None => (None, line.get(19..)?), // an impossible date or time: still a record, without a time
    };
    // .mmm UTC
    let b = rest.as_bytes();
    if b.len() < 5 || b[0] != b'.' || !b[1..4].iter().all(u8::is_ascii_digit) || rest.get(4..8) != Some(" UTC") {
        return None;
    }
    let mut f = rest[8..].trim_start_matches([' ', '\t']).splitn(4, '\t');
    let level = f.next()?.trim();
    if !matches!(level, "Info" | "Warning" | "Error" | "Verbose" | "Critical") {
        return None;
    }
    let process = f.next().unwrap_or("").trim();
    let component = f.next().unwrap_or("").trim();
    let message = f.next().unwrap_or("").trim();
    Some(ServerRecord { time, level, process, component, message })
}

/// A line that continues the record above: a stack frame, an inner exception, or a wrapped
/// message (anything indented).
pub fn is_continuation(line: &str) -> bool {
    let t = line.trim_start();
    line.starts_with([' ', '\t'])
        || t.starts_with("at ")
        || t.starts_with("--- End of")
        || t.starts_with("---> ")
        || t.starts_with("Server stack trace")
        || t.starts_with("Exception rethrown")
}

/// .NET exception type names in a message (`System.Net.WebException`, `SqlException`), each
/// without the namespace, at most `max`.
pub fn exception_types(message: &str, max: usize, mut found: impl FnMut(&str)) {
    let mut n = 0;
    for word in message.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')) {
        if n >= max {
            return;
        }
        let word = word.trim_end_matches('.');
        let short = word.rsplit('.').next().unwrap_or(word);
        if short.len() > 9 && short.ends_with("Exception") && short.as_bytes()[0].is_ascii_uppercase() {
            found(short);
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_and_its_stack_trace() {
        let l = "2023-03-14 15:40:08.391 UTC\tError\tWsusService.13\tWebServiceCommunicationHelper.ProcessWebServiceProxyException\tSystem.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Authentication failed because the remote party has closed the transport stream.\r";
        let r = parse_record(l).unwrap();
        assert_eq!(
            (r.level, r.process, r.component),
            ("Error", "WsusService.13", "WebServiceCommunicationHelper.ProcessWebServiceProxyException")
        );
        assert_eq!(r.time, Timestamp::new(2023, 3, 14, 15, 40, 8));
        let mut types = Vec::new();
        exception_types(r.message, 4, |t| types.push(t.to_string()));
        assert_eq!(types, ["WebException", "IOException"]);
        assert!(is_continuation("   at System.Net.TlsStream.EndWrite(IAsyncResult asyncResult)"));
        assert!(is_continuation("   --- End of inner exception stack trace ---"));
        assert!(!is_continuation(l));
    }

    #[test]
    fn other_timestamped_lines_are_not_server_records() {
        assert!(parse_record("2009-12-14\t10:19:48:296\t1032\td18\tSetup\tx").is_none());
        assert!(parse_record("2009-12-14 15:23:45 10.0.0.5 GET /selfupdate/wuident.cab - 80").is_none());
        assert!(parse_record("2024/04/11 08:14:02.3411765 1124  3256  ComApi          x").is_none());
        assert!(parse_record("2023-03-14 15:40:08.391 UTC\tChatty\tx\ty\tz").is_none());
        // multi-byte text where the milliseconds and "UTC" belong: refused, not a panic
        assert!(parse_record("2023-03-14 15:40:08.3éé UTC\tError\tx\ty\tz").is_none());
        assert!(parse_record("2023-03-14 15:40:08.391 ÜTC\tError\tx\ty\tz").is_none());
    }
}
