//! Lines found across a whole input, for the page's input viewer, which holds only a window of
//! ~2,000 lines of it: the next (or previous) line matching a search or of a severity
//! ([`Finder`], what CMTrace's Find and "next error" do over a 50 MB log), and the lines of
//! another input written in a time range ([`Slicer`], the merged view's rows).
//!
//! Both are pushed one line at a time by a caller streaming the input, hold a bounded amount of
//! it whatever its size, and say when they need no more lines, so the caller can stop reading.
//! They match and read times with the viewer's own rules ([`contains_ignoring_case`],
//! [`crate::lines::level`], [`crate::lines::LineClock`]), so a line found here is a line the
//! viewer highlights.

use serde::{Deserialize, Serialize};

use crate::lines::{level, Level, LineClock};

/// Lines a [`Slicer`] keeps at most; past it, it stops and says more lines were in the range.
pub const MAX_SLICE_LINES: usize = 2000;

/// Whether `text` holds `lower_query` (already in ASCII lower case), ASCII case ignored, as the
/// viewer's search marks it (byte positions stay those of the text). An empty query matches
/// nothing: an empty search box finds no line.
pub fn contains_ignoring_case(text: &str, lower_query: &str) -> bool {
    let (t, q) = (text.as_bytes(), lower_query.as_bytes());
    let Some(&first) = q.first() else { return false };
    if t.len() < q.len() {
        return false;
    }
    let last_start = t.len() - q.len();
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &t[..=last_start]).any(|i| t[i..i + q.len()].eq_ignore_ascii_case(q))
}

/// What a [`Finder`] looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Lines holding this text, ASCII case ignored.
    Text(String),
    /// Lines of this severity: `Error` finds errors, `Warning` errors and warnings.
    Level(Level),
}

impl Target {
    /// Whether `line` is one looked for.
    pub fn matches(&self, line: &str) -> bool {
        match self {
            Target::Text(lower) => contains_ignoring_case(line, lower),
            Target::Level(want) => match level(line) {
                Some(Level::Error) => true,
                Some(Level::Warning) => *want == Level::Warning,
                None => false,
            },
        }
    }
}

/// What a [`Finder`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// The line found; `None` when there is none after (or before) `from`.
    pub line: Option<u64>,
    /// The line the search started from (not itself looked at).
    pub from: u64,
    pub forward: bool,
    /// The last line read: where the input ends when nothing was found after `from`.
    pub last: u64,
}

/// The first line after `from` (or the last line before it) that a [`Target`] matches, from
/// lines pushed in order. Holds one line number, whatever the input's size.
#[derive(Debug, Clone)]
pub struct Finder {
    target: Target,
    found: Found,
}

impl Finder {
    /// A search of `target` after line `from` (`forward`) or before it. A text target is
    /// lowered once here.
    pub fn new(target: Target, from: u64, forward: bool) -> Finder {
        let target = match target {
            Target::Text(t) => Target::Text(t.to_ascii_lowercase()),
            t => t,
        };
        Finder { target, found: Found { line: None, from, forward, last: 0 } }
    }

    /// The next line of the input (numbered from 1, in order).
    pub fn line(&mut self, n: u64, text: &str) {
        if self.done() {
            return;
        }
        self.found.last = n;
        let f = &mut self.found;
        let wanted = if f.forward { n > f.from } else { n < f.from };
        if wanted && self.target.matches(text) {
            f.line = Some(n);
        }
    }

    /// Nothing more to read: the next match is found, or every line before `from` was read.
    pub fn done(&self) -> bool {
        let f = &self.found;
        if f.forward {
            f.line.is_some()
        } else {
            f.last + 1 >= f.from
        }
    }

    pub fn finish(self) -> Found {
        self.found
    }
}

/// The lines of one input written in a time range (UTC seconds, both ends included; `None`: no
/// bound on that side), with the lines without a time that follow a kept line (a record's
/// continuation stays with it). Times are read as the viewer reads them, the log's stated zone
/// applied ([`LineClock`]). Keeps [`MAX_SLICE_LINES`] lines at most, each cut to `max_chars`.
#[derive(Debug, Clone)]
pub struct Slicer {
    start: Option<i64>,
    end: Option<i64>,
    max_chars: usize,
    clock: LineClock,
    /// The line before was kept (or, with no start, no time has been read yet).
    keeping: bool,
    slice: Slice,
}

/// What a [`Slicer`] kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    pub lines: Vec<(u64, String)>,
    /// The zone stated before the first line kept (minutes east of UTC), to read their times again.
    pub zone: i64,
    /// More lines were in the range than [`MAX_SLICE_LINES`]: those after the last kept were not read.
    pub more: bool,
}

impl Slicer {
    pub fn new(start: Option<i64>, end: Option<i64>, max_chars: usize) -> Slicer {
        Slicer { start, end, max_chars, clock: LineClock::default(), keeping: start.is_none(), slice: Slice::default() }
    }

    /// The next line of the input (numbered from 1, in order).
    pub fn line(&mut self, n: u64, text: &str) {
        if self.done() {
            return;
        }
        let zone = self.clock.zone;
        if let Some(t) = self.clock.time(text) {
            self.keeping = self.start.is_none_or(|s| t >= s) && self.end.is_none_or(|e| t <= e);
        }
        if !self.keeping {
            return;
        }
        if self.slice.lines.len() == MAX_SLICE_LINES {
            self.slice.more = true;
            return;
        }
        if self.slice.lines.is_empty() {
            self.slice.zone = zone;
        }
        self.slice.lines.push((n, text.chars().take(self.max_chars).collect()));
    }

    /// The cap is reached and a line past it was in the range: nothing more to read.
    pub fn done(&self) -> bool {
        self.slice.more
    }

    pub fn finish(self) -> Slice {
        self.slice
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::times_from;

    /// A 60,000-line WindowsUpdate.log with one error, at line 50,000, and a search term near
    /// its end: the viewer's window (lines 1-2,001) holds neither.
    fn big_log() -> Vec<String> {
        (1..=60_000)
            .map(|i| {
                let what = match i {
                    50_000 => "FATAL: IsUpdateRequired failed with error 0x80244019".to_string(),
                    59_990 => "* WSUS server: http://wsus01:8530".to_string(),
                    _ => format!("* line {i}"),
                };
                format!("2026-10-01\t10:{:02}:{:02}:000\t1032\td18\tAgent\t{what}", i / 60 % 60, i % 60)
            })
            .collect()
    }

    fn find(lines: &[String], target: Target, from: u64, forward: bool) -> (Found, usize) {
        let mut f = Finder::new(target, from, forward);
        let mut read = 0;
        for (i, l) in lines.iter().enumerate() {
            if f.done() {
                break;
            }
            read += 1;
            f.line(i as u64 + 1, l);
        }
        (f.finish(), read)
    }

    #[test]
    fn next_error_far_past_the_window_is_found_and_reading_stops_there() {
        let log = big_log();
        let (f, read) = find(&log, Target::Level(Level::Error), 2001, true);
        assert_eq!(f.line, Some(50_000));
        assert_eq!(read, 50_000, "nothing after the match is read");
        // from the error itself: none after it
        let (f, read) = find(&log, Target::Level(Level::Error), 50_000, true);
        assert_eq!((f.line, f.from, f.last, read), (None, 50_000, 60_000, 60_000));
        // previous error from the end: the same line; none before it
        let (f, read) = find(&log, Target::Level(Level::Error), 59_000, false);
        assert_eq!((f.line, read), (Some(50_000), 58_999), "lines before `from` only");
        assert_eq!(find(&log, Target::Level(Level::Error), 50_000, false).0.line, None);
    }

    #[test]
    fn a_search_ignores_case_as_the_viewer_does_and_warnings_include_errors() {
        let log = big_log();
        assert_eq!(find(&log, Target::Text("wsus SERVER".into()), 1, true).0.line, Some(59_990));
        assert_eq!(find(&log, Target::Text("line 5000".into()), 60_000, false).0.line, Some(50_009), "the last before");
        assert_eq!(find(&log, Target::Text(String::new()), 1, true).0.line, None, "an empty search finds nothing");
        let warn = "2026-10-01\t10:00:01:000\t1032\td18\tAgent\tWARNING: Skipping scan";
        assert!(Target::Level(Level::Warning).matches(warn) && !Target::Level(Level::Error).matches(warn));
        assert!(Target::Level(Level::Warning).matches(&log[49_999]));
        // ASCII case only (as the viewer marks it), in a text with multibyte letters
        assert!(contains_ignoring_case("Größe ÜBER 0X80244019", "größe"));
        assert!(contains_ignoring_case("Größe ÜBER 0X80244019", "0x80244019"));
        assert!(!contains_ignoring_case("0x8024", "0x80244019"));
    }

    fn slice(lines: &[&str], start: Option<i64>, end: Option<i64>) -> Slice {
        let mut s = Slicer::new(start, end, 100);
        for (i, l) in lines.iter().enumerate() {
            s.line(i as u64 + 1, l);
        }
        s.finish()
    }

    #[test]
    fn a_slice_keeps_the_lines_of_a_time_range_with_their_continuations_in_utc() {
        let at = |h, m, s| crate::time::Timestamp::new(2009, 12, 14, h, m, s).unwrap().epoch_seconds();
        let log = [
            "2009-12-14\t10:14:02:375\t1032\t4d8\tMisc\t===========  Logging initialized (build: 5.8.0.2469, tz: -0500)  ===========",
            "2009-12-14\t10:15:00:000\t1032\td18\tAgent\t* before the range",
            "\tits continuation",
            "2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019",
            "\tits continuation, kept",
            "2009-12-14\t10:21:00:000\t1032\td18\tAgent\t* in the range",
            "2009-12-14\t10:30:00:000\t1032\td18\tAgent\t* after it",
            "\tnot kept",
        ];
        // the range in UTC: the client's 10:19-10:21 local time at -0500
        let s = slice(&log, Some(at(15, 19, 0)), Some(at(15, 25, 0)));
        let kept: Vec<u64> = s.lines.iter().map(|l| l.0).collect();
        assert_eq!(kept, [4, 5, 6]);
        assert_eq!(s.zone, -300, "the zone stated before them, to read their times again");
        assert_eq!(times_from(s.zone, s.lines.iter().map(|l| l.1.as_str()))[0], Some(at(15, 19, 48)));
        assert!(!s.more);
        // no start: from the first line, the untimed ones at the top too (no zone stated: as written)
        let s = slice(&["untimed header", log[1], log[6]], None, Some(at(10, 20, 0)));
        assert_eq!(s.lines.iter().map(|l| l.0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(slice(&log, Some(at(16, 0, 0)), None).lines.len(), 0);
    }

    #[test]
    fn a_slice_stops_at_its_cap_and_says_more_lines_were_in_the_range() {
        let log = big_log();
        let mut s = Slicer::new(None, None, 10);
        let mut read = 0;
        for (i, l) in log.iter().enumerate() {
            if s.done() {
                break;
            }
            read += 1;
            s.line(i as u64 + 1, l);
        }
        let s = s.finish();
        assert_eq!((s.lines.len(), s.more, read), (MAX_SLICE_LINES, true, MAX_SLICE_LINES + 1));
        assert_eq!(s.lines[0].1, "2026-10-01", "each line cut to max_chars");
    }
}
