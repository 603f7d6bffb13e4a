//! Civil timestamps without a clock: parsing the few layouts WSUS evidence uses and
//! computing differences, which is all the rules need.

use nom::character::complete::one_of;
use nom::IResult;

/// A local or UTC wall-clock time as written in the evidence (no zone attached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Timestamp {
    /// Build a timestamp, refusing impossible dates and times.
    pub fn new(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        if !(1980..=2200).contains(&year) || !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Timestamp { year, month, day, hour, minute, second })
    }

    /// Seconds since 1970-01-01 00:00:00 of the same (zone-less) clock.
    pub fn epoch_seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + self.second as i64
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02} {:02}:{:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute, self.second)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's civil-from-days: (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days between 1601-01-01 (the FILETIME epoch) and 1970-01-01.
const FILETIME_EPOCH_DAYS: i64 = 134_774;

/// Write a FILETIME (100 ns ticks since 1601, UTC) the way `Get-WindowsUpdateLog` prints times:
/// `YYYY/MM/DD HH:MM:SS.fffffff`. Returns false (writing nothing) for a time outside 1980..2200,
/// which only a damaged record holds.
pub fn write_filetime(ticks: i64, out: &mut String) -> bool {
    use std::fmt::Write;
    let secs = ticks.div_euclid(10_000_000);
    let frac = ticks.rem_euclid(10_000_000);
    let days = secs.div_euclid(86_400) - FILETIME_EPOCH_DAYS;
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(1980..=2200).contains(&y) {
        return false;
    }
    let _ = write!(out, "{y:04}/{m:02}/{d:02} {:02}:{:02}:{:02}.{frac:07}", sod / 3600, sod / 60 % 60, sod % 60);
    true
}

/// `YYYY-MM-DD` and `HH:MM:SS` given apart (IIS `date` and `time` fields).
pub fn date_and_clock(date_text: &str, clock_text: &str) -> Option<Timestamp> {
    let (_, (y, mo, d)) = date(date_text).ok()?;
    let (_, (h, mi, s)) = clock(clock_text).ok()?;
    Timestamp::new(y, mo, d, h, mi, s)
}

/// A report's "generated" stamp from the caller's clock: `YYYY-MM-DD HH:MM UTC`.
pub fn utc_minute(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    let sod = unix_seconds.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", sod / 3600, sod / 60 % 60)
}

/// Exactly `n` ASCII digits as a number (a hand-rolled nom parser: this runs on every log line,
/// and `take_while_m_n` + `str::parse` cost a third of the whole diagnosis).
fn digits(n: usize) -> impl FnMut(&str) -> IResult<&str, u32> {
    move |i: &str| {
        let b = i.as_bytes();
        if b.len() < n {
            return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Digit)));
        }
        let mut v = 0u32;
        for &c in &b[..n] {
            if !c.is_ascii_digit() {
                return Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Digit)));
            }
            v = v * 10 + (c - b'0') as u32;
        }
        Ok((&i[n..], v))
    }
}

/// `YYYY?MM?DD` with `-`, `/` or `.` between the parts (the date follows the machine's locale).
pub fn date(i: &str) -> IResult<&str, (i32, u8, u8)> {
    let (i, y) = digits(4)(i)?;
    let (i, sep) = one_of("-/.")(i)?;
    let (i, m) = digits(2)(i)?;
    let (i, _) = nom::character::complete::char(sep)(i)?;
    let (i, d) = digits(2)(i)?;
    Ok((i, (y as i32, m as u8, d as u8)))
}

/// `HH?MM?SS` with `:` or `.` between the parts.
pub fn clock(i: &str) -> IResult<&str, (u8, u8, u8)> {
    let (i, h) = digits(2)(i)?;
    let (i, sep) = one_of(":.")(i)?;
    let (i, m) = digits(2)(i)?;
    let (i, _) = nom::character::complete::char(sep)(i)?;
    let (i, s) = digits(2)(i)?;
    Ok((i, (h as u8, m as u8, s as u8)))
}

/// `YYYY-MM-DD HH:MM:SS` (one space, or a `T`, between date and clock), as ReportingEvents,
/// the WSUS server's log and IIS write it; the text after the seconds is returned too.
pub fn date_time(s: &str) -> Option<(Timestamp, &str)> {
    let (rest, (y, mo, d)) = date(s).ok()?;
    let rest = rest.strip_prefix([' ', 'T'])?;
    let (rest, (h, mi, sec)) = clock(rest).ok()?;
    Some((Timestamp::new(y, mo, d, h, mi, sec)?, rest))
}

/// Registry-style `YYYY.MM.DD HH.MM.SS` (or with `-` and `:`), as AU writes DetectionStartTime.
pub fn parse_registry_time(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    let (rest, (y, mo, d)) = date(t).ok()?;
    let rest = rest.trim_start_matches([' ', 'T']);
    let (_, (h, mi, s)) = clock(rest).ok()?;
    Timestamp::new(y, mo, d, h, mi, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nom::bytes::complete::take_while_m_n;
    use nom::combinator::map_res;
    use nom::Parser;

    /// The plain nom formulation the hand-rolled `digits` must agree with.
    fn digits_reference(n: usize) -> impl FnMut(&str) -> IResult<&str, u32> {
        move |i| map_res(take_while_m_n(n, n, |c: char| c.is_ascii_digit()), str::parse::<u32>).parse(i)
    }

    #[test]
    fn registry_times_in_both_spellings() {
        let a = parse_registry_time("2005.09.12 14.05.33").unwrap();
        let b = parse_registry_time("2005.09.13 14:05:33").unwrap();
        assert_eq!(b.epoch_seconds() - a.epoch_seconds(), 86_400);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse_registry_time("2009.02.30 10.00.00").is_none());
        assert!(parse_registry_time("2009.13.01 10.00.00").is_none());
        assert!(parse_registry_time("2009.12.01 25.00.00").is_none());
        assert!(parse_registry_time("2008.02.29 00.00.00").is_some());
    }

    #[test]
    fn fast_digits_agree_with_the_plain_nom_parser() {
        for t in ["2009", "0000", "12a4", "99", "", "123456"] {
            for n in [2, 4] {
                assert_eq!(digits(n)(t).ok(), digits_reference(n)(t).ok(), "{t} {n}");
            }
        }
    }

    #[test]
    fn epoch_matches_known_value() {
        let t = Timestamp::new(2009, 12, 14, 0, 0, 0).unwrap();
        assert_eq!(t.epoch_seconds(), 1_260_748_800);
    }

    #[test]
    fn filetimes_print_as_get_windowsupdatelog_does() {
        let mut out = String::new();
        // 0x01DC3896E51E242F is the start time in the header of the shared Windows 11 sample
        assert!(write_filetime(0x01DC_3896_E51E_242F, &mut out));
        assert_eq!(out, "2025/10/08 21:02:45.4479919");
        out.clear();
        assert!(write_filetime(116_444_736_000_000_000 + 951_782_400 * 10_000_000, &mut out)); // 2000-02-29
        assert_eq!(out, "2000/02/29 00:00:00.0000000");
        out.clear();
        assert!(!write_filetime(0, &mut out), "1601 is a damaged record, not a date");
        assert!(!write_filetime(i64::MIN, &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (2100, 3, 1), (1601, 1, 1)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y as i64, m, d));
        }
    }
}
