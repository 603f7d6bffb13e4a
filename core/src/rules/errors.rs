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
    severity: Severity::Warning,
    title: "Windows Update error codes in the client log",
    needs: &[WindowsupdateLog],
    article: Article::ErrorReference,
    explain: "Every failure HRESULT in WindowsUpdate.log, decoded to its SDK name: WU_E_* (wuerror.h), WU_E_PT_HTTP_STATUS_* and BITS 0x8019xxxx (which carry the HTTP status: 0x80244019 and 0x80190194 are HTTP 404), and WinHTTP 0x80072Exx/0x80072Fxx network errors (winhttp.h); with counts and first/last occurrence.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        if f.client.codes.is_empty() {
            return Outcome::Passed;
        }
        let mut lines = Vec::new();
        let mut only_benign = true;
        let mut ordered: Vec<_> = f.client.codes.iter().collect();
        // most frequent first; among equals, codes with a name before those without
        ordered.sort_by_cached_key(|(c, o)| (std::cmp::Reverse(o.count), codes::lookup(**c).is_none(), **c));
        only_benign &= ordered.iter().all(|(c, _)| BENIGN.contains(c));
        for (code, occ) in ordered.iter().take(MAX_LISTED) {
            let (name, meaning) = match codes::lookup(**code) {
                Some(e) => (e.name, e.meaning),
                None => ("(unknown)".to_string(), "not in WSUS Doctor's table".to_string()),
            };
            let when = match (occ.first_time, occ.last_time) {
                (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
                (Some(a), _) => format!(", at {a}"),
                _ => String::new(),
            };
            lines.push(format!(
                "0x{code:08X} {name}: {meaning}. ×{}{when}; first {}, last {}",
                occ.count,
                ctx.facts.location(&occ.first),
                ctx.facts.location(&occ.last)
            ));
        }
        Outcome::Fired(Diagnosis {
            severity: Some(if only_benign { Severity::Info } else { Severity::Warning }),
            detail: {
                let mut d = format!("{} distinct error code(s):\n{}", ordered.len(), lines.join("\n"));
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
                d
            },
            evidence: take_evidence(ordered.iter().map(|(_, o)| o.first.clone())),
            remedy: vec![
                "Start with the findings above that name a cause; these codes are usually their symptoms.".to_string(),
                format!("Decode any of them offline, e.g. `wsus-doctor code 0x{:08X}`.", ordered[0].0),
            ],
        })
    },
};

pub static LOG_NOT_DECODED: Rule = Rule {
    id: "log-not-decoded",
    example: super::example!("log-not-decoded"),
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
