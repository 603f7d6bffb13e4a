//! Facts: what the evidence says, independent of the format it came in.
//!
//! Parsers push typed records here as they stream; only aggregates and a bounded number of
//! evidence lines per fact are kept, so memory stays flat however large the input. Rules read
//! facts, never raw text, so a rule works the same on a classic log, a Windows 10 log or a paste
//! that kept only the message column.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::iis::IisRequest;
use crate::kind::InputKind;
use crate::registry::{key_role, role_of_value_name, KeyRole, RegData, RegValue};
use crate::report::Evidence;
use crate::time::Timestamp;
use crate::wulog::events::WuEvent;
use crate::wulog::{WuFormat, WuRecord};

/// How many evidence lines are kept per fact.
const KEEP: usize = 5;

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
    fn new(ev: Evidence, t: Option<Timestamp>) -> Self {
        Occurrences { count: 1, first: ev.clone(), last: ev, first_time: t, last_time: t }
    }

    /// Count another occurrence; the last one's evidence is overwritten in place (no allocation
    /// per occurrence: a log can hold millions).
    fn add(&mut self, input: &str, line: u64, raw: &str, t: Option<Timestamp>) {
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

/// The WSUS virtual directories a client (or the self-update of an old client) requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WsusPath {
    /// `/selfupdate/...` (wuident.cab, AU/x86/OS/LANG/wuaucomp.cab)
    SelfUpdate,
    /// `/iuident.cab`, fetched by SUS-era clients before self-update
    IuIdent,
    /// `/wutrack.bin`, the status ping of SUS-era clients
    WuTrack,
    /// `/ClientWebService/...`
    ClientWebService,
    /// `/SimpleAuthWebService/...`
    SimpleAuth,
    /// `/ReportingWebService/...`
    Reporting,
    /// `/DssAuthWebService/...`, `/ServerSyncWebService/...`, `/ApiRemoting30/...`
    ServerSide,
    /// `/Content/...`
    Content,
}

impl WsusPath {
    pub fn classify(path: &str) -> Option<WsusPath> {
        let p = path.as_bytes();
        let starts = |prefix: &str| p.len() >= prefix.len() && p[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
        if starts("/selfupdate/") || starts("/selfupdate") && p.len() == 11 {
            Some(WsusPath::SelfUpdate)
        } else if starts("/iuident.cab") {
            Some(WsusPath::IuIdent)
        } else if starts("/wutrack.bin") {
            Some(WsusPath::WuTrack)
        } else if starts("/clientwebservice") {
            Some(WsusPath::ClientWebService)
        } else if starts("/simpleauthwebservice") {
            Some(WsusPath::SimpleAuth)
        } else if starts("/reportingwebservice") {
            Some(WsusPath::Reporting)
        } else if starts("/dssauthwebservice") || starts("/serversyncwebservice") || starts("/apiremoting30") {
            Some(WsusPath::ServerSide)
        } else if starts("/content/") {
            Some(WsusPath::Content)
        } else {
            None
        }
    }

    /// The paths the self-update article's IIS and SharePoint checks name.
    pub fn is_selfupdate_related(self) -> bool {
        matches!(self, WsusPath::SelfUpdate | WsusPath::IuIdent | WsusPath::WuTrack)
    }

    pub fn label(self) -> &'static str {
        match self {
            WsusPath::SelfUpdate => "/selfupdate",
            WsusPath::IuIdent => "/iuident.cab",
            WsusPath::WuTrack => "/wutrack.bin",
            WsusPath::ClientWebService => "/ClientWebService",
            WsusPath::SimpleAuth => "/SimpleAuthWebService",
            WsusPath::Reporting => "/ReportingWebService",
            WsusPath::ServerSide => "server-to-server web services",
            WsusPath::Content => "/Content",
        }
    }
}

/// Requests to one WSUS path with one status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestGroup {
    pub count: u64,
    pub ports: BTreeSet<u16>,
    pub inputs: BTreeSet<String>,
    pub evidence: Vec<Evidence>,
}

/// A self-update download the client tried and failed.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedDownload {
    pub url: String,
    pub codes: Vec<u32>,
    pub evidence: Evidence,
}

/// The outcome of one detection (scan) cycle or server sync.
#[derive(Debug, Clone, PartialEq)]
pub enum DetectionOutcome {
    Succeeded,
    Failed(Vec<u32>),
}

/// Everything the rules can ask about.
#[derive(Debug, Default)]
pub struct Facts {
    /// Kinds with at least one recognised line.
    pub kinds: BTreeSet<InputKind>,

    // ---- client log ----
    pub wu_records: u64,
    pub modern_records: u64,
    pub classic_records: u64,
    pub log_wsus_server: Option<Seen<Option<String>>>,
    pub log_wsus_status_server: Option<Seen<Option<String>>>,
    pub agent_build: Option<Seen<String>>,
    pub agent_version: Option<Seen<String>>,
    pub tz_minutes: Option<i32>,
    pub os_version: Option<Seen<String>>,
    pub server_contact: EvidenceList,
    pub server_urls: Vec<Seen<String>>,
    pub selfupdate_checks: EvidenceList,
    pub selfupdate_failures: Vec<Seen<Vec<u32>>>,
    pub selfupdate_failure_count: u64,
    pub failed_downloads: Vec<FailedDownload>,
    pub failed_download_count: u64,
    pub detections: Vec<Seen<DetectionOutcome>>,
    pub detection_failures: u64,
    pub detection_successes: u64,
    /// Whether the current detection cycle already counted a failure (one cycle logs several).
    cycle_failed: bool,
    /// The first failed detection followed later by a successful one.
    pub retry_success: Option<(Evidence, Evidence)>,
    pub installs_succeeded: Vec<Seen<String>>,
    pub installs_offered: Vec<Seen<String>>,
    pub legacy_mode: EvidenceList,
    pub undecoded_etl: EvidenceList,
    pub au_disabled_in_log: Option<Evidence>,
    /// Every failure code in the client log.
    pub codes: BTreeMap<u32, Occurrences>,

    // ---- registry ----
    pub reg_keys: HashMap<KeyRole, Evidence>,
    pub reg_missing_keys: HashMap<KeyRole, Evidence>,
    pub reg_values: HashMap<(KeyRole, String), Seen<RegData>>,
    /// Unknown value names under the policy keys (misspellings like `WUSatusServer`).
    pub reg_unknown_policy_names: Vec<Seen<String>>,

    // ---- IIS ----
    pub iis_requests: u64,
    pub wsus_requests: BTreeMap<(WsusPath, u16), RequestGroup>,
    /// SharePoint requests per input (its `_vti_bin`, `_layouts`, `owssvr.dll` paths).
    pub sharepoint: BTreeMap<String, (EvidenceList, BTreeSet<u16>)>,
    pub app_offline: EvidenceList,
    /// `(os, language)` from `/selfupdate/AU/x86/XP/EN/wuaucomp.cab` requests.
    pub selfupdate_os_lang: Option<Seen<(String, String)>>,
    /// The OS build from a SUS-era `wutrack.bin` ping (`P=5.1.2600...`).
    pub wutrack_os: Option<Seen<String>>,
}

impl Facts {
    /// Registry value by key role and name (case-insensitive name).
    pub fn reg(&self, role: KeyRole, name: &str) -> Option<&Seen<RegData>> {
        self.reg_values.get(&(role, name.to_ascii_lowercase()))
    }

    pub fn has(&self, kind: InputKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Occurrences in the client log of those of `wanted` that appear, in `wanted`'s order.
    pub fn codes_in(&self, wanted: &[u32]) -> Vec<(u32, &Occurrences)> {
        wanted.iter().filter_map(|c| self.codes.get(c).map(|o| (*c, o))).collect()
    }

    // ---------------- builders ----------------

    /// A parsed WindowsUpdate.log record.
    pub fn observe_wu(&mut self, input: &str, line: u64, raw: &str, rec: &WuRecord<'_>, event: Option<&WuEvent<'_>>) {
        self.wu_records += 1;
        match rec.format {
            WuFormat::Modern => self.modern_records += 1,
            WuFormat::Classic => self.classic_records += 1,
            WuFormat::MessageOnly => {}
        }
        let mut codes: Vec<u32> = Vec::new();
        crate::codes::scan_codes(rec.message, |c| {
            if !codes.contains(&c) {
                codes.push(c)
            }
        });
        let ev = || Evidence::new(input, line, raw);
        for &c in &codes {
            match self.codes.get_mut(&c) {
                Some(o) => o.add(input, line, raw, rec.time),
                None => {
                    self.codes.insert(c, Occurrences::new(ev(), rec.time));
                }
            }
        }
        let Some(event) = event else {
            if is_contact_component(rec.component) && !rec.message.trim().is_empty() {
                self.server_contact.push_with(ev);
            }
            return;
        };
        match event {
            WuEvent::LoggingInitialized { build, tz_minutes } => {
                self.agent_build = Some(Seen { value: build.to_string(), evidence: ev() });
                if tz_minutes.is_some() {
                    self.tz_minutes = *tz_minutes;
                }
            }
            WuEvent::AgentVersion(v) => self.agent_version = Some(Seen { value: v.to_string(), evidence: ev() }),
            WuEvent::WsusServer(v) => {
                self.log_wsus_server = Some(Seen { value: v.map(str::to_string), evidence: ev() })
            }
            WuEvent::WsusStatusServer(v) => {
                self.log_wsus_status_server = Some(Seen { value: v.map(str::to_string), evidence: ev() })
            }
            WuEvent::ServerUrl(u) => {
                self.server_contact.push_with(ev);
                if self.server_urls.len() < 10 && !self.server_urls.iter().any(|s| s.value == *u) {
                    self.server_urls.push(Seen { value: u.to_string(), evidence: ev() });
                }
            }
            WuEvent::SelfUpdateCheck => {
                self.server_contact.push_with(ev);
                self.selfupdate_checks.push_with(ev);
            }
            WuEvent::SelfUpdateFailed => {
                self.selfupdate_failure_count += 1;
                if self.selfupdate_failures.len() < KEEP {
                    self.selfupdate_failures.push(Seen { value: codes.clone(), evidence: ev() });
                }
            }
            WuEvent::DownloadFailed { url } => {
                self.server_contact.push_with(ev);
                self.failed_download_count += 1;
                if self.failed_downloads.len() < 20 {
                    self.failed_downloads.push(FailedDownload { url: url.to_string(), codes: codes.clone(), evidence: ev() });
                }
            }
            WuEvent::EndpointError { .. } => self.server_contact.push_with(ev),
            WuEvent::SearchStarted => {
                self.server_contact.push_with(ev);
                self.cycle_failed = false;
            }
            WuEvent::SearchSucceeded { .. } | WuEvent::ServerAnswered => {
                self.server_contact.push_with(ev);
                self.detection_successes += 1;
                if self.retry_success.is_none() {
                    if let Some(first_fail) = self
                        .detections
                        .iter()
                        .find(|d| matches!(d.value, DetectionOutcome::Failed(_)))
                    {
                        self.retry_success = Some((first_fail.evidence.clone(), ev()));
                    }
                }
                self.push_detection(DetectionOutcome::Succeeded, ev());
                self.cycle_failed = false;
            }
            WuEvent::SearchFailed | WuEvent::SyncFailed => {
                self.server_contact.push_with(ev);
                if !self.cycle_failed {
                    self.cycle_failed = true;
                    self.detection_failures += 1;
                    self.push_detection(DetectionOutcome::Failed(codes.clone()), ev());
                }
            }
            WuEvent::InstallSucceeded { title } => {
                if self.installs_succeeded.len() < 500 {
                    self.installs_succeeded.push(Seen { value: title.to_string(), evidence: ev() });
                }
            }
            WuEvent::InstallOffered { title } => {
                if self.installs_offered.len() < 500 {
                    self.installs_offered.push(Seen { value: title.to_string(), evidence: ev() });
                }
            }
            WuEvent::InstallFailed { .. } => {}
            WuEvent::LegacyMode => self.legacy_mode.push_with(ev),
            WuEvent::UndecodedEtl => self.undecoded_etl.push_with(ev),
            WuEvent::OsVersion(v) => self.os_version = Some(Seen { value: v.to_string(), evidence: ev() }),
            WuEvent::AutoUpdateDisabledByPolicy => self.au_disabled_in_log = Some(ev()),
        }
        if codes.contains(&0x8024002B) {
            self.legacy_mode.push_with(ev);
        }
    }

    fn push_detection(&mut self, outcome: DetectionOutcome, ev: Evidence) {
        // keep the first few and the latest: enough to show failure, recovery and the current state
        if self.detections.len() < 2 * KEEP {
            self.detections.push(Seen { value: outcome, evidence: ev });
        } else if let Some(last) = self.detections.last_mut() {
            *last = Seen { value: outcome, evidence: ev };
        }
    }

    /// A registry key line (the key is covered by the evidence).
    pub fn observe_reg_key(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.reg_keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_reg_missing(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.reg_missing_keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_reg_value(&mut self, input: &str, raw: &str, v: &RegValue) {
        let role = match key_role(&v.key) {
            KeyRole::Other if v.key.is_empty() => role_of_value_name(&v.name).unwrap_or(KeyRole::Other),
            r => r,
        };
        if role == KeyRole::Other {
            return;
        }
        let ev = Evidence::new(input, v.line, raw);
        self.reg_keys.entry(role).or_insert_with(|| ev.clone());
        if matches!(role, KeyRole::Policy | KeyRole::PolicyAu) && role_of_value_name(&v.name).is_none() {
            if self.reg_unknown_policy_names.len() < KEEP {
                self.reg_unknown_policy_names.push(Seen { value: v.name.clone(), evidence: ev.clone() });
            }
        }
        // a value given twice: the later one wins, as regedit would import it
        let k = (role, v.name.to_ascii_lowercase());
        if v.data == RegData::Deleted {
            self.reg_values.remove(&k);
        } else {
            self.reg_values.insert(k, Seen { value: v.data.clone(), evidence: ev });
        }
    }

    /// One IIS request.
    pub fn observe_iis(&mut self, input: &str, line: u64, raw: &str, r: &IisRequest<'_>) {
        self.iis_requests += 1;
        if r.reason.eq_ignore_ascii_case("AppOffline") || (r.status == Some(503) && r.queue.to_ascii_lowercase().contains("wsus")) {
            self.app_offline.push_with(|| Evidence::new(input, line, raw));
        }
        if let Some(wp) = WsusPath::classify(r.path) {
            let status = r.status.unwrap_or(0);
            let g = self.wsus_requests.entry((wp, status)).or_default();
            g.count += 1;
            if let Some(p) = r.server_port {
                g.ports.insert(p);
            }
            if !g.inputs.contains(input) {
                g.inputs.insert(input.to_string());
            }
            if g.evidence.len() < 3 {
                g.evidence.push(Evidence::new(input, line, raw));
            }
            if wp == WsusPath::SelfUpdate && self.selfupdate_os_lang.is_none() {
                // /selfupdate/AU/x86/XP/EN/wuaucomp.cab
                let parts: Vec<&str> = r.path.split('/').collect();
                if parts.len() >= 7 && parts[2].eq_ignore_ascii_case("AU") {
                    self.selfupdate_os_lang = Some(Seen {
                        value: (parts[4].to_string(), parts[5].to_string()),
                        evidence: Evidence::new(input, line, raw),
                    });
                }
            }
            if wp == WsusPath::WuTrack && self.wutrack_os.is_none() {
                if let Some(p) = r.query.split('&').find_map(|kv| kv.strip_prefix("P=")) {
                    if !p.is_empty() {
                        self.wutrack_os = Some(Seen { value: p.to_string(), evidence: Evidence::new(input, line, raw) });
                    }
                }
            }
        } else if is_sharepoint_path(r.path) {
            let e = self.sharepoint.entry(input.to_string()).or_default();
            e.0.push_with(|| Evidence::new(input, line, raw));
            if let Some(p) = r.server_port {
                e.1.insert(p);
            }
        }
    }
}

/// Components whose lines are by themselves a conversation with the server.
fn is_contact_component(c: &str) -> bool {
    matches!(c, "PT" | "ProtocolTalker" | "WebServices" | "WS" | "DnldMgr" | "DownloadManager" | "SLS")
}

/// SharePoint's own paths: seeing them in a WSUS site's log means SharePoint answers there too.
pub fn is_sharepoint_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.starts_with("/_vti_") || p.starts_with("/_layouts") || p.starts_with("/_catalogs") || p.contains("owssvr.dll")
        || p.starts_with("/_api/")
}
