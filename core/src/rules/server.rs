//! The WSUS server's own log: synchronisation with Microsoft Update (or the upstream server).

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::kind::InputKind::SoftwaredistributionLog;
use crate::report::Severity;

pub static SERVER_SYNC_FAILED: Rule = Rule {
    id: "server-sync-failed",
    example: super::example!("server-sync-failed"),
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
            return Outcome::Passed;
        }
        let mut detail = vec![format!("{} error record(s) about synchronisation in SoftwareDistribution.log.", s.sync_errors.count)];
        for (list, what) in &causes {
            if !list.is_empty() {
                detail.push(format!("{} record(s): {what}.", list.count));
            }
        }
        let mut types: Vec<_> = s.exceptions.iter().collect();
        types.sort_by_key(|t| std::cmp::Reverse(t.1.count));
        if !types.is_empty() {
            let t: Vec<String> = types.iter().take(5).map(|(t, o)| format!("{t} ×{}", o.count)).collect();
            detail.push(format!("Exceptions: {}.", t.join(", ")));
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
