//! The WSUS server's own log, `%ProgramFiles%\Update Services\LogFiles\SoftwareDistribution.log`:
//! `YYYY-MM-DD HH:MM:SS.mmm UTC<TAB>Level<TAB>process.thread<TAB>Class.Method<TAB>message`, with
//! .NET stack traces (`   at ...`, `--- End of inner exception stack trace ---`) on the lines
//! after a record. What matters for diagnosis is in the message: the exception types
//! (`System.Net.WebException`, `SoapException`, `SqlException`) and any HRESULT.

pub use crate::facts::{exception_types, ServerRecord};

pub mod reader;

use crate::time::{date, date_time};

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

const LEVELS: &[&str] = &["Info", "Warning", "Error", "Verbose", "Critical"];

/// `WsusService.11`, `w3wp.126`, `WsusService.exe.12`: a process name and a thread number.
fn is_process_thread(tok: &str) -> bool {
    let Some((name, thread)) = tok.rsplit_once('.') else { return false };
    let name = name.strip_suffix(".exe").unwrap_or(name);
    (1..=6).contains(&thread.len())
        && thread.bytes().all(|b| b.is_ascii_digit())
        && name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `CabUtilities.CheckCertificateSignature`: a .NET class and method (dotted identifiers).
fn is_class_method(tok: &str) -> bool {
    tok.contains('.')
        && !tok.ends_with('.')
        && tok.split('.').all(|part| {
            part.as_bytes().first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'`' | b'<' | b'>'))
        })
}

/// `line` past its quote marks (`> `) and the placeholders an article put where the date and
/// time were (`<Date> <Time>`, `Date Time`, `*\<DateTime>*`): the columns after them read as a
/// dateless record.
fn without_placeholders(line: &str) -> &str {
    let mut s = line.trim_start_matches(['>', ' ']);
    for _ in 0..3 {
        let end = s.find([' ', '\t']).unwrap_or(s.len());
        if end == s.len() || !crate::formats::iis::is_time_placeholder(&s[..end]) {
            break;
        }
        s = s[end..].trim_start_matches([' ', '\t']);
    }
    s
}

/// A record copied without its date column (`Error<TAB>w3wp.126<TAB>Class.Method<TAB>message`,
/// or with spaces, or without the level: `WsusService.11 CabUtilities.CheckCertificateSignature
/// File cert verification failed ...`). The process.thread and Class.Method columns are what
/// no prose has, so the line is read as a record without a time.
pub fn parse_dateless(line: &str) -> Option<ServerRecord<'_>> {
    let sep = |c: char| c == '\t' || c == ' ';
    let mut rest = without_placeholders(line.trim());
    let mut next = || {
        let r = rest.trim_start_matches(sep);
        let end = r.find(sep).unwrap_or(r.len());
        rest = &r[end..];
        &r[..end]
    };
    let mut first = next();
    let level = if LEVELS.contains(&first) {
        let l = first;
        first = next();
        l
    } else {
        ""
    };
    if !is_process_thread(first) {
        return None;
    }
    let component = next();
    if !is_class_method(component) {
        return None;
    }
    let message = rest.trim_start_matches(sep).trim_end();
    Some(ServerRecord { time: None, level, process: first, component, message })
}

/// Messages only the WSUS server writes (its synchronisation errors as the console and
/// SoftwareDistribution.log word them, and its classes), quoted without any columns.
const SERVER_MESSAGES: &[&str] = &[
    "Sync Failed:",
    "USSCommunicationError",
    "Microsoft Root CA signed root",
    "WebServiceCommunicationHelper",
    "CatalogSyncAgent",
    "SyncUpdateOperation",
    "ContentSyncAgent",
    "CabUtilities.",
    "EventLogEventReporter",
    // the same classes' messages quoted without the class prefix
    "ProcessWebServiceProxyException",
    // the TLS protocol settings WSUS logs when it starts
    "SCHANNEL Protocol",
];

/// A WSUS server message quoted in prose, without the log's columns: read as a record without
/// level, process or time.
pub fn parse_message_only(line: &str) -> Option<ServerRecord<'_>> {
    let t = line.trim();
    // a stack frame names the classes a message does, but is part of the record above
    if t.starts_with("at ") || t.len() > 4000 || !SERVER_MESSAGES.iter().any(|m| memchr::memmem::find(t.as_bytes(), m.as_bytes()).is_some())
    {
        return None;
    }
    Some(ServerRecord { time: None, level: "", process: "", component: "", message: t })
}

/// A failure HRESULT written in decimal after `with`, `error`, `hr` or `code` (`... failed for
/// x.exe with 2148204800`, `error -2145124329`) rewritten in hex (`0x800B0100`), so it is read as
/// the code it is. `None` when the message has none.
/// Whether `b` holds `n` digits in a row: looks at the last byte of each candidate window and
/// jumps a whole window when it is no digit, so most lines cost a few comparisons per window.
fn has_digit_run(b: &[u8], n: usize) -> bool {
    let mut start = 0;
    while start + n <= b.len() {
        let end = start + n - 1;
        if !b[end].is_ascii_digit() {
            start = end + 1;
            continue;
        }
        match (start..end).rev().find(|&k| !b[k].is_ascii_digit()) {
            None => return true,
            Some(k) => start = k + 1,
        }
    }
    false
}

/// Whether some run of 9-10 digits (with an optional '-') follows `with`, `error`, `hr`, `hresult`
/// or `code` (and an optional `=`/`:`), compared byte-wise without allocating.
fn keyed_number(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (9..=10).contains(&run) {
            let mut k = i;
            if k > 0 && b[k - 1] == b'-' {
                k -= 1;
            }
            let before = &b[..k];
            let t = before.trim_ascii_end();
            let t = t.strip_suffix(b"=").or_else(|| t.strip_suffix(b":")).unwrap_or(t).trim_ascii_end();
            let ends = |w: &[u8]| t.len() >= w.len() && t[t.len() - w.len()..].eq_ignore_ascii_case(w);
            if ends(b"with") || ends(b"error") || ends(b"hr") || ends(b"hresult") || ends(b"code") {
                return true;
            }
        }
        i += run.max(1);
    }
    false
}

pub fn decimal_codes_as_hex(message: &str) -> Option<String> {
    // cheap test first: a run of nine or more digits (skipping ahead, as every line is tested),
    // after a word that introduces a code
    if !has_digit_run(message.as_bytes(), 9) || !keyed_number(message.as_bytes()) {
        return None;
    }
    let mut out = String::with_capacity(message.len());
    let mut changed = false;
    let mut prev_word = "";
    let mut rest = message;
    while !rest.is_empty() {
        let ws = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        let core = word.trim_end_matches(['.', ',', ';', ')']);
        let keyed =
            matches!(prev_word.trim_end_matches([':', '=']).to_ascii_lowercase().as_str(), "with" | "error" | "hr" | "hresult" | "code");
        let number = core.strip_prefix('-').unwrap_or(core);
        let code = (keyed && (9..=10).contains(&number.len()) && number.bytes().all(|c| c.is_ascii_digit()))
            .then(|| crate::codes::parse_code(core))
            .flatten()
            .filter(|c| c & 0x8000_0000 != 0);
        match code {
            Some(c) => {
                out.push_str(&format!("0x{c:08X}"));
                out.push_str(&word[core.len()..]);
                changed = true;
            }
            None => out.push_str(word),
        }
        prev_word = word;
        rest = &rest[end..];
    }
    changed.then_some(out)
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

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a record, with its date or
/// without it.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    if l.first.is_ascii_digit() {
        parse_record(l.t).is_some()
    } else {
        parse_dateless(l.t).is_some()
    }
}

/// Detection's weak probe: a message only the WSUS server writes, without columns.
pub fn weak(l: &crate::formats::Line<'_>) -> bool {
    !l.first.is_ascii_digit() && parse_message_only(l.t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

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
    fn records_copied_without_their_date() {
        let r =
            parse_dateless("Error\tw3wp.126\tWebServiceCommunicationHelper.ProcessWebServiceProxyException\tSystem.Net.WebException: x")
                .unwrap();
        assert_eq!(
            (r.level, r.process, r.component, r.message),
            ("Error", "w3wp.126", "WebServiceCommunicationHelper.ProcessWebServiceProxyException", "System.Net.WebException: x")
        );
        assert!(r.time.is_none());
        let r = parse_dateless(
            "WsusService.11 CabUtilities.CheckCertificateSignature File cert verification failed for e:\\x.exe with 2148204800",
        )
        .unwrap();
        assert_eq!((r.level, r.process, r.component), ("", "WsusService.11", "CabUtilities.CheckCertificateSignature"));
        assert_eq!(parse_dateless("Info WsusService.11 EventLogEventReporter.ReportEvent EventId=364").unwrap().level, "Info");
        for prose in ["Error in line 3. Fix it.", "Version 3.0 SP2 Windows.Server is fine", "w3wp.1 was here"] {
            assert!(parse_dateless(prose).is_none(), "{prose}");
        }
        assert!(parse_message_only("Sync Failed: USSCommunicationError: WebException: The underlying connection was closed").is_some());
        assert!(parse_message_only("The sync went fine").is_none());
    }

    #[test]
    fn decimal_hresults_become_hex() {
        assert_eq!(
            decimal_codes_as_hex("verification failed for x.exe with 2148204800").as_deref(),
            Some("verification failed for x.exe with 0x800B0100")
        );
        assert_eq!(decimal_codes_as_hex("failed with error -2145124329.").as_deref(), Some("failed with error 0x80240017."));
        assert_eq!(decimal_codes_as_hex("downloaded 2148204800 bytes"), None, "a size is no code");
        assert_eq!(decimal_codes_as_hex("with 1234567890"), None, "not a failure code");
        assert!(has_digit_run(b"x 123456789", 9) && has_digit_run(b"123456789", 9) && has_digit_run(b"a12345678901b", 9));
        assert!(!has_digit_run(b"2009-12-14 10:19:48:296 12345678 x", 9) && !has_digit_run(b"12345678", 9));
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
