//! One folder per evidence format: its parser (bytes or lines to records) and its reader
//! (records to facts builder calls), and [`FORMATS`], the one table that says how each format is
//! recognised and which input kind its records feed.
//!
//! Adding a format is a folder here plus a row in [`FORMATS`] (and, for a new kind of evidence,
//! an [`InputKind`] and its reader's slot in [`crate::readers::Readers`]).
//!
//! Detection ([`crate::detect`], per line; [`crate::records`], per input) is a loop over the
//! table: binary formats by their magic bytes; text formats by a cheap check of the line's first
//! byte, then their probes. Strong probes (a format's own record shape: a timestamped record, a
//! `#Fields:` header, `[HKEY_...]`) are tried before weak ones (a well-known message without
//! columns, a PowerShell property) and, within each, in the order of their ranks, written in the
//! rows so that the order that decides a line that fits two formats is visible in one place.

pub mod apphost;
pub mod cmtrace;
pub mod etl;
pub mod event_text;
pub mod evtx;
pub mod iis;
pub mod netsh_winhttp;
pub mod registry;
pub mod reporting_events;
pub mod server_log;
pub mod update_services;
pub mod wulog;
pub mod zip;

pub use crate::caps::QUOTED;
use crate::facts::Facts;
use crate::kind::InputKind;

/// The interface every line-oriented format implements.
pub trait Reader {
    /// Read one non-blank physical line (1-based `n`) of `input`. Returns whether the line is
    /// this format's; a line that is not is offered to other readers or counted as unrecognised.
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool;

    /// A blank line inside this format's section. Most formats ignore it.
    fn blank(&mut self, _input: &str, _n: u64, _raw: &str, _facts: &mut Facts) {}

    /// A blank or unrecognised line came: a record wrapped over several lines cannot continue
    /// past it.
    fn gap(&mut self) {}

    /// The input ended: flush pending state. Returns the lines that were counted as recognised
    /// but turned out not to be (a value that never ended), so the router can correct its counts.
    fn finish(&mut self, _input: &str, _facts: &mut Facts) -> Vec<u64> {
        Vec::new()
    }

    /// What was repaired or skipped, in the admin's words, appended to the input's notes.
    fn notes(&self, notes: &mut Vec<String>);
}

/// A text line being detected.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The line as written.
    pub raw: &'a str,
    /// The line without leading blanks and list or quote marks (`> `, `| `, `• `, backticks).
    pub t: &'a str,
    /// `t`'s first byte.
    pub first: u8,
}

/// One test of a line's shape, with its rank among the probes of the same strength (lower
/// runs first).
#[derive(Clone, Copy)]
pub struct Probe {
    pub rank: u8,
    pub test: fn(&Line<'_>) -> bool,
}

/// How a format is recognised.
#[derive(Clone, Copy)]
pub enum Detect {
    /// A binary format (or container), by the first [`SNIFF_LEN`] bytes of the input; its
    /// decoder turns records into lines (see [`crate::records`]).
    Magic(fn(&[u8]) -> bool),
    /// A text format, line by line: `first` is the cheap check of the first byte (of
    /// [`Line::t`]); `strong` may switch an open section to this format, `weak` only opens one
    /// when none is open.
    Lines { first: fn(u8) -> bool, strong: Option<Probe>, weak: Option<Probe> },
}

/// A row of [`FORMATS`].
#[derive(Clone, Copy)]
pub struct Format {
    /// The format's name (its folder's, with `-`); binary formats report it as the input's `format`.
    pub name: &'static str,
    /// The kind its records feed, and so the reader its lines go to; `None` for a container
    /// (zip, cab) or an event log whose records are detected one by one.
    pub kind: Option<InputKind>,
    pub detect: Detect,
}

/// Bytes an input's start must have before its format is decided.
pub const SNIFF_LEN: usize = etl::SNIFF_LEN;

const fn probe(rank: u8, test: fn(&Line<'_>) -> bool) -> Option<Probe> {
    Some(Probe { rank, test })
}

/// Every format WSUS Doctor reads. Binary rows are tried in this order; text rows by their
/// probes' ranks (strong ranks, then weak ranks).
pub static FORMATS: &[Format] = &[
    Format { name: "etl", kind: Some(InputKind::WindowsupdateLog), detect: Detect::Magic(etl::is_etl) },
    Format { name: "evtx", kind: None, detect: Detect::Magic(evtx::is_evtx) },
    Format { name: "zip", kind: None, detect: Detect::Magic(zip::is_zip) },
    Format { name: "cab", kind: None, detect: Detect::Magic(zip::is_cab) },
    Format {
        name: "cmtrace",
        kind: Some(InputKind::ConfigmgrLog),
        detect: Detect::Lines { first: |_| true, strong: probe(10, cmtrace::strong), weak: probe(40, cmtrace::weak) },
    },
    Format {
        name: "event-text",
        kind: Some(InputKind::EventLog),
        detect: Detect::Lines { first: not_digit_or_hash, strong: probe(20, event_text::strong), weak: probe(20, event_text::weak) },
    },
    Format {
        name: "reporting-events",
        kind: Some(InputKind::WindowsupdateLog),
        detect: Detect::Lines { first: |b| b == b'{', strong: probe(30, reporting_events::strong), weak: None },
    },
    Format {
        name: "registry",
        kind: Some(InputKind::Registry),
        detect: Detect::Lines { first: not_digit_or_hash, strong: probe(40, registry::strong), weak: probe(30, registry::weak) },
    },
    Format {
        name: "netsh-winhttp",
        kind: Some(InputKind::Registry),
        detect: Detect::Lines {
            first: |b| matches!(b, b'C' | b'D' | b'P' | b'B' | b'n'),
            strong: probe(50, netsh_winhttp::strong),
            weak: None,
        },
    },
    Format {
        name: "update-services",
        kind: Some(InputKind::Registry),
        detect: Detect::Lines {
            first: |b| b.is_ascii_hexdigit() || matches!(b, b'{' | b'S' | b'I' | b'P' | b'N' | b'O' | b'R'),
            strong: probe(55, update_services::strong),
            weak: probe(35, update_services::weak),
        },
    },
    Format {
        name: "server-log",
        kind: Some(InputKind::SoftwaredistributionLog),
        detect: Detect::Lines { first: |b| b != b'#', strong: probe(60, server_log::strong), weak: probe(10, server_log::weak) },
    },
    Format {
        name: "wulog",
        kind: Some(InputKind::WindowsupdateLog),
        detect: Detect::Lines { first: |b| b != b'#', strong: probe(70, wulog::strong), weak: probe(50, wulog::weak) },
    },
    Format {
        name: "apphost",
        kind: Some(InputKind::IisConfig),
        detect: Detect::Lines { first: |b| b == b'<', strong: probe(90, apphost::strong), weak: probe(60, apphost::weak) },
    },
    Format {
        name: "iis",
        kind: Some(InputKind::IisLog),
        detect: Detect::Lines { first: |_| true, strong: probe(80, iis::strong), weak: None },
    },
];

/// Lines that start with a digit are records with a date (or nothing); `#` starts a log
/// directive. Formats without either shape skip them at once.
fn not_digit_or_hash(b: u8) -> bool {
    !b.is_ascii_digit() && b != b'#'
}

/// The format whose magic bytes start `head`.
pub fn sniff(head: &[u8]) -> Option<&'static Format> {
    FORMATS.iter().find(|f| matches!(f.detect, Detect::Magic(is) if is(head)))
}

/// The format a line belongs to and whether the signal is strong: the first strong probe that
/// holds, else the first weak one (each in rank order).
pub fn classify(raw: &str) -> Option<(&'static Format, bool)> {
    let t = raw.trim_start_matches([' ', '\t', '>', '|', '•', '·', '`', '*', '+', '-', '_']);
    // a record commented out in a script (`# 2025/10/16 18:39:47.25 ...`); `#Fields:` has no space
    let t = match t.strip_prefix("# ") {
        Some(rest) if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) => rest.trim_start(),
        _ => t,
    };
    let first = *t.as_bytes().first()?;
    let line = Line { raw, t, first };
    let (strong, weak) = probes();
    for pass in [(strong, true), (weak, false)] {
        for &(f, p) in pass.0 {
            if let Detect::Lines { first: starts, .. } = f.detect {
                if starts(first) && (p.test)(&line) {
                    return Some((f, pass.1));
                }
            }
        }
    }
    None
}

type Probes = Vec<(&'static Format, Probe)>;

/// The text rows' probes sorted by rank: strong, then weak (built once).
fn probes() -> (&'static Probes, &'static Probes) {
    static ORDER: std::sync::OnceLock<(Probes, Probes)> = std::sync::OnceLock::new();
    let (s, w) = ORDER.get_or_init(|| {
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        for f in FORMATS {
            if let Detect::Lines { strong: s, weak: w, .. } = f.detect {
                strong.extend(s.map(|p| (f, p)));
                weak.extend(w.map(|p| (f, p)));
            }
        }
        strong.sort_by_key(|(_, p)| p.rank);
        weak.sort_by_key(|(_, p)| p.rank);
        (strong, weak)
    });
    (s, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_unique_and_names_too() {
        let (strong, weak) = probes();
        for list in [strong, weak] {
            let mut ranks: Vec<u8> = list.iter().map(|(_, p)| p.rank).collect();
            ranks.dedup();
            assert_eq!(ranks.len(), list.len(), "two probes of one strength share a rank: the table's order would decide");
        }
        let mut names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FORMATS.len());
    }

    /// The golden table: realistic single lines of every format, and lines that look like one
    /// format but are another (or nothing), with the format detection must give them.
    #[test]
    fn golden_detection_table() {
        const TABLE: &[(&str, Option<(&str, bool)>)] = &[
            // WindowsUpdate.log, classic and Windows 10/11, and damaged copies
            ("2009-12-14\t10:23:45:123\t 992\ta4c\tAgent\t* WSUS server: http://wsus01", Some(("wulog", true))),
            ("2024/04/11 08:14:02.3411765 1124  3256  ComApi          * START *   Search ClientId = UpdateOrchestrator", Some(("wulog", true))),
            ("03E4 1668 SLS Making request with URL HTTPS://sls.update.microsoft.com/SLS/x", Some(("wulog", true))),
            ("> 2009-12-14\t10:23:45:123\t 992\ta4c\tPT\tWARNING: SyncUpdates failure, error = 0x8024400E", Some(("wulog", true))),
            ("  * WSUS server: <NULL>", Some(("wulog", false))),
            ("Get-WindowsUpdate : Exception from HRESULT: 0x8024401C", Some(("wulog", false))),
            // ReportingEvents.log (a client-log kind of its own format)
            ("{C7C93C12-61E3-4998-9EBD-B448C62540A4}\t2015-03-23 19:39:34:484-0400\t1\t148\t101\t{00000000-0000-0000-0000-000000000000}\t0\t8024401c\tAutomaticUpdates\tFailure\tSoftware Synchronization\tWindows Update Client failed to detect with error 0x8024401c.", Some(("reporting-events", true))),
            // IIS
            ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken", Some(("iis", true))),
            ("2023-05-12 03:20:01 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.1.77 Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 503 2 0 15", Some(("iis", true))),
            // a PowerShell table row that starts with a date and a time is no W3C row
            ("2025-04-23 09:39:30                         21 801fde22-a156-47f4-acc5-11abb4e8bb75 {6, 2, 64, 1...}                            0 Microsoft.PowerShell.Core\\Regi", None),
            // registry evidence and netsh
            ("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]", Some(("registry", true))),
            ("Windows Registry Editor Version 5.00", Some(("registry", true))),
            ("    UseWUServer    REG_DWORD    0x1", Some(("registry", true))),
            ("\"WUServer\"=\"http://wsus01:8530\"", Some(("registry", true))),
            ("WUServer       : http://wsus01:8530", Some(("registry", false))),
            ("    Proxy Server(s) :  proxy.corp.local:8080", Some(("netsh-winhttp", true))),
            ("    Direct access (no proxy server).", Some(("netsh-winhttp", true))),
            // the agent's service list (Get-WUServiceManager, the COM object's list)
            ("ServiceID                            IsManaged IsDefault Name", Some(("update-services", true))),
            ("3da21691-e39d-4da6-8a4b-b43877bcb1b7 True      False     Windows Server Update Service", Some(("update-services", true))),
            ("IsDefaultAUService    : True", Some(("update-services", true))),
            ("OffersWindowsUpdates  : True", Some(("update-services", false))),
            // SoftwareDistribution.log
            ("2023-03-14 15:40:08.391 UTC\tError\tWsusService.13\tSyncManager.StartSync\tSync failed: WebException: The underlying connection was closed", Some(("server-log", true))),
            ("Error\tw3wp.126\tWebServiceCommunicationHelper.ProcessWebServiceProxyException\tx", Some(("server-log", true))),
            ("Sync Failed: USSCommunicationError: WebException: x", Some(("server-log", false))),
            // events as text
            ("Event[0]:", Some(("event-text", true))),
            ("Log Name:      Application", Some(("event-text", true))),
            // Configuration Manager
            ("<![LOG[Sync failed: WSUS server not configured.]LOG]!><time=\"02:00:05.009+0\" date=\"05-12-2023\" component=\"SMS_WSUS_SYNC_MANAGER\" context=\"\" type=\"3\" thread=\"6636\" file=\"wsyncmgr.cpp:1790\">", Some(("cmtrace", true))),
            // look-alikes
            ("the build number is 0x80000000 in hex", None),
            ("2021-04-21 02:35:58 build 0x80240438 done", None),
            ("#Software: Microsoft Internet Information Services 10.0", Some(("iis", true))),
            ("# a comment in a script", None),
            ("hello world", None),
            ("", None),
        ];
        let mut wrong = Vec::new();
        for (line, want) in TABLE {
            let got = classify(line).map(|(f, strong)| (f.name, strong));
            if got != *want {
                wrong.push(format!("{line:?}: {got:?}, expected {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // the binary fronts
        assert_eq!(sniff(b"ElfFile\0rest of the header").map(|f| f.name), Some("evtx"));
        assert_eq!(sniff(b"PK\x03\x04rest").map(|f| f.name), Some("zip"));
        assert_eq!(sniff(b"2009-12-14\t10:23:45:123").map(|f| f.name), None);
    }
}
