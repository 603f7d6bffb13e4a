//! Facts: what the evidence says, independent of the format it came in.
//!
//! Parsers push typed records here as they stream; only aggregates and a bounded number of
//! evidence lines per fact are kept, so memory stays flat however large the input. Rules read
//! facts, never raw text, so a rule works the same on a classic log, a Windows 10 log or a paste
//! that kept only the message column.

pub mod apppool;
mod client;
mod configmgr;
mod exploit;
mod iis;
mod registry;
mod server;
pub mod service;

use std::collections::BTreeSet;

pub use self::client::{
    is_download_text, kb_of, log_proxy, says_hash_mismatch, ClientLogFacts, DetectionOutcome, FailedDownload, InstallFailure,
    InstallSuccess, OtherServiceFailures, ReportRow, WuFormat, WuRecord, INTERNET_CODES, MAX_CODES_PER_LINE, MAX_OTHER_CODES,
    MAX_UNNAMED_CODES, MAX_UPDATES,
};
pub use self::configmgr::{role_of, CmRecord, CmRole, CmSeverity, ConfigMgrFacts, MAX_CM_CODES};
pub use self::exploit::{ExploitFacts, SourcePosts, SpawnedProcess, BURST_SECONDS, MAX_SOURCES};
pub use self::iis::{
    is_sharepoint_path, IisFacts, IisRequest, Place, PoolFailures, RequestGroup, WsusPath, MAX_GROUP_KEYS, MAX_REQUEST_GROUPS,
};
pub use self::registry::{
    key_role, normalise_key, role_of_value_name, KeyRole, RegData, RegValue, RegisteredService, RegistryFacts, MAX_CLIENT_IDS,
    MAX_UPDATE_SERVICES, MAX_VALUES,
};
pub use self::server::{exception_types, ServerLogFacts, ServerRecord, MAX_DISTINCT};
pub use self::service::UpdateService;
use crate::evidence::Evidence;
use crate::kind::InputKind;
use crate::time::Timestamp;

pub(crate) use crate::caps::KEEP;

/// A value together with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen<T> {
    pub value: T,
    pub evidence: Evidence,
}

/// Counts with the first and last occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrences {
    pub count: u64,
    pub first: Evidence,
    pub last: Evidence,
    pub first_time: Option<Timestamp>,
    pub last_time: Option<Timestamp>,
}

impl Occurrences {
    pub(crate) fn new(ev: Evidence, t: Option<Timestamp>) -> Self {
        Occurrences { count: 1, first: ev.clone(), last: ev, first_time: t, last_time: t }
    }

    /// Count another occurrence; the last one's evidence is overwritten in place (no allocation
    /// per occurrence: a log can hold millions).
    pub(crate) fn add(&mut self, input: &str, line: u64, raw: &str, t: Option<Timestamp>) {
        self.count += 1;
        if self.last.input != input {
            self.last.input = input.to_string();
        }
        self.last.line = line;
        Evidence::set_text(&mut self.last.text, raw);
        if t.is_some() {
            self.last_time = t;
            if self.first_time.is_none() {
                self.first_time = t;
            }
        }
    }
}

/// A bounded list of evidence with a total count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceList {
    pub count: u64,
    pub kept: Vec<Evidence>,
}

impl EvidenceList {
    /// Count an occurrence, building its evidence only if it is kept.
    pub fn push_with(&mut self, ev: impl FnOnce() -> Evidence) {
        self.count += 1;
        if self.kept.len() < KEEP {
            self.kept.push(ev());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Everything the rules can ask about, one part per source of evidence.
#[derive(Debug, Default)]
pub struct Facts {
    /// Kinds with at least one recognised line.
    pub kinds: BTreeSet<InputKind>,
    /// The client's own log (WindowsUpdate.log, and later its ETL traces and events).
    pub client: ClientLogFacts,
    /// The client's registry.
    pub registry: RegistryFacts,
    /// The WSUS server's IIS and HTTP.sys logs.
    pub iis: IisFacts,
    /// The WSUS server's SoftwareDistribution.log.
    pub server: ServerLogFacts,
    /// Configuration Manager's logs (client and site server).
    pub configmgr: ConfigMgrFacts,
    /// Signs of CVE-2025-59287 exploitation on the WSUS server, and its build.
    pub exploit: ExploitFacts,
    /// IIS's configuration: the WsusPool application pool and the WSUS site.
    pub apppool: apppool::WsusPoolSettings,
    /// Inputs decoded from a binary format (ETL, EVTX): their evidence cites record numbers.
    pub record_inputs: Vec<String>,
    /// Events over time, for the page's timeline.
    pub timeline: crate::timeline::TimelineBuilder,
    /// Kinds whose facts another kind's reader filled (client events from event text count as
    /// client log evidence).
    pub implied_kinds: BTreeSet<InputKind>,
}

/// WAS events about an application pool that a WSUS admin acts on (see
/// [`ServerLogFacts::wsuspool_was`]).
pub const WAS_POOL_EVENTS: &[u32] = &[5002, 5009, 5010, 5011, 5013, 5117];

impl Facts {
    /// A line no reader took: a server's build (`ver`, `systeminfo`) or an exploit's payload
    /// quoted alone, which then counts as event text.
    pub fn observe_loose(&mut self, input: &str, line: u64, raw: &str) {
        if self.exploit.observe_loose(input, line, raw) && self.exploit.loose_payload {
            self.implied_kinds.insert(InputKind::EventLog);
        }
    }

    /// An event from event text: Windows Update client events feed the client log's facts,
    /// WSUS events the server's. Returns false for events of other sources.
    pub fn observe_event_text(&mut self, input: &str, ev: &crate::events::EventText) -> bool {
        if ev.source.contains("WindowsUpdateClient") {
            let code = self.client.observe_event_text(input, ev.line, &ev.line_text, &ev.message, ev.id);
            let event = crate::events::report_text(&ev.message, !ev.message.contains("Failure") && !ev.message.contains("failed"))
                .or_else(|| crate::events::client_event_by_id(ev.id, &ev.message));
            self.timeline.client(input, ev.line, &ev.line_text, None, event.as_ref(), code);
            self.implied_kinds.insert(InputKind::WindowsupdateLog);
            true
        } else if ev.source.eq_ignore_ascii_case("Windows Server Update Services") {
            self.server.observe_event(input, ev.line, &ev.line_text, ev.id);
            self.server.observe_event_message(input, ev.line, &ev.line_text, &ev.message);
            self.server.observe_health_status(ev, input);
            self.exploit.observe_wsus_event(input, ev);
            true
        } else if (ev.source.contains("WAS") || ev.source.contains("Windows Process Activation")) && ev.message.contains("WsusPool") {
            // IIS stopping, recycling or losing the WSUS application pool: the server's own events
            if WAS_POOL_EVENTS.contains(&ev.id) {
                let s = &mut self.server;
                match s.wsuspool_was.get_mut(&ev.id) {
                    Some(o) => o.add(input, ev.line, &ev.line_text, None),
                    None => {
                        s.wsuspool_was.insert(ev.id, Occurrences::new(Evidence::new(input, ev.line, &ev.line_text), None));
                    }
                }
                self.implied_kinds.insert(InputKind::EventLog);
            }
            true
        } else {
            // Sysmon 1 / Security 4688: processes started by the WSUS service or its pool
            self.exploit.observe_process_event(input, ev)
        }
    }

    /// A Configuration Manager log record: its facts, and its codes on the timeline in UTC
    /// (CMTrace records carry their zone).
    pub fn observe_configmgr(&mut self, input: &str, line: u64, raw: &str, rec: &CmRecord<'_>) {
        let code = self.configmgr.observe(input, line, raw, rec);
        self.timeline.client_in_zone(input, line, raw, rec.time, rec.zone_minutes, None, code);
    }

    /// Where `e` is, as the admin reads it: `file:12` for a line, `file.etl#12` for a record.
    pub fn location(&self, e: &Evidence) -> String {
        let record = e.record || self.record_inputs.contains(&e.input);
        format!("{}{}{}", e.input, if record { '#' } else { ':' }, e.line)
    }

    pub fn has(&self, kind: InputKind) -> bool {
        self.kinds.contains(&kind)
    }
}
