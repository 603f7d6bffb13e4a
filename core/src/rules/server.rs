//! The WSUS server's own log: synchronisation with Microsoft Update (or the upstream server).

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::kind::InputKind::{EventLog, IisLog, SoftwaredistributionLog};
use crate::report::Severity;

pub static SERVER_SYNC_FAILED: Rule = Rule {
    id: "server-sync-failed",
    example: super::example!("server-sync-failed"),
    caused_by: &[&super::signatures::table::SYNC_ENDPOINT_RETIRED, &super::signatures::table::SYNC_UPSTREAM_NAME_UNRESOLVED, &super::signatures::table::SYNC_UPSTREAM_UNAVAILABLE, &super::signatures::table::SYNC_UPSTREAM_REFUSED, &super::signatures::table::SUSDB_QUERY_TIMEOUT],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The WSUS server cannot synchronise with Microsoft Update or its upstream server",
    needs: &[SoftwaredistributionLog],
    article: Article::WsusSyncTroubleshooting,
    explain: "SoftwareDistribution.log records every failed synchronisation with its .NET exception. Since 2020 Microsoft Update's endpoint accepts only TLS 1.2, so a server whose .NET Framework still offers older protocols fails with \"the underlying connection was closed\"; a proxy that wants credentials answers 407; WSUS 3.0 SP2 without SHA-2 support fails certificate checks with 0x800B0109; an overloaded SUSDB times out. Without synchronisation no new update reaches any client.",
    check: |ctx: &Context| {
        let s = &ctx.facts.server;
        let causes = [
            (&s.tls_failures, "the TLS handshake with the update source failed or the connection was closed during it"),
            (&s.proxy_failures, "a proxy refused the connection or asked for credentials (407)"),
            (&s.cert_failures, "certificate or signature verification failed (0x800B0109 / 0x800B0100)"),
            (&s.sql_timeouts, "SUSDB timed out (SqlException: Timeout expired)"),
        ];
        if s.sync_errors.is_empty() && causes.iter().all(|(l, _)| l.is_empty()) {
            if s.leveled_records == 0 {
                // quoted messages without their level cannot show that no sync failed
                return Outcome::NotRun(
                    "no SoftwareDistribution.log record with its level (Info, Error) was read: add the log itself, %ProgramFiles%\\Update Services\\LogFiles\\SoftwareDistribution.log".into(),
                );
            }
            return Outcome::Passed;
        }
        // records quoted without their level are not counted as errors: say nothing rather than "0"
        let mut detail =
            if s.sync_errors.count > 0 { vec![format!("{} error record(s) about synchronisation in SoftwareDistribution.log.", s.sync_errors.count)] } else { Vec::new() };
        for (list, what) in &causes {
            if !list.is_empty() {
                detail.push(format!("{} record(s): {what}.", list.count));
            }
        }
        let mut types: Vec<_> = s.exceptions.iter().collect();
        types.sort_by_key(|t| std::cmp::Reverse(t.1.count));
        if !types.is_empty() {
            let t: Vec<String> = types.iter().take(5).map(|(t, o)| format!("{t} ×{}", o.count)).collect();
            let cut = if s.exceptions_cut > 0 {
                format!(" ({} occurrence(s) of further exception types not tracked: only {} types are)", s.exceptions_cut, crate::facts::MAX_DISTINCT)
            } else {
                String::new()
            };
            detail.push(format!("Exceptions: {}{cut}.", t.join(", ")));
        }
        let mut remedy = Vec::new();
        if !s.tls_failures.is_empty() {
            remedy.push("Let .NET use TLS 1.2 on the WSUS server: `reg add HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 /v SchUseStrongCrypto /t REG_DWORD /d 1 /f` and the same under `HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319`, then `net stop wsusservice && net start wsusservice` and `iisreset`.".to_string());
            remedy.push("Check the endpoint it synchronises with: `(Get-WsusServer).GetConfiguration().MUUrl` should be https://sws.update.microsoft.com on Windows Server 2012 and later.".to_string());
        }
        if !s.proxy_failures.is_empty() {
            remedy.push("In the WSUS console, Options > Update Source and Proxy Server > Proxy Server: set the proxy's name and port, and credentials if it answers 407; or let the WSUS server's computer account through the proxy to *.update.microsoft.com.".to_string());
        }
        if !s.cert_failures.is_empty() {
            remedy.push("0x800B0109 while synchronising: on WSUS 3.0 SP2 (Windows Server 2008 R2) SHA-2 signing support is missing (KB4484071), and that version can no longer synchronise with Microsoft Update at all: make it a downstream server of a supported WSUS, or migrate. On a current server, update the trusted root certificates (`certutil -generateSSTFromWU roots.sst`, then import them).".to_string());
        }
        if !s.sql_timeouts.is_empty() {
            remedy.push("SUSDB is timing out: run the Server Cleanup Wizard, decline superseded and expired updates, and reindex SUSDB (Microsoft's WSUS maintenance guide has the script), then synchronise again.".to_string());
        }
        remedy.push("Synchronise again from the console (Synchronizations > Synchronize Now) and compare its error details with the records cited here.".to_string());
        let evidence = take_evidence(causes.iter().flat_map(|(l, _)| l.kept.iter().cloned()).chain(s.sync_errors.kept.iter().cloned()));
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence, remedy })
    },
};

/// Client codes that an overloaded pool causes: 408 time-outs, 503, 500, WinHTTP time-outs.
const POOL_SYMPTOMS: &[u32] = &[0x8024401C, 0x80244022, 0x8024401F, 0x80072EE2, 0x801901F7];
/// Clocks of client and server may differ (and IIS logs in UTC): windows this close "meet".
const SKEW_MINUTES: i64 = 15;

pub static WSUSPOOL_OVERLOADED: Rule = Rule {
    id: "wsuspool-overloaded",
    example: super::example!("wsuspool-overloaded"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The WsusPool application pool is failing requests",
    needs: &[IisLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "When the WsusPool application pool hits its private memory limit, its request queue fills or it is recycled by rapid-fail protection, HTTP.sys answers for it: `503 ... AppOffline WsusPool`, `QueueFull`, `Connection_Abandoned_By_AppPool` in HTTPERR, 503s on ClientWebService and SimpleAuth in the IIS log. Every client scanning then fails with 0x80244022 (503) or times out (0x8024401C). The default 1.8 GB memory limit is too low for a WSUS catalogue of today; an unmaintained SUSDB makes every scan heavier.",
    check: |ctx: &Context| {
        let f = ctx.facts;
        let pool = &f.iis.pool_failures;
        if pool.is_empty() {
            return Outcome::Passed;
        }
        let reasons: Vec<String> = pool.reasons.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
        let window = match (pool.first, pool.last) {
            (Some(a), Some(b)) if a != b => format!(" between {a} and {b} (UTC)"),
            (Some(a), _) => format!(" at {a} (UTC)"),
            _ => String::new(),
        };
        let mut detail = vec![format!("{} request(s) failed because the WsusPool application pool could not take them{window}: {}.", pool.list.count, reasons.join(", "))];
        let mut evidence: Vec<crate::report::Evidence> = pool.list.kept.iter().take(3).cloned().collect();
        let symptoms = ctx.wsus_codes_in(POOL_SYMPTOMS);
        if !symptoms.is_empty() {
            let names: Vec<String> = symptoms.iter().map(|(c, o)| format!("0x{c:08X} ×{}", o.count)).collect();
            let client_window = symptoms.iter().filter_map(|(_, o)| Some((o.first_time?, o.last_time?))).fold(None, |acc: Option<(crate::time::Timestamp, crate::time::Timestamp)>, (a, b)| {
                Some(acc.map_or((a, b), |(x, y)| (x.min(a), y.max(b))))
            });
            let meet = match (client_window, pool.first, pool.last) {
                (Some((ca, cb)), Some(sa), Some(sb)) => {
                    let (ca, cb, sa, sb) = (ca.epoch_seconds(), cb.epoch_seconds(), sa.epoch_seconds(), sb.epoch_seconds());
                    Some(ca <= sb + SKEW_MINUTES * 60 && sa <= cb + SKEW_MINUTES * 60)
                }
                _ => None,
            };
            detail.push(match meet {
                Some(true) => format!("The client's errors ({}) fall in the same time window as the pool failures, within {SKEW_MINUTES} minutes (the IIS log is in UTC; the client log is in the client's local time unless it was decoded from ETL): they match in time and kind, which suggests but does not prove that the pool failures are what this client saw.", names.join(", ")),
                Some(false) => format!("The client's errors ({}) do not overlap the pool failures in time (even allowing {SKEW_MINUTES} minutes of clock difference): they may have another cause.", names.join(", ")),
                None => format!("The client's log also has {}; their times could not be compared.", names.join(", ")),
            });
            evidence.extend(symptoms.iter().map(|(_, o)| o.first.clone()));
        }
        let remedy = vec![
            "On the WSUS server, IIS Manager > Application Pools > WsusPool > Advanced Settings: Private Memory Limit (KB) = 0 (no limit) or at least 4194304 (4 GB); Queue Length = 2000 or more; Rapid-Fail Protection > Enabled = False. Then `iisreset` (or recycle WsusPool).".to_string(),
            "Lighten every scan: decline superseded and expired updates, run the Server Cleanup Wizard (or `Invoke-WsusServerCleanup -CleanupObsoleteUpdates -CleanupUnneededContentFiles -DeclineSupersededUpdates -DeclineExpiredUpdates`), and reindex SUSDB with Microsoft's WSUS maintenance script.".to_string(),
            "Check the server's Application log for event 5117 or 5002 (WAS stopped or recycled WsusPool) to see how often it happens.".to_string(),
            "Let clients retry: they scan again at their next detection; nothing needs resetting on them.".to_string(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence: take_evidence(evidence), remedy })
    },
};

/// WSUS health events (written by the WSUS health monitor and `wsusutil checkhealth`) that say
/// something is not working, with what it is.
const HEALTH_FAILURES: &[(u32, &str)] = &[
    (12002, "the Reporting web service is not working"),
    (12012, "the API Remoting web service is not working"),
    (12022, "the Client web service is not working"),
    (12032, "the Server Synchronization web service is not working"),
    (12042, "the SimpleAuth web service is not working"),
    (12052, "the DSS Authentication web service is not working"),
    (12072, "the WSUS web service is not working"),
    (13002, "clients are failing a health check (WSUS client health)"),
    (13012, "clients are failing a health check (WSUS client health)"),
    (13022, "clients are failing a health check (WSUS client health)"),
    (13032, "clients are failing a health check (WSUS client health)"),
    (13042, "self-update is not working"),
    (506, "the console reports that the SelfUpdate service is not available"),
    (507, "the console reports that the WSUS service is not available"),
];

pub static SERVER_WEB_SERVICE_UNHEALTHY: Rule = Rule {
    id: "server-web-service-unhealthy",
    example: super::example!("server-web-service-unhealthy"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The WSUS server's own health checks say a web service or self-update is not working",
    needs: &[EventLog],
    article: Article::WsusConnectionTroubleshooting,
    explain: "WSUS checks its own web services and writes the result to the Application log (source Windows Server Update Services; `wsusutil checkhealth` forces a check): 12002-12072 \"the X web service is not working\", 13042 \"self-update is not working\", 506/507 when the console cannot reach them. These come from the server about itself, so they point at IIS and the WSUS application pool, not at the clients.",
    check: |ctx: &Context| {
        let events = &ctx.facts.server.events;
        let hits: Vec<_> = HEALTH_FAILURES.iter().filter_map(|(id, what)| events.get(id).map(|o| (*id, *what, o))).collect();
        if hits.is_empty() {
            return if events.is_empty() && !ctx.facts.has(SoftwaredistributionLog) {
                Outcome::NotRun("the event evidence holds no WSUS server events: add the WSUS server's Application log (source Windows Server Update Services)".into())
            } else {
                Outcome::Passed
            };
        }
        let mut lines: Vec<String> = hits.iter().map(|(id, what, o)| format!("event {id} ×{}: {what}", o.count)).collect();
        if ctx.facts.server.events_cut > 0 {
            lines.push(format!("{} event(s) of further ids not tracked (only {} distinct ids are)", ctx.facts.server.events_cut, crate::facts::MAX_DISTINCT));
        }
        let mut remedy = vec![
            "On the WSUS server, IIS Manager > Application Pools: WsusPool must be Started (start it; if it stops again see wsuspool-overloaded's steps: private memory limit, queue length).".to_string(),
            format!("Check each web service answers: `Invoke-WebRequest -UseBasicParsing {}/ClientWebService/client.asmx` (and SimpleAuthWebService/SimpleAuth.asmx, ReportingWebService/ReportingWebService.asmx) from the server itself.", ctx.server_url()),
            "Then run `\"%ProgramFiles%\\Update Services\\Tools\\wsusutil.exe\" checkhealth` and read the new events in the Application log: a 12001-12071 or 13041 \"is working\" event follows each fixed service.".to_string(),
        ];
        let unavailable = &ctx.facts.server.health_unavailable;
        if !unavailable.is_empty() {
            lines.push(format!("{} health check(s) got HTTP 503 Server Unavailable from the server's own site: IIS answers so for a WsusPool that is stopped or locked out by rapid-fail protection (not a missing folder or web service)", unavailable.count));
            remedy.insert(0, "WsusPool answered 503: IIS Manager > Application Pools > WsusPool: Start it, then Advanced Settings > Rapid-Fail Protection > Enabled = False (or raise Maximum Failures), Private Memory Limit (KB) = 0, Queue Length = 2000 or more; the System log's WAS events (5002, 5117, 5074) say when and why it stopped.".to_string());
        }
        if hits.iter().any(|(id, _, _)| *id == 13042 || *id == 506) {
            remedy.push("Self-update not working: the /selfupdate virtual directory must exist on the WSUS site and on a port-80 site, with anonymous access (see the self-update findings; `cscript \"%ProgramFiles%\\Update Services\\setup\\InstallSelfupdateOnPort80.vbs\"`).".to_string());
        }
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("The WSUS server reported about itself: {}.", lines.join("; ")),
            evidence: take_evidence(unavailable.kept.iter().cloned().chain(hits.iter().flat_map(|(_, _, o)| [o.first.clone(), o.last.clone()]))),
            remedy,
        })
    },
};

/// What each WAS event says happened to the pool.
const WAS_MEANING: &[(u32, &str)] = &[
    (5002, "IIS disabled WsusPool after a series of worker failures (rapid-fail protection): it stays stopped and every request gets 503 until someone starts it"),
    (5117, "IIS recycled WsusPool because it reached its private memory limit"),
    (5009, "a WsusPool worker process ended unexpectedly"),
    (5010, "a WsusPool worker process stopped answering IIS's health ping"),
    (5011, "a WsusPool worker process lost its connection to IIS (a fatal communication error: it crashed)"),
    (5013, "a WsusPool worker process did not stop within its shutdown time limit"),
];

pub static WSUSPOOL_STOPPED: Rule = Rule {
    id: "wsuspool-stopped",
    example: super::example!("wsuspool-stopped"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "IIS stopped, recycled or lost the WsusPool application pool (WAS events)",
    needs: &[EventLog],
    article: Article::Page {
        short: "The complete guide to WSUS and Configuration Manager SUP maintenance",
        reference: "Microsoft Learn: The complete guide to WSUS and Configuration Manager SUP maintenance, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/wsus-maintenance-guide",
    },
    explain: "The WSUS web services run in IIS's WsusPool application pool, which the Windows Process Activation Service (WAS) watches and logs in the System log. Its default limits are too small for a WSUS catalogue of today: the private memory limit (1843200 KB on older installs) makes it recycle in the middle of scans (5117), and after five worker failures in five minutes rapid-fail protection disables the pool (5002), after which clients, the console and Configuration Manager get HTTP 503 until it is started again. Crashes and hangs (5009-5013) are the same overload seen from the worker.",
    check: |ctx: &Context| {
        let was = &ctx.facts.server.wsuspool_was;
        if was.is_empty() {
            return Outcome::Passed;
        }
        let lines: Vec<String> = WAS_MEANING.iter().filter_map(|(id, what)| was.get(id).map(|o| format!("event {id} ×{}: {what}", o.count))).collect();
        let disabled = was.contains_key(&5002);
        let severity = if disabled || was.keys().any(|id| matches!(id, 5009 | 5011)) { None } else { Some(Severity::Warning) };
        let mut remedy = Vec::new();
        if disabled {
            remedy.push("Start the pool now: IIS Manager > Application Pools > WsusPool > Start (or `Start-WebAppPool WsusPool`).".to_string());
        }
        remedy.push("Give WsusPool room: Advanced Settings > Private Memory Limit (KB) = 0 (no limit) or at least 4194304, Queue Length = 2000 or more, Rapid-Fail Protection > Enabled = False (or a higher Maximum Failures); then recycle it.".to_string());
        remedy.push("Lighten what it serves: decline superseded and expired updates, run the Server Cleanup Wizard, and reindex SUSDB with Microsoft's maintenance script; a lean catalogue keeps the pool below its limits.".to_string());
        remedy.push("Watch the System log for new WAS events about WsusPool after the change; the Application log's ASP.NET and Application Error events at the same time name the exception of a crash.".to_string());
        Outcome::Fired(Diagnosis {
            severity,
            detail: format!("The System log's WAS events about WsusPool: {}.", lines.join("; ")),
            evidence: take_evidence(WAS_MEANING.iter().filter_map(|(id, _)| was.get(id)).flat_map(|o| [o.first.clone(), o.last.clone()])),
            remedy,
        })
    },
};
