//! Client policy and Automatic Updates state in the registry (and the log's echo of them),
//! from "Automatic Updates Must Be Updated", section on the client's registry settings.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule, ServerUrl};
use crate::kind::InputKind::{Registry, WindowsupdateLog};
use crate::registry::{KeyRole, RegData};
use crate::report::{Evidence, Severity};
use crate::time::parse_registry_time;

const POLICY_KEY: &str = r"HKLM\Software\Policies\Microsoft\Windows\WindowsUpdate";
const AU_KEY: &str = r"HKLM\Software\Policies\Microsoft\Windows\WindowsUpdate\AU";
const STATE_KEY: &str = r"HKLM\Software\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update";

/// Where a setting came from: the registry (preferred) or the client log's configuration block.
struct Setting {
    value: Option<String>,
    evidence: Evidence,
}

/// WUServer as the evidence states it, or `None` when the evidence does not cover it.
fn wuserver(ctx: &Context) -> Option<Setting> {
    setting(ctx, "WUServer", ctx.facts.client.log_wsus_server.as_ref())
}

/// The registry's WUServer when it is present but empty or only spaces.
fn blank_wuserver(ctx: &Context) -> Option<Evidence> {
    let v = ctx.facts.registry.reg(KeyRole::Policy, "WUServer")?;
    v.value.as_text().filter(|t| t.trim().is_empty()).map(|_| v.evidence.clone())
}

/// UseWUServer is shown and is 0: whatever WUServer holds, the client does not use it.
pub(super) fn use_wu_server_off(ctx: &Context) -> bool {
    ctx.facts.registry.reg(KeyRole::PolicyAu, "UseWUServer").is_some_and(|v| v.value.as_u32() == Some(0))
}

fn wustatusserver(ctx: &Context) -> Option<Setting> {
    setting(ctx, "WUStatusServer", ctx.facts.client.log_wsus_status_server.as_ref())
}

fn setting(ctx: &Context, name: &str, from_log: Option<&crate::facts::Seen<Option<String>>>) -> Option<Setting> {
    let f = ctx.facts;
    if let Some(v) = f.registry.reg(KeyRole::Policy, name) {
        let text = v.value.as_text().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        return Some(Setting { value: text, evidence: v.evidence.clone() });
    }
    if let Some(ev) = f.registry.missing_keys.get(&KeyRole::Policy) {
        return Some(Setting { value: None, evidence: ev.clone() });
    }
    if let Some(ev) = policy_key_with_values(ctx) {
        return Some(Setting { value: None, evidence: ev });
    }
    from_log.map(|s| Setting { value: s.value.clone(), evidence: s.evidence.clone() })
}

/// The policy key's line, if the evidence shows the whole key (so an absent value is really
/// absent, not just not exported): two or more values under it, or its AU subkey's values too. A
/// single value is what `reg query ... /v WUServer` (or a script grepping for it) prints.
fn policy_key_with_values(ctx: &Context) -> Option<Evidence> {
    let f = ctx.facts;
    let under = |role| f.registry.values.keys().filter(|(r, _)| *r == role).count();
    let whole = under(KeyRole::Policy) >= 2 || (under(KeyRole::Policy) >= 1 && under(KeyRole::PolicyAu) >= 1);
    whole.then(|| f.registry.keys.get(&KeyRole::Policy).cloned()).flatten()
}

/// "Not run" when the registry and log given do not show a policy value at all.
fn not_shown(what: &str) -> Outcome {
    Outcome::NotRun(format!(
        "the evidence does not show {what}: export {POLICY_KEY} (reg query /s) or include the log's \"WSUS server:\" configuration lines"
    ))
}

fn misspelling_hint(ctx: &Context, wanted: &str) -> Option<(String, Evidence)> {
    ctx.facts.registry.unknown_policy_names.iter().find_map(|s| {
        (edit_distance(&s.value.to_ascii_lowercase(), &wanted.to_ascii_lowercase()) <= 2)
            .then(|| (format!("The value '{}' looks like a misspelling of {wanted}; Windows ignores it.", s.value), s.evidence.clone()))
    })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn set_server_steps(ctx: &Context) -> Vec<String> {
    let url = ctx.server_url();
    vec![
        format!("Prefer Group Policy: Computer Configuration > Administrative Templates > Windows Components > Windows Update > \"Specify intranet Microsoft update service location\": set both the update service and the statistics server to {url}, then run `gpupdate /force` on the client."),
        format!("Without Group Policy, open regedit on the client and go to {POLICY_KEY} (create the WindowsUpdate key if it is missing)."),
        format!("Create or edit the string value WUServer = {url} (the full URL with http:// or https:// and the port WSUS listens on)."),
        format!("Create or edit the string value WUStatusServer = {url} (the same server)."),
        format!("Under {AU_KEY} (create AU if missing) make sure the DWORD UseWUServer is 1."),
        ctx.restart_service(),
        ctx.detect_now(),
    ]
}

pub static WUSERVER_MISSING: Rule = Rule {
    id: "wuserver-missing",
    example: super::example!("wuserver-missing"),
    caused_by: &[&super::modern::WUSERVER_POINTS_NOWHERE, &NO_UPDATE_SOURCE],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The client has no WSUS server configured (WUServer)",
    needs: &[Registry, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "Without the WindowsUpdate policy key and a WUServer value, Automatic Updates never contacts WSUS: the client talks to Microsoft Update or to nothing. The log's configuration block shows the same thing as `WSUS server: <NULL>` (classic) or `(null)` (Windows 10).",
    check: |ctx| {
        let Some(s) = wuserver(ctx) else {
            return Outcome::NotRun(format!("the evidence does not show the policy key: export {POLICY_KEY} (reg query /s) or include the log's \"WSUS server:\" configuration lines"));
        };
        if s.value.is_some() || (blank_wuserver(ctx).is_some() && !use_wu_server_off(ctx)) {
            return Outcome::Passed; // a blank value is there but unusable: wuserver-invalid says so
        }
        let mut detail = if ctx.facts.registry.missing_keys.contains_key(&KeyRole::Policy) {
            format!("The policy key {POLICY_KEY} does not exist on this client, so no WSUS server is configured.")
        } else if s.evidence.text.contains("NULL") || s.evidence.text.contains("(null)") {
            "The client log's configuration block shows no WSUS server: the agent read no WUServer policy when it started.".to_string()
        } else {
            format!("The policy key {POLICY_KEY} has no usable WUServer value.")
        };
        let mut evidence = vec![s.evidence];
        let misspelt = misspelling_hint(ctx, "WUServer");
        if let Some((hint, ev)) = &misspelt {
            detail.push(' ');
            detail.push_str(hint);
            evidence.push(ev.clone());
        }
        // a machine that evidently does not use WSUS is told so, not blamed
        if !ctx.mode.mode.uses_wsus() && misspelt.is_none() {
            let blocked = crate::mode::update_access_disabled(ctx.facts).is_some();
            let detail = format!(
                "This machine is not a WSUS client ({}: {}). {detail} {}",
                ctx.mode.mode.label(),
                ctx.mode.because.join("; "),
                if blocked {
                    "With Windows Update turned off as well it gets no updates at all (finding no-update-source); the steps below are for making it a WSUS client instead."
                } else {
                    "Nothing needs fixing if that is intended; the steps below are only for making it a WSUS client."
                }
            );
            let mut remedy = vec![if blocked {
                "If the machine should get its updates from Microsoft, lift the policy that turns Windows Update off (see no-update-source) and set nothing here.".to_string()
            } else {
                "If the machine should get its updates from Microsoft (Windows Update or Windows Update for Business), leave it as it is.".to_string()
            }];
            remedy.extend(set_server_steps(ctx));
            evidence.extend(ctx.mode.evidence.iter().cloned());
            return Outcome::Fired(Diagnosis { severity: Some(crate::report::Severity::Info), detail, evidence: take_evidence(evidence), remedy });
        }
        Outcome::Fired(Diagnosis { severity: None, detail, evidence, remedy: set_server_steps(ctx) })
    },
};

const ERROR_8024002E: Article = Article::Page {
    short: "Troubleshoot Windows Update error 0x8024002E",
    reference: "Microsoft Learn: Windows Update error 0x8024002E (WU_E_WU_DISABLED), https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/troubleshoot-windows-update-error-0x8024002e",
};

/// WU_E_WU_DISABLED and WU_E_CALL_CANCELLED_BY_POLICY: the agent refused to reach Microsoft.
const ACCESS_DISABLED_CODES: [u32; 2] = [0x8024002E, 0x8024002F];

pub static NO_UPDATE_SOURCE: Rule = Rule {
    id: "no-update-source",
    example: super::example!("no-update-source"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "No update source: Windows Update is turned off by policy and no WSUS server is set",
    needs: &[Registry, WindowsupdateLog],
    article: ERROR_8024002E,
    explain: "\"Remove access to use all Windows Update features\" (DisableWindowsUpdateAccess = 1) forbids the agent to contact Windows Update or Microsoft Update. On a WSUS client that is a common hardening step; on a machine with no WSUS server (unmanaged, or Windows Update for Business, which needs Microsoft's service too) it leaves nothing to scan: every search ends in 0x8024002E (WU_E_WU_DISABLED), and Azure's guest patching and Settings report the machine as unable to detect updates. The client log's configuration block says `Windows Update access disabled: Yes`.",
    check: |ctx| {
        let f = ctx.facts;
        let blocked = if ctx.mode.mode.uses_wsus() { None } else { crate::mode::update_access_disabled(f) };
        let Some(blocked) = blocked else {
            let shown = f.registry.reg(KeyRole::Policy, "DisableWindowsUpdateAccess").is_some()
                || policy_key_with_values(ctx).is_some()
                || f.registry.missing_keys.contains_key(&KeyRole::Policy)
                || f.client.log_access_disabled.is_some()
                || f.client.log_wsus_server.is_some();
            return if shown {
                Outcome::Passed
            } else {
                Outcome::NotRun(format!("the evidence does not show the policy: export {POLICY_KEY} (reg query /s) or include the log's configuration block (\"Windows Update access disabled:\")"))
            };
        };
        let by_mdm = blocked.text.contains("AllowUpdateService");
        let mut evidence = vec![blocked];
        if let Some(s) = wuserver(ctx) {
            evidence.push(s.evidence);
        }
        let mut refused = 0u64;
        for code in ACCESS_DISABLED_CODES {
            if let Some(o) = f.client.codes.get(&code) {
                refused += o.count;
                evidence.push(o.first.clone());
            }
        }
        let mut detail = if by_mdm {
            "The MDM (Intune) policy Update/AllowUpdateService = 0 is in force and no WSUS server is configured: the agent may not contact Windows Update, Microsoft Update or the Store and has no intranet server to use instead, so this machine gets no updates from anywhere.".to_string()
        } else {
            "The policy \"Remove access to use all Windows Update features\" (DisableWindowsUpdateAccess = 1) is in force and no WSUS server is configured: the agent may not contact Windows Update or Microsoft Update and has no intranet server to use instead, so this machine gets no updates from anywhere.".to_string()
        };
        if refused > 0 {
            detail.push_str(&format!(" The agent refused {refused} time(s) with 0x8024002E/0x8024002F (the call was blocked by that policy)."));
        }
        let from = if by_mdm || f.registry.reg(KeyRole::Policy, "DisableWindowsUpdateAccess").is_some() { "the registry" } else { "the client log's configuration block" };
        detail.push_str(&format!(" ({from} shows the policy.)"));
        let mut remedy = vec![
            "Find what sets the policy: run `gpresult /h gp.html` on the machine and look for \"Remove access to use all Windows Update features\" (Computer Configuration > Administrative Templates > Windows Components > Windows Update).".to_string(),
            "If a GPO sets it, set it to Not Configured (or Disabled) in that GPO; if none does, a local tweak or tool left it: `reg delete \"HKLM\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\" /v DisableWindowsUpdateAccess /f`.".to_string(),
            "If the machine should use WSUS instead, keep the policy and set the server (\"Specify intranet Microsoft update service location\" with UseWUServer = 1): then online checks are refused by design and WSUS serves the updates.".to_string(),
            "Run `gpupdate /force`.".to_string(),
            ctx.restart_service(),
            ctx.detect_now(),
        ];
        if by_mdm {
            // the CSP's value comes from the MDM's profile: Group Policy and reg delete do not hold
            remedy.retain(|s| !s.starts_with("Run `gpupdate"));
            remedy.splice(
                0..2,
                [
                    "The value comes from the device's MDM (Intune): in the Update rings or settings catalog profile assigned to it, set \"Allow Update Service\" to Allowed (or remove the setting), then sync the device (Settings > Accounts > Access work or school > Info > Sync).".to_string(),
                    r"Deleting HKLM\Software\Microsoft\PolicyManager\current\device\Update\AllowUpdateService by hand does not last: the next MDM sync writes it again.".to_string(),
                ],
            );
        }
        let severity = (refused == 0).then_some(Severity::Warning);
        Outcome::Fired(Diagnosis { severity, detail, evidence: take_evidence(evidence), remedy })
    },
};

pub static WUSERVER_INVALID: Rule = Rule {
    id: "wuserver-invalid",
    example: super::example!("wuserver-invalid"),
    caused_by: &[&super::modern::WUSERVER_POINTS_NOWHERE],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "WUServer is not a usable http:// or https:// URL",
    needs: &[Registry, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "WUServer must be a full URL with the scheme, host and, for a custom port, the port (http://wsus01:8530). A bare host name, a typo in the scheme or stray characters make every request fail; WinHTTP reports 0x80072EE6 (ERROR_WINHTTP_UNRECOGNIZED_SCHEME).",
    check: |ctx| {
        let scheme_errors: Vec<Evidence> = ctx.facts.client.codes.get(&0x80072EE6).map(|o| vec![o.first.clone()]).unwrap_or_default();
        if let Some(ev) = blank_wuserver(ctx).filter(|_| !use_wu_server_off(ctx)) {
            return fire_invalid(ctx, "WUServer is set but holds only spaces (as \"disable Windows Update\" tweaks leave it), so the client has no server to ask.".into(), vec![ev]);
        }
        let Some(s) = wuserver(ctx) else {
            if !scheme_errors.is_empty() {
                return fire_invalid(ctx, "The client log reports 0x80072EE6 (ERROR_WINHTTP_UNRECOGNIZED_SCHEME): the configured server URL does not start with http:// or https://.".into(), scheme_errors);
            }
            return not_shown("WUServer");
        };
        let Some(v) = s.value else { return Outcome::Passed };
        if ServerUrl::parse(&v).is_some() && scheme_errors.is_empty() {
            return Outcome::Passed;
        }
        let detail = if ServerUrl::parse(&v).is_none() {
            format!("WUServer is '{v}', which is not a URL of the form http://server[:port] or https://server[:port].")
        } else {
            format!("WUServer is '{v}', but the client log reports 0x80072EE6 (ERROR_WINHTTP_UNRECOGNIZED_SCHEME) for the URL it used.")
        };
        let mut ev = vec![s.evidence];
        ev.extend(scheme_errors);
        fire_invalid(ctx, detail, ev)
    },
};

fn fire_invalid(ctx: &Context, detail: String, evidence: Vec<Evidence>) -> Outcome {
    let url = ctx.server.as_ref().map(|s| s.url.clone()).unwrap_or_else(|| "http://WSUSSERVER:8530".into());
    Outcome::Fired(Diagnosis {
        severity: None,
        detail,
        evidence: take_evidence(evidence),
        remedy: vec![
            format!("Set WUServer and WUStatusServer (Group Policy \"Specify intranet Microsoft update service location\", or {POLICY_KEY}) to the full URL, e.g. {url}: scheme, server name, and :8530 (or :8531 for SSL) if WSUS uses its custom port."),
            "Check there are no spaces, quotes or trailing characters in the value.".to_string(),
            ctx.restart_service(),
            ctx.detect_now(),
        ],
    })
}

pub static WUSTATUSSERVER_MISSING: Rule = Rule {
    id: "wustatusserver-missing",
    example: super::example!("wustatusserver-missing"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "No WUStatusServer: the client will not report its status to WSUS",
    needs: &[Registry, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "WUStatusServer tells the client where to send its reports. Without it the client can get updates but never shows up as reporting in the WSUS console.",
    check: |ctx| {
        match wuserver(ctx) {
            Some(Setting { value: Some(_), .. }) => {}
            Some(_) => return Outcome::NotRun("WUServer itself is missing (see wuserver-missing)".into()),
            None => return not_shown("WUServer"),
        }
        let Some(s) = wustatusserver(ctx) else {
            return Outcome::NotRun(format!("the evidence does not show WUStatusServer: export {POLICY_KEY}"));
        };
        if s.value.is_some() {
            return Outcome::Passed;
        }
        let mut detail = "WUServer is set but WUStatusServer is not, so the client's status reports have nowhere to go.".to_string();
        let mut evidence = vec![s.evidence];
        if let Some((hint, ev)) = misspelling_hint(ctx, "WUStatusServer") {
            detail.push(' ');
            detail.push_str(&hint);
            evidence.push(ev);
        }
        let url = ctx.server_url();
        Outcome::Fired(Diagnosis {
            severity: None,
            detail,
            evidence,
            remedy: vec![
                format!("Set WUStatusServer = {url} (the same URL as WUServer), through the Group Policy \"Specify intranet Microsoft update service location\" (statistics server box) or as a string value under {POLICY_KEY}."),
                ctx.restart_service(),
                ctx.detect_now(),
            ],
        })
    },
};

fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/').eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

pub static WUSTATUSSERVER_MISMATCH: Rule = Rule {
    id: "wustatusserver-mismatch",
    example: super::example!("wustatusserver-mismatch"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "WUStatusServer points somewhere other than WUServer",
    needs: &[Registry, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "The article sets both values to the same WSUS server. When they differ, the client scans against one server and reports to another, so the console that approves updates never sees the client's status.",
    check: |ctx| {
        let (Some(a), Some(b)) = (wuserver(ctx), wustatusserver(ctx)) else {
            return not_shown("WUServer and WUStatusServer");
        };
        let (Some(av), Some(bv)) = (a.value, b.value) else {
            return Outcome::NotRun("one of WUServer / WUStatusServer is missing (see the -missing rules)".into());
        };
        if same_url(&av, &bv) {
            return Outcome::Passed;
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("WUServer is {av} but WUStatusServer is {bv}."),
            evidence: vec![a.evidence, b.evidence],
            remedy: vec![
                format!("Set WUStatusServer to the same URL as WUServer ({av}) in the Group Policy \"Specify intranet Microsoft update service location\" or under {POLICY_KEY}."),
                ctx.restart_service(),
                ctx.detect_now(),
            ],
        })
    },
};

pub static USEWUSERVER_OFF: Rule = Rule {
    id: "usewuserver-off",
    example: super::example!("usewuserver-off"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "UseWUServer is not 1: the client ignores WUServer",
    needs: &[Registry],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "WUServer only takes effect when the DWORD UseWUServer under the AU subkey is 1. Missing or 0, the client goes to Microsoft Update instead of WSUS.",
    check: |ctx| {
        let f = ctx.facts;
        if let Some(v) = f.registry.reg(KeyRole::PolicyAu, "UseWUServer") {
            if v.value.as_u32() == Some(1) {
                return Outcome::Passed;
            }
        }
        // a blank WUServer with UseWUServer = 0 is a key emptied on purpose: no server to switch on
        if wuserver(ctx).is_none_or(|s| s.value.is_none()) && (blank_wuserver(ctx).is_none() || f.registry.reg(KeyRole::PolicyAu, "UseWUServer").is_some()) {
            // no WUServer: UseWUServer has nothing to switch on (wuserver-missing says what that means)
            return Outcome::NotRun("no WUServer is set, so UseWUServer does not matter (see wuserver-missing)".into());
        }
        if let Some(v) = f.registry.reg(KeyRole::PolicyAu, "UseWUServer") {
            {}
            return fire_usewuserver(ctx, format!("UseWUServer is {} instead of 1.", v.value.display()), v.evidence.clone());
        }
        if let Some(ev) = f.registry.missing_keys.get(&KeyRole::PolicyAu) {
            return fire_usewuserver(ctx, format!("The key {AU_KEY} does not exist, so UseWUServer is not set."), ev.clone());
        }
        let au_has_values = f.registry.values.keys().any(|(r, _)| *r == KeyRole::PolicyAu);
        if au_has_values {
            let ev = f.registry.keys.get(&KeyRole::PolicyAu).cloned().unwrap_or_else(|| {
                f.registry.values.iter().find(|((r, _), _)| *r == KeyRole::PolicyAu).map(|(_, s)| s.evidence.clone()).unwrap_or_else(|| Evidence::new("", 0, ""))
            });
            return fire_usewuserver(ctx, format!("{AU_KEY} has values but no UseWUServer."), ev);
        }
        Outcome::NotRun(format!("the registry evidence does not include the values of {AU_KEY}: export it with reg query /s"))
    },
};

fn fire_usewuserver(ctx: &Context, detail: String, ev: Evidence) -> Outcome {
    Outcome::Fired(Diagnosis {
        severity: None,
        detail,
        evidence: vec![ev],
        remedy: vec![
            format!("Enable the Group Policy \"Specify intranet Microsoft update service location\" (it writes UseWUServer), or in regedit go to {AU_KEY} (create AU if missing)."),
            "Create or set the DWORD UseWUServer = 1.".to_string(),
            ctx.restart_service(),
            ctx.detect_now(),
        ],
    })
}

pub static AUTOMATIC_UPDATES_OFF: Rule = Rule {
    id: "automatic-updates-off",
    example: super::example!("automatic-updates-off"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Automatic Updates is turned off (by policy or on the client)",
    needs: &[Registry, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "With \"Turn off Automatic Updates\" selected (NoAutoUpdate = 1, or AUOptions = 1), the client neither detects nor self-updates on its own schedule, so it never reaches WSUS.",
    check: |ctx| {
        let f = ctx.facts;
        let no_auto = f.registry.reg(KeyRole::PolicyAu, "NoAutoUpdate");
        let options = f.registry.reg(KeyRole::PolicyAu, "AUOptions").or_else(|| f.registry.reg(KeyRole::AutoUpdateState, "AUOptions"));
        let mut evidence = Vec::new();
        if let Some(v) = no_auto {
            if v.value.as_u32() == Some(1) {
                evidence.push(v.evidence.clone());
            }
        }
        if let Some(v) = options {
            if v.value.as_u32() == Some(1) {
                evidence.push(v.evidence.clone());
            }
        }
        let mut by_user = options.is_some_and(|o| o.value.as_u32() == Some(1) && f.registry.reg(KeyRole::PolicyAu, "AUOptions").is_none());
        if let Some((ev, by_policy)) = &f.client.au_disabled_in_log {
            evidence.push(ev.clone());
            by_user |= !by_policy;
        }
        let by_policy = no_auto.is_some_and(|v| v.value.as_u32() == Some(1))
            || f.registry.reg(KeyRole::PolicyAu, "AUOptions").is_some_and(|v| v.value.as_u32() == Some(1))
            || f.client.au_disabled_in_log.as_ref().is_some_and(|(_, p)| *p);
        if evidence.is_empty() {
            return if no_auto.is_some() || options.is_some() || f.registry.values.keys().any(|(r, _)| *r == KeyRole::PolicyAu) {
                Outcome::Passed
            } else {
                Outcome::NotRun(format!("neither NoAutoUpdate nor AUOptions appears: export {AU_KEY} with its values"))
            };
        }
        // who turned it off decides the fix: a policy wins over anything set on the client
        let (detail, first) = match (by_policy, by_user) {
            (true, _) => (
                "Automatic Updates is disabled on this client by policy (NoAutoUpdate = 1, or AUOptions = 1 under the policy key, or the log's \"Approval type: Disabled (Policy)\").",
                "In Group Policy set \"Configure Automatic Updates\" to Enabled with a download/install option (2, 3 or 4); a local change does not last while the policy says otherwise.".to_string(),
            ),
            _ => (
                "Automatic Updates was turned off on the client itself (the log says \"Approval type: Disabled (User preference)\", or AUOptions = 1 outside the policy key): no policy asks for it.",
                "On the client open Control Panel > Automatic Updates (System Properties on XP), choose how updates are downloaded and installed, and make sure \"Turn off Automatic Updates\" is not selected; or enforce it with the Group Policy \"Configure Automatic Updates\".".to_string(),
            ),
        };
        // the user's own choice on a machine no one manages is worth saying, not an error of WSUS
        let severity = (!by_policy && !ctx.mode.mode.uses_wsus()).then_some(Severity::Warning);
        Outcome::Fired(Diagnosis {
            severity,
            detail: detail.into(),
            evidence: take_evidence(evidence),
            remedy: if by_policy {
                vec![first, format!("If the value was set by hand, not by a GPO, change NoAutoUpdate to 0 under {AU_KEY}."), ctx.restart_service(), ctx.detect_now()]
            } else {
                vec![first, ctx.restart_service(), ctx.detect_now()]
            },
        })
    },
};

fn austate_meaning(v: u32) -> &'static str {
    match v {
        0 => "initial 24-hour wait",
        1 => "waiting for the user to run the Automatic Updates wizard",
        2 => "detection pending",
        3 => "download pending",
        4 => "downloading",
        5 => "install pending",
        6 => "install complete",
        7 => "Automatic Updates disabled",
        8 => "restart pending",
        _ => "not a documented AUState value",
    }
}

pub static AUSTATE_NOT_2: Rule = Rule {
    id: "austate-not-2",
    example: super::example!("austate-not-2"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "AUState is not 2 (detection pending)",
    needs: &[Registry],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "When forcing a stuck client to detect (and self-update) against WSUS, the article sets AUState to 2 so the next cycle starts with detection. Another value means AU is waiting on something else first (the wizard, a download, a restart) or is disabled (7).",
    check: |ctx| {
        let f = ctx.facts;
        let Some(v) = f.registry.reg(KeyRole::AutoUpdateState, "AUState") else {
            return Outcome::NotRun(format!("AUState is not in the registry evidence: export {STATE_KEY}"));
        };
        match v.value.as_u32() {
            Some(2) => Outcome::Passed,
            other => {
                let shown = v.value.display();
                let meaning = other.map(austate_meaning).unwrap_or("not a number");
                Outcome::Fired(Diagnosis {
                    severity: None,
                    detail: format!("AUState is {shown} ({meaning}); the client will not start a fresh detection until it is 2."),
                    evidence: vec![v.evidence.clone()],
                    remedy: vec![
                        "Make sure Automatic Updates is enabled (Control Panel > Automatic Updates, \"Turn off Automatic Updates\" not selected).".to_string(),
                        format!("In regedit under {STATE_KEY}, set the DWORD AUState to 2."),
                        "Delete LastWaitTimeout and DetectionStartTime there if they exist.".to_string(),
                        "Restart the update service: `net stop wuauserv` then `net start wuauserv`, and allow 6 to 10 minutes for detection and self-update.".to_string(),
                    ],
                })
            }
        }
    },
};

pub static DETECTION_SCHEDULE_STALE: Rule = Rule {
    id: "detection-schedule-stale",
    example: super::example!("detection-schedule-stale"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Info,
    title: "A detection schedule is recorded (LastWaitTimeout / DetectionStartTime)",
    needs: &[Registry],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "AU keeps its next detection time in LastWaitTimeout (UTC) and DetectionStartTime (local time). When a client is stuck, deleting both and restarting the service makes it detect, and self-update, within minutes instead of waiting for the recorded time.",
    check: |ctx| {
        let f = ctx.facts;
        let lwt = f.registry.reg(KeyRole::AutoUpdateState, "LastWaitTimeout");
        let dst = f.registry.reg(KeyRole::AutoUpdateState, "DetectionStartTime");
        if lwt.is_none() && dst.is_none() {
            let state_has_values = f.registry.values.keys().any(|(r, _)| *r == KeyRole::AutoUpdateState);
            return if state_has_values {
                Outcome::Passed
            } else {
                Outcome::NotRun(format!("export {STATE_KEY} with its values"))
            };
        }
        let names: Vec<String> = [("LastWaitTimeout", lwt), ("DetectionStartTime", dst)]
            .iter()
            .filter_map(|(n, v)| v.map(|s| format!("{n} = {}", s.value.display())))
            .collect();
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("{} under Auto Update. To force a stuck client to detect now, clear them.", names.join(", ")),
            evidence: [lwt, dst].iter().flatten().map(|s| s.evidence.clone()).collect(),
            remedy: vec![
                format!("In regedit under {STATE_KEY}, delete LastWaitTimeout and DetectionStartTime."),
                "Stop and start the update service: `net stop wuauserv` then `net start wuauserv`.".to_string(),
                "Wait about a minute and refresh the key: both values reappear with the new schedule (detection begins about 5 minutes after DetectionStartTime).".to_string(),
                "If after ten minutes LastWaitTimeout has moved 24 hours ahead, the client could not reach the WUServer URL (see server-unreachable-24h).".to_string(),
            ],
        })
    },
};

/// LastWaitTimeout minus DetectionStartTime, corrected by the client's zone when the log gives it.
pub(crate) fn wait_gap_hours(ctx: &Context) -> Option<(f64, bool, Evidence, Evidence)> {
    let f = ctx.facts;
    let lwt = f.registry.reg(KeyRole::AutoUpdateState, "LastWaitTimeout")?;
    let dst = f.registry.reg(KeyRole::AutoUpdateState, "DetectionStartTime")?;
    let (RegData::Sz(l), RegData::Sz(d)) = (&lwt.value, &dst.value) else { return None };
    let (l, d) = (parse_registry_time(l)?, parse_registry_time(d)?);
    // LastWaitTimeout is UTC, DetectionStartTime local: UTC = local - offset.
    let raw = (l.epoch_seconds() - d.epoch_seconds()) as f64 / 3600.0;
    let (gap, zone_known) = match f.client.tz_minutes {
        Some(tz) => (raw + tz as f64 / 60.0, true),
        None => (raw, false),
    };
    Some((gap, zone_known, lwt.evidence.clone(), dst.evidence.clone()))
}

pub static WSUS_POLICY_DROPPED: Rule = Rule {
    id: "wsus-policy-dropped",
    example: super::example!("wsus-policy-dropped"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "The WSUS server setting came and went while the log ran",
    needs: &[WindowsupdateLog],
    article: Article::Page {
        short: "Configure Group Policy settings for Automatic Updates (WSUS)",
        reference: "Microsoft Learn: Step 4, Configure Group Policy settings for Automatic Updates, https://learn.microsoft.com/windows-server/administration/windows-server-update-services/deploy/4-configure-group-policy-settings-for-automatic-updates",
    },
    explain: "The update agent logs its configuration each time it re-reads policy. `WSUS server: (null) (Changed)` after a block that named a server means the policy pointing it at WSUS was taken away; a later block naming the server again means it came back. In between the machine has no WSUS server: it turns to Windows Update (unless policy forbids Internet locations), and what it scanned, downloaded or failed then is not the WSUS server's doing. Policy that comes and goes is usually a GPO that does not apply at every refresh, a second GPO or a local policy clearing it, or a repair script deleting the policy key; on a Configuration Manager client, a domain GPO fighting the local policy the client writes.",
    check: |ctx| {
        let c = &ctx.facts.client;
        if c.log_wsus_server.is_none() {
            return Outcome::NotRun("the client log has no configuration block (\"WSUS server:\" lines)".into());
        }
        if c.policy_flips.is_empty() {
            return Outcome::Passed;
        }
        // each flip: when, and whether the server went or came back
        let stamp = |t: &str| {
            let mut w = t.split_whitespace();
            let (date, clock) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
            format!("{date} {}", clock.split('.').next().unwrap_or(clock))
        };
        let gone = |t: &str| t.contains("(null)");
        let mut said = Vec::new();
        let mut gone_at: Option<i64> = None;
        for e in &c.policy_flips.kept {
            if gone(&e.text) {
                gone_at = crate::lines::time(&e.text);
                said.push(format!("removed at {}", stamp(&e.text)));
            } else {
                let hours = gone_at.zip(crate::lines::time(&e.text)).map(|(a, b)| (b - a) as f64 / 3600.0).filter(|h| *h >= 0.0);
                said.push(match hours {
                    Some(h) => format!("set again at {} ({h:.1} hours later)", stamp(&e.text)),
                    None => format!("set again at {}", stamp(&e.text)),
                });
                gone_at = None;
            }
        }
        let more = c.policy_flips.count.saturating_sub(c.policy_flips.kept.len() as u64);
        let more = if more > 0 { format!(" and {more} more change(s)") } else { String::new() };
        let server = ctx.server.as_ref().map(|s| s.url.clone()).unwrap_or_else(|| "its WSUS server".into());
        let detail = format!(
            "The agent's WSUS server setting changed {} time(s) while the log ran: {}{more}. While it was unset the machine had no WSUS server and went to Windows Update instead: scans, downloads and errors of that time are not the WSUS server's ({server}).",
            c.policy_flips.count,
            said.join(", ")
        );
        let reset = "Look for scripts or tools that reset Windows Update by deleting HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate (repair scripts, imaging or cleanup tasks) and stop them on managed machines.".to_string();
        let remedy = if ctx.mode.mode == crate::mode::ManagementMode::Configmgr {
            vec![
                "In C:\\Windows\\CCM\\Logs\\WUAHandler.log around those times, look for \"Group policy settings were overwritten by a higher authority\": a domain GPO is then setting or clearing the Windows Update policy Configuration Manager writes locally.".to_string(),
                format!("Run `gpresult /h gpresult.html` on the client and remove \"Specify intranet Microsoft update service location\" from GPOs that apply to Configuration Manager clients, or make it name the software update point ({server})."),
                reset,
                format!("Then start a scan ({}) and check the log's next configuration block names {server}.", super::configmgr::SCAN_CONFIG),
            ]
        } else {
            vec![
                "Run `gpresult /h gpresult.html` on the client while the setting is missing and again while it is present: find the GPO that sets \"Specify intranet Microsoft update service location\" and why it does not apply every time (security or WMI filtering, a second GPO or local policy clearing it, slow-link processing).".to_string(),
                reset,
                "If this machine must never use Windows Update directly, set \"Do not connect to any Windows Update Internet locations\" in the same GPO.".to_string(),
                ctx.detect_now(),
            ]
        };
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(c.policy_flips.kept.iter().cloned()), remedy })
    },
};

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn misspellings_are_close() {
        assert_eq!(edit_distance("wusatusserver", "wustatusserver"), 1);
        assert!(edit_distance("targetgroup", "wuserver") > 2);
    }
}
