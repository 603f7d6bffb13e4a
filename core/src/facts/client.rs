//! Facts from the client's own log: configuration it echoes, server contact, self-update,
//! detection cycles, installs and every failure code.

use std::collections::BTreeMap;

use super::service::{ServiceContext, UpdateService};
use super::{EvidenceList, Occurrences, Seen, KEEP};
use crate::events::WuEvent;
use crate::evidence::Evidence;
use crate::time::Timestamp;

/// One ReportingEvents row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow<'a> {
    pub time: Option<Timestamp>,
    /// The zone the row's time is written in, minutes east of UTC (`-0700` is -420).
    pub zone_minutes: Option<i32>,
    pub event_id: u32,
    /// `AGENT_DETECTION_FINISHED` (Windows 10), empty on older clients.
    pub event_name: &'a str,
    pub update_id: &'a str,
    pub hresult: u32,
    pub caller: &'a str,
    /// `Success` or `Failure` (as written; not localised).
    pub status: &'a str,
    /// `Software Synchronization`, `Content Download`, `Content Install`, ...
    pub operation: &'a str,
    /// The human text (localised on non-English clients).
    pub message: &'a str,
}

/// Which layout a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WuFormat {
    /// Windows 2000 .. 8.1: tabs, `HH:MM:SS:mmm`, hex TID.
    Classic,
    /// Windows 10/11 `Get-WindowsUpdateLog` output: spaces, 7-digit fraction, decimal TID.
    Modern,
    /// Only the message column survived the copy.
    MessageOnly,
}

/// One log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WuRecord<'a> {
    /// Wall-clock time as written (local to the client or to the decoding machine); `None` when
    /// absent or impossible.
    pub time: Option<Timestamp>,
    /// The timestamp text was present but named an impossible date or time.
    pub bad_time: bool,
    pub pid: &'a str,
    pub tid: &'a str,
    pub component: &'a str,
    pub message: &'a str,
    pub format: WuFormat,
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

/// What the client log says.
#[derive(Debug, Default, Clone)]
pub struct ClientLogFacts {
    pub wu_records: u64,
    pub modern_records: u64,
    pub classic_records: u64,
    pub log_wsus_server: Option<Seen<Option<String>>>,
    pub log_wsus_status_server: Option<Seen<Option<String>>>,
    /// The configuration block's `Windows Update access disabled: Yes|No` (the last one read).
    pub log_access_disabled: Option<Seen<bool>>,
    pub agent_build: Option<Seen<String>>,
    pub agent_version: Option<Seen<String>>,
    pub tz_minutes: Option<i32>,
    pub os_version: Option<Seen<String>>,
    pub server_contact: EvidenceList,
    /// Lines naming the public Windows Update or Microsoft Update service as a scan target
    /// (`ServiceID = {9482F4B4-...}` / `{7971F918-...}`): on a managed client, dual scan.
    pub public_service_scans: EvidenceList,
    /// Self-update downloaded but did not install: `InstallUpdatedBinaries failed`, setup
    /// errors (WU_E_SETUP_*, 0x8024D0xx) from the Setup component.
    pub selfupdate_install_failures: EvidenceList,
    /// SOAP faults naming a server limit: `InvalidParameters`, `InstalledNonLeafUpdateIDs`.
    pub soap_limit_faults: EvidenceList,
    /// Which of the scan's lists the faults name: the installed prerequisites
    /// (`InstalledNonLeafUpdateIDs`, limited by `maxInstalledPrerequisites`) or the cached
    /// updates (`OtherCachedUpdateIDs`, limited by `maxCachedUpdates`).
    pub soap_limit_non_leaf: bool,
    pub soap_limit_cached: bool,
    /// SOAP faults the WSUS web service raised itself (`InternalServerError`, `code: Server`):
    /// the server failed the call, not a limit.
    pub soap_server_faults: EvidenceList,
    /// The proxy a request went through, as the classic log names it (`Proxy List used: <...>`).
    pub log_proxy: Option<Seen<String>>,
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
    pub installs_succeeded: Vec<InstallSuccess>,
    /// Failed installs per update (its KB number, or its title), in order of first failure.
    pub install_failures: Vec<InstallFailure>,
    /// How many of [`Self::install_failures`] each input holds: when the list is full, an input
    /// with fewer takes the place of one with the most, so one hostile file cannot push out the
    /// real failure another input shows.
    install_failures_by_input: std::collections::BTreeMap<String, usize>,
    /// Failures of updates past the first [`MAX_UPDATES`].
    pub install_failures_cut: u64,
    pub installs_offered: Vec<Seen<String>>,
    pub legacy_mode: EvidenceList,
    pub undecoded_etl: EvidenceList,
    /// The log's `Approval type: Disabled ...` line, and whether policy (not the user) set it.
    pub au_disabled_in_log: Option<(Evidence, bool)>,
    /// Failure codes in the client log: every code WSUS Doctor can name, and up to
    /// [`MAX_UNNAMED_CODES`] others.
    pub codes: BTreeMap<u32, Occurrences>,
    /// Occurrences of codes not kept: unnamed codes past the cap, and codes past
    /// [`MAX_CODES_PER_LINE`] on one line.
    pub codes_cut: u64,
    unnamed_codes: usize,
    /// Which service each thread's call belongs to.
    services: ServiceContext,
    /// Lines failing with a network code ([`INTERNET_CODES`]) in calls that are not WSUS's (or not
    /// attributed): on a machine that does not use WSUS, its way to Microsoft's service.
    pub internet_failures: EvidenceList,
    /// When the failures since the last success began and the latest of them (record times).
    pub internet_failing_since: Option<crate::time::Timestamp>,
    pub internet_failing_until: Option<crate::time::Timestamp>,
    /// Some search (not WSUS's) succeeded somewhere in the evidence.
    pub internet_success_seen: bool,
    /// The latest of them, once past the ones kept (the machine's current state).
    pub internet_last_failure: Option<Evidence>,
    /// A search succeeded after the last of [`Self::internet_failures`].
    pub internet_recovered: bool,
    /// `AU was unable to detect updates for more than 48 hours` (classic AU).
    pub detection_overdue: Option<Evidence>,
    /// The service a ReportingEvents row names in its id column, for the row being observed.
    row_service: Option<UpdateService>,
    /// Failures that belong to another service than WSUS (Windows Update, the Store,
    /// Microsoft's endpoints): kept apart so WSUS rules never count them.
    pub other_services: BTreeMap<UpdateService, OtherServiceFailures>,
    /// Lines naming the managed (WSUS) service or its URL: the machine scans WSUS.
    pub wsus_scans: EvidenceList,
    /// Lines where Configuration Manager's client (CcmExec) drives the agent.
    pub configmgr_calls: EvidenceList,
    /// Calls to other services than WSUS (the agent is alive and talking, just not to WSUS).
    pub other_contact: u64,
    /// Per code, its occurrences on download lines (a Configuration Manager client downloads
    /// from its distribution points, not from WSUS). Bounded by the codes kept.
    download_hits: BTreeMap<u32, u64>,
    /// The configuration block in force: `Some(false)` after `WSUS server: (null)`.
    wsus_configured_now: Option<bool>,
    /// `WSUS server: (null)` after a block that named one (or the reverse): the policy came
    /// and went while the log ran.
    pub policy_flips: EvidenceList,
}

/// Failures attributed to one non-WSUS service.
#[derive(Debug, Default, Clone)]
pub struct OtherServiceFailures {
    /// Lines with a failure code.
    pub lines: u64,
    pub codes: BTreeMap<u32, Occurrences>,
    /// Occurrences of codes past [`MAX_OTHER_CODES`].
    pub codes_cut: u64,
}

pub use crate::caps::MAX_OTHER_CODES;

/// Network failures on the way to an update service: cannot connect, time-out, name not
/// resolved, no route, connection reset or aborted, and a proxy that wants credentials.
pub const INTERNET_CODES: &[u32] = &[
    0x80072EFD, // ERROR_WINHTTP_CANNOT_CONNECT
    0x80072EFE, // ERROR_WINHTTP_CONNECTION_ERROR
    0x80072EE2, // ERROR_WINHTTP_TIMEOUT
    0x80072EE7, // ERROR_WINHTTP_NAME_NOT_RESOLVED
    0x8024402C, // WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
    0x80240438, // WU_E_PT_ENDPOINT_UNREACHABLE
    0x80072F78, // ERROR_WINHTTP_INVALID_SERVER_RESPONSE
    0x8024401B, // WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ (407)
    0x80190197, // BG_E_HTTP_ERROR_407
];

pub use crate::caps::MAX_CODES_PER_LINE;
pub use crate::caps::MAX_UNNAMED_CODES;

impl ClientLogFacts {
    /// Occurrences in the client log of those of `wanted` that appear, in `wanted`'s order.
    pub fn codes_in(&self, wanted: &[u32]) -> Vec<(u32, &Occurrences)> {
        wanted.iter().filter_map(|c| self.codes.get(c).map(|o| (*c, o))).collect()
    }

    /// Like [`Self::codes_in`], only codes seen outside download lines (scans, reports).
    pub fn scan_codes_in(&self, wanted: &[u32]) -> Vec<(u32, &Occurrences)> {
        self.codes_in(wanted).into_iter().filter(|(c, o)| self.download_hits.get(c).copied().unwrap_or(0) < o.count).collect()
    }

    /// Like [`Self::codes_in`], only codes seen on download lines.
    pub fn download_codes_in(&self, wanted: &[u32]) -> Vec<(u32, &Occurrences)> {
        self.codes_in(wanted).into_iter().filter(|(c, _)| self.download_hits.get(c).is_some_and(|n| *n > 0)).collect()
    }

    /// A parsed WindowsUpdate.log record.
    /// Returns the record's first failure code, for the timeline.
    pub fn observe(
        &mut self,
        input: &str,
        line: u64,
        raw: &str,
        rec: &WuRecord<'_>,
        event: Option<&WuEvent<'_>>,
        column_code: Option<u32>,
    ) -> Option<u32> {
        self.wu_records += 1;
        match rec.format {
            WuFormat::Modern => self.modern_records += 1,
            WuFormat::Classic => self.classic_records += 1,
            WuFormat::MessageOnly => {}
        }
        self.observe_with_code(input, line, raw, rec, event, column_code)
    }

    /// A ReportingEvents row (from ReportingEvents.log or a classic `REPORT EVENT:` line): its
    /// HRESULT column is a code even when the message text does not name it.
    pub fn observe_report(&mut self, input: &str, line: u64, raw: &str, row: &ReportRow<'_>) -> Option<u32> {
        let rec = WuRecord {
            time: row.time,
            bad_time: false,
            pid: "",
            tid: "",
            component: "Report",
            message: row.message,
            format: WuFormat::MessageOnly,
        };
        let event = crate::events::report_text(row.message, row.status == "Success");
        let failure = Some(row.hresult).filter(|h| h & 0x8000_0000 != 0);
        self.wu_records += 1;
        // a detection row's id column holds the service it scanned (`{9482F4B4-...}` Windows
        // Update, `{3DA21691-...}` WSUS); an install row's holds the update's id, never a service's
        self.row_service = super::service::service_of_id(row.update_id);
        let code = self.observe_with_code(input, line, raw, &rec, event.as_ref(), failure);
        self.row_service = None;
        code
    }

    /// A Windows Update client event from event text or an event log: its message is worded
    /// like a ReportingEvents message ("Installation Failure: ... with error 0x...").
    /// A message in another language is read by its event id (`id`; 0 when unknown).
    pub fn observe_event_text(&mut self, input: &str, line: u64, raw: &str, message: &str, id: u32) -> Option<u32> {
        let rec = WuRecord { time: None, bad_time: false, pid: "", tid: "", component: "EventLog", message, format: WuFormat::MessageOnly };
        let success = !message.contains("Failure") && !message.contains("failed");
        let event = crate::events::report_text(message, success).or_else(|| crate::events::client_event_by_id(id, message));
        self.wu_records += 1;
        self.observe_with_code(input, line, raw, &rec, event.as_ref(), None)
    }

    fn observe_with_code(
        &mut self,
        input: &str,
        line: u64,
        raw: &str,
        rec: &WuRecord<'_>,
        event: Option<&WuEvent<'_>>,
        extra: Option<u32>,
    ) -> Option<u32> {
        let mut codes: Vec<u32> = extra.into_iter().collect();
        let mut past_cap = 0u64;
        crate::codes::scan_codes(rec.message, |c| {
            let seen = codes.contains(&c);
            match (seen, codes.len() < MAX_CODES_PER_LINE) {
                (true, _) => {}
                (false, true) => codes.push(c),
                (false, false) => past_cap += 1,
            }
        });
        self.codes_cut += past_cap;
        // `HTTP status code = 401` (classic PT lines): the status counts as its WU_E_PT_HTTP_STATUS_* code
        let talker = matches!(rec.component, "PT" | "ProtocolTalker" | "WebServices" | "WS" | "Misc" | "");
        if let Some(c) = talker.then(|| http_status_code(rec.message)).flatten().filter(|c| !codes.contains(c)) {
            if codes.len() < MAX_CODES_PER_LINE {
                codes.push(c);
            }
        }
        // `Hash check on file ... failed; hash values did not match.`: the download manager says in
        // words what WU_E_DM_INCORRECTFILEHASH says in a code
        if codes.is_empty()
            && matches!(rec.component, "DownloadManager" | "DnldMgr" | "Misc" | "Handler" | "")
            && says_hash_mismatch(rec.message)
        {
            codes.push(0x80246002);
        }
        let attributed = self.services.attribute(input, line, rec.pid, rec.tid, rec.component, rec.message);
        let service = self.row_service.or(attributed);
        let ev = || Evidence { service, ..Evidence::new(input, line, raw) };
        // the path to Microsoft's service, whatever the machine's mode (the rules decide whether it matters)
        if service.is_none_or(|s| !s.is_wsus()) {
            if codes.iter().any(|c| INTERNET_CODES.contains(c)) {
                self.internet_failures.push_with(ev);
                if self.internet_recovered || self.internet_failing_since.is_none() {
                    self.internet_failing_since = rec.time;
                }
                self.internet_recovered = false;
                if rec.time.is_some() {
                    self.internet_failing_until = rec.time;
                }
                if self.internet_failures.count > KEEP as u64 {
                    // rewritten in place: a log of a million failures must not allocate a million times
                    match &mut self.internet_last_failure {
                        Some(e) => {
                            if e.input != input {
                                e.input.clear();
                                e.input.push_str(input);
                            }
                            e.line = line;
                            e.service = service;
                            Evidence::set_text(&mut e.text, raw);
                        }
                        None => self.internet_last_failure = Some(ev()),
                    }
                }
            } else if matches!(event, Some(WuEvent::SearchSucceeded { .. } | WuEvent::ServerAnswered)) {
                self.internet_success_seen = true;
                if !self.internet_failures.is_empty() {
                    self.internet_recovered = true;
                }
            }
        }
        if rec.component == "AU" && finders().overdue.find(rec.message.as_bytes()).is_some() {
            self.detection_overdue = Some(ev());
        }
        // a ReportingEvents detection row of Windows Update or Microsoft Update: a scan of the public service
        if self.row_service.is_some_and(|s| matches!(s, UpdateService::WindowsUpdate | UpdateService::MicrosoftUpdate))
            && rec.message.contains("detect")
            && self.wsus_configured_now != Some(false)
        {
            self.public_service_scans.push_with(ev);
        }
        let foreign = service.filter(|s| !s.is_wsus());
        let f = finders();
        let msg = rec.message.as_bytes();
        if service == Some(UpdateService::Wsus) && foreign.is_none() && !rec.component.eq_ignore_ascii_case("SLS") {
            self.wsus_scans.push_with(ev);
        }
        // CcmExec shows as the caller of COM API, agent and idle-timer lines
        let caller_line = matches!(rec.component, "ComApi" | "COMAPI" | "IdleTimer" | "IdleTmr" | "Agent" | "");
        if caller_line && (f.ccmexec.find(msg).is_some() || f.ccmexec_lower.find(msg).is_some()) {
            self.configmgr_calls.push_with(ev);
        }
        if let Some(other) = foreign {
            let o = self.other_services.entry(other).or_default();
            if !codes.is_empty() {
                o.lines += 1;
            }
            for &c in &codes {
                let room = o.codes.len() < MAX_OTHER_CODES;
                match o.codes.get_mut(&c) {
                    Some(occ) => {
                        occ.add(input, line, raw, rec.time);
                        occ.last.service = service;
                    }
                    None if room => {
                        o.codes.insert(c, Occurrences::new(ev(), rec.time));
                    }
                    None => o.codes_cut += 1,
                }
            }
            // the call was not to WSUS: only what the client does locally still counts
            let local = matches!(
                event,
                Some(
                    WuEvent::LoggingInitialized { .. }
                        | WuEvent::AgentVersion(_)
                        | WuEvent::WsusServer(_)
                        | WuEvent::WsusStatusServer(_)
                        | WuEvent::InstallSucceeded { .. }
                        | WuEvent::InstallOffered { .. }
                        | WuEvent::InstallFailed { .. }
                        | WuEvent::OsVersion(_)
                        | WuEvent::AutoUpdateDisabled { .. }
                        | WuEvent::UpdateAccessDisabled(_)
                        | WuEvent::UndecodedEtl
                )
            );
            if !local {
                if event.is_some() || is_contact_component(rec.component) {
                    self.other_contact += 1;
                }
                if rec.message.trim_start_matches([' ', '*']).starts_with("ServiceID")
                    && names_public_service(rec.component, rec.message)
                    && !self.services.caller().is_some_and(super::service::is_side_caller)
                    && self.wsus_configured_now != Some(false)
                {
                    self.public_service_scans.push_with(ev);
                }
                return codes.first().copied();
            }
        }
        let download_line = !codes.is_empty() && is_download_line(rec.component, msg);
        for &c in codes.iter().filter(|_| foreign.is_none()) {
            match self.codes.get_mut(&c) {
                Some(o) => {
                    o.add(input, line, raw, rec.time);
                    o.last.service = service;
                }
                None => {
                    // named codes are always kept: the rules look for them by value
                    if self.unnamed_codes < MAX_UNNAMED_CODES || crate::codes::lookup(c).is_some() {
                        if crate::codes::lookup(c).is_none() {
                            self.unnamed_codes += 1;
                        }
                        self.codes.insert(c, Occurrences::new(ev(), rec.time));
                    } else {
                        self.codes_cut += 1;
                    }
                }
            }
            // only for codes that are kept: the map stays within the codes' own cap
            if download_line && self.codes.contains_key(&c) {
                *self.download_hits.entry(c).or_default() += 1;
            }
        }
        // each check runs on its component only, with searchers built once: this is every line
        if (rec.component.eq_ignore_ascii_case("Setup") || rec.component.eq_ignore_ascii_case("SelfUpdate") || rec.component.is_empty())
            && (f.install_binaries.find(msg).is_some()
                || f.setup_core.find(msg).is_some()
                || codes.iter().any(|c| c & 0xFFFF_FF00 == 0x8024_D000))
        {
            self.selfupdate_install_failures.push_with(ev);
        }
        if matches!(rec.component, "PT" | "ProtocolTalker" | "WebServices" | "WS" | "")
            && (f.invalid_parameters.find(msg).is_some() || f.non_leaf.find(msg).is_some())
        {
            self.soap_limit_faults.push_with(ev);
            self.soap_limit_non_leaf |= f.non_leaf.find(msg).is_some();
            self.soap_limit_cached |= rec.message.contains("OtherCachedUpdateIDs");
        } else if matches!(rec.component, "PT" | "ProtocolTalker" | "WebServices" | "WS" | "")
            && (f.internal_server_error.find(msg).is_some()
                || rec.message.trim_start().trim_start_matches("WARNING:").trim() == "code: Server")
        {
            self.soap_server_faults.push_with(ev);
        }
        if self.log_proxy.is_none()
            && matches!(rec.component, "Misc" | "PT" | "ProtocolTalker" | "WebServices" | "")
            && (f.proxy_list.find(msg).is_some() || f.proxy_list_pt.find(msg).is_some())
        {
            if let Some(p) = log_proxy(rec.message) {
                self.log_proxy = Some(Seen { value: p.to_string(), evidence: ev() });
            }
        }
        if rec.message.trim_start_matches([' ', '*']).starts_with("ServiceID")
            && names_public_service(rec.component, rec.message)
            && !self.services.caller().is_some_and(super::service::is_side_caller)
            && self.wsus_configured_now != Some(false)
        {
            self.public_service_scans.push_with(ev);
        }
        let Some(event) = event else {
            if is_contact_component(rec.component) && !rec.message.trim().is_empty() {
                self.server_contact.push_with(ev);
            }
            return codes.first().copied();
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
                let now = v.is_some_and(|u| !u.trim().is_empty());
                if self.wsus_configured_now.is_some_and(|was| was != now) {
                    self.policy_flips.push_with(ev);
                }
                self.wsus_configured_now = Some(now);
                self.log_wsus_server = Some(Seen { value: v.map(str::to_string), evidence: ev() });
            }
            WuEvent::WsusStatusServer(v) => self.log_wsus_status_server = Some(Seen { value: v.map(str::to_string), evidence: ev() }),
            WuEvent::UpdateAccessDisabled(on) => self.log_access_disabled = Some(Seen { value: *on, evidence: ev() }),
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
                    if let Some(first_fail) = self.detections.iter().find(|d| matches!(d.value, DetectionOutcome::Failed(_))) {
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
                    self.installs_succeeded.push(InstallSuccess { value: title.to_string(), evidence: ev(), time: rec.time });
                }
            }
            WuEvent::InstallOffered { title } => {
                if self.installs_offered.len() < 500 {
                    self.installs_offered.push(Seen { value: title.to_string(), evidence: ev() });
                }
            }
            WuEvent::InstallFailed { title } => {
                let key = kb_of(title).map(str::to_string).unwrap_or_else(|| title.chars().take(120).collect());
                if let Some(f) = self.install_failures.iter_mut().find(|f| f.update == key) {
                    f.occurrences.add(input, line, raw, rec.time);
                    for c in &codes {
                        if !f.codes.contains(c) && f.codes.len() < 4 {
                            f.codes.push(*c);
                        }
                    }
                } else {
                    let failure = InstallFailure {
                        update: key,
                        title: title.chars().take(200).collect(),
                        codes: codes.iter().copied().take(4).collect(),
                        occurrences: Occurrences::new(ev(), rec.time),
                    };
                    self.keep_install_failure(input, failure);
                }
            }
            WuEvent::LegacyMode => self.legacy_mode.push_with(ev),
            WuEvent::UndecodedEtl => self.undecoded_etl.push_with(ev),
            WuEvent::OsVersion(v) => self.os_version = Some(Seen { value: v.to_string(), evidence: ev() }),
            WuEvent::AutoUpdateDisabled { by_policy } => self.au_disabled_in_log = Some((ev(), *by_policy)),
        }
        if codes.contains(&0x8024002B) {
            self.legacy_mode.push_with(ev);
        }
        codes.first().copied()
    }

    /// Keep a newly failing update while there is room; past [`MAX_UPDATES`], an input holding
    /// fewer than the most-holding input (by two or more) takes that input's latest entry's place.
    fn keep_install_failure(&mut self, input: &str, failure: InstallFailure) {
        let mine = self.install_failures_by_input.get(input).copied().unwrap_or(0);
        if self.install_failures.len() >= MAX_UPDATES {
            self.install_failures_cut += 1;
            let Some((most, &held)) = self.install_failures_by_input.iter().max_by_key(|(_, n)| **n) else { return };
            if held < mine + 2 {
                return;
            }
            let most = most.clone();
            let Some(at) = self.install_failures.iter().rposition(|f| f.occurrences.first.input == most) else { return };
            self.install_failures.remove(at);
            *self.install_failures_by_input.entry(most).or_default() -= 1;
        }
        *self.install_failures_by_input.entry(input.to_string()).or_default() += 1;
        self.install_failures.push(failure);
    }

    fn push_detection(&mut self, outcome: DetectionOutcome, ev: Evidence) {
        // keep the first few and the latest: enough to show failure, recovery and the current state
        if self.detections.len() < 2 * KEEP {
            self.detections.push(Seen { value: outcome, evidence: ev });
        } else if let Some(last) = self.detections.last_mut() {
            *last = Seen { value: outcome, evidence: ev };
        }
    }
}

/// The WU_E_PT_HTTP_STATUS_* code of an error status a line states in words (`HTTP status code =
/// 401`, `HTTP status code: 503`), for lines that give the status but not its HRESULT.
fn http_status_code(message: &str) -> Option<u32> {
    let at = finders().http_status.find(message.as_bytes())?;
    // `= 401`, `: 503`, or WS's quoted `'503 (0x1F7)'`
    let rest = message[at + 16..].trim_start().trim_start_matches(['=', ':']).trim_start().trim_start_matches(['\'', '"']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let status: u16 = digits.parse().ok()?;
    let code = match status {
        400 => 0x80244016,
        401 => 0x80244017,
        403 => 0x80244018,
        404 => 0x80244019,
        405 => 0x8024401A,
        407 => 0x8024401B,
        408 => 0x8024401C,
        409 => 0x8024401D,
        410 => 0x8024401E,
        500 => 0x8024401F,
        501 => 0x80244020,
        502 => 0x80244021,
        503 => 0x80244022,
        504 => 0x80244023,
        505 => 0x80244024,
        _ => return None,
    };
    Some(code)
}

/// A line about a download (BITS, Delivery Optimization, the download manager).
fn is_download_line(component: &str, msg: &[u8]) -> bool {
    matches!(component, "DownloadManager" | "DnldMgr" | "DeliveryOptimization" | "DO" | "BITS" | "Handler") || is_download_text(msg)
}

/// Text that speaks of a download (`download`, `Download`, `DOWNLOAD`).
pub fn is_download_text(text: &[u8]) -> bool {
    finders().download.find(text).is_some() || finders().download_upper.find(text).is_some()
}

/// Components whose lines are by themselves a conversation with the server.
fn is_contact_component(c: &str) -> bool {
    matches!(c, "PT" | "ProtocolTalker" | "WebServices" | "WS" | "DnldMgr" | "DownloadManager" | "SLS")
}

/// A scan's `ServiceID` line naming the public Windows Update or Microsoft Update service (not
/// WSUS, `{3DA21691-...}`): the same service ids the attribution reads.
fn names_public_service(component: &str, message: &str) -> bool {
    matches!(super::service::named_service(component, message), Some(UpdateService::WindowsUpdate | UpdateService::MicrosoftUpdate))
}

pub use crate::caps::MAX_UPDATES;

/// An update the log says was installed, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct InstallSuccess {
    /// The update's title as the log gives it.
    pub value: String,
    pub evidence: Evidence,
    pub time: Option<Timestamp>,
}

/// One update that failed to install, with every failure counted.
#[derive(Debug, Clone, PartialEq)]
pub struct InstallFailure {
    /// `KB4025342`, or the title when it names no KB.
    pub update: String,
    pub title: String,
    pub codes: Vec<u32>,
    pub occurrences: Occurrences,
}

/// The `KB1234567` an update title names.
pub fn kb_of(title: &str) -> Option<&str> {
    let b = title.as_bytes();
    (0..b.len().saturating_sub(2)).find_map(|i| {
        let digits = b[i + 2..].iter().take_while(|c| c.is_ascii_digit()).count();
        (b[i..].starts_with(b"KB") && (6..=8).contains(&digits) && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
            .then(|| &title[i..i + 2 + digits])
    })
}

/// Substring searchers for the per-line checks, built once (building one per line showed as a
/// fifth of the diagnosis in callgrind).
struct Finders {
    install_binaries: memchr::memmem::Finder<'static>,
    setup_core: memchr::memmem::Finder<'static>,
    invalid_parameters: memchr::memmem::Finder<'static>,
    non_leaf: memchr::memmem::Finder<'static>,
    proxy_list: memchr::memmem::Finder<'static>,
    proxy_list_pt: memchr::memmem::Finder<'static>,
    internal_server_error: memchr::memmem::Finder<'static>,
    http_status: memchr::memmem::Finder<'static>,
    download: memchr::memmem::Finder<'static>,
    download_upper: memchr::memmem::Finder<'static>,
    ccmexec: memchr::memmem::Finder<'static>,
    ccmexec_lower: memchr::memmem::Finder<'static>,
    hash_mismatch: memchr::memmem::Finder<'static>,
    overdue: memchr::memmem::Finder<'static>,
}

fn finders() -> &'static Finders {
    static F: std::sync::OnceLock<Finders> = std::sync::OnceLock::new();
    F.get_or_init(|| Finders {
        install_binaries: memchr::memmem::Finder::new("InstallUpdatedBinaries failed"),
        setup_core: memchr::memmem::Finder::new("Setup core installation failed"),
        invalid_parameters: memchr::memmem::Finder::new("InvalidParameters"),
        non_leaf: memchr::memmem::Finder::new("InstalledNonLeafUpdateIDs"),
        proxy_list: memchr::memmem::Finder::new("Proxy List used:"),
        proxy_list_pt: memchr::memmem::Finder::new("roxy list used ="),
        internal_server_error: memchr::memmem::Finder::new("InternalServerError"),
        http_status: memchr::memmem::Finder::new("HTTP status code"),
        download: memchr::memmem::Finder::new("ownload"),
        download_upper: memchr::memmem::Finder::new("OWNLOAD"),
        ccmexec: memchr::memmem::Finder::new("CcmExec"),
        ccmexec_lower: memchr::memmem::Finder::new("ccmexec"),
        hash_mismatch: memchr::memmem::Finder::new("hash values did not match"),
        overdue: memchr::memmem::Finder::new("unable to detect updates for more than"),
    })
}

/// `Hash check on file ... failed; hash values did not match.`: WU_E_DM_INCORRECTFILEHASH in words.
pub fn says_hash_mismatch(message: &str) -> bool {
    finders().hash_mismatch.find(message.as_bytes()).is_some()
}

/// `Proxy List used: <proxy.corp.local:8080>` in a classic log line: the proxy, if one was used.
pub fn log_proxy(message: &str) -> Option<&str> {
    // `Proxy List used: <proxy:80>` (Misc) or `+ Proxy list used = proxy:80` (PT)
    if let Some(i) = message.find("Proxy List used:") {
        let rest = message[i + 16..].trim_start();
        let inner = rest.strip_prefix('<')?.split('>').next()?;
        return (!inner.is_empty() && inner != "(null)").then_some(inner);
    }
    let i = message.find("Proxy list used =")?;
    let value = message[i + 17..].split_whitespace().next()?.trim_matches(['<', '>']);
    (!value.is_empty() && value != "(null)").then_some(value)
}

#[cfg(test)]
mod status_tests {
    #[test]
    fn statuses_written_in_words_count_as_their_codes() {
        assert_eq!(
            super::http_status_code("+ Last proxy send request failed with hr = 0x800710DD, HTTP status code = 401"),
            Some(0x80244017)
        );
        assert_eq!(super::http_status_code("SyncUpdates failure, error = 0x800710DD, soap client error = 5, HTTP status code = 200"), None);
        assert_eq!(super::http_status_code("HTTP status code: 503"), Some(0x80244022));
    }
}
