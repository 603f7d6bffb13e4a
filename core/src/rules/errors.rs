//! Every Windows Update error code in the client log, decoded; and logs that cannot be read
//! because they were never decoded.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::codes;
use crate::kind::InputKind::WindowsupdateLog;
use crate::report::Severity;

/// Codes listed in the detail, most frequent first; the rest are counted.
const MAX_LISTED: usize = 20;

/// Codes that report "nothing to do" rather than a failure.
const BENIGN: &[u32] = &[0x80240024, 0x80240017, 0x8024000C, 0x8024001E];

pub static WU_ERROR_CODES: Rule = Rule {
    id: "wu-error-codes",
    example: super::example!("wu-error-codes"),
    caused_by: &[&super::selfupdate::SELFUPDATE_NOT_FOUND, &super::selfupdate::WSUS_ACCESS_DENIED, &super::selfupdate::WSUS_SERVER_ERROR, &super::connectivity::WSUS_UNREACHABLE, &super::connectivity::SCAN_TIMEOUT, &super::connectivity::TLS_CERTIFICATE_FAILURE, &super::connectivity::PROXY_IN_PATH, &super::installs::UPDATE_INSTALL_FAILED, &super::content::SELFUPDATE_INSTALL_FAILED, &super::content::SERVER_LIMITS_EXCEEDED, &super::content::CONTENT_DOWNLOAD_FAILED, &super::content::CONTENT_MIME_TYPE_MISSING, &super::server::WSUSPOOL_OVERLOADED, &super::policy::WUSERVER_INVALID, &super::modern::WUSERVER_POINTS_NOWHERE, &super::client::LEGACY_SUS_MODE],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "Windows Update error codes in the client log",
    needs: &[WindowsupdateLog],
    article: Article::ErrorReference,
    explain: "Every failure HRESULT in WindowsUpdate.log, decoded to its SDK name: WU_E_* (wuerror.h), WU_E_PT_HTTP_STATUS_* and BITS 0x8019xxxx (which carry the HTTP status: 0x80244019 and 0x80190194 are HTTP 404), and WinHTTP 0x80072Exx/0x80072Fxx network errors (winhttp.h); with counts and first/last occurrence.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        let others: Vec<_> = f.client.other_services.iter().filter(|(_, o)| !o.codes.is_empty()).collect();
        if f.client.codes.is_empty() && others.is_empty() {
            return Outcome::Passed;
        }
        let mut lines = Vec::new();
        let mut ordered: Vec<_> = f.client.codes.iter().collect();
        // most frequent first; among equals, codes with a name before those without
        ordered.sort_by_cached_key(|(c, o)| (std::cmp::Reverse(o.count), codes::lookup(**c).is_none(), **c));
        let only_benign = ordered.iter().all(|(c, _)| BENIGN.contains(c));
        for (code, occ) in ordered.iter().take(MAX_LISTED) {
            lines.push(code_line(ctx, **code, occ));
        }
        let mut d = String::new();
        if !ordered.is_empty() {
            // with nothing showing the machine uses WSUS, its codes are not said to be WSUS's
            let unshown = ctx.mode.mode == crate::mode::ManagementMode::Unknown && !ctx.facts.has(crate::kind::InputKind::IisLog);
            let whose = if unshown {
                "not tied to a service (WSUS's only if this machine uses WSUS)"
            } else if ctx.applies_to_wsus() {
                "in calls to WSUS or not tied to a service"
            } else {
                "not tied to a service"
            };
            d = format!("{} distinct error code(s) {whose}:\n{}", ordered.len(), lines.join("\n"));
        }
        if ordered.len() > MAX_LISTED {
            let rest: u64 = ordered[MAX_LISTED..].iter().map(|(_, o)| o.count).sum();
            d.push_str(&format!("\nand {} more distinct code(s), {rest} occurrence(s) (the {MAX_LISTED} most frequent are listed)", ordered.len() - MAX_LISTED));
        }
        if f.client.codes_cut > 0 {
            d.push_str(&format!(
                "\n{} more occurrence(s) of codes were not kept: unnamed codes past {} distinct, or past {} codes on one line",
                f.client.codes_cut,
                crate::facts::MAX_UNNAMED_CODES,
                crate::facts::MAX_CODES_PER_LINE
            ));
        }
        if !others.is_empty() {
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str("Failures in calls to other services than WSUS (they say nothing about the WSUS server):");
            for (svc, o) in &others {
                let mut codes: Vec<_> = o.codes.iter().collect();
                codes.sort_by_key(|(c, occ)| (std::cmp::Reverse(occ.count), **c));
                let listed: Vec<String> = codes.iter().take(5).map(|(c, occ)| code_line(ctx, **c, occ)).collect();
                d.push_str(&format!("\n{} ({} line(s)):\n{}", svc.label(), o.lines, listed.join("\n")));
                let more = codes.len().saturating_sub(5) as u64 + o.codes_cut;
                if more > 0 {
                    d.push_str(&format!("\nand {more} more code(s) of this service"));
                }
            }
            let network = others.iter().any(|(_, o)| o.codes.keys().any(|c| c & 0xFFFF_F000 == 0x8007_2000 || matches!(c, 0x8024401B | 0x80244021 | 0x80190197)));
            if network {
                match &f.client.log_proxy {
                    Some(p) => d.push_str(&format!("\nThose calls went through the proxy {} (as the log says at {}): a proxy that blocks or inspects Microsoft's update hosts fails them.", p.value, f.location(&p.evidence))),
                    None => d.push_str("\nNetwork failures towards Microsoft's hosts mean a firewall, proxy or TLS inspection between this machine and the internet; a WSUS client that should not go there needs no fix."),
                }
            }
        }
        let wsus_trouble = !ordered.is_empty() && !only_benign && ctx.applies_to_wsus();
        let first = ordered.first().map(|(c, _)| **c).or_else(|| others.first().and_then(|(_, o)| o.codes.keys().next().copied())).unwrap_or(0);
        let mut remedy = vec![
            "Start with the findings above that name a cause; these codes are usually their symptoms.".to_string(),
            format!("Decode any of them offline, e.g. `wsus-doctor code 0x{first:08X}`."),
        ];
        if !others.is_empty() && ctx.applies_to_wsus() {
            remedy.push("Codes of other services (the Store, Windows Update, Microsoft's endpoints) need a fix only if this machine should reach them; a WSUS client that gets everything from WSUS can ignore them.".to_string());
        }
        Outcome::Fired(Diagnosis {
            severity: Some(if wsus_trouble { Severity::Warning } else { Severity::Info }),
            detail: d,
            evidence: take_evidence(ordered.iter().map(|(_, o)| o.first.clone()).chain(others.iter().flat_map(|(_, o)| o.codes.values().map(|occ| occ.first.clone())))),
            remedy,
        })
    },
};

/// `0x80072EE2 ERROR_WINHTTP_TIMEOUT: meaning. ×3, times; first .., last ..`
fn code_line(ctx: &Context, code: u32, occ: &crate::facts::Occurrences) -> String {
    let (name, meaning) = match codes::lookup(code) {
        Some(e) => (e.name, e.meaning),
        None => ("(unknown)".to_string(), "not in WSUS Doctor's table".to_string()),
    };
    let when = match (occ.first_time, occ.last_time) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", at {a}"),
        _ => String::new(),
    };
    format!(
        "0x{code:08X} {name}: {meaning}. ×{}{when}; first {}, last {}",
        occ.count,
        ctx.facts.location(&occ.first),
        ctx.facts.location(&occ.last)
    )
}

pub static LOG_NOT_DECODED: Rule = Rule {
    id: "log-not-decoded",
    example: super::example!("log-not-decoded"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The Windows 10/11 log was not decoded (\"No Format Information found\")",
    needs: &[WindowsupdateLog],
    article: Article::GetWindowsUpdateLog,
    explain: "Windows 10 and later write ETL traces, which Get-WindowsUpdateLog turns into WindowsUpdate.log. Lines reading `Unknown( NN): GUID=... (No Format Information found)` mean the decoder lacked the format information (before Windows 10 1709 it needs Microsoft's symbol server), so the messages every rule reads are missing.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        if f.client.undecoded_etl.is_empty() {
            return Outcome::Passed;
        }
        Outcome::Fired(Diagnosis {
            severity: Some(if f.client.undecoded_etl.count * 2 > f.client.wu_records { Severity::Error } else { Severity::Warning }),
            detail: format!("{} of {} log lines are undecoded ETL records; their messages are lost, so most checks cannot see them.", f.client.undecoded_etl.count, f.client.wu_records),
            evidence: take_evidence(f.client.undecoded_etl.kept.clone()),
            remedy: vec![
                "On the client itself (the decoder must match its Windows build), open PowerShell as administrator.".to_string(),
                "Run `Get-WindowsUpdateLog -LogPath C:\\Temp\\WindowsUpdate.log` (it reads C:\\Windows\\Logs\\WindowsUpdate\\*.etl; use -ETLPath for traces copied from another machine).".to_string(),
                "For Windows 10 builds older than 1709, run it on a machine that can reach the Microsoft symbol server, on the same build as the client.".to_string(),
                "Give WSUS Doctor the new C:\\Temp\\WindowsUpdate.log.".to_string(),
            ],
        })
    },
};
