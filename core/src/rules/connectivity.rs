//! Can the client reach its WSUS server at all? From the article's client connectivity checks
//! and its note on LastWaitTimeout jumping 24 hours.

use super::policy::wait_gap_hours;
use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::codes;
use crate::kind::InputKind::{Registry, WindowsupdateLog};
use crate::report::Severity;

/// Codes meaning "could not connect, resolve or got no answer in time".
pub const UNREACHABLE_CODES: &[u32] = &[
    0x80072EE2, // ERROR_WINHTTP_TIMEOUT
    0x80072EE7, // ERROR_WINHTTP_NAME_NOT_RESOLVED
    0x80072EFD, // ERROR_WINHTTP_CANNOT_CONNECT
    0x80072EFE, // ERROR_WINHTTP_CONNECTION_ERROR
    0x8024402C, // WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
    0x8024401C, // WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT
    0x80244023, // WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT
    0x8024001F, // WU_E_NO_CONNECTION
    0x80240438, // WU_E_PT_ENDPOINT_UNREACHABLE
    0x80190198, // BG_E_HTTP_ERROR_408
];

pub(crate) fn connectivity_steps(ctx: &Context) -> Vec<String> {
    let (iuident, wuaucomp) = ctx.selfupdate_test_urls();
    let url = ctx.server_url();
    let host = ctx.host();
    let mut steps = vec![
        format!("On the client, check the name resolves and answers: `ping {host}` (or `nslookup {host}`)."),
        format!("On the client, open {iuident} in Internet Explorer: you should be offered the file to open or save (cancel; no need to keep it). This proves the client reaches the server and the file is there."),
        format!("Then open {wuaucomp} the same way."),
        format!("For WSUS 3.0 and later also open {url}/ClientWebService/wusserverversion.xml and {url}/selfupdate/wuident.cab."),
        "If these fail, check the WinHTTP proxy the update service uses (`netsh winhttp show proxy` on Vista and later, `proxycfg` on XP/2003) and any firewall between client and server on the WSUS port.".to_string(),
    ];
    if let Some(g) = ctx.guesses() {
        steps.push(g);
    }
    steps
}

pub static WSUS_UNREACHABLE: Rule = Rule {
    id: "wsus-unreachable",
    example: super::example!("wsus-unreachable"),
    severity: Severity::Error,
    title: "The client cannot reach the WSUS server (connect, name or time-out errors)",
    needs: &[WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "WinHTTP time-outs (0x80072EE2), failed connects (0x80072EFD), unresolved names (0x80072EE7, 0x8024402C) and their relatives mean the client's requests never got an HTTP answer. The article's check: open iuident.cab and the self-update cab from the client in a browser.",
    check: |ctx| {
        let f = ctx.facts;
        let hits = f.client.codes_in(UNREACHABLE_CODES);
        if hits.is_empty() {
            return Outcome::Passed;
        }
        let parts: Vec<String> = hits
            .iter()
            .map(|(c, o)| {
                let name = codes::lookup(*c).map(|e| e.name).unwrap_or_default();
                format!("0x{c:08X} {name} ×{}", o.count)
            })
            .collect();
        let server = ctx.server.as_ref().map(|s| format!(" ({})", s.url)).unwrap_or_default();
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("The client's requests to its update server{server} failed without an HTTP answer: {}.", parts.join(", ")),
            evidence: take_evidence(hits.iter().flat_map(|(_, o)| [o.first.clone(), o.last.clone()])),
            remedy: connectivity_steps(ctx),
        })
    },
};

pub static SERVER_UNREACHABLE_24H: Rule = Rule {
    id: "server-unreachable-24h",
    example: super::example!("server-unreachable-24h"),
    severity: Severity::Error,
    title: "LastWaitTimeout moved 24 hours past DetectionStartTime: the server could not be contacted",
    needs: &[Registry],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "After a forced detection, LastWaitTimeout (UTC) should sit minutes after DetectionStartTime (local time). When AU cannot contact the WUServer URL it reschedules a day later, so LastWaitTimeout lands about 24 hours after DetectionStartTime.",
    check: |ctx| {
        let Some((gap, zone_known, lwt, dst)) = wait_gap_hours(ctx) else {
            return Outcome::NotRun("needs both LastWaitTimeout and DetectionStartTime from ...\\WindowsUpdate\\Auto Update".into());
        };
        // With the zone known the gap is exact (±1 h); without it any zone from -12 to +14 h is possible,
        // which still separates "minutes" (-14..12 h) from "a day" (>12..38 h).
        let fired = if zone_known { (23.0..=25.5).contains(&gap) } else { gap > 12.0 && gap <= 38.5 };
        if !fired {
            return Outcome::Passed;
        }
        let zone = if zone_known {
            "corrected for the client's time zone from the log header".to_string()
        } else {
            "the client's time zone is unknown (add its WindowsUpdate.log for an exact figure)".to_string()
        };
        let mut remedy = vec![format!("The client could not contact the WUServer URL ({}). Check the URL and connectivity:", ctx.server_url())];
        remedy.extend(super::connectivity::connectivity_steps(ctx));
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("LastWaitTimeout is {gap:.1} hours after DetectionStartTime ({zone}): Automatic Updates pushed detection a day ahead."),
            evidence: vec![lwt, dst],
            remedy,
        })
    },
};

pub static NO_SERVER_CONTACT: Rule = Rule {
    id: "no-server-contact",
    example: super::example!("no-server-contact"),
    severity: Severity::Warning,
    title: "The client log shows no attempt to contact the update server",
    needs: &[WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "The article's first client-side check is whether WindowsUpdate.log shows any activity towards the server. None at all points at the client: service stopped, no policy, Automatic Updates disabled, or the log is from before the policy arrived.",
    check: |ctx| {
        let f = ctx.facts;
        if f.client.wu_records == 0 {
            return Outcome::NotRun("the client log holds no records".into());
        }
        if !f.client.server_contact.is_empty() || !f.client.codes.is_empty() {
            return Outcome::Passed;
        }
        if f.client.undecoded_etl.count * 2 > f.client.wu_records {
            return Outcome::NotRun("the log is not decoded (see log-not-decoded)".into());
        }
        let evidence = take_evidence(
            f.client.agent_build.iter().map(|s| s.evidence.clone()).chain(f.client.log_wsus_server.iter().map(|s| s.evidence.clone())),
        );
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("{} log records were read and none is a detection, a self-update check, a server URL or a request to the server.", f.client.wu_records),
            evidence,
            remedy: vec![
                "Check the Automatic Updates service runs on the client: `sc query wuauserv` (start it with `net start wuauserv`).".to_string(),
                "Check the WUServer / UseWUServer policy and that Automatic Updates is not turned off (add the registry export to let WSUS Doctor check).".to_string(),
                ctx.detect_now(),
                "On SUS-era clients also look at %systemdrive%\\Program Files\\WindowsUpdate\\V4\\urllog.dat, which caches server pings the client could not deliver; it and WindowsUpdate.log are hidden files (Folder Options > View > Show hidden files and folders).".to_string(),
            ],
        })
    },
};
