//! Can the client reach its WSUS server at all? From the article's client connectivity checks
//! and its note on LastWaitTimeout jumping 24 hours.

use super::policy::wait_gap_hours;
use super::{take_evidence, Article, ClientEra, Context, Diagnosis, Outcome, Rule};
use crate::codes;
use crate::kind::InputKind::{IisLog, Registry, WindowsupdateLog};
use crate::report::Severity;

/// Codes meaning "could not connect, resolve or got no answer in time".
pub const UNREACHABLE_CODES: &[u32] = &[
    0x80072EE2, // ERROR_WINHTTP_TIMEOUT
    0x80072EE7, // ERROR_WINHTTP_NAME_NOT_RESOLVED
    0x80072EFD, // ERROR_WINHTTP_CANNOT_CONNECT
    0x80072EFE, // ERROR_WINHTTP_CONNECTION_ERROR
    0x8024402C, // WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
    0x8024001F, // WU_E_NO_CONNECTION
    0x80240438, // WU_E_PT_ENDPOINT_UNREACHABLE
];

/// Codes meaning "an HTTP time-out status came back" (408 from the server, 504 from a gateway):
/// an answer did come, so these are not "unreachable" (see `scan-timeout`).
pub const TIMEOUT_STATUS_CODES: &[u32] = &[
    0x8024401C, // WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT (408)
    0x80244023, // WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT (504)
    0x80190198, // BG_E_HTTP_ERROR_408
];

/// `0x80072EE2 ERROR_WINHTTP_TIMEOUT ×3` for each code found.
pub(crate) fn code_list(hits: &[(u32, &crate::facts::Occurrences)]) -> Vec<String> {
    hits.iter().map(|(c, o)| format!("0x{c:08X} {} ×{}", codes::lookup(*c).map(|e| e.name).unwrap_or_default(), o.count)).collect()
}

pub(crate) fn connectivity_steps(ctx: &Context) -> Vec<String> {
    let (iuident, wuaucomp) = ctx.selfupdate_test_urls();
    let url = ctx.server_url();
    let host = ctx.host();
    if ctx.era == ClientEra::Modern {
        // Windows 10/11: no Internet Explorer, no proxycfg, no SUS-era self-update files
        let port = ctx.server.as_ref().map(|s| s.effective_port()).unwrap_or(8530);
        let mut steps = vec![
            format!("On the client, in PowerShell: `Test-NetConnection {host} -Port {port}` (name resolution and the TCP connection)."),
            format!("Then `Invoke-WebRequest -UseBasicParsing {url}/ClientWebService/wusserverversion.xml`: an XML answer proves the WSUS web services answer this client."),
            "If these fail, check the WinHTTP proxy the update service uses (`netsh winhttp show proxy`) and any firewall between client and server on the WSUS port.".to_string(),
        ];
        steps.extend(ctx.guesses());
        return steps;
    }
    if ctx.era == ClientEra::Unknown && ctx.os_folder.is_none() {
        // nothing says which Windows: steps that hold on every era, the SUS-era files last
        let port = ctx.server.as_ref().map(|s| s.effective_port()).unwrap_or(8530);
        let mut steps = vec![
            format!("On the client, check the name resolves: `nslookup {host}`; on Windows 8.1 / Server 2012 R2 and later also `Test-NetConnection {host} -Port {port}` in PowerShell (the TCP connection)."),
            format!("From the client, open {url}/ClientWebService/wusserverversion.xml (a browser, or `Invoke-WebRequest -UseBasicParsing` in PowerShell): an XML answer proves the WSUS web services answer this client."),
            format!("Only on Windows XP / Server 2003 clients: also open {iuident} and {wuaucomp}, the self-update files their agent fetches first."),
            "If these fail, check the WinHTTP proxy the update service uses (`netsh winhttp show proxy`; `proxycfg` on XP/2003) and any firewall between client and server on the WSUS port.".to_string(),
        ];
        steps.extend(ctx.guesses());
        return steps;
    }
    let agent_major = ctx
        .facts
        .client
        .agent_build
        .as_ref()
        .or(ctx.facts.client.agent_version.as_ref())
        .and_then(|s| s.value.split('.').next()?.parse::<u32>().ok());
    if ctx.os_folder.is_none() && agent_major.is_some_and(|m| m >= 7) {
        // a WSUS 3.0-era agent (Vista, 7, 8, 2008): its self-update files sit under /selfupdate on the WSUS port
        let mut steps = vec![
            format!("On the client, check the name resolves and answers: `ping {host}` (or `nslookup {host}`)."),
            format!("On the client, open {url}/selfupdate/wuident.cab in Internet Explorer: you should be offered the file to open or save (cancel). This proves the client reaches the server on its port."),
            format!("Then open {url}/ClientWebService/wusserverversion.xml the same way: an XML answer proves the client web service answers."),
            "If these fail, check the WinHTTP proxy the update service uses (`netsh winhttp show proxy`) and any firewall between client and server on the WSUS port.".to_string(),
        ];
        if ctx.server.is_none() {
            steps.push("Note: WSUSSERVER is a placeholder for your WSUS server's name (no WUServer value was found).".to_string());
        }
        return steps;
    }
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
    caused_by: &[&PROXY_IN_PATH, &super::policy::WUSERVER_INVALID, &super::modern::WUSERVER_POINTS_NOWHERE],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "The client cannot reach the WSUS server (connect, name or time-out errors)",
    needs: &[WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "WinHTTP time-outs (0x80072EE2), failed connects (0x80072EFD), unresolved names (0x80072EE7, 0x8024402C) and their relatives mean the client's requests never got an HTTP answer. The article's check: open iuident.cab and the self-update cab from the client in a browser.",
    check: |ctx| {
        let hits = ctx.wsus_codes_in(UNREACHABLE_CODES);
        if hits.is_empty() {
            return Outcome::Passed;
        }
        let parts = code_list(&hits);
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
    caused_by: &[&WSUS_UNREACHABLE],
    data: false,
    wsus_client: true,
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
    caused_by: &[&super::policy::WUSERVER_MISSING, &super::policy::USEWUSERVER_OFF, &super::policy::AUTOMATIC_UPDATES_OFF],
    data: false,
    wsus_client: true,
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
        if !f.client.server_contact.is_empty() || !f.client.codes.is_empty() || f.client.other_contact > 0 {
            return Outcome::Passed;
        }
        if f.client.undecoded_etl.count * 2 > f.client.wu_records {
            return Outcome::NotRun("the log is not decoded (see log-not-decoded)".into());
        }
        // silence means something only in a log that shows the agent running: its start or its
        // configuration block, or enough records; a few lines of one install phase do not
        if f.client.agent_build.is_none() && f.client.log_wsus_server.is_none() && f.client.wu_records < 50 {
            return Outcome::NotRun(format!(
                "the excerpt ({} record(s)) shows neither the agent starting nor its configuration, so the absence of server contact says nothing: give the whole log",
                f.client.wu_records
            ));
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

pub static SCAN_TIMEOUT: Rule = Rule {
    id: "scan-timeout",
    example: super::example!("scan-timeout"),
    caused_by: &[&super::server::WSUSPOOL_OVERLOADED, &PROXY_IN_PATH],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "Scans against the WSUS server time out (HTTP 408 / 504)",
    needs: &[WindowsupdateLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "0x8024401C (HTTP 408) and 0x80244023 (HTTP 504) mean a request did reach something that answered, but the answer was \"too slow\". On a WSUS server the usual cause is the server itself: the WsusPool application pool recycling or out of memory, an unmaintained SUSDB making every scan slow, or IIS time-outs too short for a big catalogue. The network comes second. The server's IIS and HTTPERR logs show which.",
    check: |ctx| {
        let f = ctx.facts;
        let hits = ctx.wsus_codes_in(TIMEOUT_STATUS_CODES);
        if hits.is_empty() {
            return Outcome::Passed;
        }
        let parts = code_list(&hits);
        let server = ctx.server.as_ref().map(|s| format!(" ({})", s.url)).unwrap_or_default();
        let mut detail = format!("The client's requests to its update server{server} timed out with an HTTP answer: {}.", parts.join(", "));
        let host = ctx.host();
        let mut remedy = vec![
            format!("On the WSUS server {host}: in IIS Manager > Application Pools > WsusPool > Advanced Settings, set Private Memory Limit to 0 (or at least 4 GB), Queue Length to 2000 or more, and turn Rapid-Fail Protection off; then `iisreset`."),
            "Then reduce what every scan has to read: decline superseded and expired updates, run the Server Cleanup Wizard, and reindex SUSDB (Microsoft's WSUS maintenance guide has the script).".to_string(),
            "If the server is healthy, look at what is between the client and it: a proxy or load balancer with a short time-out answers 504.".to_string(),
        ];
        if !f.has(IisLog) {
            remedy.insert(0, format!("Add the WSUS server's evidence to this diagnosis: its IIS log of the same day (C:\\inetpub\\logs\\LogFiles\\W3SVC<site id>) and C:\\Windows\\System32\\LogFiles\\HTTPERR\\httperr*.log from {host}; 503 or AppOffline lines there mean the application pool stopped."));
        } else {
            detail.push_str(" The server's IIS log is part of this diagnosis: see the findings about its error statuses, if any.");
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail,
            evidence: take_evidence(hits.iter().flat_map(|(_, o)| [o.first.clone(), o.last.clone()])),
            remedy,
        })
    },
};

/// Certificate and TLS failures on the HTTPS connection to WSUS (usually port 8531).
pub const TLS_CODES: &[u32] = &[
    0x80072F8F, // ERROR_WINHTTP_SECURE_FAILURE: often the client's clock
    0x80072F0D, // ERROR_WINHTTP_SECURE_CERT_AUTHORITY_INVALID
    0x800B0109, // CERT_E_UNTRUSTEDROOT
    0x800B0101, // CERT_E_EXPIRED
    0x80072F0C, // ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED
    0x80072F7D, // ERROR_WINHTTP_SECURE_CHANNEL_ERROR
    0x80072F06, // ERROR_WINHTTP_SECURE_CERT_CN_INVALID
    0x80072F05, // ERROR_WINHTTP_SECURE_CERT_DATE_INVALID
];

pub static TLS_CERTIFICATE_FAILURE: Rule = Rule {
    id: "tls-certificate-failure",
    example: super::example!("tls-certificate-failure"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "HTTPS to the WSUS server fails on its certificate or the TLS handshake",
    needs: &[WindowsupdateLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "With WSUS on HTTPS (usually port 8531) the client must trust the server's certificate, find the server's name in it, see it valid today, and agree on a TLS version. 0x80072F8F is a secure-channel failure, most often a wrong clock on the client; 0x80072F0D / 0x800B0109 an untrusted root; 0x800B0101 / 0x80072F05 an expired certificate; 0x80072F06 a name mismatch; 0x80072F0C means the virtual directories require client certificates.",
    check: |ctx| {
        let hits = ctx.wsus_codes_in(TLS_CODES);
        if hits.is_empty() {
            return Outcome::Passed;
        }
        let host = ctx.host();
        let url = ctx.server_url();
        let mut remedy = Vec::new();
        let has = |c: u32| hits.iter().any(|(h, _)| *h == c);
        if has(0x80072F8F) || has(0x80072F05) {
            remedy.push("Check the client's date, time and time zone (`w32tm /query /status`; `w32tm /resync`): a certificate is \"not yet valid\" or \"expired\" on a clock that is wrong.".to_string());
        }
        if has(0x80072F0D) || has(0x800B0109) {
            remedy.push(format!("Import the CA that issued {host}'s certificate into the client's Local Computer > Trusted Root Certification Authorities (by Group Policy for all clients), then open {url} in a browser on the client: no certificate warning may appear."));
        }
        if has(0x800B0101) || has(0x80072F05) {
            remedy.push(format!("Renew the certificate bound to the WSUS site on {host} (IIS Manager > the WSUS Administration site > Bindings > https), then `iisreset`."));
        }
        if has(0x80072F06) {
            remedy.push(format!("The certificate must name {host} exactly as WUServer spells it (Subject or Subject Alternative Name); reissue it, or make WUServer use the name in the certificate."));
        }
        if has(0x80072F0C) {
            remedy.push("On the WSUS server, IIS Manager > WSUS Administration > each web service (ClientWebService, SimpleAuthWebService, ...) > SSL Settings: set Client certificates to Ignore.".to_string());
        }
        if has(0x80072F7D) {
            remedy.push("The client and server share no TLS version or cipher: enable TLS 1.2 on both (Windows 7 / Server 2008 R2 need KB3140245 and the DefaultSecureProtocols value), then restart the Windows Update service.".to_string());
        }
        remedy.push(ctx.detect_now());
        let parts = code_list(&hits);
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("The secure connection to {url} failed: {}.", parts.join(", ")),
            evidence: take_evidence(hits.iter().flat_map(|(_, o)| [o.first.clone(), o.last.clone()])),
            remedy,
        })
    },
};

/// HTTP statuses that only a proxy sends (407) or that a proxy sends for an upstream failure (502).
const PROXY_CODES: &[u32] = &[
    0x8024401B, // WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ (407)
    0x80190197, // BG_E_HTTP_ERROR_407
    0x80244021, // WU_E_PT_HTTP_STATUS_BAD_GATEWAY (502)
];

pub static PROXY_IN_PATH: Rule = Rule {
    id: "proxy-in-path",
    example: super::example!("proxy-in-path"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "A proxy stands between the client and WSUS",
    needs: &[WindowsupdateLog, Registry],
    article: Article::WsusConnectionTroubleshooting,
    explain: "The Windows Update service talks through the WinHTTP proxy (`netsh winhttp show proxy`), not the browser's. A WSUS server on the intranet should be reached directly: a proxy in the way answers 407 when it wants credentials the SYSTEM account cannot give (0x8024401B), 502 when it cannot reach the server itself (0x80244021), or simply slows and breaks long scans. The fix is a bypass entry for the WSUS server, or no WinHTTP proxy at all.",
    check: |ctx| {
        let f = ctx.facts;
        let hits = ctx.wsus_codes_in(PROXY_CODES);
        let host = ctx.server.as_ref().map(|s| s.host.clone());
        let proxy = f.registry.winhttp_proxy.as_ref().and_then(|p| p.value.clone().map(|v| (v, p.evidence.clone())));
        let bypass = f.registry.winhttp_bypass.as_ref();
        let not_bypassed = match (&proxy, &host) {
            (Some(_), Some(h)) => !bypass.is_some_and(|b| crate::winhttp::bypassed(h, &b.value)),
            _ => false,
        };
        let log_proxy = f.client.log_proxy.as_ref();
        if hits.is_empty() && !not_bypassed && log_proxy.is_none() {
            if f.registry.winhttp_proxy.is_none() && !f.has(WindowsupdateLog) {
                return Outcome::NotRun("add `netsh winhttp show proxy` output from the client, or its WindowsUpdate.log".into());
            }
            return Outcome::Passed;
        }
        let mut detail = Vec::new();
        let mut evidence = Vec::new();
        for (c, o) in &hits {
            let what = codes::lookup(*c).map(|e| e.meaning).unwrap_or_default();
            detail.push(format!("0x{c:08X} ×{}: {what}.", o.count));
            evidence.push(o.first.clone());
        }
        let h = host.clone().unwrap_or_else(|| ctx.host());
        if let Some((p, ev)) = &proxy {
            if not_bypassed {
                detail.push(format!("The WinHTTP proxy is {p} and its bypass list does not cover {h}, so the update service sends its WSUS requests through the proxy."));
            } else {
                detail.push(format!("The WinHTTP proxy is {p}; its bypass list covers {h}."));
            }
            evidence.push(ev.clone());
            if let Some(b) = bypass {
                evidence.push(b.evidence.clone());
            }
        }
        if let Some(lp) = log_proxy {
            detail.push(format!("The client log shows requests sent through the proxy {}.", lp.value));
            evidence.push(lp.evidence.clone());
        }
        let existing = bypass.map(|b| b.value.clone()).filter(|b| !b.is_empty() && b != "(none)");
        let list = match existing {
            Some(b) => format!("{h};{b}"),
            None => format!("{h};<local>"),
        };
        let mut remedy = Vec::new();
        match (&proxy, ctx.era) {
            (_, ClientEra::Classic) if ctx.os_folder.as_deref().is_some_and(|o| o == "XP" || o == "NetServer") => {
                remedy.push(format!("On XP/2003 set the update service's proxy with `proxycfg -p <proxy:port> \"{list}\"`, or `proxycfg -d` for direct access."));
            }
            (Some((p, _)), _) => {
                remedy.push(format!("Let the update service reach WSUS directly: `netsh winhttp set proxy proxy-server=\"{p}\" bypass-list=\"{list}\"` (run as administrator)."));
                remedy.push("If the client needs no proxy at all: `netsh winhttp reset proxy`. If the proxy comes from the browser settings on purpose, `netsh winhttp import proxy source=ie` after adding the WSUS server to the browser's exceptions.".to_string());
            }
            (None, _) => {
                remedy.push("Run `netsh winhttp show proxy` on the client: if a proxy is set, add the WSUS server to its bypass list (`netsh winhttp set proxy proxy-server=\"<proxy:port>\" bypass-list=\"<wsus host>;<local>\"`); if the 407/502 comes from a transparent proxy or firewall, exempt the WSUS server's address there.".to_string());
            }
        }
        if hits.iter().any(|(c, _)| *c == 0x8024401B || *c == 0x80190197) {
            remedy.push("A 407 means the proxy wants credentials: the update service runs as SYSTEM and cannot answer an interactive prompt; exempt the WSUS server from authentication on the proxy.".to_string());
        }
        remedy.push(ctx.restart_service());
        remedy.push(ctx.detect_now());
        let severity = if hits.is_empty() { Some(Severity::Warning) } else { None };
        Outcome::Fired(Diagnosis { severity, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};

const WU_ERRORS: Article = Article::Page {
    short: "Windows Update common errors and mitigation",
    reference: "Microsoft Learn: Windows Update common errors and mitigation, https://learn.microsoft.com/windows/deployment/update/windows-update-errors",
};

/// The other side of the WSUS connectivity rules: a machine that gets its updates from Microsoft
/// directly and cannot reach Microsoft. Nothing about WSUS; the path to the internet is broken.
pub static WINDOWS_UPDATE_UNREACHABLE: Rule = Rule {
    id: "windows-update-unreachable",
    example: super::example!("windows-update-unreachable"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "The machine cannot reach Microsoft's update service (not a WSUS problem)",
    needs: &[WindowsupdateLog],
    article: WU_ERRORS,
    explain: "A machine without WSUS (unmanaged, or Windows Update for Business) scans Windows Update or Microsoft Update over the internet, through the WinHTTP proxy. When its searches keep failing with a network code (0x80072EFD cannot connect, 0x80072EE2 time-out, 0x8024402C name not resolved, 0x80240438 no route, 0x8024401B a proxy wanting credentials) and no search succeeded since, it gets no updates at all. The cause is the machine's way out: a proxy, a firewall or TLS inspection, DNS, or no internet access. A failure that a later search got past is history, and one that lasted less than a day after a success (a laptop offline for an afternoon) is not reported here.",
    check: |ctx| {
        let f = &ctx.facts.client;
        if ctx.mode.mode.uses_wsus() {
            return Outcome::NotRun("applies only to machines that do not use WSUS (the WSUS connectivity rules cover the others)".into());
        }
        if f.internet_failures.is_empty() || f.internet_recovered {
            return Outcome::Passed;
        }
        // a laptop offline for an afternoon is no finding: the failures must last (a day and
        // more since the last success), or the agent says it is overdue, or nothing ever worked
        let hours = match (f.internet_failing_since, f.internet_failing_until) {
            (Some(a), Some(b)) => Some((b.epoch_seconds() - a.epoch_seconds()) / 3600),
            _ => None,
        };
        let lasting = hours.is_none_or(|h| h >= 24) || !f.internet_success_seen || f.detection_overdue.is_some();
        if !lasting {
            return Outcome::Passed;
        }
        // each code's lines, whichever service they were attributed to (or none)
        let codes: Vec<String> = crate::facts::INTERNET_CODES
            .iter()
            .filter_map(|c| {
                let n: u64 = f.codes.get(c).map_or(0, |o| o.count) + f.other_services.values().filter_map(|s| s.codes.get(c)).map(|o| o.count).sum::<u64>();
                (n > 0).then(|| format!("0x{c:08X} {} ×{n}", codes::lookup(*c).map(|e| e.name).unwrap_or_default()))
            })
            .collect();
        let mut detail = format!(
            "This machine does not use WSUS ({}), so it talks to Microsoft's update service itself, and {} line(s) fail on the way there ({}); no search succeeded after the last of them{}.",
            ctx.mode.mode.label(),
            f.internet_failures.count,
            if codes.is_empty() { "network codes".to_string() } else { codes.join(", ") },
            match hours {
                Some(h) if h >= 48 => format!(" (failing for {} days)", h / 24),
                Some(h) if h >= 24 => format!(" (failing for {h} hours)"),
                _ => String::new(),
            }
        );
        let mut evidence: Vec<crate::report::Evidence> = f.internet_failures.kept.iter().take(3).cloned().collect();
        evidence.extend(f.internet_last_failure.iter().cloned());
        if let Some(o) = &f.detection_overdue {
            detail.push_str(" The agent itself says it has not been able to detect updates for days.");
            evidence.push(o.clone());
        }
        let mut remedy = vec![
            "Check the proxy the update service uses, which is WinHTTP's, not the browser's: `netsh winhttp show proxy` (`proxycfg` on XP/2003). If the network needs a proxy, set it there (`netsh winhttp set proxy proxy.example:8080 \"<local>\"`, or `netsh winhttp import proxy source=ie`); if it does not, `netsh winhttp reset proxy`.".to_string(),
            "Let the machine reach Microsoft's update hosts on ports 80 and 443 through the firewall, without TLS inspection: *.update.microsoft.com, *.windowsupdate.com, *.delivery.mp.microsoft.com and download.microsoft.com.".to_string(),
        ];
        remedy.push(match ctx.era {
            ClientEra::Classic => "From the machine, open http://www.update.microsoft.com in Internet Explorer and check the date, time and time zone are right (a wrong clock breaks the secure connections).".to_string(),
            _ => "From the machine, in PowerShell: `Test-NetConnection fe2cr.update.microsoft.com -Port 443` and `Resolve-DnsName sls.update.microsoft.com` (name resolution and the connection), and check the date, time and time zone are right.".to_string(),
        });
        remedy.push(ctx.detect_now());
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(evidence), remedy })
    },
};
