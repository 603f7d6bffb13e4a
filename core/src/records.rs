//! Bytes to numbered records, whatever the input is: the first stage of the pipeline.
//!
//! The first [`crate::formats::SNIFF_LEN`] bytes decide, by content (never by file name) and
//! through the magic bytes of the rows of [`crate::formats::FORMATS`], whether an input is text (split into lines by [`LineSplitter`]) or a binary format whose records are
//! rendered as lines (an ETL trace's events as `Get-WindowsUpdateLog` prints them, an event
//! log's Windows Update events in the same layout). Everything
//! downstream (router, readers, the page's context view) sees `(number, line)` either way. A new
//! binary format is a row of `FORMATS` plus one more `Front` variant and its arms here.

use crate::archive::{self, ArchiveSummary};
use crate::decode::{LineSplitter, Lines};
use crate::formats::etl::EtlDecoder;
use crate::formats::evtx::EventLogDecoder;
use crate::kind::InputKind;

/// Where an input's bytes go.
enum Front {
    /// Its first bytes, until there are enough to tell what it is.
    Sniffing(Vec<u8>),
    Text,
    Etl(Box<EtlDecoder>),
    EventLog(Box<EventLogDecoder>),
    /// A zip bundle: kept whole until the input ends, then opened by [`crate::analysis`], which
    /// turns each member into an input of its own.
    Archive(Box<Bundle>),
    /// A cabinet file: recognised, not opened.
    Cab,
}

/// A zip bundle's bytes, and what opening it did.
#[derive(Default)]
pub struct Bundle {
    bytes: Vec<u8>,
    too_big: bool,
    pub summary: ArchiveSummary,
}

/// Push-based reader of one input's records: feed chunks of any size, receive `(n, line)`.
pub struct RecordReader {
    front: Front,
    /// The text decoder (also holds the byte count and encoding notes for text inputs).
    pub splitter: LineSplitter,
}

impl Default for RecordReader {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordReader {
    pub fn new() -> Self {
        RecordReader { front: Front::Sniffing(Vec::new()), splitter: LineSplitter::new() }
    }

    /// The binary format the input was decoded from (`"etl"`); `None` for text.
    pub fn format(&self) -> Option<&'static str> {
        match self.front {
            Front::Etl(_) => Some("etl"),
            Front::EventLog(_) => Some("evtx"),
            Front::Archive(_) => Some("zip"),
            Front::Cab => Some("cab"),
            _ => None,
        }
    }

    /// The kind a binary format's records always are (detection is skipped for them).
    pub fn kind(&self) -> Option<InputKind> {
        match self.front {
            Front::Etl(_) => Some(InputKind::WindowsupdateLog),
            // client events are log lines, WSUS events Event Viewer rows: detected per record
            _ => None,
        }
    }

    /// Why the input could not be read at all, for a binary format.
    pub fn error(&self) -> Option<String> {
        match &self.front {
            Front::Cab => Some("a .cab archive: WSUS Doctor does not open cabinets yet; unpack it (expand -F:* file.cab folder) and add the files, or zip them".into()),
            Front::Archive(b) if b.too_big => Some(format!("a zip archive larger than {} MB: unpack it and add the files", archive::MAX_ARCHIVE >> 20)),
            Front::Archive(b) => b.summary.error.clone(),
            _ => None,
        }
    }

    /// A zip bundle's bytes, once the input has ended (taken: the archive is opened once).
    pub fn take_archive(&mut self) -> Option<Vec<u8>> {
        match &mut self.front {
            Front::Archive(b) if !b.too_big => Some(std::mem::take(&mut b.bytes)),
            _ => None,
        }
    }

    /// Record what opening the bundle did.
    pub fn set_archive_summary(&mut self, summary: ArchiveSummary) {
        if let Front::Archive(b) = &mut self.front {
            b.summary = summary;
        }
    }

    /// Records (binary) or lines (text) emitted so far.
    pub fn count(&self) -> u64 {
        match &self.front {
            Front::Etl(d) => d.stats.wu_events,
            Front::EventLog(d) => d.stats.wu_events + d.stats.wsus_events,
            Front::Archive(b) => b.summary.members_read,
            Front::Cab => 0,
            _ => self.splitter.lines(),
        }
    }

    /// A binary format's notes: what was decoded and what was skipped.
    pub fn notes(&self, notes: &mut Vec<String>) {
        match &self.front {
            Front::Etl(d) => d.notes(notes),
            Front::EventLog(d) => d.notes(notes),
            Front::Archive(b) => {
                notes.push(format!(
                    "zip bundle: {} member(s) read, each listed as an input of its own (bundle.zip/path)",
                    b.summary.members_read
                ));
                notes.extend(b.summary.notes.iter().cloned());
            }
            _ => {}
        }
    }

    /// Feed the next chunk.
    pub fn push(&mut self, bytes: &[u8], mut sink: &mut dyn FnMut(u64, &str)) {
        if let Some(b) = self.sniff(bytes) {
            self.push_decided(&b, &mut sink);
        }
    }

    /// The first step of [`Self::push`], for callers that set up for the format (see
    /// [`Self::kind`]) before its records flow: `None` while the format is still undecided
    /// (the bytes are kept), otherwise the bytes to give [`Self::push_decided`].
    pub fn sniff<'b>(&mut self, bytes: &'b [u8]) -> Option<std::borrow::Cow<'b, [u8]>> {
        let Front::Sniffing(head) = &mut self.front else { return Some(bytes.into()) };
        head.extend_from_slice(bytes);
        if head.len() < crate::formats::SNIFF_LEN {
            return None;
        }
        let head = std::mem::take(head);
        self.decide(&head);
        Some(head.into())
    }

    /// At the end of the input: decide from what there is, and return the kept bytes.
    pub fn sniff_rest(&mut self) -> Vec<u8> {
        let Front::Sniffing(head) = &mut self.front else { return Vec::new() };
        let head = std::mem::take(head);
        self.decide(&head);
        head
    }

    /// The format's row in [`crate::formats::FORMATS`] decides: a binary front, or text.
    fn decide(&mut self, head: &[u8]) {
        self.front = match crate::formats::sniff(head).map(|f| f.name) {
            Some("etl") => Front::Etl(Box::default()),
            Some("evtx") => Front::EventLog(Box::default()),
            Some("zip") => Front::Archive(Box::default()),
            Some("cab") => Front::Cab,
            _ => Front::Text,
        };
    }

    /// Feed bytes once the format is decided (see [`Self::sniff`]).
    pub fn push_decided(&mut self, bytes: &[u8], sink: &mut dyn Lines) {
        match &mut self.front {
            Front::Etl(d) => d.push(bytes, &mut |n, l| {
                sink.line(n, l);
            }),
            Front::EventLog(d) => d.push(bytes),
            Front::Archive(b) => {
                if b.bytes.len() + bytes.len() > archive::MAX_ARCHIVE {
                    b.too_big = true;
                    b.bytes = Vec::new();
                } else if !b.too_big {
                    b.bytes.extend_from_slice(bytes);
                }
            }
            Front::Cab => {}
            _ => self.splitter.push_lines(bytes, sink),
        }
    }

    /// No more bytes: the last partial line or buffer is emitted.
    pub fn finish(&mut self, mut sink: &mut dyn FnMut(u64, &str)) {
        self.finish_lines(&mut sink)
    }

    /// [`Self::finish`] to a [`Lines`] sink.
    pub fn finish_lines(&mut self, sink: &mut dyn Lines) {
        let head = self.sniff_rest();
        self.push_decided(&head, sink);
        match &mut self.front {
            Front::Etl(d) => d.finish(&mut |n, l| {
                sink.line(n, l);
            }),
            Front::EventLog(d) => d.finish(&mut |n, l| {
                sink.line(n, l);
            }),
            Front::Archive(_) | Front::Cab => {}
            _ => self.splitter.finish_lines(sink),
        }
    }
}
