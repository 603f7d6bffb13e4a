//! Every cap in one list: the bounds that keep memory and output finite whatever the input
//! (a hostile log can hold millions of distinct codes, a line of gigabytes, a zip bomb). Each
//! says what it bounds and what happens at the cap; the modules that enforce them re-export them
//! under their old names. What a cap cut is always said, in the input's notes or the finding.
//!
//! A few caps still live in their modules; they are named at the end.

// ---- Reading: bytes, lines and sections

/// Longest line kept whole; the rest of a longer line is dropped (and counted) so memory stays flat.
/// Used by `decode.rs`.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Sections listed per input; further kind switches are counted.
/// Used by `router.rs`.
pub const MAX_SECTIONS: usize = 64;

/// How many problem lines a reader quotes in its notes.
/// Used by `readers/mod.rs`.
pub const QUOTED: usize = 3;

// ---- Formats: records and their fields

/// Fields split without allocating; wider rows are split into a vector.
/// Used by `formats/iis/mod.rs`.
pub const MAX_IIS_FIELDS: usize = 40;

/// A message longer than this is cut (a hostile log can hold one record of gigabytes).
/// Used by `formats/cmtrace/reader.rs`.
pub const MAX_CM_MESSAGE: usize = 64 * 1024;

/// The most text one event renders to (Windows Update's messages are under 2 KB).
/// Used by `formats/etl/tracelogging.rs`.
pub const MAX_EVENT_TEXT: usize = 16 << 10;

/// The largest ETW buffer read (Windows uses 64 KB to a few MB); also all the decoder holds.
/// Used by `formats/etl/mod.rs`.
pub const MAX_BUFFER: usize = 64 << 20;

/// Largest event log read (bigger ones are refused with a note).
/// Used by `formats/evtx/mod.rs`.
pub const MAX_EVTX: usize = 512 << 20;

/// The most text one record may render to (real events render to a few KB): a template that
/// repeats one substitution thousands of times renders megabytes from a few bytes.
/// Used by `formats/evtx/mod.rs`.
pub const MAX_RECORD_TEXT: usize = 1 << 20;

/// Bindings kept of the WSUS site in `applicationHost.config` (a site has a handful; a hostile
/// file can list thousands); the rest are counted in the input's notes.
/// Used by `formats/apphost/reader.rs` and `facts/apppool.rs`.
pub const MAX_SITE_BINDINGS: usize = 16;

/// A wrapped `PSPath` is kept up to this many bytes (registry key paths are far shorter).
/// Used by `formats/registry/mod.rs`.
pub const MAX_KEY_PATH: usize = 4096;

/// A `hex:` value continued over lines is kept up to this many bytes of text (no WSUS policy
/// value is longer; a hostile export may continue one for ever).
/// Used by `formats/registry/mod.rs`.
pub const MAX_VALUE_TEXT: usize = 64 * 1024;

/// Longest message kept (a 7053 stack trace can be long; the telling lines come first).
/// Used by `formats/event_text/reader.rs`.
pub const MAX_EVENT_MESSAGE: usize = 4000;

/// Message lines kept with their numbers, per event.
/// Used by `formats/event_text/mod.rs`.
pub const MAX_EVENT_LINES: usize = 80;

/// Lines a wrapped ReportingEvents row may take (a row has a dozen fields).
/// Used by `formats/reporting_events/reader.rs`.
pub const ROW_MAX_LINES: u32 = 6;

/// Bytes a wrapped ReportingEvents row may gather; past them (or past [`ROW_MAX_LINES`]) the row
/// is read as it stands and the next line is read on its own.
/// Used by `formats/reporting_events/reader.rs`.
pub const ROW_MAX_BYTES: usize = 4096;

// ---- Facts: what is kept per kind of evidence

/// How many evidence lines are kept per fact.
/// Used by `facts/mod.rs`.
pub const KEEP: usize = 5;

/// Distinct codes kept per map.
/// Used by `facts/configmgr.rs`.
pub const MAX_CM_CODES: usize = 32;

/// Distinct codes kept per non-WSUS service.
/// Used by `facts/client.rs`.
pub const MAX_OTHER_CODES: usize = 16;

/// Distinct codes without a name kept (a log can be made to hold millions).
/// Used by `facts/client.rs`.
pub const MAX_UNNAMED_CODES: usize = 64;

/// Distinct codes read from one line (a real line names one or two; a hostile one 90,000).
/// Used by `facts/client.rs`.
pub const MAX_CODES_PER_LINE: usize = 16;

/// Updates tracked one by one (install failures); more are counted, not listed.
/// Used by `facts/client.rs`.
pub const MAX_UPDATES: usize = 200;

/// Distinct values kept; past it only the names the rules know are kept (an export with a
/// million invented value names stays bounded).
/// Used by `facts/registry.rs`.
pub const MAX_VALUES: usize = 512;

/// Client identities tracked (a bundle of many machines' exports stays bounded).
/// Registered update services kept (`Get-WUServiceManager`): an agent registers a handful, so a
/// longer list is not one machine's.
pub const MAX_UPDATE_SERVICES: usize = 16;

/// Used by `facts/registry.rs`.
pub const MAX_CLIENT_IDS: usize = 256;

/// Distinct exception types and codes kept (the rest are counted in `*_cut`).
/// Used by `facts/server.rs`.
pub const MAX_DISTINCT: usize = 32;

/// Client addresses tracked for unusual POSTs (the rest are counted in `sources_cut`).
/// Used by `facts/exploit.rs`.
pub const MAX_SOURCES: usize = 64;

/// Hotfix ids kept from a `systeminfo` / `Get-ComputerInfo` list.
/// Used by `facts/exploit.rs`.
pub const MAX_HOTFIXES: usize = 256;

/// (WSUS path, status) groups kept, each with its ports, inputs and three evidence lines.
/// Used by `facts/iis.rs`.
pub const MAX_REQUEST_GROUPS: usize = 256;

/// Ports and inputs listed per group.
/// Used by `facts/iis.rs`.
pub const MAX_GROUP_KEYS: usize = 16;

/// Threads tracked at once; past it the table starts again (a log cycles threads).
/// Used by `facts/service.rs`.
pub const MAX_THREADS: usize = 4096;

// ---- Report: evidence, timeline and views

/// Cells kept before buckets are widened (the page draws at most 96 columns × 24 lanes).
/// Used by `timeline.rs`.
pub const MAX_CELLS: usize = 2048;

/// Distinct lanes; the rest go to `timeline::OTHER_CLIENT` / `OTHER_SERVER`.
/// Used by `timeline.rs`.
pub const MAX_LANES: usize = 24;

/// Longest evidence text kept; longer lines are cut with an ellipsis.
/// Used by `evidence.rs`.
pub const MAX_EVIDENCE_TEXT: usize = 400;

/// How many root causes the summary names; the rest are counted.
/// Used by `fixfirst.rs`.
pub const MAX_ROOTS: usize = 2;

/// Matching lines kept (all are counted).
/// Used by `explore.rs`.
pub const MAX_EXPLORE_LINES: usize = 1000;

/// Distinct values counted per table; past it, occurrences go to "(other)".
/// Used by `explore.rs`.
pub const MAX_EXPLORE_KEYS: usize = 10_000;

// ---- Kept in their modules for now (named here so the list is whole; not re-exported, so that
// this module stays a leaf every other can use):
//
// - `archive::MAX_ARCHIVE`, `MAX_TOTAL`, `MAX_RATIO`, `MAX_MEMBERS`: the largest zip bundle read,
//   the decompressed bytes per run, the largest compression ratio and the members read; past
//   them the member or bundle is refused and the notes say so.
// - `machines::MAX_MACHINES`: machines of one fleet diagnosis; past it the rest are said not read.
// - `rules::MAX_EVIDENCE`: evidence lines a finding lists; the count of the rest is said.
// - `rules/errors.rs` `MAX_LISTED`: codes listed by `wu-error-codes`; the rest are counted.
