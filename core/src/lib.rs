//! WSUS Doctor's core: WSUS client and server evidence in, findings out.
//!
//! Data flows one way, one module per stage:
//!
//! ```text
//! bytes ─ decode ─> lines ─ router (detect) ─> readers ─> facts ─ rules ─> report ─ render
//! ```
//!
//! * [`analysis`]: the session: add inputs, feed chunks, finish.
//! * [`decode`]: bytes to numbered text lines (UTF-8/16, Windows-1252, any line ends).
//! * [`formats`]: one folder per evidence format (its parser and its reader) and
//!   [`formats::FORMATS`], the table that says how each is recognised and which kind it feeds.
//! * [`router`] + [`detect`]: which format each line is (a loop over the table); a paste is
//!   split into sections.
//! * [`readers`]: the [`readers::Reader`] interface and the per-kind slots the router calls.
//! * [`facts`]: format-independent facts, one part per source (client log, registry, IIS, IIS
//!   configuration); they define the records they take, so formats depend on facts, never the
//!   reverse. [`events`] is the client event vocabulary the client formats map into;
//!   [`evidence`] the line a fact rests on (the lowest module); [`caps`] every bound.
//! * [`rules`]: the catalogue; [`rules::assemble`] builds the [`Report`] and orders causes first.
//! * [`report`] (the serde contract) and [`render`] (Markdown).
//!
//! The crate does no I/O, spawns no threads and reads no clock, so the same code runs natively
//! and in the browser (wasm32). Input is pushed in chunks ([`Analysis::feed`]) and only aggregates
//! are kept, so a 1 GB IIS log is diagnosed in constant memory.

pub mod analysis;
pub mod archive;
pub mod caps;
pub mod codes;
pub mod collect;
pub mod decode;
pub mod detect;
pub mod ecs;
pub mod events;
pub mod evidence;
pub mod explore;
pub mod facts;
pub mod find;
pub mod fixfirst;
pub mod formats;
pub mod inert;
mod input;
pub mod kind;
pub mod lines;
pub mod machines;
pub mod mode;
pub mod providers;
pub mod readers;
pub mod records;
pub mod redact;
pub mod render;
pub mod report;
pub mod router;
pub mod rules;
pub mod size;
pub mod time;
pub mod timeline;

pub use analysis::{diagnose, Analysis, Input, InputId, Limits, NameBook};
pub use fixfirst::{fix_first, FixFirst, RootCause};
pub use kind::InputKind;
pub use machines::MachineAnalysis;
pub use report::{Check, CheckStatus, Evidence, Finding, InputSummary, Report, Section, Severity};
pub use size::parse_size;

// Each format's module at its old path (the bench, fuzz and tests crates and the rules use them).
pub use formats::etl;
pub use formats::event_text as eventtext;
pub use formats::evtx as eventlog;
pub use formats::iis;
pub use formats::netsh_winhttp as winhttp;
pub use formats::registry;
pub use formats::reporting_events as reporting;
pub use formats::server_log as serverlog;
pub use formats::wulog;
