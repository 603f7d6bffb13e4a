//! CVE-2025-59287: is this WSUS server being exploited, or open to it?
//!
//! Unauthenticated deserialisation of untrusted data in WSUS (CVSS 9.8), fixed by the
//! out-of-band updates of 23 October 2025, exploited in the wild since 24 October 2025 (CISA KEV).

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::facts::Facts;
use crate::kind::InputKind::{EventLog, IisLog, Registry, SoftwaredistributionLog, WindowsupdateLog};
use crate::registry::KeyRole;
use crate::report::{Evidence, Severity};

/// The fix, per Windows Server build: the first fixed update revision (UBR) and the 23 October
/// 2025 out-of-band update that brings it. Data, not code: a later WSUS CVE adds a table.
///
/// Sources: fixed versions (`versionEndExcluding`) from the CVE record
/// (github.com/CVEProject/cvelistV5, cves/2025/59xxx/CVE-2025-59287.json, as quoted in the
/// project's landscape-2026 research) and Microsoft's advisory
/// https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-59287 ; KB numbers from the
/// out-of-band release lists (CISA alert of 24 Oct 2025, third-party lists in the research file).
pub struct FixedBuild {
    pub build: u32,
    pub name: &'static str,
    /// First fixed UBR (the fourth part of 10.0.build.UBR / 6.x.build.UBR).
    pub fixed_ubr: u32,
    pub kb: &'static str,
    /// Other updates that carry the fix (hotpatch variant).
    pub also: &'static [&'static str],
    /// Said in the finding when a number is less certain than the others.
    pub note: Option<&'static str>,
}

pub static FIXED_BUILDS: &[FixedBuild] = &[
    FixedBuild {
        build: 9200,
        name: "Windows Server 2012",
        fixed_ubr: 25728,
        kb: "KB5070887",
        also: &[],
        // the research file maps KB5070887 to Server 2012 by elimination only
        note: Some("the KB number for Windows Server 2012 is not confirmed by a Microsoft page in WSUS Doctor's sources: check the advisory's table"),
    },
    FixedBuild { build: 9600, name: "Windows Server 2012 R2", fixed_ubr: 22826, kb: "KB5070886", also: &[], note: None },
    FixedBuild { build: 14393, name: "Windows Server 2016", fixed_ubr: 8524, kb: "KB5070882", also: &[], note: None },
    FixedBuild { build: 17763, name: "Windows Server 2019", fixed_ubr: 7922, kb: "KB5070883", also: &[], note: None },
    FixedBuild { build: 20348, name: "Windows Server 2022", fixed_ubr: 4297, kb: "KB5070884", also: &[], note: None },
    FixedBuild { build: 25398, name: "Windows Server 2022, 23H2", fixed_ubr: 1916, kb: "KB5070879", also: &[], note: None },
    // Hotpatch-enrolled machines got KB5070893 on the October baseline KB5066835 instead
    FixedBuild { build: 26100, name: "Windows Server 2025", fixed_ubr: 6905, kb: "KB5070881", also: &["KB5070893"], note: None },
];

pub fn fixed_build(build: u32) -> Option<&'static FixedBuild> {
    FIXED_BUILDS.iter().find(|b| b.build == build)
}

const MSRC: &str = "https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-59287";

fn block_ports() -> String {
    "Until the update is installed, block inbound TCP 8530 and 8531 at the server's host firewall (`New-NetFirewallRule -DisplayName \"Block WSUS (CVE-2025-59287)\" -Direction Inbound -Protocol TCP -LocalPort 8530,8531 -Action Block`), or remove the WSUS role: clients cannot scan meanwhile, which is the price of closing the hole.".to_string()
}

/// Why the evidence says this machine is a WSUS server (the first reason found).
fn wsus_role(f: &Facts) -> Option<(String, Option<Evidence>)> {
    if let Some(e) = &f.exploit.wsus_role {
        return Some(("its Update Services\\Server registry key or feature list shows the role".into(), Some(e.clone())));
    }
    if let Some(g) = f.iis.wsus_requests.values().next() {
        return Some(("its IIS log serves WSUS paths".into(), g.evidence.first().cloned()));
    }
    if f.server.records > 0 {
        return Some(("its SoftwareDistribution.log".into(), f.server.errors.kept.first().cloned()));
    }
    if let Some(o) = f.server.events.values().next() {
        return Some(("its WSUS events".into(), Some(o.first.clone())));
    }
    if f.exploit.spawned_count > 0 {
        return Some((
            "processes started by the WSUS service or its pool".into(),
            f.exploit.spawned.first().and_then(|s| s.evidence.first().cloned()),
        ));
    }
    None
}

/// The build, its UBR and the product name, from the registry, then `ver`/`systeminfo` text,
/// then a log's `OS Version` line.
struct Build {
    build: u32,
    build_ev: Evidence,
    ubr: Option<(u32, Evidence)>,
    product: Option<String>,
}

fn server_build(f: &Facts) -> Option<Build> {
    let reg_num = |name: &str| {
        f.registry.reg(KeyRole::WindowsVersion, name).and_then(|s| {
            s.value.as_u32().or_else(|| s.value.as_text().and_then(|t| t.trim().parse().ok())).map(|v| (v, s.evidence.clone()))
        })
    };
    let reg_text = |name: &str| f.registry.reg(KeyRole::WindowsVersion, name).and_then(|s| s.value.as_text().map(str::to_string));
    let loose = &f.exploit.loose;
    let (build, build_ev) = reg_num("CurrentBuildNumber")
        .or_else(|| reg_num("CurrentBuild"))
        .or_else(|| loose.build.as_ref().map(|s| (s.value, s.evidence.clone())))
        .or_else(|| {
            let s = f.client.os_version.as_ref()?;
            let parts: Vec<u32> = s.value.split('.').filter_map(|p| p.parse().ok()).collect();
            (parts.len() >= 3 && matches!(parts[0], 6 | 10)).then(|| (parts[2], s.evidence.clone()))
        })?;
    let ubr = reg_num("UBR").or_else(|| loose.ubr.as_ref().map(|s| (s.value, s.evidence.clone()))).or_else(|| {
        let s = f.client.os_version.as_ref()?;
        let parts: Vec<u32> = s.value.split('.').filter_map(|p| p.parse().ok()).collect();
        (parts.len() >= 4 && parts[2] == build).then(|| (parts[3], s.evidence.clone()))
    });
    let product = reg_text("ProductName")
        .map(|p| match reg_text("InstallationType") {
            Some(t) => format!("{p} ({t})"),
            None => p,
        })
        .or_else(|| loose.product.as_ref().map(|s| s.value.clone()));
    Some(Build { build, build_ev, ubr, product })
}

pub static WSUS_VULNERABLE_BUILD: Rule = Rule {
    id: "wsus-vulnerable-build",
    example: super::example!("wsus-vulnerable-build"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Critical,
    title: "This WSUS server's build does not show the CVE-2025-59287 fix (unauthenticated remote code execution, exploited in the wild)",
    needs: &[Registry, IisLog, SoftwaredistributionLog, EventLog, WindowsupdateLog],
    article: Article::Cve202559287,
    explain: "CVE-2025-59287 lets anyone who reaches WSUS's web services on 8530/8531 run code as SYSTEM by sending a crafted, serialised object (CVSS 9.8). Microsoft's October 2025 Patch Tuesday fix was incomplete; the out-of-band cumulative updates of 23 October 2025 close it, and CISA lists it as exploited since 24 October. The rule compares the server's build and update revision (UBR, from a registry export of HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion, `ver`, `winver`, `systeminfo` or `Get-ComputerInfo`) with the first fixed revision for that Windows Server version, and fires only when the evidence also shows the WSUS role. A hotfix list without UBR can only confirm the fix (its KB listed), not rule it out, since any later cumulative update carries it too.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        let Some((why_wsus, role_ev)) = wsus_role(f) else {
            return Outcome::NotRun("the evidence does not show the WSUS role on this machine: add its IIS log, SoftwareDistribution.log, WSUS events, or `reg query \"HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup\"`".into());
        };
        let Some(b) = server_build(f) else {
            return Outcome::NotRun("the server's build is not in the evidence: add `reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\"` (CurrentBuildNumber and UBR), or the output of `ver` or `systeminfo`".into());
        };
        if let Some(p) = b.product.as_deref().filter(|p| !p.contains("Server")) {
            return Outcome::NotRun(format!("the build in the evidence ({}) is of a Windows client ({p}), not of the WSUS server: add the server's own registry export or `systeminfo`", b.build));
        }
        // 9200, 9600, 14393, 17763 and 26100 are client builds too (8, 8.1, 10 1607/1809, 11 24H2):
        // a build from another input than the role's, with no product name, may be a client's
        let shared_with_clients = !matches!(b.build, 20348 | 25398);
        if b.product.is_none() && shared_with_clients && role_ev.as_ref().is_none_or(|e| e.input != b.build_ev.input) {
            return Outcome::NotRun(format!(
                "build {} is also a Windows client's, and the evidence does not say it is the WSUS server's: add the server's ProductName (registry export of HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion) or its `systeminfo`",
                b.build
            ));
        }
        let Some(fix) = fixed_build(b.build) else {
            return Outcome::NotRun(format!(
                "build {} is not a Windows Server version with a CVE-2025-59287 fix in WSUS Doctor's table (Windows Server 2012 to 2025); check Microsoft's advisory {MSRC}",
                b.build
            ));
        };
        let note = fix.note.map(|n| format!(" Note: {n}.")).unwrap_or_default();
        let on = format!("{} (build {})", fix.name, fix.build);
        let mut evidence = vec![b.build_ev.clone()];
        let mut remedy = vec![
            format!("Install {} (the out-of-band update of 23 October 2025 for {}) or any later cumulative update, and restart: the server must reach build {}.{} or later. Microsoft's advisory lists the updates: {MSRC}.", fix.kb, fix.name, fix.build, fix.fixed_ubr),
            block_ports(),
            "Look for signs it was already used: the WSUS site's IIS log (POSTs to ReportingWebService, SimpleAuth and Client.asmx from unknown sources and user agents), Application event 7053 naming ObjectDataProvider, and processes started by wsusservice.exe or w3wp.exe; add them here and the rule wsus-exploitation-suspected reads them.".to_string(),
        ];
        if let Some((ubr, ev)) = &b.ubr {
            if ev != &b.build_ev {
                evidence.push(ev.clone());
            }
            if *ubr >= fix.fixed_ubr {
                return Outcome::Passed;
            }
            if let Some(e) = role_ev {
                evidence.push(e);
            }
            let detail = format!(
                "This machine is a WSUS server ({why_wsus}) running {on} at update revision {ubr} (build {}.{ubr}); the fix for CVE-2025-59287 arrived with revision {} ({}). It is open to unauthenticated remote code execution by anyone who reaches ports 8530/8531.{note}",
                fix.build, fix.fixed_ubr, fix.kb
            );
            return Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(evidence), remedy });
        }
        // no UBR: the hotfix list can confirm the fix, not rule it out
        let named = std::iter::once(fix.kb).chain(fix.also.iter().copied()).find_map(|kb| f.exploit.hotfixes.get(kb));
        if named.is_some() {
            return Outcome::Passed;
        }
        let Some(list) = &f.exploit.hotfix_list else {
            return Outcome::NotRun(format!(
                "the update revision (UBR) of {on} is not in the evidence: add `reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" /v UBR`, `ver`, or `systeminfo` (its hotfix list)"
            ));
        };
        evidence.push(list.clone());
        if let Some(e) = role_ev {
            evidence.push(e);
        }
        let listed: Vec<&str> = f.exploit.hotfixes.keys().map(String::as_str).take(12).collect();
        let detail = format!(
            "This machine is a WSUS server ({why_wsus}) running {on}; the evidence gives no update revision (UBR), and the hotfix list ({}) does not name {}, the out-of-band fix of 23 October 2025. A cumulative update released after it carries the fix too, so this is not proof: the server is open to CVE-2025-59287 unless one of the listed updates is such a later cumulative update. The UBR settles it (fixed from {}.{}).{note}",
            if listed.is_empty() { "empty".to_string() } else { listed.join(", ") },
            fix.kb,
            fix.build,
            fix.fixed_ubr
        );
        remedy.insert(0, format!("Read the revision: `reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" /v UBR` (or `ver`): below {} the server is open.", fix.fixed_ubr));
        Outcome::Fired(Diagnosis { severity: Some(Severity::Warning), detail, evidence: take_evidence(evidence), remedy })
    },
};

pub static WSUS_EXPLOITATION_SUSPECTED: Rule = Rule {
    id: "wsus-exploitation-suspected",
    example: super::example!("wsus-exploitation-suspected"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Critical,
    title: "The WSUS server shows signs of CVE-2025-59287 exploitation",
    needs: &[IisLog, EventLog],
    article: Article::Cve202559287,
    explain: "Published indicators of CVE-2025-59287 exploitation (Huntress, Eye Security, Unit 42, the Sigma, Splunk and Elastic rules, the public exploits' own notes): in the WSUS site's IIS log, POSTs to ReportingWebService, SimpleAuth and Client.asmx from a caller that is neither the Windows Update Agent nor a WSUS server or console (their .NET web services client), strongest as the exploit's burst (Reporting, SimpleAuth, Client, Reporting from one address within minutes); Application event 7053 of WSUS whose exception casts System.Windows.Data.ObjectDataProvider to System.Windows.Media.Brush (the ysoserial.net gadget), which the ordinary console crash and SQL time-outs under the same event id do not carry; and shells or recon tools (cmd, powershell, curl, whoami, net, nltest, ipconfig) started by wsusservice.exe or by w3wp.exe of WsusPool (Sysmon 1, Security 4688). Thousands of client POSTs with the Windows Update Agent's user agent are normal and are not counted.",
    check: |ctx: &Context| {
        let x = &ctx.facts.exploit;
        let host = "the WSUS server";
        // code ran (a process) or a payload was deserialised (7053), against only an attempt (IIS)
        let ran = x.spawned_count > 0 || !x.payload_events.is_empty();
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        let mut evidence = Vec::new();
        // processes: the strongest sign (code already ran)
        if x.spawned_count > 0 {
            let list: Vec<String> = x
                .spawned
                .iter()
                .map(|s| {
                    let pool = if s.parent == "w3wp.exe" {
                        if s.wsus_pool { " (WsusPool)" } else { " (its pool is not named by the event; on a WSUS server WsusPool is the one exposed)" }
                    } else {
                        ""
                    };
                    let cmd = if s.command_line.is_empty() { String::new() } else { format!(": {}", s.command_line) };
                    format!("{} started {}{pool} ({}{cmd})", s.parent, s.child, s.event)
                })
                .collect();
            strong.push(format!(
                "{} process creation(s) of a shell or recon tool under a WSUS process: {}. Strong: WSUS never starts these itself; the observed intrusions ran whoami, net user /domain, ipconfig /all and curl this way.",
                x.spawned_count,
                list.join("; ")
            ));
            evidence.extend(x.spawned.iter().flat_map(|s| s.evidence.iter().cloned()));
        }
        if !x.payload_events.is_empty() {
            let markers: Vec<&str> = x.payload_markers.iter().copied().collect();
            strong.push(format!(
                "{} WSUS event(s) carry a .NET deserialisation gadget ({}). Strong: this is the exception the exploit's payload leaves once it has been deserialised, and on a server without the fix its command has run by then (Sigma: Exploitation Activity of CVE-2025-59287); the console crash under the same event 7053 does not name these types.",
                x.payload_events.count,
                markers.join(", ")
            ));
            evidence.extend(x.payload_events.kept.iter().cloned());
        }
        let counts = |s: &crate::facts::SourcePosts| {
            format!("{} POST(s): {} ReportingWebService, {} SimpleAuth, {} Client.asmx; user agent {}", s.total(), s.reporting, s.simple_auth, s.client, s.user_agent)
        };
        let usable = |s: &&crate::facts::SourcePosts| s.user_agent != "-" || x.agents_seen;
        let seq: Vec<(&String, &crate::facts::SourcePosts)> = x.sequences().filter(|(_, s)| usable(s)).collect();
        if !seq.is_empty() {
            let list: Vec<String> = seq.iter().take(5).map(|(ip, s)| format!("{ip} ({})", counts(s))).collect();
            strong.push(format!(
                "The exploit's sequence of calls (ReportingWebService, SimpleAuth, Client.asmx, ReportingWebService, within {} minutes) came from {} address(es): {}. Strong for an attempt (the public exploits and scanners make exactly these calls); the IIS log cannot show whether the payload ran (IIS does not log the SOAP action or body).",
                crate::facts::BURST_SECONDS / 60,
                seq.len(),
                list.join("; ")
            ));
            for (_, s) in seq.iter().take(2) {
                evidence.extend(s.sequence.iter().flatten().cloned());
            }
        }
        let others: Vec<(&String, &crate::facts::SourcePosts)> =
            x.unusual_posts.iter().filter(|(_, s)| s.sequence.is_none() && usable(s) && (s.reporting > 0 || s.client > 0)).collect();
        if !others.is_empty() {
            let list: Vec<String> = others.iter().take(5).map(|(ip, s)| format!("{ip} ({})", counts(s))).collect();
            let more = if others.len() > 5 { format!(" and {} more address(es)", others.len() - 5) } else { String::new() };
            let cut = if x.sources_cut > 0 {
                format!(" ({} further POST(s) from addresses past the first {} were counted, not listed)", x.sources_cut, crate::facts::MAX_SOURCES)
            } else {
                String::new()
            };
            weak.push(format!(
                "POSTs to the exploited web services from callers that are neither the Windows Update Agent nor a WSUS server: {}{more}{cut}. Weak on its own: an inventory or monitoring tool can do this; the exploit's full sequence is not there. For comparison, {} POST(s) came from the Windows Update Agent.",
                list.join("; "),
                x.wua_posts
            ));
            if evidence.len() < 2 {
                for (_, s) in others.iter().take(2) {
                    evidence.extend(s.evidence.iter().take(2).cloned());
                }
            }
        }
        if strong.is_empty() && weak.is_empty() {
            return Outcome::Passed;
        }
        let mut detail = strong.clone();
        detail.extend(weak);
        if !x.console_crash_7053.is_empty() {
            detail.push(format!("{} other event 7053(s) are the ordinary console crash (no gadget in their text).", x.console_crash_7053.count));
        }
        let mut remedy = Vec::new();
        if !strong.is_empty() && !ran {
            remedy.push(format!("The attempt is certain, its success is not: if {host} lacked the 23 October 2025 fix at that time, treat it as compromised (isolate it, investigate, rotate credentials). Look for its traces: Application event 7053 naming ObjectDataProvider around the times cited, process creation under wsusservice.exe and w3wp.exe (Sysmon 1, Security 4688 with command-line auditing), outbound connections from the server."));
            remedy.push("Find who the source address is (firewall, NAT, VPN logs); an internet address reaching 8530/8531 means the WSUS ports are exposed: close them at the perimeter whatever the patch level.".to_string());
        } else if !strong.is_empty() {
            remedy.push(format!("Treat {host} as compromised: isolate it from the network (keep it running if you will take memory for forensics), and bring in your incident response. Code ran as SYSTEM (or as the pool's identity) on a server that every client trusts for updates."));
            remedy.push("Investigate from the times cited: process creation under wsusservice.exe and w3wp.exe (cmd, powershell, curl), outbound connections (exfiltration to webhook.site was seen), new accounts, services and scheduled tasks; check what the WSUS server could reach (SUSDB, file shares, the domain).".to_string());
            remedy.push("Rotate the credentials that were used on or stored on the server (local administrators, service accounts, SQL logins, any domain account that logged on to it); after an intrusion, rebuild rather than clean.".to_string());
        } else {
            remedy.push(format!("Identify the callers listed (asset inventory, DHCP, DNS); if one is not a WSUS client or tool you know, treat {host} as possibly attacked and check the Application log for event 7053 and process creation under wsusservice.exe/w3wp.exe."));
        }
        remedy.push(format!("Make sure the server has the 23 October 2025 out-of-band update for its Windows Server version (or a later cumulative update); the advisory lists them: {MSRC}. The rule wsus-vulnerable-build checks the build when the registry export or `systeminfo` is given."));
        remedy.push(block_ports());
        let severity = if strong.is_empty() { Some(Severity::Warning) } else { None };
        Outcome::Fired(Diagnosis { severity, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_build() {
        let mut b: Vec<u32> = FIXED_BUILDS.iter().map(|f| f.build).collect();
        b.sort();
        b.dedup();
        assert_eq!(b.len(), FIXED_BUILDS.len());
        assert_eq!(fixed_build(20348).map(|f| (f.fixed_ubr, f.kb)), Some((4297, "KB5070884")));
    }

    fn status(ver: &str) -> Option<crate::report::CheckStatus> {
        let iis = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n2025-10-24 06:55:12 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.1.40 Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 - 200 0 0 171\n";
        let inputs = [
            crate::Input { name: "u_ex251024.log", bytes: iis.as_bytes(), kind: None },
            crate::Input { name: "ver.txt", bytes: ver.as_bytes(), kind: None },
        ];
        crate::diagnose(&inputs).check("wsus-vulnerable-build").map(|c| c.status)
    }

    #[test]
    fn a_build_clients_share_needs_the_product_when_the_role_is_elsewhere() {
        use crate::report::CheckStatus;
        // 26100 is Windows 11 24H2 as well as Server 2025: `ver` alone does not say which
        assert_eq!(status("Microsoft Windows [Version 10.0.26100.4061]\n"), Some(CheckStatus::NotRun));
        // 20348 is only ever Server 2022
        assert_eq!(status("Microsoft Windows [Version 10.0.20348.2700]\n"), Some(CheckStatus::Fired));
        assert_eq!(status("Microsoft Windows [Version 10.0.20348.4405]\n"), Some(CheckStatus::Passed));
    }
}
