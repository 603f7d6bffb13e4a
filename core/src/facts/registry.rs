//! Facts from the client's registry: policy and Automatic Updates values, keys seen or missing.

use std::collections::HashMap;

use super::{Seen, KEEP};
use crate::evidence::Evidence;

// ---- The registry vocabulary: what a value holds and which key it belongs to

/// A registry value's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegData {
    Sz(String),
    ExpandSz(String),
    MultiSz(Vec<String>),
    Dword(u32),
    Qword(u64),
    Binary(Vec<u8>),
    /// `"Name"=-` in a .reg file.
    Deleted,
}

impl RegData {
    /// The value as text, the way an admin would say it (`1`, `http://wsus01`).
    pub fn display(&self) -> String {
        match self {
            RegData::Sz(s) | RegData::ExpandSz(s) => s.clone(),
            RegData::MultiSz(v) => v.join("; "),
            RegData::Dword(n) => n.to_string(),
            RegData::Qword(n) => n.to_string(),
            RegData::Binary(b) => b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(","),
            RegData::Deleted => "(deleted)".to_string(),
        }
    }

    pub fn as_u32(&self) -> Option<u32> {
        match self {
            RegData::Dword(n) => Some(*n),
            RegData::Qword(n) => u32::try_from(*n).ok(),
            RegData::Sz(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            RegData::Sz(s) | RegData::ExpandSz(s) => Some(s),
            _ => None,
        }
    }
}

/// The keys WSUS Doctor knows, by what they mean to a WSUS admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// `HKLM\Software\Policies\Microsoft\Windows\WindowsUpdate`
    Policy,
    /// `...\Policies\Microsoft\Windows\WindowsUpdate\AU`
    PolicyAu,
    /// `HKLM\Software\Microsoft\PolicyManager\current\device\Update`: the policies an MDM
    /// (Intune) set through the Update CSP, in force beside (not inside) the Group Policy key.
    MdmPolicy,
    /// `HKLM\Software\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update`
    AutoUpdateState,
    /// `HKLM\Software\Microsoft\Windows\CurrentVersion\WindowsUpdate` (client identity)
    ClientIdentity,
    /// `HKLM\Software\Microsoft\Windows NT\CurrentVersion` (OS name and build)
    WindowsVersion,
    Other,
}

/// Canonical upper-case `HKLM\...` form; the 32-bit view (`Wow6432Node`) maps onto the same key.
pub fn normalise_key(path: &str) -> String {
    // byte-wise, one allocation: this runs for every key line of an export (a million-key
    // export must not cost a million substring searchers)
    let mut p = path.trim().trim_matches(['[', ']', '"', '\'']);
    if let Some(i) = memchr::memchr_iter(b':', p.as_bytes()).find(|&i| p.as_bytes().get(i + 1) == Some(&b':')) {
        p = &p[i + 2..];
    }
    let mut b = p.as_bytes().to_vec();
    for c in &mut b {
        if *c == b'/' {
            *c = b'\\';
        } else {
            c.make_ascii_uppercase();
        }
    }
    for (long, short) in
        [(&b"HKEY_LOCAL_MACHINE"[..], &b"HKLM"[..]), (b"HKLM:", b"HKLM"), (b"HKEY_CURRENT_USER", b"HKCU"), (b"HKCU:", b"HKCU")]
    {
        if b.starts_with(long) {
            b.splice(..long.len(), short.iter().copied());
        }
    }
    static WOW: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let wow = WOW.get_or_init(|| memchr::memmem::Finder::new(b"\\WOW6432NODE"));
    while let Some(i) = wow.find(&b) {
        b.drain(i..i + 12);
    }
    while b.last() == Some(&b'\\') {
        b.pop();
    }
    // only ASCII bytes were changed or removed whole, so this is still UTF-8
    String::from_utf8(b).unwrap_or_default()
}

pub fn key_role(normalised: &str) -> KeyRole {
    match normalised {
        "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE" => KeyRole::Policy,
        "HKLM\\SOFTWARE\\POLICIES\\MICROSOFT\\WINDOWS\\WINDOWSUPDATE\\AU" => KeyRole::PolicyAu,
        "HKLM\\SOFTWARE\\MICROSOFT\\POLICYMANAGER\\CURRENT\\DEVICE\\UPDATE" => KeyRole::MdmPolicy,
        "HKLM\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\WINDOWSUPDATE\\AUTO UPDATE" => KeyRole::AutoUpdateState,
        "HKLM\\SOFTWARE\\MICROSOFT\\WINDOWS\\CURRENTVERSION\\WINDOWSUPDATE" => KeyRole::ClientIdentity,
        "HKLM\\SOFTWARE\\MICROSOFT\\WINDOWS NT\\CURRENTVERSION" => KeyRole::WindowsVersion,
        _ => KeyRole::Other,
    }
}

/// Where a value with this name lives, for output that lost its key (PowerShell, partial pastes).
pub fn role_of_value_name(name: &str) -> Option<KeyRole> {
    const POLICY: &[&str] = &[
        "WUServer",
        "WUStatusServer",
        "TargetGroup",
        "TargetGroupEnabled",
        "ElevateNonAdmins",
        "DoNotConnectToWindowsUpdateInternetLocations",
        "DisableWindowsUpdateAccess",
        "UpdateServiceUrlAlternate",
        "DisableDualScan",
        "DeferQualityUpdates",
        "DeferQualityUpdatesPeriodInDays",
        "DeferFeatureUpdates",
        "DeferFeatureUpdatesPeriodInDays",
        "BranchReadinessLevel",
        "PauseQualityUpdatesStartTime",
        "PauseFeatureUpdatesStartTime",
        "TargetReleaseVersion",
        "SetPolicyDrivenUpdateSourceForQualityUpdates",
        "SetPolicyDrivenUpdateSourceForFeatureUpdates",
        "SetPolicyDrivenUpdateSourceForDriverUpdates",
        "SetPolicyDrivenUpdateSourceForOtherUpdates",
        "SetProxyBehaviorForUpdateDetection",
        "TargetReleaseVersionInfo",
        "ProductVersion",
        "ManagePreviewBuilds",
        "ManagePreviewBuildsPolicyValue",
        "DeferUpgrade",
        "DeferUpgradePeriod",
        "DeferUpdatePeriod",
        "UseUpdateClassPolicySource",
        "AllowOptionalContent",
    ];
    const AU: &[&str] = &[
        "UseWUServer",
        "NoAutoUpdate",
        "ScheduledInstallDay",
        "ScheduledInstallTime",
        "DetectionFrequency",
        "DetectionFrequencyEnabled",
        "RescheduleWaitTime",
        "RescheduleWaitTimeEnabled",
        "NoAutoRebootWithLoggedOnUsers",
        "AutoInstallMinorUpdates",
    ];
    const STATE: &[&str] = &["AUState", "LastWaitTimeout", "DetectionStartTime", "NextDetectionTime"];
    const IDENTITY: &[&str] = &["SusClientId", "SusClientIDValidation", "PingID", "AccountDomainSid"];
    const OS: &[&str] = &["ProductName", "CurrentBuildNumber", "CSDVersion", "CurrentBuild", "UBR", "InstallationType"];
    let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
    if is(POLICY) {
        Some(KeyRole::Policy)
    } else if is(AU) {
        Some(KeyRole::PolicyAu)
    } else if is(STATE) {
        Some(KeyRole::AutoUpdateState)
    } else if is(IDENTITY) {
        Some(KeyRole::ClientIdentity)
    } else if is(OS) {
        Some(KeyRole::WindowsVersion)
    } else {
        None
    }
}

/// One value read from the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegValue {
    /// Normalised key path, or empty when the paste did not say.
    pub key: String,
    pub name: String,
    pub data: RegData,
    /// The line the value starts on (continued hex values span several lines).
    pub line: u64,
}

// ---- The facts

/// What the registry evidence says.
#[derive(Debug, Default, Clone)]
pub struct RegistryFacts {
    pub keys: HashMap<KeyRole, Evidence>,
    pub missing_keys: HashMap<KeyRole, Evidence>,
    pub values: HashMap<(KeyRole, String), Seen<RegData>>,
    /// Unknown value names under the policy keys (misspellings like `WUSatusServer`).
    pub unknown_policy_names: Vec<Seen<String>>,
    /// `netsh winhttp show proxy`: the proxy (`None`: direct access), and its bypass list.
    pub winhttp_proxy: Option<Seen<Option<String>>>,
    pub winhttp_bypass: Option<Seen<String>>,
    /// The agent's registered update services (`Get-WUServiceManager`), at most
    /// [`MAX_UPDATE_SERVICES`]; a service listed twice keeps its last reading.
    pub update_services: Vec<RegisteredService>,
    pub update_services_cut: u64,
    /// Every SusClientId seen, with the input it came from (one per input; capped).
    pub client_ids: Vec<Seen<String>>,
    /// Inputs with a SusClientId past [`MAX_CLIENT_IDS`] (not compared).
    pub client_ids_cut: u64,
    /// Values of names no rule reads, past [`MAX_VALUES`]: counted, not kept.
    pub values_cut: u64,
}

pub use crate::caps::MAX_VALUES;

pub use crate::caps::MAX_UPDATE_SERVICES;

/// One registered update service as the service manager lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredService {
    /// Lower case, without braces.
    pub id: String,
    pub managed: bool,
    /// The default service of Automatic Updates.
    pub default_au: bool,
    pub evidence: Evidence,
}

impl RegistryFacts {
    /// Keep one service; false when the list is full and it was cut.
    pub fn observe_service(&mut self, s: RegisteredService) -> bool {
        if let Some(old) = self.update_services.iter_mut().find(|o| o.id == s.id) {
            *old = s;
        } else if self.update_services.len() < MAX_UPDATE_SERVICES {
            self.update_services.push(s);
        } else {
            self.update_services_cut += 1;
            return false;
        }
        true
    }

    /// The WSUS service, if the list has it.
    pub fn wsus_service(&self) -> Option<&RegisteredService> {
        self.update_services.iter().find(|s| s.id == crate::formats::update_services::WSUS_SERVICE)
    }
}

pub use crate::caps::MAX_CLIENT_IDS;

impl RegistryFacts {
    /// Registry value by key role and name (case-insensitive name).
    pub fn reg(&self, role: KeyRole, name: &str) -> Option<&Seen<RegData>> {
        self.values.get(&(role, name.to_ascii_lowercase()))
    }

    /// A registry key line (the key is covered by the evidence).
    pub fn observe_key(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_missing(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.missing_keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_value(&mut self, input: &str, raw: &str, v: &RegValue) {
        let known = role_of_value_name(&v.name);
        let role = match key_role(&v.key) {
            KeyRole::Other if v.key.is_empty() => known.unwrap_or(KeyRole::Other),
            r => r,
        };
        if role == KeyRole::Other {
            return;
        }
        // built only where it is kept (past the value cap, most values keep nothing)
        let ev = || Evidence::new(input, v.line, raw);
        self.keys.entry(role).or_insert_with(ev);
        if matches!(role, KeyRole::Policy | KeyRole::PolicyAu) && known.is_none() && self.unknown_policy_names.len() < KEEP {
            self.unknown_policy_names.push(Seen { value: v.name.clone(), evidence: ev() });
        }
        if role == KeyRole::ClientIdentity && v.name.eq_ignore_ascii_case("SusClientId") {
            if let Some(id) = v.data.as_text().map(|t| t.trim().trim_matches(['{', '}']).to_ascii_uppercase()).filter(|t| !t.is_empty()) {
                if !self.client_ids.iter().any(|s| s.evidence.input == input) {
                    if self.client_ids.len() < MAX_CLIENT_IDS {
                        self.client_ids.push(Seen { value: id, evidence: ev() });
                    } else {
                        self.client_ids_cut += 1;
                    }
                }
            }
        }
        // a value given twice: the later one wins, as regedit would import it
        let k = (role, v.name.to_ascii_lowercase());
        if v.data == RegData::Deleted {
            self.values.remove(&k);
        } else if self.values.len() < MAX_VALUES || known.is_some() || self.values.contains_key(&k) {
            self.values.insert(k, Seen { value: v.data.clone(), evidence: ev() });
        } else {
            self.values_cut += 1;
        }
    }
}
