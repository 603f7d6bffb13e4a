//! How a machine gets its updates, decided from all of its evidence before any code is read:
//! WSUS, Configuration Manager's software update point (WSUS underneath), Windows Update for
//! Business, unmanaged, or a mix. A WSUS rule means nothing on a machine that does not use WSUS.

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::facts::Facts;
use crate::formats::registry::{KeyRole, RegData};

/// The machine's management mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ManagementMode {
    /// WUServer with UseWUServer = 1, or the log's `WSUS server:` URL, or scans of the managed
    /// service.
    Wsus,
    /// WSUS as Configuration Manager's software update point (caller CcmExec).
    Configmgr,
    /// Windows Update for Business policies (deferrals, target release) without WSUS.
    Wufb,
    /// No update policy: the machine talks to Windows Update or Microsoft Update itself.
    Unmanaged,
    /// WSUS together with Windows Update for Business policies: both sources are scanned.
    Mixed,
    /// The evidence does not show how the machine is managed (server logs only, an excerpt).
    #[default]
    Unknown,
}

impl ManagementMode {
    pub fn id(self) -> &'static str {
        match self {
            ManagementMode::Wsus => "wsus",
            ManagementMode::Configmgr => "configmgr",
            ManagementMode::Wufb => "wufb",
            ManagementMode::Unmanaged => "unmanaged",
            ManagementMode::Mixed => "mixed",
            ManagementMode::Unknown => "unknown",
        }
    }

    /// The admin's words.
    pub fn label(self) -> &'static str {
        match self {
            ManagementMode::Wsus => "WSUS client",
            ManagementMode::Configmgr => "Configuration Manager (software update point, WSUS underneath)",
            ManagementMode::Wufb => "Windows Update for Business (no WSUS)",
            ManagementMode::Unmanaged => "not managed: gets updates from Windows Update / Microsoft Update directly",
            ManagementMode::Mixed => "WSUS plus Windows Update for Business policies (both sources scanned)",
            ManagementMode::Unknown => "not shown by the evidence",
        }
    }

    /// Whether WSUS client rules apply: the machine uses WSUS, or the evidence does not say.
    pub fn uses_wsus(self) -> bool {
        !matches!(self, ManagementMode::Wufb | ManagementMode::Unmanaged)
    }
}

/// The mode with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MachineMode {
    /// The machine folder, when several machines were diagnosed apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    pub mode: ManagementMode,
    /// Why, one reason a line, in the admin's words.
    pub because: Vec<String>,
    pub evidence: Vec<Evidence>,
}

impl MachineMode {
    /// `pc1: WSUS client (the policy names WUServer http://wsus01:8530 with UseWUServer = 1)`.
    pub fn summary(&self) -> String {
        let on = self.machine.as_deref().map(|m| format!("{m}: ")).unwrap_or_default();
        format!("{on}{} ({})", self.mode.label(), self.because.join("; "))
    }
}

/// Windows Update for Business policy values (with the pause and release pins). The first six,
/// the deferrals and the target release, are [`DUAL_SCAN_POLICIES`].
pub const WUFB_POLICIES: &[&str] = &[
    "DeferQualityUpdates",
    "DeferFeatureUpdates",
    "BranchReadinessLevel",
    "DeferQualityUpdatesPeriodInDays",
    "DeferFeatureUpdatesPeriodInDays",
    "TargetReleaseVersion",
    "TargetReleaseVersionInfo",
    "ProductVersion",
    "PauseQualityUpdatesStartTime",
    "PauseFeatureUpdatesStartTime",
    "DeferUpgrade",
    "DeferUpgradePeriod",
    "DeferUpdatePeriod",
    "ManagePreviewBuilds",
];

/// Windows Update for Business settings only the MDM Update CSP writes (PolicyManager), beside
/// the Group Policy names it shares (deferrals, target release, branch).
pub const MDM_ONLY_POLICIES: &[&str] = &["PauseQualityUpdates", "PauseFeatureUpdates", "DeferUpdatePeriod", "DeferUpgradePeriod"];

/// The deferral and target-release policies that turn on dual scan on a WSUS client.
pub const DUAL_SCAN_POLICIES: &[&str] = WUFB_POLICIES.split_at(6).0;

/// The evidence that "Remove access to use all Windows Update features" is in force: the policy
/// value DisableWindowsUpdateAccess = 1, or the client log's `Windows Update access disabled: Yes`.
/// The registry wins when both are given (the log may be older than a policy change).
pub fn update_access_disabled(f: &Facts) -> Option<Evidence> {
    // the Update CSP's AllowUpdateService = 0 shuts out the same services
    if let Some(v) = f.registry.reg(KeyRole::MdmPolicy, "AllowUpdateService").filter(|v| v.value.as_u32() == Some(0)) {
        return Some(v.evidence.clone());
    }
    if let Some(v) = f.registry.reg(KeyRole::Policy, "DisableWindowsUpdateAccess") {
        return (v.value.as_u32() == Some(1)).then(|| v.evidence.clone());
    }
    if f.registry.missing_keys.contains_key(&KeyRole::Policy) {
        return None;
    }
    f.client.log_access_disabled.as_ref().filter(|s| s.value).map(|s| s.evidence.clone())
}

/// Decide the mode from the facts.
pub fn decide(f: &Facts) -> MachineMode {
    let mut because = Vec::new();
    let mut evidence = Vec::new();
    let reg = &f.registry;
    let text = |role, name| reg.reg(role, name).and_then(|v| v.value.as_text().map(|t| t.trim().to_string())).filter(|t| !t.is_empty());
    let reg_server = text(KeyRole::Policy, "WUServer");
    let use_wu_server = reg.reg(KeyRole::PolicyAu, "UseWUServer");
    let policy_missing = reg.missing_keys.get(&KeyRole::Policy);
    let wufb: Vec<&crate::facts::Seen<RegData>> = WUFB_POLICIES
        .iter()
        .chain(MDM_ONLY_POLICIES)
        .filter_map(|n| reg.reg(KeyRole::Policy, n).or_else(|| reg.reg(KeyRole::PolicyAu, n)).or_else(|| reg.reg(KeyRole::MdmPolicy, n)))
        .filter(|v| !matches!(v.value, RegData::Dword(0)) && v.value.as_text().is_none_or(|t| !t.trim().is_empty()))
        .collect();

    let mut wsus = false;
    let mut not_wsus = false;
    if let Some(s) = &reg_server {
        let on = use_wu_server.and_then(|v| v.value.as_u32()) == Some(1);
        if let Some(v) = reg.reg(KeyRole::Policy, "WUServer") {
            evidence.push(v.evidence.clone());
        }
        // with UseWUServer not 1 WSUS is still what was meant: usewuserver-off says why it is unused
        wsus = true;
        because.push(match use_wu_server.map(|v| v.value.as_u32()) {
            _ if on => format!("the policy names WUServer {s} with UseWUServer = 1"),
            // a key exported without its AU subkey says nothing of UseWUServer
            None => format!("the policy names WUServer {s}; UseWUServer is not in the evidence (export the AU subkey too)"),
            Some(_) => format!("the policy names WUServer {s}, but UseWUServer is not 1"),
        });
    } else if let Some(v) = ["UseWUServer", "WUStatusServer", "TargetGroup"]
        .iter()
        .filter_map(|n| reg.reg(KeyRole::PolicyAu, n).or_else(|| reg.reg(KeyRole::Policy, n)))
        .find(|v| v.value.as_u32() == Some(1) || v.value.as_text().is_some_and(|t| !t.trim().is_empty()))
    {
        // WSUS values without WUServer: WSUS was meant (wuserver-missing says why it fails)
        wsus = true;
        evidence.push(v.evidence.clone());
        because.push("WSUS policy values are set (UseWUServer, WUStatusServer or TargetGroup) but WUServer is not".into());
    } else if let Some(v) = reg.reg(KeyRole::MdmPolicy, "UpdateServiceUrl").filter(|v| {
        v.value.as_text().is_some_and(|t| {
            let t = t.trim();
            !t.is_empty() && !t.eq_ignore_ascii_case("Microsoft Update")
        })
    }) {
        // the Update CSP's intranet server: WSUS set by MDM instead of Group Policy
        wsus = true;
        evidence.push(v.evidence.clone());
        because.push(format!("the MDM policy (PolicyManager) names the update server {}", v.value.as_text().unwrap_or_default().trim()));
    } else if let Some(ev) = policy_missing {
        not_wsus = true;
        evidence.push(ev.clone());
        because.push("the WindowsUpdate policy key does not exist".into());
    } else if let Some(ev) = policy_without_wsus(f) {
        // the key exported whole (several values, or its AU subkey too) and none of them is WSUS's
        not_wsus = true;
        evidence.push(ev);
        because.push(
            "the WindowsUpdate policy key is shown with its values, and none of them turns WSUS on (no WUServer URL, UseWUServer not 1)"
                .into(),
        );
    }
    match &f.client.log_wsus_server {
        Some(s) if s.value.as_deref().is_some_and(|v| !v.trim().is_empty()) && reg_server.is_none() => {
            wsus = true;
            because.push(format!("the client log names WSUS server {}", s.value.as_deref().unwrap_or_default()));
            evidence.push(s.evidence.clone());
        }
        Some(s) if s.value.as_deref().is_some_and(|v| !v.trim().is_empty()) => {}
        Some(s) if reg_server.is_none() => {
            not_wsus = true;
            because.push("the client log's configuration shows no WSUS server".into());
            evidence.push(s.evidence.clone());
        }
        _ => {}
    }
    // the agent's own service list: the WSUS service is registered only on a managed client
    match reg.wsus_service() {
        Some(s) if s.managed && !wsus => {
            wsus = true;
            because.push("the agent's service list has the WSUS service (3DA21691-...) registered as managed".into());
            evidence.push(s.evidence.clone());
        }
        None if reg.update_services.len() >= 2 && !wsus && reg_server.is_none() => {
            not_wsus = true;
            because.push("the agent's service list has no WSUS service, only Microsoft's".into());
            evidence.push(reg.update_services[0].evidence.clone());
        }
        _ => {}
    }
    if !f.client.wsus_scans.is_empty() && reg_server.is_none() && f.client.log_wsus_server.is_none() {
        wsus = true;
        because.push(format!("{} client log line(s) scan the managed (WSUS) service", f.client.wsus_scans.count));
        evidence.extend(f.client.wsus_scans.kept.iter().take(2).cloned());
    }
    let cm = &f.configmgr;
    let cm_client = cm.sup_url.is_some()
        || !cm.scans_ok.is_empty()
        || !cm.scan_codes.is_empty()
        || !cm.policy_overridden.is_empty()
        || !cm.gpo_unreadable.is_empty();
    if cm_client {
        wsus = true;
        match &cm.sup_url {
            Some(s) => {
                because.push(format!("Configuration Manager's logs name the software update point {}", s.value));
                evidence.push(s.evidence.clone());
            }
            None => because.push("Configuration Manager's client logs show scans against a software update point".into()),
        }
    }
    if !cm_client && cm.records > 0 {
        because.push(if cm.client_records > 0 {
            "Configuration Manager's client logs are given (its software update point runs WSUS)".into()
        } else {
            "Configuration Manager's site server logs are given (its software update point runs WSUS)".into()
        });
    }
    let configmgr = !f.client.configmgr_calls.is_empty() || cm.records > 0;
    if !f.client.configmgr_calls.is_empty() {
        because
            .push(format!("{} client log line(s) show Configuration Manager (CcmExec) driving the scans", f.client.configmgr_calls.count));
        evidence.extend(f.client.configmgr_calls.kept.iter().take(1).cloned());
    }
    if !wufb.is_empty() {
        let names: Vec<&str> = WUFB_POLICIES
            .iter()
            .chain(MDM_ONLY_POLICIES)
            .copied()
            .filter(|n| reg.reg(KeyRole::Policy, n).or_else(|| reg.reg(KeyRole::PolicyAu, n)).is_some())
            .collect();
        let mdm: Vec<&str> = WUFB_POLICIES
            .iter()
            .chain(MDM_ONLY_POLICIES)
            .copied()
            .filter(|n| !names.contains(n) && reg.reg(KeyRole::MdmPolicy, n).is_some_and(|v| !matches!(v.value, RegData::Dword(0))))
            .collect();
        let mut said = Vec::new();
        if !names.is_empty() {
            said.push(names.join(", "));
        }
        if !mdm.is_empty() {
            said.push(format!("by MDM (Intune): {}", mdm.join(", ")));
        }
        because.push(format!("Windows Update for Business policies are set ({})", said.join("; ")));
        evidence.extend(wufb.iter().take(2).map(|v| v.evidence.clone()));
    }
    if !wsus && !not_wsus && !f.client.public_service_scans.is_empty() && reg_server.is_none() {
        not_wsus = true;
        because.push("the client log's scans go to Windows Update or Microsoft Update and name no WSUS server".into());
        evidence.extend(f.client.public_service_scans.kept.iter().take(1).cloned());
    }
    let mode = if wsus && configmgr {
        ManagementMode::Configmgr
    } else if wsus && !wufb.is_empty() {
        ManagementMode::Mixed
    } else if wsus {
        ManagementMode::Wsus
    } else if configmgr {
        // CcmExec drives the scans: a software update point is meant even if its policy is not shown
        ManagementMode::Configmgr
    } else if !wufb.is_empty() {
        ManagementMode::Wufb
    } else if not_wsus {
        ManagementMode::Unmanaged
    } else {
        ManagementMode::Unknown
    };
    if matches!(mode, ManagementMode::Unmanaged | ManagementMode::Wufb) {
        if let Some(ev) = update_access_disabled(f) {
            // Windows Update for Business needs Windows Update too: with access turned off, nothing is left
            let name =
                if ev.text.contains("AllowUpdateService") { "the MDM policy AllowUpdateService = 0" } else { "DisableWindowsUpdateAccess" };
            because.push(format!("but Windows Update access is turned off by policy ({name}), so it reaches no update service"));
            evidence.insert(0, ev);
        }
    }
    if mode == ManagementMode::Unknown {
        because.push("no policy, configuration block or scan in the evidence says which service the machine uses".into());
    }
    evidence.truncate(crate::rules::MAX_EVIDENCE);
    MachineMode { machine: None, mode, because, evidence }
}

/// The policy key's line when the export plainly shows the whole key: two or more values under
/// it, or values under its AU subkey (a `reg query /v` of one value proves nothing of the rest).
fn policy_without_wsus(f: &Facts) -> Option<Evidence> {
    let reg = &f.registry;
    let under = |role| reg.values.keys().filter(|(r, _)| *r == role).count();
    if under(KeyRole::Policy) >= 2 || under(KeyRole::PolicyAu) >= 1 {
        reg.keys.get(&KeyRole::Policy).or_else(|| reg.keys.get(&KeyRole::PolicyAu)).cloned()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{diagnose, Input};

    fn because(reg: &str) -> String {
        let r = diagnose(&[Input { name: "policy.txt", bytes: reg.as_bytes(), kind: None }]);
        r.modes.iter().flat_map(|m| m.because.clone()).collect::<Vec<_>>().join(" | ")
    }

    /// A policy exported without its AU subkey shows WUServer but says nothing of UseWUServer.
    #[test]
    fn use_wu_server_missing_is_not_said_to_be_off() {
        let key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n    WUServer    REG_SZ    http://wsus01:8530\r\n    WUStatusServer    REG_SZ    http://wsus01:8530\r\n";
        assert!(because(key).contains("UseWUServer is not in the evidence"), "{}", because(key));
        let off = format!("{key}\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\r\n    UseWUServer    REG_DWORD    0x0\r\n");
        assert!(because(&off).contains("but UseWUServer is not 1"), "{}", because(&off));
        let on = off.replace("UseWUServer    REG_DWORD    0x0", "UseWUServer    REG_DWORD    0x1");
        assert!(because(&on).contains("with UseWUServer = 1"), "{}", because(&on));
    }
}
