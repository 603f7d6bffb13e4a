//! Updates that fail to install, one by one: the code, how often, and whether a later attempt
//! succeeded.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::codes;
use crate::facts::kb_of;
use crate::kind::InputKind::WindowsupdateLog;
use crate::report::Severity;

/// How long after a failure another input's success still counts as its retry: a year and a
/// month (monthly updates are superseded well within it).
const LATER_ATTEMPT_WITHIN: i64 = 400 * 86_400;

/// Steps for the install codes seen most often on WSUS clients.
fn steps_for(code: u32) -> Option<&'static str> {
    Some(match code {
        0x80073712 | 0x800F081F | 0x800F0831 | 0x800F0922 | 0x80070002 => {
            "Repair the component store, then retry: `DISM /Online /Cleanup-Image /RestoreHealth` (with a WSUS-only client add `/Source:` a mounted install.wim, or allow it to reach Windows Update once), then `sfc /scannow`."
        }
        0x80070643 => "0x80070643 is an MSI installer failure (often .NET or Defender platform updates): check %windir%\\Logs\\CBS\\CBS.log and the update's own log, repair the installed .NET Framework, then retry.",
        0x80070005 => "Access denied: an antivirus or a locked-down permission blocks the installer; check the security software's log for the update's files.",
        0x80248007 => "WU_E_DS_NODATA: the client's update datastore lost the update's data. Reset it: `net stop wuauserv`, rename C:\\Windows\\SoftwareDistribution, `net start wuauserv`, then scan again.",
        0x80240017 => "Not applicable: the update no longer applies (superseded or already present); decline it in WSUS if it keeps being offered.",
        _ => return None,
    })
}

pub static UPDATE_INSTALL_FAILED: Rule = Rule {
    id: "update-install-failed",
    example: super::example!("update-install-failed"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "Updates failed to install",
    needs: &[WindowsupdateLog],
    article: Article::ErrorReference,
    explain: "The client downloaded updates but could not install them: event 20 in the System log, \"Installation Failure\" rows in ReportingEvents.log, REPORT EVENT lines in the classic log. Listed per update with its code and count; when a later attempt installed the same update, the failure is history (info), not a problem to fix.",
    check: |ctx: &Context| {
        let f = &ctx.facts.client;
        if f.install_failures.is_empty() {
            return Outcome::Passed;
        }
        let mut lines = Vec::new();
        let mut open = 0;
        let mut seen_codes: Vec<u32> = Vec::new();
        for fail in &f.install_failures {
            let later_ok = f.installs_succeeded.iter().any(|s| {
                let same = kb_of(&s.value).map(str::to_string).unwrap_or_else(|| s.value.chars().take(120).collect()) == fail.update;
                let after = if s.evidence.input == fail.occurrences.last.input {
                    s.evidence.line > fail.occurrences.last.line
                } else {
                    // across inputs only trusted times order them: both known, and the success
                    // after the failure but not implausibly far (a line dated 9999 is no retry)
                    match (fail.occurrences.last_time, s.time) {
                        (Some(failed), Some(done)) => (1..=LATER_ATTEMPT_WITHIN).contains(&(done.epoch_seconds() - failed.epoch_seconds())),
                        _ => false,
                    }
                };
                same && after
            });
            if !later_ok {
                open += 1;
            }
            let code_text: Vec<String> =
                fail.codes.iter().map(|c| format!("0x{c:08X} {}", codes::lookup(*c).map(|e| e.name).unwrap_or_default())).collect();
            seen_codes.extend(fail.codes.iter().filter(|c| !seen_codes.contains(c)).copied().collect::<Vec<_>>());
            let when = fail.occurrences.last_time.map(|t| format!(", last {t}")).unwrap_or_default();
            lines.push(format!(
                "{} ×{}{when}: {}{}{}",
                fail.update,
                fail.occurrences.count,
                if code_text.is_empty() { "no code given".to_string() } else { code_text.join(", ") },
                if later_ok { "; installed by a later attempt" } else { "" },
                if fail.update != fail.title { format!(" ({})", fail.title) } else { String::new() },
            ));
        }
        if f.install_failures_cut > 0 {
            lines.push(format!("… and {} failure(s) of further updates (only the first {} updates are listed).", f.install_failures_cut, crate::facts::MAX_UPDATES));
        }
        let mut remedy: Vec<String> = seen_codes.iter().filter_map(|c| steps_for(*c)).map(str::to_string).collect();
        remedy.dedup();
        remedy.push("For any other code: `wsus-doctor code <code>`, and %windir%\\Logs\\CBS\\CBS.log around the failure's time names the package and step that failed.".to_string());
        remedy.push("After fixing, retry from Settings > Windows Update (or wait for the next automatic installation).".to_string());
        Outcome::Fired(Diagnosis {
            severity: Some(if open == 0 { Severity::Info } else { Severity::Warning }),
            detail: format!("{} update(s) failed to install, {} of them not installed since:\n{}", f.install_failures.len(), open, lines.join("\n")),
            evidence: take_evidence(f.install_failures.iter().flat_map(|x| [x.occurrences.first.clone(), x.occurrences.last.clone()])),
            remedy,
        })
    },
};
