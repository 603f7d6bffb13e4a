//! Windows 10 2004+ and Windows 11 choose a source per class of update (the "scan source"
//! policies); set partly, or written without their switch, some classes silently go to Windows
//! Update while the admin believes WSUS serves them.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::kind::InputKind::Registry;
use crate::registry::{KeyRole, RegData};
use crate::report::{Evidence, Severity};

/// The four classes, as their policy values name them.
const CLASSES: &[&str] = &["Feature", "Quality", "Driver", "Other"];

/// The value's name for a class.
fn value_name(class: &str) -> String {
    format!("SetPolicyDrivenUpdateSourceFor{class}Updates")
}

/// A DWORD policy value and its line.
fn dword(ctx: &Context, role: KeyRole, name: &str) -> Option<(u32, Evidence)> {
    let v = ctx.facts.registry.reg(role, name)?;
    match v.value {
        RegData::Dword(d) => Some((d, v.evidence.clone())),
        _ => None,
    }
}

/// First Windows 11 build: DisableDualScan has no effect from here on.
const WINDOWS_11: u32 = 22000;

pub static SCAN_SOURCE_INCOMPLETE: Rule = Rule {
    id: "scan-source-incomplete",
    example: super::example!("scan-source-incomplete"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "The scan source policies are incomplete: some classes of update come from Windows Update",
    needs: &[Registry],
    article: Article::DualScan,
    explain: "On Windows 10 2004 and later and on Windows 11, \"Specify source service for specific classes of Windows Updates\" writes four values, SetPolicyDrivenUpdateSourceFor{Feature,Quality,Driver,Other}Updates (1 = WSUS, 0 = Windows Update), and UseUpdateClassPolicySource = 1 under AU. Microsoft says to configure all four; values written straight into the registry without UseUpdateClassPolicySource are ignored, and a class without a value follows the default, which with deferral policies is Windows Update. DisableDualScan does nothing on Windows 11.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        let managed = f.registry.reg(KeyRole::Policy, "WUServer").is_some_and(|v| v.value.as_text().is_some_and(|t| !t.trim().is_empty()));
        if !managed {
            return Outcome::Passed;
        }
        let set: Vec<(&str, u32, Evidence)> =
            CLASSES.iter().filter_map(|c| dword(ctx, KeyRole::Policy, &value_name(c)).map(|(d, e)| (*c, d, e))).collect();
        let switch = dword(ctx, KeyRole::PolicyAu, "UseUpdateClassPolicySource");
        let au_seen = f.registry.keys.contains_key(&KeyRole::PolicyAu);
        let build = f.registry.reg(KeyRole::WindowsVersion, "CurrentBuildNumber").and_then(|s| s.value.as_u32());
        let dual_scan_off = dword(ctx, KeyRole::Policy, "DisableDualScan").filter(|(d, _)| *d == 1);
        let mut detail = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        if !set.is_empty() && set.len() < CLASSES.len() {
            let missing: Vec<&str> = CLASSES.iter().filter(|c| !set.iter().any(|(s, _, _)| s == *c)).copied().collect();
            detail.push(format!(
                "Only {} of the four scan source values are set; {} update(s) have none and follow the default (Windows Update when deferral policies are set).",
                set.len(),
                missing.join(", ")
            ));
            evidence.extend(set.iter().map(|(_, _, e)| e.clone()));
        }
        if !set.is_empty() && au_seen && switch.as_ref().is_none_or(|(d, _)| *d != 1) {
            detail.push("The scan source values are there but UseUpdateClassPolicySource = 1 is not (under ...\\WindowsUpdate\\AU): values written straight into the registry are then ignored.".to_string());
            evidence.extend(switch.iter().map(|(_, e)| e.clone()));
            evidence.extend(set.iter().take(1).map(|(_, _, e)| e.clone()));
        }
        if let (Some((_, e)), Some(b)) = (&dual_scan_off, build) {
            if b >= WINDOWS_11 && set.is_empty() {
                detail.push(format!("DisableDualScan = 1 on Windows 11 (build {b}), where it has no effect and no scan source value replaces it."));
                evidence.push(e.clone());
            }
        }
        if detail.is_empty() {
            return Outcome::Passed;
        }
        let wu: Vec<&str> = set.iter().filter(|(_, d, _)| *d == 0).map(|(c, _, _)| *c).collect();
        if !wu.is_empty() {
            detail.push(format!("Set to Windows Update (0): {}.", wu.join(", ")));
        }
        let remedy = vec![
            "In the GPO: Computer Configuration > Administrative Templates > Windows Components > Windows Update > Manage updates offered from Windows Server Update Service > \"Specify source service for specific classes of Windows Updates\": enable it and choose a source for all four classes (Windows Server Update Service for each class WSUS should serve).".to_string(),
            "If you set the registry directly instead: all four SetPolicyDrivenUpdateSourceFor*Updates values (1 = WSUS, 0 = Windows Update) under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate, and UseUpdateClassPolicySource = 1 under its AU key.".to_string(),
            "Run `gpupdate /force`, then restart the update service (`net stop wuauserv` then `net start wuauserv`).".to_string(),
            ctx.detect_now(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};
