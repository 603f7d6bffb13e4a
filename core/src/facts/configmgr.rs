//! Facts from Configuration Manager's logs: the client's software update point and its scans
//! (WUAHandler, ScanAgent), and on the site server the WSUS configuration (WCM, WSUSCtrl),
//! synchronisation (wsyncmgr), content downloads (PatchDownloader) and automatic deployment
//! rules (RuleEngine). Which role wrote a record is its component's.

use std::collections::BTreeMap;

use super::{EvidenceList, Occurrences, Seen};
use crate::evidence::Evidence;
use crate::time::Timestamp;

/// A record's severity (`type="1|2|3"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmSeverity {
    Info,
    Warning,
    Error,
}

/// One Configuration Manager log record.
#[derive(Debug, Clone, PartialEq)]
pub struct CmRecord<'a> {
    pub message: &'a str,
    pub component: &'a str,
    pub time: Option<Timestamp>,
    /// Minutes east of UTC (CMTrace writes the Windows bias, its opposite).
    pub zone_minutes: Option<i32>,
    pub severity: Option<CmSeverity>,
    pub thread: &'a str,
}

/// Which Configuration Manager role a component belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmRole {
    /// The client's update agent handler and scan agent (WUAHandler, ScanAgent).
    ClientScan,
    /// Other client components (UpdatesDeployment, UpdatesHandler, LocationServices, CAS...).
    Client,
    /// WCM / WSUSCtrl: the site server configuring the software update point's WSUS.
    WsusConfig,
    /// wsyncmgr: the site's synchronisation with WSUS.
    Sync,
    /// PatchDownloader, DataTransferService, CAS: update content downloads.
    Content,
    /// RuleEngine: automatic deployment rules.
    Adr,
    Other,
}

pub fn role_of(component: &str) -> CmRole {
    let c = component.to_ascii_lowercase();
    match c.as_str() {
        "wuahandler" | "scanagent" => CmRole::ClientScan,
        "sms_wsus_configuration_manager" | "sms_wsus_control_manager" | "wcm" | "wsusctrl" | "supsetup" => CmRole::WsusConfig,
        "sms_wsus_sync_manager" | "wsyncmgr" => CmRole::Sync,
        "patchdownloader" | "datatransferservice" | "contenttransfermanager" | "contentaccess" | "cas" => CmRole::Content,
        "sms_rule_engine" | "ruleengine" => CmRole::Adr,
        "updatesdeployment" | "updateshandler" | "updatesstore" | "wussyncxml" | "locationservices" | "ccmexec" => CmRole::Client,
        _ => CmRole::Other,
    }
}

/// Codes Configuration Manager logs as routine (not found, resync needed).
const ROUTINE: &[u32] = &[0x87D00215, 0x87D00310, 0x87D00314];

pub use crate::caps::MAX_CM_CODES;

/// What the Configuration Manager logs say.
#[derive(Debug, Default, Clone)]
pub struct ConfigMgrFacts {
    pub records: u64,
    /// Records of the client's own components (WUAHandler, ScanAgent, UpdatesDeployment...):
    /// the mode's reason says whose logs were given.
    pub client_records: u64,
    /// The software update point the client was told to use (WUAHandler, LocationServices).
    pub sup_url: Option<Seen<String>>,
    /// Group Policy overwrote the software update point's WUServer (0x87D00692).
    pub policy_overridden: EvidenceList,
    /// The server the overriding GPO names.
    pub gpo_server: Option<String>,
    /// The client cannot read its local group policy file (registry.pol).
    pub gpo_unreadable: EvidenceList,
    pub scans_ok: EvidenceList,
    /// Scan failures by code, from WUAHandler and ScanAgent.
    pub scan_codes: BTreeMap<u32, Occurrences>,
    /// Scan failures that name no code.
    pub scan_failures: EvidenceList,
    pub wsus_config_failures: EvidenceList,
    pub syncs_ok: EvidenceList,
    pub sync_failures: EvidenceList,
    /// `Failed to sync update {...}` lines (one update each).
    pub sync_update_failures: EvidenceList,
    /// Site server downloads into deployment packages (PatchDownloader).
    pub content_failures: EvidenceList,
    /// The client's own content downloads (DataTransferService, CAS, WUAHandler).
    pub client_content_failures: EvidenceList,
    pub content_codes: BTreeMap<u32, Occurrences>,
    pub adr_failures: EvidenceList,
    /// Codes past the per-map cap.
    pub codes_cut: u64,
}

impl ConfigMgrFacts {
    /// One record; returns its first failure code (for the timeline).
    pub fn observe(&mut self, input: &str, line: u64, raw: &str, rec: &CmRecord<'_>) -> Option<u32> {
        self.records += 1;
        let m = rec.message;
        let lower = m.to_ascii_lowercase();
        let mut codes = Vec::new();
        crate::codes::scan_codes(m, |c| {
            if codes.len() < 4 && !codes.contains(&c) {
                codes.push(c);
            }
        });
        let ev = || Evidence::new(input, line, raw);
        let failed = lower.contains("fail")
            || lower.contains("error")
            || lower.contains("exception")
            || rec.severity == Some(CmSeverity::Error)
            || !codes.is_empty();
        let routine = !codes.is_empty() && codes.iter().all(|c| ROUTINE.contains(c));
        let role = role_of(rec.component);
        let client_side =
            matches!(role, CmRole::ClientScan | CmRole::Client) || (role == CmRole::Content && !is_site_content(rec.component));
        if client_side || lower.contains("wuagent") || lower.contains("wuahandler") {
            self.client_records += 1;
        }
        if self.sup_url.is_none() && (role == CmRole::ClientScan || role == CmRole::Client) {
            if let Some(url) = sup_url_in(m) {
                self.sup_url = Some(Seen { value: url.to_string(), evidence: ev() });
            }
        }
        if lower.contains("overwritten by a higher authority") || codes.contains(&0x87D00692) {
            self.policy_overridden.push_with(ev);
            if self.gpo_server.is_none() {
                self.gpo_server = m
                    .split_once("to: Server ")
                    .map(|(_, r)| r.split(" and Policy").next().unwrap_or(r).trim().to_string())
                    .filter(|s| !s.is_empty());
            }
            return codes.first().copied();
        }
        // the update source that cannot be added after it is the same failure, not a scan's
        let follows_unreadable = !self.gpo_unreadable.is_empty() && lower.contains("add update source");
        if lower.contains("unable to read existing wua group policy object")
            || follows_unreadable
            || (role == CmRole::ClientScan && lower.contains("group policy") && codes.iter().any(|c| matches!(c, 0x800703EE | 0x80004005)))
        {
            self.gpo_unreadable.push_with(ev);
            return codes.first().copied();
        }
        if routine || !failed {
            match role {
                CmRole::ClientScan if lower.contains("successfully completed scan") || lower.contains("scan completed successfully") => {
                    self.scans_ok.push_with(ev)
                }
                CmRole::Sync if lower.contains("sync succeeded") || lower.contains("done synchronizing") => self.syncs_ok.push_with(ev),
                _ => {}
            }
            return None;
        }
        // a client downloading content (from its distribution point or Microsoft) is no scan
        let client_download = matches!(role, CmRole::ClientScan | CmRole::Client) && lower.contains("download");
        if client_download || (role == CmRole::Content && !is_site_content(rec.component)) {
            self.client_content_failures.push_with(ev);
            add_codes(&mut self.content_codes, &codes, input, line, raw, rec, &mut self.codes_cut);
            return codes.first().copied();
        }
        match role {
            CmRole::ClientScan => {
                if codes.is_empty() {
                    self.scan_failures.push_with(ev);
                } else {
                    add_codes(&mut self.scan_codes, &codes, input, line, raw, rec, &mut self.codes_cut);
                }
            }
            CmRole::WsusConfig => self.wsus_config_failures.push_with(ev),
            CmRole::Sync => {
                if lower.contains("failed to sync update") {
                    self.sync_update_failures.push_with(ev);
                } else {
                    self.sync_failures.push_with(ev);
                }
            }
            CmRole::Content => {
                self.content_failures.push_with(ev);
                add_codes(&mut self.content_codes, &codes, input, line, raw, rec, &mut self.codes_cut);
            }
            CmRole::Adr => self.adr_failures.push_with(ev),
            CmRole::Client | CmRole::Other => {}
        }
        codes.first().copied()
    }
}

/// Components that download on the site server (or the console) rather than on a client.
fn is_site_content(component: &str) -> bool {
    component.eq_ignore_ascii_case("PatchDownloader")
}

fn add_codes(map: &mut BTreeMap<u32, Occurrences>, codes: &[u32], input: &str, line: u64, raw: &str, rec: &CmRecord<'_>, cut: &mut u64) {
    for &c in codes {
        let room = map.len() < MAX_CM_CODES;
        match map.get_mut(&c) {
            Some(o) => o.add(input, line, raw, rec.time),
            None if room => {
                map.insert(c, Occurrences::new(Evidence::new(input, line, raw), rec.time));
            }
            None => *cut += 1,
        }
    }
}

/// The software update point a client log line names: `Enabling WUA Managed server policy to
/// use server: https://sup01:8531`, `Existing WUA Managed server was already set
/// (https://sup01:8531)`, LocationServices' `WSUS Path='http://sup01:8530'`.
fn sup_url_in(m: &str) -> Option<&str> {
    let named = m.contains("WUA Managed server") || m.contains("WSUS Path=") || m.contains("WSUS location");
    if !named || m.contains("higher authority") {
        return None;
    }
    let at = m.find("http://").or_else(|| m.find("https://"))?;
    let rest = &m[at..];
    let end = rest.find(['\'', '"', ')', ' ', ',', ']']).unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches(['.', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sup_urls_from_client_lines() {
        assert_eq!(
            sup_url_in("Enabling WUA Managed server policy to use server: https://SUP01.corp.example:8531"),
            Some("https://SUP01.corp.example:8531")
        );
        assert_eq!(
            sup_url_in("Existing WUA Managed server was already set (https://SCCM01D.firm.net:8531), skipping Group Policy registration."),
            Some("https://SCCM01D.firm.net:8531")
        );
        assert_eq!(
            sup_url_in("WSUS Path='http://cm01.contoso.com:8530', Server='CM01', Version='48'"),
            Some("http://cm01.contoso.com:8530")
        );
        assert_eq!(sup_url_in("Scan failed with error = 0x80244022."), None);
    }

    #[test]
    fn components_say_the_role() {
        assert_eq!(role_of("WUAHandler"), CmRole::ClientScan);
        assert_eq!(role_of("SMS_WSUS_SYNC_MANAGER"), CmRole::Sync);
        assert_eq!(role_of("PatchDownloader"), CmRole::Content);
        assert_eq!(role_of("SMS_RULE_ENGINE"), CmRole::Adr);
        assert_eq!(role_of("SMS_WSUS_CONFIGURATION_MANAGER"), CmRole::WsusConfig);
    }
}

#[cfg(test)]
mod download_tests {
    use crate::formats::cmtrace::parse_message_only;

    #[test]
    fn a_client_download_failure_is_no_scan_failure() {
        let rec = parse_message_only("Unexpected HRESULT for downloading complete: 0x80d02002").unwrap();
        let mut f = super::ConfigMgrFacts::default();
        let code = f.observe("WUAHandler.log", 1, "Unexpected HRESULT for downloading complete: 0x80d02002", &rec);
        assert_eq!(code, Some(0x80D02002));
        assert_eq!(f.client_content_failures.count, 1);
        assert!(f.scan_codes.is_empty());
    }
}
