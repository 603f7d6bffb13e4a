//! `C:\Windows\SoftwareDistribution\ReportingEvents.log` rows, and the same rows as the classic
//! WindowsUpdate.log quotes them after `REPORT EVENT:`.
//!
//! Tab-separated: record GUID, `YYYY-MM-DD HH:MM:SS:mmm±hhmm`, `1`, event id (Windows 10 adds
//! its name: `147 [AGENT_DETECTION_FINISHED]`), `101`, update GUID, revision, HRESULT in hex
//! without `0x` (`0` when none), caller, status, operation, message, and on Windows 10 a
//! correlation vector. The HRESULT column is the reason this format matters: it carries the
//! code even when the message does not.

pub use crate::facts::ReportRow;

pub mod reader;

use crate::time::{date, date_time};

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 38
        && b[0] == b'{'
        && b[37] == b'}'
        && b[1..37].iter().enumerate().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

/// Whether `line` starts like a row (a record GUID, a tab and a date): cheap, for detection.
pub fn is_row(line: &str) -> bool {
    line.len() > 50 && line.as_bytes()[38] == b'\t' && is_guid(&line[..38]) && date(&line[39..]).is_ok()
}

/// Whether `line` starts like a row whose tabs became spaces, or that was wrapped after its
/// first fields: a record GUID, blanks, a date.
pub fn is_row_start(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 40
        && line.is_char_boundary(38)
        && is_guid(&line[..38])
        && matches!(b[38], b'\t' | b' ')
        && date(line[38..].trim_start()).is_ok()
}

/// The operations a row names (two words, so a row whose tabs were lost still splits).
const OPERATIONS: &[&str] = &[
    "Software Synchronization",
    "Content Download",
    "Content Install",
    "Content Verification",
    "Pre-Deployment Check",
    "Content Uninstall",
];

/// A row whose tabs became spaces (a forum, a wrapped copy joined again): the fields are found
/// by their shape (GUIDs, the `Success`/`Failure` word, the operation names).
pub fn parse_row_loose(line: &str) -> Option<ReportRow<'_>> {
    let line = line.trim();
    if !is_row_start(line) {
        return None;
    }
    // tokens with their byte offsets
    let mut toks: smallvec::SmallVec<[(usize, &str); 24]> = smallvec::SmallVec::new();
    let mut at = 0;
    for t in line.split([' ', '\t']) {
        if !t.is_empty() {
            toks.push((at, t));
        }
        at += t.len() + 1;
        if toks.len() >= 24 {
            break;
        }
    }
    // GUID, date, time, 1, id [name], 101, update GUID, revision, HRESULT, caller.., status
    let tok = |i: usize| toks.get(i).map(|t| t.1);
    tok(1)?;
    let time_text = tok(2)?;
    let mut i = 4;
    let id: u32 = tok(3).filter(|t| *t == "1").and(tok(i))?.parse().ok()?;
    i += 1;
    let mut name = "";
    if let Some(n) = tok(i).filter(|t| t.starts_with('[')) {
        name = n.trim_start_matches('[').trim_end_matches(']');
        i += 1;
    }
    i += 1; // 101
    let update_id = tok(i).filter(|t| is_guid(t))?;
    let hresult = u32::from_str_radix(tok(i + 2)?, 16).ok()?;
    let caller_at = i + 3;
    let status_at = (caller_at + 1..toks.len()).find(|&k| matches!(toks[k].1, "Success" | "Failure"))?;
    let caller = line[toks[caller_at].0..toks[status_at - 1].0 + toks[status_at - 1].1.len()].trim();
    let after_status = line[toks[status_at].0 + toks[status_at].1.len()..].trim_start();
    let (operation, message) = match OPERATIONS.iter().find(|o| after_status.starts_with(**o)) {
        Some(o) => (&after_status[..o.len()], after_status[o.len()..].trim()),
        None => match after_status.split_once(' ') {
            Some((op, rest)) => (op, rest.trim()),
            None => (after_status, ""),
        },
    };
    let when_end = toks[2].0 + time_text.len();
    let when = &line[toks[1].0..when_end];
    let (time, zone_minutes) = time_and_zone(when);
    Some(ReportRow {
        time,
        zone_minutes,
        event_id: id,
        event_name: name,
        update_id,
        hresult,
        caller,
        status: &line[toks[status_at].0..toks[status_at].0 + toks[status_at].1.len()],
        operation,
        message,
    })
}

/// `:056-0700` (milliseconds, then the zone) → -420.
/// `2015-03-23 19:39:34:484-0400`: the time and its zone, each if it reads.
fn time_and_zone(when: &str) -> (Option<crate::time::Timestamp>, Option<i32>) {
    match date_time(when) {
        Some((t, rest)) => (Some(t), zone_of(rest)),
        None => (None, None),
    }
}

fn zone_of(rest: &str) -> Option<i32> {
    let rest = rest.trim_start_matches(|c: char| c == ':' || c == '.' || c.is_ascii_digit());
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let d = digits.get(..4)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (d[..2].parse().ok()?, d[2..].parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// Parse a row (from its record GUID on); `None` when it is not one.
pub fn parse_row(line: &str) -> Option<ReportRow<'_>> {
    let line = line.trim_end_matches(['\r', '\n']);
    if !line.is_char_boundary(38) || !is_row(line) {
        return None;
    }
    let mut f = line.split('\t');
    let _record = f.next()?;
    let when = f.next()?;
    let _one = f.next()?;
    let id_field = f.next()?.trim();
    let _ = f.next()?; // 101
    let update_id = f.next()?.trim();
    let _revision = f.next()?;
    let hresult = u32::from_str_radix(f.next()?.trim(), 16).ok()?;
    let caller = f.next()?.trim();
    let status = f.next()?.trim();
    let operation = f.next()?.trim();
    let message = f.next().unwrap_or("").trim();
    let (id, name) = match id_field.split_once(' ') {
        Some((id, name)) => (id, name.trim().trim_start_matches('[').trim_end_matches(']')),
        None => (id_field, ""),
    };
    let (time, zone_minutes) = time_and_zone(when);
    Some(ReportRow {
        time,
        zone_minutes,
        event_id: id.parse().ok()?,
        event_name: name,
        update_id,
        hresult,
        caller,
        status,
        operation,
        message,
    })
}

/// Detection's strong probe (see [`crate::formats::FORMATS`]): a row, or the start of one.
pub fn strong(l: &crate::formats::Line<'_>) -> bool {
    is_row(l.t) || is_row_start(l.t)
}

/// The failure HRESULT of a classic `REPORT EVENT:` line (a row quoted by WindowsUpdate.log,
/// with its own HRESULT column): parsed only when some column starts with '8', as a failure
/// HRESULT does (most rows carry 0).
pub fn report_event_failure(message: &str) -> Option<u32> {
    message
        .strip_prefix("REPORT EVENT:")
        .filter(|r| memchr::memchr_iter(b'\t', r.as_bytes()).any(|i| r.as_bytes().get(i + 1) == Some(&b'8')))
        .and_then(|r| parse_row(r.trim_start()))
        .map(|r| r.hresult)
        .filter(|h| h & 0x8000_0000 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    #[test]
    fn a_windows_10_row_with_event_name_and_correlation_vector() {
        let l = "{8670718B-9822-4EB8-B29E-1330CC9729A5}\t2022-08-09 23:01:04:056-0700\t1\t161 [AGENT_DOWNLOAD_FAILED]\t101\t{8F56C3FA-2D4F-44E9-A392-76B839CDB970}\t1\t80246008\tMoUpdateOrchestrator\tFailure\tContent Download\tDownload failed.\tg18r+j+qMUaZK/GT.1.1.30.0\r";
        let r = parse_row(l).unwrap();
        assert_eq!((r.event_id, r.event_name, r.hresult), (161, "AGENT_DOWNLOAD_FAILED", 0x8024_6008));
        assert_eq!((r.status, r.operation, r.message), ("Failure", "Content Download", "Download failed."));
        assert_eq!(r.time, Timestamp::new(2022, 8, 9, 23, 1, 4));
        assert_eq!(r.zone_minutes, Some(-420));
    }

    #[test]
    fn a_classic_row_has_no_name_and_no_vector() {
        let l = "{D8DD2E3B-5E73-4C8F-8E2B-8B7AD3E8C0F1}\t2009-12-14 10:40:00:345-0500\t1\t183\t101\t{FDF6FBEF-A4E3-4E55-9D7A-2F1B3A8C6F12}\t200\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Successful: Windows successfully installed the following update: Update for Root Certificates [September 2009] (KB931125)";
        let r = parse_row(l).unwrap();
        assert_eq!((r.event_id, r.event_name, r.hresult, r.caller), (183, "", 0, "AutomaticUpdates"));
        assert!(r.message.ends_with("(KB931125)"));
    }

    #[test]
    fn a_row_whose_tabs_became_spaces_is_read_by_its_shape() {
        let l = "{C7C93C12-61E3-4998-9EBD-B448C62540A4} 2015-03-23 19:39:34:484-0400 1 161 [AGENT_DOWNLOAD_FAILED] 101 {FD8A47F9-2E75-4763-AE52-777D471C87C8} 201 80200056 AutomaticUpdatesWuApp Failure Content Download Error: Download failed.";
        assert!(parse_row(l).is_none());
        let r = parse_row_loose(l).unwrap();
        assert_eq!((r.event_id, r.event_name, r.hresult, r.caller), (161, "AGENT_DOWNLOAD_FAILED", 0x8020_0056, "AutomaticUpdatesWuApp"));
        assert_eq!((r.status, r.operation, r.message), ("Failure", "Content Download", "Error: Download failed."));
        assert_eq!(r.zone_minutes, Some(-240));
        assert!(parse_row_loose("{C7C93C12-61E3-4998-9EBD-B448C62540A4} 2015-03-23 19:39:34:484-0400 1").is_none());
    }

    #[test]
    fn other_lines_are_not_rows() {
        assert!(parse_row("2009-12-14\t10:40:00:345\t 988\t 9c4\tAgent\t* WSUS server: http://wsus").is_none());
        assert!(parse_row("{D8DD2E3B-5E73-4C8F-8E2B-8B7AD3E8C0F1} is a GUID, not a row at all, no tabs").is_none());
        assert!(parse_row("{D8DD2E3B-5E73-4C8F-8E2B-8B7AD3E8C0F1}\t2009-12-14 10:40:00:345-0500\t1\tx\t101").is_none());
        assert!(parse_row("{D8DD2E3B-5E73-4C8F-8E2B-8B7AD3E8C0F\u{e9}\t2009-12-14 10:40:00:345-0500\t1").is_none());
    }
}
