//! KB978335: WSUS keeps reinstalling "Update for Root Certificates" (KB931125) on Windows XP,
//! because several revisions of it are approved at once.

use super::{take_evidence, Article, ClientEra, Diagnosis, Outcome, Rule};
use crate::facts::Seen;
use crate::kind::InputKind::WindowsupdateLog;
use crate::report::Severity;

fn is_root_cert_update(title: &str) -> bool {
    let t = title.to_ascii_lowercase();
    t.contains("root certificates") || t.contains("kb931125")
}

fn before(a: &crate::report::Evidence, b: &crate::report::Evidence) -> bool {
    a.input == b.input && a.line < b.line
}

pub static ROOT_CERT_UPDATE_REPEATS: Rule = Rule {
    id: "root-cert-update-repeats",
    example: super::example!("root-cert-update-repeats"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "\"Update for Root Certificates\" (KB931125) is installed again and again",
    needs: &[WindowsupdateLog],
    article: Article::Kb978335,
    explain: "Microsoft released the root certificates update (KB931125) several times under the same name. With more than one revision approved, Windows XP clients install one after another and the update seems to reinstall forever. The fix: decline every revision except the newest (9/22/2009) and approve that one.",
    check: |ctx| {
        let f = ctx.facts;
        let ok: Vec<&crate::facts::InstallSuccess> = f.client.installs_succeeded.iter().filter(|s| is_root_cert_update(&s.value)).collect();
        let reoffered: Vec<&Seen<String>> = match ok.first() {
            Some(first) => f
                .client.installs_offered
                .iter()
                .filter(|s| is_root_cert_update(&s.value) && before(&first.evidence, &s.evidence))
                .collect(),
            None => Vec::new(),
        };
        if ok.len() < 2 && reoffered.is_empty() {
            return Outcome::Passed;
        }
        let xp = ctx.os_folder.as_deref() == Some("XP") || ok.iter().any(|s| s.value.contains("Windows XP"));
        let mut detail = format!(
            "The root certificates update was installed successfully {} time(s){}.",
            ok.len(),
            if reoffered.is_empty() { String::new() } else { format!(" and offered again {} time(s) after a successful install", reoffered.len()) }
        );
        if xp {
            detail.push_str(" The client runs Windows XP, exactly the case KB978335 describes.");
        } else if ctx.era == ClientEra::Modern {
            detail.push_str(" KB978335 describes Windows XP clients; on this newer client check the same approvals, but the cause may differ.");
        }
        let titles: Vec<&str> = {
            let mut t: Vec<&str> = ok.iter().map(|s| s.value.as_str()).collect();
            t.dedup();
            t
        };
        if titles.len() > 1 {
            detail.push_str(&format!(" Revisions seen: {}.", titles.join("; ")));
        }
        let mut remedy = vec![
            "Open the WSUS administration console and go to Updates. Set the Approval filter to Any Except Declined and the Status filter to Any, and search for \"Update for root certificates\" (if nothing shows, try the Declined filter too).".to_string(),
            "There are four revisions, released 5/26/2006, 2/20/2009, 2/24/2009 and 9/22/2009. Decline (right-click > Decline) every one except the 9/22/2009 revision.".to_string(),
            "Approve the 9/22/2009 revision (right-click > Approve > OK) without changing anything in the Approve Updates dialog.".to_string(),
            format!("{}, then read WindowsUpdate.log to confirm the detection succeeded.", ctx.detect_now()),
            "The first detection after the change may fail; run it a second time before digging further (see detection-retry-succeeded).".to_string(),
            "With a hierarchy of WSUS servers, do this on the top server first and then on each server below it. Switch a replica child to autonomous while you do it (Options > Update Source and Proxy Server), then switch it back to replica.".to_string(),
        ];
        if ctx.era == ClientEra::Unknown {
            remedy.push("`wuauclt /detectnow` applies to Windows XP to 8.1 clients.".to_string());
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail,
            evidence: take_evidence(ok.iter().map(|s| s.evidence.clone()).chain(reoffered.iter().map(|s| s.evidence.clone()))),
            remedy,
        })
    },
};

pub static DETECTION_RETRY_SUCCEEDED: Rule = Rule {
    id: "detection-retry-succeeded",
    example: super::example!("detection-retry-succeeded"),
    caused_by: &[&ROOT_CERT_UPDATE_REPEATS],
    data: false,
    wsus_client: true,
    severity: Severity::Info,
    title: "A detection failed, and a later one succeeded",
    needs: &[WindowsupdateLog],
    article: Article::Kb978335,
    explain: "KB978335 notes that the first synchronisation after fixing approvals can fail while the next one succeeds. A failure followed by a success is therefore not by itself a problem; look at the latest result.",
    check: |ctx| {
        let f = ctx.facts;
        let Some((fail, ok)) = &f.client.retry_success else {
            return if f.client.detection_failures + f.client.detection_successes > 0 {
                Outcome::Passed
            } else {
                Outcome::NotRun("the client log has no detection or synchronisation results".into())
            };
        };
        let latest_ok = matches!(f.client.detections.last().map(|d| &d.value), Some(crate::facts::DetectionOutcome::Succeeded));
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!(
                "{} detection/sync attempt(s) failed and {} succeeded; the first failure was followed by a success. {}",
                f.client.detection_failures,
                f.client.detection_successes,
                if latest_ok { "The latest attempt succeeded." } else { "The latest attempt failed again: see the other findings." }
            ),
            evidence: vec![fail.clone(), ok.clone()],
            remedy: vec![
                "If the latest detection succeeded, no action is needed for this finding.".to_string(),
                format!("If in doubt, {} once more and check WindowsUpdate.log for a successful search.", ctx.detect_now().to_lowercase().trim_start_matches("on the client, ")),
            ],
        })
    },
};
