//! The WSUS self-update tree and the web server in front of it: IIS 404/401/403/500, the
//! port 80 requirement, and SharePoint on the default web site. From "Automatic Updates Must Be Updated".

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::facts::{RequestGroup, WsusPath};
use crate::kind::InputKind::{IisLog, WindowsupdateLog};
use crate::report::{Evidence, Severity};

const NOT_FOUND_CODES: &[u32] = &[0x80244019, 0x80190194];
const DENIED_CODES: &[u32] = &[0x80244017, 0x80244018, 0x80190191, 0x80190193];
const SERVER_ERROR_CODES: &[u32] = &[0x8024401F, 0x80244022, 0x801901F4, 0x801901F7];
const CONNECT_CODES: &[u32] = &[0x80072EFD, 0x80072EFE];

const INSTALL_SCRIPT: &str = r#"cscript "%ProgramFiles%\Microsoft Windows Server Update Services\setup\InstallSelfupdateOnPort80.vbs""#;

fn groups<'f>(ctx: &Context<'f>, paths: impl Fn(WsusPath) -> bool, statuses: &[u16]) -> Vec<(&'f (WsusPath, u16), &'f RequestGroup)> {
    ctx.facts.iis.wsus_requests.iter().filter(|((p, s), _)| paths(*p) && statuses.contains(s)).collect()
}

fn describe(groups: &[(&(WsusPath, u16), &RequestGroup)]) -> String {
    groups
        .iter()
        .map(|((p, s), g)| {
            let ports: Vec<String> = g.ports.iter().map(u16::to_string).collect();
            let on = if ports.is_empty() { String::new() } else { format!(" on port {}", ports.join("/")) };
            format!("{} → HTTP {s} ×{}{on}", p.label(), g.count)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Microsoft's update hosts: a 403 from them is not the WSUS server's.
fn names_microsoft_host(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [".microsoft.com", ".windowsupdate.com", ".delivery.mp.", "download.windowsupdate", ".msedge.net"].iter().any(|h| t.contains(h))
}

fn is_selfupdate_url(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    u.contains("/selfupdate") || u.contains("iuident.cab") || u.contains("wutrack.bin")
}

pub static SELFUPDATE_NOT_FOUND: Rule = Rule {
    id: "selfupdate-not-found",
    example: super::example!("selfupdate-not-found"),
    caused_by: &[&SELFUPDATE_NEEDS_PORT_80],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "Self-update files are not found on the WSUS server (HTTP 404)",
    needs: &[IisLog, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "Clients check the server's self-update tree before every scan. If /selfupdate, iuident.cab or wutrack.bin answer 404, SUS-era clients cannot become WSUS clients and newer ones stop with 0x80244019 (HTTP 404) before scanning, so every detection fails.",
    check: |ctx| {
        let f = ctx.facts;
        let iis = groups(ctx, WsusPath::is_selfupdate_related, &[404]);
        let client: Vec<Evidence> = f
            .client.failed_downloads
            .iter()
            .filter(|d| is_selfupdate_url(&d.url) && d.codes.iter().any(|c| NOT_FOUND_CODES.contains(c)))
            .map(|d| d.evidence.clone())
            .chain(
                f.client.selfupdate_failures
                    .iter()
                    .filter(|s| s.value.iter().any(|c| NOT_FOUND_CODES.contains(c)))
                    .map(|s| s.evidence.clone()),
            )
            .collect();
        if iis.is_empty() && client.is_empty() {
            let saw_iis_selfupdate = f.iis.wsus_requests.keys().any(|(p, _)| p.is_selfupdate_related());
            return if saw_iis_selfupdate || !f.client.selfupdate_checks.is_empty() {
                Outcome::Passed
            } else {
                Outcome::NotRun("the evidence has no self-update requests or checks (no /selfupdate, iuident.cab or wutrack.bin in the IIS log, no \"Checking for agent SelfUpdate\" in the client log)".into())
            };
        }
        let mut parts = Vec::new();
        if !iis.is_empty() {
            parts.push(format!("the WSUS server answered 404 to self-update requests ({})", describe(&iis)));
        }
        if !client.is_empty() {
            parts.push(format!(
                "the client log shows {} failed self-update download(s) and {} failed self-update check(s) with not-found errors",
                f.client.failed_downloads.iter().filter(|d| is_selfupdate_url(&d.url) && d.codes.iter().any(|c| NOT_FOUND_CODES.contains(c))).count(),
                f.client.selfupdate_failures.iter().filter(|s| s.value.iter().any(|c| NOT_FOUND_CODES.contains(c))).count()
            ));
        }
        let scans = if f.client.detection_failures > 0 {
            format!(" This also makes the client's scans fail ({} failed detection(s) in the log).", f.client.detection_failures)
        } else {
            String::new()
        };
        let (iuident, wuaucomp) = ctx.selfupdate_test_urls();
        let mut remedy = vec![
            "On the WSUS server, confirm a web site is bound to port 80 (the self-update tree must live there even when WSUS uses port 8530; the site need not be dedicated to WSUS).".to_string(),
            format!("Publish the self-update tree on that site: on the WSUS server run {INSTALL_SCRIPT} (use the drive WSUS is installed on)."),
            "In IIS Manager check that the Selfupdate virtual directory exists under that site and points at the WSUS Selfupdate folder; if you copied wutrack.bin into \\Inetpub\\wwwroot, check it is still there.".to_string(),
            format!("From a client, open {iuident} and {wuaucomp}: both must offer a download."),
            ctx.detect_now(),
        ];
        if let Some(g) = ctx.guesses() {
            remedy.push(g);
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("Self-update files were not found: {}.{scans}", parts.join("; ")),
            evidence: take_evidence(iis.iter().flat_map(|(_, g)| g.evidence.clone()).chain(client)),
            remedy,
        })
    },
};

/// The port WSUS itself answers on, if custom (8530/8531 or other non-80/443).
fn custom_wsus_port(ctx: &Context) -> Option<(u16, Option<Evidence>)> {
    if let Some(s) = &ctx.server {
        let p = s.effective_port();
        if p != 80 && p != 443 {
            let ev = ctx
                .facts
                .registry
                .reg(crate::registry::KeyRole::Policy, "WUServer")
                .map(|v| v.evidence.clone())
                .or_else(|| ctx.facts.client.log_wsus_server.as_ref().map(|v| v.evidence.clone()));
            return Some((p, ev));
        }
        return None;
    }
    ctx.facts
        .iis
        .wsus_requests
        .iter()
        .filter(|((p, _), _)| matches!(p, WsusPath::ClientWebService | WsusPath::SimpleAuth | WsusPath::Reporting))
        .find_map(|(_, g)| g.ports.iter().find(|p| **p != 80 && **p != 443).map(|p| (*p, g.evidence.first().cloned())))
}

pub static SELFUPDATE_NEEDS_PORT_80: Rule = Rule {
    id: "selfupdate-needs-port-80",
    example: super::example!("selfupdate-needs-port-80"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "WSUS uses a custom port but the self-update tree is not served on port 80",
    needs: &[IisLog, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "When WSUS runs on a custom port (such as 8530), clients still look for the self-update tree on port 80 of the same server. WSUS setup puts it on the port-80 web site; if there is no such site, or the tree is missing there, self-update fails.",
    check: |ctx| {
        let f = ctx.facts;
        let Some((port, port_ev)) = custom_wsus_port(ctx) else {
            return if ctx.server.is_some() {
                Outcome::Passed // WSUS itself on 80/443: nothing extra to publish
            } else {
                Outcome::NotRun("the WSUS port is unknown: add the client's WUServer (registry) or IIS requests to /ClientWebService".into())
            };
        };
        let on_80 = |g: &RequestGroup| g.ports.contains(&80);
        let iis_fail: Vec<_> = groups(ctx, WsusPath::is_selfupdate_related, &[404]).into_iter().filter(|(_, g)| on_80(g)).collect();
        let iis_ok = groups(ctx, WsusPath::is_selfupdate_related, &[200, 206, 304]).into_iter().any(|(_, g)| on_80(g));
        let client_fail: Vec<Evidence> = f
            .client.failed_downloads
            .iter()
            .filter(|d| {
                is_selfupdate_url(&d.url)
                    && super::ServerUrl::parse(&d.url).is_some_and(|u| u.effective_port() == 80)
                    && d.codes.iter().any(|c| NOT_FOUND_CODES.contains(c) || CONNECT_CODES.contains(c))
            })
            .map(|d| d.evidence.clone())
            .collect();
        if iis_fail.is_empty() && client_fail.is_empty() {
            return if iis_ok || f.client.failed_downloads.iter().all(|d| !is_selfupdate_url(&d.url)) && !f.client.selfupdate_checks.is_empty() {
                Outcome::Passed
            } else {
                Outcome::NotRun(format!("WSUS uses port {port}; add the IIS log of the port-80 site or a client log with a self-update check to see whether port 80 serves the self-update tree"))
            };
        }
        let host = ctx.host();
        let mut evidence: Vec<Evidence> = port_ev.into_iter().collect();
        evidence.extend(iis_fail.iter().flat_map(|(_, g)| g.evidence.clone()));
        evidence.extend(client_fail);
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("WSUS answers on port {port}, but self-update requests to port 80 of {host} fail (not found or no connection): the self-update tree is not published on a port-80 web site."),
            evidence: take_evidence(evidence),
            remedy: vec![
                format!("On {host}, make sure a web site is bound to port 80 (IIS Manager > Sites > Bindings). It can be the Default Web Site; WSUS only uses it for the self-update tree."),
                format!("Run {INSTALL_SCRIPT} on the WSUS server to create the Selfupdate virtual directory on the port-80 site."),
                format!("From a client, open http://{host}/iuident.cab and http://{host}/selfupdate/wuident.cab (port 80, no port in the URL): each must offer a download."),
                ctx.detect_now(),
            ],
        })
    },
};

fn is_access_checked_path(p: WsusPath) -> bool {
    matches!(p, WsusPath::SelfUpdate | WsusPath::IuIdent | WsusPath::WuTrack | WsusPath::ClientWebService)
}

pub static WSUS_ACCESS_DENIED: Rule = Rule {
    id: "wsus-access-denied",
    example: super::example!("wsus-access-denied"),
    caused_by: &[&SHAREPOINT_INTERCEPTS_WSUS],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "WSUS paths refuse the client (HTTP 401/403, access denied)",
    needs: &[IisLog, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "/selfupdate, /iuident.cab, /wutrack.bin and /ClientWebService must allow anonymous access. 401 or 403 there (or 0x80244017/0x80244018 in the client log) means authentication or permissions block the client, and self-update fails with access denied.",
    check: |ctx| {
        let f = ctx.facts;
        let iis = groups(ctx, is_access_checked_path, &[401, 403]);
        // a client's 401/403 counts only against its WSUS server: a managed client, and not a
        // line naming Microsoft's own hosts (Delivery Optimization, Windows Update CDN)
        // with no server known, only a refused scan or report call counts (a download's 401/403
        // may come from a CDN or a distribution point the excerpt does not name)
        let known = ctx.server.is_some();
        let client: Vec<_> = ctx
            .wsus_codes_in(DENIED_CODES)
            .into_iter()
            .filter(|(_, o)| !names_microsoft_host(&o.first.text) && (known || !crate::facts::is_download_text(o.first.text.as_bytes())))
            .collect();
        if iis.is_empty() && client.is_empty() {
            let saw = f.iis.wsus_requests.keys().any(|(p, _)| is_access_checked_path(*p));
            return if saw || (f.has(WindowsupdateLog) && !f.client.server_contact.is_empty()) {
                Outcome::Passed
            } else {
                Outcome::NotRun("no requests to /selfupdate, /iuident.cab, /wutrack.bin or /ClientWebService in the evidence".into())
            };
        }
        let mut parts = Vec::new();
        if !iis.is_empty() {
            parts.push(format!("IIS refused WSUS paths: {}", describe(&iis)));
        }
        for (c, o) in &client {
            let name = crate::codes::lookup(*c).map(|e| e.name).unwrap_or_default();
            parts.push(format!("the client log has 0x{c:08X} {name} ×{}", o.count));
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("Access denied on WSUS paths: {}.", parts.join("; ")),
            evidence: take_evidence(iis.iter().flat_map(|(_, g)| g.evidence.clone()).chain(client.iter().map(|(_, o)| o.first.clone()))),
            remedy: vec![
                "In IIS Manager, enable Anonymous Authentication on the Default Web Site and on the ClientWebService and Selfupdate virtual directories (and the WSUS Administration site's client paths).".to_string(),
                "Check NTFS permissions on the Selfupdate folder and on wutrack.bin / iuident.cab allow the anonymous IIS user to read.".to_string(),
                "If Windows SharePoint Services is installed on the same site, exclude the WSUS paths from it (see sharepoint-intercepts-wsus).".to_string(),
                ctx.detect_now(),
            ],
        })
    },
};

pub static SHAREPOINT_INTERCEPTS_WSUS: Rule = Rule {
    id: "sharepoint-intercepts-wsus",
    example: super::example!("sharepoint-intercepts-wsus"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "SharePoint on the same web site intercepts WSUS requests",
    needs: &[IisLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "Windows SharePoint Services installed on the default web site takes over requests for /iuident.cab, /wutrack.bin, /ClientWebService and /Selfupdate and answers them with access denied, so self-update fails and the WSUS console warns the SelfUpdate service is unavailable.",
    check: |ctx| {
        let f = ctx.facts;
        let denied = groups(ctx, is_access_checked_path, &[401, 403]);
        let mut evidence = Vec::new();
        let mut sites = Vec::new();
        for (input, (sp, sp_ports)) in &f.iis.sharepoint {
            let here: Vec<_> = denied
                .iter()
                .filter(|(_, g)| g.inputs.contains(input) && (sp_ports.is_empty() || g.ports.is_empty() || !g.ports.is_disjoint(sp_ports)))
                .collect();
            if here.is_empty() {
                continue;
            }
            sites.push(format!("{input}: {} SharePoint request(s) beside {}", sp.count, describe(&here.iter().map(|x| **x).collect::<Vec<_>>())));
            evidence.extend(here.iter().flat_map(|(_, g)| g.evidence.iter().take(2).cloned()));
            evidence.extend(sp.kept.iter().take(2).cloned());
        }
        if sites.is_empty() {
            return Outcome::Passed;
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("SharePoint answers on the same site where WSUS paths are refused: {}.", sites.join("; ")),
            evidence: take_evidence(evidence),
            remedy: vec![
                "In IIS Manager, allow Anonymous Authentication on the Default Web Site and on the ClientWebService and Selfupdate virtual directories.".to_string(),
                "Open SharePoint Central Administration (Start > Administrative Tools > SharePoint Central Administration).".to_string(),
                "Go to Virtual Server Configuration > Configure Virtual Server Settings, select Default Web Site, then Virtual Server Management > Define managed paths.".to_string(),
                "Add these as excluded paths, one at a time: /iuident.cab, /wutrack.bin, /clientwebservice, /Selfupdate.".to_string(),
                ctx.detect_now(),
            ],
        })
    },
};

pub static WSUS_SERVER_ERROR: Rule = Rule {
    id: "wsus-server-error",
    example: super::example!("wsus-server-error"),
    caused_by: &[&super::server::WSUSPOOL_OVERLOADED],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "The WSUS server fails requests (HTTP 500/503, application pool offline, SOAP server faults)",
    needs: &[IisLog, WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "HTTP 500 on WSUS paths is an internal server error in the WSUS web services or IIS; 503 (HTTP.sys `AppOffline WsusPool`) means the WsusPool application pool is stopped, often after hitting its memory limit. Clients see 0x8024401F (500) or 0x80244022 (503); a call the web service understood and failed comes back as a SOAP fault over HTTP 200 (0x8024400E, WU_E_PT_SOAP_SERVER).",
    check: |ctx| {
        let f = ctx.facts;
        let iis = groups(ctx, |_| true, &[500, 503]);
        let client = ctx.wsus_codes_in(SERVER_ERROR_CODES);
        let soap = &f.client.soap_server_faults;
        // 0x8024400E: the server understood the call and failed it (a SOAP fault over HTTP 200);
        // one the next scan got past is history (detection-retry-succeeded says so)
        let recovered = matches!(f.client.detections.last().map(|d| &d.value), Some(crate::facts::DetectionOutcome::Succeeded));
        let soap_codes = if recovered { Vec::new() } else { ctx.wsus_codes_in(&[0x8024400E]) };
        if iis.is_empty() && client.is_empty() && f.iis.app_offline.is_empty() && soap.is_empty() && soap_codes.is_empty() {
            return if f.iis.requests > 0 || (f.has(WindowsupdateLog) && !f.client.server_contact.is_empty()) {
                Outcome::Passed
            } else {
                Outcome::NotRun("the evidence shows no request to the WSUS server (no WSUS paths in the IIS log, no server contact in the client log)".into())
            };
        }
        let mut parts = Vec::new();
        if !iis.is_empty() {
            parts.push(format!("IIS logged server errors on WSUS paths: {}", describe(&iis)));
        }
        if !f.iis.app_offline.is_empty() {
            parts.push(format!("HTTP.sys rejected {} request(s) because the application pool was offline", f.iis.app_offline.count));
        }
        for (c, o) in &client {
            let name = crate::codes::lookup(*c).map(|e| e.name).unwrap_or_default();
            parts.push(format!("the client log has 0x{c:08X} {name} ×{}", o.count));
        }
        for (c, o) in &soap_codes {
            parts.push(format!("the client log has 0x{c:08X} WU_E_PT_SOAP_SERVER ×{}: the server answered with a SOAP fault, it failed a request it understood", o.count));
        }
        if !soap.is_empty() {
            parts.push(format!(
                "the WSUS web service answered {} call(s) with a SOAP fault it raised itself (InternalServerError / code Server): the server failed the request, the client's request was fine",
                soap.count
            ));
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("{}.", parts.join("; ")),
            evidence: take_evidence(
                f.iis
                    .app_offline
                    .kept
                    .iter()
                    .cloned()
                    .chain(iis.iter().flat_map(|(_, g)| g.evidence.clone()))
                    .chain(soap_codes.iter().map(|(_, o)| o.first.clone()))
                    .chain(soap.kept.iter().take(2).cloned())
                    .chain(client.iter().map(|(_, o)| o.first.clone())),
            ),
            // a SOAP fault alone came with HTTP 200: the pool answered, the web service failed
            remedy: if iis.is_empty() && f.iis.app_offline.is_empty() && client.is_empty() {
                vec![
                    format!("{} The exception names the cause (SUSDB, an update's approval or metadata, the calling client's identity).", super::read_server_log_step(ctx)),
                    "The application pool answered (the fault came back with HTTP 200): restarting WsusPool does not fix this; fix what the server log names.".to_string(),
                    ctx.detect_now(),
                ]
            } else {
                vec![
                    "In IIS Manager > Application Pools, check WsusPool is Started; start it if it is stopped.".to_string(),
                    "If WsusPool keeps stopping, raise its Private Memory Limit (Advanced Settings > Recycling) and check the Windows Application and System event logs for the reason it stopped.".to_string(),
                    "For HTTP 500, read the WSUS web service errors in %ProgramFiles%\\Update Services\\LogFiles\\SoftwareDistribution.log and the IIS sub-status in the log line, and fix what it names (use IIS Help for the status).".to_string(),
                    ctx.detect_now(),
                ]
            },
        })
    },
};
