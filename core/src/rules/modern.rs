//! Policy mistakes of Windows 10/11 clients managed by WSUS: a WUServer that cannot be a WSUS
//! server (left by "disable Windows Update" tweaks), and dual scan.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule, ServerUrl};
use crate::kind::InputKind::{Registry, WindowsupdateLog};
use crate::registry::{KeyRole, RegData};
use crate::report::{Evidence, Severity};

const POLICY_KEY: &str = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate";

/// Why a syntactically valid WUServer cannot be a WSUS server, if it cannot.
fn points_nowhere(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Some("it holds only spaces");
    }
    let host = ServerUrl::parse(v).map(|u| u.host.to_ascii_lowercase()).unwrap_or_else(|| v.to_ascii_lowercase());
    let host = host.trim_matches(['[', ']']);
    if host == "localhost" || host == "::1" || host.starts_with("127.") || host == "0.0.0.0" || host == "0" {
        return Some("it points at the client itself or at no address");
    }
    // a redacted or example name (`SUP01.corp.example.net`, `SERVERNAME`, `<server>`, `xxx`) is
    // how admins share a real server: only the loopback, blank and "any" addresses point nowhere
    None
}

fn policy_dword(ctx: &Context, role: KeyRole, name: &str) -> Option<(u32, Evidence)> {
    let v = ctx.facts.registry.reg(role, name)?;
    match v.value {
        RegData::Dword(d) => Some((d, v.evidence.clone())),
        _ => None,
    }
}

pub static WUSERVER_POINTS_NOWHERE: Rule = Rule {
    id: "wuserver-points-nowhere",
    example: super::example!("wuserver-points-nowhere"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "WUServer points nowhere: updates are blocked, on purpose or by a leftover",
    needs: &[Registry, WindowsupdateLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "\"Disable Windows Update\" tweaks and half-removed management tools set WUServer to localhost, 127.0.0.1, 0.0.0.0 or a blank, with UseWUServer=1 and often DoNotConnectToWindowsUpdateInternetLocations=1: the client then scans a server that cannot exist and gets no updates at all, from WSUS or from Microsoft. The URL is well formed, so nothing else complains.",
    check: |ctx| {
        let from_reg = ctx.facts.registry.reg(KeyRole::Policy, "WUServer").map(|v| (v.value.as_text().map(str::to_string), v.evidence.clone()));
        let from_log = ctx.facts.client.log_wsus_server.as_ref().map(|s| (s.value.clone(), s.evidence.clone()));
        let Some((value, ev)) = from_reg.or(from_log) else {
            return Outcome::NotRun(format!("the evidence does not show WUServer: export {POLICY_KEY} (reg query /s) or include the log's \"WSUS server:\" configuration lines"));
        };
        let Some(value) = value else { return Outcome::Passed };
        // UseWUServer = 0: the client does not use WUServer at all, whatever it holds
        if super::policy::use_wu_server_off(ctx) {
            return Outcome::Passed;
        }
        let Some(why) = points_nowhere(&value) else { return Outcome::Passed };
        let mut detail = format!("WUServer is '{value}': {why}.");
        let mut evidence = vec![ev];
        let mut blockers = Vec::new();
        for (role, name) in [(KeyRole::Policy, "DoNotConnectToWindowsUpdateInternetLocations"), (KeyRole::Policy, "DisableWindowsUpdateAccess"), (KeyRole::PolicyAu, "UseWUServer")] {
            if let Some((1, e)) = policy_dword(ctx, role, name) {
                blockers.push(name);
                evidence.push(e);
            }
        }
        if !blockers.is_empty() {
            detail.push_str(&format!(" Together with {} = 1 the client gets no updates from anywhere.", blockers.join(", ")));
        }
        let url = ctx.server.as_ref().filter(|s| points_nowhere(&s.url).is_none()).map(|s| s.url.clone()).unwrap_or_else(|| "http://<your WSUS server>:8530".into());
        let remedy = vec![
            "Find out who set it: `gpresult /h gp.html` on the client shows whether a Group Policy object does (then fix it there); if no GPO does, a local tweak or tool left it.".to_string(),
            format!("If the client should use WSUS: set WUServer and WUStatusServer to the real server ({url}) in the GPO \"Specify intranet Microsoft update service location\"."),
            format!("If it should use Windows Update directly: remove the leftovers, `reg delete \"{POLICY_KEY}\" /v WUServer /f`, the same for WUStatusServer, DoNotConnectToWindowsUpdateInternetLocations and DisableWindowsUpdateAccess, and `reg delete \"{POLICY_KEY}\\AU\" /v UseWUServer /f`."),
            ctx.restart_service(),
            ctx.detect_now(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(evidence), remedy })
    },
};

use crate::formats::update_services::PUBLIC_SERVICES;

/// Windows Update for Business deferral policies: on a WSUS client they turn on dual scan.
const DEFERRALS: &[&str] = crate::mode::DUAL_SCAN_POLICIES;

pub static DUAL_SCAN: Rule = Rule {
    id: "dual-scan",
    example: super::example!("dual-scan"),
    caused_by: &[&super::scansource::SCAN_SOURCE_INCOMPLETE],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "Dual scan: the WSUS client also scans Windows Update",
    needs: &[Registry, WindowsupdateLog],
    article: Article::DualScan,
    explain: "A Windows 10/11 client with WUServer and UseWUServer=1 that also gets Windows Update for Business deferral policies (DeferQualityUpdates, DeferFeatureUpdates, BranchReadinessLevel...) scans Microsoft's service for Windows updates and WSUS for the rest: updates you declined in WSUS install anyway, and the console shows clients as not needing what they installed from the internet. DisableDualScan=1 (Windows 10 1607-2004) or the \"Specify source service for specific classes of Windows Updates\" policies (SetPolicyDrivenUpdateSourceFor*, 2004 and later) keep the client on WSUS.",
    check: |ctx| {
        let f = ctx.facts;
        let managed = f.registry.reg(KeyRole::Policy, "WUServer").is_some_and(|v| v.value.as_text().is_some_and(|t| !t.trim().is_empty()))
            && policy_dword(ctx, KeyRole::PolicyAu, "UseWUServer").is_some_and(|(d, _)| d == 1);
        let log_scans = &f.client.public_service_scans;
        let deferrals: Vec<Evidence> = DEFERRALS
            .iter()
            .filter_map(|n| f.registry.reg(KeyRole::Policy, n).or_else(|| f.registry.reg(KeyRole::PolicyAu, n)).or_else(|| f.registry.reg(KeyRole::MdmPolicy, n)))
            .filter(|v| !matches!(v.value, RegData::Dword(0)))
            .map(|v| v.evidence.clone())
            .collect();
        let disabled = policy_dword(ctx, KeyRole::Policy, "DisableDualScan").is_some_and(|(d, _)| d == 1)
            // scan source: 1 = WSUS, 0 = Windows Update (the deferred classes must be WSUS's)
            || ["Quality", "Feature"].iter().all(|k| policy_dword(ctx, KeyRole::Policy, &format!("SetPolicyDrivenUpdateSourceFor{k}Updates")).is_some_and(|(d, _)| d == 1));
        if !f.has(Registry) && log_scans.is_empty() {
            return Outcome::Passed;
        }
        let by_policy = managed && !deferrals.is_empty() && !disabled;
        let by_log = !log_scans.is_empty() && (managed || ctx.server.is_some());
        // the service list: WSUS registered, yet Microsoft's service is Automatic Updates' default
        let public_default = f
            .registry
            .wsus_service()
            .filter(|s| s.managed && !s.default_au)
            .and_then(|_| f.registry.update_services.iter().find(|s| s.default_au && PUBLIC_SERVICES.contains(&s.id.as_str())));
        if !by_policy && !by_log && public_default.is_none() {
            return Outcome::Passed;
        }
        let mut detail = Vec::new();
        let mut evidence = Vec::new();
        if by_policy {
            detail.push(format!("The client is managed by WSUS (WUServer, UseWUServer = 1) and has {} Windows Update for Business deferral value(s), without DisableDualScan = 1 or the SetPolicyDrivenUpdateSourceFor* policies.", deferrals.len()));
            evidence.extend(deferrals);
        }
        if by_log {
            detail.push(format!("The client log shows {} scan line(s) naming the Windows Update or Microsoft Update service, not WSUS.", log_scans.count));
            evidence.extend(log_scans.kept.iter().cloned());
        }
        if let Some(s) = public_default {
            detail.push(format!(
                "The agent's service list has the WSUS service registered as managed, but {} ({}) is the default service of Automatic Updates: scans for Windows updates go there, not to WSUS.",
                if s.id == PUBLIC_SERVICES[0] { "Windows Update" } else { "Microsoft Update" },
                s.id.to_ascii_uppercase()
            ));
            evidence.extend(f.registry.wsus_service().map(|w| w.evidence.clone()));
            evidence.push(s.evidence.clone());
        }
        let remedy = vec![
            "Windows 10 2004 and later (and Windows 11): in the GPO, Windows Update > Manage updates offered from Windows Server Update Service > \"Specify source service for specific classes of Windows Updates\": set Feature, Quality, Driver and Other updates to Windows Server Update Service (SetPolicyDrivenUpdateSourceFor*Updates = 1, with UseUpdateClassPolicySource = 1).".to_string(),
            "Windows 10 1607 to 1909: enable \"Do not allow update deferral policies to cause scans against Windows Update\" (DisableDualScan = 1).".to_string(),
            "Or remove the Windows Update for Business deferral policies from WSUS-managed clients.".to_string(),
            "Run `gpupdate /force`, then restart the Windows Update service (`net stop wuauserv && net start wuauserv`) and scan again from Settings > Windows Update.".to_string(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};

/// The machine an input belongs to, as far as its name says: the folder it came in
/// (`pc1/...`, `bundle.zip/pc1/...`), else the input itself.
fn machine_of(input: &str) -> &str {
    match input.rfind('/') {
        Some(i) => &input[..i],
        None => input,
    }
}

pub static DUPLICATE_CLIENT_ID: Rule = Rule {
    id: "duplicate-client-id",
    example: super::example!("duplicate-client-id"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Several machines share one SusClientId (cloned images): the console shows only one",
    needs: &[Registry],
    article: Article::WsusConnectionTroubleshooting,
    explain: "WSUS tells clients apart by SusClientId (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate). Machines cloned from an image that had already talked to WSUS keep the same id: they overwrite each other in the console, which shows one of them at a time, and reports come and go. Each clone needs a new id.",
    check: |ctx: &Context| {
        let ids = &ctx.facts.registry.client_ids;
        if ids.is_empty() {
            return Outcome::NotRun(r"the registry evidence has no SusClientId: export HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate of each machine".into());
        }
        let mut dupes: Vec<(&str, Vec<&Evidence>)> = Vec::new();
        for s in ids {
            let machines: Vec<&Evidence> = ids.iter().filter(|o| o.value == s.value).map(|o| &o.evidence).collect();
            let distinct: std::collections::BTreeSet<&str> = machines.iter().map(|e| machine_of(&e.input)).collect();
            if distinct.len() > 1 && !dupes.iter().any(|(v, _)| *v == s.value) {
                dupes.push((&s.value, machines));
            }
        }
        if dupes.is_empty() {
            return Outcome::Passed;
        }
        let mut detail: Vec<String> = dupes
            .iter()
            .map(|(id, ev)| {
                let m: std::collections::BTreeSet<&str> = ev.iter().map(|e| machine_of(&e.input)).collect();
                format!("SusClientId {{{id}}} is the same on {} machines: {}.", m.len(), m.into_iter().collect::<Vec<_>>().join(", "))
            })
            .collect();
        if ctx.facts.registry.client_ids_cut > 0 {
            detail.push(format!(
                "{} further input(s) with a SusClientId were not compared (only {} are).",
                ctx.facts.registry.client_ids_cut,
                crate::facts::MAX_CLIENT_IDS
            ));
        }
        let remedy = vec![
            "On each cloned machine (not the original), in an elevated prompt: `net stop wuauserv`, then `reg delete \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\" /v SusClientId /f` and `reg delete \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\" /v SusClientIDValidation /f`, then `net start wuauserv`.".to_string(),
            ctx.detect_now(),
            "For future images: run `sysprep /generalize` before capturing them, or delete those two values in the image.".to_string(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence: take_evidence(dupes.iter().flat_map(|(_, e)| e.iter().map(|x| (*x).clone()))), remedy })
    },
};

const FEATURE_UPDATES_NEVER_OFFERED: Article = Article::Page {
    short: "Windows feature updates are never offered (Intune)",
    reference: "Microsoft Learn: Troubleshoot Windows feature updates that are never offered, https://learn.microsoft.com/troubleshoot/mem/intune/device-configuration/windows-feature-updates-never-offered",
};

/// The agent's device-ticket failure: `*FAILED* [80070426] Method failed [AuthTicketHelper::GetDeviceTickets]`.
fn is_ticket_failure(text: &str) -> bool {
    text.contains("Ticket") || text.contains("wlidsvc")
}

pub static SIGN_IN_ASSISTANT_DISABLED: Rule = Rule {
    id: "sign-in-assistant-disabled",
    example: super::example!("sign-in-assistant-disabled"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "Scans that need a device ticket fail: the Microsoft Account Sign-in Assistant is off (0x80070426)",
    needs: &[WindowsupdateLog],
    article: FEATURE_UPDATES_NEVER_OFFERED,
    explain: "Before it scans the services that carry feature updates and other offers (DCAT, `855E8A7C-...`), the agent asks the Microsoft Account Sign-in Assistant (wlidsvc) for a device ticket. With that service disabled, often by an Intune device restriction or a hardening baseline, the ticket call fails with 0x80070426 (ERROR_SERVICE_NOT_ACTIVE) and feature updates are never offered, while quality updates still come. It concerns machines that get feature updates from Microsoft (Windows Update for Business); a WSUS client gets them from WSUS.",
    check: |ctx| {
        let f = &ctx.facts.client;
        let occurrences: Vec<&crate::facts::Occurrences> =
            f.codes.get(&0x80070426).into_iter().chain(f.other_services.values().filter_map(|s| s.codes.get(&0x80070426))).collect();
        let hits: Vec<&crate::facts::Occurrences> = occurrences.iter().copied().filter(|o| is_ticket_failure(&o.first.text) || is_ticket_failure(&o.last.text)).collect();
        if hits.is_empty() {
            return Outcome::Passed;
        }
        let count: u64 = hits.iter().map(|o| o.count).sum();
        let mut detail = format!("{count} call(s) for a device ticket failed with 0x80070426 ERROR_SERVICE_NOT_ACTIVE: the Microsoft Account Sign-in Assistant service is not running, so the scans that need the ticket (feature updates through DCAT) fail.");
        if ctx.mode.mode.uses_wsus() && ctx.mode.mode != crate::mode::ManagementMode::Unknown {
            detail.push_str(" This machine uses WSUS, which serves its feature updates itself: this matters only for what it gets from Microsoft (the Store, or feature updates if dual scan is on).");
        }
        let remedy = vec![
            "Find what disabled the service: `sc qc wlidsvc` shows its start type; Intune's device restriction \"Microsoft Account sign-in assistant\" set to Disabled, or a security baseline, does this.".to_string(),
            "In the Intune profile set \"Microsoft Account sign-in assistant\" to Not configured (this does not allow Microsoft accounts to sign in; blocking them is a separate setting), or on the machine `sc config wlidsvc start= demand`.".to_string(),
            ctx.detect_now(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(hits.iter().map(|o| o.first.clone())), remedy })
    },
};
