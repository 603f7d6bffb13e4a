//! The evidence explorer: every line of the cited inputs that matches a term (a finding shows
//! only its first few), with counts per error code, and per HTTP status, path and client for IIS
//! rows. Run on demand over inputs already diagnosed, streaming, with everything capped.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::formats::iis::{IisLine, IisReader};

pub use crate::caps::MAX_EXPLORE_KEYS as MAX_KEYS;
pub use crate::caps::MAX_EXPLORE_LINES as MAX_LINES;
/// Rows shown per table.
pub const TOP: usize = 10;

/// One table: the most frequent values with their counts, and what the rest add up to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub top: Vec<(String, u64)>,
    /// Occurrences not in `top` (the other values, and those past [`MAX_KEYS`]).
    pub rest: u64,
    /// Distinct values seen (up to [`MAX_KEYS`]).
    pub distinct: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
    pub term: String,
    /// Lines matching, in all the inputs.
    pub total: u64,
    /// The first [`MAX_LINES`] of them.
    pub lines: Vec<Evidence>,
    pub codes: Tally,
    pub statuses: Tally,
    pub paths: Tally,
    pub clients: Tally,
}

#[derive(Default)]
struct Counter {
    counts: HashMap<String, u64>,
    overflow: u64,
}

impl Counter {
    fn add(&mut self, key: &str) {
        let full = self.counts.len() >= MAX_KEYS;
        match self.counts.get_mut(key) {
            Some(n) => *n += 1,
            None if !full => {
                self.counts.insert(key.to_string(), 1);
            }
            None => self.overflow += 1,
        }
    }

    fn tally(&self) -> Tally {
        let mut all: Vec<(&String, &u64)> = self.counts.iter().collect();
        all.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<(String, u64)> = all.iter().take(TOP).map(|(k, v)| ((*k).clone(), **v)).collect();
        let shown: u64 = top.iter().map(|t| t.1).sum();
        let sum: u64 = self.counts.values().sum();
        Tally { top, rest: sum - shown + self.overflow, distinct: self.counts.len() }
    }
}

/// Feed it the lines of each input (in order, one input after another).
pub struct Explorer {
    term: String,
    /// Lower-case term, for a case-insensitive match.
    needle: Vec<u8>,
    total: u64,
    lines: Vec<Evidence>,
    codes: Counter,
    statuses: Counter,
    paths: Counter,
    clients: Counter,
    iis: IisReader,
    input: String,
}

impl Explorer {
    pub fn new(term: &str) -> Self {
        let term = term.trim().to_string();
        Explorer {
            needle: term.to_ascii_lowercase().into_bytes(),
            term,
            total: 0,
            lines: Vec::new(),
            codes: Counter::default(),
            statuses: Counter::default(),
            paths: Counter::default(),
            clients: Counter::default(),
            iis: IisReader::new(),
            input: String::new(),
        }
    }

    /// The default term for a finding: the first error code its evidence names (without `0x`,
    /// so `8024402c` and `0x8024402C` both match), else the first URL path, else nothing.
    pub fn term_for(evidence: &[Evidence]) -> String {
        for e in evidence {
            let mut code = None;
            crate::codes::scan_codes(&e.text, |c| {
                code.get_or_insert(c);
            });
            if let Some(c) = code {
                return format!("{c:08X}");
            }
            // an IIS row: its path (a finding's first row is its most telling one)
            if let Some(p) = e.text.split([' ', '\t']).find(|t| t.starts_with('/') && t.len() > 1) {
                return p.to_string();
            }
        }
        String::new()
    }

    /// One line of an input (`n` counts from 1 per input; a new input resets the IIS header).
    pub fn line(&mut self, input: &str, n: u64, text: &str) {
        if self.input != input {
            self.input = input.to_string();
            self.iis = IisReader::new();
        }
        let iis = self.iis.read(text);
        if !self.needle.is_empty() && memchr::memmem::find(text.to_ascii_lowercase().as_bytes(), &self.needle).is_none() {
            return;
        }
        if matches!(iis, IisLine::Directive) || text.trim().is_empty() {
            return;
        }
        self.total += 1;
        if self.lines.len() < MAX_LINES {
            self.lines.push(Evidence::new(input, n, text));
        }
        let mut seen = 0;
        crate::codes::scan_codes(text, |c| {
            if seen < 4 {
                self.codes.add(&format!("0x{c:08X}"));
                seen += 1;
            }
        });
        if let IisLine::Request(r) = iis {
            if let Some(s) = r.status {
                self.statuses.add(&s.to_string());
            }
            self.paths.add(r.path);
            self.clients.add(r.client_ip());
        }
    }

    pub fn finish(self) -> Exploration {
        Exploration {
            term: self.term,
            total: self.total,
            lines: self.lines,
            codes: self.codes.tally(),
            statuses: self.statuses.tally(),
            paths: self.paths.tally(),
            clients: self.clients.tally(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_matching_iis_row_is_counted_by_status_path_and_client() {
        let mut x = Explorer::new("/selfupdate");
        x.line("u_ex.log", 1, "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken");
        for i in 0..3000u64 {
            let path = if i % 3 == 0 { "/selfupdate/wuident.cab" } else { "/selfupdate/AU/x86/XP/EN/wuaucomp.cab" };
            x.line(
                "u_ex.log",
                i + 2,
                &format!(
                    "2009-12-14 15:11:41 10.0.0.5 GET {path} - 80 - 10.0.{}.{} WUA {} 0 2 15",
                    i % 7,
                    i % 20,
                    if i % 2 == 0 { 404 } else { 503 }
                ),
            );
            x.line(
                "u_ex.log",
                i + 3002,
                "2009-12-14 15:11:41 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.0.9 WUA 200 0 0 15",
            );
        }
        let e = x.finish();
        assert_eq!(e.total, 3000, "only the matching rows");
        assert_eq!(e.lines.len(), MAX_LINES);
        assert_eq!(e.statuses.top, [("404".to_string(), 1500), ("503".to_string(), 1500)]);
        assert_eq!(e.paths.top[0], ("/selfupdate/AU/x86/XP/EN/wuaucomp.cab".to_string(), 2000));
        assert_eq!(e.clients.distinct, 140);
        assert_eq!(e.clients.top.len(), TOP);
        assert_eq!(e.clients.top.iter().map(|t| t.1).sum::<u64>() + e.clients.rest, 3000, "top plus rest is every row");
    }

    #[test]
    fn a_code_matches_with_or_without_0x_and_in_any_case() {
        let ev = [Evidence::new("WindowsUpdate.log", 3, "WARNING: SyncServerUpdatesInternal failed: 0x8024402c")];
        let term = Explorer::term_for(&ev);
        assert_eq!(term, "8024402C");
        let mut x = Explorer::new(&term);
        x.line("WindowsUpdate.log", 1, "WARNING: Send failed with hr = 8024402c.");
        x.line("WindowsUpdate.log", 2, "WARNING: Exit code = 0x8024402C");
        x.line("WindowsUpdate.log", 3, "Found 0 updates");
        let e = x.finish();
        assert_eq!(e.total, 2);
        assert_eq!(e.codes.top, [("0x8024402C".to_string(), 2)]);
    }
}
