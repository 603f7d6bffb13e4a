//! What happened when: detection cycles, downloads, installs, error codes on the client, and
//! the server's error statuses, counted in time buckets per lane. The page draws it; the JSON
//! carries it for scripts.
//!
//! Memory is bounded whatever the span: cells are (lane, bucket) counts with the first line of
//! each as evidence, at most [`MAX_CELLS`]; when that is exceeded the bucket width doubles and
//! neighbouring cells merge (each merge halves the cells, so the work stays linear). Lanes are
//! capped at [`MAX_LANES`]; later error codes and statuses share one "other" lane and are counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::events::WuEvent;
use crate::evidence::Evidence;
use crate::time::Timestamp;

pub use crate::caps::MAX_CELLS;
/// A cell's first line is cut to this many bytes: it labels a mark; the viewer shows it whole.
pub const CELL_TEXT: usize = 160;
pub use crate::caps::MAX_LANES;
/// The narrowest bucket: one minute.
const FIRST_WIDTH: i64 = 60;

const OTHER_CLIENT: &str = "other error codes";
const OTHER_SERVER: &str = "other HTTP errors";

/// Which box a lane's events happened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

/// How bad a lane's events are, for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Ok,
    Activity,
    Failure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub name: String,
    pub side: Side,
    pub tone: Tone,
    /// Events in this lane (every one, also those past the cell cap).
    pub count: u64,
}

/// Events of one lane in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub lane: usize,
    /// Seconds since 1970 of the bucket's start, on the evidence's own clock.
    pub start: i64,
    pub count: u64,
    /// The first event of the bucket.
    pub first: Evidence,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Width of a cell, seconds (60 for a day of events; wider for a month of IIS log).
    pub bucket_seconds: i64,
    pub lanes: Vec<Lane>,
    /// Sorted by lane, then time.
    pub cells: Vec<Cell>,
    /// Events without a usable time (pasted message columns, damaged stamps): counted only.
    pub untimed: u64,
    /// Events that went to an "other" lane because [`MAX_LANES`] was reached.
    pub lanes_cut: u64,
    /// Client events were moved to UTC with their log's `tz` (classic logs write local time
    /// and say their zone in `Logging initialized`), so they line up with IIS's UTC.
    #[serde(default)]
    pub client_utc: bool,
}

impl Timeline {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Where the bulk of the events lie: one stray line dated 9999 or 1601 must not stretch the
    /// axis over centuries. See [`dense_range`].
    pub fn dense_range(&self) -> Option<DenseRange> {
        let mut per_start: BTreeMap<i64, u64> = BTreeMap::new();
        for c in &self.cells {
            *per_start.entry(c.start).or_default() += c.count;
        }
        let points: Vec<(i64, u64)> = per_start.into_iter().collect();
        dense_range(&points, self.bucket_seconds)
    }
}

/// The span drawn, and what lies outside it (said under the chart, never silently dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DenseRange {
    /// First and last bucket start kept (inclusive).
    pub first: i64,
    pub last: i64,
    /// Events before `first` and after `last`.
    pub before: u64,
    pub after: u64,
}

/// Days an outlier must lie from the bulk before it is left out of the axis.
const OUTLIER_GAP: i64 = 30 * 86_400;

/// Trims outliers from either end of `(bucket start, events)` points sorted by time: an end
/// point is left out while it is farther from the rest than the rest is wide (and more than
/// [`OUTLIER_GAP`]), and what is left out stays a minority (at most a tenth of the events, at
/// least one). Linear in the points; `None` for no points.
pub fn dense_range(points: &[(i64, u64)], bucket_seconds: i64) -> Option<DenseRange> {
    let total: u64 = points.iter().map(|p| p.1).sum();
    let budget = (total / 10).max(1);
    let (mut lo, mut hi) = (0usize, points.len().checked_sub(1)?);
    let (mut before, mut after) = (0u64, 0u64);
    while lo < hi {
        let inner = |a: usize, b: usize| (points[b].0 - points[a].0).max(bucket_seconds);
        let kept = |drop: u64| total - before - after - drop;
        let gap_hi = points[hi].0 - points[hi - 1].0;
        let gap_lo = points[lo + 1].0 - points[lo].0;
        let (far_hi, far_lo) = (gap_hi > OUTLIER_GAP && gap_hi > inner(lo, hi - 1), gap_lo > OUTLIER_GAP && gap_lo > inner(lo + 1, hi));
        let fits = |n: u64| before + after + n <= budget && kept(n) > before + after + n;
        if far_hi && (!far_lo || gap_hi >= gap_lo) && fits(points[hi].1) {
            after += points[hi].1;
            hi -= 1;
        } else if far_lo && fits(points[lo].1) {
            before += points[lo].1;
            lo += 1;
        } else {
            break;
        }
    }
    Some(DenseRange { first: points[lo].0, last: points[hi].0, before, after })
}

/// What a lane is, cheap to compare on every event (the name is written once, for a new lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LaneKey {
    Event(&'static str),
    Code(u32),
    Status(u16),
    ServerError,
    Other(Side),
}

impl LaneKey {
    fn name(self) -> String {
        match self {
            LaneKey::Event(n) => n.to_string(),
            LaneKey::Code(c) => format!("error 0x{c:08X}"),
            LaneKey::Status(s) => format!("HTTP {s}"),
            LaneKey::ServerError => "WSUS server error".to_string(),
            LaneKey::Other(Side::Client) => OTHER_CLIENT.to_string(),
            LaneKey::Other(Side::Server) => OTHER_SERVER.to_string(),
        }
    }
}

/// Collects events while the inputs stream (lives in the facts).
#[derive(Debug, Default, Clone)]
pub struct TimelineBuilder {
    width: i64,
    keys: Vec<LaneKey>,
    lanes: Vec<Lane>,
    cells: BTreeMap<(usize, i64), (u64, Evidence)>,
    untimed: u64,
    lanes_cut: u64,
    /// The previous event's time and its seconds (a log writes many lines per second).
    last_time: Option<(Timestamp, i64)>,
    /// Per lane, its last bucket and the events in it not yet added to the cell's count.
    pending: Vec<Option<(i64, u64)>>,
    /// The client input being read and its log's zone offset in minutes (from its last
    /// `Logging initialized` line); other inputs' zones, kept when it changes.
    zone: (String, Option<i32>),
    zones: Vec<(String, i32)>,
    client_utc: bool,
}

impl TimelineBuilder {
    /// A client log record: its event and its first failure code, if any.
    pub fn client(&mut self, input: &str, line: u64, raw: &str, time: Option<Timestamp>, event: Option<&WuEvent<'_>>, code: Option<u32>) {
        self.client_in_zone(input, line, raw, time, None, event, code);
    }

    /// A client record whose own time says its zone (a ReportingEvents row: `...:056-0700`).
    #[allow(clippy::too_many_arguments)]
    pub fn client_in_zone(
        &mut self,
        input: &str,
        line: u64,
        raw: &str,
        time: Option<Timestamp>,
        row_zone: Option<i32>,
        event: Option<&WuEvent<'_>>,
        code: Option<u32>,
    ) {
        if self.zone.0 != input {
            let old = std::mem::replace(&mut self.zone, (input.to_string(), None));
            if let (name, Some(tz)) = old {
                self.zones.retain(|(n, _)| *n != name);
                self.zones.push((name, tz));
            }
            self.zone.1 = self.zones.iter().find(|(n, _)| n == input).map(|z| z.1);
        }
        if let Some(WuEvent::LoggingInitialized { tz_minutes: Some(tz), .. }) = event {
            self.zone.1 = Some(*tz);
        }
        // local time minus the zone offset is UTC
        let zone = row_zone.or(self.zone.1);
        let shift = zone.map_or(0, |tz| -i64::from(tz) * 60);
        self.client_utc |= zone.is_some() && time.is_some();
        let lane: Option<(&'static str, Tone)> = match event {
            Some(WuEvent::SearchSucceeded { .. }) => Some(("detection succeeded", Tone::Ok)),
            Some(WuEvent::SearchFailed | WuEvent::SyncFailed) => Some(("detection failed", Tone::Failure)),
            Some(WuEvent::SearchStarted) => Some(("detection started", Tone::Activity)),
            Some(WuEvent::DownloadFailed { .. }) => Some(("download failed", Tone::Failure)),
            Some(WuEvent::InstallSucceeded { .. }) => Some(("install succeeded", Tone::Ok)),
            Some(WuEvent::InstallFailed { .. }) => Some(("install failed", Tone::Failure)),
            Some(WuEvent::SelfUpdateFailed) => Some(("self-update failed", Tone::Failure)),
            Some(WuEvent::ServerAnswered) => Some(("server answered", Tone::Ok)),
            _ => None,
        };
        if let Some((name, tone)) = lane {
            self.add(LaneKey::Event(name), Side::Client, tone, input, line, raw, time, shift);
        }
        if let Some(c) = code {
            self.add(LaneKey::Code(c), Side::Client, Tone::Failure, input, line, raw, time, shift);
        }
    }

    /// An IIS or HTTP.sys request: only error statuses are drawn.
    pub fn server_status(&mut self, input: &str, line: u64, raw: &str, time: Option<Timestamp>, status: u16) {
        if status >= 400 {
            self.add(LaneKey::Status(status), Side::Server, Tone::Failure, input, line, raw, time, 0);
        }
    }

    /// A WSUS server log record at level Error.
    pub fn server_error(&mut self, input: &str, line: u64, raw: &str, time: Option<Timestamp>) {
        self.add(LaneKey::ServerError, Side::Server, Tone::Failure, input, line, raw, time, 0);
    }

    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, key: LaneKey, side: Side, tone: Tone, input: &str, line: u64, raw: &str, time: Option<Timestamp>, shift: i64) {
        let lane = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None if self.keys.len() < MAX_LANES - 2 || matches!(key, LaneKey::Other(_)) => {
                self.keys.push(key);
                self.lanes.push(Lane { name: key.name(), side, tone, count: 0 });
                self.lanes.len() - 1
            }
            None => {
                self.lanes_cut += 1;
                return self.add(LaneKey::Other(side), side, Tone::Failure, input, line, raw, time, shift);
            }
        };
        self.lanes[lane].count += 1;
        let Some(t) = time else {
            self.untimed += 1;
            return;
        };
        if self.width == 0 {
            self.width = FIRST_WIDTH;
        }
        // logs are mostly in time order: a run of events in one lane and minute costs one compare
        let secs = match self.last_time {
            Some((lt, ls)) if lt == t => ls,
            _ => {
                let s = t.epoch_seconds();
                self.last_time = Some((t, s));
                s
            }
        };
        let at = (secs + shift).div_euclid(self.width);
        if self.pending.len() <= lane {
            self.pending.resize(lane + 1, None);
        }
        if let Some((bucket, extra)) = self.pending[lane].as_mut() {
            if *bucket == at {
                *extra += 1;
                return;
            }
        }
        self.flush(lane);
        match self.cells.get_mut(&(lane, at)) {
            Some(cell) => cell.0 += 1,
            None => {
                self.cells.insert((lane, at), (1, Evidence::new(input, line, cut(raw))));
                if self.cells.len() > MAX_CELLS {
                    self.widen();
                    return;
                }
            }
        }
        self.pending[lane] = Some((at, 0));
    }

    /// Add a lane's counted run to its cell.
    fn flush(&mut self, lane: usize) {
        if let Some((at, extra)) = self.pending.get_mut(lane).and_then(Option::take) {
            if let Some(cell) = self.cells.get_mut(&(lane, at)) {
                cell.0 += extra;
            }
        }
    }

    /// Double the bucket width until the cells fit, merging neighbours (the earlier keeps its
    /// evidence: with a bucket's first line, the merged bucket's first line is the earlier's).
    fn widen(&mut self) {
        for lane in 0..self.pending.len() {
            self.flush(lane);
        }
        while self.cells.len() > MAX_CELLS / 2 {
            self.width *= 2;
            let old = std::mem::take(&mut self.cells);
            for ((lane, at), (count, ev)) in old {
                let key = (lane, at.div_euclid(2));
                match self.cells.get_mut(&key) {
                    Some(cell) => cell.0 += count,
                    None => {
                        self.cells.insert(key, (count, ev));
                    }
                }
            }
        }
    }

    pub fn finish(&self) -> Timeline {
        let extra = |(lane, at): (usize, i64)| match self.pending.get(lane) {
            Some(Some((b, n))) if *b == at => *n,
            _ => 0,
        };
        Timeline {
            bucket_seconds: self.width,
            lanes: self.lanes.clone(),
            cells: self
                .cells
                .iter()
                .map(|(&(lane, at), (count, first))| Cell {
                    lane,
                    start: at * self.width,
                    count: count + extra((lane, at)),
                    first: first.clone(),
                })
                .collect(),
            untimed: self.untimed,
            lanes_cut: self.lanes_cut,
            client_utc: self.client_utc,
        }
    }
}

/// At most [`CELL_TEXT`] bytes, cut at a character boundary.
fn cut(raw: &str) -> &str {
    if raw.len() <= CELL_TEXT {
        return raw;
    }
    let mut end = CELL_TEXT;
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    &raw[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u8, hour: u8, minute: u8) -> Option<Timestamp> {
        Timestamp::new(2026, 10, day, hour, minute, 0)
    }

    #[test]
    fn a_month_of_errors_fits_in_the_cap_and_keeps_every_count() {
        let mut b = TimelineBuilder::default();
        let mut n = 0u64;
        for day in 1..=30u8 {
            for hour in 0..24u8 {
                for minute in (0..60u8).step_by(2) {
                    n += 1;
                    b.server_status("u_ex.log", n, "GET /ClientWebService/client.asmx 503", at(day, hour, minute), 503);
                }
            }
        }
        let t = b.finish();
        assert!(t.cells.len() <= MAX_CELLS, "{}", t.cells.len());
        assert!(t.bucket_seconds > 60, "widened: {}", t.bucket_seconds);
        assert_eq!(t.cells.iter().map(|c| c.count).sum::<u64>(), n);
        assert_eq!(t.lanes[0].count, n);
        assert_eq!(t.cells[0].first.line, 1, "a merged bucket cites its first line");
        assert!(t.cells.windows(2).all(|w| w[0].start < w[1].start));
    }

    #[test]
    fn lanes_are_capped_and_the_rest_is_counted_as_other() {
        let mut b = TimelineBuilder::default();
        for code in 0..100u32 {
            b.client("WindowsUpdate.log", u64::from(code) + 1, "x", at(1, 10, 0), None, Some(0x8024_0000 + code));
        }
        b.client("WindowsUpdate.log", 200, "x", None, None, Some(0x8024_0001));
        let t = b.finish();
        assert!(t.lanes.len() <= MAX_LANES);
        let other = t.lanes.iter().find(|l| l.name == OTHER_CLIENT).expect("an other lane");
        assert_eq!(other.count, t.lanes_cut);
        assert_eq!(t.lanes.iter().map(|l| l.count).sum::<u64>(), 101);
        assert_eq!(t.untimed, 1);
    }

    #[test]
    fn a_classic_log_with_its_zone_lines_up_with_iis_in_utc() {
        let mut b = TimelineBuilder::default();
        let init = WuEvent::LoggingInitialized { build: "7.4.7600.226", tz_minutes: Some(-300) };
        b.client("WindowsUpdate.log", 1, "Logging initialized", at(14, 10, 0), Some(&init), None);
        b.client("WindowsUpdate.log", 2, "x", at(14, 10, 19), None, Some(0x8024_4019));
        b.server_status("u_ex.log", 9, "y", at(14, 15, 19), 404);
        let t = b.finish();
        assert!(t.client_utc);
        let code = t.lanes.iter().position(|l| l.name == "error 0x80244019").unwrap();
        let http = t.lanes.iter().position(|l| l.name == "HTTP 404").unwrap();
        let start = |lane| t.cells.iter().find(|c| c.lane == lane).unwrap().start;
        assert_eq!(start(code), start(http), "10:19 at UTC-5 is 15:19 UTC");
    }

    #[test]
    fn a_reporting_events_row_uses_its_own_zone() {
        let mut b = TimelineBuilder::default();
        b.client_in_zone("ReportingEvents.log", 1, "x", at(14, 10, 19), Some(-300), None, Some(0x8024_4019));
        b.server_status("u_ex.log", 9, "y", at(14, 15, 19), 404);
        let t = b.finish();
        assert!(t.client_utc);
        assert_eq!(t.cells[0].start, t.cells[1].start);
    }

    fn minutes(start: i64, n: i64) -> Vec<(i64, u64)> {
        (0..n).map(|i| (start + i * 60, 1)).collect()
    }

    #[test]
    fn one_stray_line_in_9999_or_1601_is_left_out_of_the_axis_and_counted() {
        let bulk = minutes(1_780_000_000, 50);
        let mut pts = vec![(-11_644_473_600, 1)]; // 1601-01-01
        pts.extend(bulk.iter().copied());
        pts.push((253_402_300_740, 1)); // 9999-12-31 23:59
        let r = dense_range(&pts, 60).unwrap();
        assert_eq!((r.first, r.last, r.before, r.after), (1_780_000_000, 1_780_000_000 + 49 * 60, 1, 1));
    }

    #[test]
    fn a_real_spread_is_kept_whole() {
        // two events a year apart, and a month of steady events: nothing is an outlier
        let r = dense_range(&[(0, 1), (365 * 86_400, 1)], 60).unwrap();
        assert_eq!((r.first, r.last, r.before + r.after), (0, 365 * 86_400, 0));
        let month: Vec<(i64, u64)> = (0..30).map(|d| (d * 86_400, 24)).collect();
        let r = dense_range(&month, 3600).unwrap();
        assert_eq!((r.first, r.last, r.before + r.after), (0, 29 * 86_400, 0));
        assert_eq!(dense_range(&[], 60), None);
    }

    #[test]
    fn outliers_are_never_the_majority() {
        // half the events far away: that is two clusters, not outliers
        let mut pts = minutes(0, 5);
        pts.extend(minutes(400 * 86_400, 5));
        let r = dense_range(&pts, 60).unwrap();
        assert_eq!((r.first, r.before + r.after), (0, 0));
    }
}
