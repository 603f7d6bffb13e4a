//! The reader interface, and one reader slot per input kind. The readers themselves live with
//! their formats (`crate::formats::<format>::reader`); formats that share a kind (ReportingEvents
//! rows in a client log, netsh output with registry evidence) are read by their own reader,
//! which the kind's reader holds.
//!
//! A reader owns everything its format needs between lines (the WindowsUpdate.log repair
//! counters, the IIS `#Fields:` header, the registry's value that continues on the next line)
//! and pushes what it understood into [`Facts`]. The section router ([`crate::router`]) decides
//! which reader a line goes to; the readers never look at each other.
//!
//! Calls are statically dispatched through [`Readers`] (one concrete field per format, one
//! `match` arm each): a diagnosis makes one call per line, and a `Box<dyn Reader>` there
//! showed in profiles. Formats that are not line-oriented text (ETL, EVTX, archives) read bytes
//! instead; they plug in one level up, in [`crate::analysis`], where an input's bytes are routed
//! either to the line splitter or to a binary reader.

pub use crate::formats::apphost::reader::AppHostReader;
pub use crate::formats::cmtrace::reader::CmTraceReader;
pub use crate::formats::event_text::reader::EventTextReader;
pub use crate::formats::iis::reader::IisLogReader;
pub use crate::formats::registry::reader::RegistryExportReader;
pub use crate::formats::server_log::reader::ServerLogReader;
pub use crate::formats::wulog::reader::WuLogReader;

pub use crate::formats::{Reader, QUOTED};

use crate::facts::Facts;
use crate::kind::InputKind;

/// Every text reader of one input, as concrete fields (static dispatch).
#[derive(Default)]
pub struct Readers {
    pub wulog: WuLogReader,
    pub iis: IisLogReader,
    pub registry: RegistryExportReader,
    pub server: ServerLogReader,
    pub events: EventTextReader,
    pub configmgr: CmTraceReader,
    pub apphost: AppHostReader,
}

impl Readers {
    /// Give one line to the reader of `kind`: the one line of dispatch a new format adds.
    #[inline]
    pub fn line(&mut self, kind: InputKind, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        match kind {
            InputKind::WindowsupdateLog => self.wulog.line(input, n, raw, facts),
            InputKind::IisLog => self.iis.line(input, n, raw, facts),
            InputKind::Registry => self.registry.line(input, n, raw, facts),
            InputKind::SoftwaredistributionLog => self.server.line(input, n, raw, facts),
            InputKind::EventLog => self.events.line(input, n, raw, facts),
            InputKind::ConfigmgrLog => self.configmgr.line(input, n, raw, facts),
            InputKind::IisConfig => self.apphost.line(input, n, raw, facts),
        }
    }

    /// The reader of `kind`, for the once-per-input calls (blank lines, finish, notes).
    pub fn get(&mut self, kind: InputKind) -> &mut dyn Reader {
        match kind {
            InputKind::WindowsupdateLog => &mut self.wulog,
            InputKind::IisLog => &mut self.iis,
            InputKind::Registry => &mut self.registry,
            InputKind::SoftwaredistributionLog => &mut self.server,
            InputKind::EventLog => &mut self.events,
            InputKind::ConfigmgrLog => &mut self.configmgr,
            InputKind::IisConfig => &mut self.apphost,
        }
    }

    /// Every reader, in [`InputKind::ALL`] order.
    pub fn all(&self) -> [&dyn Reader; 7] {
        [&self.wulog, &self.iis, &self.registry, &self.server, &self.events, &self.configmgr, &self.apphost]
    }

    pub fn all_mut(&mut self) -> [&mut dyn Reader; 7] {
        [&mut self.wulog, &mut self.iis, &mut self.registry, &mut self.server, &mut self.events, &mut self.configmgr, &mut self.apphost]
    }
}
