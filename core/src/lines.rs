//! One log line as the input viewer sees it, the way CMTrace and OneTrace show logs: how bad it
//! is (error and warning lines are highlighted, "next error" jumps between them) and when it was
//! written (several inputs are merged in time order). Cheap checks on a bounded prefix: these run
//! on every line of a window, and evidence is hostile.

use crate::formats::cmtrace::{self, CmSeverity};
use crate::time::{clock, date, Timestamp};

/// How bad a line is; `None` from [`level`] for an ordinary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// Bytes of a line looked at for its time (the stamp leads every format read).
const TIME_PREFIX: usize = 64;

/// The severity of a line: a CMTrace record's `type=3`/`type=2`; an event's level (Event
/// Viewer's tab-separated row, `Level: Error` in a list); an IIS row's status (5xx error, 4xx
/// warning); a Windows Update log's `FATAL`, `*FAILED*` or failure code `0x8xxxxxxx`, or its
/// `WARNING`.
pub fn level(line: &str) -> Option<Level> {
    if line.contains(cmtrace::RECORD_START) {
        return match cmtrace::parse_record(line)?.severity? {
            CmSeverity::Error => Some(Level::Error),
            CmSeverity::Warning => Some(Level::Warning),
            CmSeverity::Info => None,
        };
    }
    let first = line.split('\t').next().unwrap_or("").trim();
    let first = first.strip_prefix("Level").map(|r| r.trim_start_matches([':', '=', ' '])).unwrap_or(first);
    match first {
        "Error" | "Critical" | "Fehler" | "Erreur" => return Some(Level::Error),
        "Warning" | "Warnung" | "Avertissement" => return Some(Level::Warning),
        _ => {}
    }
    if let Some(status) = iis_status(line) {
        return match status {
            500.. => Some(Level::Error),
            400.. => Some(Level::Warning),
            _ => None,
        };
    }
    if line.contains("FATAL") || line.contains("*FAILED*") || has_failure_code(line) {
        return Some(Level::Error);
    }
    (line.contains("WARNING") || line.contains("Warning:")).then_some(Level::Warning)
}

/// An IIS W3C row (`date time ... sc-status sc-substatus sc-win32-status time-taken`): its status.
/// The row ends `sc-status sc-substatus sc-win32-status [time-taken]` (IIS 6 logs have no
/// time-taken).
fn iis_status(line: &str) -> Option<u16> {
    crate::time::date_time(line)?;
    let tail: Vec<&str> = line.trim_end().rsplitn(5, ' ').take(4).collect();
    let numeric = |f: &&str| !f.is_empty() && f.len() <= 10 && f.bytes().all(|b| b.is_ascii_digit());
    let n = tail.iter().copied().take_while(numeric).count();
    let status: u16 = match n {
        4 => tail[3].parse().ok().filter(|s| (100..600).contains(s)).or_else(|| tail[2].parse().ok())?,
        3 => tail[2].parse().ok()?,
        _ => return None,
    };
    (100..600).contains(&status).then_some(status)
}

/// `0x8` and seven more hex digits: a Windows Update or HRESULT failure code.
fn has_failure_code(line: &str) -> bool {
    let b = line.as_bytes();
    b.windows(10).any(|w| (w[0] == b'0' && (w[1] == b'x' || w[1] == b'X') && w[2] == b'8') && w[3..].iter().all(u8::is_ascii_hexdigit))
}

/// When a line was written, seconds since 1970 on its log's clock (CMTrace records moved to UTC
/// with their bias): a CMTrace record's `time`/`date`, else the first `YYYY-MM-DD` (or `/`, `.`)
/// followed by a clock in the line's first bytes (WindowsUpdate.log, ReportingEvents after its
/// id, IIS, CBS, event rows). `None` for a line without one (a continuation).
pub fn time(line: &str) -> Option<i64> {
    if line.contains(cmtrace::RECORD_START) {
        let r = cmtrace::parse_record(line)?;
        return Some(r.time?.epoch_seconds() - i64::from(r.zone_minutes.unwrap_or(0)) * 60);
    }
    let b = line.as_bytes();
    let end = b.len().min(TIME_PREFIX);
    (0..end)
        .filter(|&i| b[i].is_ascii_digit() && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b',' | b'[')))
        .find_map(|i| stamp(&line[i..]))
}

/// The times of one input's lines in order, moved to UTC once the log states its zone (a
/// WindowsUpdate.log's `Logging initialized (..., tz: -0500)` line), so a client's local times
/// line up with the server's UTC IIS rows.
pub fn times<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<Option<i64>> {
    times_from(0, lines)
}

/// [`times`] of lines that follow others: `zone` is the one stated before them (minutes east of
/// UTC), as [`LineClock`] read it over the lines before.
pub fn times_from<'a>(zone: i64, lines: impl Iterator<Item = &'a str>) -> Vec<Option<i64>> {
    let mut clock = LineClock { zone };
    lines.map(|l| clock.time(l)).collect()
}

/// One input's clock, read line by line from its first: the zone its log last stated, and each
/// line's time moved to UTC with it. The viewer's windows and the worker's passes over a whole
/// input read times the same way through it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineClock {
    /// Minutes east of UTC, as last stated (0 until a line states it).
    pub zone: i64,
}

impl LineClock {
    /// Take the zone a line states, if it states one (cheaper than [`LineClock::time`] for lines
    /// whose time is not wanted).
    pub fn note(&mut self, line: &str) {
        if let Some(z) = stated_zone(line) {
            self.zone = z;
        }
    }

    /// The line's time in UTC (its zone noted first); `None` for a line without one.
    pub fn time(&mut self, line: &str) -> Option<i64> {
        self.note(line);
        if line.contains(cmtrace::RECORD_START) {
            time(line)
        } else {
            time(line).map(|t| t - self.zone * 60)
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970 (UTC), as the viewer says a time range.
pub fn clock_text(t: i64) -> String {
    let (y, m, d) = crate::time::civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `Logging initialized (build: ..., tz: -0500)`: minutes east of UTC.
fn stated_zone(line: &str) -> Option<i64> {
    let at = memchr::memmem::find(line.as_bytes(), b"Logging initialized")?;
    let rest = &line[at..];
    let tz = &rest[rest.find("tz: ")? + 4..];
    let b = tz.as_bytes();
    if b.len() < 5 || !b[1..5].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = |i: usize| i64::from(b[i] - b'0');
    let minutes = (v(1) * 10 + v(2)) * 60 + v(3) * 10 + v(4);
    match b[0] {
        b'-' => Some(-minutes),
        b'+' => Some(minutes),
        _ => None,
    }
}

fn stamp(s: &str) -> Option<i64> {
    let (rest, (y, mo, d)) = date(s).ok()?;
    let rest = rest.strip_prefix([' ', '\t', 'T'])?;
    let (_, (h, mi, sec)) = clock(rest).ok()?;
    Some(Timestamp::new(y, mo, d, h, mi, sec)?.epoch_seconds())
}

/// Several inputs' lines in one time order, as (input, index) pairs: a line without a time
/// keeps its place after the line before it; equal times keep the inputs' order. Linear in the
/// lines times the inputs (a handful).
pub fn merge_order(times: &[Vec<Option<i64>>]) -> Vec<(usize, usize)> {
    // each line's sort key: its time, or the last time before it in its input
    let keys: Vec<Vec<i64>> = times
        .iter()
        .map(|t| {
            let mut last = t.iter().flatten().next().copied().unwrap_or(i64::MIN);
            t.iter()
                .map(|x| {
                    if let Some(x) = x {
                        last = *x;
                    }
                    last
                })
                .collect()
        })
        .collect();
    let mut at = vec![0usize; keys.len()];
    let mut out = Vec::with_capacity(keys.iter().map(Vec::len).sum());
    loop {
        let next = (0..keys.len()).filter(|&k| at[k] < keys[k].len()).min_by_key(|&k| (keys[k][at[k]], k));
        let Some(k) = next else { return out };
        out.push((k, at[k]));
        at[k] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_warnings_of_each_format_are_told_apart() {
        let err = Some(Level::Error);
        let warn = Some(Level::Warning);
        assert_eq!(level("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: Exit code = 0x8024402C"), err);
        assert_eq!(level("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: Skipping scan"), warn);
        assert_eq!(level("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tFATAL: Failed to start"), err);
        assert_eq!(level("2009-12-14\t10:19:48:296\t1032\td18\tAgent\t* Found 0 updates"), None);
        let cm = |t: u8| {
            format!(
                r#"<![LOG[Scan failed]LOG]!><time="14:02:26.291+240" date="07-14-2021" component="WUAHandler" context="" type="{t}" thread="1" file="">"#
            )
        };
        assert_eq!((level(&cm(3)), level(&cm(2)), level(&cm(1))), (err, warn, None));
        let iis = |s: u16| format!("2009-12-14 15:11:40 10.0.0.5 GET /iuident.cab - 80 - 10.0.1.77 Windows-Update-Agent {s} 0 2 15");
        assert_eq!((level(&iis(503)), level(&iis(404)), level(&iis(200))), (err, warn, None));
        // IIS 6: no time-taken
        assert_eq!(
            level("2009-12-14 15:11:40 W3SVC1 10.0.0.5 GET /iuident.cab 0912141511 80 - 10.0.1.34 Industry+Update+Control 404 0 2"),
            warn
        );
        assert_eq!(
            level(
                "Error\t4/11/2024 10:02:11 AM\tWindows Server Update Services\t12072\t(9)\tThe WSUS content directory is not accessible."
            ),
            err
        );
        assert_eq!(level("Level: Warning"), warn);
        // a hex value that is not a failure code, and a decimal that looks like one
        assert_eq!(level("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tflags 0x00000010, 80244022"), None);
    }

    #[test]
    fn times_of_each_format_line_up_in_utc() {
        let wu = time("2009-12-14\t09:08:00:000\t 996\te18\tMisc\t===========  Logging initialized").unwrap();
        assert_eq!(wu, Timestamp::new(2009, 12, 14, 9, 8, 0).unwrap().epoch_seconds());
        assert_eq!(time("2009-12-14 09:08:00 10.0.0.5 GET /x - 80 - 10.0.1.77 - 200 0 0 1"), Some(wu));
        assert_eq!(time("{5E5B0F1A-1C6C-4B4C-9A33-6F2C5C1D0C11}\t2009-12-14 09:08:00:056-0700\t1\t181"), Some(wu));
        assert_eq!(time("2009/12/14 09:08:00.1234567 1032  4416  Agent  * START *"), Some(wu));
        // CMTrace writes local time and the Windows bias: +60 is an hour west of UTC
        let cm = r#"<![LOG[x]LOG]!><time="08:08:00.105+60" date="12-14-2009" component="c" context="" type="1" thread="1" file="">"#;
        assert_eq!(time(cm), Some(wu));
        assert_eq!(time("    continuation of the line before"), None);
        assert_eq!(time("id x2009-12-14 09:08:00: a stamp glued to a word is not the line's"), None);
    }

    #[test]
    fn a_client_log_stating_its_zone_is_moved_to_utc() {
        let log =
            "2009-12-14\t10:14:02:375\t1032\t4d8\tMisc\t===========  Logging initialized (build: 5.8.0.2469, tz: -0500)  ===========\n\
                   2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019\n\
                   \tcontinued";
        let t = times(log.lines());
        let utc = |h, m, s| Some(Timestamp::new(2009, 12, 14, h, m, s).unwrap().epoch_seconds());
        assert_eq!(t, vec![utc(15, 14, 2), utc(15, 19, 48), None]);
        assert_eq!(times(["2009-12-14 15:11:40 10.0.0.5 GET /x - 80 - 10.0.1.34 - 404 0 2"].into_iter()), vec![utc(15, 11, 40)]);
    }

    #[test]
    fn merge_interleaves_by_time_and_keeps_untimed_lines_with_their_neighbour() {
        let client = vec![Some(10), None, Some(30), Some(50)];
        let server = vec![Some(20), Some(30), Some(40)];
        let order = merge_order(&[client, server]);
        assert_eq!(order, vec![(0, 0), (0, 1), (1, 0), (0, 2), (1, 1), (1, 2), (0, 3)]);
        assert_eq!(merge_order(&[vec![None, None], vec![]]), vec![(0, 0), (0, 1)]);
    }
}
